"""Structure stage, per file: paragraphs, title, preface/afterword, chapter headings, scene breaks, scene starts."""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Callable, Sequence

from .blocks import Block, heading_text, split_blocks
from ..load.frontmatter import find_front_back
from ..text.markers import CHAPTER_HEADING, NUMBERED_CHAPTER, heading_title, is_scene_break, one_separator, \
    scene_start_reason, shown_separator
from .matter import PROSE, Matter, find_matter
from ..text.names import NameIndex, build_index, find_mentions
from ..model import AuthorNote, Character, Quote, SourceText
from ..text.spans import blank

Spans = Sequence[tuple[int, int]]
WORD = re.compile(r"\w")


@dataclass(frozen=True)
class FileStructure:
    """What the structure stage finds in one file; paragraph indexes are local to the file."""
    title: str | None
    author: str | None
    title_span: tuple[int, int] | None           # the title line
    work_notes: tuple[AuthorNote, ...]           # preface and afterword of the work
    paragraphs: tuple[tuple[int, int], ...]      # prose, headings and scene breaks removed
    headings: dict[int, str]                     # paragraph index -> chapter heading placed before it
    breaks: dict[int, str]                       # paragraph index -> the scene-break line before it
    subheadings: dict[int, tuple[str, ...]] = field(default_factory=dict)   # headings inside a chapter, shown
    matter_notes: tuple[AuthorNote, ...] = ()    # notes the layout shows (labels, fences), not work-level
    ornaments: dict[int, tuple[str, ...]] = field(default_factory=dict)   # separator lines that frame a
                                                 # heading or notes, shown as decoration before a paragraph
    late_subheadings: dict[int, tuple[str, ...]] = field(default_factory=dict)   # headings after the notes
                                                 # that open a chapter, shown after them (source order)


def blank_lines_before(text: str, spans: Spans) -> list[int]:
    return [0] + [text[spans[i - 1][1]:spans[i][0]].count("\n") - 1 for i in range(1, len(spans))]


def front_and_back(src: SourceText, source_index: int, spans: list[tuple[int, int]], find_title: bool = True):
    """Split a single-file work's paragraphs into work notes, a title line and the story."""
    texts = [src.text[s:e] for s, e in spans]
    fb = find_front_back(texts, blank_lines_before(src.text, spans), find_title)
    notes = [AuthorNote(source_index, *spans[i], "work-preface", texts[i]) for i in fb.preface]
    notes += [AuthorNote(source_index, *spans[i], "work-afterword", texts[i]) for i in fb.afterword]
    skip = set(fb.preface) | set(fb.afterword)
    if fb.title_index is not None:
        skip.add(fb.title_index)
    if fb.author:
        skip.add(next(i for i in range(len(texts)) if i not in skip and fb.author in texts[i]))
    title_span = spans[fb.title_index] if fb.title_index is not None else None
    return fb, title_span, notes, [sp for i, sp in enumerate(spans) if i not in skip]


_QUOTE_PREFIX = re.compile(r"^[ \t]{0,3}>[ \t]?", re.M)
_HEADING_PREFIX = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+", re.M)


def shown_note_text(raw: str, markdown: bool) -> str:
    """A note's text as the reader sees it: in Markdown, without block-quote and heading marks."""
    if not markdown:
        return raw
    return _HEADING_PREFIX.sub("", _QUOTE_PREFIX.sub("", raw)).strip()


def matter_notes(src: SourceText, source_index: int, blocks: Sequence[Block], matter: Matter,
                 work_level: bool, single_file: bool, markdown: bool) -> tuple[list[AuthorNote], list[AuthorNote]]:
    """(work notes, other notes) from the layout: notes before any heading or prose of the work's first
    file are its preface, notes after the story of a single-file work its afterword; the rest are placed
    by the chapter they sit in (files.chapter_note_kinds)."""
    work, other = [], []
    heading_before = False
    top = max((k for k in (matter.title_block, matter.author_block) if k is not None), default=-1)
    first_heading = next((k for k, r in enumerate(matter.roles) if r.kind == "heading" and k > top), len(blocks))
    heading_after_end = any(r.kind == "heading" for r in matter.roles[max((nb.last for nb in matter.notes), default=0):])
    for nb in matter.notes:
        s, e = blocks[nb.first].start, blocks[nb.last].end
        text = shown_note_text(src.text[s:e], markdown)
        heading_before = nb.first > first_heading
        if work_level and nb.where == "front" and not heading_before:
            work.append(AuthorNote(source_index, s, e, "work-preface", text))
        elif single_file and nb.where == "end" and not heading_after_end:
            work.append(AuthorNote(source_index, s, e, "work-afterword", text))
        else:
            other.append(AuthorNote(source_index, s, e, "inline", text))
    for _, s, e in matter.title_notes:
        work.append(AuthorNote(source_index, s, e, "work-preface", src.text[s:e]))
    return work, other


