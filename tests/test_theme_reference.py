"""The README's template reference ("Themes") says what the templates really receive, field by field."""
from __future__ import annotations

import dataclasses
import re
import subprocess
import sys
from pathlib import Path

import jinja2
import pytest

from conftest import REPO, make_site
from sitegen.render import views
from sitegen.build import build_site

SITE = {
    "sitegen.toml": 'title = "Shelf"\n',
    "content/w/story.txt": ("A Walk\n\nChapter 1\n\n\"Hello,\" said Ann.\n\n\"Hi,\" Ben said.\n\n* * *\n\n"
                            "The next morning they walked to the mill.\n\nChapter 2\n\n\"Home,\" Ann said.\n"),
    "content/w/work.toml": ('[characters.ann]\nname = "Ann"\npronouns = "she"\n\n'
                            '[characters.ben]\nname = "Ben"\npronouns = "he"\n'),
}


def themes_section() -> str:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    start = readme.index("\n## Themes\n")
    end = readme.find("\n## ", start + 1)
    return readme[start:end if end > 0 else None]


def table_after(text: str, heading: str) -> list[list[str]]:
    """The rows (cells as text) of the first table after `heading`."""
    rest = text[text.index(heading) + len(heading):]
    rows = []
    for line in rest.splitlines():
        if line.startswith("|"):
            cells = [c.strip() for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
            if not set("".join(cells)) <= set("-: "):
                rows.append(cells)
        elif rows:
            break
    return rows[1:]                                      # without the header row


def named(cell: str) -> list[str]:
    return re.findall(r"`([^`]+)`", cell)


def documented_fields() -> dict[str, set[str]]:
    """`#### `Name`` heading -> the names in the first column of its table."""
    text = themes_section()
    return {name: {n for row in table_after(text, f"#### `{name}`") for n in named(row[0])}
            for name in re.findall(r"^#### `([^`]+)`", text, re.M)}


@pytest.fixture(scope="module")
def contexts(tmp_path_factory) -> dict[str, dict]:
    """What each template was rendered with, in a build of a small site with a timeline."""
    site = make_site(tmp_path_factory.mktemp("reference"), SITE)
    seen: dict[str, dict] = {}
    render = jinja2.Template.render

    def recording(self, *args, **kwargs):
        seen.setdefault(self.name, dict(*args, **kwargs))
        return render(self, *args, **kwargs)
    jinja2.Template.render = recording
    try:
        build_site(site)
    finally:
        jinja2.Template.render = render
    return seen


def test_every_template_of_the_default_theme_is_listed():
    listed = {named(row[0])[0] for row in table_after(themes_section(), "### What each template receives")}
    shipped = {p.name for p in (REPO / "themes" / "default" / "templates").iterdir() if p.is_file()}
    assert shipped == listed, f"README Themes table: missing {shipped - listed}, gone {listed - shipped}"


def test_each_page_templates_documented_variables_are_the_ones_it_receives(contexts):
    rows = {named(row[0])[0]: row for row in table_after(themes_section(), "### What each template receives")}
    assert set(contexts) <= set(rows)
    for template, context in contexts.items():
        variables = set(named(rows[template][2]))
        assert variables == set(context), (
            f"{template} receives {sorted(context)}; README's Themes table says {sorted(variables)}")
        for name, cls in re.findall(r"`(\w+)` (?:tuple of )?(\w+)", rows[template][2]):
            value = context[name]
            objects = value if isinstance(value, tuple) else (value,)
            assert all(type(o).__name__ == cls for o in objects), f"{template}: {name} is not {cls}"


def test_every_view_object_is_documented_field_by_field(contexts):
    documented = documented_fields()
    reachable = set()

    def walk(value):
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            reachable.add(type(value))
            for f in dataclasses.fields(value):
                walk(getattr(value, f.name))
        elif isinstance(value, (tuple, list)):
            for v in value:
                walk(v)
    for context in contexts.values():
        for value in context.values():
            walk(value)
    in_views = {c for c in vars(views).values() if isinstance(c, type) and dataclasses.is_dataclass(c)
                and c.__module__ == views.__name__}
    for cls in reachable | in_views:
        assert cls.__name__ in documented, f"README Themes: add a '#### `{cls.__name__}`' table of its fields"
        fields = {f.name for f in dataclasses.fields(cls)}
        assert documented[cls.__name__] == fields, (
            f"README Themes, {cls.__name__}: fields are {sorted(fields)}, the table lists "
            f"{sorted(documented[cls.__name__])}")


def test_the_timeline_keys_are_documented(contexts):
    documented = documented_fields()
    timeline = contexts["timeline.html"]["timeline"]
    assert timeline["story_order"] and timeline["characters"] and timeline["chart_text"]
    actual = {"timeline": timeline, "timeline.story_order[i]": timeline["story_order"][0],
              "timeline.characters[i]": timeline["characters"][0],
              "timeline.chart_text[i]": timeline["chart_text"][0]}
    for name, value in actual.items():
        assert documented.get(name) == set(value), f"README Themes, {name}: keys are {sorted(value)}"
    assert set(timeline["reading_order"][0]) == set(timeline["story_order"][0])
    assert set(timeline["story_order"][0]["characters"][0]) == set(timeline["characters"][0])


def test_an_undefined_name_names_the_template_line_and_this_reference(tmp_path):
    site = make_site(tmp_path, {**SITE, "templates/chapter.html":
                                '{% extends "base.html" %}\n{% block content %}\n<h1>{{ chapter.title }}</h1>\n'
                                '<p>{{ work.words }}</p>\n{% endblock %}\n'})
    r = subprocess.run([sys.executable, "-m", "sitegen", "build"], cwd=site, capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert f"{Path('templates') / 'chapter.html'}:4:" in r.stderr
    assert "has no attribute 'words'" in r.stderr
    assert "a WorkShell has: slug, title" in r.stderr and '"Themes" section' in r.stderr
    assert not (site / "public").exists()
