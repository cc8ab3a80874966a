"""What the narration around each quote says, read once: the rules (attribute.py) and the scorer's features (features.py) both use it.

For each quote: the speech tag at the start of the narration after it (up to the next quote of its
paragraph, or the paragraph's end) and the one in the last clause of the narration before it (from
the quote before it in the paragraph, or the paragraph's start); whether that narration after it
leads on to the next quote (`"...," and Bo said, "..."`) and whether the narration before it breaks
a sentence off (`"Oh," said Pooh, "if ..."`); and where the names it addresses stand (vocatives).
Before this stage, the rules and the features each read the same narration again for themselves.
"""
from __future__ import annotations

import bisect
import re
from typing import NamedTuple

from ..text.names import Mention
from .marks import Span
from .tags import Tag, ends_saying, tag_after, tag_before, vocative_spans


class Around(NamedTuple):
    """The findings next to and inside one quote (offsets absolute)."""
    after: Tag | None         # tags.tag_after over the narration after the quote
    before: Tag | None        # tags.tag_before over the narration before it, read where a reader uses it:
                              # no tag after, or one the next quote takes (leads_on), or interrupted
    leads_on: bool            # the narration after starts "and ..." and tags the next quote of the paragraph
    interrupted: bool         # not its paragraph's first quote, and the narration before ends in , or :
    vocatives: tuple[tuple[int, int], ...]    # names the quote addresses (tags.vocative_spans), if it names any


def read_around(text: str, paragraphs, spans: list[Span], quoted_starts: list[int], lang: str = "en",
                lo: int = 0, hi: int | None = None) -> list[Around]:
    """The findings of every quote (of spans[lo:hi]), in order (`quoted_starts`: where the mentions
    inside quotes start)."""
    out = []
    n = len(spans)
    for k in range(lo, n if hi is None else hi):
        s = spans[k]
        ps, pe = paragraphs[s.paragraph]
        first = not k or spans[k - 1].paragraph != s.paragraph
        last = k + 1 == n or spans[k + 1].paragraph != s.paragraph
        lo, hi = (ps if first else spans[k - 1].end), (pe if last else spans[k + 1].start)
        after = tag_after(text, s.end, hi, lang)
        leads_on = not last and leads_on_to_next(text, s.end, hi)
        interrupted = not first and text[lo:s.start].rstrip()[-1:] in (",", ":")
        before = tag_before(text, lo, s.start, lang) if after is None or leads_on or interrupted else None
        named = bisect.bisect_left(quoted_starts, s.start) < bisect.bisect_left(quoted_starts, s.end)
        out.append(Around(after, before, leads_on, interrupted,
                          vocative_spans(text, s.start, s.end, lang) if named else ()))
    return out


def split_mentions(mentions: list[Mention], spans: list[Span]) -> tuple[list[Mention], list[Mention]]:
    """(mentions in narration, mentions inside quotes), each in reading order."""
    narration, quoted, k = [], [], 0
    for m in mentions:
        while k < len(spans) and spans[k].end <= m.start:
            k += 1
        (quoted if k < len(spans) and spans[k].start <= m.start else narration).append(m)
    return narration, quoted


_AND_THEN = re.compile(r"[\s,;\u2014\u2013-]*(?:and|then|and\s+then)\s", re.I)


def leads_on_to_next(text: str, a: int, b: int) -> bool:
    """Narration between two quotes that starts "and ..." and ends in a comma, a colon or its verb
    of saying (`"...," and Bo said, "..."`, `"...?" and Bo said "Yes."`) tags the next quote, not
    the one before."""
    return bool(_AND_THEN.match(text, a, b)) and (text[a:b].rstrip()[-1:] in (",", ":") or ends_saying(text, a, b))
