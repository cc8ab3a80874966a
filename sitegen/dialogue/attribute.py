"""Speakers: who says each quote, with a confidence from 0 to 1.

Sieves, strongest first, for each paragraph's quotes:
1. an override marker (1.0);
2. an explicit tag next to the quote, "said Alice" / "she replied" /
   `Sakura told him, "..."` (0.95 for a name, 0.8 for a pronoun). A pronoun
   in a reply means whom the previous line addressed by name, if it fits,
   else the most recently mentioned character it fits; "the latter" / "the
   former" mean the last / the one before named in the narration. Narration
   like `, and Bo said, ` between two quotes tags the second one;
3. the previous quote's speaker in the same paragraph, unless a sentence of
   action by someone else comes between (0.8), or a beat: a character who is
   the subject of the narration next to the quote (0.7);
4. a speech running over several paragraphs keeps its speaker;
5. turn-taking across untagged paragraphs (turns.py): the character the
   previous line addressed by name (0.6), else by parity from the nearest
   line with a tag in the same exchange (0.55), else the most salient
   character other than the last speaker;
6. a guess: the most salient other character (0.3), or unknown.
Pronouns and salience are in salience.py; a chapter heading starts salience afresh.
A character the quote addresses by name (a vocative) is never its speaker, and
turn-taking never picks one the line names at all.
"""
from __future__ import annotations

import bisect
import re

from ..text.markers import heading_title
from .languages import language
from .marks import Span
from ..text.names import Mention, NameIndex, mentions_between
from .salience import (BEAT, CARRY, NAME_TAG, PRONOUN_TAG, TURN, Context, _OBJECT_BEFORE, _addressees,
                       _by_pronoun, _feed, _named_in, _pick, _touch)
from .tags import (PRONOUNS, Tag, beat_subjects, gender_of_phrase, lead_subject, sentence_bounds, tag_after,
                   tag_before)
from .turns import _alternate, _answerers, _take_turn, _turn

_SENTENCE = re.compile(r"[.!?]['\"\u2019\u201d)]*\s+|\n[ \t]*\n")


def attribute(text: str, paragraphs, spans: list[Span], kinds: list[str], index: NameIndex,
              mentions: list[Mention], overrides: dict[int, str | None], lang: str = "en"
              ) -> list[tuple[str | None, float]]:
    """(speaker, confidence) for every span, in order (`lang`: the table for tags and pronouns)."""
    narration = _outside_quotes(mentions, spans)
    outside = set(map(id, narration))
    quoted = [m for m in mentions if id(m) not in outside]
    ctx = Context(text, index, narration, [m.start for m in narration],
                  sentences=[m.end() for m in _SENTENCE.finditer(text)],
                  quoted=quoted, quoted_starts=[m.start for m in quoted], lang=lang,
                  pronoun_words=language(lang).pronouns)
    result: list[tuple[str | None, float]] = []
    headings = _heading_starts(text)
    h = 0
    i = 0
    while i < len(spans):
        j = i
        while j < len(spans) and spans[j].paragraph == spans[i].paragraph:
            j += 1
        p = spans[i].paragraph
        while h < len(headings) and headings[h] < paragraphs[p][0]:
            _feed(ctx, headings[h])
            _new_chapter(ctx)
            h += 1
        _feed(ctx, paragraphs[p][0])
        carried = result[-1] if i and spans[i].start == paragraphs[p][0] and (
            spans[i - 1].continues or _resumes(text, spans[i])) else None
        lead_in = _lead_in(text, paragraphs, spans, i)
        result.extend(_paragraph(ctx, paragraphs[p], spans[i:j], kinds[i:j], carried, lead_in,
                                 {k - i: v for k, v in overrides.items() if i <= k < j}))
        _feed(ctx, paragraphs[p][1])
        _remember(ctx, p, spans[i:j], kinds[i:j], result[i:j])
        i = j
    result = _answerers(ctx, spans, kinds, result)
    return _alternate(ctx, spans, kinds, result)


def _heading_starts(text: str) -> list[int]:
    """Where chapter headings stand: short blocks between blank lines that read as one
    (markers.heading_title, the same test the chapter pages use)."""
    out, pos = [], 0
    for block in text.split("\n\n"):
        if len(block) < 120 and block.strip() and heading_title(block):
            out.append(pos + len(block) - len(block.lstrip()))
        pos += len(block) + 2
    return out


def _new_chapter(ctx: Context) -> None:
    """A chapter heading: the scene changes, so who was mentioned, who spoke and who was
    addressed is forgotten."""
    ctx.turns.clear()
    ctx.addressed = ()
    ctx.recent.clear()


