"""The build cache kept on disk (.sitegen-cache/): a build that starts from it gives byte for byte what a
fresh build gives, whatever the edit; a cache from other code, or damaged, is ignored; --no-cache
neither reads nor writes it. Also the settings that keep a long work's output in proportion."""
from __future__ import annotations

import io
import pickle
import subprocess
import sys

from conftest import make_site
import pytest
from test_incremental import EDITS, W, _append, _edit, _site

from sitegen import store
from sitegen.build import build, build_site
from sitegen.progress import report, showing


def _kept_build(site):
    """A build as a new `sitegen build` process makes it: nothing in memory, the cache on disk."""
    return build(site, keep=True)


def _public(site) -> dict[str, bytes]:
    out = site / "public"
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def test_builds_from_the_kept_cache_equal_fresh_builds_after_every_kind_of_edit(tmp_path):
    site = _site(tmp_path / "site")
    _kept_build(site)
    assert (site / store.FOLDER / store.FILE).is_file()
    for what, edit in EDITS:
        edit(site)
        kept = _kept_build(site)
        assert kept.works, f"after {what}, the build reused its last output although the text changed"
        fresh = build_site(site).files
        assert dict(kept.files) == dict(fresh), f"after {what}, the build from the kept cache differs"


def test_an_unchanged_site_reuses_the_last_output(tmp_path):
    site = _site(tmp_path / "site")
    first = _kept_build(site)
    written = _public(site)
    again = _kept_build(site)
    assert again.works == () and again.work_count == 1 and again.words == first.words
    assert dict(again.files) == dict(first.files) and _public(site) == written
    assert again.diagnostics == first.diagnostics


def test_a_template_change_is_seen_through_the_kept_cache(tmp_path):
    site = _site(tmp_path / "site")
    _kept_build(site)
    make_site(site, {"templates/chapter.html": '{% extends "base.html" %}{% block content %}MINE{% endblock %}'})
    kept = _kept_build(site)
    assert b"MINE" in kept.files["harbour/chapter-1.html"]
    assert dict(kept.files) == dict(build_site(site).files)


def _damage(path, how):
    data = path.read_bytes()
    if how == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif how == "garbage":
        path.write_bytes(b"\x00\x01not a cache at all")
    elif how == "other version":
        body = data[len(store.MAGIC):]
        header = pickle.loads(body)
        header["version"] = "0.0.0+someone-else"
        path.write_bytes(store.MAGIC + pickle.dumps(header) + body[len(pickle.dumps(pickle.loads(body))):])
    elif how == "other format":
        path.write_bytes(store.MAGIC + pickle.dumps({"format": -1, "version": store.code_version(), "site": ""}))


@pytest.mark.parametrize("name", [store.FILE, store.OUTPUT])
def test_a_damaged_or_foreign_cache_is_ignored_and_replaced(tmp_path, name):
    site = _site(tmp_path / "site")
    path = site / store.FOLDER / name
    for n, how in enumerate(("truncated", "garbage", "other version", "other format")):
        _kept_build(site)
        _damage(path, how)
        if name == store.FILE:              # the saved output is good: only a changed text reads the cache
            _append(site / "content/harbour/03.txt", f"\nOne more line, round {n}.\n")
        kept = _kept_build(site)
        assert kept.works, f"a {how} {name} was taken for the last output"
        assert dict(kept.files) == dict(build_site(site).files), how
        assert _kept_build(site).works == (), f"the {how} {name} was not replaced by a good one"
        assert store.Store(site).cache() is not None


def test_the_cache_folder_ignores_itself_and_says_it_is_safe_to_delete(tmp_path):
    site = _site(tmp_path / "site")
    _kept_build(site)
    folder = site / store.FOLDER
    assert (folder / ".gitignore").read_text() == "*\n"
    assert "safe to delete" in (folder / "README.txt").read_text()


