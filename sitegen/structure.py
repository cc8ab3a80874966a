"""Structure stage: paragraphs, title, preface/afterword, chapter headings, scene breaks and scenes."""
from __future__ import annotations

import re
from dataclasses import dataclass

from .frontmatter import find_front_back
from .markers import heading_title, is_scene_break, scene_start_reason
from .model import AuthorNote, Character, Paragraph, Scene, SourceText
from .paragraphs import split_paragraphs


@dataclass(frozen=True)
class Structure:
    """What the structure stage finds in a work's files."""
    title: str | None
    author: str | None
    title_span: tuple[int, int, int] | None     # (source, start, end) of the title line
    work_notes: tuple[AuthorNote, ...]          # preface and afterword
    paragraphs: tuple[Paragraph, ...]           # prose, headings and scene breaks removed
    headings: dict[int, str]                    # paragraph index -> chapter heading placed before it
    breaks: frozenset[int]                      # paragraph indexes that follow a scene-break line
    file_starts: frozenset[int]                 # paragraph indexes that start a chapter file


def source_paragraphs(src: SourceText, body_start: int) -> list[tuple[int, int]]:
    return [(s + body_start, e + body_start) for s, e in split_paragraphs(src.text[body_start:])]


def blank_lines_before(text: str, spans: list[tuple[int, int]]) -> list[int]:
    return [0] + [text[spans[i - 1][1]:spans[i][0]].count("\n") - 1 for i in range(1, len(spans))]


def front_and_back(src: SourceText, spans: list[tuple[int, int]]):
    """Split one file's paragraph spans into work notes, title and story spans."""
    texts = [src.text[s:e] for s, e in spans]
    fb = find_front_back(texts, blank_lines_before(src.text, spans))
    notes = [AuthorNote(0, *spans[i], "work-preface", texts[i]) for i in fb.preface]
    notes += [AuthorNote(0, *spans[i], "work-afterword", texts[i]) for i in fb.afterword]
    skip = set(fb.preface) | set(fb.afterword)
    title_span = None
    if fb.title_index is not None:
        skip.add(fb.title_index)
        title_span = (0, *spans[fb.title_index])
    if fb.author:
        skip.add(next(i for i in range(len(texts)) if i not in skip and fb.author in texts[i]))
    body = [sp for i, sp in enumerate(spans) if i not in skip]
    return fb.title, fb.author, title_span, notes, body


def find_structure(sources: tuple[SourceText, ...], body_starts: tuple[int, ...],
                   prose_filter=None) -> Structure:
    """Paragraphs of every file, with headings and scene breaks lifted out of the prose.

    `prose_filter(source_index, spans) -> spans` may drop paragraphs that are not
    prose (whole-paragraph author's notes) before headings and scenes are found.
    """
    title = author = title_span = None
    work_notes: list[AuthorNote] = []
    paragraphs: list[Paragraph] = []
    headings: dict[int, str] = {}
    breaks: set[int] = set()
    file_starts: set[int] = set()
    for si, src in enumerate(sources):
        spans = source_paragraphs(src, body_starts[si])
        if len(sources) == 1:
            title, author, title_span, work_notes, spans = front_and_back(src, spans)
        if prose_filter is not None:
            spans = list(prose_filter(si, spans))
        file_starts.add(len(paragraphs))
        pending_break = False
        for s, e in spans:
            text = src.text[s:e]
            if is_scene_break(text):
                pending_break = bool(paragraphs) and len(paragraphs) not in file_starts
                continue
            heading = heading_title(text)
            if heading is not None:
                headings[len(paragraphs)] = heading
                pending_break = False
                continue
            if pending_break:
                breaks.add(len(paragraphs))
                pending_break = False
            paragraphs.append(Paragraph(si, s, e))
    return Structure(title, author, title_span, tuple(work_notes), tuple(paragraphs), headings,
                     frozenset(breaks), frozenset(file_starts))


_QUOTED = re.compile(r'"[^"\n]*"|“[^”\n]*”')


def narration(text: str) -> str:
    """A paragraph with its double-quoted speech taken out."""
    return _QUOTED.sub(" ", text)


def names_in(text: str, cast: tuple[Character, ...]) -> set[str]:
    """Cast ids whose name or an alias appears in a text."""
    found = set()
    for c in cast:
        for name in (c.name, *c.aliases):
            if name and len(name) > 2 and name in text:
                found.add(c.id)
                break
    return found


def find_scenes(sources: tuple[SourceText, ...], st: Structure, cast: tuple[Character, ...]) -> tuple[Scene, ...]:
    """Scenes: split at chapter starts, scene breaks, time skips, waking, and changes of place or cast.

    Strong signs (a break line, a heading, a time skip, waking) may end a chapter page;
    weak ones (travel, a new set of characters) only start a scene on the timeline.
    """
    starts: list[tuple[int, str, bool]] = []
    recent: list[set[str]] = []
    for i, p in enumerate(st.paragraphs):
        text = sources[p.source].text[p.start:p.end]
        present = names_in(narration(text), cast) if cast else set()
        if i == 0 or i in st.file_starts or i in st.headings:
            reason = ("start", True) if i == 0 else ("chapter", True)
        elif i in st.breaks:
            reason = ("scene break", True)
        else:
            reason = scene_start_reason(text)
            if reason is None and present and len(recent) >= 2 and not present & set().union(*recent[-2:]) \
                    and all(recent[-2:]):
                reason = ("new set of characters", False)
        if reason is not None:
            starts.append((i, *reason))
            recent = []
        recent.append(present)
    scenes = []
    for n, (i, reason, strong) in enumerate(starts):
        last = starts[n + 1][0] - 1 if n + 1 < len(starts) else len(st.paragraphs) - 1
        p = st.paragraphs[i]
        scenes.append(Scene(n, p.source, p.start, i, last, reason, strong))
    return tuple(scenes)
