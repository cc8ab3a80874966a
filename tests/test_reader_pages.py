"""What a reader sees around the story: the work header on every page, dates and status from
work.toml, the end of the last chapter, the site feed, sitemap, 404 and link previews."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from xml.etree import ElementTree

import pytest

from sitegen.build import build_site
from sitegen.errors import SitegenError

STORY = """My Story

Chapter 1

"Hello," said Ann. "Is anyone there?"

"Only me," Bob said.

A/N: thanks for reading!

Chapter 2

Ann waited. "Well?"

"Well what," said Bob.
"""

TOML = """author = "Me"
rating = "General Audiences"
warnings = ["No Archive Warnings Apply"]
fandom = "Original Work"
tags = ["Friendship"]
summary = "Two friends talk."
published = 2024-03-01
updated = "2024-04-02"
chapters_total = 3

[characters.ann]
name = "Ann"
pronouns = "she"

[characters.bob]
name = "Bob"
pronouns = "he"

[[chapter]]
updated = 2024-03-01

[[chapter]]
updated = 2024-04-02
"""


def make_site(tmp_path, toml=TOML, site_toml=""):
    work = tmp_path / "content" / "my-story"
    work.mkdir(parents=True)
    (work / "story.txt").write_text(STORY)
    (work / "work.toml").write_text(toml)
    if site_toml:
        (tmp_path / "sitegen.toml").write_text(site_toml)
    return tmp_path


def text(result, name):
    return result.files[name].decode("utf-8")


def test_every_chapter_and_the_entire_work_show_the_work_header(tmp_path):
    result = build_site(make_site(tmp_path))
    for name in ("my-story/index.html", "my-story/chapter-1.html", "my-story/chapter-2.html", "my-story/all.html"):
        page = text(result, name)
        header = page[page.index('class="work-header"'):]
        for shown in ("General Audiences", "No Archive Warnings Apply", "Original Work", "Friendship",
                      "Two friends talk.", "2024-03-01", "2024-04-02", "2/3"):
            assert shown in header, (name, shown)


def test_status_is_n_of_unknown_until_the_work_is_complete(tmp_path):
    in_progress = build_site(make_site(tmp_path / "a", TOML.replace("chapters_total = 3\n", "")))
    assert '<dd class="status">2/?</dd>' in text(in_progress, "my-story/chapter-1.html")
    assert "more to come" in text(in_progress, "my-story/chapter-2.html")
    done = build_site(make_site(tmp_path / "b", TOML.replace("chapters_total = 3", "complete = true")))
    last = text(done, "my-story/chapter-2.html")
    assert '<dd class="status">2/2 (complete)</dd>' in last
    end = last[last.index('class="work-end"'):]
    assert "The End" in end and 'href="index.html"' in end and 'href="all.html"' in end


def test_dates_are_read_as_archives_write_them_and_other_text_is_kept(tmp_path):
    result = build_site(make_site(tmp_path, TOML.replace('updated = "2024-04-02"', 'updated = "Apr 2, 2024"')
                                  .replace("published = 2024-03-01", 'published = "early spring"')))
    page = text(result, "my-story/index.html")
    assert "2024-04-02" in page and "early spring" in page
    feed = ElementTree.fromstring(result.files["my-story/feed.xml"])
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT[\d:]+Z", e.text) for e in feed.findall("a:entry/a:updated", ns))


def test_reading_time_and_words_per_chapter(tmp_path):
    result = build_site(make_site(tmp_path))
    work = text(result, "my-story/index.html")
    assert re.search(r"\d+ words · about 1 min", work)
    assert "about 1 min" in text(result, "my-story/chapter-1.html")


def test_a_note_that_labels_itself_is_not_labelled_twice(tmp_path):
    result = build_site(make_site(tmp_path))
    page = text(result, "my-story/all.html")
    assert "thanks for reading" in page
    assert not re.search(r"Author’s note</span>\s*A/N", page)


def test_feeds_date_chapters_from_work_toml(tmp_path):
    result = build_site(make_site(tmp_path))
    feed = ElementTree.fromstring(result.files["my-story/feed.xml"])
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert [e.text for e in feed.findall("a:entry/a:updated", ns)] == ["2024-04-02T00:00:00Z", "2024-03-01T00:00:00Z"]
    site = ElementTree.fromstring(result.files["feed.xml"])
    assert site.find("a:updated", ns).text == "2024-04-02T00:00:00Z"
    assert [e.get("href") for e in site.findall("a:entry/a:link", ns)] == ["my-story/chapter-2.html",
                                                                           "my-story/chapter-1.html"]


def test_without_a_base_url_there_is_no_404_page_or_sitemap(tmp_path):
    """A 404 page is shown at any address: without base_url its links could not find the site's root."""
    result = build_site(make_site(tmp_path))
    assert "404.html" not in result.files and "sitemap.xml" not in result.files


