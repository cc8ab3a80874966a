"""Structure stage, per file: paragraphs, title, preface/afterword, chapter headings, scene breaks, scene starts."""
from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Callable, Sequence

from .frontmatter import find_front_back
from .markers import heading_title, is_scene_break, scene_start_reason
from .dialogue.names import NameIndex, build_index, find_mentions
from .model import AuthorNote, Character, Quote, SourceText
from .notes import blank_spans
from .paragraphs import split_paragraphs

Spans = Sequence[tuple[int, int]]


@dataclass(frozen=True)
class FileStructure:
    """What the structure stage finds in one file; paragraph indexes are local to the file."""
    title: str | None
    author: str | None
    title_span: tuple[int, int] | None           # the title line
    work_notes: tuple[AuthorNote, ...]           # preface and afterword (single-file works)
    paragraphs: tuple[tuple[int, int], ...]      # prose, headings and scene breaks removed
    headings: dict[int, str]                     # paragraph index -> chapter heading placed before it
    breaks: dict[int, str]                       # paragraph index -> the scene-break line before it


def blank_lines_before(text: str, spans: Spans) -> list[int]:
    return [0] + [text[spans[i - 1][1]:spans[i][0]].count("\n") - 1 for i in range(1, len(spans))]


def front_and_back(src: SourceText, source_index: int, spans: list[tuple[int, int]]):
    """Split a single-file work's paragraphs into work notes, a title line and the story."""
    texts = [src.text[s:e] for s, e in spans]
    fb = find_front_back(texts, blank_lines_before(src.text, spans))
    notes = [AuthorNote(source_index, *spans[i], "work-preface", texts[i]) for i in fb.preface]
    notes += [AuthorNote(source_index, *spans[i], "work-afterword", texts[i]) for i in fb.afterword]
    skip = set(fb.preface) | set(fb.afterword)
    if fb.title_index is not None:
        skip.add(fb.title_index)
    if fb.author:
        skip.add(next(i for i in range(len(texts)) if i not in skip and fb.author in texts[i]))
    title_span = spans[fb.title_index] if fb.title_index is not None else None
    return fb, title_span, notes, [sp for i, sp in enumerate(spans) if i not in skip]


def file_structure(src: SourceText, source_index: int, body_start: int, whole_work: bool,
                   prose_filter: Callable[[list[tuple[int, int]]], Spans] | None = None,
                   keep_notes: bool = False) -> FileStructure:
    """Paragraphs of one file with headings and scene-break lines lifted out of the prose.

    `whole_work`: the file is the whole work, so look for its title, preface and
    afterword. `prose_filter(spans) -> spans` may drop paragraphs that are not
    prose (whole-paragraph author's notes) before headings are found; with
    `keep_notes`, not when it would drop every paragraph.
    """
    spans = [(s + body_start, e + body_start) for s, e in split_paragraphs(src.text[body_start:])]
    title = author = title_span = None
    work_notes: list[AuthorNote] = []
    if whole_work:
        fb, title_span, work_notes, spans = front_and_back(src, source_index, spans)
        title, author = fb.title, fb.author
    all_spans = spans
    if prose_filter is not None:
        spans = list(prose_filter(spans))
    paragraphs, headings, breaks = lift_headings(src, spans)
    if not paragraphs and keep_notes and spans is not all_spans:
        # Notes and nothing else: they stay where they are (shown as notes inside their paragraphs),
        # since a work with no paragraph has no page to show its notes on.
        paragraphs, headings, breaks = lift_headings(src, all_spans)
    return FileStructure(title, author, title_span, tuple(work_notes), tuple(paragraphs), headings, breaks)


def lift_headings(src: SourceText, spans: Spans) -> tuple[list[tuple[int, int]], dict[int, str], dict[int, str]]:
    """(prose paragraphs, headings, breaks): heading and scene-break lines lifted out of `spans`."""
    paragraphs: list[tuple[int, int]] = []
    headings: dict[int, str] = {}
    breaks: dict[int, str] = {}
    pending_break: str | None = None
    heading_spans: list[tuple[int, int]] = []
    for s, e in spans:
        text = src.text[s:e]
        if is_scene_break(text):
            pending_break = text.strip() if paragraphs else None
            continue
        heading = heading_title(text)
        if heading is not None:
            # Headings in a row ("Part One", then "Chapter 1") make one title: no heading's words are lost.
            earlier = headings.get(len(paragraphs))
            headings[len(paragraphs)] = f"{earlier} — {heading}" if earlier else heading
            heading_spans.append((s, e))
            pending_break = None
            continue
        if pending_break:
            breaks[len(paragraphs)] = pending_break
            pending_break = None
        paragraphs.append((s, e))
        heading_spans = []
    if len(paragraphs) in headings:         # headings with no text after them in the file stay as text
        del headings[len(paragraphs)]
        paragraphs += heading_spans
    return paragraphs, headings, breaks


def narration(text: str, start: int, end: int, quotes: Sequence[Quote]) -> str:
    """The paragraph text[start:end] with the quotes inside it blanked out (`quotes` sorted by start)."""
    first = bisect.bisect_left(quotes, start, key=lambda q: q.start)
    inside = [(q.start - start, q.end - start) for q in quotes[first:bisect.bisect_left(quotes, end, key=lambda q: q.start)]]
    return blank_spans(text[start:end], inside)


def present(index: NameIndex | None, text: str) -> set[str]:
    """Cast ids named in a text (a name that could mean several characters counts for none)."""
    if index is None:
        return set()
    return {m.ids[0] for m in find_mentions(index, text) if len(m.ids) == 1}


def scene_starts(src: SourceText, fs: FileStructure, cast: Sequence[Character],
                 quotes: Sequence[Quote] = ()) -> tuple[tuple[int, str, bool], ...]:
    """(paragraph index, reason, strong) for each scene start in one file; the file's start is one.

    Strong signs (a break line, a heading, a time skip, waking) may end a chapter page;
    weak ones (travel, a new set of characters named in the narration, outside
    the file's `quotes`) only start a scene on the timeline.
    """
    index = build_index(tuple(cast)) if cast else None
    starts: list[tuple[int, str, bool]] = []
    recent: list[set[str]] = []
    for i, (s, e) in enumerate(fs.paragraphs):
        text = src.text[s:e]
        named = present(index, narration(src.text, s, e, quotes))
        if i == 0:
            reason = ("start", True)
        elif i in fs.headings:
            reason = ("chapter", True)
        elif i in fs.breaks:
            reason = ("scene break", True)
        else:
            reason = scene_start_reason(text)
            if reason is None and named and len(recent) >= 2 and all(recent[-2:]) \
                    and not named & (recent[-1] | recent[-2]):
                reason = ("new set of characters", False)
        if reason is not None:
            starts.append((i, *reason))
            recent = []
        recent.append(named)
    return tuple(starts)
