"""Other languages and quote conventions: « », „ “, » «, 「 」, dash dialogue, and tags in French,
German, Spanish and Russian (tests/fixtures/languages/*.txt, same format as fixtures/dialogue)."""
from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.load.config import load_work_config
from sitegen.dialogue import find_quotes
from sitegen.dialogue.convention import detect_marks, marks_for
from sitegen.dialogue.languages import detect_language, known, language
from sitegen.errors import SitegenError
from sitegen.model import SourceText
from sitegen.text.paragraphs import split_paragraphs
from test_dialogue_fixtures import parse_cast, parse_expected, parse_fixture

FIXTURES = Path(__file__).parent / "fixtures" / "languages"
CASES = sorted(FIXTURES.glob("*.txt"))


def run(path: Path, **options):
    sections = parse_fixture(path)
    text = sections["text"] + "\n"
    lang = sections.get("language", "").strip() or None
    source = SourceText.from_text(path, text, path.name)
    return sections, text, find_quotes(source, split_paragraphs(text), parse_cast(sections["cast"]),
                                       lang=lang, **options)


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_every_quote_found_at_its_offsets_and_attributed(path: Path):
    sections, text, result = run(path)
    expected = parse_expected(sections["quotes"])
    offsets, pos = [], 0
    for quoted, _, _ in expected:                 # where each expected quote stands, in reading order
        pos = text.index(quoted, pos)
        offsets.append((pos, pos + len(quoted)))
        pos += len(quoted)
    assert [(q.start, q.end) for q in result.quotes] == offsets, [q.text for q in result.quotes]
    assert [(q.text, q.kind, q.speaker) for q in result.quotes] == expected
    assert not result.diagnostics


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_language_detected_from_the_text(path: Path):
    sections, text, result = run(path)
    want = sections.get("language", "").strip() or "en"
    assert detect_language(text * 3) == want     # a few sentences are enough
    assert result.language == want


def test_marks_do_not_depend_on_the_language_table():
    """With the English table the French « » quotes are still found (whole: a tag inside one,
    "demanda-t-elle", is French), only the French table attributes them all."""
    sections = parse_fixture(FIXTURES / "fr-guillemets.txt")
    text = sections["text"] + "\n"
    english = find_quotes(SourceText.from_text(Path("x.txt"), text, "x.txt"), split_paragraphs(text),
                          parse_cast(sections["cast"]), lang="en")
    assert [q.text[:3] for q in english.quotes] == ["«\u202fT", "«\u202fJ", "«\u202fL", "«\u202fE", "«\u202fR",
                                                    "«\u202fR", "«\u202fA"]
    expected = [speaker for _, _, speaker in parse_expected(sections["quotes"])]
    _, _, french = run(FIXTURES / "fr-guillemets.txt")
    assert [q.speaker for q in french.quotes] == expected


def test_mark_conventions_detected():
    assert detect_marks("„Hallo“, sagte er. „Ja.“ Und „gut“.") == ("G", False)
    english = "“Hi,” he said. “Look: „Guten Tag“ and „Danke“.” “Yes.” “No.” “Fine.” “Good.”"
    assert detect_marks(english)[0] == ""        # two „ quoted in English: “ still opens
    assert detect_marks("»Hallo«, sagte er. »Ja«, sagte sie.")[0] == "R"
    assert detect_marks("« Bonjour », dit-il. «\u202fÇa va\u202f?\u202f»")[0] == ""
    assert detect_marks("«Hola», dijo. «Bien»")[0] == ""
    dash = "— Привет.\n\n— Как дела?\n\n— Хорошо.\n"
    assert detect_marks(dash) == ("", True)
    assert detect_marks('"Hi."\n\n"Hello."\n\n— and then nothing.\n') == ("", False)
    assert marks_for("dash", "no dashes here") == ("", True)
    assert marks_for("german", "")[0] == "GR"


def test_polish_quotes_close_with_a_right_mark():
    text = "„Cześć” – powiedział Jan. „Co słychać?”\n"
    result = find_quotes(SourceText.from_text(Path("pl.txt"), text, "pl.txt"), split_paragraphs(text), [])
    assert [q.text for q in result.quotes] == ["„Cześć”", "„Co słychać?”"]


