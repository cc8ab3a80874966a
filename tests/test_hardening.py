"""Hardening (issue #16): nothing outside the site, nothing lost, nothing left behind, under any input."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from conftest import make_site, missing_words, page_text
from sitegen.build import build, build_site
from sitegen.errors import SitegenError


def shown(result, slug="w") -> str:
    return result.files[f"{slug}/all.html"].decode("utf-8") + result.files[f"{slug}/index.html"].decode("utf-8")


# -- words lost ----------------------------------------------------------------------------------
@pytest.mark.parametrize("text, split", [
    ("the.\n\nChapter 2\n\n", "none"),
    ("Chapter 2\n", "auto"),
    ("Part One\n\nChapter 1\n\nText here.\n", "scenes"),
    ("Part One\n\nChapter 1\n\nText here.\n\nChapter 2: The Bridge\n\nMore text.\n", "markers"),
    ("Some text.\n\nChapter 2: The Bridge\n\nMore text.\n", "none"),
    ("Some text.\n\nChapter 2: The Bridge\n\nMore text.\n", "scenes"),
    ("She ran.\n\n(A/N thanks for reading)\n\n(A/N bye now)\n", "none"),
    ("(lol the)\n", "auto"),
])
def test_headings_and_notes_are_never_lost(tmp_path, text, split):
    site = make_site(tmp_path, {"content/w/a.txt": text, "content/w/work.toml": f'split = "{split}"\n'})
    assert not missing_words(text, shown(build_site(site)))


def test_headings_of_a_work_with_chapter_titles_in_work_toml_stay(tmp_path):
    text = "Chapter 1: The Roof\n\nText here.\n\nChapter 2: The Gate\n\nMore text.\n"
    site = make_site(tmp_path, {"content/w/a.txt": text, "content/w/work.toml": 'chapters = ["One", "Two"]\n'})
    assert not missing_words(text, shown(build_site(site)))


def test_notes_only_in_every_file_are_still_shown(tmp_path):
    site = make_site(tmp_path, {"content/w/1.txt": "(A/N on hiatus)\n", "content/w/2.txt": "(A/N back soon)\n"})
    assert not missing_words("on hiatus back soon", shown(build_site(site)))


@pytest.mark.parametrize("text", ["\ue0000\ue001 \"hi\" she said \ue000", "\ue0007\ue001 \"x\"", "\ue001\"a\"\ue000"])
def test_private_use_sentinels_in_the_story_neither_crash_nor_forge_markup(tmp_path, text):
    site = make_site(tmp_path, {"content/w/a.txt": f"Title\n\nText first.\n\n{text}\n"})
    page = build_site(site).files["w/chapter-1.html"].decode("utf-8")
    for ch in "\ue000\ue001":                                   # shown as written, no more, no less
        assert page.count(ch) == text.count(ch)
    assert page.count('class="quote') == text.count('"') // 2


# -- linear time on hostile text -------------------------------------------------------------------
def traced_steps(fn) -> int:
    """How many Python lines and calls fn() runs: a measure of work that a loaded machine does not change."""
    steps = 0

    def tracer(frame, event, arg):
        nonlocal steps
        steps += 1
        return tracer
    sys.settrace(tracer)
    try:
        fn()
    finally:
        sys.settrace(None)
    return steps


def test_quote_marks_in_one_paragraph_cost_linear_work():
    """Many quote marks in one paragraph: 4x the marks is about 4x the work (the old rescan was 10x)."""
    from sitegen.dialogue import find_quotes
    from sitegen.model import SourceText

    def steps(n: int) -> int:
        text = "Some prose.\n\n" + '"' * n + "\n"
        src = SourceText.from_text(Path("x.txt"), text, "x.txt", 0.0)
        find_quotes(src, [(0, 11), (13, len(text) - 1)], ())          # warm the finders' memories
        src = SourceText.from_text(Path("x.txt"), text + " ", "x.txt", 0.0)
        return traced_steps(lambda: find_quotes(src, [(0, 11), (13, len(text) - 1)], ()))
    assert steps(2000) / steps(500) < 5
