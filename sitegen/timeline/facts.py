"""One file's scenes read for the timeline: each scene's time step, place and characters (SceneFacts)."""
from __future__ import annotations

import functools
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, replace
from itertools import accumulate, chain
from typing import Mapping, MutableMapping, Sequence

from ..stages import notes as _notes
from ..stages.files import FileAnalysis
from .clock import TimeStep, heading_time, read_time
from .places import find_place
from .presence import first_word_table, scene_characters
from ..model import Character, Quote, SourceText
from ..parallel import forks, inherited, run_sent
from ..text.spans import blank, bracket_spans, quote_spans


@dataclass(frozen=True)
class SceneFacts:
    """What one scene's own words say: its time step, its place and who is in it.

    Plain, hashable data that depends only on the scene's file and the cast,
    so it can be kept with the file's other findings; `fold_timeline` runs the
    story clock over a work's SceneFacts.
    """
    step: TimeStep
    place: str | None
    characters: tuple[str, ...]


def scene_facts(source: SourceText, paragraphs: Sequence[tuple[int, int]], scene_starts: Sequence[int],
                quotes: Sequence[Quote], cast: Sequence[Character],
                headings: Mapping[int, str] | None = None,
                scenes: tuple[int, int] | None = None, any_quotes: bool | None = None) -> tuple[SceneFacts, ...]:
    """The facts of each scene of one file, in order (with `scenes`, (first, last): those scenes only).

    `paragraphs` are the file's prose paragraph spans (start, end) in reading
    order; `scene_starts` the local paragraph indexes where its scenes start
    (a scene runs to the next start); `quotes` the file's quotations. A
    scene's facts depend on its own paragraphs (and the few characters before
    each, see `_narration`), the quotations in them and the cast; and on whether
    its file has any quotation at all: in a file without, quotation marks are
    found by scanning. They are remembered by exactly those inputs. A chapter
    heading that names a time (`headings`: local paragraph index -> heading, see
    `heading_time`) gives the time of the scene it opens. `any_quotes` says whether the file has
    quotations when `quotes` are only those in reach of the scenes read (default: any in `quotes`).
    """
    reader = _FileReader(source.text, quotes, cast, bool(quotes) if any_quotes is None else any_quotes)
    bounds = [*scene_starts, len(paragraphs)]
    first, last = scenes or (0, len(scene_starts))
    facts = []
    for a, b in zip(bounds[first:last], bounds[first + 1:last + 1]):
        found = reader.scene(paragraphs[a:b])
        step = heading_time(headings[a]) if headings and a in headings else None
        facts.append(replace(found, step=step) if step is not None else found)
    return tuple(facts)


class _FileReader:
    """Reads the scenes of one file: its text, its quotations indexed once, what the cast says to look for.

    A scene's facts depend only on its own text (from a few characters before
    its first paragraph), its quotations and the cast, so they are remembered
    by those: after an edit only the scene it touched is read again.
    """

    def __init__(self, text: str, quotes: Sequence[Quote], cast: Sequence[Character], any_quotes: bool):
        self.text = text
        self.quote_spans = _SpanIndex([(q.start, q.end) for q in quotes]) if any_quotes else None
        self.speakers = _SpeakerIndex(quotes)
        self.cast = _cast_reading(tuple(cast))

    def scene(self, paragraphs: Sequence[tuple[int, int]]) -> SceneFacts:
        """The facts of the scene made of these paragraphs (spans in reading order)."""
        if not paragraphs:
            return _read_scene("", (), None, (), self.cast)
        first, last = paragraphs[0][0], paragraphs[-1][1]
        base = max(0, first - _LEAD)
        quotes = None if self.quote_spans is None else \
            tuple((s - base, e - base) for s, e in self.quote_spans.overlapping(first, last))
        return _read_scene(self.text[base:last], tuple((s - base, e - base) for s, e in paragraphs), quotes,
                           tuple(self.speakers.between(first, last)), self.cast)


