"""The dialogue engine on small fixture passages (tests/fixtures/dialogue/*.txt)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from sitegen.dialogue import find_quotes
from sitegen.model import Character, SourceText
from sitegen.text.paragraphs import split_paragraphs

FIXTURES = Path(__file__).parent / "fixtures" / "dialogue"
CASES = sorted(FIXTURES.glob("*.txt"))


def parse_fixture(path: Path) -> dict[str, str]:
    """Sections of a fixture file: its description, then `=== name` sections."""
    parts = re.split(r"^=== (\w+)\n", path.read_text(encoding="utf-8"), flags=re.M)
    sections = {"about": parts[0].strip()}
    for name, body in zip(parts[1::2], parts[2::2]):
        sections[name] = body.rstrip("\n")
    return sections


def parse_cast(block: str) -> list[Character]:
    """`id: Name, Alias (pronoun)` lines."""
    cast = []
    for line in block.splitlines():
        cid, rest = line.split(":", 1)
        names, pronoun = re.match(r"\s*(.*?)\s*\((\w+)\)\s*$", rest).groups()
        name, *aliases = [n.strip() for n in names.split(",")]
        cast.append(Character(cid.strip(), name, tuple(aliases), pronoun, narrator=pronoun == "i"))
    return cast


def parse_expected(block: str) -> list[tuple[str, str, str | None]]:
    """`text -> kind speaker` lines."""
    out = []
    for line in block.splitlines():
        text, rest = line.rsplit(" -> ", 1)
        kind, speaker = rest.split()
        out.append((text, kind, None if speaker == "unknown" else speaker))
    return out


def run_fixture(path: Path):
    sections = parse_fixture(path)
    text = sections["text"] + "\n"
    source = SourceText.from_text(path, text, path.name)
    result = find_quotes(source, split_paragraphs(text), parse_cast(sections["cast"]))
    return sections, result


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_fixture(path: Path):
    sections, result = run_fixture(path)
    found = [(q.text, q.kind, q.speaker) for q in result.quotes]
    assert found == parse_expected(sections["quotes"]), sections["about"]
    if not sections["cast"].strip():            # no cast: every speaker is a discovered character
        assert {q.speaker for q in result.quotes} - {None} <= {c.id for c in result.discovered}
    if "convention" in sections:
        assert result.convention == sections["convention"].strip()
    expected_warnings = sections.get("diagnostics", "").splitlines()
    assert len(result.diagnostics) == len(expected_warnings)
    for words, diagnostic in zip(expected_warnings, result.diagnostics):
        assert words in diagnostic.message
        assert diagnostic.hint


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_quote_offsets_match_text(path: Path):
    sections, result = run_fixture(path)
    text = sections["text"] + "\n"
    for q in result.quotes:
        assert text[q.start:q.end] == q.text
        assert 0.0 <= q.confidence <= 1.0
