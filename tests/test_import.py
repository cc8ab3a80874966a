"""`sitegen import`: AO3 downloads (HTML, EPUB), .docx, saved pages -> work folders that build; re-import keeps edits."""
from __future__ import annotations

import tomllib
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from sitegen.build import build_site
from sitegen.cli import main
from sitegen.errors import SitegenError
from sitegen.importers import import_file, read_file
from sitegen.importers.markdown import escape_text, parse, to_markdown
from sitegen.render.markdown import render_paragraph

from conftest import make_site, missing_words, page_text

FIXTURES = Path(__file__).parent / "fixtures" / "import"
MULTI = FIXTURES / "ao3-multi.html"
ONESHOT = FIXTURES / "ao3-oneshot.html"


def source_words(path: Path) -> str:
    """The words an AO3 download shows as the work: its texts, notes, summaries and chapter titles
    (not the archive's own labels such as "Posted originally on" or "Stats")."""
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    for s in soup.find_all(["script", "style"]):
        s.decompose()
    parts = [el.get_text(" ") for el in soup.find_all(["blockquote", "div"], class_="userstuff")
             if el.get("id") != "chapters"]
    parts += [h.get_text(" ").split(":", 1)[-1] for h in soup.find_all("h2", class_="heading") if ":" in h.get_text()]
    parts.append(soup.find("h1").get_text())
    return " ".join(parts)


def imported_site(tmp_path: Path, *files: Path, **kw) -> Path:
    site = make_site(tmp_path, {"sitegen.toml": 'title = "Imports"\n'})
    for f in files:
        import_file(f, site / "content", **kw)
    return site


def built(site: Path) -> dict[str, str]:
    return {k: v.decode("utf-8") for k, v in build_site(site).files.items() if k.endswith((".html", ".xml"))}


# ---------------------------------------------------------------- AO3 HTML download

def test_ao3_multi_chapter_folder_and_work_toml(tmp_path):
    site = imported_site(tmp_path, MULTI)
    folder = site / "content" / "the-lantern-road"
    assert sorted(p.name for p in folder.iterdir() if not p.name.startswith(".")) == \
        ["chapter-01.md", "chapter-02.md", "chapter-03.md", "work.toml"]
    data = tomllib.loads((folder / "work.toml").read_text(encoding="utf-8"))
    assert data["title"] == "The Lantern Road" and data["author"] == ["Wren_Writes", "Cobble"]
    assert data["fandom"] == ["Orchard Chronicles"] and data["rating"] == "Teen And Up Audiences"
    assert data["warnings"] == ["No Archive Warnings Apply"] and data["categories"] == ["F/M", "Gen"]
    assert data["relationships"] == ["Mira Vale/Tobin Ash"] and data["tags"] == ["Slow Burn", "Road Trip", "Lanterns"]
    assert data["language"] == "en" and data["series"] == [
        {"title": "Lights Along the Way", "position": 2, "url": "http://archiveofourown.org/series/777"}]
    assert (data["published"], data["updated"], data["word_count"]) == ("2021-03-04", "2021-05-06", 412)
    assert data["source_url"] == "http://archiveofourown.org/works/424242"
    assert data["summary"].startswith("Mira carries the last lantern")
    assert data["notes"] == ("Written for the Lantern Exchange (https://example.org/exchange). "
                             "Thank you to my beta readers!\n\nSecond paragraph of the work notes.")
    assert data["end_notes"] == "Thank you all for following the road."
    assert data["chapter"] == [
        {"title": "Fenwick", "summary": "The lantern goes out, almost.", "notes": "Chapter one starts quietly, I promise.",
         "end_notes": "Thanks for reading chapter one."},
        {"notes": "A short one."},
        {"title": "Home Light", "end_notes": "Last chapter end note."}]
    assert data["characters"] == {"mira-vale": {"name": "Mira Vale"}, "tobin-ash": {"name": "Tobin Ash"},
                                  "old-hesper": {"name": "Old Hesper"}}