def file_structure(src: SourceText, source_index: int, body_start: int, whole_work: bool,
                   prose_filter: Callable[[list[tuple[int, int]]], Spans] | None = None,
                   keep_notes: bool = False) -> FileStructure:
    """Paragraphs of one file with its title, notes, headings and scene-break lines lifted out of the prose.

    `whole_work`: the file is the whole work. The work's first file may show its title,
    byline and front matter (matter.py). `prose_filter(spans) -> spans` may drop paragraphs
    that are not prose (whole-paragraph author's notes) before headings are found; with
    `keep_notes`, not when that would leave no paragraph at all.
    """
    markdown = src.path.suffix.lower() in (".md", ".markdown")
    blocks = split_blocks(src.text, body_start, markdown)
    matter = find_matter(src.text, blocks, first_file=source_index == 0, single_file=whole_work, markdown=markdown)
    used = matter.used()
    work_notes, other_notes = matter_notes(src, source_index, blocks, matter, source_index == 0, whole_work, markdown)
    title, author = matter.title, matter.author
    title_span = (blocks[matter.title_block].start, blocks[matter.title_block].end) \
        if matter.title_block is not None else None
    kept = [b for k, b in enumerate(blocks) if k not in used]
    spans = [(b.start, b.end) for b in kept]
    if whole_work:
        fb, found_span, notes, spans = front_and_back(src, source_index, spans, find_title=title is None)
        work_notes += notes
        if title is None:
            title, title_span = fb.title, found_span
        author = author or fb.author
    all_spans = spans
    if prose_filter is not None:
        spans = list(prose_filter(spans))
    by_start = {b.start: b for b in kept}
    prose = frozenset(b.start for b, role in zip(blocks, matter.roles) if role == PROSE)
    paragraphs, headings, subheadings, breaks, ornaments, late = chapter_marks(src.text, spans, by_start,
                                                                               whole_work, markdown, prose)
    if not paragraphs and keep_notes and spans is not all_spans:
        # Notes and nothing else: they stay where they are (shown as notes inside their paragraphs),
        # since a work with no paragraph has no page to show its notes on.
        paragraphs, headings, subheadings, breaks, ornaments, late = chapter_marks(src.text, all_spans, by_start,
                                                                                   whole_work, markdown, prose)
    if not paragraphs and keep_notes and any(WORD.search(src.text[b.start:b.end]) for b in blocks):
        # Only headings, labelled notes or separators and no prose: the lines themselves are the text,
        # so the work has a page that shows them.
        paragraphs = [(b.start, b.end) for b in blocks if WORD.search(src.text[b.start:b.end])]
        headings, subheadings, breaks, ornaments, late = {}, {}, {}, {}, {}
    return FileStructure(title, author, title_span, tuple(work_notes), tuple(paragraphs), headings, breaks,
                         subheadings, tuple(other_notes), ornaments, late)


def _heading_of(text: str, block: Block) -> str | None:
    raw = text[block.start:block.end]
    if block.kind == "heading":
        return heading_text(raw)
    return heading_title(raw) if block.kind == "paragraph" else None


def _subtitles(text: str, found: list[tuple[Block, str | None]]) -> set[int]:
    """Indexes of a short title line right under a chapter heading that has no title of its own and
    closed by a separator or heading ("Chapter One" / "Introduction" / ".:O:.:O:.")."""
    out = set()
    for k in range(1, len(found) - 1):
        b, h = found[k]
        (_, ph), (nb, nh) = found[k - 1], found[k + 1]
        raw = text[b.start:b.end].strip()
        closed = nh is not None or nb.kind == "rule" or is_scene_break(text[nb.start:nb.end])
        if h is None and ph and NUMBERED_CHAPTER.fullmatch(ph.strip(" .:")) and closed and "\n" not in raw \
                and len(raw.split()) <= 8 and not re.search(r"[.,;:!?\"“”'’)]$", raw) and raw[:1].isupper():
            out.add(k)
    return out


def _holds_several_chapters(text: str, found: list[tuple[Block, str | None]], level: int) -> bool:
    """Two or more numbered chapter headings ("Chapter 3", "Chapter 4"), each followed by a real stretch of
    prose (100 words) before the next heading: a list of chapter names (an archive's menu) does not count."""
    numbered, words, current = set(), 0, None
    for b, h in found + [(Block(0, 0, "heading"), "")]:
        if h is not None:
            if current is not None and words >= 100:
                numbered.add(current)
            m = NUMBERED_CHAPTER.match(h) if h and (b.kind != "heading" or b.level == level) else None
            current, words = (m.group(0).lower() if m else None), 0
        else:
            words += len(text[b.start:b.end].split())
    return len(numbered) >= 2


