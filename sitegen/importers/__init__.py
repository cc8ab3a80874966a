"""`sitegen import`: turn a file an author has (AO3 download, EPUB, .docx, saved page) into a work folder.

The formats are an ordered list of rules (data): each names itself, says which
files it takes and reads them into an `ImportedWork`; `common.write_work`
writes the folder. The report says which rule read the file.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..errors import SitegenError
from ..text.markers import heading_title
from . import ao3, savedpage
from .common import ImportedWork, WriteResult, work_slug, write_work
from .docx import read_docx
from .epub import read_epub
from .markdown import parse, unescape

WORD = re.compile(r"\w+(?:['’]\w+)*")

SUPPORTED = ("an AO3 download (.html or .epub: on the work's page, Download → HTML or EPUB), "
             "any other .epub, a .docx (Word, Google Docs: File → Download → .docx), "
             "or an AO3 or FanFiction.net chapter page saved from the browser (.html)")


def read_html(path: Path) -> ImportedWork:
    """An AO3 download, or a saved AO3 or FanFiction.net page: the first reader whose test the page passes."""
    soup = parse(path.read_bytes())
    for test, read in ((ao3.is_ao3_download, lambda s: ao3.read_download(s, "AO3 download (HTML)")),
                       (savedpage.is_ao3_page, savedpage.read_ao3_page),
                       (savedpage.is_ffn_page, savedpage.read_ffn_page)):
        if test(soup):
            return read(soup)
    raise SitegenError("this HTML file is not an AO3 download or a saved AO3 or FanFiction.net page",
                       path=str(path), hint=f"sitegen imports {SUPPORTED}; for other pages, copy the text "
                                            "into a .md file in content/<work>/")


@dataclass(frozen=True)
class Format:
    name: str
    suffixes: tuple[str, ...]
    read: Callable[[Path], ImportedWork]


FORMATS = (Format("HTML", (".html", ".htm", ".xhtml"), read_html),
           Format("EPUB", (".epub",), read_epub),
           Format("Word document", (".docx",), read_docx))


def read_file(path: Path) -> ImportedWork:
    """The work in a file, by its kind; anything else is a message naming what is supported."""
    if not path.is_file():
        raise SitegenError("no such file", path=str(path), hint="check the file's name and folder")
    suffix = path.suffix.lower()
    fmt = next((f for f in FORMATS if suffix in f.suffixes), None)
    if fmt is None:
        hint = f"sitegen imports {SUPPORTED}"
        if suffix in (".txt", ".md", ".markdown"):
            hint = f"a {suffix} file needs no import: put it in content/<work>/ and run sitegen build"
        elif suffix in (".mobi", ".azw3", ".pdf", ".doc", ".odt", ".rtf"):
            hint = f"{suffix} is not read; {hint}"
        raise SitegenError(f"cannot import a {suffix or 'file without an extension'}", path=str(path), hint=hint)
    try:
        work = fmt.read(path)
    except OSError as e:
        raise SitegenError(f"cannot read file: {e.strerror}", path=str(path)) from None
    except SitegenError as e:                  # a reader's message, about this file
        e.path = e.path or str(path)
        raise
    if not work.chapters or not any(c.markdown.strip() for c in work.chapters):
        raise SitegenError(f"found no story text in this {fmt.name} file; nothing was written", path=str(path),
                           hint=f"sitegen imports {SUPPORTED}")
    return work


def import_file(path: Path, into: Path, slug: str | None = None, force: bool = False) -> tuple[ImportedWork, WriteResult]:
    work = read_file(Path(path))
    folder = Path(into) / work_slug(work, slug)
    return work, write_work(work, folder, force=force)


def listing(names: list[str], most: int = 6) -> str:
    """File names for the report: all of a few, else the first and last and how many."""
    if len(names) <= most:
        return ", ".join(names)
    return f"{names[0]} ... {names[-2]} ({len(names) - 1} files), {names[-1]}" if names[-1] == "work.toml" \
        else f"{names[0]} ... {names[-1]} ({len(names)} files)"


def chapter_count(work: ImportedWork) -> int:
    """The chapters the build will find: one per file written, and one more at each heading or
    chapter marker (`Chapter 3`) inside a file, as in any text (a .docx's headings)."""
    total = 0
    for c in work.chapters:
        blocks = [b for b in c.markdown.split("\n\n") if b.strip()]
        heads = [i for i, b in enumerate(blocks) if heading_title(b) is not None]
        total += len(heads) + (0 if heads and heads[0] == 0 else 1)
    return total


def report(work: ImportedWork, result: WriteResult) -> str:
    """What was found, written and kept, for the terminal."""
    m, chapters = work.meta, work.chapters
    words = sum(len(WORD.findall(unescape(c.markdown))) for c in chapters)
    count = chapter_count(work)
    lines = [f"imported {work.format} into {result.folder}/",
             f"  {m.get('title', '(no title)')}" + (f" by {', '.join(m['author'])}" if m.get("author") else ""),
             f"  {count} chapter{'s' if count != 1 else ''}, {words:,} words"
             + (f" (the file says {m['word_count']:,})" if m.get("word_count") else "")]
    tags = [(label, m.get(key) or ()) for label, key in (("fandoms", "fandom"), ("warnings", "warnings"),
                                                           ("categories", "categories"), ("relationships", "relationships"),
                                                           ("additional tags", "tags"))]
    tags.append(("characters", work.characters))
    found = [f"{label}: {len(v)}" for label, v in tags if v]
    if m.get("rating"):
        found.insert(0, f"rating {m['rating']}")
    if m.get("series"):
        found.append(", ".join(f"part {s.get('position', '?')} of the series {s['title']}" for s in m["series"]))
    lines.append("  tags: " + ("; ".join(found) if found else "none"))
    notes = [label for label, present in (("summary", m.get("summary")), ("work notes", m.get("notes")),
                                          ("end notes", m.get("end_notes"))) if present]
    for one, many, attr in (("chapter summary", "chapter summaries", "summary"), ("chapter note", "chapter notes", "notes"),
                            ("chapter end note", "chapter end notes", "end_notes")):
        n = sum(1 for c in chapters if getattr(c.info, attr))
        if n:
            notes.append(f"{n} {one if n == 1 else many}")
    lines.append("  notes: " + (", ".join(notes) if notes else "none"))
    if work.characters:
        lines.append(f"  cast: {len(work.characters)} characters from the tags as [characters.<id>] in work.toml")
    if result.written or result.removed:
        lines.append("  wrote: " + listing(result.written) + (f"; removed: {listing(result.removed)}"
                                                                if result.removed else ""))
    elif not result.first:
        lines.append("  nothing changed since the last import")
    lines += [f"  kept: {k}" for k in result.kept]
    lines += [f"  not imported: {u}" for u in work.unread]
    return "\n".join(lines)
