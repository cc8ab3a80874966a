"""A rebuild that reuses the dev server's BuildCache (and the finders' memories) gives byte for byte
what a fresh build of the same files gives, whatever the edit."""
from __future__ import annotations

import shutil
from collections import Counter
from itertools import accumulate
from pathlib import Path

import pytest
from hypothesis import example, given, settings, strategies as st

from conftest import SAMPLE, make_site
from sitegen.build import build_site
from sitegen.cache import BuildCache

CH1 = """Chapter 1: Arrival

A/N: Thanks for reading! This one is for my sister.

"Is anyone home?" Mara called, dropping her bag by the door.

Jonah looked up from the stove. "In here," he said. "You're early."

'He looks tired,' Mara thought. (I know, I know, another kitchen scene.)

* * *

The next morning the house was quiet. Mara walked to the harbour alone.

"Wait for me!" Jonah shouted after her.
"""

CH2 = """Chapter 2: The Harbour

Three days later, Mara stood on the pier. "The boats are gone," she said.

Jonah frowned. "All of them?"

"All of them," said Mara.
"""

CH3 = """Chapter 3: Home

That night they walked back through the rain. Nobody spoke until the door closed.

"We'll start again tomorrow," Jonah said.

A/N: That's it for now. Reviews make my day!
"""

WORK_TOML = 'title = "The Harbour"\nauthor = "Tester"\n'


def _site(root: Path) -> Path:
    return make_site(root, {"content/harbour/work.toml": WORK_TOML, "content/harbour/01.txt": CH1,
                            "content/harbour/02.txt": CH2, "content/harbour/03.txt": CH3})


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"the test's edit does not apply: {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


W = "content/harbour/"
EDITS = [
    ("a word in a quote", lambda s: _edit(s / W / "02.txt", "The boats are gone", "The boats have gone")),
    ("a word in narration", lambda s: _edit(s / W / "01.txt", "looked up", "glanced up")),
    ("a new paragraph", lambda s: _edit(s / W / "01.txt", "\n\n* * *", "\n\nThe kettle whistled.\n\n* * *")),
    ("the paragraph removed", lambda s: _edit(s / W / "01.txt", "The kettle whistled.\n\n", "")),
    ("a new scene break", lambda s: _edit(s / W / "02.txt", "\n\nJonah frowned.", "\n\n* * *\n\nJonah frowned.")),
    ("a new speaker tag", lambda s: _edit(s / W / "03.txt", '"We\'ll start again tomorrow," Jonah said.',
                                         '"We\'ll start again tomorrow," Mara said.')),
    ("an inline note", lambda s: _edit(s / W / "02.txt", "All of them?\"", "All of them?\" (A/N: yes, all.)")),
    ("a broken quote mark", lambda s: _edit(s / W / "03.txt", '"We\'ll', 'We\'ll')),
    ("a new chapter file", lambda s: (s / W / "04.txt").write_text("Chapter 4: After\n\n\"Again,\" said Mara.\n",
                                                                  encoding="utf-8")),
    ("a file removed", lambda s: (s / W / "02.txt").unlink()),
    ("the work's title", lambda s: _edit(s / W / "work.toml", "The Harbour", "Harbour Lights")),
    ("a cast", lambda s: _append(s / W / "work.toml",
                                 '\n[characters.mara]\nname = "Mara"\npronouns = "she"\n'
                                 '\n[characters.jonah]\nname = "Jonah"\npronouns = "he"\n')),
    ("a line after the cast", lambda s: _edit(s / W / "01.txt", "\"Wait for me!\"", "\"Wait!\"")),
    ("text at the very end", lambda s: _append(s / W / "04.txt", "\nThe end, for now.\n")),
    ("a closing separator line", lambda s: _append(s / W / "01.txt", "\n~o~o~o~\n")),
    ("a heading closing a file", lambda s: _append(s / W / "03.txt", "\nChapter 4: Next Time\n")),
    ("a separator line opening a file", lambda s: _edit(s / W / "03.txt", "Chapter 3: Home", "~o~o~\n\nChapter 3: Home")),
]


