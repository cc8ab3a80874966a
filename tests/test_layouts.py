"""Works laid out as authors post them (AO3 page copies and downloads, FFN chapters, chapter files, Markdown):
each fixture folder in tests/fixtures/layouts/ holds a work and, beside it, expected.toml with its structure."""
from __future__ import annotations

import re
import shutil
import tomllib
from collections import Counter
from pathlib import Path

import pytest

from sitegen.build import analyse_work
from sitegen.build import build_site
from sitegen.load.files import load_work
from sitegen.text.markers import is_scene_break

from conftest import page_text

WORD = re.compile(r"[^\W_]+")          # "_never_" is the word "never" (as ../shared's scorer reads words)


def missing_words(source: str, html: str) -> Counter:
    return Counter(w.lower() for w in WORD.findall(source)) - Counter(w.lower() for w in WORD.findall(page_text(html)))

LAYOUTS = Path(__file__).parent / "fixtures" / "layouts"
CASES = sorted(p.name for p in LAYOUTS.iterdir() if (p / "expected.toml").is_file())


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Every fixture work built once, as a new user would: dropped into content/, no configuration."""
    site = tmp_path_factory.mktemp("layouts")
    for name in CASES:
        folder = site / "content" / name
        folder.mkdir(parents=True)
        for f in (LAYOUTS / name).iterdir():
            if f.name != "expected.toml":
                shutil.copy(f, folder / f.name)
    result = build_site(site)
    works = {name: analyse_work(load_work(site / "content" / name, site)) for name in CASES}
    return result, works


def case(name: str) -> dict:
    return tomllib.loads((LAYOUTS / name / "expected.toml").read_text(encoding="utf-8"))


def prose_of(work) -> list[str]:
    return [flat(work.sources[p.source].text[p.start:p.end]) for p in work.paragraphs]


@pytest.mark.parametrize("name", CASES)
def test_title_author_and_chapters(built, name):
    work, want = built[1][name], case(name)
    if "title" in want:
        assert work.meta.title == want["title"]
    if "author" in want:
        assert work.meta.author == want["author"]
    if "chapters" in want and want["chapters"]:
        assert [c.title for c in work.chapters] == want["chapters"]
    if "scene_breaks" in want:
        assert len(work.breaks) == want["scene_breaks"]


@pytest.mark.parametrize("name", CASES)
def test_every_note_is_a_whole_note_and_none_is_left_in_the_prose(built, name):
    work, want = built[1][name], case(name)
    notes = [flat(n.text) for n in work.notes]
    prose = " ".join(prose_of(work))
    for note in want.get("note", ()):
        holders = [n for n in notes if all(flat(part) in n for part in note["contains"])]
        assert holders, f"no note holds {note['contains']}; notes: {notes}"
        for part in note["contains"]:
            assert flat(part) not in prose, f"note text {part!r} is shown as prose"
        if "kind" in note:
            kinds = {n.kind for n in work.notes if all(flat(p) in flat(n.text) for p in note["contains"])}
            assert note["kind"] in kinds


@pytest.mark.parametrize("name", CASES)
def test_story_prose_stays_prose(built, name):
    work, want = built[1][name], case(name)
    prose = " ".join(prose_of(work))
    for excerpt in want.get("prose", ()):
        assert flat(excerpt) in prose


@pytest.mark.parametrize("name", CASES)
def test_no_word_lost_no_separator_page_and_headings_shown(built, name):
    result, works = built
    work, want = works[name], case(name)
    source = "\n".join(s.text for s in work.sources)
    page = result.files[f"{work.slug}/all.html"].decode("utf-8")
    assert not missing_words(source, page)
    for ch in work.chapters:
        texts = prose_of(work)[ch.first_paragraph:ch.last_paragraph + 1]
        assert not all(is_scene_break(t) for t in texts), f"{ch.title} holds only a separator"
    for heading in want.get("headings", ()):
        assert f'<h2 class="section-heading">{heading}</h2>' in page
    for snippet in want.get("html", ()):
        assert snippet in page
    for snippet in want.get("no_html", ()):
        assert snippet not in page


@pytest.mark.parametrize("name", [n for n in CASES if "timeline" in case(n)])
def test_story_time_carried_across_chapters(built, name):
    work = built[1][name]
    assert [e.time_label for e in work.timeline] == case(name)["timeline"]


@pytest.mark.parametrize("split", ["none", "scenes"])
def test_headings_stay_on_the_page_whatever_the_split(tmp_path, split):
    story = ("The Two Halves\n\nPart One\n\nChapter 1\n\nThe river rose in the night and nobody slept.\n\n"
             "Chapter 2: After\n\nBy morning the bridge was gone.\n")
    folder = tmp_path / "content" / "w"
    folder.mkdir(parents=True)
    (folder / "story.txt").write_text(story, encoding="utf-8")
    (folder / "work.toml").write_text(f'split = "{split}"\n', encoding="utf-8")
    page = build_site(tmp_path).files["w/all.html"].decode("utf-8")
    assert not missing_words(story, page)
    for heading in ("Part One", "Chapter 2: After"):
        assert heading in page


_BREAK = r'<p class="scene-break[^"]*"[^>]*>[^<]*</p>'
_BETWEEN = r'(?:\s|</?section[^>]*>|<aside class="author-note[^"]*".*?</aside>)*'


@pytest.mark.parametrize("name", CASES)
def test_separators_in_a_row_show_as_one_line_of_visible_characters(built, name):
    """Stacked break lines (only notes between them) are one shown break; no Markdown syntax is shown in it."""
    page = built[0].files[f"{built[1][name].slug}/all.html"].decode("utf-8")
    assert not re.search(_BREAK + _BETWEEN + _BREAK, page, re.S)
    for line in re.findall(r'<p class="scene-break[^"]*"[^>]*>([^<]*)</p>', page):
        if re.fullmatch(r"[*_#\s]+", line):         # only "***", "* * *" typed as a rule; never "** **", "_ _", "#"
            assert re.fullmatch(r"([*_])(?:\1{2,}|(?: \1){2,})", line), f"markup shown as a break: {line!r}"


def test_a_summary_block_on_top_is_the_works_summary(built):
    """An archive's "Summary:" block is the work's summary, as `summary` in work.toml is: on the site index."""
    result, works = built
    assert works["note-label-headings"].meta.summary == "Two rival lantern makers share a stall for one night market."
    assert '<p class="summary author-summary">Two rival lantern makers share a stall' in result.files["index.html"].decode("utf-8")
