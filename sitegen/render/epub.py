"""A work as an EPUB 3 file (through ebooklib): chapters, table of contents, metadata, the author's
notes as footnotes, and each character's quote colour kept.

The chapters' HTML is the one the site shows; lxml (ebooklib's own dependency)
turns it into XHTML and the sidenotes into EPUB footnotes. Each chapter's file is
compressed once (a Packed zip member, kept in the BuildCache by what it is made
from) and copied into the book as it is while the chapter is unchanged, so a
rebuild converts and compresses only the chapters that changed; the book's other
files (what ebooklib writes: the package file, the tables of contents) are kept
the same way, by all they are made from, so such a rebuild does not run ebooklib
(nor import it) unless a chapter's title or the work's metadata changed. The file is the
same bytes for the same work (zip entries dated 1980, dcterms:modified from
work.toml), so rebuilds are reproducible.
"""
from __future__ import annotations

import datetime
import io
import re
import struct
import zipfile
import zlib
from functools import lru_cache
from typing import MutableMapping, NamedTuple

from lxml import etree, html as lxml_html
from markupsafe import Markup, escape

from ..load.config import is_iso_date
from ..parallel import run_sent
from .theme import Words
from .views import ChapterView, WorkView

XHTML_NS = "http://www.w3.org/1999/xhtml"
EPUB_NS = "http://www.idpf.org/2007/ops"
FIXED_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
# Characters XML 1.0 does not allow (control characters): dropped, as they are from the HTML's meaning too.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_safe(text: str) -> str:
    return _NOT_XML.sub("", text)

BOOK_CSS = """
body { font-family: serif; line-height: 1.5; }
h1 { font-size: 1.6em; }
.q.thought { font-style: italic; }
.q.written { font-family: ui-monospace, "Cascadia Mono", "DejaVu Sans Mono", monospace; font-size: 0.92em; }
.scene-break { text-align: center; margin: 1.5em 0; }
aside.author-note, section.work-notes { border-left: 3px solid #999; padding-left: .8em; margin: 1em 0; font-size: .95em; }
.note-label { font-weight: bold; }
dl.work-meta dt { font-weight: bold; }
"""


class Packed(NamedTuple):
    """A zip member compressed once: its CRC-32, its size, and its bytes raw-deflated."""
    crc: int
    size: int
    deflated: bytes


LEVEL = 6                    # zlib's default, as ebooklib's


def pack(data: bytes) -> Packed:
    squeeze = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)
    return Packed(zlib.crc32(data), len(data), squeeze.compress(data) + squeeze.flush())


# The book's own words (headings, the title page's labels), given in the work's language by the theme's
# strings table (theme.words_of); English where the table has none.
WORDS = ("Rating", "Warnings", "Fandom", "Tags", "Published", "Updated", "Chapters", "Words", "by {author}",
         "Summary", "Notes", "End notes", "Author’s note:")


def work_epub(view: WorkView, memo: MutableMapping[tuple, object] | None = None,
              words: Words = Words()) -> bytes:
    """The work as EPUB 3 bytes, its own words (WORDS) from `words`. `memo` keeps each chapter's
    file, compressed, by what it is made from (chapter_key), so a rebuild converts and compresses only
    the chapters that changed; and what ebooklib writes (the package file, the tables of contents)
    under ("book", slug) with what it was made from (_BookParts), so a rebuild that changed no
    chapter title and no metadata copies that too, without ebooklib."""
    memo = {} if memo is None else memo
    _pack_chapters(view, memo, words)
    parts = _book_parts(view, words)
    kept = memo.get(("book", view.slug))
    if kept is not None and kept[0] == parts:
        entries = kept[1]
    else:
        entries = _book_files(parts)
        memo[("book", view.slug)] = (parts, entries)
    files: dict = {k: memo[(chapter_key(ch), view.language, words)] for k, ch in enumerate(view.chapters)}
    files["style"] = pack((BOOK_CSS + speaker_css(view)).encode("utf-8"))
    files["title"] = pack(_document(view.title, _title_page(view, words), view.language))
    if parts.end_notes:
        files["end"] = pack(_document(parts.end_notes, _notes_section(parts.end_notes, view.afterword), view.language))
    out = io.BytesIO()
    book = _Zip(out)
    for name, method, packed in entries:
        book.add(name, method, files[packed.key] if isinstance(packed, _Slot) else packed)
    book.close()
    return out.getvalue()


