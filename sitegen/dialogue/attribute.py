"""Speakers: who says each quote, with a confidence from 0 to 1.

Sieves, strongest first, for each paragraph's quotes:
1. an override marker (1.0);
2. an explicit tag next to the quote, "said Alice" / "she replied" /
   `Sakura told him, "..."`, its pronoun resolved to the most recently
   mentioned character it fits (0.95 for a name, 0.8 for a pronoun);
3. the previous quote's speaker in the same paragraph, unless a sentence of
   action by someone else comes between (0.8), or a beat: a character who is
   the subject of the narration next to the quote (0.7);
4. a speech running over several paragraphs keeps its speaker;
5. turn-taking across untagged paragraphs: the character the previous line
   addressed by name, else the speaker before the previous one (0.55);
6. a guess: the most salient other character (0.3), or unknown.
A character the quote addresses by name (a vocative) is never its speaker.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from .marks import Span
from .names import Mention, NameIndex, mentions_between
from .tags import (PRONOUNS, Tag, beat_subjects, gender_of_phrase, lead_subject, sentence_bounds, tag_after, tag_before,
                   vocative_spans)

_SENTENCE = re.compile(r"[.!?]['\"\u2019\u201d)]*\s+|\n[ \t]*\n")

NAME_TAG, PRONOUN_TAG, CARRY, BEAT, ANSWER, TURN, GUESS = 0.95, 0.8, 0.8, 0.7, 0.6, 0.55, 0.3


@dataclass
class Context:
    """What the walk through the text remembers: salience and turns."""
    text: str
    index: NameIndex
    mentions: list[Mention]
    starts: list[int]
    recent: list[str] = field(default_factory=list)      # most recently mentioned first
    turns: list[str] = field(default_factory=list)       # speakers of past speech, de-duplicated
    turn_paragraphs: list[int] = field(default_factory=list)  # where each of those last spoke
    addressed: tuple[str, ...] = ()                      # whom the last speech addressed
    last_paragraph: int = -10
    fed: int = 0                                         # mentions already made salient
    vocatives: dict[int, tuple[str, ...]] = field(default_factory=dict)  # quote start -> addressees
    sentences: list[int] = field(default_factory=list)   # offsets where sentences start


def attribute(text: str, paragraphs, spans: list[Span], kinds: list[str], index: NameIndex,
              mentions: list[Mention], overrides: dict[int, str | None]) -> list[tuple[str | None, float]]:
    """(speaker, confidence) for every span, in order."""
    narration = _outside_quotes(mentions, spans)
    ctx = Context(text, index, narration, [m.start for m in narration],
                  sentences=[m.end() for m in _SENTENCE.finditer(text)])
    result: list[tuple[str | None, float]] = []
    i = 0
    while i < len(spans):
        j = i
        while j < len(spans) and spans[j].paragraph == spans[i].paragraph:
            j += 1
        p = spans[i].paragraph
        _feed(ctx, paragraphs[p][0])
        carried = result[-1] if i and spans[i - 1].continues and spans[i].start == paragraphs[p][0] else None
        lead_in = _lead_in(text, paragraphs, spans, i)
        result.extend(_paragraph(ctx, paragraphs[p], spans[i:j], kinds[i:j], carried, lead_in,
                                 {k - i: v for k, v in overrides.items() if i <= k < j}))
        _feed(ctx, paragraphs[p][1])
        _remember(ctx, p, spans[i:j], kinds[i:j], result[i:j])
        i = j
    result = _answerers(ctx, spans, kinds, result)
    return _alternate(ctx, spans, kinds, result)


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


def _lead_in(text: str, paragraphs, spans: list[Span], i: int) -> tuple[int, int, bool] | None:
    """The narration ending the previous paragraph, when this paragraph opens with a quote:
    (start, end, True) when it leads into the quote (`Emma exclaimed,` / `said:`),
    (start, end, False) when it is a paragraph of narration only (an action beat)."""
    p = spans[i].paragraph
    if p == 0 or spans[i].start != paragraphs[p][0]:
        return None
    a, b = paragraphs[p - 1]
    quoted = bool(i) and spans[i - 1].paragraph == p - 1
    if quoted:
        a = spans[i - 1].end
    tail = text[a:b].rstrip()
    if len(tail) < 3:
        return None
    if tail[-1] in ",:-\u2014\u2013":
        return (a, a + len(tail), True)
    return None if quoted else (a, a + len(tail), False)


def _outside_quotes(mentions: list[Mention], spans: list[Span]) -> list[Mention]:
    """Mentions in narration (not inside any quote)."""
    out, k = [], 0
    for m in mentions:
        while k < len(spans) and spans[k].end <= m.start:
            k += 1
        if k < len(spans) and spans[k].start <= m.start < spans[k].end:
            continue
        out.append(m)
    return out


def _feed(ctx: Context, upto: int) -> None:
    """Make the narration mentions before `upto` the most salient."""
    while ctx.fed < len(ctx.mentions) and ctx.mentions[ctx.fed].start < upto:
        _touch(ctx, _pick(ctx, ctx.mentions[ctx.fed].ids))
        ctx.fed += 1


def _touch(ctx: Context, cid: str | None) -> None:
    if cid:
        if cid in ctx.recent:
            ctx.recent.remove(cid)
        ctx.recent.insert(0, cid)
        del ctx.recent[16:]


def _pick(ctx: Context, ids: tuple[str, ...]) -> str:
    """Of the characters a name may mean, the most recently mentioned."""
    if len(ids) > 1:
        for cid in ctx.recent:
            if cid in ids:
                return cid
    return ids[0]


def _remember(ctx: Context, p: int, spans, kinds, found) -> None:
    """After a paragraph: its speakers join the turns, the last speech's addressees are kept."""
    for span, kind, (speaker, _) in zip(spans, kinds, found):
        if speaker:
            _touch(ctx, speaker)
    speech = [s for s, k in zip(spans, kinds) if k == "speech"]
    if speech:
        ctx.addressed = _addressees(ctx, speech[-1])
        ctx.last_paragraph = p


