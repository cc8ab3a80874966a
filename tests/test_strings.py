"""The theme's words in the work's language: `t("...")` in templates, tables in templates/strings/<code>.toml."""
from __future__ import annotations

import re
import tomllib

import pytest

from conftest import REPO, make_site, page_text
from sitegen.build import build_site
from sitegen.errors import SitegenError
from sitegen.render.chart import WORDS as CHART_WORDS
from sitegen.render.epub import WORDS as EPUB_WORDS
from sitegen.render.views import CSS_WORDS

TEMPLATES = REPO / "themes" / "default" / "templates"
FRENCH = '« Bonjour, dit Marie. Tu viens ?\n\n— Oui, répondit Paul.\n\n* * *\n\nLe lendemain matin, Marie se leva.\n'
ENGLISH = '"Hello," said Mara.\n\n"Hi," Tom said.\n'


def site(tmp_path, extra: dict[str, str] | None = None):
    files = {"content/fr-work/work.toml": 'language = "fr"\n', "content/fr-work/histoire.txt": FRENCH,
             "content/en-work/story.txt": ENGLISH, **(extra or {})}
    return build_site(make_site(tmp_path / "site", files)).files


def text(files, path: str) -> str:
    return page_text(files[path].decode("utf-8"))


def test_a_french_works_pages_speak_french_and_an_english_work_stays_english(tmp_path):
    files = site(tmp_path)
    chapter = text(files, "fr-work/chapter-1.html")
    for french in ("Réglages de lecture", "Qui est qui", "Chapitre 1 sur 1", "Retour à l’œuvre", "Chronologie",
                   "environ 1 min", "Masquer les notes de l’auteur"):
        assert french in chapter, french
    assert "Reading settings" not in chapter and "Back to the work" not in chapter
    assert '<html lang="fr">' in files["fr-work/chapter-1.html"].decode("utf-8")
    assert "Commencer la lecture" in text(files, "fr-work/index.html")
    assert "Dans l’ordre de l’histoire" in text(files, "fr-work/timeline.html") or \
        "Scènes" in text(files, "fr-work/timeline.html")
    english = text(files, "en-work/chapter-1.html")
    assert "Reading settings" in english and "Chapter 1 of 1" in english and "Réglages" not in english
    assert "Reading settings" in text(files, "index.html")           # the site's pages: the site's language


def test_the_words_sitegen_writes_itself_follow_the_works_language(tmp_path):
    files = site(tmp_path)
    css = files["fr-work/characters.css"].decode("utf-8")
    assert '"Paul, en pensée : "' in css and '"Paul : "' in css and "thinking" not in css
    timeline = files["fr-work/timeline.html"].decode("utf-8")
    assert "Graphique du récit : qui est dans chaque scène" in timeline and "Narrative chart" not in timeline
    assert "scènes dans l’ordre de l’histoire." in timeline or "scène dans l’ordre de l’histoire." in timeline
    english = files["en-work/characters.css"].decode("utf-8")
    assert ', thinking: "' in english and ': "' in english
    assert "Narrative chart: who is in each scene" in files["en-work/timeline.html"].decode("utf-8")


def test_a_sites_own_table_changes_only_its_strings_and_a_missing_one_stays_english(tmp_path):
    files = site(tmp_path, {"templates/strings/fr.toml": '"Reading settings" = "Mes réglages"\n',
                            "templates/_work_links.html": '<p>{{ t("A string no table has") }}</p>'})
    chapter = text(files, "fr-work/chapter-1.html")
    assert "Mes réglages" in chapter and "Qui est qui" in chapter    # the theme's table still gives the rest
    assert "A string no table has" in chapter


def test_a_broken_table_is_a_clear_error(tmp_path):
    with pytest.raises(SitegenError) as e:
        site(tmp_path, {"templates/strings/fr.toml": '"Reading settings" = \n'})
    assert "templates/strings/fr.toml" in str(e.value) and "not valid TOML" in str(e.value)