class _CastReading:
    """The cast as scene reading needs it; equal (and hashed) by the cast's content, so it can key a memo."""

    def __init__(self, cast: tuple[Character, ...]):
        self.cast = cast
        self.third_person = not any(c.narrator for c in cast)
        self.names = frozenset(w for c in cast for n in (c.name, *c.aliases) for w in n.split()[:1])
        self.first_words = first_word_table(cast)       # who a scene's words may name (presence.py)
        self._key = repr(cast)
        self._hash = hash(self._key)

    def __eq__(self, other) -> bool:
        return isinstance(other, _CastReading) and self._key == other._key

    def __hash__(self) -> int:
        return self._hash


_last_reading: tuple = ((), None)


def _cast_reading(cast: tuple[Character, ...]) -> _CastReading:
    """The cast's reading, made once for all the files of a work (kept while the same cast is passed)."""
    global _last_reading
    kept_cast, kept = _last_reading
    if kept is None or kept_cast is not cast:
        kept = _CastReading(cast)
        _last_reading = (cast, kept)
    return kept


@functools.lru_cache(maxsize=8192)
def _read_scene(text: str, paragraphs: tuple[tuple[int, int], ...], quotes: tuple[tuple[int, int], ...] | None,
                speakers: tuple[tuple[int, str], ...], cast: _CastReading) -> SceneFacts:
    """One scene's facts from its text; `quotes` are its quotations (None: the file has none, so scan)."""
    index = _SpanIndex(quotes) if quotes is not None else None
    narrations = [_narration(text, s, e, index, cast.third_person) for s, e in paragraphs]
    opening = "\n".join(narrations[:2])
    place, _ = find_place(opening, cast.names)
    if place is None:
        place, _ = find_place("\n".join(narrations[2:]), cast.names)
    return SceneFacts(read_time(opening), place, scene_characters(narrations, list(speakers), cast.cast,
                                                                                   cast.first_words))


class _SpanIndex:
    """Spans (start, end) sorted by start, to find those overlapping a stretch in log time."""

    def __init__(self, spans: Sequence[tuple[int, int]]):
        self.spans = sorted(spans)
        self.starts = [s for s, _ in self.spans]
        self.reach = list(accumulate((e for _, e in self.spans), max))     # furthest end so far

    def overlapping(self, start: int, end: int) -> list[tuple[int, int]]:
        """The spans with s < end and e > start, in order of start."""
        lo, hi = bisect_right(self.reach, start), bisect_left(self.starts, end)
        return [(s, e) for s, e in self.spans[lo:hi] if e > start]

    def clipped(self, start: int, end: int) -> list[tuple[int, int]]:
        """The overlapping spans cut to [start, end), with offsets relative to start."""
        return [(max(s, start) - start, min(e, end) - start) for s, e in self.overlapping(start, end)]


class _SpeakerIndex:
    """One file's attributed quotations, sorted by start: (start, position in `quotes`, cast id)."""

    def __init__(self, quotes: Sequence[Quote]):
        self.rows = sorted((q.start, k, q.speaker) for k, q in enumerate(quotes) if q.speaker)
        self.starts = [r[0] for r in self.rows]

    def between(self, start: int, end: int) -> list[tuple[int, str]]:
        """(offset from `start`, cast id) of the attributed quotations starting in [start, end), in `quotes` order."""
        found = self.rows[bisect_left(self.starts, start):bisect_left(self.starts, end)]
        return [(at - start, cid) for at, _, cid in sorted(found, key=lambda r: r[1])]


_LEAD = 3          # characters before a paragraph that bracket_spans may look at (for ":-)" smileys)


def _narration(text: str, start: int, end: int, quotes: _SpanIndex | None, third_person: bool) -> str:
    """The paragraph text[start:end] with its quotations and parentheticals blanked out.

    Quotations come from `quotes`, or are found by scanning when the file has
    none. First-person passages in a third-person story (a letter, a note left
    on a desk) are blanked whole: they are read by the characters, not narrated.
    """
    lead = min(start, _LEAD)
    context = text[start - lead:end]           # all that bracket_spans reads
    inside = quotes.clipped(start, end) if quotes is not None else \
        [(s - lead, e - lead) for s, e in quote_spans(context, lead, len(context))]
    inside += [(s - lead, e - lead) for s, e in bracket_spans(context, lead, len(context))]
    narration = blank(context[lead:], inside)
    if third_person and _notes.FIRST_PERSON.search(narration):
        narration = " " * len(narration)
    return narration