def test_ao3_markdown_keeps_emphasis_structure_and_escapes_text(tmp_path):
    folder = imported_site(tmp_path, MULTI) / "content" / "the-lantern-road"
    one = (folder / "chapter-01.md").read_text(encoding="utf-8")
    assert "*Too empty,* she thought" in one and "a **very** large pack" in one and "with a *look* and" in one
    assert "a shrug.\\\nThen she laughed.\\\nIt carried" in one            # <br> kept as hard line breaks
    assert "\n\n* * *\n\n" in one                                            # <hr> is a scene break
    assert "Stars \\* and \\_underscores\\_ and [brackets]" in one and "*2 < 3* sum & a" in one
    assert "the *quiet* roads" in one                                        # <span style="font-style: italic">
    for gone in ("script", "injected", "onclick", "steal", "color", "<p", "<em", "<br", "<u"):
        assert gone not in one
    two = (folder / "chapter-02.md").read_text(encoding="utf-8")
    assert two.startswith("### The Toll Bridge\n")
    assert "\n> Pay the lantern's due, and cross.\n" in two
    assert "- one copper coin\n\n- one true story\n\n1. First Mira,\n\n2. then Tobin." in two
    assert "\\- not a list" in two
    three = (folder / "chapter-03.md").read_text(encoding="utf-8")
    assert "(\\^ not a marker) and (\\! not a keep mark)" in three and '"Hi,"{\\=tobin}' in three


def test_ao3_multi_chapter_builds_with_metadata_notes_and_every_word(tmp_path):
    pages = built(imported_site(tmp_path, MULTI))
    index = BeautifulSoup(pages["the-lantern-road/index.html"], "html.parser")
    meta = " ".join(index.find("dl", class_="work-meta").get_text(" ").replace(" ,", ",").split())   # tags are links
    for shown in ("Orchard Chronicles", "Teen And Up Audiences", "No Archive Warnings Apply", "F/M, Gen",
                  "Mira Vale/Tobin Ash", "Slow Burn", "Road Trip", "Part 2 of", "Lights Along the Way",
                  "2021-03-04", "2021-05-06", "http://archiveofourown.org/works/424242"):
        assert shown in meta, shown
    assert "Wren_Writes, Cobble" in index.find(class_="byline").get_text()
    assert [li.get_text(" ").split(" ")[0] for li in index.select("ul.cast-list li")]      # the cast from the tags
    assert {"Mira Vale", "Tobin Ash", "Old Hesper"} <= {" ".join(li.get_text(" ").split()[:2])
                                                        for li in index.select("ul.cast-list li")}
    assert "Second paragraph of the work notes." in index.find("aside", class_="preface").get_text()
    whole = pages["the-lantern-road/all.html"]
    assert not missing_words(source_words(MULTI), whole)
    assert [h.get_text() for h in BeautifulSoup(whole, "html.parser").select("h2.chapter-title")] == \
        ["Fenwick", "The Toll Bridge", "Home Light"]


def test_chapter_notes_are_notes_never_prose(tmp_path):
    pages = built(imported_site(tmp_path, MULTI))
    for page in ("the-lantern-road/chapter-1.html", "the-lantern-road/all.html"):
        soup = BeautifulSoup(pages[page], "html.parser")
        prose = " ".join(p.get_text(" ") for p in soup.find_all(class_="prose"))
        notes: dict[str, str] = {}
        for a in soup.find_all("aside", class_="work-notes"):
            notes[a["class"][1]] = notes.get(a["class"][1], "") + a.get_text(" ")
        for text, kind in (("The lantern goes out, almost.", "chapter-summary"),
                           ("Chapter one starts quietly, I promise.", "chapter-notes"),
                           ("Thanks for reading chapter one.", "chapter-end-notes")):
            assert text in notes[kind] and text not in prose
    chapter1 = BeautifulSoup(pages["the-lantern-road/chapter-1.html"], "html.parser")
    asides = [a["class"][1] for a in chapter1.find("article").find_all("aside", class_="work-notes")]
    assert asides == ["preface", "chapter-summary", "chapter-notes", "chapter-end-notes"]   # in AO3's order
    last = BeautifulSoup(pages["the-lantern-road/chapter-3.html"], "html.parser")
    assert [a["class"][1] for a in last.find_all("aside", class_="work-notes")] == ["chapter-end-notes", "afterword"]


