"""Each named attribution rule on its own fixture (tests/fixtures/rules/<rule>.txt).

A fixture holds a short passage, its cast, and for each quote the expected speaker and the
rule expected to decide it (the rules alone, without the learned scorer), so a rule that
stops firing, or fires for the wrong person, fails its own test.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.dialogue import find_quotes
from sitegen.dialogue.rules import RULES
from sitegen.model import SourceText
from sitegen.text.paragraphs import split_paragraphs
from test_dialogue_fixtures import parse_cast, parse_fixture

FIXTURES = Path(__file__).parent / "fixtures" / "rules"
CASES = sorted(FIXTURES.glob("*.txt"))


def expected(block: str) -> list[tuple[str, str | None, str]]:
    """`text -> speaker rule` lines."""
    out = []
    for line in block.splitlines():
        text, rest = line.rsplit(" -> ", 1)
        speaker, rule = rest.split()
        out.append((text, None if speaker == "unknown" else speaker, rule))
    return out


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_rule(path: Path):
    sections = parse_fixture(path)
    text = sections["text"] + "\n"
    source = SourceText.from_text(path, text, path.name)
    result = find_quotes(source, split_paragraphs(text), parse_cast(sections["cast"]), model=None)
    found = [(q.text, q.speaker, q.evidence) for q in result.quotes]
    assert found == expected(sections["quotes"]), sections["about"]
    assert path.stem in {rule for _, _, rule in found}, "the fixture exercises its own rule"


def test_every_rule_has_a_fixture():
    assert {name for name, _ in RULES} == {p.stem for p in CASES}
