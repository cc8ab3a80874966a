"""The sample fic, built end to end: dialogue styling, notes in the sidebar, the timeline."""
import json
import re

import pytest

from sitegen.build import build_site

from conftest import REPO, SHARED, needs_shared, page_text


@pytest.fixture(scope="module")
def site():
    return build_site(REPO)


def page(site, name):
    return site.files[f"change-of-plans/{name}"].decode("utf-8")


def test_every_quote_is_an_element_with_speaker_and_kind(site):
    work = site.works[0]
    whole = page(site, "all.html")
    spans = re.findall(r'<span class="q( thought)? c-([\w-]+)( unsure)?">', whole)
    assert len(spans) == len(work.quotes) >= 250
    assert sum(bool(thought) for thought, _, _ in spans) == sum(q.kind == "thought" for q in work.quotes) > 0
    cast = {c.id for c in work.cast} | {"unknown"}
    assert {s[1] for s in spans} <= cast


def test_speaker_names_are_generated_content_never_text(site):
    """Copying a line copies the line: the name is CSS generated content (screen readers read it;
    the reader can show it), not text inside the prose, and there are no hover-only tooltips."""
    whole = page(site, "all.html")
    assert "speaker-label" not in whole and "visually-hidden" not in whole
    assert not re.search(r'<span class="q[^>]* title=', whole)
    css = page(site, "characters.css")
    assert '.q.c-sakura::before { content: "Sakura Haruno: "; }' in css
    assert '.q.thought.c-naruto::before { content: "Naruto Uzumaki, thinking: "; }' in css


def test_legend_and_reader_controls(site):
    chapter = page(site, "chapter-1.html")
    for toggle in ("plain-dialogue", "hide-notes", "show-names"):
        assert f'id="{toggle}"' in chapter and f'label for="{toggle}"' in chapter
    legend = chapter[chapter.index('class="legend"'):]
    assert "Sakura Haruno" in legend and "Naruto Uzumaki" in legend
    css = page(site, "characters.css")
    assert re.search(r"\.c-sakura \{ --speaker-light: #[0-9a-f]{6}; --speaker-dark: #[0-9a-f]{6}; \}", css)


def test_each_chapter_legend_lists_only_who_speaks_in_it(site):
    work = site.works[0]
    seen = set()
    for ch in work.chapters:
        html = page(site, f"{ch.slug}.html")
        prose = html[html.index('<div class="prose">'):]
        speakers = set(re.findall(r'<span class="q(?: thought)? c-([\w-]+)', prose))
        listed = set(re.findall(r'id="who-([\w-]+)"', html))
        assert listed == speakers
        seen |= speakers
    assert len(seen) > len(listed), "some chapter leaves someone out"


def test_thoughts_are_italic_by_default():
    css = (REPO / "themes" / "default" / "static" / "style.css").read_text()
    assert ".q.thought { font-style: italic; }" in css


@needs_shared
def test_the_five_notes_are_notes_not_prose(site):
    gold = json.loads((SHARED / "seed" / "change-of-plans.structure.gold.json").read_text())
    work = site.works[0]
    found = {(n.start, n.end, n.kind) for n in work.notes}
    for note in gold["author_notes"]:
        assert (note["start"], note["end"], note["kind"]) in found
    prose = "".join(re.findall(r'<div class="prose">(.*?)</div>\s*</section>', page(site, "all.html"), re.S))
    prose_text = page_text(re.sub(r'<span class="sidenote".*?</span></span>', "", prose))
    for note in gold["author_notes"]:
        assert note["text"][:30] not in prose_text


@needs_shared
def test_timeline_links_gold_scenes_into_the_chapters(site):
    gold = json.loads((SHARED / "seed" / "change-of-plans.structure.gold.json").read_text())
    work = site.works[0]
    timeline = page(site, "timeline.html")
    linked = set()
    for chapter, n in re.findall(r'href="(chapter-\d+)\.html#scene-(\d+)"', timeline):
        scene = work.scenes[int(n) - 1]
        assert f'id="scene-{n}"' in page(site, f"{chapter}.html")
        linked.add(scene.start)
    hits = [s for s in gold["scenes"] if s["start"] in linked]
    assert len(hits) >= 8


@needs_shared
def test_chart_names_the_named_characters(site):
    gold = json.loads((SHARED / "seed" / "change-of-plans.structure.gold.json").read_text())
    svg = page(site, "timeline.html")
    svg = svg[svg.index("<svg"):svg.index("</svg>")]
    named = [c["name"] for cid, c in gold["characters"].items() if cid != "chunnin"]
    assert sum(name in svg for name in named) >= 6
