"""The plain data that flows between sitegen's stages (frozen dataclasses).

Every offset is a character offset into one source file's text, decoded as
UTF-8 (end exclusive). A stage takes these and returns new ones; no field is
left empty for a later stage to fill.
"""
from __future__ import annotations

import bisect
import hashlib
from dataclasses import dataclass, field, fields
from operator import attrgetter
from pathlib import Path
from typing import Literal, NamedTuple, Sequence

QuoteKind = Literal["speech", "thought", "written"]
NoteKind = Literal["work-preface", "work-afterword", "chapter-start", "chapter-end", "inline"]
Severity = Literal["warning", "error"]


def pickled_by_fields(cls: type) -> type:
    """A frozen slotted dataclass pickled as its class and field values, unpickled by calling it.
    (dataclass's own pickling of a slotted class calls fields() for every object it loads: the
    kept cache's ~45k paragraphs, quotes and scenes at 1M words took 0.15 s to load, now 0.06 s.)"""
    names = [f.name for f in fields(cls)]
    values = attrgetter(*names) if len(names) > 1 else (lambda self: (getattr(self, names[0]),))
    cls.__reduce__ = lambda self: (cls, values(self))
    return cls


@dataclass(frozen=True)
class Location:
    """A place in a user's file, 1-based line and column, for messages."""
    path: str
    line: int
    col: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


@dataclass(frozen=True)
class SourceText:
    """One text file of a work, as read (newlines normalised to \\n)."""
    path: Path
    text: str
    display_path: str = ""          # the path as shown in messages
    line_starts: tuple[int, ...] = field(default=(), compare=False, repr=False)
    digest: str = field(default="", compare=False, repr=False)     # a hash of the text
    modified: float = field(default=0.0, compare=False, repr=False)  # the file's modification time (epoch s)

    @classmethod
    def from_text(cls, path: Path, text: str, display_path: str = "", modified: float = 0.0) -> "SourceText":
        starts = [0]
        find = text.find
        i = find("\n")
        while i != -1:
            starts.append(i + 1)
            i = find("\n", i + 1)
        digest = hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()
        return cls(path, text, display_path or str(path), tuple(starts), digest, modified)

    def locate(self, offset: int) -> Location:
        line = bisect.bisect_right(self.line_starts, offset) - 1
        return Location(self.display_path, line + 1, offset - self.line_starts[line] + 1)


@dataclass(frozen=True)
class Character:
    """A member of a work's cast."""
    id: str
    name: str
    aliases: tuple[str, ...] = ()
    pronouns: str = "they"          # she | he | they | it
    colour: str | None = None       # "#rrggbb" from the cast, else assigned at render
    narrator: bool = False          # the first-person narrator ("I")


class Paragraph(NamedTuple):
    """A block of prose: offsets into source `source` (an index into Work.sources). A named tuple, not a
    dataclass: a long work's kept cache holds every paragraph (21.5k at 1M words), and a tuple loads
    without a call to Python code (0.003 s for them all against 0.013 s by the dataclass's __init__)."""
    source: int
    start: int
    end: int


@dataclass(frozen=True)
class Diagnostic:
    """A warning or error about a user's file, with how to fix it."""
    location: Location
    message: str
    hint: str = ""
    severity: Severity = "warning"

    def __str__(self) -> str:
        text = f"{self.location}: {self.severity}: {self.message}"
        return f"{text}\n  hint: {self.hint}" if self.hint else text


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Quote:
    """One quotation: speech or thought, with its speaker (a cast id or None)."""
    source: int
    start: int                       # includes the opening mark
    end: int                         # includes the closing mark (if any)
    kind: QuoteKind                  # speech | thought | written (a letter, a note, a message)
    speaker: str | None
    confidence: float                # 0..1
    text: str
    broken: bool = False             # a mark was missing or wrong; recovered
    evidence: str = ""               # what decided the speaker: a rule's name or the scorer's top features


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class AuthorNote:
    """Author's words outside the story: preface, afterword, chapter or inline notes."""
    source: int
    start: int
    end: int
    kind: NoteKind
    text: str                        # the note as shown (markers like "A/N:" kept)


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Scene:
    """A stretch of story with no break in time or place; paragraphs by index."""
    index: int
    source: int
    start: int                       # offset of its first paragraph
    first_paragraph: int             # index into Work.paragraphs
    last_paragraph: int              # inclusive
    reason: str                      # what started it: "start", "scene break", "time skip: Later that day", ...
    strong: bool = True              # a sign strong enough to end a chapter page there


