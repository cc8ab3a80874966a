"""Speakers: the walk through a text that runs the ordered rules (rules.py) on every quote.

Paragraph by paragraph, in reading order: a chapter heading starts salience afresh
(salience.py keeps who was mentioned, who spoke, whom the last line addressed); each
quote's Line is built (its tag, its neighbours' votes, whom it addresses) and the anchor
rules, then the fallback rules, give its Vote; after the walk, the passes over whole
exchanges (turns.py: answerers, parity) may re-decide weak votes. Every vote records the
rule that cast it. A character the quote addresses by name (a vocative) is never its
speaker, and turn-taking never picks one the line names at all.
"""
from __future__ import annotations

from ..text.markers import heading_title
from .around import Around
from .languages import language
from .marks import Span
from ..text.names import Mention, NameIndex
from ..text.sentences import sentence_starts
from .rules import ANCHORS, FALLBACKS, Line, first_vote, silent_one
from .salience import NONE, Context, Vote, _address, _feed, _take_turn, _touch, new_chapter, remember, role_words
from .tags import Tag, announcing, tag_after, tag_before
from .turns import _alternate, _answerers

def attribute(text: str, paragraphs, spans: list[Span], kinds: list[str], index: NameIndex,
              narration: list[Mention], quoted: list[Mention], around: list[Around],
              overrides: dict[int, str | None], lang: str = "en") -> list[Vote]:
    """A vote (speaker, confidence, rule) for every span, in order. `narration` and `quoted`: the
    mentions outside and inside quotes (around.split_mentions); `around`: what the narration around
    each span says (around.read_around); `lang`: the table for tags and pronouns."""
    ctx = walk_context(text, index, narration, quoted, lang)
    return after_walk(ctx, spans, kinds, walk(ctx, paragraphs, spans, kinds, around, overrides,
                                               heading_starts(text), 0, len(spans)))


def walk_context(text: str, index: NameIndex, narration: list[Mention], quoted: list[Mention],
                 lang: str = "en") -> Context:
    """The walk's Context at the text's start."""
    # Salience groups names by sentence, and here a title's stop starts one ("Mr. | Knightley"):
    # measured with bench/quotes_bench.py, the true sentences (ABBREVIATIONS) cost Emma 0.8035 ->
    # 0.7916 and Pride and Prejudice 0.7756 -> 0.7717 (cast speaker accuracy).
    return Context(text, index, narration, [m.start for m in narration],
                   sentences=sentence_starts(text, blank_lines=True, abbreviations=frozenset()),
                   quoted=quoted, quoted_starts=[m.start for m in quoted], lang=lang,
                   pronoun_words=language(lang).pronouns, roles=role_words(index))


def walk(ctx: Context, paragraphs, spans: list[Span], kinds: list[str], around: list[Around],
         overrides: dict[int, str | None], headings: list[int], lo: int, hi: int, h: int = 0) -> list[Vote]:
    """The rules' votes for spans[lo:hi] (`around`: those spans' findings), paragraph by paragraph,
    from `ctx` as the walk left it before spans[lo] (`h`: the headings it has passed; a chapter
    heading starts salience afresh). `lo` starts a paragraph and `hi` ends one."""
    result: list[Vote] = []
    i = lo
    while i < hi:
        j = i
        while j < hi and spans[j].paragraph == spans[i].paragraph:
            j += 1
        p = spans[i].paragraph
        while h < len(headings) and headings[h] < paragraphs[p][0]:
            _feed(ctx, headings[h])
            new_chapter(ctx)
            h += 1
        _feed(ctx, paragraphs[p][0])
        carried = result[-1] if i > lo and carries(ctx.text, paragraphs, spans, i) else None
        lead_in = _lead_in(ctx.text, paragraphs, spans, i, ctx.lang)
        result.extend(_paragraph(ctx, paragraphs[p], spans[i:j], kinds[i:j], around[i - lo:j - lo], carried, lead_in,
                                 {k - i: v for k, v in overrides.items() if i <= k < j}))
        _feed(ctx, paragraphs[p][1])
        remember(ctx, p, spans[i:j], kinds[i:j], result[i - lo:j - lo])
        i = j
    return result