def test_chapter_notes_stay_with_their_file_when_it_has_a_heading_inside(tmp_path):
    # Issue 12: a chapter file is one chapter; a heading inside it is a section heading on that page
    # (not a new page), and the file's chapter notes all stay on its page.
    site = imported_site(tmp_path, MULTI)
    one = site / "content" / "the-lantern-road" / "chapter-01.md"
    one.write_text(one.read_text(encoding="utf-8").replace("* * *", "## Interlude"), encoding="utf-8")
    pages = built(site)
    whole = BeautifulSoup(pages["the-lantern-road/all.html"], "html.parser")
    chapters = whole.find_all("section", class_="chapter")
    assert [c.find("h2").get_text() for c in chapters] == ["Fenwick", "The Toll Bridge", "Home Light"]
    assert [h.get_text() for h in chapters[0].find_all("h2", class_="section-heading")] == ["Interlude"]
    notes = [[a.get_text(" ", strip=True) for a in c.find_all("aside")] for c in chapters]
    assert notes[0] == ["Chapter summary The lantern goes out, almost.", "Chapter notes Chapter one starts quietly, I promise.",
                        "Chapter end notes Thanks for reading chapter one."]
    assert notes[1] == ["Chapter notes A short one."] and notes[2] == ["Chapter end notes Last chapter end note."]


def test_italics_stay_italics_and_structure_renders(tmp_path):
    pages = built(imported_site(tmp_path, MULTI))
    one = BeautifulSoup(pages["the-lantern-road/chapter-1.html"], "html.parser").find(class_="prose")
    ems = [em.get_text(" ", strip=True) for em in one.find_all("em")]
    assert "look" in ems and "quiet" in ems and "2 < 3" in ems
    assert any(e.endswith("Too empty,") for e in ems)          # an italic thought: in italics, marked as a thought
    assert one.find("em").find(class_="thought") is not None
    assert one.find("strong").get_text() == "very" and len(one.find_all("br")) == 2
    assert "Stars * and _underscores_ and [brackets] stay text" in one.get_text()
    two = BeautifulSoup(pages["the-lantern-road/chapter-2.html"], "html.parser").find(class_="prose")
    assert two.find("blockquote").get_text(strip=True) == "Pay the lantern's due, and cross."
    assert [li.get_text(strip=True) for li in two.find_all("li")] == \
        ["one copper coin", "one true story", "First Mira,", "then Tobin."]
    assert len(two.find_all("ul")) == 1 and len(two.find_all("ol")) == 1        # one list each, not one per item
    three = BeautifulSoup(pages["the-lantern-road/chapter-3.html"], "html.parser").find(class_="prose").get_text()
    assert '(^ not a marker) and (! not a keep mark) and "Hi,"{=tobin} stay text.' in " ".join(three.split()) \
        .replace("Tobin Ash: ", "")


def test_raw_html_never_reaches_the_site(tmp_path):
    pages = built(imported_site(tmp_path, MULTI, ONESHOT))
    for name, html in pages.items():
        for bad in ("alert(", "document.write", "injected", "onclick", "steal()", "color:red", "fox.png", "<img"):
            assert bad not in html, (name, bad)
        if name.endswith(".html"):
            scripts = BeautifulSoup(html, "html.parser").find_all("script")
            assert all(s.get("src", "").endswith("reader.js") for s in scripts), name


def test_ao3_one_chapter_work(tmp_path):
    site = imported_site(tmp_path, ONESHOT)
    folder = site / "content" / "small-hours"
    assert sorted(p.name for p in folder.iterdir() if not p.name.startswith(".")) == ["small-hours.md", "work.toml"]
    assert (folder / "small-hours.md").read_text(encoding="utf-8").startswith("Small Hours\n\n")
    pages = built(site)
    whole = pages["small-hours/all.html"]
    assert not missing_words(source_words(ONESHOT), whole)
    soup = BeautifulSoup(whole, "html.parser")
    assert "Small Hours" not in soup.find(class_="prose").get_text()          # the title line is the title
    assert "A little drabble" in soup.find("aside", class_="preface").get_text()
    assert "Goodnight, readers." in soup.find("aside", class_="afterword").get_text()
    assert "[a drawing of a fox]" in soup.find(class_="prose").get_text()