class _BookParts(NamedTuple):
    """What ebooklib writes the book's package file and tables of contents from (the files it is
    given are _Slots, put in when the book is zipped), and the versions of ebooklib and lxml."""
    slug: str
    title: str
    language: str
    author: str | None
    metadata: tuple[tuple[str, str], ...]          # (DC name, value)
    chapters: tuple[tuple[str, str], ...]          # (anchor, title)
    end_notes: str | None                          # their heading
    modified: datetime.datetime
    writers: tuple


def _book_parts(view: WorkView, words: Words) -> _BookParts:
    import ebooklib
    import lxml
    metadata = (*((("description", _xml_safe(view.summary)),) if view.summary else ()),
                *(("subject", _xml_safe(subject)) for subject in (view.fandom, *view.tags) if subject),
                *((("date", view.published),) if view.published else ()))
    return _BookParts(view.slug, _xml_safe(view.title), view.language or "en",
                      _xml_safe(view.author) if view.author else None, metadata,
                      tuple((ch.anchor, ch.title) for ch in view.chapters),
                      words("End notes") if view.afterword else None, _modified(view),
                      (ebooklib.VERSION, lxml.__version__))


class _Slot(NamedTuple):
    """A file of the book put in when it is zipped: a chapter's by its number, or "style", "title", "end"."""
    key: int | str


def _book_files(parts: _BookParts) -> list[tuple[str, int, Packed | _Slot]]:
    """The book's zip entries, in order, as ebooklib writes them from `parts`: (name, method, compressed
    file or the _Slot of a file put in later)."""
    from ebooklib import epub
    book = epub.EpubBook()
    book.set_identifier(f"urn:sitegen:{parts.slug}")
    book.set_title(parts.title)
    book.set_language(parts.language)
    if parts.author is not None:
        book.add_author(parts.author)
    for name, value in parts.metadata:
        book.add_metadata("DC", name, value)
    book.add_item(epub.EpubItem(uid="style", file_name="style.css", media_type="text/css", content=_Slot("style")))
    pages = [("title.xhtml", parts.title, _Slot("title")),
             *((f"{anchor}.xhtml", title, _Slot(k)) for k, (anchor, title) in enumerate(parts.chapters)),
             *((("end-notes.xhtml", parts.end_notes, _Slot("end")),) if parts.end_notes else ())]
    items = []
    for name, title, content in pages:
        items.append(epub.EpubItem(uid="page-" + name.rsplit(".", 1)[0], file_name=name,
                                   media_type="application/xhtml+xml", content=content))
        book.add_item(items[-1])
    book.toc = [epub.Link(item.file_name, _xml_safe(title), item.id) for item, (_, title, _) in zip(items, pages)]
    book.spine = ["nav", *items]
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    writer = _writer()(io.BytesIO(), book, {"mtime": parts.modified, "raise_exceptions": True,
                                            "epub3_pages": False})    # no print page numbers: skip the scan
    writer.process()
    writer.write()
    return writer.out.entries


def speaker_css(view: WorkView) -> str:
    """Each character's light-page colour, as on the site (e-readers show a light page)."""
    return "".join(f".q.c-{e.id} {{ color: {e.light}; }}\n" for e in view.legend)


def _document(title: str, body: str, lang: str) -> bytes:
    """One XHTML file of the book (written whole here: `body` is XML already, so ebooklib need not
    parse it again)."""
    lang = _text(lang or "en")
    return ('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n'
            f'<html xmlns="{XHTML_NS}" xmlns:epub="{EPUB_NS}" lang="{lang}" xml:lang="{lang}">'
            f'<head><title>{_text(title)}</title><link href="style.css" rel="stylesheet" type="text/css"/>'
            f'</head><body>{body}</body></html>').encode("utf-8")


def _text(value: str) -> str:
    return str(escape(_xml_safe(value)))