def test_404_and_with_a_base_url_sitemap_canonical_and_previews(tmp_path):
    result = build_site(make_site(tmp_path, site_toml='base_url = "https://example.org/fic"\n'))
    assert "Page not found" in text(result, "404.html")
    assert 'href="https://example.org/fic/my-story/index.html"' in text(result, "404.html")
    sitemap = ElementTree.fromstring(result.files["sitemap.xml"])
    locs = [e.text for e in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert "https://example.org/fic/my-story/chapter-2.html" in locs and len(locs) == len(set(locs))
    chapter = text(result, "my-story/chapter-1.html")
    assert '<link rel="canonical" href="https://example.org/fic/my-story/chapter-1.html">' in chapter
    assert '<meta property="og:description" content="Two friends talk.">' in chapter
    assert '<meta property="og:url" content="https://example.org/fic/my-story/chapter-1.html">' in chapter
    assert 'name="twitter:card"' in chapter


def test_without_a_base_url_there_is_no_sitemap(tmp_path):
    assert "sitemap.xml" not in build_site(make_site(tmp_path)).files


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_without_dates_in_work_toml_feeds_use_the_last_commit_then_the_file_time(tmp_path):
    site = make_site(tmp_path, TOML.split("published")[0] + TOML[TOML.index("[characters.ann]"):TOML.index("[[chapter]]")])
    env = {**os.environ, "GIT_AUTHOR_DATE": "2021-05-06T07:08:09Z", "GIT_COMMITTER_DATE": "2021-05-06T07:08:09Z",
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    for args in (["init", "-q"], ["add", "."], ["commit", "-qm", "story"]):
        subprocess.run(["git", *args], cwd=site, env=env, check=True)
    story = site / "content" / "my-story" / "story.txt"
    os.utime(story, (2_000_000_000, 2_000_000_000))        # a fresh clone: the file time is the checkout's
    committed = ElementTree.fromstring(build_site(site).files["my-story/feed.xml"])
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert {e.text for e in committed.findall("a:entry/a:updated", ns)} == {"2021-05-06T07:08:09Z"}
    story.write_text(STORY + "\nMore.\n")                   # changed since the commit: its own time
    os.utime(story, (1_900_000_000, 1_900_000_000))
    edited = ElementTree.fromstring(build_site(site).files["my-story/feed.xml"])
    assert {e.text for e in edited.findall("a:entry/a:updated", ns)} == {"2030-03-17T17:46:40Z"}


def test_tags_and_series_have_pages_linked_both_ways(tmp_path):
    site = make_site(tmp_path, TOML.replace('tags = ["Friendship"]', 'tags = ["Friendship"]\nrelationships = ["Ann & Bob"]')
                     + '\n[[series]]\ntitle = "Talks"\nposition = 2\n')
    other = site / "content" / "first-talk"
    other.mkdir()
    (other / "story.txt").write_text("First Talk\n\n\"Hi,\" said Ann.\n")
    (other / "work.toml").write_text('fandom = "Original Work"\ntags = ["Friendship", "Fluff"]\n'
                                     '[[series]]\ntitle = "Talks"\nposition = 1\n')
    result = build_site(site)
    chapter = text(result, "my-story/chapter-1.html")
    for kind, name, slug in (("Fandom", "Original Work", "original-work"), ("Relationships", "Ann & Bob", "ann-bob"),
                             ("Tags", "Friendship", "friendship")):
        assert f'href="../tags/{slug}.html">{name.replace("&", "&amp;")}</a>' in chapter
    assert 'Part 2 of <a class="tag" href="../series/talks.html">Talks</a>' in chapter
    friendship = text(result, "tags/friendship.html")
    assert 'href="../my-story/index.html"' in friendship and 'href="../first-talk/index.html"' in friendship
    assert 'href="../my-story/index.html"' not in text(result, "tags/fluff.html")
    series = text(result, "series/talks.html")
    assert series.index("first-talk/index.html") < series.index("my-story/index.html")
    tags = text(result, "tags/index.html")
    assert "Relationships" in tags and "(2)" in tags and 'href="../series/talks.html"' in tags


@pytest.mark.parametrize("theme", ["default", "archive"])
def test_every_page_has_lang_one_h1_landmarks_and_a_skip_link(tmp_path, theme):
    result = build_site(make_site(tmp_path), theme=theme)
    pages = [name for name in result.files if name.endswith(".html")]
    assert len(pages) > 10
    for name in pages:
        page = text(result, name)
        assert re.search(r'<html lang="\w+', page), name
        assert page.count("<h1") == 1, name
        assert '<a class="skip-link" href="#main">' in page and '<main id="main">' in page, name
        assert "<header" in page and "<footer" in page, name


def test_a_chapter_page_does_not_grow_with_the_cast_or_the_chapters(tmp_path):
    """Forty chapters, thirty characters: a chapter page names its ten most talkative in the header and
    links to the rest, lists in its legend only who speaks in it (with a link to everyone), and the
    nav under the chapter is previous / next without the chapter list."""
    cast = [f"Person{chr(65 + k // 26)}{chr(97 + k % 26)}" for k in range(30)]
    chapters = []
    for n in range(40):
        lines = [f'"Line {n} {k}," said {name}.' for k, name in enumerate(cast) if (k + n) % 7 == 0]
        chapters.append(f"Chapter {n + 1}\n\n" + "\n\n".join(lines or ["Nobody spoke."]))
    toml = "".join(f'[characters.{name.lower()}]\nname = "{name}"\n\n' for name in cast)
    site = tmp_path
    (site / "content" / "w").mkdir(parents=True)
    (site / "content" / "w" / "story.txt").write_text("Many\n\n" + "\n\n".join(chapters) + "\n")
    (site / "content" / "w" / "work.toml").write_text(toml)
    result = build_site(site)
    page = text(result, "w/chapter-20.html")
    header = page[page.index('class="work-header"'):page.index("</section>", page.index('class="work-header"'))]
    assert header.count('class="tag" href="../tags/person') == 10
    assert '<a href="index.html#characters">and 20 more</a>' in header
    legend = page[page.index('<details class="legend">'):page.index("</details>", page.index('<details class="legend">'))]
    speakers = set(re.findall(r'<span class="q c-([\w-]+)', page))
    assert set(re.findall(r'id="who-([\w-]+)"', legend)) == speakers and 0 < len(speakers) < 10
    assert 'href="index.html#characters"' in legend
    assert 'id="characters"' in text(result, "w/index.html")
    top, bottom = re.findall(r'<nav class="chapter-nav".*?</nav>', page, re.S)
    assert top.count("<li") == 11 and "<li" not in bottom
    assert 'rel="prev"' in bottom and 'rel="next"' in bottom and 'href="index.html"' in bottom
    assert "and 20 more" not in text(result, "w/index.html")          # the work's page lists everyone