# ---------------------------------------------------------------- EPUB

def ao3_epub(path: Path, html: Path) -> Path:
    """An EPUB in AO3's layout: calibre splits the download at the preface, each chapter and the afterword."""
    soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
    pieces = [str(soup.find(id="preface"))]
    chapters = soup.find(id="chapters")
    group: list[str] = []
    for child in chapters.find_all(recursive=False):
        if "group" in (child.get("class") or []) and group:
            pieces.append("".join(group))
            group = []
        group.append(str(child))
    pieces.append("".join(group))
    pieces[1] = f'<div id="chapters" class="userstuff">{pieces[1]}</div>'
    pieces[2:] = [f'<div class="userstuff">{p}</div>' for p in pieces[2:]]
    pieces.append(str(soup.find(id="afterword")))
    return write_epub(path, [calibre_classes(p) for p in pieces], "The Lantern Road")


def calibre_classes(html: str) -> str:
    """calibre's CSS flattening renames each class list to its first class and a number (`meta group` -> `meta1`)."""
    soup = BeautifulSoup(html, "html.parser")
    for n, tag in enumerate(soup.find_all(class_=True)):
        tag["class"] = f"{tag['class'][0]}{n % 3 or ''}"
    return str(soup)


def write_epub(path: Path, bodies: list[str], title: str, meta: str = "") -> Path:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/epub+zip")
        z.writestr("META-INF/container.xml", '<?xml version="1.0"?><container version="1.0" '
                   'xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
                   '<rootfile full-path="content.opf" media-type="application/oebps-package+xml"/>'
                   '</rootfiles></container>')
        items = "".join(f'<item id="p{i}" href="text/part_split_{i:03d}.xhtml" media-type="application/xhtml+xml"/>'
                        for i in range(len(bodies)))
        spine = "".join(f'<itemref idref="p{i}"/>' for i in range(len(bodies)))
        z.writestr("content.opf", f'<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="2.0">'
                   f'<metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>{title}</dc:title>{meta}'
                   f'</metadata><manifest>{items}</manifest><spine>{spine}</spine></package>')
        for i, body in enumerate(bodies):
            z.writestr(f"text/part_split_{i:03d}.xhtml", '<?xml version="1.0" encoding="utf-8"?>'
                       '<html xmlns="http://www.w3.org/1999/xhtml"><head><title>x</title></head>'
                       f'<body>{body}</body></html>')
    return path


def test_ao3_epub_reads_as_the_html_download(tmp_path):
    epub = ao3_epub(tmp_path / "lantern.epub", MULTI)
    from_epub, from_html = read_file(epub), read_file(MULTI)
    assert from_epub.format == "AO3 download (EPUB)"
    assert from_epub.chapters == from_html.chapters and from_epub.meta == from_html.meta
    assert from_epub.characters == from_html.characters
    site = imported_site(tmp_path / "site", epub)
    assert not missing_words(source_words(MULTI), built(site)["the-lantern-road/all.html"])


def test_any_other_epub_is_one_chapter_per_spine_file(tmp_path):
    epub = write_epub(tmp_path / "plain.epub", ["<h1>One</h1><p>First <i>part</i>.</p>", "<h1>Two</h1><p>Second part.</p>"],
                      "Plain Book", "<dc:creator>A. Writer</dc:creator><dc:language>fr</dc:language>")
    work = read_file(epub)
    assert work.format == "EPUB" and [c.info.title for c in work.chapters] == ["One", "Two"]
    assert work.meta["author"] == ["A. Writer"] and work.meta["language"] == "fr"
    assert "First *part*." in work.chapters[0].markdown
    pages = built(imported_site(tmp_path / "site", epub))
    assert "Second part." in page_text(pages["plain-book/all.html"])


# ---------------------------------------------------------------- .docx