def carries(text: str, paragraphs, spans: list[Span], i: int) -> bool:
    """Whether spans[i], the first quote of its paragraph, goes on with the vote of the quote before
    it (a speech running on over paragraphs, or resumed after a verse set off on its own lines)."""
    return spans[i].start == paragraphs[spans[i].paragraph][0] and (spans[i - 1].continues or
                                                                   _resumes(text, spans[i]))


def after_walk(ctx: Context, spans: list[Span], kinds: list[str], result: list[Vote]) -> list[Vote]:
    """The passes over whole exchanges (turns.py) after the walk."""
    result = _answerers(ctx, spans, kinds, result)
    return _alternate(ctx, spans, kinds, result)


def heading_starts(text: str) -> list[int]:
    """Where chapter headings stand: short blocks between blank lines that read as one
    (markers.heading_title, the same test the chapter pages use)."""
    out, pos = [], 0
    for block in text.split("\n\n"):
        if len(block) < 120 and block.strip() and heading_title(block):
            out.append(pos + len(block) - len(block.lstrip()))
        pos += len(block) + 2
    return out


def _resumes(text: str, span: Span) -> bool:
    """A quote with no opening mark at its paragraph's start: the speech before it resumes
    (after a quoted verse or letter set off on its own lines)."""
    return span.broken and text[span.start] not in "\"'\u201c\u2018"


