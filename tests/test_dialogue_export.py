"""`sitegen quotes FILE [--cast CAST]`: JSON Lines on stdout, warnings on stderr."""
from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from sitegen.dialogue.export import quotes_command
from sitegen.errors import SitegenError

ROOT = Path(__file__).resolve().parents[1]
CAST = """\
[characters.naruto]
name = "Naruto Uzumaki"
aliases = ["Naruto"]
pronouns = "he"

[characters.sakura]
name = "Sakura Haruno"
aliases = ["Sakura"]
pronouns = "she"
"""


def write(tmp_path: Path, name: str, text: str, newline: str = "\n") -> Path:
    path = tmp_path / name
    path.write_bytes(text.replace("\n", newline).encode("utf-8"))
    return path


def test_prints_one_json_object_per_quote(tmp_path):
    story = write(tmp_path, "story.txt", '"Hi," said Naruto.\n\n"Hello," Sakura replied.\n')
    cast = write(tmp_path, "cast.toml", CAST)
    out = io.StringIO()
    assert quotes_command(story, cast, out) == 0
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [(r["text"], r["kind"], r["speaker"]) for r in rows] == [
        ('"Hi,"', "speech", "naruto"), ('"Hello,"', "speech", "sakura")]
    assert set(rows[0]) == {"start", "end", "kind", "speaker", "confidence", "text"}
    assert rows[0]["confidence"] >= 0.9


def test_offsets_count_carriage_returns(tmp_path):
    story = write(tmp_path, "story.txt", 'Naruto waved.\n\n"Hi," he said.\n', newline="\r\n")
    out = io.StringIO()
    quotes_command(story, write(tmp_path, "cast.toml", CAST), out)
    row = json.loads(out.getvalue())
    text = story.read_bytes().decode("utf-8")
    assert text[row["start"]:row["end"]] == '"Hi,"'


def test_broken_marks_are_warnings_on_stderr(tmp_path, capsys):
    story = write(tmp_path, "story.txt", 'Naruto waved.\n\n"Hi, he said and left.\n')
    out = io.StringIO()
    assert quotes_command(story, None, out) == 0
    err = capsys.readouterr().err
    assert f"{story}:3:1: warning: opening quote mark is never closed" in err
    assert out.getvalue()                      # the quote is still exported


def test_missing_file_is_a_user_error(tmp_path):
    with pytest.raises(SitegenError, match="cannot read"):
        quotes_command(tmp_path / "nope.txt", None, io.StringIO())


def test_bad_cast_is_a_user_error(tmp_path):
    story = write(tmp_path, "story.txt", '"Hi."\n')
    cast = write(tmp_path, "cast.toml", "[characters.x\n")
    with pytest.raises(SitegenError, match="invalid TOML"):
        quotes_command(story, cast, io.StringIO())


def test_runs_as_a_module(tmp_path):
    story = write(tmp_path, "story.txt", '"Hi," said Naruto.\n')
    cast = write(tmp_path, "cast.toml", CAST)
    run = subprocess.run([sys.executable, "-m", "sitegen.dialogue", str(story), "--cast", str(cast)],
                         cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0
    assert json.loads(run.stdout)["speaker"] == "naruto"
    missing = subprocess.run([sys.executable, "-m", "sitegen.dialogue", str(tmp_path / "no.txt")],
                             cwd=ROOT, capture_output=True, text=True)
    assert missing.returncode == 1 and "Traceback" not in missing.stderr