def timeline_facts(sources: Sequence[SourceText], files: Sequence[FileAnalysis], cast: tuple[Character, ...],
                   keys: Sequence[str], cast_key: str, cache: MutableMapping) -> list[SceneFacts]:
    """Time, place and characters of every file's scenes, in order; a file's are reused while the file
    (`keys`: its cache key) and the cast are unchanged, and the others are shared with helpers
    (parallel.run_sent: each is sent a run of scenes, unit_job; only the facts come back). A long file is read in
    several runs of its scenes (each scene is read on its own), so a one-file work keeps every core busy.

    (Without a cast file the cast is discovered across all files, so it is part of the key.)
    """
    memos = [("facts", key, cast_key) for key in keys]
    todo = [si for si, memo in enumerate(memos) if memo not in cache]
    units = [(si, *run) for si in todo for run in scene_runs(sources[si].text, files[si])]
    work = sum(len(sources[si].text) for si in todo)
    texts = f"sources:{id(sources)}"
    made = run_sent(_unit_facts, [unit_job(texts, si, files[si], cast, first, last) for si, first, last in units],
                    work=work, inherit={texts: sources})
    if forks(len(units), work):     # (sitegen build) this process read a share: its memo would hold their texts
        _read_scene.cache_clear()   # to the end of the build, and it reads no scene again
    found: dict[int, list[SceneFacts]] = {si: [] for si in todo}
    for (si, _, _), facts in zip(units, made):
        found[si] += facts
    for si in todo:
        cache[memos[si]] = tuple(found[si])
    return list(chain.from_iterable(cache[memo] for memo in memos))


def unit_job(texts: str, si: int, fa: FileAnalysis, cast: tuple[Character, ...], first: int, last: int) -> tuple:
    """What the scenes first..last of file `si` are read from, small enough to send to a helper (run_sent):
    their paragraphs (numbered from the first scene's), the quotations in reach of them (and whether the
    file has any), the headings that open them; the text is the helper's (`texts`, inherited)."""
    bounds = [i for i, _, _ in fa.scene_starts] + [len(fa.structure.paragraphs)]
    lo, hi = bounds[first], bounds[last]
    paragraphs = fa.structure.paragraphs[lo:hi]
    if paragraphs:
        start, end = paragraphs[0][0] - _LEAD, paragraphs[-1][1]
        quotes = tuple(q for q in fa.quotes if q.end > start and q.start < end)
    else:
        quotes = ()
    headings = {i - lo: h for i, h in fa.structure.headings.items() if lo <= i < hi}
    return texts, si, paragraphs, tuple(b - lo for b in bounds[first:last]), quotes, bool(fa.quotes), cast, headings


RUN_CHARS = 200_000     # a file longer than this is read in runs of scenes of about this length


def scene_runs(text: str, fa: FileAnalysis) -> list[tuple[int, int]]:
    """The file's scenes as (first, last) runs of about RUN_CHARS of text each (one run for a short file)."""
    starts, paragraphs = [i for i, _, _ in fa.scene_starts], fa.structure.paragraphs
    if len(text) <= RUN_CHARS or len(starts) < 2:
        return [(0, len(starts))]
    runs, first, since = [], 0, paragraphs[starts[0]][0] if starts[0] < len(paragraphs) else 0
    for k in range(1, len(starts)):
        at = paragraphs[starts[k]][0] if starts[k] < len(paragraphs) else len(text)
        if at - since >= RUN_CHARS:
            runs.append((first, k))
            first, since = k, at
    return [*runs, (first, len(starts))]


def _unit_facts(texts: str, si: int, paragraphs: tuple, starts: tuple, quotes: tuple, any_quotes: bool,
                cast: tuple[Character, ...], headings: dict) -> tuple[SceneFacts, ...]:
    """The scene facts of a run of scenes, from its unit_job (run_sent's job)."""
    return scene_facts(inherited(texts)[si], paragraphs, starts, quotes, cast, headings, any_quotes=any_quotes)


