"""The built-in themes: the archive theme is built on the default one (theme.toml `extends`),
overrides only some templates, and gives a site that looks clearly different."""
from __future__ import annotations

from sitegen.build import build_site
from sitegen.render.theme import builtin_themes, resolve_theme

from conftest import REPO


def test_archive_extends_default_and_overrides_only_some_templates():
    theme = resolve_theme(REPO, "archive")
    names = [d.parent.name for d in theme.template_dirs]
    assert names.index("archive") < names.index("default")
    own = {p.name for p in (builtin_themes() / "archive" / "templates").iterdir()}
    parent = {p.name for p in (builtin_themes() / "default" / "templates").iterdir()}
    assert own < parent and len(own) <= len(parent) // 3


def test_archive_builds_every_page_and_differs():
    default, archive = build_site(REPO), build_site(REPO, theme="archive")
    assert set(archive.files) == set(default.files) | {"static/archive.css"}
    chapter = archive.files["change-of-plans/chapter-1.html"].decode()
    assert 'href="../static/archive.css"' in chapter and "Additional Tags:" in chapter
    assert "Additional Tags:" not in default.files["change-of-plans/chapter-1.html"].decode()
    assert 'class="work-card blurb"' in archive.files["index.html"].decode()
    # the story itself is the same HTML in both
    body = default.files["change-of-plans/chapter-1.html"].decode()
    start = body.index('<div class="prose">')
    assert body[start:body.index("</article>")] in chapter
