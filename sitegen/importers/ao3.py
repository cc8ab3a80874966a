"""Read an AO3 download (the HTML file, or the same XHTML inside the EPUB): tags, notes, chapters.

The layout (otwarchive's app/views/downloads/): `div#preface` holds the title,
a `dl.tags` of `<dt>Fandom:</dt><dd><a>...</a>, ...</dd>` pairs, the byline, the
summary and notes (each a `blockquote.userstuff` after a `<p>` naming it);
`div#chapters` holds, per chapter, a `div.meta` (`h2.heading`, summary, notes),
the text in `div.userstuff` and perhaps a `div.meta` with its end notes (a
one-chapter work has only the `div.userstuff`); `div#afterword` holds the end notes.
"""
from __future__ import annotations

import re

from bs4 import BeautifulSoup, Tag

from ..errors import SitegenError
from ..model import ChapterInfo
from ..text.fields import language_code
from .common import ImportedChapter, ImportedWork
from .markdown import Found, to_markdown, to_plain

# dt label (lower case, no colon) -> work.toml key
TAG_KEYS = {"rating": "rating", "ratings": "rating", "archive warning": "warnings", "archive warnings": "warnings",
            "category": "categories", "categories": "categories", "fandom": "fandom", "fandoms": "fandom",
            "relationship": "relationships", "relationships": "relationships", "character": "characters",
            "characters": "characters", "additional tags": "tags", "additional tag": "tags", "freeform": "tags",
            "language": "language", "series": "series", "stats": "stats"}
_STAT = re.compile(r"(Published|Updated|Completed|Words|Chapters):\s*(\S+)")
_CHAPTER_HEADING = re.compile(r"^\s*Chapter\s+\d+\s*(?:[:.\-–—]\s*(?P<title>.*))?$", re.I)
_PART = re.compile(r"Part\s+(\d+)\s+of\s*(?:the\s*)?$", re.I)


def is_ao3_download(soup: BeautifulSoup) -> bool:
    preface = soup.find(id="preface")
    return preface is not None and preface.find("dl") is not None


def has_class(tag: Tag, name: str) -> bool:
    """The tag has the class, or calibre's renaming of it in an EPUB (`meta group` -> `meta1`)."""
    return any(c == name or (c.startswith(name) and c[len(name):].isdigit()) for c in tag.get("class") or [])


def find_class(tag: Tag, name: str, element: str | None = None) -> Tag | None:
    return tag.find(lambda t: (element is None or t.name == element) and has_class(t, name))


def text_of(tag: Tag | None) -> str:
    return " ".join(tag.get_text(" ").split()) if tag is not None else ""


def tag_values(dd: Tag) -> list[str]:
    """The tags in a <dd>: its links' texts (AO3 tags never hold commas), else its text split at commas."""
    links = [text_of(a) for a in dd.find_all("a")]
    return [v for v in links if v] or [v.strip() for v in text_of(dd).split(",") if v.strip()]


def series_of(dd: Tag) -> list[dict]:
    """ "Part 2 of <a>Title</a>" entries: title, position, url."""
    out, before = [], ""
    for child in dd.children:
        if isinstance(child, Tag) and child.name == "a":
            m = _PART.search(" ".join(before.split()))
            entry = {"title": text_of(child)}
            if m:
                entry["position"] = int(m.group(1))
            if child.get("href", "").startswith("http"):
                entry["url"] = child["href"]
            out.append(entry)
            before = ""
        else:
            before += child.get_text(" ") if isinstance(child, Tag) else str(child)
    return out


def stats(text: str) -> dict:
    found = dict(_STAT.findall(text))
    out = {}
    if "Published" in found:
        out["published"] = found["Published"]
    if "Updated" in found or "Completed" in found:
        out["updated"] = found.get("Updated") or found["Completed"]
    if found.get("Words", "").replace(",", "").isdigit():
        out["word_count"] = int(found["Words"].replace(",", ""))
    return out


def read_tags(dl: Tag, unread: list[str], by_class: dict[str, str] | None = None) -> dict:
    """A tag list (`dl.tags` of a download, `dl.work.meta` of a work page, whose <dt>s also say their
    kind as a class: `by_class`) as work.toml keys, and `characters`, the cast to start from."""
    meta: dict = {}
    for dt in dl.find_all("dt", recursive=by_class is None):
        dd = dt.find_next_sibling("dd")
        key = next((by_class[c] for c in dt.get("class") or [] if c in by_class), None) if by_class else None
        key = key or TAG_KEYS.get(text_of(dt).rstrip(":").strip().lower())
        if dd is None:
            continue
        if key is None:
            unread.append(f"{text_of(dt).rstrip(':')}: {text_of(dd)}")
        elif key == "series":
            meta["series"] = series_of(dd.find(class_="position") or dd)
        elif key == "stats":
            meta.update(stats(text_of(dd)))
        elif key == "rating":
            meta[key] = ", ".join(tag_values(dd))
        elif key == "language":
            language_code(text_of(dd), meta, unread)
        else:
            meta[key] = tag_values(dd)
    return meta


