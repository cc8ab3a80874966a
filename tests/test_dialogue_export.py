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
    assert f"{story}:3:1: warning: opening quote mark is probably not closed" in err
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


def test_a_quote_left_open_before_a_paragraph_without_a_quote_mark_is_a_warning(tmp_path, capsys):
    """The next paragraph does not open with a quote mark, so this is no speech running on: the mark was
    probably not closed. Also for single-quote speech after "said," (where a lone ' is no apostrophe)."""
    story = write(tmp_path, "story.txt", "Sakura sighed and said, 'I am going to the store.\n\n"
                                         "Naruto nodded. 'Get milk.'\n\n'Fine,' Sakura said.\n")
    out = io.StringIO()
    quotes_command(story, write(tmp_path, "cast.toml", CAST), out)
    err = capsys.readouterr().err
    assert f"{story}:1:25: warning: opening quote mark is probably not closed" in err
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert rows[0]["text"] == "'I am going to the store." and rows[1]["speaker"] == "naruto"


def test_a_run_on_speech_whose_next_paragraph_is_someone_elses_is_a_warning(tmp_path, capsys):
    """The next paragraph opens with a quote mark (the multi-paragraph convention), but its line has a
    speaker of its own: the first quote's closing mark was probably forgotten, and sitegen says where."""
    cast = write(tmp_path, "cast.toml", CAST)
    story = write(tmp_path, "story.txt", '"Hi," Sakura said. "I am going to the store.\n\n'
                                         '"Get milk," Naruto said.\n\n"Fine," Sakura said.\n')
    quotes_command(story, cast, io.StringIO())
    err = capsys.readouterr().err
    assert f"{story}:1:20: warning: this quote is probably not closed" in err and "Naruto Uzumaki" in err
    speech = write(tmp_path, "speech.txt", '"Listen," Sakura said. "The lamp never goes out.\n\n'
                                          '"Not in a storm, not in the dark. Never."\n\nNaruto nodded.\n')
    quotes_command(speech, cast, io.StringIO())
    assert "probably not closed" not in capsys.readouterr().err      # the convention itself: no warning


def test_check_lists_the_unclosed_mark_with_its_place(tmp_path):
    from sitegen.check import check_site
    site = tmp_path / "site"
    (site / "content" / "w").mkdir(parents=True)
    (site / "content" / "w" / "story.txt").write_text('"Hi," Sakura said. "I am going to the store.\n\n'
                                                     '"Get milk," Naruto said.\n', encoding="utf-8")
    (site / "content" / "w" / "work.toml").write_text(CAST, encoding="utf-8")
    out = io.StringIO()
    check_site(site, out)
    assert "content/w/story.txt:1:20: warning: this quote is probably not closed" in out.getvalue()
