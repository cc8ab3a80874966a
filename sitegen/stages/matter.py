"""Find the author's matter around the story by its layout: labelled note blocks, metadata lines, title forms, fenced front and end matter.

Archives and authors lay a work out in a few common ways (AO3 page copies and downloads,
FanFiction.net chapters, Markdown files). This stage reads those layouts from a file's
blocks (blocks.py) before the story is looked at:

* a **label** block (`Summary:`, `Notes:`, `### Chapter Notes`, `## Afterword`, `A/N:`,
  `NdA :`, `Примечание автора`...; the words are data, data/note_labels.toml) starts a
  note that runs to the next heading, separator or label (in Markdown, a label followed by
  a block quote takes the quote); a label with its text on the same line starts a note
  that runs to a separator close after it, or over the author-talk blocks after it;
* **metadata** blocks (`Rating: T`, `Chapters: 3/10`, every line a known key) are notes;
* **fences**: words before a separator near the top that open with a label or read as
  the author talking are front matter; words after the last separator that read as the
  author talking are end matter;
* **titles**: a title line (also ending in "!" or "?") followed by a byline, a label or
  a heading; a title / tag line / title-again block; a Markdown heading on top of a work.

Each note records which rule made it (`NoteBlock.rule`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from .blocks import Block, heading_text
from ..load.frontmatter import is_author_talk
from .labels import COLON_END, labels, normalised
from .notes import _CHAT, _EMOTICON, FIRST_PERSON          # the note classifier's own signs of the author's voice
from ..text.markers import CHAPTER_HEADING, heading_title, is_scene_break

_SENTENCE_END = re.compile(r"[.,;:\"'“”‘’…)]\s*$")
_BYLINE = re.compile(r"^(?:by|written\s+by|author|par|por|von|автор)\s*:?\s+(?P<name>.{1,80})$", re.I)
_LIST = re.compile(r"^[ \t]*(?:[-*+•]|\d{1,2}[.)])[ \t]+\S")      # a list item, in a .txt file too
_DIALOGUE_START = re.compile(r"^\W{0,3}[\"“«„「『—–]")


@dataclass(frozen=True)
class Role:
    """What a block is, read from its own words."""
    kind: str            # label | labelled | pointer | metadata | separator | heading | landmark | prose
    note: str = ""       # for labels: summary | notes | end-notes | disclaimer | review-replies
    place: str = "any"


def block_role(text: str, block: Block) -> Role:
    raw = text[block.start:block.end]
    lab = labels()
    if block.kind == "rule" or is_scene_break(raw) or (block.kind == "heading" and is_scene_break(heading_text(raw) or "*")):
        return Role("separator")
    words = normalised(raw) if len(raw) <= 160 else ""     # labels are short; a paragraph of prose is not one
    if words in lab.landmarks:
        return Role("landmark")
    stripped = raw.strip()
    if "\n" not in stripped or block.kind == "heading":
        hit = lab.kinds.get(words)
        if hit and (words not in lab.needs_colon or COLON_END.search(raw)):
            return Role("label", *hit)
    for pattern, kind in lab.patterns:
        if pattern.match(stripped):
            return Role("pointer", kind)
    m = lab.lead.match(raw)
    if m and (m.group("sep") or "\n" in raw[m.end():m.end() + 1]) and len(raw[m.end():].strip()) > 0:
        label = normalised(m.group("label"))
        kind, place = lab.kinds.get(label, ("notes", "any"))
        if label not in lab.needs_colon or m.group("sep") in (":", "：", "-", "–", "—"):
            if not (block.kind == "heading"):
                return Role("labelled", kind, place)
    lines = [ln for ln in map(str.strip, raw.splitlines()) if ln]
    if lines and len(lines) <= 40 and block.kind != "heading" and _metadata_lines(lines, lab.metadata):
        return Role("metadata")
    if len(lines) >= 2 and lines[0][:1] == "1" and all(re.fullmatch(rf"{n}[.)]\s+\S.{{0,80}}", ln)
                                                       for n, ln in enumerate(lines, 1)):
        return Role("metadata", "chapter menu")        # "1. Chapter 1" / "2. Whiskers": an archive's chapter list
    if block.kind == "heading" or (block.kind == "paragraph" and heading_title(raw) is not None):
        return HEADING
    return PROSE


PROSE, HEADING = Role("prose"), Role("heading")       # (frozen: one of each serves every block)


def _metadata_lines(lines: list[str], key_line: re.Pattern) -> bool:
    """Every line is "Key: value", or "Key:" with its value on the line after (AO3's header as a browser copies it)."""
    k = 0
    while k < len(lines):
        if not key_line.match(lines[k]):
            return False
        bare = re.search(r"[:：][ \t*_]*$", lines[k]) is not None
        k += 2 if bare and k + 1 < len(lines) and not key_line.match(lines[k + 1]) else 1
    return True


@dataclass(frozen=True)
class NoteBlock:
    """Blocks first..last (inclusive) are one note; `where` is front | end | inside."""
    first: int
    last: int
    where: str
    rule: str


@dataclass(frozen=True)
class Matter:
    """What the layout says about one file's blocks."""
    title: str | None
    title_block: int | None
    author: str | None
    author_block: int | None
    title_notes: tuple[tuple[int, int, int], ...]     # (block, start, end): tag lines in a title block
    notes: tuple[NoteBlock, ...]
    roles: tuple[Role, ...]

    def used(self) -> set[int]:
        taken = {i for n in self.notes for i in range(n.first, n.last + 1)}
        taken |= {i for i in (self.title_block, self.author_block) if i is not None}
        return taken


def find_matter(text: str, blocks: Sequence[Block], *, first_file: bool, single_file: bool,
                markdown: bool) -> Matter:
    """The title, byline and note blocks of one file (see the module's docstring)."""
    roles = tuple(block_role(text, b) for b in blocks)
    title = title_block = author = author_block = None
    title_notes: list[tuple[int, int, int]] = []
    start = 0
    if first_file and blocks:
        found = find_title(text, blocks, roles, single_file) or _title_box(text, blocks, roles)
        if found is not None:
            title, title_block, author, author_block, title_notes = found
            start = max(i for i in (title_block, author_block) if i is not None) + 1
            if title_block > 0:                 # a title box below the top: what is above it is read too
                start = 0
    notes = note_blocks(text, blocks, roles, start, markdown,
                        skip={k for k in (title_block, author_block) if k is not None})
    if author_block is not None and roles[author_block].kind == "metadata":     # "Author: Name" is metadata too
        notes = sorted(notes + [NoteBlock(author_block, author_block, "front", "byline as metadata")],
                       key=lambda nb: nb.first)
        author_block = None
    return Matter(title, title_block, author, author_block, tuple(title_notes), tuple(notes), roles)


def _title_box(text: str, blocks: Sequence[Block], roles: Sequence[Role]):
    """A title and an explicit byline ("by Name") framed by separators or headings, within the file's
    top blocks, below a chapter heading or the author's notes (a FanFiction.net layout)."""
    for k in range(1, min(len(blocks) - 2, 14)):
        raw, nxt = text[blocks[k].start:blocks[k].end].strip(), text[blocks[k + 1].start:blocks[k + 1].end].strip()
        m = _BYLINE.match(nxt)
        if roles[k].kind == "prose" and _title_line(raw, True) and m and "\n" not in nxt \
                and roles[k - 1].kind in ("separator", "heading") and roles[k + 2].kind in ("separator", "heading"):
            return raw, k, m.group("name").strip(), k + 1, []
    return None


# ----------------------------------------------------------------- titles

def _title_line(line: str, allow_bang: bool) -> bool:
    line = line.strip()
    if not line or "\n" in line or len(line) > 100 or len(line.split()) > 14 or is_scene_break(line):
        return False
    if _SENTENCE_END.search(line) or line[0] in "\"“«„(":
        return False
    return allow_bang or not line.endswith(("!", "?"))


def _is_structure(role: Role) -> bool:
    return role.kind in ("label", "labelled", "metadata", "heading", "separator", "landmark", "pointer")


def find_title(text: str, blocks: Sequence[Block], roles: Sequence[Role], single_file: bool):
    """(title, its block, author, its block, tag-line notes) when the top of the file shows a title, else None."""
    raw = [text[b.start:b.end] for b in blocks]
    b0, r0 = blocks[0], roles[0]
    nxt = roles[1] if len(roles) > 1 else None
    lines = [ln.strip() for ln in raw[0].splitlines() if ln.strip()]
    # A Markdown heading on top: the work's title unless it is a chapter's, or another heading outranks it.
    if b0.kind == "heading":
        words = heading_text(raw[0])
        if not words or CHAPTER_HEADING.match(words) or r0.kind == "label":
            return None
        later = [b for b, r in zip(blocks[1:], roles[1:]) if b.kind == "heading" and r.kind == "heading"]
        if any(b.level <= b0.level for b in later):
            return None
        if not single_file and not (nxt and (nxt.kind in ("label", "metadata") or _byline(raw[1], blocks[1], roles[1:])
                                             or any(CHAPTER_HEADING.match(heading_text(raw[k]))
                                                    for k, b in enumerate(blocks) if k and b.kind == "heading"))):
            return None                         # in chapter files, a heading on top names the first chapter
        return (words, 0, *_author_after(raw, blocks, roles), ())
    if r0.kind != "prose":
        return None
    # title / tag line / title again, with no blank line between them
    if 2 <= len(lines) <= 4 and all(_title_line(ln, True) for ln in lines):
        if lines[0] == lines[-1] or (len(lines) == 2 and _BYLINE.match(lines[1])):
            tags = _tag_lines(text, b0, lines)
            author = _BYLINE.match(lines[1]).group("name") if _BYLINE.match(lines[1]) else None
            return (lines[0], 0, author, None, tags)
        return None
    # one title line, then the byline, a label, a heading or a separator ("Wow!" is a title there)
    if len(lines) == 1 and _title_line(lines[0], True) and nxt is not None:
        if _is_structure(nxt) or _byline(raw[1], blocks[1], roles[1:]):
            return (lines[0].lstrip("#").strip(), 0, *_author_after(raw, blocks, roles), ())
    return None


def _tag_lines(text: str, block: Block, lines: list[str]) -> list[tuple[int, int, int]]:
    """The lines of a title block after the first, but for a repeat of the title, as (block, start, end)."""
    out, pos = [], block.start
    for n, line in enumerate(text[block.start:block.end].split("\n")):
        s = pos + len(line) - len(line.lstrip())
        e = pos + len(line.rstrip())
        if 0 < n and line.strip() and line.strip() != lines[0] and e > s:
            out.append((0, s, e))
        pos += len(line) + 1
    return out


def _byline(raw: str, block: Block, roles_after: Sequence[Role]) -> bool:
    """A byline: "by Name", or a short bare name line (or heading) followed by a label or heading."""
    words = heading_text(raw) if block.kind == "heading" else raw.strip()
    if "\n" in words or not words or CHAPTER_HEADING.match(words):
        return False
    if _BYLINE.match(words):
        return True
    followed = len(roles_after) > 1 and roles_after[1].kind in ("label", "labelled", "metadata", "heading", "pointer")
    return followed and len(words.split()) <= 6 and _title_line(words, False) and roles_after[0].kind in ("prose", "heading")


def _author_after(raw: list[str], blocks: Sequence[Block], roles: Sequence[Role]):
    if len(raw) > 1 and _byline(raw[1], blocks[1], roles[1:]):
        words = heading_text(raw[1]) if blocks[1].kind == "heading" else raw[1].strip()
        m = _BYLINE.match(words)
        return (m.group("name").strip() if m else words), 1
    return None, None


# ----------------------------------------------------------------- note blocks

def _words(text: str, b: Block) -> int:
    return len(text[b.start:b.end].split())


def _ends_region(role: Role) -> bool:
    return role.kind in ("label", "labelled", "heading", "separator", "landmark", "pointer", "metadata")


def reads_as_author(raw: str) -> bool:
    """A block in the author's voice: a label, words about the work to the reader, chat words or smileys."""
    if _DIALOGUE_START.match(raw):
        return False
    if is_author_talk(raw):
        return True
    signs = bool(_CHAT.search(raw)) + bool(_EMOTICON.search(raw)) + bool(re.search(r"[;:]\]|\bxD\b", raw))
    return signs >= 1 and bool(FIRST_PERSON.search(raw) or re.search(r"\byou\b", raw, re.I) or signs >= 2)


def note_blocks(text: str, blocks: Sequence[Block], roles: Sequence[Role], start: int,
                markdown: bool, skip: set[int] = frozenset()) -> list[NoteBlock]:
    """The note regions among blocks[start:], front and end fences included; `skip`: the title and byline."""
    if skip:                                    # the title box reads as a frame: structure, not prose
        roles = tuple(Role("landmark") if k in skip else r for k, r in enumerate(roles))
    n = len(blocks)
    total = sum(_words(text, b) for b in blocks) or 1
    notes: list[NoteBlock] = _wrapped_chapters(text, blocks, roles, start)
    notes += _before_metadata(text, blocks, roles, start, notes)
    wrapped = {k for nb in notes for k in range(nb.first, nb.last + 1)}
    prose_seen = False
    i = start
    while i < n:
        role = roles[i]
        if i in wrapped:
            i += 1
            continue
        if role.kind == "label":
            last = _label_region(text, blocks, roles, i, markdown, total)
            notes.append(NoteBlock(i, last, "", f"label: {role.note}"))
            i = last + 1
            continue
        if role.kind == "labelled":
            last = _labelled_region(text, blocks, roles, i, at_top=not prose_seen)
            notes.append(NoteBlock(i, last, "", f"labelled: {role.note}"))
            i = last + 1
            continue
        if role.kind == "pointer":
            notes.append(NoteBlock(i, i, "", role.kind))
        elif role.kind == "metadata" and not prose_seen:
            last = i
            if re.search(r"[:：][ \t*_]*$", text[blocks[i].start:blocks[i].end]) and i + 1 < n \
                    and roles[i + 1].kind == "prose" and _words(text, blocks[i + 1]) <= 25:
                last = i + 1                  # "Rating:" then "Teen And Up Audiences" as two blocks
            notes.append(NoteBlock(i, last, "", "metadata"))
            i = last + 1
            continue
        elif role.kind == "prose":
            prose_seen = True
        elif role.kind == "heading":
            prose_seen = False                # a chapter's top: its notes are front matter again
        i += 1
    notes = _front_fence(text, blocks, roles, start, notes, total) + notes
    notes = notes + _end_fence(text, blocks, roles, notes, total)
    notes = sorted(notes, key=lambda nb: nb.first)
    return _placed(notes, roles, start, n)


def _wrapped_chapters(text: str, blocks: Sequence[Block], roles: Sequence[Role], start: int) -> list[NoteBlock]:
    """An archive's chapter heading ("Chapter 1: Prologue") whose text then repeats its title as the
    author's own heading ("Prologue"): the blocks between the two are the chapter's front matter."""
    heads = [k for k in range(start, len(blocks)) if roles[k].kind == "heading"]
    out = []
    for a, b in zip(heads, heads[1:]):
        outer, inner = normalised(heading_text(text[blocks[a].start:blocks[a].end])), \
            normalised(heading_text(text[blocks[b].start:blocks[b].end]))
        if b > a + 1 and inner and len(inner) < len(outer) and outer.endswith(inner) \
                and not any(roles[k].kind in ("heading", "landmark") for k in range(a + 1, b)):
            out.append(NoteBlock(a + 1, b - 1, "", "archive chapter wraps the author's own heading"))
    return out


def _label_region(text: str, blocks: Sequence[Block], roles: Sequence[Role], i: int, markdown: bool,
                  total: int) -> int:
    """The last block of the note a label block starts."""
    n = len(blocks)
    if markdown and i + 1 < n and blocks[i + 1].kind == "quote":
        last = i + 1
        while last + 1 < n and blocks[last + 1].kind == "quote":
            last += 1
        return last
    last = i
    while last + 1 < n and not _ends_region(roles[last + 1]):
        last += 1
    if last + 1 >= n and last > i + 1:             # ran to the end of the file: end notes only
        before = sum(_words(text, b) for b in blocks[:i])
        if roles[i].place != "end" and before < total * 0.6:
            last = i + 1
            while last + 1 < n and roles[last + 1].kind == "prose" and reads_as_author(text[blocks[last + 1].start:blocks[last + 1].end]):
                last += 1
    return last


def _labelled_region(text: str, blocks: Sequence[Block], roles: Sequence[Role], i: int, at_top: bool) -> int:
    """The last block of a note whose label shares its first block ("A/N: ...")."""
    n = len(blocks)
    if at_top:                                     # a separator close below closes the whole note block
        for k in range(i + 1, min(n, i + 9)):
            if roles[k].kind == "separator":
                between = blocks[i + 1:k]
                note_words = sum(_words(text, b) for b in blocks[i:k])
                story_words = _story_after(text, blocks, roles, k)
                if story_words >= max(20, note_words) and all(roles[j].kind in ("prose", "labelled", "metadata", "pointer") for j in range(i + 1, k)) \
                        and not any(_DIALOGUE_START.match(text[b.start:b.end]) for b in between):
                    return k - 1
                break
            if roles[k].kind in ("heading", "label", "landmark"):
                break
    if i > 0 and roles[i - 1].kind == "separator" and all(r.kind not in ("separator", "heading", "landmark")
                                                           for r in roles[i + 1:]):
        tail = sum(_words(text, b) for b in blocks[i:])
        if tail <= max(300, 0.25 * sum(_words(text, b) for b in blocks)):
            return n - 1                            # "* * *" then "A/N: ...": the rest of the file is the note
    last = i
    while last + 1 < n and roles[last + 1].kind == "prose":
        b = blocks[last + 1]
        raw = text[b.start:b.end]
        if b.kind == "list" or _LIST.match(raw) or reads_as_author(raw):
            last += 1
        else:
            break
    return last


def _story_after(text: str, blocks: Sequence[Block], roles: Sequence[Role], k: int, enough: int = 400) -> int:
    """Words of story after block k (up to `enough`): prose that is not the author talking, passing over
    separators, headings and short title lines ("Child of Four" / "by Name") that frame a chapter's start."""
    words = 0
    for b, r in zip(blocks[k + 1:], roles[k + 1:]):
        raw = text[b.start:b.end]
        if r.kind in ("label", "labelled") or words >= enough:
            break
        if r.kind == "prose" and not reads_as_author(raw) and not (_title_line(raw, True) and len(raw.split()) <= 8):
            words += _words(text, b)
    return words


def _front_fence(text: str, blocks: Sequence[Block], roles: Sequence[Role], start: int,
                 notes: list[NoteBlock], total: int) -> list[NoteBlock]:
    """Unlabelled author's words before a separator near the file's top (after its title)."""
    taken = {k for nb in notes for k in range(nb.first, nb.last + 1)}
    words = 0
    for k in range(start, min(len(blocks), start + 10)):
        if roles[k].kind == "separator":
            free = [j for j in range(start, k) if j not in taken]
            if free and k > start and words <= total * 0.15 and words <= 600 \
                    and any(reads_as_author(text[blocks[j].start:blocks[j].end]) for j in free) \
                    and all(roles[j].kind == "prose" and not _DIALOGUE_START.match(text[blocks[j].start:blocks[j].end])
                            for j in free):
                return [NoteBlock(j, j, "", "before the first separator") for j in free]
            return []
        if roles[k].kind in ("heading", "landmark"):
            return []
        words += _words(text, blocks[k])
    return []


def _before_metadata(text: str, blocks: Sequence[Block], roles: Sequence[Role], start: int,
                     notes: list[NoteBlock]) -> list[NoteBlock]:
    """A short unlabelled summary between the title (or byline) and the metadata lines below it
    (FanFiction.net's layout: title, author, summary, "Rated: T - English - ...")."""
    taken = {k for nb in notes for k in range(nb.first, nb.last + 1)}
    k = start
    while k < min(len(blocks), start + 4) and roles[k].kind == "prose" and k not in taken:
        k += 1
    free = list(range(start, k))
    if not free or k >= len(blocks) or roles[k].kind != "metadata":
        return []
    raw = [text[blocks[j].start:blocks[j].end] for j in free]
    if any(_DIALOGUE_START.match(r) or len(r.split()) > 150 for r in raw):
        return []
    return [NoteBlock(free[0], free[-1], "", "summary above the metadata")]


def _end_fence(text: str, blocks: Sequence[Block], roles: Sequence[Role], notes: list[NoteBlock],
               total: int) -> list[NoteBlock]:
    """The author's words after the last separator, or closing lines that talk to the reader."""
    taken = {k for nb in notes for k in range(nb.first, nb.last + 1)}
    n = len(blocks)
    free = lambda k: k not in taken and roles[k].kind in ("prose", "metadata")      # noqa: E731
    separators = [k for k in range(n) if roles[k].kind == "separator"]
    best: list[int] = []
    for sep in reversed(separators):            # the widest tail after a separator that is all author's words
        tail = [k for k in range(sep + 1, n) if k not in taken and roles[k].kind != "separator"]
        words = sum(_words(text, blocks[k]) for k in tail)
        if words > min(total * 0.25, 900):
            break
        raw = [text[blocks[k].start:blocks[k].end] for k in tail]
        if tail and all(free(k) for k in tail) and roles[tail[0]].kind == "prose" and reads_as_author(raw[0]) \
                and not any(_DIALOGUE_START.match(r) for r in raw):
            best = tail
    if best:
        return [NoteBlock(k, k, "", "after the last separator") for k in best]
    out = []
    k = n - 1
    while k > 0 and (roles[k].kind == "separator" or (free(k) and _words(text, blocks[k]) <= 40
                                                        and (roles[k].kind == "metadata"
                                                             or is_author_talk(text[blocks[k].start:blocks[k].end]))
                                                        and not _DIALOGUE_START.match(text[blocks[k].start:blocks[k].end]))):
        if roles[k].kind != "separator":
            out.insert(0, NoteBlock(k, k, "", "closing line to the reader"))
        k -= 1
    return out if k > 0 else []


def _placed(notes: list[NoteBlock], roles: Sequence[Role], start: int, n: int) -> list[NoteBlock]:
    """Each note marked front (no prose before it in the file), end (none after it) or inside."""
    taken = {k for nb in notes for k in range(nb.first, nb.last + 1)}
    prose = [k for k in range(start, n) if roles[k].kind == "prose" and k not in taken]
    first, last = (prose[0], prose[-1]) if prose else (n, -1)
    out = []
    for nb in notes:
        where = "front" if nb.last < first else "end" if nb.first > last else "inside"
        out.append(NoteBlock(nb.first, nb.last, where, nb.rule))
    return out
