"""One file through the per-file stages: structure → notes → dialogue → scene starts (a FileAnalysis).

build.py runs this for each file of a work in parallel workers (parallel.py) and keeps each result
by `file_key` (the file's text and the work's settings), so a rebuild redoes only changed files.
"""
from __future__ import annotations

import bisect
import hashlib
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Sequence

from .. import dialogue
from ..model import AuthorNote, Character, Diagnostic, Paragraph, Quote, SourceText
from ..packed import Packed
from ..text.attributes import in_attributes
from ..text.markers import heading_title
from .blocks import heading_text
from .notes import find_notes
from .structure import FileStructure, file_structure, scene_starts


@dataclass(frozen=True)
class FileAnalysis:
    """Everything found in one file; paragraph indexes local to the file. Reused while the file is unchanged."""
    structure: FileStructure
    paragraphs: tuple[Paragraph, ...]
    words: tuple[int, ...]                        # word count of each paragraph
    notes: tuple[AuthorNote, ...]
    scene_starts: tuple[tuple[int, str, bool], ...]
    quotes: Sequence[Quote]                       # a tuple; packed.Packed as kept on disk (store.py)
    diagnostics: tuple[Diagnostic, ...]
    hidden: tuple[tuple[int, int], ...]
    discovered: tuple[Character, ...]
    line_counts: Counter                          # (speaker, kind) -> quotes

    def packed(self) -> "FileAnalysis":
        """As kept on disk: the quotes Packed, so loading the file's results does not make its quotes
        until they are read (a build after one chapter changed reads that chapter's alone)."""
        return replace(self, quotes=Packed.of(self.quotes))


def analyse_file(src: SourceText, source_index: int, body_start: int, whole_work: bool,
                 cast: Sequence[Character], convention: str | None, lang: str = "en",
                 marks: tuple[str, bool] = ("", False), keep_notes: bool = False) -> FileAnalysis:
    """Structure, notes, scene starts and dialogue of one file (`lang` and `marks`: the work's
    language and quote marks, see work_language and dialogue.convention.marks_for; `keep_notes`:
    see file_structure)."""
    found = {}

    def lift_notes(spans):
        found["notes"] = find_notes(src, spans, source_index=source_index, is_chapter_file=not whole_work)
        return found["notes"].paragraphs

    fs = file_structure(src, source_index, body_start, whole_work, prose_filter=lift_notes,
                        keep_notes=keep_notes or whole_work)
    notes = found["notes"]
    all_notes = tuple(sorted(fs.matter_notes + notes.notes, key=lambda n: n.start))
    skip = [(n.start, n.end) for n in all_notes]
    if src.path.suffix != ".txt":           # no quote inside a Markdown image or a link's target and title
        skip += [(s + a, s + b) for s, e in fs.paragraphs for a, b in in_attributes(src.text[s:e])]
    said = dialogue.find_quotes(src, fs.paragraphs, cast, source_index=source_index, convention=convention,
                                 skip=skip, lang=lang, marks=marks)
    paragraphs = tuple(Paragraph(source_index, s, e) for s, e in fs.paragraphs)
    words = tuple(len(src.text[s:e].split()) for s, e in fs.paragraphs)
    starts = scene_starts(src, fs, cast, said.quotes)
    return FileAnalysis(fs, paragraphs, words, chapter_note_kinds(src.text, all_notes, fs), starts, said.quotes,
                        notes.diagnostics + said.diagnostics, notes.hidden + said.hidden,
                        said.discovered, Counter((q.speaker, q.kind) for q in said.quotes if q.speaker))


def chapter_note_kinds(text: str, notes: Sequence[AuthorNote], fs: FileStructure) -> tuple[AuthorNote, ...]:
    """A note standing between paragraphs right after a chapter heading (or at the file's start) is a
    chapter-start note; one right before a heading (or at the file's end) is a chapter-end note."""
    starts = [s for s, _ in fs.paragraphs]
    out = []
    for n in notes:
        i = bisect.bisect_right(starts, n.start)          # the prose paragraph after the note
        if n.kind == "inline" and not (i > 0 and n.end <= fs.paragraphs[i - 1][1]):
            gap = text[n.end:starts[i]] if i < len(starts) else ""
            heading_follows = i in fs.headings and any(_heading_words(block) == fs.headings[i]
                                                       for block in gap.split("\n\n") if block.strip())
            if i == len(starts) or heading_follows:
                n = replace(n, kind="chapter-end")
            elif i == 0 or i in fs.headings:
                n = replace(n, kind="chapter-start")
        out.append(n)
    return tuple(out)


def _heading_words(block: str) -> str | None:
    return heading_text(block) if block.lstrip().startswith("#") else heading_title(block)


def file_key(src: SourceText, *parts) -> str:
    h = hashlib.blake2b(src.digest.encode(), digest_size=16)
    h.update(repr((str(src.path), *parts)).encode("utf-8"))
    return h.hexdigest()


def cast_digest(cast: Sequence[Character]) -> str:
    """A short key for a cast, computed once per build (hashing the cast for each file would cost more)."""
    return hashlib.blake2b(repr(tuple(cast)).encode("utf-8"), digest_size=16).hexdigest()


@dataclass
class JoinedFiles:
    """The files' structure joined into one work's, paragraph numbers running through the work."""
    paragraphs: list[Paragraph] = field(default_factory=list)
    headings: dict[int, str] = field(default_factory=dict)
    subheadings: dict[int, tuple[str, ...]] = field(default_factory=dict)
    late_subheadings: dict[int, tuple[str, ...]] = field(default_factory=dict)
    ornaments: dict[int, tuple[str, ...]] = field(default_factory=dict)
    closing: dict[int, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    breaks: dict[int, str] = field(default_factory=dict)
    bases: list[int] = field(default_factory=list)          # each file's first paragraph, numbered in the work


def join_files(files: Sequence[FileAnalysis]) -> JoinedFiles:
    """Paragraphs, headings, ornaments and breaks of every file, renumbered through the work; what
    closes a file (an ornament, a heading after its last paragraph) is shown after that paragraph."""
    j = JoinedFiles()
    for fa in files:
        base = len(j.paragraphs)
        j.bases.append(base)
        j.paragraphs += fa.paragraphs
        j.headings.update({base + i: h for i, h in fa.structure.headings.items()})
        end = len(fa.paragraphs)
        for i, lines in fa.structure.ornaments.items():
            if i == end and base + i > 0:       # what closes a file is shown after its last paragraph
                j.closing[base + i - 1] = j.closing.get(base + i - 1, ()) + tuple(("ornament", x) for x in lines)
            else:
                j.ornaments[base + i] = j.ornaments.get(base + i, ()) + lines
        for i, hs in fa.structure.subheadings.items():
            if i == end and base + i > 0:
                j.closing[base + i - 1] = j.closing.get(base + i - 1, ()) + tuple(("heading", h) for h in hs)
            else:
                j.subheadings[base + i] = j.subheadings.get(base + i, ()) + hs
        j.late_subheadings.update({base + i: hs for i, hs in fa.structure.late_subheadings.items()})
        j.breaks.update({base + i: mark for i, mark in fa.structure.breaks.items()})
    return j
