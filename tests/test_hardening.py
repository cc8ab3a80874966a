"""Hardening (issue #16): nothing outside the site, nothing lost, nothing left behind, under any input."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from conftest import make_site, missing_words, page_text
from sitegen.build import build, build_site
from sitegen.errors import SitegenError


def shown(result, slug="w") -> str:
    return result.files[f"{slug}/all.html"].decode("utf-8") + result.files[f"{slug}/index.html"].decode("utf-8")


# -- words lost ----------------------------------------------------------------------------------
@pytest.mark.parametrize("text, split", [
    ("the.\n\nChapter 2\n\n", "none"),
    ("Chapter 2\n", "auto"),
    ("Part One\n\nChapter 1\n\nText here.\n", "scenes"),
    ("Part One\n\nChapter 1\n\nText here.\n\nChapter 2: The Bridge\n\nMore text.\n", "markers"),
    ("Some text.\n\nChapter 2: The Bridge\n\nMore text.\n", "none"),
    ("Some text.\n\nChapter 2: The Bridge\n\nMore text.\n", "scenes"),
    ("She ran.\n\n(A/N thanks for reading)\n\n(A/N bye now)\n", "none"),
    ("(lol the)\n", "auto"),
    ("***\n\n\n[A/N thought day the rock]\n", "markers"),
    ("Part One\n\nPart One\n\nChapter 1\n\nText here.\n", "auto"),        # a heading the next one repeats
    ("Text before.\n\nChapter 2\n\nChapter 2\n\nText after.\n", "none"),
    ("Text before.\n\nChapter 2: Ends\n\nChapter 2: Ends\n", "markers"),
])
def test_headings_and_notes_are_never_lost(tmp_path, text, split):
    site = make_site(tmp_path, {"content/w/a.txt": text, "content/w/work.toml": f'split = "{split}"\n'})
    assert not missing_words(text, shown(build_site(site)))


def test_headings_of_a_work_with_chapter_titles_in_work_toml_stay(tmp_path):
    text = "Chapter 1: The Roof\n\nText here.\n\nChapter 2: The Gate\n\nMore text.\n"
    site = make_site(tmp_path, {"content/w/a.txt": text, "content/w/work.toml": 'chapters = ["One", "Two"]\n'})
    assert not missing_words(text, shown(build_site(site)))


def test_notes_only_in_every_file_are_still_shown(tmp_path):
    site = make_site(tmp_path, {"content/w/1.txt": "(A/N on hiatus)\n", "content/w/2.txt": "(A/N back soon)\n"})
    assert not missing_words("on hiatus back soon", shown(build_site(site)))


@pytest.mark.parametrize("text", ["\ue0000\ue001 \"hi\" she said \ue000", "\ue0007\ue001 \"x\"", "\ue001\"a\"\ue000"])
def test_private_use_sentinels_in_the_story_neither_crash_nor_forge_markup(tmp_path, text):
    site = make_site(tmp_path, {"content/w/a.txt": f"Title\n\nText first.\n\n{text}\n"})
    page = build_site(site).files["w/chapter-1.html"].decode("utf-8")
    for ch in "\ue000\ue001":                                   # shown as written, no more, no less
        assert page.count(ch) == text.count(ch)
    assert page.count('class="quote') == text.count('"') // 2


# -- linear time on hostile text -------------------------------------------------------------------
def traced_steps(fn) -> int:
    """How many Python lines and calls fn() runs: a measure of work that a loaded machine does not change."""
    steps = 0

    def tracer(frame, event, arg):
        nonlocal steps
        steps += 1
        return tracer
    sys.settrace(tracer)
    try:
        fn()
    finally:
        sys.settrace(None)
    return steps


@pytest.mark.parametrize("unit", ['"', '"Run." '])
def test_quote_marks_in_one_paragraph_cost_linear_work(unit):
    """Many quote marks in one paragraph: 4x the marks is about 4x the work (the old rescan was 10x)."""
    from sitegen.dialogue import find_quotes
    from sitegen.model import SourceText

    def steps(n: int) -> int:
        text = "Some prose.\n\n" + unit * n + "\n"
        src = SourceText.from_text(Path("x.txt"), text, "x.txt", 0.0)
        find_quotes(src, [(0, 11), (13, len(text) - 1)], ())          # warm the finders' memories
        src = SourceText.from_text(Path("x.txt"), text + " ", "x.txt", 0.0)
        return traced_steps(lambda: find_quotes(src, [(0, 11), (13, len(text) - 1)], ()))
    assert steps(2000) / steps(500) < 5


@pytest.mark.parametrize("unit", ['"', '"Run." ', "'", '\u201c', '(', '"(a) '])
def test_a_build_of_many_marks_in_one_paragraph_costs_linear_work(tmp_path, unit):
    """Every pass of a build (notes, quotes, speakers, pages): the work added by n more marks grows like n.
    (s(4n) - s(n)) / (s(2n) - s(n)) is 3 for linear work, 5 for quadratic; the constant part cancels out."""
    def steps(n: int) -> int:
        site = make_site(tmp_path / str(n), {"content/w/a.txt": "Title\n\nSome prose.\n\n" + unit * n + "\n"})
        return traced_steps(lambda: build_site(site))
    steps(50)                                                          # templates compiled, caches warm
    one, two, four = steps(300), steps(600), steps(1200)
    assert (four - one) / (two - one) < 3.6


def test_broken_marks_in_one_paragraph_give_a_few_warnings_and_a_count():
    from sitegen.dialogue import find_quotes
    from sitegen.model import SourceText
    from sitegen.text.spans import MAX_PROBLEMS
    text = "Some prose.\n\n" + '"' * 10_000 + "\n"
    found = find_quotes(SourceText.from_text(Path("x.txt"), text, "x.txt", 0.0), [(0, 11), (13, len(text) - 1)], ())
    assert len(found.diagnostics) == MAX_PROBLEMS + 1 and not found.quotes
    assert [d.location.col for d in found.diagnostics] == [1, 2, 3, 4]
    assert found.diagnostics[-1].message.startswith(f"{10_000 - 2 - MAX_PROBLEMS} more broken quote marks")


def test_quote_marks_with_nothing_between_them_are_not_quotes(tmp_path):
    """`""` and `" "` say nothing: no span, no speaker, and the page does not grow with the marks."""
    site = make_site(tmp_path, {"content/w/a.txt": 'Title\n\nText first.\n\n' + '"' * 2000 + ' " " and ""\n'})
    page = build_site(site).files["w/chapter-1.html"].decode("utf-8")
    assert 'class="quote' not in page and page.count('&quot;') + page.count('"') >= 2000


# -- the site's boundary, and every user mistake a user error --------------------------------------
def run_cli(*args) -> tuple[int, str]:
    import contextlib
    import io
    from sitegen.cli import main
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(list(args))
    return code, err.getvalue()


def hostile_site(root: Path, files: dict, links=()) -> Path:
    import os
    for rel, data in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    for rel, target in links:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target, root / rel)
    return root


STORY = {"content/w/a.txt": "Title\n\nSome text.\n"}
MISTAKES = {
    "text file linked out": (STORY, [("content/w/b.txt", "/etc/passwd")], "content/w/b.txt", "outside the site"),
    "work folder linked out": (STORY, [("content/etc", "/etc")], "content/etc", "outside the site"),
    "static file linked out": (STORY, [("static/x", "/etc/passwd")], "static/x", "outside the site"),
    "template linked out": (STORY, [("templates/x.html", "/etc/passwd")], "templates/x.html", "outside the site"),
    "cast outside": ({**STORY, "content/w/work.toml": 'cast = "/etc/passwd"\n'}, [], "/etc/passwd",
                     "outside the site"),
    "cast up and out": ({**STORY, "content/w/work.toml": 'cast = "../../../../../../../etc/passwd"\n'}, [],
                        "passwd", "outside the site"),
    "theme traversal": ({**STORY, "sitegen.toml": 'theme = "../../../../../etc"\n'}, [], "sitegen.toml",
                        "theme name"),
    "symlink loop in a work": (STORY, [("content/w/loop.txt", "loop.txt")], "content/w/loop.txt", "loops"),
    "symlink loop as a work": (STORY, [("content/x", "x")], "content/x", "loops"),
    "symlink loop in static": (STORY, [("static/loop", "loop")], "static/loop", "loops"),
    "cast not UTF-8": ({**STORY, "content/w/work.toml": 'cast = "c.toml"\n',
                        "content/w/c.toml": b'[characters.a]\nname = "\xff"\n'}, [], "c.toml:2:9", "not UTF-8"),
    "theme.toml not UTF-8": ({**STORY, "sitegen.toml": 'theme = "t"\n', "themes/t/theme.toml": b'extends = "\xff"\n',
                              "themes/t/templates/x.html": "x"}, [], "theme.toml:1:12", "not UTF-8"),
    "template not UTF-8": ({**STORY, "templates/index.html": b"\xff\xfe"}, [], "index.html", "not UTF-8"),
    "extends = 3": ({**STORY, "sitegen.toml": 'theme = "t"\n', "themes/t/theme.toml": "extends = 3\n",
                     "themes/t/templates/x.html": "x"}, [], "theme.toml", "theme name"),
    "unknown character key": ({**STORY, "content/w/work.toml": '[characters.a]\nname = "A"\ncolur = "#000000"\n'},
                              [], "content/w/work.toml", "did you mean `colour`"),
    "unknown alias key": ({**STORY, "content/w/work.toml": '[characters.a]\nname = "A"\nalias = ["B"]\n'},
                          [], "content/w/work.toml", "did you mean `aliases`"),
    "timeline names the work": ({**STORY, "content/w/work.toml": "[[timeline]]\nscene = 99\n"}, [],
                                "content/w/work.toml", "scene"),
    "text not UTF-8": ({"content/w/a.txt": b"Title\n\nline \xc3\xa9 two \xff here\n"}, [], "content/w/a.txt:3:12",
                       "not UTF-8"),
    "slug collision": ({"content/w/a.txt": "T\n\nA.\n", "content/W/a.txt": "T\n\nB.\n"}, [], "'W'", "'w'"),
    "slug collision, no Latin letters": ({"content/日本語/a.txt": "T\n\nA.\n", "content/中文/a.txt": "T\n\nB.\n"}, [],
                                         "'日本語'", "'中文'"),
    "base_url javascript:": ({**STORY, "sitegen.toml": 'base_url = "javascript:alert(1)"\n'}, [], "sitegen.toml",
                             "http"),
    "every config error at once": ({**STORY, "sitegen.toml": 'titel = "x"\nbase_url = 3\n'}, [], "`titel`",
                                   "`base_url` has the wrong type"),
    "every work.toml error at once": ({**STORY, "content/w/work.toml": 'split = "x"\ntags = "a"\nfoo = 1\n'}, [],
                                      "`split`", "`tags`"),
}


@pytest.mark.parametrize("name", list(MISTAKES))
def test_every_mistake_is_a_user_error_with_its_place(tmp_path, name):
    files, links, where, what = MISTAKES[name]
    site = hostile_site(tmp_path / "site", files, links)
    code, err = run_cli("build", "--site", str(site))
    assert code == 1, err
    assert where in err and what in err and "hint:" in err and "internal error" not in err
    assert not (site / "public").exists()


def test_a_non_utf8_file_name_is_a_user_error(tmp_path):
    import os
    site = hostile_site(tmp_path, STORY)
    (site / "content" / "w" / os.fsdecode(b"b\xff.txt")).write_text("x", encoding="utf-8")
    code, err = run_cli("build", "--site", str(site))
    assert code == 1 and "not valid UTF-8" in err and "rename" in err


@pytest.mark.parametrize("rel", ["content/w/work.toml", "content/w", "static/s.css", "content/w/a.txt"])
def test_unreadable_files_are_user_errors(rel):
    """Run as a user who may not read the file (as nobody, through setpriv, when the tests run as root)."""
    import os
    import shutil
    import subprocess
    import tempfile
    prefix = []
    if os.geteuid() == 0:
        if not shutil.which("setpriv"):
            pytest.skip("root reads every file whatever its mode, and setpriv is missing")
        prefix = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
        probe = subprocess.run([*prefix, sys.executable, "-c", "import sitegen.build"], capture_output=True,
                               cwd=str(Path(__file__).resolve().parents[1]))
        if probe.returncode != 0:
            pytest.skip("the user nobody cannot import sitegen and its dependencies from this Python "
                        "(they are installed in a folder only root may read)")
    root = Path(tempfile.mkdtemp())
    try:
        site = hostile_site(root, {**STORY, "content/w/work.toml": "", "static/s.css": "x"})
        for p in [site, *site.rglob("*")]:
            p.chmod(0o777 if p.is_dir() else 0o666)
        (site / rel).chmod(0)
        r = subprocess.run([*prefix, sys.executable, "-m", "sitegen", "build", "--site", str(site)],
                           capture_output=True, text=True, cwd=str(Path(__file__).resolve().parents[1]))
        assert r.returncode == 1 and "Permission denied" in r.stderr and "hint:" in r.stderr, r.stderr
    finally:
        (root / rel).chmod(0o777)
        shutil.rmtree(root, ignore_errors=True)


def test_a_md_story_may_open_with_a_scene_break(tmp_path):
    text = "---\n\nSome text.\n\n---\n\nMore text.\n"
    site = hostile_site(tmp_path, {"content/w/a.md": text})
    assert not missing_words(text, shown(build_site(site)))


def test_links_inside_the_site_are_followed(tmp_path):
    site = hostile_site(tmp_path, {**STORY, "shared/b.txt": "Shared words here.\n"},
                        [("content/w/b.txt", "../../shared/b.txt")])
    assert "Shared words here" in shown(build_site(site))


# -- builds that are interrupted or concurrent, and the output folder ---------------------------------
def leftovers(site: Path) -> list[str]:
    return sorted(p.name for p in site.iterdir() if ".sitegen-" in p.name and p.name != ".sitegen-cache")


def test_the_next_build_removes_what_a_killed_build_left(tmp_path):
    site = hostile_site(tmp_path, STORY)
    (site / ".public.sitegen-new-123-abcd" / "w").mkdir(parents=True)
    (site / ".public.sitegen-lock").write_text("")
    build(site)
    assert leftovers(site) == [] and (site / "public" / "w" / "chapter-1.html").is_file()


def test_a_kill_between_the_renames_of_a_swap_leaves_a_site(tmp_path, monkeypatch):
    from sitegen import output
    site = hostile_site(tmp_path, STORY)
    build(site)
    monkeypatch.setattr(output, "_renameat2", None)        # where there is no atomic exchange
    real, calls = output.os.replace, []

    def killed_after_first(a, b):
        calls.append(a)
        if len(calls) == 2:
            raise SystemExit(137)
        real(a, b)
    monkeypatch.setattr(output.os, "replace", killed_after_first)
    with pytest.raises(SystemExit):
        build(site)
    monkeypatch.setattr(output.os, "replace", real)
    assert not (site / "public").exists()                   # the moment the old code could not recover from
    output.remove_leftovers(site / "public")
    assert (site / "public" / "w" / "chapter-1.html").is_file() and leftovers(site) == []


def test_the_swap_is_one_atomic_exchange_where_linux_has_it(tmp_path, monkeypatch):
    from sitegen import output
    if output._renameat2 is None:
        pytest.skip("no renameat2 here")
    site = hostile_site(tmp_path, STORY)
    build(site)
    monkeypatch.setattr(output.os, "replace", lambda a, b: pytest.fail("two renames: a moment with no site"))
    build(site)
    assert (site / "public" / "w" / "chapter-1.html").is_file() and leftovers(site) == []


def test_a_second_build_into_the_same_output_is_refused_while_one_writes(tmp_path):
    from sitegen.output import output_lock
    site = hostile_site(tmp_path, STORY)
    with output_lock((site / "public").resolve()):
        with pytest.raises(SitegenError, match="another sitegen"):
            build(site)
    build(site)
    assert leftovers(site) == []


def test_the_output_folder_gets_the_umask_mode(tmp_path):
    import os
    site = hostile_site(tmp_path, STORY)
    old = os.umask(0o022)
    try:
        build(site)
    finally:
        os.umask(old)
    assert (site / "public").stat().st_mode & 0o777 == 0o755
    assert (site / "public" / "w").stat().st_mode & 0o777 == 0o755


@pytest.mark.parametrize("out", ["content/x", "content", "static", "templates/t", "themes", ".", "/", "~", ".."])
def test_out_is_refused_among_the_sites_inputs(tmp_path, out):
    site = hostile_site(tmp_path / "site", STORY)
    target = Path(out).expanduser() if out.startswith(("/", "~")) else site / out
    code, err = run_cli("build", "--site", str(site), "--out", str(target))
    assert code == 1 and "output folder" in err, err
    assert sorted(p.name for p in site.iterdir()) == ["content"]


def test_sigterm_during_the_write_leaves_no_folder_behind(tmp_path):
    import signal
    import subprocess
    site = hostile_site(tmp_path, STORY)
    code = ("import sys, time; from sitegen import output; real = output.swap_in\n"
            "def slow(a, b): print('staged', flush=True); time.sleep(30)\n"
            "output.swap_in = slow\nfrom sitegen.cli import main; sys.exit(main(['build', '--site', sys.argv[1]]))")
    proc = subprocess.Popen([sys.executable, "-c", code, str(site)], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "staged"
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=20) == 128 + signal.SIGTERM
    finally:
        if proc.poll() is None:
            proc.kill()
    assert leftovers(site) == [] and not (site / "public").exists()


def test_pool_workers_die_with_a_killed_build(tmp_path):
    import os
    import signal
    import subprocess
    import time
    words = " ".join(f"word{i}" for i in range(9000))
    site = hostile_site(tmp_path, {f"content/w/{n:02}.txt": f"Chapter {n}\n\n{words}.\n" for n in range(1, 11)})
    code = ("import sys, time; from sitegen import build\n"
            "real = build.analyse_file\n"
            "def slow(*a, **k): print('working', flush=True); time.sleep(60)\n"
            "build.analyse_file = slow\n"
            "from sitegen.cli import main; sys.exit(main(['build', '--site', sys.argv[1]]))")
    proc = subprocess.Popen([sys.executable, "-c", code, str(site)], stdout=subprocess.PIPE, text=True,
                            start_new_session=True, env={**os.environ, "SITEGEN_JOBS": "2"})
    try:
        assert "working" in proc.stdout.readline()              # a worker is running
        proc.kill()
        proc.wait(timeout=10)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                os.killpg(proc.pid, 0)                           # anyone left in the build's process group?
            except ProcessLookupError:
                break
            time.sleep(0.1)
        else:
            os.killpg(proc.pid, signal.SIGKILL)
            pytest.fail("a pool worker outlived the killed build")
    finally:
        if proc.poll() is None:
            proc.kill()


# -- malformed output and unsafe URLs ----------------------------------------------------------------
def test_the_feed_is_well_formed_xml_whatever_the_text_holds(tmp_path):
    import xml.etree.ElementTree as ET
    bad = "".join(chr(c) for c in range(32) if c not in (9, 10, 13)) + "\x7f\ufffe"
    site = hostile_site(tmp_path, {"content/w/a.txt": f"Title{bad}\n\nSome{bad} text.\n\nChapter 2: Odd\x00\n\nMore.\n",
                                   "content/w/work.toml": 'summary = "sum\\u0001mary"\n'})
    ET.fromstring(build_site(site).files["w/feed.xml"])


def test_quotes_inside_markdown_attributes_stay_out_of_them(tmp_path):
    text = ("Text first.\n\n![Sakura's 'bright' smile](smile.png) and [a link](https://example.com \"The Title\") "
            "and \"a quote\".\n")
    site = hostile_site(tmp_path, {"content/w/a.md": text})
    page = build_site(site).files["w/chapter-1.html"].decode("utf-8")
    assert '<img src="smile.png" alt="Sakura\'s \'bright\' smile" />' in page
    assert '<a href="https://example.com" title="The Title">a link</a>' in page
    assert page.count('class="quote') == 1


@pytest.mark.parametrize("target", ["javascript:alert(1)", "JavaScript:alert(1)", "vbscript:x", "data:text/html,hi",
                                    "data:image/png;base64,AAAA", "file:///etc/passwd", "java%09script:alert(1)",
                                    "java&#x09;script:alert(1)", " javascript:alert(1)"])
def test_only_http_mailto_and_relative_urls_reach_href_and_src(tmp_path, target):
    text = f"Text first.\n\n[link]({target}) ![img]({target}) [ok](https://example.com/a:b) [rel](../x.html)\n"
    site = hostile_site(tmp_path, {"content/w/a.md": text})
    page = build_site(site).files["w/chapter-1.html"].decode("utf-8")
    prose = page[page.index('<div class="prose">'):]
    import re
    urls = re.findall(r'(?:href|src)="([^"]*)"', prose.split("</article>")[0])
    assert urls[:2] == ["https://example.com/a:b", "../x.html"], urls


def test_a_hostile_number_of_warnings_is_summed_up(tmp_path):
    """Per paragraph: the first broken marks with their places, then one line with the count of the rest;
    per file: the first warnings, then a count."""
    site = hostile_site(tmp_path, {"content/w/a.txt": "Title\n\nText.\n\n" + '"' * 5001 + "\n\n" + 'a "b\n\n' * 40})
    code, err = run_cli("build", "--site", str(site))
    assert code == 0
    assert err.count("warning:") <= 20 and "more warnings in this file" in err
    assert "a.txt:5:4: warning: 4996 more broken quote marks in this paragraph" in err


def test_concurrent_builds_into_one_output_never_crash_or_mix(tmp_path):
    import subprocess
    site = hostile_site(tmp_path, STORY)
    procs = [subprocess.Popen([sys.executable, "-m", "sitegen", "build", "--site", str(site)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(6)]
    results = [(p.wait(timeout=120), p.stderr.read()) for p in procs]
    for p in procs:
        p.stdout.close()
        p.stderr.close()
    assert all(code == 0 or (code == 1 and "another sitegen" in err) for code, err in results), results
    assert any(code == 0 for code, _ in results)
    assert (site / "public" / "w" / "chapter-1.html").is_file() and leftovers(site) == []


@pytest.mark.parametrize("key", ["published", "updated"])
def test_a_date_that_is_not_a_date_is_shown_not_a_crash(tmp_path, key):
    """work.toml dates may be any text (shown as written); the EPUB then takes a fixed date (the attack's
    payloads in `published` made every build an internal error)."""
    site = make_site(tmp_path, {"content/w/a.txt": "Title\n\nText.\n",
                                "content/w/work.toml": f'{key} = "<b>in the spring</b>"\n'})
    files = build_site(site).files
    assert any(name.endswith(".epub") for name in files)
    assert "&lt;b&gt;in the spring&lt;/b&gt;" in files["w/index.html"].decode("utf-8")
