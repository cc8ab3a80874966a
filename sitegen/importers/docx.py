"""Read a .docx (Word, Google Docs, LibreOffice): its text through mammoth, its title and author from its properties.

mammoth turns the document into plain HTML (headings, italics, bold, lists,
tables as text) without Word's styling; underline is mapped to emphasis. The
HTML then goes through the same converter as every other format. Headings stay
Markdown headings, so sitegen's chapter finder splits at them (and at "Chapter 3"
lines) exactly as in a .md file. The same function serves `sitegen import` and
a .docx placed directly in a work folder.
"""
from __future__ import annotations

import zipfile
from pathlib import Path

import mammoth
import yaml

from ..errors import SitegenError
from .ao3 import text_of
from .common import ImportedChapter, ImportedWork
from .markdown import Found, parse, to_markdown

STYLE_MAP = "u => em\np[style-name='Title'] => h1:fresh\np[style-name='Subtitle'] => h2:fresh"


def properties(path: Path) -> dict:
    """Title, author, summary, keywords and language from docProps/core.xml, where the document has them."""
    try:
        with zipfile.ZipFile(path) as z:
            core = parse(z.read("docProps/core.xml")) if "docProps/core.xml" in z.namelist() else None
    except (zipfile.BadZipFile, OSError) as e:
        raise SitegenError(f"not a readable .docx ({e})", path=str(path),
                           hint="save it again from Word or Google Docs (File → Download → .docx)") from None
    if core is None:
        return {}
    meta = {"title": text_of(core.find("dc:title")), "author": text_of(core.find("dc:creator")),
            "summary": text_of(core.find("dc:description")), "language": text_of(core.find("dc:language")),
            "tags": [t.strip() for t in text_of(core.find("cp:keywords")).replace(";", ",").split(",") if t.strip()]}
    return {k: v for k, v in meta.items() if v}


def docx_html(path: Path) -> tuple[str, list[str]]:
    """The document as HTML, and mammoth's warnings (what it could not convert)."""
    try:
        with open(path, "rb") as f:
            result = mammoth.convert_to_html(f, style_map=STYLE_MAP)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as e:
        raise SitegenError(f"not a readable .docx ({type(e).__name__}: {e})", path=str(path),
                           hint="save it again from Word or Google Docs (File → Download → .docx)") from None
    return result.value, [m.message for m in result.messages if m.type == "warning"]


def read_docx(path: Path) -> ImportedWork:
    html, warnings = docx_html(path)
    found = Found()
    text = to_markdown(parse(html), found)
    meta = properties(path)
    if meta.get("author"):
        meta["author"] = [meta["author"]]
    meta.setdefault("title", path.stem.replace("_", " "))
    unread = [*warnings, *([f"{found.images} image(s): their alt text is kept in [brackets]"] if found.images else [])]
    return ImportedWork(".docx", meta, (ImportedChapter(text),), (), tuple(unread))


def docx_source(path: Path) -> str:
    """A .docx in a work folder as the text of a .md file: front matter from its properties, then Markdown."""
    html, _ = docx_html(path)
    meta = {k: v for k, v in properties(path).items() if k in ("title", "author", "summary", "tags", "language")}
    body = to_markdown(parse(html))
    front = f"---\n{yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)}---\n\n" if meta else ""
    return front + body