def _lead_in(text: str, paragraphs, spans: list[Span], i: int, lang: str = "en") -> tuple[int, int, bool] | None:
    """The narration ending the previous paragraph, when this paragraph opens with a quote:
    (start, end, True) when it leads into the quote (`Emma exclaimed,` / `said:`, or after a
    quote of that paragraph `... and Mrs. Hurst began again.`),
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
    if quoted:          # after a line of speech, only narration that announces the next ("... Bo began again."),
        found = announcing(text, a, a + len(tail), lang)     # not that line's own tag ("..." said Bo.)
        own = tag_after(text, a, a + len(tail), lang)
        if found is None or own is not None and not sentence_starts(text, own.end, found.start):
            return None
        return (a, a + len(tail), True)
    return (a, a + len(tail), False)


def _paragraph(ctx: Context, bounds, spans: list[Span], kinds: list[str], around: list[Around],
               carried: Vote | None, lead_in, overrides: dict[int, str | None]) -> list[Vote]:
    """Votes for one paragraph's quotes: the anchor rules for each in turn, then the fallback
    rules for those no anchor settled (rules.py)."""
    n = len(spans)
    out: list[Vote | None] = [None] * n
    lines: list[Line] = []
    for k, span in enumerate(spans):
        line = _line(ctx, bounds, spans, kinds, around[k], k, out, lines, carried, lead_in, overrides)
        lines.append(line)
        out[k] = first_vote(ANCHORS, ctx, line)
        if out[k] and out[k].speaker:
            _touch(ctx, out[k].speaker)
    later = _next_named(out)
    for k in range(n):
        if k not in overrides and (out[k] is None or out[k].speaker is None):
            line = Line(*lines[k][:-2], out[k - 1] if k else None, later[k])     # previous, later
            out[k] = first_vote(FALLBACKS, ctx, line, check_avoid=True) or out[k] or NONE
            if out[k].speaker:
                _touch(ctx, out[k].speaker)
        if kinds[k] == "speech" and out[k].speaker:
            _take_turn(ctx, out[k].speaker, spans[k].paragraph)
    return out


def _line(ctx: Context, bounds, spans, kinds, found: Around, k: int, out, lines, carried, lead_in, overrides
          ) -> Line:
    """What the rules see of quote k of a paragraph (`found`: what the narration around it says), given
    the votes of the quotes before it."""
    ps, pe = bounds
    n = len(spans)
    span = spans[k]
    after = (span.end, spans[k + 1].start if k + 1 < n else pe)
    before = (spans[k - 1].end if k else ps, span.start)
    avoid = _address(ctx, span, found.vocatives)
    previous = out[k - 1] if k else None
    turn = k and _new_line_turn(ctx.text, ps, span.start)
    if turn:
        before = (span.start, span.start)    # "\n— ..." inside one « »: the next speaker's line
        avoid = (*avoid, *((previous.speaker,) if previous else ()))
    override = (overrides[k],) if k in overrides else None
    carried = carried if k == 0 else None
    lead_in = lead_in if k == 0 else None
    if override is not None:
        return Line(span, kinds[k], k, n, bounds, before, after, avoid, previous=previous,
                    override=override, carried=carried, lead_in=lead_in)
    own = None if found.leads_on else found.after
    if carried is not None and own is None:     # (a tag of its own may name another: rules.continued reads it)
        return Line(span, kinds[k], k, n, bounds, before, after, avoid, previous=previous,
                    carried=carried, lead_in=lead_in)
    interrupted = own is not None and not turn and found.interrupted
    ahead = found.before if (own is None or interrupted) and not turn else None
    tag = own or ahead
    runs_on = False
    if k and (own is None or interrupted) and _runs_on(ctx.text, lines[k - 1].tag, before, ahead):
        runs_on = ahead is None         # "A," Bo said, smiling. "B." (not "A," said Bo, "b.": both-halves)
        tag = lines[k - 1].tag
    quiet = silent_one(ctx, *lead_in[:2]) if tag is None and lead_in else None
    if quiet:                                # "He made no answer." before an untagged line: he is spoken to
        avoid = (*avoid, quiet)
    elif tag is None and lead_in:
        tag = tag_before(ctx.text, *lead_in[:2], ctx.lang) or announcing(ctx.text, *lead_in[:2], ctx.lang)
    same = tag is not None and k > 0 and _same_tag(lines[k - 1].tag, tag)
    fresh = (k == 0 and kinds[k] == "speech" and span.start == ps and ctx.last_paragraph == span.paragraph - 1)
    return Line(span, kinds[k], k, n, bounds, before, after, avoid, tag, same, runs_on, fresh, lead_in, override, carried,
                previous)


def _new_line_turn(text: str, ps: int, start: int) -> bool:
    """A quote opening a line with a dash in the middle of a paragraph: a new speaker's turn
    (French « » exchanges written line by line)."""
    return start > ps and text[start] in "\u2014\u2013" and text[ps:start].rstrip(" \t")[-1:] == "\n"


def _runs_on(text: str, prev: Tag | None, before: tuple[int, int], found: Tag | None) -> bool:
    """The narration between two quotes of a paragraph is the first one's tag and the rest of its sentence
    ("said Anne, in the tone of a martyr." / "said Pooh,"), with no other tag in it: the second quote
    goes on with the first one's speech."""
    a, b = before
    if prev is None or prev.kind != "tag" or not a <= prev.start < prev.end <= b:     # the tag after the first
        return False
    if found is not None and not _same_tag(prev, found):
        return False
    return not sentence_starts(text, prev.end, b, clauses=True)     # no sentence or clause after the tag's


def _same_tag(a: Tag | None, b: Tag) -> bool:
    """The same tag found twice: after one quote and before the next."""
    return a is not None and a.start == b.start and a.end == b.end


def _next_named(out: list) -> list:
    """For each quote, the first later one with a speaker (one pass from the end, not a rescan per quote)."""
    nxt: list = [None] * len(out)
    found = None
    for k in range(len(out) - 1, -1, -1):
        nxt[k] = found
        if out[k] and out[k][0]:
            found = out[k]
    return nxt