def test_every_kind_of_edit_rebuilds_exactly_as_a_fresh_build(tmp_path):
    site = _site(tmp_path / "site")
    cache = BuildCache()
    build_site(site, cache=cache)
    for what, edit in EDITS:
        edit(site)
        warm = build_site(site, cache=cache).files
        cold = build_site(site).files
        assert warm.keys() == cold.keys(), what
        differ = [path for path in cold if warm[path] != cold[path]]
        assert not differ, f"after {what}, the rebuild differs from a fresh build in {differ}"


def test_edits_to_the_sample_rebuild_exactly(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(SAMPLE.parent.parent, site / "content")
    story = site / "content" / SAMPLE.parent.name / SAMPLE.name
    text = story.read_text(encoding="utf-8")
    paragraphs = text.split("\n\n")
    cache = BuildCache()
    build_site(site, cache=cache)
    middle = len(paragraphs) // 2
    for what, new in [("a paragraph split in two", paragraphs[:middle] + ["A short new paragraph."] + paragraphs[middle:]),
                      ("back as it was", paragraphs),
                      ("a paragraph dropped", paragraphs[:middle] + paragraphs[middle + 1:])]:
        story.write_text("\n\n".join(new), encoding="utf-8")
        warm = build_site(site, cache=cache).files
        cold = build_site(site).files
        assert warm == cold, f"after {what}, the rebuild differs from a fresh build"


def test_a_paragraph_added_to_one_chapter_changes_no_other_chapter_page(tmp_path):
    site = _site(tmp_path / "site")
    cache = BuildCache()
    before = build_site(site, cache=cache).files
    _edit(site / W / "01.txt", "\n\n* * *", "\n\nThe kettle whistled.\n\n* * *")
    after = build_site(site, cache=cache).files
    changed = sorted(p for p in after if after[p] != before.get(p))
    assert "harbour/chapter-1.html" in changed
    assert not [p for p in changed if p.startswith("harbour/chapter-") and p != "harbour/chapter-1.html"], changed


def test_a_chapter_made_again_the_same_is_not_made_again_after(tmp_path, monkeypatch):
    """A file holding only a note is shown with the chapters beside it, so a blank line added to it changes
    their keys and makes them again, with the same HTML. A later edit to the last chapter's file must make
    only that chapter: the first chapter's new body is the one kept (pruning keeps a body by the views
    showing it), not dropped for the equal body of the build before (which made it again on every save)."""
    import sitegen.build
    site = make_site(tmp_path / "site", {"content/harbour/work.toml": WORK_TOML, "content/harbour/01.txt": CH1,
                                         "content/harbour/02.txt": "A/N: Sorry this took so long, exams.\n",
                                         "content/harbour/03.txt": CH3})
    cache = BuildCache()
    build_site(site, cache=cache)
    _append(site / W / "02.txt", "\n")
    build_site(site, cache=cache)
    made = []
    body = sitegen.build.chapter_body
    monkeypatch.setattr(sitegen.build, "chapter_body",
                        lambda work, ch, *rest: made.append(ch.title) or body(work, ch, *rest))
    _edit(site / W / "03.txt", "walked back", "walked home")
    build_site(site, cache=cache)
    assert made == ["Chapter 3: Home"]


def test_a_speaker_found_in_one_chapter_makes_that_chapter_again_not_every_chapter(tmp_path, monkeypatch):
    """Without a cast file the cast is what the chapters show: a new speaker in chapter 3 changes it, but a
    body reads of the cast only whether its quotes' speakers are in it, so chapters 1 and 2 are kept;
    removing the speaker again makes chapter 3 again; each build is the fresh build's, byte for byte."""
    import sitegen.build
    site = _site(tmp_path / "site")
    (site / W / "work.toml").write_text(WORK_TOML, encoding="utf-8")
    cache = BuildCache()
    build_site(site, cache=cache)
    made = []
    body = sitegen.build.chapter_body
    monkeypatch.setattr(sitegen.build, "chapter_body",
                        lambda work, ch, *rest: made.append(ch.title) or body(work, ch, *rest))
    casts = []
    for edit in (lambda: _append(site / W / "03.txt", '\n\n"I am new here," said Tobias Quill.\n'),
                 lambda: _edit(site / W / "03.txt", '\n\n"I am new here," said Tobias Quill.\n', "")):
        made.clear()
        edit()
        kept = build_site(site, cache=cache)
        assert made == ["Chapter 3: Home"], made
        assert dict(kept.files) == dict(build_site(site).files)
        casts.append({c.id for c in kept.works[0].cast})
    assert casts[0] - casts[1], "the edit was meant to change the discovered cast"


def test_a_quote_given_to_a_character_the_cast_did_not_have_is_made_again_when_the_cast_has_them(tmp_path):
    """`{=tobias-quill}` in chapter 1 names no one in the cast (the quote is shown as unknown) until
    chapter 3 brings Tobias Quill in: chapter 1's body must then be made again (and 2's need not)."""
    import sitegen.build
    site = make_site(tmp_path / "site", {
        "content/harbour/work.toml": WORK_TOML, "content/harbour/02.txt": CH2, "content/harbour/03.txt": CH3,
        "content/harbour/01.txt": CH1.replace('"In here," he said.', '"In here,"{=tobias-quill} he said.')})
    cache = BuildCache()
    build_site(site, cache=cache)
    made = []
    body = sitegen.build.chapter_body
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sitegen.build, "chapter_body",
                      lambda work, ch, *rest: made.append(ch.title) or body(work, ch, *rest))
        _append(site / W / "03.txt", '\n\n"I am new here," said Tobias Quill.\n')
        kept = build_site(site, cache=cache)
    assert sorted(made) == ["Chapter 1: Arrival", "Chapter 3: Home"], made
    assert dict(kept.files) == dict(build_site(site).files)


