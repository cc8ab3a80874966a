"""Turn-taking: who speaks the untagged lines of an exchange."""
from __future__ import annotations

from .salience import ANSWER, BEAT, GROUP, GUESS, TURN, Context, Vote, _addressees


def _turn(ctx: Context, p: int, kind: str, avoid=()) -> tuple[str | None, float] | None:
    """Turn-taking: whom the last line addressed, else the most salient character
    other than the last speaker (speakers and characters named in the narration
    both count: the speaker before the last one alone is a weaker guess, since
    one wrong line would then spread through the whole exchange); never one in
    `avoid` (whom the line itself names)."""
    last = ctx.turns[-1] if ctx.turns else None
    if kind != "speech":
        return (ctx.recent[0], GUESS) if ctx.recent else None
    near = p - ctx.last_paragraph <= 2
    for cid in ctx.addressed:
        if cid != last and cid not in avoid:
            return (cid, ANSWER if near else GUESS)
    other = next((c for c in ctx.recent if c != last and c not in avoid), None)
    return (other, TURN if near else GUESS) if other else None


def _answerers(ctx: Context, spans, kinds, result):
    """A weakly attributed line answered by a line addressing X by name was X's, when X
    spoke in the last few lines (else the name more likely calls a bystander in)."""
    out = list(result)
    for i in range(len(spans) - 1):
        nxt = i + 1
        if out[i][1] >= BEAT or kinds[i] != "speech" or spans[nxt].paragraph == spans[i].paragraph:
            continue
        if spans[nxt].paragraph - spans[i].paragraph > 1 or kinds[nxt] != "speech":
            continue
        for cid in _addressees(ctx, spans[nxt])[:1]:
            if cid != out[nxt][0] and cid in {v[0] for v in result[max(0, i - LOOK):i]}:
                out[i] = Vote(cid, ANSWER, "answerer")
    return out


LOOK = 6                 # lines back in which the one addressed must have spoken


def _alternate(ctx: Context, spans, kinds, result):
    """Re-decide untagged lines of an exchange by parity from the nearest anchored line
    (before or after; a tag, or a beat naming its subject): in a two-person exchange,
    lines an even number of turns apart share a speaker, lines an odd number apart
    belong to the other person."""
    units = _speech_units(spans, kinds, result)
    out = list(result)
    for block in _blocks(units):
        anchors = [i for i, u in enumerate(block) if u[2] >= BEAT and u[3] != GROUP]   # not a beat found through
        # a pronoun, nor a group's line (no one party's)
        if not anchors:
            continue
        for i, (p, first, conf, _) in enumerate(block):
            if conf >= ANSWER:
                continue
            guess = _by_parity(block, anchors, i, lambda u: _unit_addressees(ctx, spans, kinds, block[u][1]))
            if guess and guess not in _addressees(ctx, spans[first]):
                for k in range(first, len(spans)):
                    if spans[k].paragraph != p:
                        break
                    if kinds[k] == "speech" and out[k][1] < ANSWER:
                        out[k] = Vote(guess, TURN, "parity")
    return out


def _speech_units(spans, kinds, result) -> list[tuple[int, int, float, str | None]]:
    """(paragraph, index of its first speech quote, confidence, speaker) per paragraph with
    speech; the speaker and confidence of its last speech quote, which the next line answers."""
    units = []
    for k, span in enumerate(spans):
        if kinds[k] != "speech":
            continue
        if units and units[-1][0] == span.paragraph:
            if result[k][0] != units[-1][3] and result[k][1] >= units[-1][2]:
                units[-1] = (span.paragraph, units[-1][1], result[k][1], result[k][0])
        else:
            units.append((span.paragraph, k, result[k][1], result[k][0]))
    return units


def _blocks(units):
    """Runs of speech paragraphs: a paragraph of narration alone ends the exchange."""
    block = []
    for u in units:
        if block and u[0] - block[-1][0] > 1:
            yield block
            block = []
        block.append(u)
    if block:
        yield block


def _unit_addressees(ctx: Context, spans, kinds, first: int) -> tuple[str, ...]:
    """Whom the speech of one paragraph addresses by name (from its quote at `first` on)."""
    out: list[str] = []
    for k in range(first, len(spans)):
        if spans[k].paragraph != spans[first].paragraph:
            break
        if kinds[k] == "speech":
            out += [c for c in _addressees(ctx, spans[k]) if c not in out]
    return tuple(out)


OTHER_REACH = 1          # an anchored line right next to the anchor: its speaker is the other party


def _by_parity(block, anchors, i, addressees) -> str | None:
    """The speaker of unit i by parity from an anchor: between two anchors of different
    speakers whose parity agrees, the two alternate; otherwise parity from the nearer
    anchor (the one before on a tie). An odd distance means the other party: the
    speaker of an anchored line right next to that anchor, else the line's own guess
    when it differs from the anchor's speaker, else the anchored speaker nearest that
    anchor who differs, else whom the anchor's line addresses."""
    before = [a for a in anchors if a < i]
    after = [a for a in anchors if a > i]
    near = before[-1] if before else after[0]
    if before and after:
        left, right = before[-1], after[0]
        if block[left][3] != block[right][3] and (right - left) % 2:
            return block[left][3] if (i - left) % 2 == 0 else block[right][3]
        if right - i < i - left:
            near = right
    speaker = block[near][3]
    if abs(near - i) % 2 == 0:
        return speaker
    others = sorted((a for a in anchors if block[a][3] != speaker), key=lambda a: abs(a - near))
    if others and abs(others[0] - near) <= OTHER_REACH:
        return block[others[0]][3]
    if block[i][3] and block[i][3] != speaker:
        return block[i][3]
    if others:
        return block[others[0]][3]
    named = [c for c in addressees(near) if c != speaker]
    return named[0] if named else None