def make_docx(path: Path) -> Path:
    docx = pytest.importorskip("docx", reason="python-docx makes the test document (pip install -e '.[test]')")
    doc = docx.Document()
    doc.core_properties.title = "Glass Orchard"
    doc.core_properties.author = "Hollis Reed"
    doc.add_heading("Chapter One: Seeds", level=1)
    p = doc.add_paragraph("Ada planted the first tree. ")
    p.add_run("Grow,").italic = True
    p.add_run(" she thought. It was ")
    p.add_run("very").bold = True
    p.add_run(" cold.")
    doc.add_paragraph("Rosa watched from the fence * [quietly].")
    doc.add_heading("Chapter Two: Fruit", level=1)
    q = doc.add_paragraph("The glass apples rang like ")
    q.add_run("bells").underline = True
    q.add_run(" in the wind.")
    doc.save(path)
    return path


def test_docx_imports_and_builds(tmp_path, capsys):
    source = make_docx(tmp_path / "orchard.docx")
    site = make_site(tmp_path / "site", {})
    assert main(["import", str(source), "--into", str(site / "content")]) == 0
    assert "2 chapters, 33 words" in capsys.readouterr().out          # split at the headings, as the build does
    folder = site / "content" / "glass-orchard"
    data = tomllib.loads((folder / "work.toml").read_text(encoding="utf-8"))
    assert data["title"] == "Glass Orchard" and data["author"] == ["Hollis Reed"]
    text = (folder / "glass-orchard.md").read_text(encoding="utf-8")
    assert "# Chapter One: Seeds" in text and "*Grow,* she thought" in text and "**very**" in text
    pages = built(site)
    whole = BeautifulSoup(pages["glass-orchard/all.html"], "html.parser")
    assert [h.get_text() for h in whole.select("h2.chapter-title")] == ["Chapter One: Seeds", "Chapter Two: Fruit"]
    ems = [em.get_text(" ", strip=True) for em in whole.find_all("em")]
    assert any(e.endswith("Grow,") for e in ems) and "bells" in ems
    docx_words = "Ada planted the first tree Grow she thought It was very cold Rosa watched from the fence quietly " \
                 "The glass apples rang like bells in the wind Chapter One Seeds Chapter Two Fruit"
    assert not missing_words(docx_words, str(whole))


def test_docx_in_a_work_folder_builds_like_markdown(tmp_path):
    site = make_site(tmp_path, {})
    (site / "content" / "orchard").mkdir(parents=True)
    make_docx(site / "content" / "orchard" / "orchard.docx")
    (site / "content" / "orchard" / "~$orchard.docx").write_bytes(b"Word's lock file")    # ignored
    pages = built(site)
    index = BeautifulSoup(pages["orchard/index.html"], "html.parser")
    assert index.find("h1").get_text() == "Glass Orchard" and "Hollis Reed" in index.find(class_="byline").get_text()
    assert [a.get_text() for a in index.select("ol.chapter-list a")] == ["Chapter One: Seeds", "Chapter Two: Fruit"]
    chapter = BeautifulSoup(pages["orchard/chapter-1.html"], "html.parser").find(class_="prose")
    assert chapter.find("strong").get_text() == "very"
    assert "Rosa watched from the fence * [quietly]." in chapter.get_text()


# ---------------------------------------------------------------- saved pages

def test_saved_ao3_page(tmp_path):
    site = imported_site(tmp_path, FIXTURES / "ao3-saved-page.html")
    data = tomllib.loads((site / "content" / "paper-boats" / "work.toml").read_text(encoding="utf-8"))
    assert data["author"] == ["Inkwell"] and data["fandom"] == ["Harbour Tales"] and data["tags"] == ["Fluff"]
    assert data["source_url"] == "https://archiveofourown.org/works/5555/chapters/9999"
    assert data["chapter"] == [{"title": "Low Tide", "summary": "The water goes out.", "notes": "Shorter than planned.",
                                "end_notes": "More soon."}]
    assert set(data["characters"]) == {"nell", "captain-rook"}
    whole = page_text(built(site)["paper-boats/all.html"])
    assert "At low tide Nell walked out" in whole and "Mind the gulls" in whole
    for chrome in ("Chapter Text", "Kudos", "Log In", "remove me"):
        assert chrome not in whole