def _title_page(view: WorkView, say: Words) -> str:
    rows = [("Rating", view.rating), ("Warnings", ", ".join(view.warnings)), ("Fandom", view.fandom),
            ("Tags", ", ".join(view.tags)), ("Published", view.published), ("Updated", view.updated),
            ("Chapters", view.status), ("Words", f"{view.words:,}")]
    meta = "".join(f"<dt>{_text(say(k))}</dt><dd>{_text(v)}</dd>" for k, v in rows if v)
    parts = [f"<h1>{_text(view.title)}</h1>"]
    if view.author:
        parts.append(f"<p>{_text(say('by {author}', author=view.author))}</p>")
    parts.append(f'<dl class="work-meta">{meta}</dl>')
    if view.summary:
        parts.append(f"<h2>{_text(say('Summary'))}</h2><p>{_text(view.summary)}</p>")
    if view.preface:
        parts.append(_notes_section(say("Notes"), view.preface))
    return "".join(parts)


def _notes_section(label: str, notes: tuple[str, ...], heading: str = "h2") -> str:
    """Notes (each HTML, or text) as a section of the book, as XHTML."""
    if not notes:
        return ""
    return (f'<section class="work-notes" epub:type="preamble"><{heading}>{_text(label)}</{heading}>'
            + "".join(_fragment(n if isinstance(n, Markup) else f"<p>{_text(n)}</p>") for n in notes) + "</section>")


def _fragment(html: str) -> str:
    """An HTML fragment as XHTML."""
    root = lxml_html.fragment_fromstring(f"<div>{_xml_safe(html)}</div>")
    return _text(root.text or "") + "".join(_xhtml(child) for child in root)


def _chapter(ch: ChapterView, say: Words) -> str:
    """The chapter's HTML with each sidenote as a footnote: a note reference where it was, the note
    at the chapter's end; `say` gives the book's own words (WORDS)."""
    root = lxml_html.fragment_fromstring(f"<div>{_xml_safe(ch.body)}</div>")
    notes = []
    for label in root.xpath('//label[contains(concat(" ", @class, " "), " sidenote-number ")]'):
        target = label.get("for")
        toggle = label.getnext()
        note = toggle.getnext() if toggle is not None else None
        text = note.find('.//span[@class="sidenote-text"]') if note is not None else None
        ref = lxml_html.Element("a", {"href": f"#{target}", "id": f"{target}-ref", "class": "noteref"})
        ref.set("epub:type", "noteref")
        ref.text = (label.text_content() or "").strip()
        ref.tail = note.tail if note is not None else label.tail
        parent = label.getparent()
        parent.replace(label, ref)
        for gone in (toggle, note):
            if gone is not None and gone.getparent() is parent:
                parent.remove(gone)
        notes.append((target, ref.text, text))
    body = (f"<h1>{_text(ch.title)}</h1>" + _notes_section(say("Summary"), ch.summary, "h2")
            + _notes_section(say("Notes"), ch.notes, "h2")
            + _text(root.text or "") + "".join(_xhtml(child) for child in root)
            + _notes_section(say("End notes"), ch.end_notes, "h2"))
    note_label = _text(say("Author’s note:"))
    for target, number, text in notes:
        words = _xhtml_inner(text) if text is not None else ""
        body += (f'<aside id="{target}" epub:type="footnote" class="footnote"><p>'
                 f'<a href="#{target}-ref">{number}</a> {note_label} {words}</p></aside>')
    return body


def chapter_key(ch: ChapterView) -> tuple:
    """What a chapter's XHTML is made from (its body is the same object while the chapter is unchanged)."""
    return (ch.title, ch.body, ch.summary, ch.notes, ch.end_notes)


