"""The EPUB download: valid EPUB 3 (epubcheck when installed; always well-formed XML), chapters,
table of contents, metadata, the author's notes as footnotes, speaker colours kept."""
from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest

from sitegen.build import build_site

from conftest import REPO, missing_words

EPUBCHECK = Path("/usr/share/java/epubcheck.jar")
OPF = "{http://www.idpf.org/2007/opf}"
DC = "{http://purl.org/dc/elements/1.1/}"


@pytest.fixture(scope="module")
def built():
    result = build_site(REPO)
    return result, result.files["change-of-plans/change-of-plans.epub"]


def test_the_work_page_links_the_epub(built):
    result, _ = built
    assert 'href="change-of-plans.epub" download' in result.files["change-of-plans/index.html"].decode()


def test_every_file_parses_and_the_opf_lists_chapters_toc_and_metadata(built):
    result, data = built
    work = result.works[0]
    z = zipfile.ZipFile(io.BytesIO(data))
    assert z.namelist()[0] == "mimetype" and z.read("mimetype") == b"application/epub+zip"
    assert z.getinfo("mimetype").compress_type == zipfile.ZIP_STORED
    container = ElementTree.fromstring(z.read("META-INF/container.xml"))
    opf_path = container.find(".//{urn:oasis:names:tc:opendocument:xmlns:container}rootfile").get("full-path")
    opf = ElementTree.fromstring(z.read(opf_path))
    assert opf.get("version") == "3.0"
    assert opf.find(f".//{DC}title").text == work.meta.title
    assert opf.find(f".//{DC}creator").text == work.meta.author
    assert {e.text for e in opf.findall(f".//{DC}subject")} >= set(work.meta.tags)
    for name in z.namelist():
        if name.endswith((".xhtml", ".opf", ".ncx", ".xml")):
            ElementTree.fromstring(z.read(name))          # well-formed XML, or this raises
    nav = z.read("EPUB/nav.xhtml").decode()
    for ch in work.chapters:
        assert f"{ch.slug}.xhtml" in nav
        assert f"EPUB/{ch.slug}.xhtml" in z.namelist()


def test_notes_are_footnotes_and_quotes_keep_their_colours(built):
    result, data = built
    z = zipfile.ZipFile(io.BytesIO(data))
    chapters = "".join(z.read(n).decode() for n in z.namelist() if re.search(r"chapter-\d+\.xhtml$", n))
    refs = re.findall(r'epub:type="noteref"', chapters)
    notes = re.findall(r'<aside id="([\w-]+)" epub:type="footnote"', chapters)
    assert refs and len(refs) == len(notes)
    assert "<input" not in chapters and "<label" not in chapters
    css = z.read("EPUB/style.css").decode()
    legend = re.findall(r"\.c-(\w+) \{ --speaker-light: (#[0-9a-f]{6});",
                        result.files["change-of-plans/characters.css"].decode())
    assert legend
    for cid, colour in legend:
        assert f".q.c-{cid} {{ color: {colour}; }}" in css
        assert f'class="q c-{cid}' in chapters or f'class="q thought c-{cid}' in chapters


def test_every_word_of_the_work_is_in_the_book(built):
    """Nothing lost: every word of the source (notes included) is in the EPUB's pages."""
    _, data = built
    z = zipfile.ZipFile(io.BytesIO(data))
    book = "".join(z.read(n).decode() for n in z.namelist() if n.endswith(".xhtml") and n != "EPUB/nav.xhtml")
    source = (REPO / "content" / "change-of-plans" / "change-of-plans.txt").read_text(encoding="utf-8")
    assert not missing_words(source, book)


def test_the_same_work_gives_the_same_bytes(built):
    _, data = built
    assert build_site(REPO).files["change-of-plans/change-of-plans.epub"] == data


@pytest.mark.skipif(not EPUBCHECK.is_file() or not shutil.which("java"),
                    reason="epubcheck is not installed (apt-get install epubcheck)")
def test_epubcheck_finds_no_error(built, tmp_path):
    _, data = built
    book = tmp_path / "book.epub"
    book.write_bytes(data)
    run = subprocess.run(["java", "-jar", str(EPUBCHECK), str(book)], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 fatals / 0 errors / 0 warnings" in run.stdout


def test_chapter_summaries_and_notes_from_work_toml_are_in_the_book(tmp_path):
    work = tmp_path / "content" / "w"
    work.mkdir(parents=True)
    (work / "story.txt").write_text('A Walk\n\nChapter 1\n\n"Hello," said Ann.\n\nChapter 2\n\nThey walked.\n')
    (work / "work.toml").write_text('notes = "WORK-NOTE <3"\n\n[[chapter]]\nsummary = "SUMMARY-MARK"\n'
                                    'notes = "NOTE-MARK & more"\nend_notes = "END-MARK"\n')
    z = zipfile.ZipFile(io.BytesIO(build_site(tmp_path).files["w/w.epub"]))
    book = "".join(z.read(n).decode() for n in z.namelist() if n.endswith(".xhtml"))
    for mark in ("WORK-NOTE &lt;3", "SUMMARY-MARK", "NOTE-MARK &amp; more", "END-MARK"):
        assert mark in book
    for name in z.namelist():
        if name.endswith(".xhtml"):
            ElementTree.fromstring(z.read(name))


def test_the_books_own_words_are_in_the_works_language(tmp_path):
    for slug, language, author in (("fr", "fr", "Anne"), ("en", "en", "Ann")):
        work = tmp_path / "content" / slug
        work.mkdir(parents=True)
        (work / "story.txt").write_text('Chapter 1\n\n"Hello," said Ann.\n')
        (work / "work.toml").write_text(f'language = "{language}"\nauthor = "{author}"\nrating = "T"\n\n'
                                        '[[chapter]]\nsummary = "SUMMARY-MARK"\n')
    files = build_site(tmp_path).files

    def book(slug: str) -> str:
        z = zipfile.ZipFile(io.BytesIO(files[f"{slug}/{slug}.epub"]))
        return "".join(z.read(n).decode() for n in z.namelist() if n.endswith(".xhtml"))
    french, english = book("fr"), book("en")
    assert "par Anne" in french and "<dt>Classement</dt>" in french and "<h2>Résumé</h2>" in french
    assert "by Anne" not in french and "<h2>Summary</h2>" not in french
    assert "by Ann" in english and "<dt>Rating</dt>" in english and "<h2>Summary</h2>" in english