def test_saved_fanfiction_net_page(tmp_path):
    site = imported_site(tmp_path, FIXTURES / "ffn-saved-page.html")
    data = tomllib.loads((site / "content" / "winter-garden" / "work.toml").read_text(encoding="utf-8"))
    assert (data["title"], data["author"], data["rating"], data["language"]) == ("Winter Garden", ["Fernleaf"], "K+", "en")
    assert data["fandom"] == ["Harbour Tales"] and data["word_count"] == 9876 and data["tags"] == ["Family"]
    assert data["chapter"] == [{"title": "The Greenhouse"}] and data["characters"] == {"nell": {"name": "Nell"}}
    pages = built(site)
    prose = BeautifulSoup(pages["winter-garden/all.html"], "html.parser").find(class_="prose")
    assert "The greenhouse glass had frosted" in prose.get_text() and "Leave a review" not in prose.get_text()
    assert prose.find(class_="scene-break") is not None


# ---------------------------------------------------------------- re-import

def test_reimport_keeps_the_authors_edits_and_reports_them(tmp_path, capsys):
    site = imported_site(tmp_path, MULTI)
    folder = site / "content" / "the-lantern-road"
    toml = (folder / "work.toml").read_text(encoding="utf-8")
    toml = toml.replace('summary = "Mira carries', '# my own summary\nsummary = "MY SUMMARY. Mira carries')
    toml = toml.replace('[characters.mira-vale]\nname = "Mira Vale"', '[characters.mira-vale]\nname = "Mira Vale"\n'
                                                                       'pronouns = "she"')
    (folder / "work.toml").write_text(toml, encoding="utf-8")
    (folder / "chapter-02.md").write_text("My rewrite of chapter two.\n", encoding="utf-8")
    changed = tmp_path / "changed.html"
    changed.write_text(MULTI.read_text(encoding="utf-8")
                       .replace("Slow Burn", "Slower Burn").replace("Mira carries", "Mira now carries")
                       .replace("Old Hesper kept", "Old Hesper guarded").replace("last mile.", "last long mile.")
                       .replace('<a href="http://archiveofourown.org/tags/Old%20Hesper">Old Hesper</a>',
                                '<a href="x">Old Hesper</a>, <a href="y">Fenwick Crow</a>'), encoding="utf-8")
    assert main(["import", str(changed), "--into", str(site / "content"), "--slug", "the-lantern-road"]) == 0
    out = capsys.readouterr().out
    data = tomllib.loads((folder / "work.toml").read_text(encoding="utf-8"))
    assert data["summary"].startswith("MY SUMMARY.")                                   # the author's edit stays
    assert "# my own summary" in (folder / "work.toml").read_text(encoding="utf-8")    # with its comment
    assert "work.toml `summary`: kept your edit; the file now says \"Mira now carries" in out
    assert data["tags"] == ["Slower Burn", "Road Trip", "Lanterns"]                    # untouched keys follow the file
    assert data["characters"]["mira-vale"] == {"name": "Mira Vale", "pronouns": "she"}
    assert data["characters"]["fenwick-crow"] == {"name": "Fenwick Crow"}             # new characters are added
    assert (folder / "chapter-02.md").read_text(encoding="utf-8") == "My rewrite of chapter two.\n"
    assert "chapter-02.md: you edited it since the last import; kept (add --force" in out
    assert "last long mile." in (folder / "chapter-03.md").read_text(encoding="utf-8")   # unedited: updated
    assert "wrote: chapter-03.md, work.toml" in out
    # once more with the same file: nothing new to do, the edits are still kept
    assert main(["import", str(changed), "--into", str(site / "content"), "--slug", "the-lantern-road"]) == 0
    again = capsys.readouterr().out
    assert "nothing changed since the last import" in again and "chapter-02.md" in again
    # --force takes the file's text and values
    assert main(["import", str(changed), "--into", str(site / "content"), "--slug", "the-lantern-road", "--force"]) == 0
    assert "Old Hesper guarded" in (folder / "chapter-02.md").read_text(encoding="utf-8")
    assert tomllib.loads((folder / "work.toml").read_text(encoding="utf-8"))["summary"].startswith("Mira now carries")


