"""Read an EPUB: AO3's (the download's XHTML, split over files) or any other (one chapter per spine file).

An EPUB is a zip: META-INF/container.xml names the package (.opf), whose spine
lists the XHTML files in reading order. They are read with the standard
library's zipfile and parsed with BeautifulSoup's html.parser (no lxml).
"""
from __future__ import annotations

import posixpath
import zipfile
from pathlib import Path
from urllib.parse import unquote

from bs4 import BeautifulSoup

from ..errors import SitegenError
from .ao3 import is_ao3_download, read_download, text_of
from ..model import ChapterInfo
from .common import ImportedChapter, ImportedWork
from .markdown import Found, parse, to_markdown, to_plain

MAX_BYTES = 200 * 1024 * 1024          # refuse archives that unpack to more than this


def spine_documents(path: Path) -> tuple[BeautifulSoup, list[bytes]]:
    """The package document and the spine's XHTML files, in reading order."""
    try:
        with zipfile.ZipFile(path) as z:
            if sum(i.file_size for i in z.infolist()) > MAX_BYTES:
                raise SitegenError("this EPUB unpacks to more than 200 MB", path=str(path),
                                   hint="is it really a story? sitegen reads EPUBs of text")
            rootfile = parse(z.read("META-INF/container.xml")).find("rootfile")
            opf_path = rootfile.get("full-path") if rootfile is not None else None
            if not opf_path:
                raise KeyError("rootfile")
            opf = parse(z.read(opf_path))
            manifest = {item.get("id"): item.get("href") for item in opf.find_all("item")}
            base = posixpath.dirname(opf_path)
            names = [posixpath.normpath(posixpath.join(base, unquote(manifest[ref.get("idref")])))
                     for ref in opf.find_all("itemref") if manifest.get(ref.get("idref"))]
            return opf, [z.read(name) for name in names]
    except (zipfile.BadZipFile, KeyError, OSError) as e:
        raise SitegenError(f"not a readable EPUB ({type(e).__name__}: {e})", path=str(path),
                           hint="download the EPUB again, or import the HTML download instead") from None


def joined(documents: list[bytes]) -> BeautifulSoup:
    """The spine's bodies as one HTML document, in order."""
    whole = BeautifulSoup("<html><body></body></html>", "html.parser")
    for doc in documents:
        soup = parse(doc)
        body = soup.body or soup
        for child in list(body.children):
            whole.body.append(child.extract())
    return whole


def package_meta(opf: BeautifulSoup, found: Found) -> dict:
    """What the package document says: title, authors, language, subjects (as tags), description."""
    meta = {"title": text_of(opf.find("dc:title")),
            "author": [text_of(c) for c in opf.find_all("dc:creator") if text_of(c)],
            "language": text_of(opf.find("dc:language")),
            "tags": [text_of(s) for s in opf.find_all("dc:subject") if text_of(s)]}
    description = opf.find("dc:description")
    if description is not None:
        meta["summary"] = to_plain(parse(description.get_text()), found)
    return meta


def read_epub(path: Path) -> ImportedWork:
    opf, documents = spine_documents(path)
    whole = joined(documents)
    if is_ao3_download(whole):
        return read_download(whole, "AO3 download (EPUB)")
    found = Found()
    chapters = []
    for doc in documents:
        soup = parse(doc)
        body = soup.body or soup
        heading = body.find(["h1", "h2", "h3"])
        text = to_markdown(body, found)
        if text.strip():
            chapters.append(ImportedChapter(text, ChapterInfo(text_of(heading) if heading is not None else "")))
    unread = [f"{found.images} image(s): their alt text is kept in [brackets]"] if found.images else []
    return ImportedWork("EPUB", package_meta(opf, found), tuple(chapters), (), tuple(unread))