def test_dash_inside_a_speech_is_not_narration():
    text = "— Je ne sais pas — peut-être demain, dit Luc.\n"
    sections = parse_fixture(FIXTURES / "fr-dash.txt")
    result = find_quotes(SourceText.from_text(Path("d.txt"), text, "d.txt"), split_paragraphs(text),
                         parse_cast(sections["cast"]), lang="fr", marks=("", True))
    assert [(q.text, q.speaker) for q in result.quotes] == [("— Je ne sais pas — peut-être demain,", "luc")]


def test_english_dash_paragraphs_stay_narration():
    text = '"Where were you?" Ana asked.\n\n"Out."\n\n"Out where?"\n\n— and that was all he said.\n'
    result = find_quotes(SourceText.from_text(Path("e.txt"), text, "e.txt"), split_paragraphs(text), [])
    assert [q.text for q in result.quotes] == ['"Where were you?"', '"Out."', '"Out where?"']


def test_tables_load_and_name_their_language():
    assert {"en", "fr", "es", "de", "ru"} <= set(known())
    for code in known():
        table = language(code)
        assert table.speech_verbs and table.pronouns and table.stopwords
        assert set(table.pronouns.values()) <= {"he", "she", "i", "they", "we"}
    assert language("fr-CA").code == "fr" and language("French").code == "fr"
    assert language("xx").code == "en"


def test_work_toml_quotes_values(tmp_path: Path):
    (tmp_path / "work.toml").write_text('quotes = "guillemets"\nlanguage = "fr"\n', encoding="utf-8")
    assert load_work_config(tmp_path / "work.toml")["quotes"] == "guillemets"
    (tmp_path / "work.toml").write_text('quotes = "guillemet"\n', encoding="utf-8")
    with pytest.raises(SitegenError) as e:
        load_work_config(tmp_path / "work.toml")
    assert 'did you mean quotes = "guillemets"' in e.value.hint


def _story(path: Path) -> str:
    return parse_fixture(path)["text"] + "\n"


def _cast_toml(path: Path) -> str:
    lines = []
    for c in parse_cast(parse_fixture(path)["cast"]):
        aliases = ", ".join(f'"{a}"' for a in c.aliases)
        lines.append(f'[characters.{c.id}]\nname = "{c.name}"\naliases = [{aliases}]\npronouns = "{c.pronouns}"\n')
    return "\n".join(lines)


def test_a_french_work_builds_with_coloured_quotes(tmp_path: Path):
    """No configuration but the cast: the language and the marks are detected; every quote is a
    coloured span with its speaker, the page says lang="fr", and no word is lost."""
    from conftest import make_site, missing_words
    from sitegen.build import build_site
    fixture = FIXTURES / "fr-guillemets.txt"
    site = make_site(tmp_path, {"content/la-bibliotheque/histoire.txt": _story(fixture),
                                "content/la-bibliotheque/work.toml": _cast_toml(fixture)})
    result = build_site(site)
    work = result.works[0]
    assert work.meta.language == "fr"
    page = result.files["la-bibliotheque/all.html"].decode("utf-8")
    assert '<html lang="fr"' in page
    spans = page.count('<span class="quote speech c-')
    assert spans == len(parse_expected(parse_fixture(fixture)["quotes"])) == len(work.quotes)
    assert 'c-hermione sure" data-speaker="hermione"' in page and 'data-speaker="harry"' in page
    assert not missing_words(_story(fixture), page)


def test_a_dash_work_set_in_work_toml_builds(tmp_path: Path):
    """`quotes = "dash"` and `language = "ru"` in work.toml, even on a text too short to detect."""
    from conftest import make_site
    from sitegen.build import build_site
    fixture = FIXTURES / "ru-dash.txt"
    text = _story(fixture).split("\n\n")[1] + "\n"        # one line: too little to detect anything
    cast = _cast_toml(fixture)
    site = make_site(tmp_path / "a", {"content/w/w.txt": text, "content/w/work.toml": cast})
    assert [q.speaker for q in build_site(site).works[0].quotes] == []
    site = make_site(tmp_path / "b", {"content/w/w.txt": text,
                                      "content/w/work.toml": 'language = "ru"\nquotes = "dash"\n\n' + cast})
    work = build_site(site).works[0]
    found = [(q.text, q.speaker) for q in work.quotes]
    assert found == [("— Привет,", "hermione"), ("— Как дела?", "hermione")]