def _addressees(ctx: Context, span: Span) -> tuple[str, ...]:
    """Characters a quote addresses by name."""
    if span.start in ctx.vocatives:
        return ctx.vocatives[span.start]
    out = []
    for a, b in vocative_spans(ctx.text, span.start, span.end):
        for m in _mentions_in(ctx, a, b)[:1]:
            if m.start == a:
                out.append(_pick(ctx, m.ids))
    ctx.vocatives[span.start] = tuple(out)
    return ctx.vocatives[span.start]


def _mentions_in(ctx: Context, a: int, b: int) -> list[Mention]:
    """All mentions (narration or not) in [a, b): looked up afresh, quotes are excluded above."""
    from .names import find_mentions
    return [Mention(m.start + a, m.end + a, m.ids, m.possessive)
            for m in find_mentions(ctx.index, ctx.text[a:b])]


def _paragraph(ctx: Context, bounds, spans: list[Span], kinds: list[str], carried, lead_in,
               overrides: dict[int, str | None]) -> list[tuple[str | None, float]]:
    """Speakers of one paragraph's quotes."""
    ps, pe = bounds
    n = len(spans)
    out: list[tuple[str | None, float] | None] = [None] * n
    avoid = [_addressees(ctx, s) for s in spans]
    for k, span in enumerate(spans):
        after = (span.end, spans[k + 1].start if k + 1 < n else pe)
        before = (spans[k - 1].end if k else ps, span.start)
        if k in overrides:
            out[k] = (overrides[k], 1.0)
        elif k == 0 and carried is not None:
            out[k] = carried
        else:
            tag = tag_after(ctx.text, *after) or tag_before(ctx.text, *before)
            if tag is None and k == 0 and lead_in:
                tag = tag_before(ctx.text, *lead_in[:2])
                if tag is None:
                    out[k] = _beat(ctx, *lead_in[:2], last=True, conf=BEAT if lead_in[2] else TURN)
                    if out[k] and out[k][0] in avoid[k]:
                        out[k] = None
            if tag is not None:
                fresh = (k == 0 and kinds[k] == "speech" and span.start == ps
                         and ctx.last_paragraph == span.paragraph - 1)
                out[k] = _from_tag(ctx, tag, avoid[k], first=fresh)
        if out[k] and out[k][0]:
            _touch(ctx, out[k][0])
    for k in range(n):
        if k not in overrides and (out[k] is None or out[k][0] is None):
            out[k] = _untagged(ctx, bounds, spans, kinds, out, avoid, k) or out[k] or (None, 0.0)
            if out[k][0]:
                _touch(ctx, out[k][0])
        if kinds[k] == "speech" and out[k][0]:
            _take_turn(ctx, out[k][0], spans[k].paragraph)
    return out