def _resumes(text: str, span: Span) -> bool:
    """A quote with no opening mark at its paragraph's start: the speech before it resumes
    (after a quoted verse or letter set off on its own lines)."""
    return span.broken and text[span.start] not in "\"'\u201c\u2018"


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


def _remember(ctx: Context, p: int, spans, kinds, found) -> None:
    """After a paragraph: its speakers join the turns, whom its speech addressed is kept."""
    for span, kind, (speaker, _) in zip(spans, kinds, found):
        if speaker:
            _touch(ctx, speaker)
    speech = [s for s, k in zip(spans, kinds) if k == "speech"]
    if speech:
        ctx.addressed = tuple(dict.fromkeys(c for s in reversed(speech) for c in _addressees(ctx, s)))
        ctx.last_paragraph = p


def _paragraph(ctx: Context, bounds, spans: list[Span], kinds: list[str], carried, lead_in,
               overrides: dict[int, str | None]) -> list[tuple[str | None, float]]:
    """Speakers of one paragraph's quotes."""
    ps, pe = bounds
    n = len(spans)
    out: list[tuple[str | None, float] | None] = [None] * n
    avoid = [_addressees(ctx, s) for s in spans]
    used: list[Tag | None] = [None] * n
    for k, span in enumerate(spans):
        after = (span.end, spans[k + 1].start if k + 1 < n else pe)
        before = (spans[k - 1].end if k else ps, span.start)
        if k and _new_line_turn(ctx.text, ps, span.start):
            before = (span.start, span.start)    # "\n— ..." inside one « »: the next speaker's line
            avoid[k] = (*avoid[k], *(out[k - 1][:1] if out[k - 1] else ()))
        if k in overrides:
            out[k] = (overrides[k], 1.0)
        elif k == 0 and carried is not None:
            out[k] = carried
        else:
            tag = (None if k + 1 < n and _leads_on(ctx.text, *after) else tag_after(ctx.text, *after, ctx.lang)) \
                or tag_before(ctx.text, *before, ctx.lang)
            if tag is None and k == 0 and lead_in:
                tag = tag_before(ctx.text, *lead_in[:2], ctx.lang)
                if tag is None:
                    out[k] = _beat(ctx, *lead_in[:2], last=True, conf=BEAT if lead_in[2] else TURN)
                    if out[k] and out[k][0] in avoid[k]:
                        out[k] = None
            used[k] = tag
            if tag is not None and k and _same_tag(used[k - 1], tag) and out[k - 1] and out[k - 1][0]:
                out[k] = out[k - 1]             # "...," he replied, "...": one tag for both halves
            elif tag is not None:
                fresh = (k == 0 and kinds[k] == "speech" and span.start == ps
                         and ctx.last_paragraph == span.paragraph - 1)
                out[k] = _from_tag(ctx, tag, avoid[k], first=fresh)
        if out[k] and out[k][0]:
            _touch(ctx, out[k][0])
    later = _next_named(out)
    for k in range(n):
        if k not in overrides and (out[k] is None or out[k][0] is None):
            out[k] = _untagged(ctx, bounds, spans, kinds, out, avoid, k, later[k]) or out[k] or (None, 0.0)
            if out[k][0]:
                _touch(ctx, out[k][0])
        if kinds[k] == "speech" and out[k][0]:
            _take_turn(ctx, out[k][0], spans[k].paragraph)
    return out


def _new_line_turn(text: str, ps: int, start: int) -> bool:
    """A quote opening a line with a dash in the middle of a paragraph: a new speaker's turn
    (French « » exchanges written line by line)."""
    return start > ps and text[start] in "\u2014\u2013" and text[ps:start].rstrip(" \t")[-1:] == "\n"


def _same_tag(a: Tag | None, b: Tag) -> bool:
    """The same tag found twice: after one quote and before the next."""
    return a is not None and a.start == b.start and a.end == b.end


_AND_THEN = re.compile(r"[\s,;\u2014\u2013-]*(?:and|then|and\s+then)\s", re.I)


def _leads_on(text: str, a: int, b: int) -> bool:
    """Narration between two quotes that starts "and ..." and ends in a comma or colon
    (`"...," and Bo said, "..."`) tags the next quote, not the one before."""
    return bool(_AND_THEN.match(text, a, b)) and text[a:b].rstrip()[-1:] in (",", ":")


def _answering(ctx: Context, pronoun: str, avoid, last: str | None) -> str | None:
    """In a reply, "he said" means the one the previous line addressed by name, if the pronoun fits."""
    return next((c for c in ctx.addressed
                 if c != last and c not in avoid and ctx.index.pronouns.get(c) == pronoun), None)