@dataclass(frozen=True)
class Chapter:
    """A chapter page: the author's chapter, or a run of whole scenes."""
    number: int
    title: str
    slug: str
    first_paragraph: int
    last_paragraph: int              # inclusive
    scenes: tuple[int, ...]          # scene indexes wholly on this page


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class TimelineEvent:
    """Where a scene sits in story time and place, and who is in it."""
    scene: int
    story_order: int
    time_label: str                  # "Day 1", "Day 1, night", "A few days later"
    time_marker: str | None          # the words in the text it came from
    place: str | None
    characters: tuple[str, ...]      # cast ids


@dataclass(frozen=True)
class SeriesPart:
    """The work's place in a series (from work.toml's [[series]])."""
    title: str
    position: int | None = None
    url: str = ""


@dataclass(frozen=True)
class ChapterInfo:
    """What work.toml's [[chapter]] says of one chapter: shown as notes, never as prose."""
    title: str = ""
    summary: str = ""
    notes: str = ""
    end_notes: str = ""
    updated: str = ""                # "YYYY-MM-DD": when the chapter was posted or last changed


@dataclass(frozen=True)
class WorkMeta:
    """What work.toml / front matter / detection say about a work."""
    title: str
    author: str = ""
    summary: str = ""
    fandom: str = ""
    rating: str = ""
    warnings: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    language: str = "en"
    chapter_words: int = 1000        # target words per page when splitting at scenes
    chapter_titles: tuple[str, ...] = ()
    quote_convention: str | None = None   # "fic" (" speech, ' thought) | "british" | "american"
    categories: tuple[str, ...] = ()
    relationships: tuple[str, ...] = ()
    series: tuple[SeriesPart, ...] = ()
    published: str = ""
    updated: str = ""
    source_url: str = ""
    notes: str = ""                  # the work's notes (preface) and end notes (afterword) from work.toml
    end_notes: str = ""
    chapter_info: tuple[ChapterInfo, ...] = ()     # [[chapter]] tables, in chapter order
    complete: bool = False           # the author says the work is finished
    chapters_total: int | None = None   # how many chapters the author plans (None: unknown)
    whole_work: bool | None = None   # the entire work on one page: yes, no, or None (auto: when it is short enough)



@dataclass(frozen=True)
class Work:
    """A work after every stage: the plain data the views are made from."""
    slug: str
    meta: WorkMeta
    sources: tuple[SourceText, ...]
    paragraphs: tuple[Paragraph, ...]        # prose only, in reading order
    headings: dict[int, str]                  # paragraph index -> author's chapter heading before it
    scenes: tuple[Scene, ...]
    chapters: tuple[Chapter, ...]
    notes: tuple[AuthorNote, ...]
    cast: tuple[Character, ...]
    quotes: Sequence[Quote]                  # each file's in turn (packed.Joined: a kept file's are read when used)
    timeline: tuple[TimelineEvent, ...]
    diagnostics: tuple[Diagnostic, ...]
    hidden: tuple[tuple[int, int, int], ...] = ()     # (source, start, end) of markup-only marks to drop
    title_span: tuple[int, int, int] | None = None    # (source, start, end) of the title line
    words: tuple[int, ...] = ()                       # word count of each paragraph
    source_keys: tuple[str, ...] = ()                 # a hash of each source file's analysis inputs
    line_counts: dict[tuple[str, str], int] = field(default_factory=dict)   # (speaker, kind) -> quotes
    cast_discovered: bool = False                     # no cast was given: `cast` was found in the text
    breaks: dict[int, str] = field(default_factory=dict)   # paragraph index -> the author's scene-break line before it
    subheadings: dict[int, tuple[str, ...]] = field(default_factory=dict)   # paragraph index -> headings
                                                      # inside a chapter shown before it (len(paragraphs): after all)
    ornaments: dict[int, tuple[str, ...]] = field(default_factory=dict)     # paragraph index -> the author's
                                                      # separator lines around headings and notes, shown before it
    late_subheadings: dict[int, tuple[str, ...]] = field(default_factory=dict)   # paragraph index -> headings
                                                      # shown after the chapter-start notes before it
    closing: dict[int, tuple[tuple[str, str], ...]] = field(default_factory=dict)   # paragraph index -> what
                                                      # closes its file after it: ("heading" | "ornament", text)
    file_quotes: tuple[int, ...] = ()                 # where each file's quotes start in `quotes`, then len(quotes)
