"""The sample fic against its gold quotes (needs ../shared; skipped without it)."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from sitegen.load.cast import load_cast
from sitegen.dialogue import find_quotes
from sitegen.dialogue.export import quote_record, read_source
from sitegen.text.paragraphs import split_paragraphs

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEED = SHARED / "seed"
pytestmark = pytest.mark.skipif(not (SEED / "change-of-plans.txt").is_file(),
                                reason="../shared (the sample and its gold) is not present")


@pytest.fixture(scope="module")
def sample():
    source = read_source(SEED / "change-of-plans.txt")
    return find_quotes(source, split_paragraphs(source.text), load_cast(SEED / "change-of-plans.cast.toml"))


def test_sample_scores(sample, tmp_path):
    pred = tmp_path / "pred.jsonl"
    pred.write_text("".join(json.dumps(quote_record(q)) + "\n" for q in sample.quotes), encoding="utf-8")
    run = subprocess.run([sys.executable, str(SHARED / "eval" / "score_quotes.py"),
                          str(SEED / "change-of-plans.quotes.gold.jsonl"), str(pred)],
                         capture_output=True, text=True, check=True)
    report = run.stdout
    assert "gold found: 260" in report
    assert "kind accuracy: 1.0000" in report
    assert float(re.search(r"speaker_accuracy=([\d.]+)", report).group(1)) >= 0.97


def test_sample_convention_and_broken_marks(sample):
    assert sample.convention == "fic"
    lines = sorted(d.location.line for d in sample.diagnostics)
    assert len(lines) == 2 and all(d.hint for d in sample.diagnostics)