def _from_tag(ctx: Context, tag: Tag, avoid, first: bool) -> tuple[str | None, float]:
    """The character a tag's subject names, or whom its pronoun refers to."""
    _feed(ctx, tag.start)
    pronoun = ctx.pronoun_words.get(tag.subject)
    if pronoun:
        last = ctx.turns[-1] if first and ctx.turns else None
        cid = (_answering(ctx, pronoun, avoid, last) if first else None) \
            or _by_pronoun(ctx, pronoun, avoid, last, tag.start)
        return (cid, PRONOUN_TAG if cid else 0.0)
    found = mentions_between(ctx.mentions, ctx.starts, tag.start, tag.end) or \
        (_named_next(ctx, tag) if ctx.lang == "en" else [])
    if found:
        return (_pick(ctx, found[0].ids), NAME_TAG)
    which = _LATTER_FORMER.get(tag.subject.lower())
    if which is not None:                       # "said the latter": the last named, or the one before
        cid = _named_before(ctx, tag.start, which)
        return (cid, PRONOUN_TAG) if cid else (None, 0.0)
    gender = gender_of_phrase(tag.subject, ctx.lang)
    if gender:                                  # "his wife", "the old gentleman": someone else
        last = ctx.turns[-1] if ctx.turns else None
        cid = (_answering(ctx, gender, avoid, last) if first else None) or _spouse_of(ctx, tag, gender, avoid) \
            or _by_pronoun(ctx, gender, (*avoid, last), None, tag.start)
        return (cid, TURN) if cid else (None, 0.0)
    return (None, 0.0)


_SPOUSES = {"wife": ("he", "Mr", "Mrs"), "lady": ("he", "Mr", "Mrs"), "husband": ("she", "Mrs", "Mr")}


def _spouse_of(ctx: Context, tag: Tag, gender: str, avoid) -> str | None:
    """"his wife" / "her husband": Mrs. X of the Mr. X the possessive means (or the reverse)."""
    words = tag.subject.lower().split()
    spouse = _SPOUSES.get(words[-1]) if len(words) == 2 and words[0] in ("his", "her") else None
    if not spouse or PRONOUNS[words[0]] != spouse[0]:
        return None
    owner = _by_pronoun(ctx, spouse[0], avoid, None, tag.start)
    for form, ids in ctx.index.table.items():
        if owner in ids and len(ids) == 1 and form.split()[0].rstrip(".") == spouse[1]:
            surname = form.split(None, 1)[1:]
            for title in (spouse[2] + ".", spouse[2]):
                found = ctx.index.table.get(" ".join([title, *surname]), ())
                if len(found) == 1 and found[0] != owner and found[0] not in avoid:
                    return found[0]
    return None


_PLAIN_WORDS = re.compile(r"[\w' -]*")


def _named_next(ctx: Context, tag: Tag) -> list[Mention]:
    """A name right after a described subject: "cried the good-hearted Mrs. Ana Reyes"."""
    found = mentions_between(ctx.mentions, ctx.starts, tag.end, tag.end + 30)[:1]
    gap = ctx.text[tag.end:found[0].start] if found else ""
    if found and _PLAIN_WORDS.fullmatch(gap) and not _LINKS.intersection(gap.split()):
        return found
    return []


_LINKS = frozenset("to at with of for from on in and as by into upon towards".split())


_LATTER_FORMER = {"the latter": 0, "the former": 1}


def _named_before(ctx: Context, pos: int, skip: int, reach: int = 600) -> str | None:
    """The character last named in the narration before `pos` (skip=0), or the
    different one named before that (skip=1)."""
    seen: list[str] = []
    k = bisect.bisect_left(ctx.starts, pos) - 1
    while k >= 0 and pos - ctx.mentions[k].start < reach and len(seen) <= skip:
        cid = _pick(ctx, ctx.mentions[k].ids)
        if cid not in seen:
            seen.append(cid)
        k -= 1
    return seen[skip] if len(seen) > skip else None


def _next_named(out: list) -> list:
    """For each quote, the first later one with a speaker (one pass from the end, not a rescan per quote)."""
    nxt: list = [None] * len(out)
    found = None
    for k in range(len(out) - 1, -1, -1):
        nxt[k] = found
        if out[k] and out[k][0]:
            found = out[k]
    return nxt