@pytest.mark.parametrize("offset", [0, 7])
def test_the_finders_answer_the_same_wherever_the_text_stands(offset):
    """The tag and vocative finders remember answers by the text they read; the answer's offsets
    must still be those of the text they were asked about."""
    from sitegen.dialogue.tags import tag_after, tag_before, vocative_spans
    pad = "x" * offset
    text = pad + '"Open your eyes, Sakura," Naruto said softly.'
    close = text.index(",\"") + 2
    tag = tag_after(text, close, len(text))
    assert text[tag.start:tag.end] == "Naruto"
    voc = vocative_spans(text, offset, close)
    assert {text[a:b] for a, b in voc} == {"Sakura"}
    before = pad + 'Sakura turned to him and said, '
    tag = tag_before(before + '"Fine."', offset, len(before))
    assert before[tag.start:tag.end] == "Sakura"


# -- the dev server's deferred pages ----------------------------------------------------
def test_a_deferred_page_is_made_once_and_compared_by_its_inputs():
    from sitegen.render.deferred import Deferred, resolve_all
    made = []
    page = Deferred(("inputs", 1), lambda: made.append(1) or b"<html>")
    assert page == Deferred(("inputs", 1), lambda: b"other") and page != Deferred(("inputs", 2), lambda: b"")
    assert resolve_all({"a.html": page, "b.css": b"x"}) == {"a.html": b"<html>", "b.css": b"x"}
    assert page.resolve() == b"<html>" and made == [1]