def test_no_cache_neither_reads_nor_writes_the_cache(tmp_path):
    site = make_site(tmp_path, {"content/w/story.txt": "Title\n\n\"Hello,\" she said.\n"})
    r = subprocess.run([sys.executable, "-m", "sitegen", "build", "--no-cache", "--quiet"], cwd=site,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout == "" and not (site / store.FOLDER).exists()
    r = subprocess.run([sys.executable, "-m", "sitegen", "build"], cwd=site, capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 0 and (site / store.FOLDER / store.FILE).is_file()
    assert "1 work(s)" in r.stdout and "words" in r.stdout


def _chapters(n: int) -> dict[str, str]:
    return {f"content/long/{i:02d}.txt": f"Chapter {i}\n\nPlain words for chapter {i}.\n" for i in range(1, n + 1)}


def test_a_long_work_lists_only_the_chapters_near_each_page(tmp_path):
    site = make_site(tmp_path, _chapters(40))
    files = build_site(site).files
    page = files["long/chapter-20.html"].decode()
    assert 'href="chapter-25.html"' in page and 'href="chapter-15.html"' in page     # five each side
    assert 'href="chapter-14.html"' not in page and 'href="chapter-26.html"' not in page
    assert '<ol start="15">' in page and "All 40 chapters" in page
    index = files["long/index.html"].decode()
    assert all(f'href="chapter-{i}.html"' in index for i in range(1, 41))


def test_whole_work_setting(tmp_path):
    site = make_site(tmp_path, _chapters(3))
    assert "long/all.html" in build_site(site).files                 # auto: a short work has one
    make_site(site, {"content/long/work.toml": "whole_work = false\n"})
    files = build_site(site).files
    assert "long/all.html" not in files
    assert not [p for p, data in files.items() if b'href="all.html"' in data], "a link to a page not made"
    make_site(site, {"content/long/work.toml": "whole_work = true\n"})
    assert "long/all.html" in build_site(site).files


def test_whole_work_auto_leaves_out_a_very_long_work(tmp_path, monkeypatch):
    from sitegen.render import views
    monkeypatch.setattr(views, "WHOLE_WORK_WORDS", 10)
    site = make_site(tmp_path, _chapters(3))
    assert "long/all.html" not in build_site(site).files


def test_progress_is_shown_only_on_a_terminal():
    class Tty(io.StringIO):
        def isatty(self):
            return True
    quiet, shown = io.StringIO(), Tty()
    with showing(quiet, after=0):
        report("chapters", 1, 2)
    with showing(shown, after=0):
        report("chapters", 2, 2)
    with showing(Tty(), enabled=False, after=0):
        report("chapters", 2, 2)
    assert quiet.getvalue() == ""
    assert "chapters: 2/2" in shown.getvalue() and shown.getvalue().endswith("\r")


def test_after_one_chapter_changes_the_epub_converts_only_that_chapter(tmp_path, monkeypatch):
    from sitegen.render import epub
    site = _site(tmp_path / "site")
    _kept_build(site)
    converted = []
    real = epub._chapter
    monkeypatch.setattr(epub, "_chapter", lambda ch, say: converted.append(ch.title) or real(ch, say))
    (site / "content" / "harbour" / "02.txt").write_text(
        (site / "content" / "harbour" / "02.txt").read_text().replace("pier", "jetty"), encoding="utf-8")
    kept = _kept_build(site)
    assert len(converted) == 1 and "Harbour" in converted[0], converted
    assert kept.files["harbour/harbour.epub"] == build_site(site).files["harbour/harbour.epub"]


def test_after_a_new_speaker_the_next_edit_converts_only_its_chapter_for_the_epub(tmp_path, monkeypatch):
    """A new speaker changes the cast, so every chapter's body is made again (the same text for the
    chapters it is not in): their EPUB files are reused, and kept for the next build, which converts
    only the chapter it changed (each file used to stay kept under the old body, which the cache then
    dropped: the next build converted every chapter again, 0.25-0.3 s at 1M words)."""
    from sitegen.render import epub
    site = _site(tmp_path / "site")
    _kept_build(site)
    converted = []
    real = epub._chapter
    monkeypatch.setattr(epub, "_chapter", lambda ch, say: converted.append(ch.title) or real(ch, say))
    _append(site / W / "03.txt", '\n\n"I am new here," said Tobias Quill.\n')
    _kept_build(site)
    assert len(converted) == 1 and "Home" in converted[0], converted
    converted.clear()
    _edit(site / W / "01.txt", "looked up", "glanced up")
    kept = _kept_build(site)
    assert len(converted) == 1 and "Arrival" in converted[0], converted
    assert kept.files["harbour/harbour.epub"] == build_site(site).files["harbour/harbour.epub"]


def test_the_books_other_files_are_kept_until_a_chapter_title_or_the_metadata_changes(tmp_path, monkeypatch):
    """A kept build after a word of the prose changed (or was added: the title page shows the count)
    copies the book's package file and tables of contents as they were (ebooklib is not run); a new
    chapter title, or a new work title, makes them again; the book is always the fresh build's."""
    from sitegen.render import epub
    site = _site(tmp_path / "site")
    _kept_build(site)
    made = []
    real = epub._book_files
    monkeypatch.setattr(epub, "_book_files", lambda parts: made.append(parts.title) or real(parts))
    book = "harbour/harbour.epub"

    def kept_then_fresh() -> list:
        made.clear()
        kept = _kept_build(site).files[book]
        by_kept = list(made)
        assert kept == build_site(site).files[book]
        return by_kept
    _edit(site / W / "02.txt", "pier", "jetty")
    assert kept_then_fresh() == []
    _edit(site / W / "02.txt", "jetty", "old jetty")       # a word more: the title page's count changes
    assert kept_then_fresh() == []
    _edit(site / W / "02.txt", "Chapter 2: The Harbour", "Chapter 2: The Quay")
    assert kept_then_fresh() == ["The Harbour"]
    _edit(site / W / "work.toml", "The Harbour", "The Old Harbour")
    assert kept_then_fresh() == ["The Old Harbour"]


def test_the_palette_choice_is_kept_between_builds(tmp_path, monkeypatch):
    """A new `sitegen build` process places no colours again when the cast and who talks to whom
    are as before (the choice is kept in the cache), and gives the same colours."""
    from sitegen.render import colours
    site = _site(tmp_path / "site")
    _kept_build(site)
    monkeypatch.setattr(colours, "_chosen", {})               # as in a new process
    placed = []
    real = colours._assign.__wrapped__
    monkeypatch.setattr(colours, "_assign", lambda *a: placed.append(a) or real(*a))
    (site / "content" / "harbour" / "02.txt").write_text(
        (site / "content" / "harbour" / "02.txt").read_text().replace("pier", "jetty"), encoding="utf-8")
    kept = _kept_build(site)
    assert not placed
    assert kept.files["harbour/characters.css"] == build_site(site).files["harbour/characters.css"]


def test_the_output_folder_after_kept_builds_is_what_a_fresh_build_writes(tmp_path):
    """Files unchanged since the last build are linked from the old site, the rest written; a chapter
    removed or renamed leaves no page behind, and the old site is whole until the swap."""
    site = _site(tmp_path / "site")
    fresh = tmp_path / "fresh"
    _kept_build(site)
    edits = [*EDITS, ("a chapter renamed", lambda s: (s / W / "03.txt").rename(s / W / "09.txt"))]
    for what, edit in edits:
        edit(site)
        _kept_build(site)
        build(site, out=fresh)
        expected = {p.relative_to(fresh).as_posix(): p.read_bytes() for p in fresh.rglob("*") if p.is_file()}
        assert _public(site) == expected, f"after {what}, public/ differs from a fresh build's output"


def test_unchanged_files_are_linked_and_a_file_changed_by_hand_is_written_again(tmp_path):
    site = _site(tmp_path / "site")
    _kept_build(site)
    public = site / "public"
    before = {p.relative_to(public).as_posix(): p.stat().st_ino for p in public.rglob("*.html")}
    (public / "harbour" / "chapter-1.html").write_bytes(b"changed by hand")
    _append(site / "content/harbour/03.txt", "\nOne more line.\n")
    _kept_build(site)
    after = {p.relative_to(public).as_posix(): p.stat().st_ino for p in public.rglob("*.html")}
    assert after["harbour/chapter-1.html"] != before["harbour/chapter-1.html"]
    assert (public / "harbour" / "chapter-1.html").read_bytes() == build_site(site).files["harbour/chapter-1.html"]
    assert after["harbour/chapter-2.html"] == before["harbour/chapter-2.html"], "an unchanged page was rewritten"
    assert after["harbour/chapter-3.html"] != before["harbour/chapter-3.html"], "the changed chapter was linked"


def test_a_text_changed_without_a_new_modification_time_is_read_again_when_its_size_changed(tmp_path):
    import os
    site = _site(tmp_path / "site")
    _kept_build(site)
    path = site / "content/harbour/02.txt"
    st = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace("pier", "long jetty"), encoding="utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert b"long jetty" in _kept_build(site).files["harbour/chapter-2.html"]


def _segments(site) -> dict[str, int]:
    return {p.name: p.stat().st_ino for p in (site / store.FOLDER / store.SEGMENTS).glob("*.pickle")}


def test_one_changed_chapter_writes_one_segment_of_the_kept_cache(tmp_path):
    site = _site(tmp_path / "site")
    _kept_build(site)
    before = _segments(site)
    assert len(before) == 3, before                        # one segment for each text file
    path = site / "content/harbour/02.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("pier", "jetty"), encoding="utf-8")
    kept = _kept_build(site)
    after = _segments(site)
    assert len(after) == 3 and len(after.keys() - before.keys()) == 1, "not just the changed file's segment is new"
    assert all(after[name] == ino for name, ino in before.items() if name in after), "an unchanged segment was rewritten"
    assert dict(kept.files) == dict(build_site(site).files)


@pytest.mark.parametrize("how", ["truncated", "garbage", "other version"])
def test_a_damaged_segment_or_compiled_template_is_ignored_and_replaced(tmp_path, how):
    site = _site(tmp_path / "site")
    _kept_build(site)
    folder = site / store.FOLDER
    damaged = [*sorted((folder / store.SEGMENTS).glob("*.pickle"))[:1], *sorted(folder.rglob("__jinja2_*"))[:2]]
    assert len(damaged) == 3
    for path in damaged:
        _damage(path, how) if path.suffix == ".pickle" or how != "other version" else path.write_bytes(b"j2")
    _append(site / "content/harbour/03.txt", "\nOne more line.\n")
    kept = _kept_build(site)
    assert dict(kept.files) == dict(build_site(site).files), how
    listed = pickle.loads((folder / store.FILE).read_bytes()[len(store.MAGIC):])["segments"]
    loader = store.Store(site)
    assert loader.cache() is not None and sorted(loader.on_disk) == sorted(listed), "a damaged segment was kept"


def test_kept_pages_are_never_taken_from_another_builds_output(tmp_path):
    """build.pickle keeps each page's inputs and takes its bytes from output.pickle: a build.pickle and
    an output.pickle of different builds (say, a copy restored by CI) must not pair an old page's inputs
    with a newer page's bytes."""
    site = _site(tmp_path / "site")
    path = site / "content/harbour/02.txt"
    text = path.read_text(encoding="utf-8")
    _kept_build(site)
    first = (site / store.FOLDER / store.FILE).read_bytes()
    path.write_text(text.replace("pier", "jetty"), encoding="utf-8")
    _kept_build(site)
    (site / store.FOLDER / store.FILE).write_bytes(first)        # the first build's cache, the second's output
    path.write_text(text, encoding="utf-8")                       # the first build's text again
    kept = _kept_build(site)
    assert b"pier" in kept.files["harbour/chapter-2.html"]
    assert dict(kept.files) == dict(build_site(site).files)


def test_a_kept_build_compiles_no_template_again_and_a_changed_one_only(tmp_path, monkeypatch):
    import jinja2
    site = _site(tmp_path / "site")
    _kept_build(site)
    compiled = []
    real = jinja2.Environment.compile
    monkeypatch.setattr(jinja2.Environment, "compile",
                        lambda self, source, name=None, *a, **k: compiled.append(name) or real(self, source, name, *a, **k))
    _append(site / "content/harbour/03.txt", "\nOne more line.\n")
    kept = _kept_build(site)
    assert compiled == [], f"compiled again although unchanged: {compiled}"
    make_site(site, {"templates/chapter.html": '{% extends "base.html" %}{% block content %}MINE{% endblock %}'})
    kept = _kept_build(site)
    assert compiled == ["chapter.html"], compiled
    assert b"MINE" in kept.files["harbour/chapter-1.html"]
    assert dict(kept.files) == dict(build_site(site).files)


def test_the_cache_is_from_other_code_when_the_weights_or_a_table_change(monkeypatch):
    """The scorer's weights and the label and language tables change what a build makes as code does:
    a retrain without any .py change must not reuse a cache made with the old weights."""
    from pathlib import Path
    store.code_version.cache_clear()
    before = store.code_version()
    package = Path(store.__file__).resolve().parent
    for data in (package / "dialogue" / "data" / "attribution.json", package / "data" / "note_labels.toml"):
        assert data.is_file()
        read = Path.read_bytes
        monkeypatch.setattr(Path, "read_bytes", lambda self, read=read, data=data:
                            read(self) + (b" " if self == data else b""))
        store.code_version.cache_clear()
        assert store.code_version() != before, f"{data.name} is not in the cache's version"
        monkeypatch.undo()
    store.code_version.cache_clear()
    assert store.code_version() == before


_CLI_BUILD = ("import sys; from sitegen.cli import main; code = main(['build', '--quiet']); "
              "print(code, 'sitegen.build' in sys.modules, 'sitegen.dialogue.engine' in sys.modules)")


def test_sitegen_build_with_nothing_changed_does_not_import_the_pipeline(tmp_path):
    """An unchanged site's last output is linked into place before build.py (the analysis and the
    rendering) is imported; a changed one imports it and writes what a fresh build writes."""
    site = _site(tmp_path / "site")

    def cli_build() -> list[str]:
        r = subprocess.run([sys.executable, "-c", _CLI_BUILD], cwd=site, capture_output=True, text=True,
                           timeout=120)
        assert r.returncode == 0, r.stderr
        return r.stdout.split()
    assert cli_build() == ["0", "True", "True"]              # the first build: everything
    written = _public(site)
    assert cli_build() == ["0", "False", "False"]            # nothing changed: neither the pipeline nor the engine
    assert _public(site) == written
    _append(site / W / "03.txt", "\nOne more line for the harbour.\n")
    assert cli_build() == ["0", "True", "True"]
    fresh = {k: bytes(v) for k, v in build_site(site).files.items()}
    assert {k: v for k, v in _public(site).items() if k != ".sitegen-output"} == fresh != written
    assert cli_build() == ["0", "False", "False"]


def test_the_site_wide_lists_and_the_works_page_are_made_again_only_when_what_they_show_changed(tmp_path,
                                                                                                 monkeypatch):
    """The index and tag pages list the works, and the work's page lists its chapters, without their
    text: an edit inside a chapter that keeps the work's words and dates renders none of them again,
    one that adds a word renders them all (they show the word count); both give what a fresh build gives."""
    import os
    import sitegen.build as build_module
    import sitegen.render.pages as pages_module
    site = _site(tmp_path / "site")
    _append(site / W / "work.toml", 'tags = ["Boats", "Rain", "Found family"]\n')
    _kept_build(site)
    rendered = []
    real = build_module.render
    for module in (build_module, pages_module):
        monkeypatch.setattr(module, "render", lambda env, name, **kw: rendered.append(name) or real(env, name, **kw))
    chapter = site / W / "01.txt"
    stamp = chapter.stat().st_mtime
    _edit(chapter, "looked up", "glanced up")                # the same number of words
    os.utime(chapter, (stamp + 1, stamp + 1))                 # (the same day: the date shown is a day)
    kept = _kept_build(site)
    assert b"glanced up" in kept.files["harbour/chapter-1.html"]
    assert "chapter.html" in rendered and not {"index.html", "tag.html", "tags.html", "work.html"} & set(rendered), \
        rendered
    assert dict(kept.files) == dict(build_site(site).files)
    rendered.clear()
    _edit(chapter, "glanced up", "glanced quickly up")       # one word more: every list shows it
    os.utime(chapter, (stamp + 2, stamp + 2))
    kept = _kept_build(site)
    tags = [p for p in kept.files if p.startswith("tags/") and p != "tags/index.html"]
    assert len(tags) >= 3 and rendered.count("tag.html") == len(tags) and "index.html" in rendered, rendered
    assert "work.html" in rendered, rendered
    fresh = build_site(site).files
    assert dict(kept.files) == dict(fresh)
    words = kept.works[0].words
    assert f"{sum(words):,} words".encode() in fresh["tags/boats.html"]


def test_a_build_leaves_the_loaded_cache_out_of_later_collections_and_the_dev_server_does_not(tmp_path):
    """`sitegen build` freezes what it unpickled (gc.freeze: the first collections would walk it
    all); the dev server's store, whose replaced caches must stay collectable, does not."""
    import gc
    site = _site(tmp_path / "site")
    _kept_build(site)
    gc.unfreeze()
    try:
        assert store.Store(site).cache() is not None and gc.get_freeze_count() == 0
        assert gc.isenabled()
        kept = store.Store(site, freeze=True).cache()
        assert kept is not None and gc.get_freeze_count() > 0 and gc.isenabled()
    finally:
        gc.unfreeze()


def test_the_kept_records_unpickle_by_calling_their_class():
    """Quotes, notes, scenes and timeline events (tens of thousands in a long work's cache)
    are pickled as their class and field values, so loading one is a call, not dataclass's
    __setstate__ (which looks up the class's fields for every object); they load equal."""
    from sitegen.model import AuthorNote, Quote, Scene, TimelineEvent
    records = (Quote(0, 1, 9, "speech", "ann", 0.5, '"Hi"', evidence="said"),
               AuthorNote(1, 0, 4, "inline", "A/N"), Scene(2, 0, 7, 3, 5, "scene break", False),
               TimelineEvent(1, 2, "Day 1", None, "the inn", ("ann",)))
    for record in records:
        made, values = record.__reduce__()
        assert made is type(record) and made(*values) == record
        assert pickle.loads(pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL)) == record
    # (paragraphs, the most numerous, are named tuples, which load without a call: model.Paragraph)