def _untagged(ctx: Context, bounds, spans, kinds, out, avoid, k, later) -> tuple[str | None, float] | None:
    """Speaker of a quote with no tag: beat, carry-over, turn-taking; `later` is the next quote with a speaker."""
    ps, pe = bounds
    n = len(spans)
    before = (spans[k - 1].end if k else ps, spans[k].start)
    after = (spans[k].end, spans[k + 1].start if k + 1 < n else pe)
    speaking = out[k - 1][0] if k and out[k - 1] else None
    options = [lambda: _lead(ctx, *after), lambda: _beat(ctx, *before, last=True, conf=BEAT, speaking=speaking)]
    if k and out[k - 1] and out[k - 1][0]:
        options.append(lambda: (out[k - 1][0], min(out[k - 1][1], CARRY)))
    if k + 1 == n:
        options.append(lambda: _beat(ctx, *after, last=False, conf=BEAT * 0.9))
    if later:
        options.append(lambda: (later[0], min(later[1], CARRY) * 0.9))
    options.append(lambda: _turn(ctx, spans[k].paragraph, kinds[k], (*avoid[k], *_named_in(ctx, spans[k]))))
    for option in options:
        found = option()
        if found and found[0] and found[0] not in avoid[k]:
            return found
    return None


def _lead(ctx: Context, a: int, b: int) -> tuple[str | None, float] | None:
    """The subject named right after the quote, whatever its verb."""
    found = lead_subject(ctx.text, a, b, ctx.lang)
    if not found:
        return None
    pronoun = ctx.pronoun_words.get(found[2])
    if pronoun:
        cid = _by_pronoun(ctx, pronoun, (), None, found[0])
        return (cid, BEAT) if cid else None
    names = mentions_between(ctx.mentions, ctx.starts, found[0], found[1])
    return (_pick(ctx, names[0].ids), BEAT) if names else None


_GERUND = re.compile(r"s?\s+(?:\w+ly\s+)?\w+ing\b")     # "Mr. Woodhouse's giving a sigh": a subject


def _beat(ctx: Context, a: int, b: int, last: bool, conf: float, speaking: str | None = None
          ) -> tuple[str | None, float] | None:
    """The subject of the narration sentence next to a quote (a name or a pronoun)."""
    if b - a < 3:
        return None
    s, e = sentence_bounds(ctx.text, a, b, last)
    heard = _HEARD.search(ctx.text, s, e) if last else None
    if heard:
        return _heard(ctx, s, heard, e, conf)
    names = [m for m in mentions_between(ctx.mentions, ctx.starts, s, e)
             if (not m.possessive or _GERUND.match(ctx.text, m.end + 2))
             and not _OBJECT_BEFORE.search(ctx.text, max(s, m.start - 12), m.start)]   # "turning to Charlotte"
    pronouns = beat_subjects(ctx.text, s, e, last, ctx.lang)
    if names and (not pronouns or names[0].start < pronouns[0][0]):
        return (_pick(ctx, names[0].ids), conf)
    if pronouns:
        _feed(ctx, pronouns[0][0])
        pronoun = ctx.pronoun_words[pronouns[0][2]]
        cid = _still_speaking(ctx, speaking, a, pronouns[0][0], pronoun) \
            or _by_pronoun(ctx, pronoun, (), None, pronouns[0][0])
        return (cid, conf * 0.9) if cid else None
    return None


_HEARD = re.compile(r"\b(?:hear|heard|hearing|overheard|overhear)\s+(?P<who>[^.!?;]{0,60}?)\s*\b"
                    r"(?:say|saying|said|mutter|muttering|exclaim|exclaiming|cry|crying|remark|remarking|"
                    r"add|adding|whisper|whispering|call|calling)\b[^.!?;]{0,80}$")


def _heard(ctx: Context, s: int, heard: re.Match, e: int, conf: float) -> tuple[str | None, float] | None:
    """"she heard it say," / "heard Miss Bates saying,": the one heard speaks, not the hearer."""
    hearers = {_pick(ctx, m.ids) for m in mentions_between(ctx.mentions, ctx.starts, s, heard.start())}
    named = mentions_between(ctx.mentions, ctx.starts, heard.start("who"), heard.end("who"))
    if named:
        return (_pick(ctx, named[0].ids), conf)
    word = heard.group("who").split()[:1]
    pronoun = {"him": "he", "her": "she"}.get(word[0] if word else "")
    if pronoun:
        cid = _by_pronoun(ctx, pronoun, tuple(hearers), None, heard.start("who"))
        return (cid, conf * 0.9) if cid else None
    return None


def _still_speaking(ctx: Context, last: str | None, a: int, pos: int, pronoun: str) -> str | None:
    """"he sat smiling" in narration right after his line in the paragraph, with no other
    fitting name between: the one who just spoke."""
    if not last or ctx.index.pronouns.get(last) != pronoun:
        return None
    between = mentions_between(ctx.mentions, ctx.starts, a, pos)
    if any(ctx.index.pronouns.get(_pick(ctx, m.ids)) == pronoun for m in between):
        return None
    return last