def _pack_chapters(view: WorkView, memo: MutableMapping[tuple, Packed], words: Words) -> None:
    """Make the files of the chapters `memo` lacks, shared with helpers (parallel.run_sent: each is sent a
    chapter's view; only the compressed files come back), and keep them in `memo`.

    A file found under an equal key is kept under this chapter's key from now on: a body made again
    with the same text (every chapter's, when the cast changed) is a new object, and cache.prune
    keeps the files of the bodies in use by identity (a kept key would hold the old body)."""
    todo = []
    for ch in view.chapters:
        key = (chapter_key(ch), view.language, words)
        if key in memo:
            memo[key] = memo.pop(key)           # (dict keeps the first key object of equal ones)
        else:
            todo.append(ch)
    made = run_sent(_packed_chapter, [(ch, view.language, words) for ch in todo],
                    work=sum(len(ch.body) for ch in todo))
    for ch, packed in zip(todo, made):
        memo[(chapter_key(ch), view.language, words)] = packed


def _packed_chapter(ch: ChapterView, lang: str, say: Words) -> Packed:
    """A chapter's file, compressed (run_sent's job)."""
    return pack(_document(ch.title, _chapter(ch, say), lang))


def _xhtml(element) -> str:
    return etree.tostring(element, method="xml", encoding="unicode", with_tail=True)


def _xhtml_inner(element) -> str:
    return _text(element.text or "") + "".join(_xhtml(child) for child in element)


def _modified(view: WorkView) -> datetime.datetime:
    """The book's date: the work's updated or published date when it is one ("YYYY-MM-DD"; work.toml may
    hold any text there, shown as written on the pages), else a fixed one (the same book, the same bytes)."""
    dates = [d for d in (view.updated, view.published) if d and is_iso_date(d)]
    return datetime.datetime.fromisoformat(dates[0] if dates else "2000-01-01")


class _Entries:
    """What ebooklib writes, kept as the book's entries: (name, method, compressed file or _Slot)."""
    def __init__(self):
        self.entries = []

    def writestr(self, name: str, data, compress_type: int | None = None, compresslevel=None) -> None:
        if isinstance(data, str):
            data = data.encode("utf-8")
        if isinstance(data, _Slot):
            self.entries.append((name, zipfile.ZIP_DEFLATED, data))
        elif compress_type == zipfile.ZIP_STORED:
            self.entries.append((name, zipfile.ZIP_STORED, Packed(zlib.crc32(data), len(data), data)))
        else:
            self.entries.append((name, zipfile.ZIP_DEFLATED, pack(data)))


class _Zip:
    """The book's zip, written in one pass: every entry dated 1980-01-01 (the same book, the same
    bytes), stored or deflated, each copied as it was compressed. (zipfile cannot copy a member
    compressed before; no ZIP64: a book over 4 GB is refused.)"""
    DATE = (FIXED_ZIP_DATE[0] - 1980) << 9 | FIXED_ZIP_DATE[1] << 5 | FIXED_ZIP_DATE[2]

    def __init__(self, out: io.BytesIO):
        self.out, self.entries = out, []

    def add(self, name: str, method: int, packed: Packed) -> None:
        raw, offset = name.encode("utf-8"), self.out.tell()
        if max(offset, packed.size, len(packed.deflated)) >= 0xFFFFFFFF:
            raise ValueError("the EPUB would be over 4 GB")
        fields = (0 if name.isascii() else 0x800, method, 0, self.DATE, packed.crc, len(packed.deflated),
                  packed.size, len(raw))
        self.out.write(struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, *fields, 0) + raw)
        self.out.write(packed.deflated)
        self.entries.append((fields, offset, raw))

    def close(self) -> None:
        start = self.out.tell()
        for fields, offset, raw in self.entries:          # made on Unix (3), version 2.0; -rw-r--r--
            self.out.write(struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 3 << 8 | 20, 20, *fields, 0, 0, 0, 0,
                                       0o644 << 16, offset) + raw)
        size = self.out.tell() - start
        self.out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(self.entries), len(self.entries),
                                   size, start, 0))


@lru_cache(maxsize=1)
def _writer() -> type:
    """ebooklib's writer (the same steps as EpubWriter.write) into _Entries (ebooklib is imported only
    when the book's files are made again)."""
    from ebooklib import epub

    class Writer(epub.EpubWriter):
        def write(self):
            self.out = _Entries()
            self.out.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
            self._write_container()
            self._write_opf()
            self._write_items()
    return Writer