def _take_turn(ctx: Context, speaker: str, paragraph: int) -> None:
    """Record who spoke last (consecutive lines by one speaker count once)."""
    if not ctx.turns or ctx.turns[-1] != speaker:
        ctx.turns.append(speaker)
        ctx.turn_paragraphs.append(paragraph)
        del ctx.turns[:-6], ctx.turn_paragraphs[:-6]
    else:
        ctx.turn_paragraphs[-1] = paragraph


def _from_tag(ctx: Context, tag: Tag, avoid, first: bool) -> tuple[str | None, float]:
    """The character a tag's subject names, or whom its pronoun refers to."""
    _feed(ctx, tag.start)
    pronoun = PRONOUNS.get(tag.subject)
    if pronoun:
        last = ctx.turns[-1] if first and ctx.turns else None
        cid = _by_pronoun(ctx, pronoun, avoid, last, tag.start)
        return (cid, PRONOUN_TAG if cid else 0.0)
    found = mentions_between(ctx.mentions, ctx.starts, tag.start, tag.end)
    if found:
        return (_pick(ctx, found[0].ids), NAME_TAG)
    gender = gender_of_phrase(tag.subject)
    if gender:                                  # "his wife", "the old gentleman": someone else
        last = ctx.turns[-1] if ctx.turns else None
        cid = _by_pronoun(ctx, gender, (*avoid, last), None, tag.start)
        return (cid, TURN) if cid else (None, 0.0)
    return (None, 0.0)


def _by_pronoun(ctx: Context, pronoun: str, avoid, last: str | None, pos: int) -> str | None:
    """Whom a pronoun at `pos` means: a fitting character in the latest sentences
    (leftmost first: subjects before objects), else a recent speaker, else the
    most salient; `last` (the previous speaker) yields to another speaker."""
    if pronoun == "i":
        return ctx.index.narrator
    if pronoun not in ("he", "she"):
        return None
    fits = [c for c in _nearby(ctx, pos, pronoun) if ctx.index.pronouns.get(c) == pronoun and c not in avoid]
    talkers = [c for c in reversed(ctx.turns) if ctx.index.pronouns.get(c) == pronoun and c not in avoid]
    fits += talkers
    fits += [c for c in ctx.recent if ctx.index.pronouns.get(c) == pronoun and c not in avoid]
    if not fits:
        fits = [c for c in ctx.recent if ctx.index.pronouns.get(c) == "they" and c not in avoid]
    if not fits:                                 # the only character the pronoun fits
        fits = [c for c, p in ctx.index.pronouns.items() if p == pronoun and c not in avoid][:2]
        fits = fits[:1] if len(fits) == 1 else []
    if fits and fits[0] == last:
        other = next((c for c in talkers if c != last), None)
        if other:
            return other
    return fits[0] if fits else None


def _nearby(ctx: Context, pos: int, pronoun: str = "", reach: int = 800, most: int = 3) -> list[str]:
    """Characters named in the narration before `pos`: latest sentence first, left to
    right. A sentence whose subject is the same pronoun ("She picked up Anne's
    clothes") continues the earlier focus, so its names come after the earlier ones."""
    out: list[str] = []
    later: list[str] = []
    k = bisect.bisect_left(ctx.starts, pos) - 1
    group: list[Mention] = []
    current, seen = None, 0
    while k >= 0 and pos - ctx.mentions[k].start < reach:
        m = ctx.mentions[k]
        k -= 1
        sid = bisect.bisect_right(ctx.sentences, m.start)
        if sid != current:
            _flush(ctx, group, current, pronoun, out, later)
            group, current, seen = [], sid, seen + 1
            if seen > most:
                break
        group.append(m)
    if seen <= most:
        _flush(ctx, group, current, pronoun, out, later)
    return out + later


