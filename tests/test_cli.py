"""The command line: exit codes and messages a user sees."""
import os
import subprocess
import sys

from conftest import REPO, make_site


def run(*args, cwd):
    return subprocess.run([sys.executable, "-m", "sitegen", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120)


def test_build_succeeds_with_exit_0(tmp_path):
    make_site(tmp_path, {"content/w/story.txt": "Title\n\nText.\n"})
    r = run("build", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "built 1 work" in r.stdout
    assert (tmp_path / "public" / "index.html").is_file()


def test_build_with_out_and_theme(tmp_path):
    make_site(tmp_path, {"content/w/story.txt": "Title\n\nText.\n"})
    r = run("build", "--out", "site-out", "--theme", "default", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "site-out" / "w" / "all.html").is_file()


def test_missing_content_is_a_clear_error(tmp_path):
    r = run("build", cwd=tmp_path)
    assert r.returncode == 1
    assert "no content/ folder" in r.stderr and "hint:" in r.stderr
    assert "Traceback" not in r.stderr


def test_chapter_files_straight_in_content_get_a_move_them_together_hint(tmp_path):
    make_site(tmp_path, {"content/chapter-01.txt": "One\n\nText.\n", "content/chapter-02.md": "Two\n\nText.\n"})
    r = run("build", cwd=tmp_path)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert "2 text files directly in content/: chapter-01.txt, chapter-02.md" in r.stderr
    assert "mv content/*.md content/*.txt content/my-story/" in r.stderr
    assert not (tmp_path / "public").exists()


def test_one_file_straight_in_content_gets_its_own_folder_as_the_hint(tmp_path):
    make_site(tmp_path, {"content/My Story.txt": "Title\n\nText.\n"})
    r = run("build", cwd=tmp_path)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert "put each work in its own folder: content/my-story/My Story.txt" in r.stderr


def test_bad_work_toml_names_file_line_and_column(tmp_path):
    make_site(tmp_path, {"content/w/story.txt": "Title\n\nText.\n", "content/w/work.toml": 'title = "x"\nauthor = \n'})
    r = run("build", cwd=tmp_path)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert "content/w/work.toml:2:" in r.stderr


def test_unknown_key_suggests_the_right_one(tmp_path):
    make_site(tmp_path, {"content/w/story.txt": "Title\n\nText.\n", "content/w/work.toml": 'auther = "Me"\n'})
    r = run("build", cwd=tmp_path)
    assert r.returncode == 1 and "unknown key `auther`" in r.stderr and "author" in r.stderr


def test_unknown_theme(tmp_path):
    make_site(tmp_path, {"content/w/story.txt": "Title\n\nText.\n"})
    r = run("build", "--theme", "nope", cwd=tmp_path)
    assert r.returncode == 1 and "no theme named 'nope'" in r.stderr


def test_foreign_output_folder_is_refused(tmp_path):
    make_site(tmp_path, {"content/w/story.txt": "Title\n\nText.\n", "public/keep.txt": "mine"})
    r = run("build", cwd=tmp_path)
    assert r.returncode == 1 and "will not delete" in r.stderr
    assert (tmp_path / "public" / "keep.txt").exists()


def test_non_utf8_text_is_a_clear_error(tmp_path):
    (tmp_path / "content" / "w").mkdir(parents=True)
    (tmp_path / "content" / "w" / "story.txt").write_bytes(b"Title\n\nCaf\xe9 au lait.\n")
    r = run("build", cwd=tmp_path)
    assert r.returncode == 1 and "UTF-8" in r.stderr and "story.txt" in r.stderr


def test_broken_quote_is_a_warning_and_the_build_succeeds(tmp_path):
    make_site(tmp_path, {"content/w/story.txt": 'Title\n\n"Wait, she said and ran.\n\nHe stayed.\n'})
    r = run("build", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "content/w/story.txt:3:1" in r.stderr and "warning" in r.stderr


def test_check_lists_quotes_and_notes_of_the_sample():
    r = run("check", cwd=REPO)
    assert r.returncode == 0, r.stderr
    assert "change-of-plans.txt:" in r.stdout and "note (inline)" in r.stdout


def test_no_command_shows_usage(tmp_path):
    r = run(cwd=tmp_path)
    assert r.returncode == 2 and "usage" in r.stderr


def test_check_lists_broken_marks_and_unsure_quotes_with_locations(tmp_path):
    make_site(tmp_path, {"content/w/story.txt": 'Title\n\n"Wait, she said and ran.\n\nThen: "Who is it?" "Me."\n',
                         "content/w/work.toml": '[characters.ana]\nname = "Ana"\npronouns = "she"\n'})
    r = run("check", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "content/w/story.txt:3:1: warning" in r.stdout
    assert "content/w/story.txt:5:7: unsure:" in r.stdout
    assert "{=id}" in r.stdout


def test_quotes_prints_json_lines(tmp_path):
    story = tmp_path / "s.txt"
    story.write_text('"Hi," said Ana.\n', encoding="utf-8")
    cast = tmp_path / "cast.toml"
    cast.write_text('[characters.ana]\nname = "Ana"\npronouns = "she"\n', encoding="utf-8")
    r = run("quotes", str(story), "--cast", str(cast), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    import json
    q = json.loads(r.stdout.splitlines()[0])
    assert (q["start"], q["end"], q["kind"], q["speaker"]) == (0, 5, "speech", "ana")


def test_front_matter_of_the_wrong_shape_is_a_clear_error(tmp_path):
    make_site(tmp_path, {"content/w/story.md": "---\ntitle: [a, b]\n---\n\nText.\n"})
    r = run("build", cwd=tmp_path)
    assert r.returncode == 1 and "front matter `title` must be a single value" in r.stderr


def test_invalid_yaml_front_matter_has_a_line(tmp_path):
    make_site(tmp_path, {"content/w/story.md": "---\ntitle: ok\nauthor: [unclosed\n---\n\nText.\n"})
    r = run("build", cwd=tmp_path)
    assert r.returncode == 1 and "content/w/story.md:" in r.stderr and "Traceback" not in r.stderr


def test_check_reports_discovered_characters_without_a_cast(tmp_path):
    make_site(tmp_path, {"content/w/story.txt": 'Title\n\n"Hi," said Bo. "Hello," Ana replied.\n'})
    r = run("check", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "characters found in the text (no cast given): " in r.stdout
    assert "Bo" in r.stdout and "Ana" in r.stdout


def test_check_names_cast_entries_the_text_cannot_tell_apart(tmp_path):
    make_site(tmp_path, {"content/w/story.txt": 'Title\n\n"Hi," said Robin Hale. "Hello," Ana replied.\n',
                         "content/w/work.toml": 'title = "T"\n\n[characters.ana]\nname = "Ana"\n\n'
                                                '[characters.robin-frame]\nname = "Robin Hale - Frame"\n\n'
                                                '[characters.robin-story]\nname = "Robin Hale - Story"\n'})
    r = run("check", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert 'characters Robin Hale - Frame and Robin Hale - Story share every name form ("Robin Hale")' in r.stdout
    assert "{=robin-story}" in r.stdout and "Ana and" not in r.stdout


def test_build_from_inside_content_finds_the_site_above(tmp_path):
    make_site(tmp_path, {"content/w/story.txt": "Title\n\nText.\n"})
    r = run("build", "--quiet", cwd=tmp_path / "content" / "w")
    assert r.returncode == 0, r.stderr
    assert "using the site at" in r.stderr
    assert (tmp_path / "public" / "w" / "all.html").is_file()
    assert not (tmp_path / "content" / "w" / "public").exists()


def test_a_folder_with_no_site_above_is_still_an_error(tmp_path):
    r = run("build", cwd=tmp_path)
    assert r.returncode == 1
    assert "no content/ folder" in r.stderr


def test_settings_mistakes_point_at_their_line_and_column(tmp_path):
    make_site(tmp_path, {"content/w/story.txt": "Title\n\nText.\n",
                         "content/w/work.toml": 'title = "T"\n  auhtor = "x"\n\n[characters.bo]\nname = "Bo"\n'})
    r = run("build", cwd=tmp_path)
    assert r.returncode == 1
    assert "content/w/work.toml:2:3: error: unknown key `auhtor`" in r.stderr, r.stderr
    make_site(tmp_path, {"content/w/work.toml": 'title = "T"\n\n[characters.ann]\nname = "Ann"\n\n'
                                                '[characters.bo]\nname = "Bo"\ncolour = "blue"\n'})
    r = run("build", cwd=tmp_path)
    assert "content/w/work.toml:8:1: error: [characters.bo]: colour 'blue'" in r.stderr, r.stderr


def test_a_long_output_through_a_pipe_arrives_whole(tmp_path):
    """`sitegen quotes` ends its process without the interpreter's teardown (cli.ended): what it printed
    is flushed first, every line of it, far more than one buffer."""
    story = tmp_path / "s.txt"
    story.write_text("".join(f'"Line {i}," said Ana.\n\n' for i in range(2000)), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}      # (stdout block-buffered)
    r = subprocess.run([sys.executable, "-m", "sitegen", "quotes", str(story)], cwd=tmp_path, capture_output=True,
                       text=True, timeout=120, env=env)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert len(lines) == 2000 and len(r.stdout) > 64 * 1024
    assert lines[-1].endswith("}")