def test_reimport_merges_chapter_tables_field_by_field(tmp_path, capsys):
    site = imported_site(tmp_path, MULTI)
    folder = site / "content" / "the-lantern-road"
    toml = (folder / "work.toml").read_text(encoding="utf-8")
    (folder / "work.toml").write_text(toml.replace('notes = "A short one."', 'notes = "My longer note."'), encoding="utf-8")
    changed = tmp_path / "changed.html"
    changed.write_text(MULTI.read_text(encoding="utf-8").replace("A short one.", "A short one!")
                       .replace("Last chapter end note.", "The very last note."), encoding="utf-8")
    assert main(["import", str(changed), "--into", str(site / "content"), "--slug", "the-lantern-road"]) == 0
    chapters = tomllib.loads((folder / "work.toml").read_text(encoding="utf-8"))["chapter"]
    assert chapters[1] == {"notes": "My longer note."} and chapters[2]["end_notes"] == "The very last note."
    assert chapters[0]["summary"] == "The lantern goes out, almost."
    assert 'work.toml [[chapter]] 2 `notes`: kept your edit; the file now says "A short one!"' in capsys.readouterr().out


def test_fewer_chapters_on_reimport_removes_only_unedited_files(tmp_path):
    site = imported_site(tmp_path, MULTI)
    folder = site / "content" / "the-lantern-road"
    soup = BeautifulSoup(MULTI.read_text(encoding="utf-8"), "html.parser")
    metas = soup.find(id="chapters").find_all("div", class_="group", recursive=False)
    for el in [metas[2], *metas[2].find_next_siblings()]:
        el.decompose()
    shorter = tmp_path / "shorter.html"
    shorter.write_text(str(soup), encoding="utf-8")
    import_file(shorter, site / "content")
    assert not (folder / "chapter-03.md").exists()
    assert len(tomllib.loads((folder / "work.toml").read_text(encoding="utf-8"))["chapter"]) == 2


def test_another_work_is_not_imported_over_an_imported_one(tmp_path, capsys):
    site = imported_site(tmp_path, MULTI)
    args = ["import", str(ONESHOT), "--into", str(site / "content"), "--slug", "the-lantern-road"]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert "holds another work (http://archiveofourown.org/works/424242, not http://archiveofourown.org/works/1001)" in err
    assert "--force" in err and (site / "content" / "the-lantern-road" / "chapter-03.md").is_file()


def test_a_folder_not_made_by_import_is_refused_without_force(tmp_path, capsys):
    site = make_site(tmp_path, {"content/the-lantern-road/story.md": "My own draft.\n"})
    args = ["import", str(MULTI), "--into", str(site / "content")]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert "was not made by `sitegen import`; nothing was written" in err and "--force" in err
    assert sorted(p.name for p in (site / "content" / "the-lantern-road").iterdir()) == ["story.md"]
    assert main(args + ["--force"]) == 0
    assert (site / "content" / "the-lantern-road" / "story.md").read_text(encoding="utf-8") == "My own draft.\n"


# ---------------------------------------------------------------- the command and its messages

def test_import_command_reports_what_it_found(tmp_path, capsys):
    assert main(["import", str(ONESHOT), "--into", str(tmp_path / "content")]) == 0
    out = capsys.readouterr().out
    assert "imported AO3 download (HTML) into" in out and "Small Hours by Pell" in out
    assert "1 chapter, 39 words (the file says 60)" in out
    assert "tags: rating General Audiences; fandoms: 1; warnings: 1; characters: 1" in out
    assert "notes: summary, work notes, end notes" in out
    assert "not imported: Collections: Night Fic 2022" in out and "not imported: 1 image(s)" in out


def test_import_report_counts_in_the_singular_for_one(tmp_path, capsys):
    assert main(["import", str(MULTI), "--into", str(tmp_path / "content")]) == 0
    out = capsys.readouterr().out
    assert "1 chapter summary," in out and "1 chapter summaries" not in out