def test_every_literal_string_of_the_built_in_themes_has_a_french_translation():
    table = {}
    for theme in ("default", "archive"):
        table |= tomllib.loads((REPO / "themes" / theme / "templates" / "strings" / "fr.toml").read_text("utf-8"))
    used = set()
    for path in [*TEMPLATES.glob("*.html"), *(REPO / "themes" / "archive" / "templates").glob("*.html")]:
        used |= set(re.findall(r"""\bt\(\s*"([^"]+)"(?:\s*[,)])""", path.read_text(encoding="utf-8")))
        used |= set(re.findall(r"""\bt\(\s*'([^']+)'(?:\s*[,)])""", path.read_text(encoding="utf-8")))
    assert len(used) > 40
    used |= {*EPUB_WORDS, *CHART_WORDS, *CSS_WORDS}       # the words sitegen writes outside the templates
    assert not used - set(table), sorted(used - set(table))


def test_the_archive_theme_adds_its_own_words_to_the_defaults(tmp_path):
    files = site(tmp_path, {"sitegen.toml": 'theme = "archive"\n'})
    chapter = text(files, "fr-work/chapter-1.html")
    assert "Chapitres :" in chapter and "Réglages de lecture" in chapter


def test_counts_take_the_plural_form_and_the_thousands_of_the_pages_language(tmp_path):
    one_thought = '« Bonjour », dit Marie.\n\n*Il pleut*, pensa Marie.\n\n' + "mot " * 1200 + "\n"
    files = site(tmp_path, {"content/fr-work/histoire.txt": one_thought,
                            "content/en-work/story.txt": ENGLISH + "\n" + "word " * 1200 + "\n"})
    work = text(files, "fr-work/index.html")
    assert "1 dite" in work and "1 dites" not in work
    assert "1 pensée" in work and "1 pensées" not in work
    assert "1\u202f2" in work and "1,2" not in work                   # 1 2xx mots, grouped the French way
    english = text(files, "en-work/index.html")
    assert re.search(r"1,2\d\d words", english) and "\u202f" not in english


def test_a_plural_table_and_an_english_table_change_the_words_they_name(tmp_path):
    files = site(tmp_path, {"templates/strings/en.toml":
                            '"{n} spoken" = { one = "one line", other = "{n} lines" }\n'
                            '"Reading settings" = "Settings"\n'})
    english = text(files, "en-work/index.html")
    assert "Settings" in english and "Reading settings" not in english
    assert "1 lines" not in english and ("one line" in english or re.search(r"\b[02-9]\d* lines", english))


def test_a_plural_table_without_its_other_form_is_a_clear_error(tmp_path):
    with pytest.raises(SitegenError) as e:
        site(tmp_path, {"templates/strings/fr.toml": '"{n} spoken" = { one = "{n} dite" }\n'})
    assert "templates/strings/fr.toml" in str(e.value) and "plural forms" in str(e.value)


def test_a_french_site_lists_its_works_in_french(tmp_path):
    files = site(tmp_path, {"sitegen.toml": 'language = "fr"\n',
                            "content/fr-work/work.toml": 'language = "fr"\nauthor = "Anne"\n'})
    index = text(files, "index.html")
    assert "par Anne" in index and "mots" in index and "Chapitres" in index
    assert " words" not in index and "by Anne" not in index


def test_a_chapter_page_the_author_gave_no_title_is_named_in_the_works_language(tmp_path):
    files = build_site(make_site(tmp_path / "site", {
        "content/fr-work/work.toml": 'language = "fr-CA"\n', "content/fr-work/01.txt": FRENCH,
        "content/fr-work/02.txt": FRENCH, "content/en-work/01.txt": ENGLISH,
        "content/en-work/02.txt": ENGLISH})).files
    french = text(files, "fr-work/chapter-2.html")
    assert "Chapitre 2" in french and "Chapter 2" not in french
    assert "Chapitre 1" in text(files, "fr-work/index.html")
    assert "Chapter 2" in text(files, "en-work/chapter-2.html")