def _flush(ctx: Context, group: list[Mention], sid, pronoun: str, out: list[str], later: list[str]) -> None:
    """Add one sentence's names (given last to first) to the candidates."""
    if not group:
        return
    names = [_pick(ctx, g.ids) for g in reversed(group)]
    start = ctx.sentences[sid - 1] if sid else 0
    lead = _PRONOUN_LEAD.match(ctx.text, start)
    if lead and PRONOUNS.get(lead.group(1)) == pronoun and group[-1].start > lead.end():
        later.extend(names)
    else:
        out.extend(names)


_PRONOUN_LEAD = re.compile(r"[\W_]*(?:\w+\s+){0,2}?(She|He|she|he)\b")


def _untagged(ctx: Context, bounds, spans, kinds, out, avoid, k) -> tuple[str | None, float] | None:
    """Speaker of a quote with no tag: beat, carry-over, or turn-taking."""
    ps, pe = bounds
    n = len(spans)
    before = (spans[k - 1].end if k else ps, spans[k].start)
    after = (spans[k].end, spans[k + 1].start if k + 1 < n else pe)
    options = [lambda: _lead(ctx, *after), lambda: _beat(ctx, *before, last=True, conf=BEAT)]
    if k and out[k - 1] and out[k - 1][0]:
        options.append(lambda: (out[k - 1][0], min(out[k - 1][1], CARRY)))
    if k + 1 == n:
        options.append(lambda: _beat(ctx, *after, last=False, conf=BEAT * 0.9))
    later = [o for o in out[k + 1:] if o and o[0]]
    if later:
        options.append(lambda: (later[0][0], min(later[0][1], CARRY) * 0.9))
    options.append(lambda: _turn(ctx, spans[k].paragraph, kinds[k]))
    for option in options:
        found = option()
        if found and found[0] and found[0] not in avoid[k]:
            return found
    return None


def _lead(ctx: Context, a: int, b: int) -> tuple[str | None, float] | None:
    """The subject named right after the quote, whatever its verb."""
    found = lead_subject(ctx.text, a, b)
    if not found:
        return None
    pronoun = PRONOUNS.get(found[2])
    if pronoun:
        cid = _by_pronoun(ctx, pronoun, (), None, found[0])
        return (cid, BEAT) if cid else None
    names = mentions_between(ctx.mentions, ctx.starts, found[0], found[1])
    return (_pick(ctx, names[0].ids), BEAT) if names else None


def _beat(ctx: Context, a: int, b: int, last: bool, conf: float) -> tuple[str | None, float] | None:
    """The subject of the narration sentence next to a quote (a name or a pronoun)."""
    if b - a < 3:
        return None
    s, e = sentence_bounds(ctx.text, a, b, last)
    names = [m for m in mentions_between(ctx.mentions, ctx.starts, s, e) if not m.possessive]
    pronouns = beat_subjects(ctx.text, s, e, last)
    if names and (not pronouns or names[0].start < pronouns[0][0]):
        return (_pick(ctx, names[0].ids), conf)
    if pronouns:
        _feed(ctx, pronouns[0][0])
        cid = _by_pronoun(ctx, PRONOUNS[pronouns[0][2]], (), None, pronouns[0][0])
        return (cid, conf * 0.9) if cid else None
    return None


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


def _alternate(ctx: Context, spans, kinds, result):
    """Re-decide untagged lines of an exchange by parity from the nearest anchored line
    (before or after): in a two-person exchange, lines an even number of turns
    apart share a speaker, lines an odd number apart belong to the other person."""
    units = _speech_units(spans, kinds, result)
    out = list(result)
    for block in _blocks(units):
        anchors = [i for i, u in enumerate(block) if u[2] >= ANSWER]
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
        if block and u[0] - block[-1][0] > 2:
            yield block
            block = []
        block.append(u)
    if block:
        yield block


def _by_parity(block, anchors, i) -> str | None:
    """The speaker of unit i by parity from the last anchor before it (else the first after),
    the other party being the anchored speaker nearest that anchor who differs."""
    before = [a for a in anchors if a < i]
    after = [a for a in anchors if a > i]
    near = before[-1] if before else after[0]
    speaker = block[near][3]
    if abs(near - i) % 2 == 0:
        return speaker
    others = sorted((a for a in anchors if block[a][3] != speaker), key=lambda a: abs(a - near))
    return block[others[0]][3] if others else None