@pytest.mark.parametrize("name, text, expected", [
    ("story.pdf", b"%PDF-1.4", "cannot import a .pdf"),
    ("story.txt", b"Just text.", "needs no import"),
    ("page.html", b"<html><body><p>A blog post.</p></body></html>", "not an AO3 download or a saved AO3"),
    ("broken.epub", b"not a zip", "not a readable EPUB"),
    ("broken.docx", b"not a zip", "not a readable .docx"),
])
def test_unsupported_files_get_a_clear_message(tmp_path, capsys, name, text, expected):
    (tmp_path / name).write_bytes(text)
    assert main(["import", str(tmp_path / name), "--into", str(tmp_path / "content")]) == 1
    err = capsys.readouterr().err
    assert expected in err and "Traceback" not in err and "hint:" in err
    assert not (tmp_path / "content").exists()


def test_a_series_download_is_refused_with_a_message(tmp_path, capsys):
    one, two = ONESHOT.read_text(encoding="utf-8"), MULTI.read_text(encoding="utf-8")
    series = one[:one.index('<div id="afterword">')] + two[two.index('<div id="preface">'):]
    (tmp_path / "series.html").write_text(series, encoding="utf-8")
    assert main(["import", str(tmp_path / "series.html"), "--into", str(tmp_path / "content")]) == 1
    err = capsys.readouterr().err
    assert "series.html: error: this download holds a whole series (2 works)" in err and "each work" in err


def test_work_toml_checks_the_new_keys(tmp_path):
    site = make_site(tmp_path, {"content/w/w.md": "Some text.\n",
                                "content/w/work.toml": '[[chapter]]\ntitle = "A"\nsumary = "typo"\n'})
    with pytest.raises(SitegenError) as e:
        build_site(site)
    assert "unknown key `sumary` in [[chapter]] number 1" in str(e.value) and "summary" in str(e.value)


# ---------------------------------------------------------------- the Markdown written stays text

@pytest.mark.parametrize("text", ["2 * 3 = 6 and a_b_c", "[link](http://x) <b>bold</b> &amp;", "`code` ~~no~~ {=x}",
                                  "back\\slash \\* and # not a heading", "(^ aside) (! keep) ![img](y)",
                                  "Tom & Jerry <3 [A/N: a note] a ~ b", "&#65; &copy; <http://x.org> <a@b.cd>",
                                  "[ref][x] [a [b](c)] ~~~"])
def test_escaped_text_renders_as_itself(text):
    import html
    assert render_paragraph(escape_text(text), 0, [], "md") == html.escape(text, quote=False).replace('"', "&quot;")


def test_preformatted_text_keeps_its_lines_and_stays_text():
    assert to_markdown(parse("<pre>*not emphasis*\n  second line</pre>")) == "\\*not emphasis\\*\\\nsecond line\n"


def test_block_lines_are_escaped():
    md = to_markdown(parse("<p># not a heading</p><p>&gt; not a quote</p><p>- not a list</p><p>3. not a number</p>"))
    assert md == "\\# not a heading\n\n\\> not a quote\n\n\\- not a list\n\n3\\. not a number\n"


def test_the_dev_server_rebuilds_when_a_docx_is_saved(tmp_path):
    from sitegen.serve import changes
    change = changes.classify(tmp_path, tmp_path / "content" / "w" / "draft.docx", output_dir=tmp_path / "public")
    assert change.kind == changes.CHAPTER and change.work == "w"


def test_a_chapters_own_divs_do_not_confuse_the_chapter_finder(tmp_path):
    """Work skins put their own classes in the text: a div.meta inside a chapter's text stays text."""
    src = ONESHOT.read_text(encoding="utf-8").replace(
        "<p>The clock said three.", '<div class="meta"><p>Text message: are you up?</p></div><p>The clock said three.')
    (tmp_path / "skin.html").write_text(src, encoding="utf-8")
    work = read_file(tmp_path / "skin.html")
    assert len(work.chapters) == 1 and "Text message: are you up?" in work.chapters[0].markdown
    assert "The clock said three." in work.chapters[0].markdown
