"""A pasted archive header ("Rated: T", "Status: Complete", FanFiction.net's stat line) on top of a
work: its fields become the work's metadata, shown in the work header, and the lines stay visible."""
from __future__ import annotations

from bs4 import BeautifulSoup

from conftest import make_site, missing_words, page_text
from sitegen.build import build_site
from sitegen.text.fields import header_fields, iso_date

STORY = """The Lantern Keeper

Author: Wren Hollis

Rated: Fiction T - English - Adventure/Friendship - Mara K., Tomas B. - Chapters: 12 - Words: 4,321 - Reviews: 17 - Favs: 9 - Updated: Mar 4, 2021 - Published: Jan 5, 2020 - Status: Complete - id: 4242

Category: Lighthouse Tales

Beta: Juniper Vale

Chapter One: The Light

Mara climbed the stairs of the lighthouse two at a time. "Tomas, the lamp is out!"

"Then light it," Tomas said, not looking up from his book.
"""


def built(tmp_path, toml: str = ""):
    files = {"content/lantern/lantern.txt": STORY}
    if toml:
        files["content/lantern/work.toml"] = toml
    site = make_site(tmp_path / "site", files)
    result = build_site(site)
    pages = [html.decode("utf-8") for path, html in sorted(result.files.items())
             if path.startswith("lantern/") and path.endswith(".html")]
    return result.works[0], result.files["lantern/index.html"].decode("utf-8"), " ".join(pages)


def test_the_headers_fields_become_the_works_metadata(tmp_path):
    work, page, _ = built(tmp_path)
    m = work.meta
    assert (m.author, m.rating, m.language, m.complete, m.chapters_total) == ("Wren Hollis", "T", "en", True, 12)
    assert (m.published, m.updated, m.fandom) == ("2020-01-05", "2021-03-04", "Lighthouse Tales")
    assert m.tags == ("Adventure", "Friendship")
    header = page_text(str(BeautifulSoup(page, "html.parser").find(class_="work-header")))
    for shown in ("T", "Lighthouse Tales", "Adventure", "2020-01-05", "complete"):
        assert shown in header, shown


def test_nothing_of_the_header_is_lost_and_an_unknown_field_stays_visible(tmp_path):
    work, page, every = built(tmp_path)
    notes = " ".join(n.text for n in work.notes)
    assert "Beta: Juniper Vale" in notes and "Reviews: 17" in notes       # not understood: still shown, as a note
    assert "Beta: Juniper Vale" in page_text(page)
    assert not missing_words(STORY, every)


def test_work_toml_wins_over_the_header(tmp_path):
    work, _, _ = built(tmp_path, 'rating = "M"\ncomplete = false\nfandom = "Harbour"\n')
    assert (work.meta.rating, work.meta.complete, work.meta.fandom) == ("M", False, "Harbour")
    assert work.meta.chapters_total == 12                          # what work.toml does not say still comes


def test_header_fields_read_combined_keys_categories_and_dates():
    meta, unused = header_fields([("Category/Rating", "GEN/T"), ("Chapters", "2/10"), ("Characters", "Everyone"),
                                  ("Status", "In-Progress"), ("Language", "Français"), ("Words", "1,200"),
                                  ("Published", "sometime")])
    assert meta == {"categories": ["Gen"], "rating": "T", "chapters_total": 10, "complete": False, "language": "fr"}
    assert unused == ["characters", "words", "published"]
    assert iso_date("1/5/2012") == "2012-01-05" and iso_date("5 March 2019") == "2019-03-05"
