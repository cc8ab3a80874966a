"""The build end to end: the sample site, nothing lost, atomic output, foreign folders, templates."""
import json
import shutil

import pytest

from sitegen.build import build, build_site
from sitegen.cache import BuildCache
from sitegen.errors import SitegenError
from sitegen.output import MARKER

from conftest import REPO, SAMPLE, SHARED, make_site, missing_words, needs_shared


@pytest.fixture(scope="module")
def sample():
    """The repository's own site (content/change-of-plans), built once."""
    return build_site(REPO)


def html(result, path):
    return result.files[path].decode("utf-8")


def test_sample_title_and_pages(sample):
    work = sample.works[0]
    assert work.meta.title == "Change of Plans"
    assert len(work.chapters) >= 3
    chapter_pages = [p for p in sample.files if p.startswith("change-of-plans/chapter-")]
    assert len(chapter_pages) == len(work.chapters)
    assert "<h1 class=\"work-title\">Change of Plans</h1>" in html(sample, "change-of-plans/index.html")


def test_sample_whole_work_holds_every_word(sample):
    """Nothing lost: every word of the source file is on the whole-work page (notes included)."""
    source = SAMPLE.read_text(encoding="utf-8")
    assert not missing_words(source, html(sample, "change-of-plans/all.html"))


def test_sample_chapter_pages_together_hold_the_story(sample):
    work = sample.works[0]
    pages = " ".join(html(sample, f"change-of-plans/{c.slug}.html") for c in work.chapters)
    story = SAMPLE.read_text(encoding="utf-8")
    assert not missing_words(story, pages)


def test_preface_and_afterword_are_notes_not_prose(sample):
    page = html(sample, "change-of-plans/all.html")
    preface = "This is basically what would happen"
    afterword = "So if you liked it please tell me"
    for text in (preface, afterword):
        assert text in page
        before = page[:page.index(text)]
        assert before.rfind("<aside") > before.rfind("</aside>"), f"{text!r} is not inside a notes box"
    first = html(sample, "change-of-plans/chapter-1.html")
    last = html(sample, f"change-of-plans/{sample.works[0].chapters[-1].slug}.html")
    assert preface in first and afterword in last
    assert '<div class="prose">' in first and preface not in first.split('<div class="prose">')[1]


@needs_shared
def test_sample_pages_break_only_at_gold_scene_starts(sample):
    gold = json.loads((SHARED / "seed" / "change-of-plans.structure.gold.json").read_text())
    starts = [s["start"] for s in gold["scenes"]]
    work = sample.works[0]
    page_starts = [work.paragraphs[c.first_paragraph].start for c in work.chapters]
    assert set(page_starts) <= set(starts)
    # each gold scene lies whole on one page
    bounds = page_starts + [10 ** 9]
    for s, e in zip(starts, starts[1:] + [gold["author_notes"][-1]["start"]]):
        pages = {i for i in range(len(page_starts)) if bounds[i] < e and s < bounds[i + 1]}
        assert len(pages) == 1


def test_raw_html_in_a_fic_is_shown_not_run(tmp_path):
    site = make_site(tmp_path, {"content/w/story.txt": 'Title\n\nShe typed <script>alert("x")</script> and *waited*.\n'})
    result = build_site(site)
    page = html(result, "w/chapter-1.html")
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert" in page
    assert "<em>waited</em>" in page


def test_a_work_with_one_file_and_no_config_builds(tmp_path):
    site = make_site(tmp_path, {"content/my-story/my-story.txt": "He left.\n\nShe stayed.\n"})
    result = build_site(site)
    assert {"index.html", "my-story/index.html", "my-story/chapter-1.html", "my-story/all.html"} <= set(result.files)
    assert result.works[0].meta.title == "My Story"


def test_markdown_front_matter_overrides_detection(tmp_path):
    site = make_site(tmp_path, {"content/w/story.md": "---\ntitle: Real Title\nauthor: Me\ntags: [a, b]\n---\n\n"
                                                      "Detected Title\n\nText *here*.\n"})
    work = build_site(site).works[0]
    assert (work.meta.title, work.meta.author, work.meta.tags) == ("Real Title", "Me", ("a", "b"))


def test_relative_links_work_from_a_sub_path(tmp_path):
    site = make_site(tmp_path, {"content/w/story.txt": "Title\n\nText.\n"})
    page = html(build_site(site), "w/chapter-1.html")
    assert 'href="../static/style.css"' in page and 'href="/' not in page


