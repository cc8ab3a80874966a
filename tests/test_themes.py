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


QUOTE_SITE = {
    "sitegen.toml": 'title = "Shelf"\n',
    "content/w/story.txt": 'A Walk\n\n"Hello," said Ann. (AN: the mill is real)\n\n"Hi," Ben said.\n',
    "content/w/work.toml": '[characters.ann]\nname = "Ann"\n\n[characters.ben]\nname = "Ben"\n',
}


def test_a_site_overrides_the_quote_and_sidenote_macros(tmp_path):
    """The quote span and the sidenote are templates: a site's own macros/ replace the theme's."""
    from conftest import make_site
    site = make_site(tmp_path, {
        **QUOTE_SITE,
        "templates/macros/quote.html": '{% macro quote(kind, speaker, sure, text) %}<q data-who="{{ speaker }}">'
                                       '{{ text }}</q>{% endmacro %}',
        "templates/macros/sidenote.html": '{% macro sidenote(number, id, text) %}<small id="{{ id }}">'
                                          '{{ text }}</small>{% endmacro %}'})
    page = build_site(site).files["w/all.html"].decode()
    assert '<q data-who="ann">&quot;Hello,&quot;</q>' in page and '<q data-who="ben">' in page
    assert '<small id="chapter-1-sn-1">AN: the mill is real</small>' in page and 'class="q ' not in page


def test_a_quote_macro_without_its_text_is_a_clear_error(tmp_path):
    import subprocess
    import sys
    from conftest import make_site
    site = make_site(tmp_path, {**QUOTE_SITE, "templates/macros/quote.html":
                                '{% macro quote(kind, speaker, sure, text) %}<span></span>{% endmacro %}'})
    r = subprocess.run([sys.executable, "-m", "sitegen", "build"], cwd=site, capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert "macros/quote.html" in r.stderr and "{{ text }}" in r.stderr
    assert not (site / "public").exists()
