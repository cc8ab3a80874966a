"""Read a chapter page saved from the browser ("Save page as"): AO3's work page or FanFiction.net's story page.

Best effort: the story's text (`div.userstuff` on AO3, `div#storytext` on
FanFiction.net) and the metadata the page shows (AO3's `dl.work.meta` tags and
stats, notes and summaries; FanFiction.net's title, author, summary and the
"Rated: ... - Words: ..." line). Menus, comments, kudos and scripts are left out.
"""
from __future__ import annotations

import re

from bs4 import BeautifulSoup, Comment, Tag

from .ao3 import has_class, read_tags, text_of
from ..model import ChapterInfo
from ..text.fields import ffn_meta_line
from .common import ImportedChapter, ImportedWork
from .markdown import Found, to_markdown, to_plain

_CHAPTER_TITLE = re.compile(r"^\s*Chapter\s+\d+\s*[:.]?\s*(?P<title>.*)$", re.I)
_AO3_DT = {"warning": "warnings", "freeform": "tags", "fandom": "fandom", "rating": "rating",
           "category": "categories", "relationship": "relationships", "character": "characters",
           "language": "language", "series": "series"}


def saved_url(soup: BeautifulSoup) -> str:
    """Where the page was saved from: its canonical link, og:url, or the browser's "saved from url" comment."""
    link = soup.find("link", rel="canonical") or soup.find("meta", property="og:url")
    if link is not None:
        return link.get("href") or link.get("content") or ""
    for c in soup.find_all(string=lambda s: isinstance(s, Comment)):
        if "saved from url=" in c:
            return c.split(")", 1)[-1].strip()
    return ""


def is_ao3_page(soup: BeautifulSoup) -> bool:
    return soup.find("dl", class_="work") is not None and soup.find(class_="userstuff") is not None


def is_ffn_page(soup: BeautifulSoup) -> bool:
    return soup.find(id="storytext") is not None


def module_text(container: Tag | None, name: str, found: Found) -> str:
    """The blockquote of a `div.<name>.module` (summary, notes, end notes) as plain text."""
    if container is None:
        return ""
    mod = container.find(lambda t: t.name == "div" and has_class(t, name) and has_class(t, "module"))
    return to_plain(mod.find("blockquote") or mod, found) if mod is not None else ""


def read_ao3_page(soup: BeautifulSoup) -> ImportedWork:
    found, unread = Found(), []
    meta = read_tags(soup.find("dl", class_="work"), unread, _AO3_DT)
    workskin = soup.find(id="workskin") or soup
    preface = workskin.find(lambda t: t.name == "div" and has_class(t, "preface") and not has_class(t, "chapter"))
    meta["title"] = text_of(preface.find(class_="title")) if preface is not None else text_of(soup.find("title"))
    if preface is not None and preface.find(class_="byline") is not None:
        meta["author"] = [text_of(a) for a in preface.find(class_="byline").find_all("a")] or \
            [text_of(preface.find(class_="byline"))]
    meta["summary"] = module_text(preface, "summary", found)
    meta["notes"] = module_text(preface, "notes", found)
    meta["end_notes"] = module_text(workskin.find(id="work_endnotes"), "notes", found) \
        or to_plain((workskin.find(id="work_endnotes") or Tag(name="div")).find("blockquote"), found)
    meta["source_url"] = saved_url(soup)
    chapters = []
    for ch in workskin.find_all(lambda t: t.name == "div" and has_class(t, "chapter") and t.get("id", "").startswith("chapter")) \
            or [workskin]:
        text = ch.find(lambda t: t.name == "div" and has_class(t, "userstuff"))
        if text is None:
            continue
        for landmark in text.find_all(class_="landmark"):     # "Chapter Text", for screen readers
            landmark.decompose()
        head = ch.find(lambda t: t.name == "div" and has_class(t, "chapter") and has_class(t, "preface")) \
            if ch is not workskin else None
        title = text_of(head.find(class_="title")) if head is not None else ""
        m = _CHAPTER_TITLE.match(title)
        end = ch.find(lambda t: t.name == "div" and has_class(t, "end") and has_class(t, "notes"))
        info = ChapterInfo((m.group("title") if m else title).strip(), module_text(head, "summary", found),
                           module_text(head, "notes", found),
                           to_plain(end.find("blockquote") or end, found) if end is not None else "")
        chapters.append(ImportedChapter(to_markdown(text, found), info))
    characters = tuple(meta.pop("characters", ()))
    unread.append("a saved page holds only the chapters it shows: download the work from AO3 "
                  "(Download → HTML) for all of them")
    return ImportedWork("AO3 page (saved from the browser)", meta, tuple(chapters), characters, tuple(unread))


def read_ffn_page(soup: BeautifulSoup) -> ImportedWork:
    found = Found()
    top = soup.find(id="profile_top") or soup
    meta = {"title": text_of(top.find("b")), "source_url": saved_url(soup)}
    author = next((a for a in top.find_all("a") if "/u/" in a.get("href", "")), None)
    if author is not None:
        meta["author"] = [text_of(author)]
    summary = top.find("div", class_="xcontrast_txt")
    meta["summary"] = text_of(summary)
    unread = ["a saved page holds only the chapter it shows (FanFicFare can make an EPUB of the whole story)"]
    line_meta, characters = ffn_meta_line(text_of(top.find("span", class_="xgray")), unread)
    meta.update(line_meta)
    crumbs = soup.find(id="pre_story_links")
    if crumbs is not None and crumbs.find_all("a"):
        meta["fandom"] = [text_of(crumbs.find_all("a")[-1])]
    option = soup.select_one("select#chap_select option[selected]")
    title = text_of(option).split(". ", 1)[-1] if option is not None else ""
    chapter = ImportedChapter(to_markdown(soup.find(id="storytext"), found), ChapterInfo(title))
    return ImportedWork("FanFiction.net page (saved from the browser)", meta, (chapter,), tuple(characters),
                        tuple(unread))