def test_build_writes_output_and_marks_it(tmp_path):
    site = make_site(tmp_path, {"content/w/story.txt": "Title\n\nText.\n"})
    build(site)
    assert (site / "public" / "w" / "chapter-1.html").is_file()
    assert (site / "public" / MARKER).is_file()
    build(site)                                            # a second build replaces its own folder
    assert (site / "public" / "index.html").is_file()


def test_failed_build_leaves_the_old_site(tmp_path):
    site = make_site(tmp_path, {"content/w/story.txt": "Title\n\nFirst version.\n"})
    build(site)
    (site / "content" / "w" / "work.toml").write_text('title = "unclosed\n', encoding="utf-8")
    with pytest.raises(SitegenError):
        build(site)
    assert "First version" in (site / "public" / "w" / "chapter-1.html").read_text()
    assert not [p for p in site.iterdir() if p.name.startswith(".public")]


def test_refuses_to_replace_a_folder_it_did_not_make(tmp_path):
    site = make_site(tmp_path, {"content/w/story.txt": "Title\n\nText.\n", "public/mine.txt": "precious"})
    with pytest.raises(SitegenError) as e:
        build(site)
    assert "not made by sitegen" in str(e.value)
    assert (site / "public" / "mine.txt").read_text() == "precious"


def test_refuses_an_output_folder_holding_the_site(tmp_path):
    site = make_site(tmp_path, {"content/w/story.txt": "Title\n\nText.\n"})
    with pytest.raises(SitegenError):
        build(site, out=site)


def test_site_templates_override_the_theme(tmp_path):
    site = make_site(tmp_path, {"content/w/story.txt": "Title\n\nText.\n",
                                "templates/index.html": "CUSTOM {{ site.title }}"})
    assert html(build_site(site), "index.html") == "CUSTOM Stories"


def test_template_typo_is_an_error_naming_the_template(tmp_path):
    site = make_site(tmp_path, {"content/w/story.txt": "Title\n\nText.\n",
                                "templates/index.html": "{{ site.titel }}"})
    with pytest.raises(SitegenError) as e:
        build_site(site)
    assert "index.html" in str(e.value) and "titel" in str(e.value)


def test_template_syntax_error_has_a_line(tmp_path):
    site = make_site(tmp_path, {"content/w/story.txt": "Title\n\nText.\n",
                                "templates/index.html": "line one\n{% if %}\n"})
    with pytest.raises(SitegenError) as e:
        build_site(site)
    assert e.value.location is not None and e.value.location.line == 2


def test_cache_reuses_unchanged_works(tmp_path):
    site = make_site(tmp_path, {"content/a/a.txt": "Title\n\nA text.\n", "content/b/b.txt": "Title\n\nB text.\n"})
    cache = BuildCache()
    build_site(site, cache=cache)
    first_a = cache.works["a"][1]
    (site / "content" / "b" / "b.txt").write_text("Title\n\nB changed.\n", encoding="utf-8")
    result = build_site(site, cache=cache)
    assert cache.works["a"][1] is first_a
    assert "B changed" in html(result, "b/chapter-1.html")


def test_every_word_of_a_marked_up_work_reaches_the_page(tmp_path):
    story = ("A/N: my first fic, be nice!\n\nThe Title\n\nChapter 1: Start\n\n\"Hi,\" said Bo. 'Odd,' she thought "
             "(lol sorry). *Really* odd.\n\noOo\n\nLater that day <b>Bo</b> left & came back.\n\n"
             "Chapter 2\n\n[A/N: thanks for the reviews]\n\nThe end, 'twas.\n\n* * *\n\nThanks for reading, please review!\n")
    site = make_site(tmp_path, {"content/w/story.txt": story})
    result = build_site(site)
    assert not missing_words(story, html(result, "w/all.html"))
    assert '<p class="scene-break" role="separator">oOo</p>' in html(result, "w/chapter-1.html")


def test_an_empty_folder_the_user_made_is_filled_not_replaced(tmp_path):
    site = make_site(tmp_path, {"content/w/story.txt": "Title\n\nText.\n"})
    (site / "public").mkdir()
    inode = (site / "public").stat().st_ino
    build(site)
    assert (site / "public").stat().st_ino == inode
    assert (site / "public" / "w" / "chapter-1.html").is_file() and (site / "public" / MARKER).is_file()