def test_dev_builds_defer_the_big_pages_which_then_match_a_fresh_build(tmp_path):
    from sitegen.render.deferred import Deferred
    from sitegen.serve.builder import SiteBuilder
    site = _site(tmp_path / "site")
    builder = SiteBuilder(site)
    first = builder(frozenset())
    assert not any(isinstance(v, Deferred) for v in first.files.values()), "the first build proves the templates"
    _edit(site / W / "02.txt", "The boats are gone", "The boats have gone")
    files = builder(frozenset()).files
    deferred = sorted(p for p, v in files.items() if isinstance(v, Deferred))
    # every page but the chapters' (what an author looks at while writing) is made when asked for
    assert "harbour/chapter-2.html" not in deferred and "harbour/characters.css" not in deferred
    assert set(deferred) >= {"feed.xml", "harbour/all.html",
                             "harbour/timeline.html", "harbour/feed.xml", "harbour/harbour.epub"}
    # the lists of works and the work's page show nothing this edit changed (the same words and dates): kept
    assert all(files[p] is first.files[p] for p in ("index.html", "tags/index.html", "harbour/index.html"))
    fresh = build_site(site).files
    assert {p: v.resolve() for p, v in files.items() if p in deferred} == {p: fresh[p] for p in deferred}


def test_a_broken_timeline_template_still_fails_the_dev_build(tmp_path):
    from sitegen.errors import SitegenError
    from sitegen.serve.builder import SiteBuilder
    site = _site(tmp_path / "site")
    builder = SiteBuilder(site)
    builder(frozenset())
    builder(frozenset())
    make_site(site, {"templates/timeline.html": "{% extends 'base.html' %}{% block content %}{{ oops( }}{% endblock %}"})
    with pytest.raises(SitegenError, match="template"):
        builder(frozenset())


def test_a_file_holding_only_a_note_rebuilds_exactly(tmp_path):
    site = _site(tmp_path / "site")
    cache = BuildCache()
    build_site(site, cache=cache)
    for text in ["A/N: A short break between chapters. Back next week!\n",
                 "A/N: A short break between chapters. Back in two weeks!\n"]:
        (site / W / "02b.txt").write_text(text, encoding="utf-8")
        assert build_site(site, cache=cache).files == build_site(site).files


# -- the dev server's path: what a save redoes ------------------------------------------
def test_every_kind_of_edit_through_the_dev_server_matches_a_fresh_build(tmp_path):
    """The dev server's builder (deferred pages, the view's parts kept by file and chapter) after each
    edit gives the site a fresh build gives; every other build's deferred pages are made only after the
    next save was built (as a page asked for late is)."""
    from sitegen.render.deferred import resolve_all
    from sitegen.serve.builder import SiteBuilder
    site = _site(tmp_path / "site")
    builder = SiteBuilder(site)
    builder(frozenset())
    waiting = None                      # (edit, its build's files, a fresh build's) made after the next save
    for k, (what, edit) in enumerate(EDITS):
        edit(site)
        files, cold = builder(frozenset()).files, build_site(site).files
        if waiting is not None:
            before, late, fresh = waiting
            assert resolve_all(late) == fresh, f"the pages deferred after {before} changed with {what}"
            waiting = None
        if k % 2:
            warm = resolve_all(files)
            assert warm.keys() == cold.keys(), what
            differ = [path for path in cold if warm[path] != cold[path]]
            assert not differ, f"after {what}, the dev server's build differs from a fresh build in {differ}"
        else:
            waiting = (what, files, cold)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.sampled_from(["ann", "bo", "cy", None]), max_size=6), min_size=12, max_size=40),
       st.integers(0, 39))