def labelled_notes(container: Tag | None, found: Found) -> list[tuple[str, str]]:
    """(label, text) of each `blockquote.userstuff` in the container: the label is the <p> before it."""
    out = []
    for bq in container.find_all("blockquote") if container is not None else ():
        label = bq.find_previous_sibling("p")
        out.append((text_of(label).lower() if label is not None else "", to_plain(bq, found)))
    return out


def pick(notes: list[tuple[str, str]], word: str, without: str = "") -> str:
    return "\n\n".join(t for label, t in notes if word in label and not (without and without in label) and t)


def preface(soup: BeautifulSoup, found: Found, unread: list[str]) -> dict:
    pre = soup.find(id="preface") or soup
    meta = read_tags(pre.find("dl"), unread) if pre.find("dl") is not None else {}
    title = pre.find("h1") or soup.find("title")
    meta["title"] = text_of(title)
    byline = find_class(pre, "byline")
    if byline is not None:
        authors = [text_of(a) for a in byline.find_all("a")] or [text_of(byline).removeprefix("by ").strip()]
        meta["author"] = [a for a in authors if a]
    for a in (find_class(pre, "message") or pre).find_all("a"):
        if "/works/" in a.get("href", ""):
            meta["source_url"] = a["href"]
            break
    notes = labelled_notes(pre, found)
    meta["summary"] = pick(notes, "summary")
    meta["notes"] = pick(notes, "notes")
    related = (find_class(pre, "meta", "div") or pre).find("ul", recursive=False)
    if related is not None:
        unread.append(f"related works: {text_of(related)}")
    after = soup.find(id="afterword")
    meta["end_notes"] = pick(labelled_notes(after, found), "end notes")
    if after is not None and after.find("dl") is not None:
        unread.append(f"works inspired by this one: {text_of(after.find('dl'))}")
    return meta


def is_wrapper(el: Tag) -> bool:
    """A `div.userstuff` holding chapters (the EPUB's copy of div#chapters), not a chapter's text:
    a chapter's `div.userstuff`, or a `div.meta` with its heading, is a child of it."""
    return el.find(lambda t: t.name == "div" and (has_class(t, "userstuff") or (has_class(t, "meta") and t.find("h2"))),
                   recursive=False) is not None


def chapter_parts(soup: BeautifulSoup) -> list[Tag]:
    """The chapters' `div.meta` and `div.userstuff` blocks in reading order (not those nested in others,
    nor the preface's and afterword's). Found by class, not by their parent, because an EPUB splits
    `div#chapters` over several files."""
    taken: set[int] = set()
    parts = []
    for el in soup.find_all("div"):
        if el.get("id") in ("chapters", "preface", "afterword") or not (has_class(el, "meta") or has_class(el, "userstuff")):
            continue
        if has_class(el, "userstuff") and is_wrapper(el):
            continue
        if any(id(p) in taken or p.get("id") in ("preface", "afterword") for p in el.parents):
            continue
        taken.add(id(el))
        parts.append(el)
    if not parts:
        parts = [c for c in soup.find_all(id="chapters") if has_class(c, "userstuff")]
    return parts


def chapters(soup: BeautifulSoup, found: Found, unread: list[str]) -> list[ImportedChapter]:
    """Each chapter: heading, summary and notes from the meta before it, end notes from the meta after it."""
    out: list[dict] = []
    for el in chapter_parts(soup):
        if has_class(el, "userstuff"):
            if not out or "markdown" in out[-1]:
                out.append({})
            out[-1]["markdown"] = to_markdown(el, found)
            continue
        notes = labelled_notes(el, found)
        heading = find_class(el, "heading", "h2") or el.find(["h2", "h3"])
        if heading is not None:
            m = _CHAPTER_HEADING.match(text_of(heading))
            out.append({"title": (m.group("title") or "") if m else text_of(heading),
                        "summary": pick(notes, "summary"), "notes": pick(notes, "notes", without="end")})
            if find_class(el, "byline") is not None:
                unread.append(f"chapter {len(out)} byline: {text_of(find_class(el, 'byline'))}")
        elif out:
            out[-1]["end_notes"] = pick(notes, "end notes") or pick(notes, "")
    return [ImportedChapter(c.pop("markdown"), ChapterInfo(**c)) for c in out if c.get("markdown", "").strip()]


def read_download(soup: BeautifulSoup, format_name: str) -> ImportedWork:
    works = len(soup.find_all(id="preface"))
    if works > 1:
        raise SitegenError(f"this download holds a whole series ({works} works); sitegen imports one work "
                           "at a time", hint="download each work of the series from its own page and import "
                                             "each one (they become one work folder each)")
    found, unread = Found(), []
    meta = preface(soup, found, unread)
    chs = chapters(soup, found, unread)
    characters = tuple(meta.pop("characters", ()))
    if found.images:
        unread.append(f"{found.images} image(s): their alt text is kept in [brackets]")
    if found.dropped:
        unread.append(f"removed: {', '.join(sorted(found.dropped))} (never shown on the site)")
    return ImportedWork(format_name, meta, tuple(chs), characters, tuple(unread))
