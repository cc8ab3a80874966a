"""`sitegen theme copy`: the installed theme's files into the site, where an edit changes the pages."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import REPO, make_site

SITE = {"content/w/story.txt": 'A Title\n\nChapter 1\n\n"Hello," said Ann.\n\nChapter 2\n\nThe end.\n'}
def files_in(folder: Path) -> set[str]:
    """Every file under the folder, as a path relative to it (templates/macros/ included)."""
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


TEMPLATES = files_in(REPO / "themes" / "default" / "templates")
STATIC = files_in(REPO / "themes" / "default" / "static")


def sitegen(*args, cwd):
    return subprocess.run([sys.executable, "-m", "sitegen", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120)


def test_an_edit_to_the_copied_chapter_template_changes_the_built_page(tmp_path):
    site = make_site(tmp_path, SITE)
    r = sitegen("theme", "copy", cwd=site)
    assert r.returncode == 0, r.stderr
    assert files_in(site / "templates") == TEMPLATES and "macros/quote.html" in TEMPLATES
    assert not (site / "static").exists()
    assert sitegen("build", cwd=site).returncode == 0
    before = (site / "public" / "w" / "chapter-1.html").read_text(encoding="utf-8")
    template = site / "templates" / "chapter.html"
    template.write_text(template.read_text(encoding="utf-8").replace(
        '<h1 id="chapter-title"', '<p class="mine">Read slowly.</p>\n<h1 id="chapter-title"', 1), encoding="utf-8")
    assert sitegen("build", cwd=site).returncode == 0
    after = (site / "public" / "w" / "chapter-1.html").read_text(encoding="utf-8")
    assert '<p class="mine">Read slowly.</p>' in after and "Read slowly." not in before
    assert "Read slowly." not in (site / "public" / "w" / "index.html").read_text(encoding="utf-8")


def test_only_one_file_and_the_static_files(tmp_path):
    site = make_site(tmp_path, SITE)
    r = sitegen("theme", "copy", "--only", "chapter.html", "--only", "static/style.css", cwd=site)
    assert r.returncode == 0, r.stderr
    assert [p.name for p in (site / "templates").iterdir()] == ["chapter.html"]
    assert [p.name for p in (site / "static").iterdir()] == ["style.css"]
    css = site / "static" / "style.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n.mine { color: red; }\n", encoding="utf-8")
    assert sitegen("build", cwd=site).returncode == 0
    assert ".mine { color: red; }" in (site / "public" / "static" / "style.css").read_text(encoding="utf-8")
    r = sitegen("theme", "copy", "--only", "chapters.html", cwd=site)
    assert r.returncode == 1 and "no file 'chapters.html'" in r.stderr and "chapter.html" in r.stderr


def test_a_theme_of_ones_own(tmp_path):
    site = make_site(tmp_path, {**SITE, "sitegen.toml": 'theme = "mine"\n'})
    r = sitegen("theme", "copy", "default", "--to", "themes/mine", "--static", cwd=site)
    assert r.returncode == 0, r.stderr
    assert files_in(site / "themes/mine/templates") == TEMPLATES
    assert files_in(site / "themes/mine/static") == STATIC
    base = site / "themes/mine/templates/base.html"
    base.write_text(base.read_text(encoding="utf-8").replace("Made with sitegen.", "Made by me."), encoding="utf-8")
    assert sitegen("build", cwd=site).returncode == 0
    assert "Made by me." in (site / "public" / "w" / "chapter-2.html").read_text(encoding="utf-8")
    listing = sitegen("theme", "list", cwd=site).stdout
    assert "mine  (themes/mine/)" in listing and "default  (built in)" in listing


def test_copy_never_overwrites_and_copies_nothing_on_a_clash(tmp_path):
    site = make_site(tmp_path, {**SITE, "templates/chapter.html": "{# mine #}\n"})
    r = sitegen("theme", "copy", cwd=site)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert "chapter.html" in r.stderr and "nothing was copied" in r.stderr
    assert [p.name for p in (site / "templates").iterdir()] == ["chapter.html"]
    assert (site / "templates" / "chapter.html").read_text() == "{# mine #}\n"


def test_bad_destination_and_unknown_theme_are_clear_errors(tmp_path):
    site = make_site(tmp_path, SITE)
    r = sitegen("theme", "copy", "--to", "elsewhere", cwd=site)
    assert r.returncode == 1 and "--to templates" in r.stderr
    r = sitegen("theme", "copy", "nope", cwd=site)
    assert r.returncode == 1 and "no theme named 'nope'" in r.stderr and "default" in r.stderr
