"""Each work has an Atom feed of its chapters, newest first, that feed readers can follow."""
from __future__ import annotations

import os
import xml.etree.ElementTree as ET

from conftest import make_site
from sitegen.build import build_site

ATOM = "{http://www.w3.org/2005/Atom}"


def _site(root, toml=""):
    return make_site(root, {
        "sitegen.toml": toml,
        "content/w/work.toml": 'title = "Tides & <Storms>"\nauthor = "Ana"\n',
        "content/w/01.txt": "Chapter 1: Arrival\n\n\"Hello,\" said Mara. The harbour was grey.\n",
        "content/w/02.txt": "Chapter 2: <b>Bold</b> & Brave\n\nJonah ran to the pier.\n",
        "content/w/03.txt": "Chapter 3: Home\n\nThey walked home in the rain.\n",
    })


def _feed(files, path="w/feed.xml"):
    return ET.fromstring(files[path])


def test_the_feed_lists_every_chapter_newest_first_with_links_that_exist(tmp_path):
    site = _site(tmp_path)
    for day, name in enumerate(["01.txt", "02.txt", "03.txt"], 1):
        os.utime(site / "content" / "w" / name, (86400 * day, 86400 * day))
    files = build_site(site).files
    feed = _feed(files)
    assert feed.find(f"{ATOM}title").text == "Tides & <Storms>"
    assert feed.find(f"{ATOM}author/{ATOM}name").text == "Ana"
    entries = feed.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == ["Chapter 3: Home", "Chapter 2: <b>Bold</b> & Brave",
                                                              "Chapter 1: Arrival"]
    assert [e.find(f"{ATOM}updated").text for e in entries] == ["1970-01-04T00:00:00Z", "1970-01-03T00:00:00Z",
                                                                "1970-01-02T00:00:00Z"]
    assert feed.find(f"{ATOM}updated").text == "1970-01-04T00:00:00Z"
    for e in entries:
        assert "w/" + e.find(f"{ATOM}link").get("href") in files
    assert '"Hello," said Mara' in entries[-1].find(f"{ATOM}summary").text
    assert len({e.find(f"{ATOM}id").text for e in entries}) == 3


def test_work_pages_point_feed_readers_to_the_feed(tmp_path):
    files = build_site(_site(tmp_path)).files
    for page in ("w/index.html", "w/chapter-1.html"):
        assert b'<link rel="alternate" type="application/atom+xml" href="feed.xml"' in files[page]


def test_with_a_base_url_the_feed_links_are_absolute(tmp_path):
    files = build_site(_site(tmp_path, 'base_url = "https://example.org/fic"\n')).files
    links = [link.get("href") for link in _feed(files).iter(f"{ATOM}link")]
    assert links and all(href.startswith("https://example.org/fic/w/") for href in links), links
