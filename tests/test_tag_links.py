"""A work's tag links: a character named in another word order is the work's own tag, one page."""
from __future__ import annotations

from sitegen.model import WorkMeta
from sitegen.render.views import tag_links


def test_a_character_in_another_name_order_is_the_works_tag():
    meta = WorkMeta(title="T", tags=("Haruno Sakura", "Fluff"))
    links = tag_links(meta, ["Sakura Haruno", "Naruto"])
    pages = [(l.kind, l.name, l.url) for l in links if l.kind in ("character", "freeform")]
    assert pages == [("character", "Haruno Sakura", "tags/haruno-sakura.html"),
                     ("character", "Naruto", "tags/naruto.html"),
                     ("freeform", "Fluff", "tags/fluff.html")]


def test_different_names_stay_apart():
    links = tag_links(WorkMeta(title="T", tags=("Sakura",)), ["Sakura Haruno"])
    assert {l.url for l in links} >= {"tags/sakura.html", "tags/sakura-haruno.html"}