def test_a_site_theme_folder_may_override_only_static_files(tmp_path):
    site = make_site(tmp_path, {"content/w/story.txt": "Title\n\nText.\n",
                                "themes/default/static/style.css": "body { color: red }"})
    result = build_site(site)
    assert result.files["static/style.css"] == b"body { color: red }"
    assert "w/chapter-1.html" in result.files


def test_a_theme_extends_another(tmp_path):
    site = make_site(tmp_path, {"content/w/story.txt": "Title\n\nText.\n", "sitegen.toml": 'theme = "mine"\n',
                                "themes/mine/theme.toml": 'extends = "default"\n',
                                "themes/mine/templates/index.html": "MINE"})
    result = build_site(site)
    assert result.files["index.html"] == b"MINE" and "w/chapter-1.html" in result.files


def test_the_timeline_page_after_an_excerpt_edit_is_the_page_a_fresh_build_makes(tmp_path):
    """A cached rebuild after a scene's opening words change gives the same timeline page as a fresh build."""
    from sitegen.render.pages import scene_excerpt
    site = tmp_path / "site"
    shutil.copytree(REPO / "content", site / "content")
    cache = BuildCache()
    first = build_site(site, cache=cache)
    work = first.works[0]
    path = f"{work.slug}/timeline.html"
    story = site / "content" / work.slug / f"{work.slug}.txt"
    phrase = " ".join(scene_excerpt(work, 1).split()[:3])
    head, rest = phrase.split(" ", 1)
    story.write_text(story.read_text(encoding="utf-8").replace(phrase, f"{head} & <also> {rest}"), encoding="utf-8")
    again = build_site(site, cache=cache)
    assert again.files[path] != first.files[path]
    assert again.files[path] == build_site(site).files[path]
    assert b"&amp; &lt;also&gt;" in again.files[path]


def test_an_excerpt_edit_does_not_redraw_the_chart(tmp_path):
    from sitegen.render.pages import scene_excerpt
    from sitegen.render.timeline_view import chart_svg
    site = tmp_path / "site"
    shutil.copytree(REPO / "content", site / "content")
    cache = BuildCache()
    work = build_site(site, cache=cache).works[0]
    story = site / "content" / work.slug / f"{work.slug}.txt"
    phrase = " ".join(scene_excerpt(work, 1).split()[:3])
    story.write_text(story.read_text(encoding="utf-8").replace(phrase, phrase + " indeed"), encoding="utf-8")
    misses = chart_svg.cache_info().misses
    build_site(site, cache=cache)
    assert chart_svg.cache_info().misses == misses


def test_the_cache_forgets_what_a_rebuild_no_longer_uses(tmp_path):
    site = make_site(tmp_path, {"content/w/01.txt": '"Hi," said Ana.\n', "content/w/02.txt": "More.\n"})
    cache = BuildCache()
    build_site(site, cache=cache)
    sizes = (len(cache.files), len(cache.bodies), len(cache.encoded), len(cache.pages))
    for n in range(5):
        (site / "content" / "w" / "01.txt").write_text(f'"Hi {n}," said Ana.\n', encoding="utf-8")
        build_site(site, cache=cache)
    assert (len(cache.files), len(cache.bodies), len(cache.encoded), len(cache.pages)) == sizes


def test_more_chapter_titles_than_chapters_is_a_warning_naming_the_unused_ones(tmp_path):
    from sitegen.build import build_site
    make_site(tmp_path, {"content/w/story.txt": "Title\n\nChapter 1\n\nOne.\n\nChapter 2\n\nTwo.\n",
                         "content/w/work.toml": 'title = "T"\nchapters = ["A", "B", "C", "D"]\n'})
    result = build_site(tmp_path)
    found = [d for d in result.diagnostics if "`chapters` lists 4 titles" in d.message]
    assert len(found) == 1, [str(d) for d in result.diagnostics]
    assert found[0].location.path.endswith("work.toml") and found[0].location.line == 2
    assert "'C', 'D'" in found[0].message


def test_as_many_chapter_titles_as_chapters_gives_no_warning(tmp_path):
    from sitegen.build import build_site
    make_site(tmp_path, {"content/w/story.txt": "Title\n\nChapter 1\n\nOne.\n\nChapter 2\n\nTwo.\n",
                         "content/w/work.toml": 'title = "T"\nchapters = ["A", "B"]\n'})
    result = build_site(tmp_path)
    assert not [d for d in result.diagnostics if "`chapters` lists" in d.message]
