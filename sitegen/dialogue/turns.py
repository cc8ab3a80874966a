"""Turn-taking: who speaks the untagged lines of an exchange."""
from __future__ import annotations

from .salience import ANSWER, BEAT, GUESS, TURN, Context, _addressees


def _take_turn(ctx: Context, speaker: str, paragraph: int) -> None:
    """Record who spoke last (consecutive lines by one speaker count once)."""
    if not ctx.turns or ctx.turns[-1] != speaker:
        ctx.turns.append(speaker)
        ctx.turn_paragraphs.append(paragraph)
        del ctx.turns[:-6], ctx.turn_paragraphs[:-6]
    else:
        ctx.turn_paragraphs[-1] = paragraph


def _turn(ctx: Context, p: int, kind: str) -> tuple[str | None, float] | None:
    """Turn-taking: whom the last line addressed, else the other party of the
    conversation going on (the speaker before the last one, if recent), else
    the most salient other character."""
    last = ctx.turns[-1] if ctx.turns else None
    if kind != "speech":
        return (ctx.recent[0], GUESS) if ctx.recent else None
    near = p - ctx.last_paragraph <= 2
    for cid in ctx.addressed:
        if cid != last:
            return (cid, ANSWER if near else GUESS)
    if len(ctx.turns) >= 2 and p - ctx.turn_paragraphs[-2] <= 6:
        return (ctx.turns[-2], TURN if near else GUESS)
    other = next((c for c in ctx.recent if c != last), None)
    return (other, GUESS) if other else None


def _answerers(ctx: Context, spans, kinds, result):
    """A weakly attributed line answered by a line addressing X by name was X's."""
    out = list(result)
    for i in range(len(spans) - 1):
        nxt = i + 1
        if out[i][1] >= BEAT or kinds[i] != "speech" or spans[nxt].paragraph == spans[i].paragraph:
            continue
        if spans[nxt].paragraph - spans[i].paragraph > 1 or kinds[nxt] != "speech":
            continue
        for cid in _addressees(ctx, spans[nxt])[:1]:
            if cid != out[nxt][0]:
                out[i] = (cid, ANSWER)
    return out


def _alternate(ctx: Context, spans, kinds, result):
    """Re-decide untagged lines of an exchange by parity from the nearest anchored line
    (before or after): in a two-person exchange, lines an even number of turns
    apart share a speaker, lines an odd number apart belong to the other person."""
    units = _speech_units(spans, kinds, result)
    out = list(result)
    for block in _blocks(units):
        anchors = [i for i, u in enumerate(block) if u[2] > ANSWER]
        if not anchors:
            continue
        for i, (p, first, conf, _) in enumerate(block):
            if conf >= ANSWER:
                continue
            guess = _by_parity(block, anchors, i)
            if guess and guess not in _addressees(ctx, spans[first]):
                for k in range(first, len(spans)):
                    if spans[k].paragraph != p:
                        break
                    if kinds[k] == "speech" and out[k][1] < ANSWER:
                        out[k] = (guess, TURN)
    return out


def _speech_units(spans, kinds, result) -> list[tuple[int, int, float, str | None]]:
    """(paragraph, index of its first speech quote, confidence, speaker) per paragraph with speech."""
    units = []
    for k, span in enumerate(spans):
        if kinds[k] == "speech" and (not units or units[-1][0] != span.paragraph):
            units.append((span.paragraph, k, result[k][1], result[k][0]))
    return units


def _blocks(units):
    """Runs of speech paragraphs with at most one paragraph of narration between them."""
    block = []
    for u in units:
        if block and u[0] - block[-1][0] > 1:
            yield block
            block = []
        block.append(u)
    if block:
        yield block


def _by_parity(block, anchors, i) -> str | None:
    """The speaker of unit i by parity from an anchor: between two anchors of different
    speakers whose parity agrees, the two alternate; when the parity disagrees (a third
    voice, or one speaker twice), the nearer anchor decides; otherwise the last anchor
    before (else the first after). The other party is the anchored speaker nearest
    that anchor who differs."""
    before = [a for a in anchors if a < i]
    after = [a for a in anchors if a > i]
    near = before[-1] if before else after[0]
    if before and after:
        left, right = before[-1], after[0]
        same = block[left][3] == block[right][3]
        if not same and (right - left) % 2:
            return block[left][3] if (i - left) % 2 == 0 else block[right][3]
        if same == bool((right - left) % 2) and right - i < i - left:
            near = right
    speaker = block[near][3]
    if abs(near - i) % 2 == 0:
        return speaker
    others = sorted((a for a in anchors if block[a][3] != speaker), key=lambda a: abs(a - near))
    return block[others[0]][3] if others else None