def test_cast_discovered_in_russian_has_ascii_ids_and_genders_from_verbs():
    """Without a cast the speakers of tags become the cast: ids spelt in Latin letters (cast ids
    are ASCII), she / he from the past verbs' endings ("прошипела" / "буркнул")."""
    text = _story(FIXTURES / "ru-dash.txt")
    result = find_quotes(SourceText.from_text(Path("ru.txt"), text, "ru.txt"), split_paragraphs(text), [])
    found = {c.name: (c.id, c.pronouns) for c in result.discovered}
    assert found["Гермиона"] == ("germiona", "she") and found["Рон"] == ("ron", "he")
    assert [q.speaker for q in result.quotes][:4] == ["germiona", "germiona", "ron", "ron"]


def test_check_names_the_language_it_chose(tmp_path: Path):
    import io
    from conftest import make_site
    from sitegen.check import check_site
    fixture = FIXTURES / "de-german.txt"
    site = make_site(tmp_path, {"content/w/w.txt": _story(fixture), "content/w/work.toml": _cast_toml(fixture)})
    out = io.StringIO()
    check_site(site, out)
    assert "language: de (if that is wrong, set language" in out.getvalue()


def test_any_mix_of_marks_gives_ordered_spans_inside_the_text():
    """Seeded random texts of every mark, dash and tag in every language: no exception, and the
    quotes are in order, do not overlap and are the text at their offsets."""
    import random
    from sitegen.model import Character
    pieces = ["— ", "—", "– ", "«", "»", "« ", " »", "„", "“", "”", "「", "」", "‹", "›", '"', "'", "’", ", ",
              ". ", "? ", "dit-il", " dit Harry", "сказала она", " прошипела Анна", "dijo Juan", "sagte Anna",
              "Bonjour", "Harry", "\n", "\n\n", " ", "\u202f", "odparła"]
    cast = [Character("harry", "Harry", (), "he"), Character("anna", "Anna", (), "she")]
    rnd = random.Random(12)
    for _ in range(500):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(1, 40)))
        result = find_quotes(SourceText.from_text(Path("x.txt"), text, "x.txt"), split_paragraphs(text),
                             rnd.choice([cast, []]), lang=rnd.choice(["en", "fr", "ru", "es", "de", "pl", None]),
                             marks=rnd.choice([None, ("", True), ("GR", False), ("R", True)]))
        end = 0
        for q in result.quotes:
            assert end <= q.start < q.end <= len(text) and text[q.start:q.end] == q.text, (text, q)
            end = q.end


def test_guillemets_with_and_without_inner_spaces_and_single_guillemets():
    text = ("«Hola», dijo Juan. «¿Qué tal?»\n\n"
            "« Bonjour », dit Harry. «\u00a0Salut\u00a0!\u00a0» ‹ Oui ›, dit-il.\n\n"
            "«Er sagte ‹nein›», sagte Anna.\n")
    result = find_quotes(SourceText.from_text(Path("g.txt"), text, "g.txt"), split_paragraphs(text), [])
    assert [q.text for q in result.quotes] == ["«Hola»", "«¿Qué tal?»", "« Bonjour »", "«\u00a0Salut\u00a0!\u00a0»",
                                               "‹ Oui ›", "«Er sagte ‹nein›»"]


def test_a_described_subject_has_the_gender_of_its_noun():
    """"dit sa mère" / "sagte seine Mutter": a she, here the one she-character (not the last speaker)."""
    from sitegen.model import Character
    cast = [Character("harry", "Harry", (), "he"), Character("lily", "Lily", (), "she"),
            Character("james", "James", (), "he")]
    for lang, text in (("fr", "« Je pars », dit Harry.\n\n« Déjà ? » dit sa mère.\n"),
                       ("de", "„Ich gehe“, sagte Harry.\n\n„Schon?“, fragte seine Mutter.\n")):
        result = find_quotes(SourceText.from_text(Path("m.txt"), text, "m.txt"), split_paragraphs(text), cast,
                             lang=lang)
        assert [q.speaker for q in result.quotes] == ["harry", "lily"], lang