def test_turns_summed_file_by_file_equal_the_whole_works(files, changed):
    """The colours' turn counts, made per file and per run of files (reused.runs) and kept by the files'
    keys, equal colours.exchanges over all the work's quotes, also when one file changed since the counts
    were kept (up to 40 files: several runs, so a turn between two runs counts too)."""
    from types import SimpleNamespace
    from sitegen.render.colours import exchanges
    from sitegen.render.reused import Reused
    from sitegen.render.views import turns

    def work(files, keys):
        quotes = tuple(SimpleNamespace(speaker=s) for f in files for s in f)
        bounds = (0, *accumulate(len(f) for f in files))
        return SimpleNamespace(quotes=quotes, file_quotes=bounds, source_keys=keys)
    keys = tuple(f"file{i}" for i in range(len(files)))
    kept = Reused()
    assert turns(work(files, keys), kept) == exchanges(s for f in files for s in f)
    edited = [list(f) for f in files]
    i = changed % len(files)
    edited[i] = edited[i][::-1] + ["ann"]
    new_keys = tuple(k + "-edited" if n == i else k for n, k in enumerate(keys))
    assert turns(work(edited, new_keys), Reused(kept.used)) == exchanges(s for f in edited for s in f)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.dictionaries(st.sampled_from([("ann", "speech"), ("bo", "thought"), ("cy", "speech")]),
                                st.integers(1, 5)), min_size=12, max_size=40), st.integers(0, 39))
def test_line_counts_summed_in_runs_equal_the_whole_works(counts, changed):
    """The legend's line counts, summed in runs of files kept by the files' keys, equal the sum over every
    file, also when one file changed since the runs were kept."""
    from types import SimpleNamespace
    from sitegen.build import line_counts
    from sitegen.render.reused import Reused

    def files(counts):
        return [SimpleNamespace(line_counts=Counter(c)) for c in counts]
    keys = [f"file{i}" for i in range(len(counts))]
    kept = Reused()
    assert line_counts(files(counts), keys, kept) == sum(map(Counter, counts), Counter())
    i = changed % len(counts)
    edited = [{**c, ("bo", "thought"): 9} if n == i else c for n, c in enumerate(counts)]
    keys[i] += "-edited"
    assert line_counts(files(edited), keys, Reused(kept.used)) == sum(map(Counter, edited), Counter())


PARAGRAPHS = ['"Did you lock the door?" Jonah asked.', "The rain had stopped by noon.",
              '"Of course," said Mara. "Twice."', "* * *", "Mara laughed, and the gulls answered her.",
              "A/N: One more scene after this!"]


@settings(max_examples=8, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["01.txt", "02.txt", "03.txt"]),
                          st.sampled_from(["insert", "delete", "grow"]), st.integers(0, 12),
                          st.sampled_from(PARAGRAPHS)), min_size=1, max_size=4))
@example([("03.txt", "insert", 0, "A/N: One more scene after this!")])   # the last chapter's end note, in the next file
@example([("01.txt", "insert", 12, "A/N: One more scene after this!")])  # a note after a chapter, before the next file
def test_any_run_of_saves_through_the_dev_server_matches_a_fresh_build(tmp_path_factory, saves):
    """Random saves (a paragraph added, removed or grown anywhere in any file), each built by the dev
    server's builder as it comes, give after every save the site a fresh build of the same files gives.
    The examples are saves it once found: a note at the top of a chapter's file is the chapter before's
    end note, so that chapter's page changes with a file its own text is not in."""
    from sitegen.render.deferred import resolve_all
    from sitegen.serve.builder import SiteBuilder
    site = _site(tmp_path_factory.mktemp("site"))
    builder = SiteBuilder(site)
    builder(frozenset())
    for name, how, at, new in saves:
        path = site / W / name
        paragraphs = path.read_text(encoding="utf-8").rstrip("\n").split("\n\n")
        at %= len(paragraphs) + (how == "insert")
        if how == "insert":
            paragraphs.insert(at, new)
        elif how == "delete" and len(paragraphs) > 1:
            del paragraphs[at]
        else:
            paragraphs[at] += " " + new
        path.write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
        warm, cold = resolve_all(builder(frozenset()).files), build_site(site).files
        assert warm.keys() == cold.keys(), saves
        differ = [p for p in cold if warm[p] != cold[p]]
        assert not differ, f"after {saves}, the dev server's build differs from a fresh build in {differ}"