def chapter_marks(text: str, spans: Spans, by_start: dict[int, Block], whole_work: bool, markdown: bool,
                  prose: frozenset[int] = frozenset()):
    """Paragraphs, chapter headings, headings inside chapters and scene breaks of one file's spans.
    `prose`: where the blocks start that find_matter read as prose (neither a heading nor a
    separator: they are not read again).

    Chapter headings are those at the level the work uses for chapters (the highest level
    left once the title and note labels are out); in one file of a multi-file work, only a
    heading above the file's first paragraph names its chapter, unless the file clearly holds
    several chapters (two or more "Chapter N"-style headings)."""
    found = [(b, None if b.start in prose else _heading_of(text, b))
             for b in (by_start.get(s, Block(s, e)) for s, e in spans)]
    chapter_level = min((b.level for b, h in found if h and b.kind == "heading"), default=0)
    several = _holds_several_chapters(text, found, chapter_level)
    paragraphs: list[tuple[int, int]] = []
    headings: dict[int, str] = {}
    subheadings: dict[int, list[str]] = {}
    late: dict[int, list[str]] = {}
    heading_end = 0                                 # where the last chapter heading's line ends
    breaks: dict[int, str] = {}
    ornaments: dict[int, list[str]] = {}
    pending: list[str] = []                         # separator lines since the last paragraph
    subtitle_of = _subtitles(text, found)
    for k, (b, heading) in enumerate(found):
        raw = text[b.start:b.end]
        at = len(paragraphs)
        if k in subtitle_of and at in headings:     # "Chapter One" / "Introduction": one title
            headings[at] = f"{headings[at]}: {raw.strip()}"
            continue
        if b.kind == "rule" or (b.start not in prose and is_scene_break(raw)) \
                or (heading is not None and not heading.strip()):
            pending.append(shown_separator(raw, b.kind == "heading"))
            continue
        if heading is not None:
            chapter = b.level == chapter_level if b.kind == "heading" else True
            if not whole_work:                      # a chapter file: its top heading, or it holds several
                chapter = chapter and (not paragraphs or (several and bool(CHAPTER_HEADING.match(heading))))
            if chapter and at in headings and any(part.strip() and not is_scene_break(part)
                                                  for part in text[heading_end:b.start].split("\n\n")):
                late.setdefault(at, []).append(heading)     # notes between an archive's chapter heading and
                continue                                    # the author's own: the author's shown after them
            if chapter and at in headings:          # a heading right after another: both are kept, even
                subheadings.setdefault(at, []).append(headings.pop(at))   # when it repeats it (nothing lost)
            if chapter:
                headings[at] = heading              # a chapter's start is no scene break: its lines are shown
                heading_end = b.end
                ornaments.setdefault(at, []).extend(pending)
                pending = []
            else:
                subheadings.setdefault(at, []).append(heading)
            continue
        if pending:                                 # the lines before a paragraph break the scene, as one;
            if paragraphs and at not in headings:   # lines framing a heading or the file's top are ornaments
                breaks[at] = one_separator(pending)
            else:
                ornaments.setdefault(at, []).extend(pending)
            pending = []
        paragraphs.append((b.start, b.end))
    if pending:
        ornaments.setdefault(len(paragraphs), []).extend(pending)
    if len(paragraphs) in headings:                 # a heading with no paragraph after it is still shown
        subheadings.setdefault(len(paragraphs), []).insert(0, headings.pop(len(paragraphs)))
    if len(paragraphs) in late:
        subheadings.setdefault(len(paragraphs), []).extend(late.pop(len(paragraphs)))
    return (paragraphs, headings, {k: tuple(v) for k, v in subheadings.items()}, breaks,
            {k: (one_separator(v),) for k, v in ornaments.items() if one_separator(v)},
            {k: tuple(v) for k, v in late.items()})


def narration(text: str, start: int, end: int, quotes: Sequence[Quote]) -> str:
    """The paragraph text[start:end] with the quotes inside it blanked out (`quotes` sorted by start)."""
    first = bisect.bisect_left(quotes, start, key=lambda q: q.start)
    inside = [(q.start - start, q.end - start) for q in quotes[first:bisect.bisect_left(quotes, end, key=lambda q: q.start)]]
    return blank(text[start:end], inside)


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
        named = present(index, narration(src.text, s, e, quotes)) if index is not None else set()
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
