"""sitegen serve: paths, change classification, debouncing, and the real server over a temp site."""
from __future__ import annotations

import importlib.util
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from sitegen.serve import DevServer
from sitegen.serve import changes as ch
from sitegen.serve.paths import content_type, resolve, safe_segments
from sitegen.serve.watch import Watcher

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "serve"
sys.path.insert(0, str(FIXTURES))
import fakesite  # noqa: E402
from fakesite import get, save, status, wait_for  # noqa: E402

HAVE_BUILD = importlib.util.find_spec("sitegen.build") is not None
needs_build = pytest.mark.skipif(not HAVE_BUILD, reason="sitegen/build.py is not written yet")


# -- pure functions -------------------------------------------------------------
@pytest.mark.parametrize("url", [
    "/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/%2E%2E/etc/passwd", "/..%2f..%2fetc%2fpasswd",
    "/static/..%5c..%5cpasswd", "/static\\..\\x", "//etc/passwd", "/./index.html", "/a/./b",
    "etc/passwd", "http://evil.example/etc/passwd", "/a%00b", "/%ff%fe",
])
def test_unsafe_paths_are_refused(url):
    assert safe_segments(url) is None
    assert resolve(url, {"index.html": b"", "etc/passwd": b"x"})[0] == "missing"


def test_directory_urls_map_to_index_html():
    files = {"index.html": b"", "w/index.html": b"", "w/chapter-1.html": b"", "a b.html": b""}
    assert resolve("/", files) == ("file", "index.html")
    assert resolve("/w/", files) == ("file", "w/index.html")
    assert resolve("/w", files) == ("redirect", "/w/")
    assert resolve("/w/chapter-1.html?x=1", files) == ("file", "w/chapter-1.html")
    assert resolve("/w/chapter-1", files) == ("file", "w/chapter-1.html")
    assert resolve("/a%20b.html", files) == ("file", "a b.html")
    assert resolve("/nope/", files) == ("missing", "nope/index.html")


def test_content_types_say_utf8_for_text():
    assert content_type("index.html") == "text/html; charset=utf-8"
    assert content_type("static/style.css") == "text/css; charset=utf-8"
    assert content_type("static/app.js") == "text/javascript; charset=utf-8"
    assert content_type("static/logo.png") == "image/png"
    assert content_type("static/blob") == "application/octet-stream"


@pytest.mark.parametrize("rel, kind", [
    ("content/w/story.txt", ch.CHAPTER), ("content/w/notes.md", ch.CHAPTER),
    ("content/w/work.toml", ch.WORK_CONFIG), ("content/w/cast.toml", ch.WORK_CONFIG),
    ("themes/default/templates/chapter.html", ch.TEMPLATE), ("templates/base.html", ch.TEMPLATE),
    ("themes/default/static/style.css", ch.STATIC), ("static/img/cover.png", ch.STATIC),
    ("themes/dark/theme.toml", ch.OTHER), ("sitegen.toml", ch.SITE_CONFIG),
    ("content/w/.story.txt.swp", None), ("content/w/story.txt~", None), ("content/w/4913", None),
    ("content/w/.#story.txt", None), ("content/w/#story.txt#", None), ("content/w/story.txt.tmp", None),
    ("content/w/sedAb12Cd", None), ("public/index.html", None), ("README.md", None),
    ("sitegen/build.py", None),
])
def test_changes_are_classified(tmp_path, rel, kind):
    change = ch.classify(tmp_path, tmp_path / rel, output_dir=tmp_path / "public")
    assert (change.kind if change else None) == kind
    if kind in (ch.CHAPTER, ch.WORK_CONFIG):
        assert change.work == "w"


def test_an_editor_save_storm_is_one_batch_without_temporaries(tmp_path):
    site = fakesite.make_site(tmp_path)
    story = site / "content" / "w" / "story.txt"
    batches: list[frozenset] = []
    watcher = Watcher(site, batches.append, debounce=0.2)
    watcher.start()
    try:
        time.sleep(0.1)
        _vim_like_save(story, "new text\n")
        wait_for(lambda: batches)
        time.sleep(0.4)
    finally:
        watcher.stop()
    assert batches == [frozenset({ch.Change(ch.CHAPTER, "content/w/story.txt", "w")})]


def _vim_like_save(path: Path, text: str) -> None:
    """What vim (backupcopy=no) and friends do: probe file, swap file, backup rename, write, clean up."""
    probe = path.parent / "4913"
    probe.write_text("")
    probe.unlink()
    swap = path.parent / f".{path.name}.swp"
    swap.write_text("swap")
    backup = path.with_name(path.name + "~")
    path.rename(backup)
    path.write_text(text)
    backup.unlink()
    swap.unlink()


def test_a_finished_save_is_built_without_waiting_out_the_debounce(tmp_path):
    """A file closed after writing is a whole save: the batch comes after the short settle,
    not after the (here very long) debounce that unfinished writes wait for."""
    site = fakesite.make_site(tmp_path)
    story = site / "content" / "w" / "story.txt"
    batches: list[frozenset] = []
    watcher = Watcher(site, batches.append, debounce=30, settle=0.01, max_wait=60)
    watcher.start()
    try:
        time.sleep(0.1)
        story.write_text("new text\n")
        wait_for(lambda: batches, timeout=10)
    finally:
        watcher.stop()
    assert batches == [frozenset({ch.Change(ch.CHAPTER, "content/w/story.txt", "w")})]


def test_an_unfinished_write_waits_for_the_debounce():
    batches = []
    watcher = Watcher(Path("."), batches.append, debounce=30, settle=0.01, max_wait=60)
    watcher._thread.start()
    try:
        watcher.add({ch.Change(ch.CHAPTER, "content/w/a.txt", "w")}, finished=True)
        wait_for(lambda: batches)
        watcher.add({ch.Change(ch.CHAPTER, "content/w/b.txt", "w")}, finished=True)
        watcher.add({ch.Change(ch.CHAPTER, "content/w/c.txt", "w")})        # still being written
        time.sleep(0.5)
        assert len(batches) == 1, "a batch was cut while a file was still being written"
    finally:
        watcher.stop()


def test_the_watcher_batches_direct_adds():
    batches = []
    watcher = Watcher(Path("."), batches.append, debounce=0.05)
    watcher._thread.start()          # no observer needed for add()
    try:
        for i in range(20):
            watcher.add({ch.Change(ch.CHAPTER, f"content/w/{i}.txt", "w")})
        wait_for(lambda: batches)
    finally:
        watcher.stop()
    assert len(batches[0]) == 20


# -- the real server over a temp site -------------------------------------------
@pytest.fixture(params=["fake", pytest.param("real", marks=needs_build)])
def served(request, tmp_path):
    """(DevServer, site folder, log lines) for a running server on a free port."""
    site = fakesite.make_site(tmp_path / "site")
    logs: list[str] = []
    if request.param == "fake":
        app = DevServer(site, fakesite.fake_builder(site), port=0, log=logs.append)
    else:
        from sitegen.serve.builder import SiteBuilder
        if (REPO / "themes").is_dir():
            shutil.copytree(REPO / "themes", site / "themes", dirs_exist_ok=True)
        builder = SiteBuilder(site)
        app = DevServer(site, builder, port=0, log=logs.append, writer=builder.write,
                        output_dir=builder.output_dir)
    with app:
        yield app, site, logs


def page_with(app: DevServer, marker: bytes) -> str:
    failure = app.state.snapshot.failure
    assert failure is None, f"the fixture site does not build: {failure.text}"
    keys = [k for k, v in app.state.snapshot.files.items() if k.endswith(".html") and marker in v]
    assert keys, f"no built page contains {marker!r}"
    return sorted(keys, key=len)[-1]


def test_an_edit_appears_in_the_served_page(served):
    app, site, logs = served
    key = page_with(app, b"MARKER-ONE")
    code, headers, body = get(app.port, "/" + key)
    assert code == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert b"MARKER-ONE" in body and b'id="__sitegen-dev"' in body
    story = site / "content" / "w" / "story.txt"
    save(story, story.read_text().replace("MARKER-ONE", "MARKER-TWO"))
    wait_for(lambda: b"MARKER-TWO" in get(app.port, "/" + key)[2])
    assert any("chapter content/w/story.txt" in line for line in logs)
    if app.writes_output:                              # the real builder also keeps public/ current
        written = site / "public" / key
        wait_for(lambda: written.is_file() and b"MARKER-TWO" in written.read_bytes())
        assert b"__sitegen" not in written.read_bytes()


def test_a_broken_work_toml_keeps_the_old_page_and_the_fix_recovers(served):
    app, site, logs = served
    key = page_with(app, b"MARKER-ONE")
    toml = site / "content" / "w" / "work.toml"
    good = toml.read_text()
    save(toml, 'title = "W\nauthor = [\n')
    failure = wait_for(lambda: status(app.port)["failure"])
    assert "work.toml" in failure["location"] + failure["text"]
    assert failure["hint"]
    code, _, body = get(app.port, "/" + key)
    assert code == 200 and b"MARKER-ONE" in body, "the last good page must still be served"
    assert b'id="__sitegen-overlay"' in body and b"work.toml" in body
    save(toml, good)
    wait_for(lambda: status(app.port)["ok"])
    assert b'id="__sitegen-overlay"' not in get(app.port, "/" + key)[2]
    assert any("build failed" in line for line in logs)


def raw_request(port: int, target: str) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(f"GET {target} HTTP/1.0\r\nHost: localhost\r\n\r\n".encode("latin-1"))
        chunks = []
        while chunk := s.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


@pytest.mark.parametrize("target", [
    "/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/..%2f..%2fetc%2fpasswd",
    "/static/..%2f..%2f..%2fetc/passwd", "/static/%2e%2e/%2e%2e/etc/passwd", "/static\\..\\..\\etc\\passwd",
    "/%5c..%5cetc/passwd", "//etc/passwd", "/content/w/story.txt", "/themes/default/static/style.css",
])
def test_traversal_and_source_files_get_404(served, target):
    app, _, _ = served
    response = raw_request(app.port, target)
    assert response.startswith(b"HTTP/1.0 404"), response[:80]
    assert b"root:" not in response and b"MARKER-ONE" not in response


def test_a_stylesheet_change_sends_only_the_stylesheet(served):
    app, site, _ = served
    css_keys = [k for k in app.state.snapshot.files if k.endswith(".css")]
    css_sources = [p for p in (site / "themes").rglob("*.css")]
    if not css_keys or not css_sources:
        pytest.skip("the theme has no stylesheet")
    with socket.create_connection(("127.0.0.1", app.port), timeout=10) as s:
        epoch = app.state.snapshot.epoch
        s.sendall(f"GET /__sitegen/events?epoch={epoch}&page=index.html HTTP/1.0\r\n\r\n".encode())
        stream = _SSE(s)
        assert stream.next_event()[0] == "state"
        for css in css_sources:
            save(css, css.read_text() + "\n.sitegen-test { color: red; }\n")
        event, data = stream.next_event()
    assert event == "build"
    assert data["changed"] and all(p.endswith(".css") for p in data["changed"]), data


class _SSE:
    def __init__(self, sock: socket.socket):
        self.file = sock.makefile("rb")
        while self.file.readline() not in (b"\r\n", b"\n", b""):
            pass                                    # skip the HTTP headers

    def next_event(self) -> tuple[str, dict]:
        event, data = "", ""
        while True:
            line = self.file.readline().decode().rstrip("\n")
            if line.startswith("event: "):
                event = line[7:]
            elif line.startswith("data: "):
                data = line[6:]
            elif line == "" and event:
                return event, json.loads(data)


def test_status_reports_the_epoch_and_page_count(served):
    app, _, _ = served
    s = status(app.port)
    assert s["ok"] and s["epoch"] == 1 and s["files"] >= 2 and s["failure"] is None


def test_unknown_dev_urls_and_missing_pages_are_404(served):
    app, _, _ = served
    assert get(app.port, "/__sitegen/../index.html")[0] == 404
    code, headers, body = get(app.port, "/no-such-page.html")
    assert code == 404 and b"__sitegen-dev" in body    # reloads once the page exists


# -- failures that are not a user's TOML mistake --------------------------------
def test_an_unexpected_builder_exception_is_an_overlay_and_the_server_lives(tmp_path, capsys):
    site = fakesite.make_site(tmp_path)
    broken = threading.Event()

    def builder(changes):
        if broken.is_set():
            raise KeyError("boom")
        return fakesite.fake_build(site)

    with DevServer(site, builder, port=0, log=lambda m: None) as app:
        broken.set()
        app.rebuild(frozenset())
        failure = status(app.port)["failure"]
        assert failure["title"] == "unexpected error in the builder" and "KeyError" in failure["message"]
        assert "Traceback" not in json.dumps(failure)
        assert get(app.port, "/index.html")[0] == 200
        broken.clear()
        app.rebuild(frozenset())
        assert status(app.port)["ok"]
    assert "Traceback" in capsys.readouterr().err


@pytest.mark.parametrize("template, expect", [
    ("<p>{{ page( }}</p>", "TemplateSyntaxError"),
    ("<p>\n{{ 1 // zero }}</p>", "ZeroDivisionError"),
])
def test_a_template_error_names_the_template_and_line(tmp_path, template, expect):
    import jinja2
    site = fakesite.make_site(tmp_path)
    tpl = site / "themes" / "default" / "templates" / "page.html"
    tpl.write_text(template)

    def builder(changes):
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(tpl.parent)))
        return fakesite.FakeResult({"index.html": env.get_template("page.html").render(zero=0).encode()})

    with DevServer(site, builder, port=0, log=lambda m: None) as app:
        failure = status(app.port)["failure"]
    assert failure["title"] == "a template failed" and expect in failure["message"]
    assert failure["location"].startswith("themes/default/templates/page.html:")


# -- the build output, and the command line -------------------------------------
@needs_build
def test_the_dev_script_is_never_in_sitegen_build_output(tmp_path):
    from sitegen.build import build_site, write_output
    site = fakesite.make_site(tmp_path / "site")
    if (REPO / "themes").is_dir():
        shutil.copytree(REPO / "themes", site / "themes", dirs_exist_ok=True)
    result = build_site(site)
    assert any(k.endswith(".html") for k in result.files)
    for key, data in result.files.items():
        assert b"__sitegen" not in data and b"EventSource" not in data, key
    out = tmp_path / "out"
    write_output(result, out, site)
    for f in out.rglob("*"):
        assert not f.is_file() or b"__sitegen" not in f.read_bytes(), f


def test_ctrl_c_stops_cleanly_with_exit_0(tmp_path):
    site = fakesite.make_site(tmp_path)
    code = ("import sys; from pathlib import Path; sys.path.insert(0, sys.argv[2]); import fakesite; "
            "from sitegen.serve import serve; s = Path(sys.argv[1]); "
            "sys.exit(serve(s, port=0, builder=fakesite.fake_builder(s)))")
    proc = _server_process(code, site)
    try:
        url = _read_url(proc)
        assert url.startswith("http://127.0.0.1:")
        port = int(url.rsplit(":", 1)[1].strip("/"))
        assert get(port, "/")[0] == 200
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()


def test_ctrl_c_stops_a_server_started_with_sigint_ignored(tmp_path):
    """`sitegen serve &` from a script: the shell starts it with SIGINT ignored; Ctrl-C (or kill -INT)
    must still stop it."""
    site = fakesite.make_site(tmp_path)
    code = ("import sys; from pathlib import Path; sys.path.insert(0, sys.argv[2]); import fakesite; "
            "from sitegen.serve import serve; s = Path(sys.argv[1]); "
            "sys.exit(serve(s, port=0, builder=fakesite.fake_builder(s)))")
    proc = _server_process(code, site, ignore_sigint=True)
    try:
        port = int(_read_url(proc).rsplit(":", 1)[1].strip("/"))
        assert get(port, "/")[0] == 200
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()


def _server_process(code: str, site: Path, ignore_sigint: bool = False) -> subprocess.Popen:
    """python -c code SITE FIXTURES, its output readable line by line."""
    ignore = (lambda: signal.signal(signal.SIGINT, signal.SIG_IGN)) if ignore_sigint else None
    return subprocess.Popen([sys.executable, "-c", code, str(site), str(FIXTURES)], cwd=REPO,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"}, preexec_fn=ignore)


def _read_url(proc: subprocess.Popen) -> str:
    for line in proc.stdout:
        if " at http://" in line:
            return line.split(" at ", 1)[1].split()[0]
    raise AssertionError(f"the server never printed its URL (exit {proc.wait()})")


def test_a_taken_port_is_an_error_with_a_hint(tmp_path, capsys):
    from sitegen.serve import serve
    site = fakesite.make_site(tmp_path)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        assert serve(site, port=s.getsockname()[1], builder=fakesite.fake_builder(site)) == 1
    assert "--port" in capsys.readouterr().err


def test_ctrl_c_during_the_first_build_stops_cleanly(tmp_path):
    site = fakesite.make_site(tmp_path)
    code = ("import sys, time; from pathlib import Path; sys.path.insert(0, sys.argv[2]); import fakesite; "
            "from sitegen.serve import serve; s = Path(sys.argv[1]); "
            "slow = lambda changes: (print('building', flush=True), time.sleep(30)); "
            "sys.exit(serve(s, port=0, builder=slow))")
    proc = _server_process(code, site)
    try:
        for line in proc.stdout:
            if line.startswith("building"):
                break
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=10) == 0
        assert "Traceback" not in proc.stdout.read()
    finally:
        if proc.poll() is None:
            proc.kill()


@needs_build
def test_a_broken_theme_template_is_an_overlay_naming_it_and_the_fix_recovers(tmp_path):
    from sitegen.serve.builder import SiteBuilder
    site = fakesite.make_site(tmp_path / "site")
    shutil.copytree(REPO / "themes", site / "themes", dirs_exist_ok=True)
    template = site / "themes" / "default" / "templates" / "chapter.html"
    good = template.read_text()
    with DevServer(site, SiteBuilder(site), port=0, log=lambda m: None) as app:
        key = page_with(app, b"MARKER-ONE")
        save(template, good + "\n{% if %}\n")
        failure = wait_for(lambda: status(app.port)["failure"])
        assert "chapter.html" in failure["location"] + failure["text"]
        assert get(app.port, "/" + key)[0] == 200
        assert "{% block title %}" in good
        save(template, good.replace("{% block title %}", "{% block title %}TEMPLATE-EDIT "))
        wait_for(lambda: status(app.port)["ok"])
        wait_for(lambda: b"TEMPLATE-EDIT" in get(app.port, "/" + key)[2])


@needs_build
def test_the_default_builder_skips_nothing_after_a_site_config_change(tmp_path):
    from sitegen.serve.builder import SiteBuilder
    site = fakesite.make_site(tmp_path / "site")
    shutil.copytree(REPO / "themes", site / "themes", dirs_exist_ok=True)
    builder = SiteBuilder(site)
    first = builder(frozenset())
    cache = builder.cache
    builder(frozenset({ch.Change(ch.CHAPTER, "content/w/story.txt", "w")}))
    assert builder.cache is cache, "a chapter edit keeps the cache"
    (site / "sitegen.toml").write_text('title = "Renamed"\n')
    again = builder(frozenset({ch.Change(ch.SITE_CONFIG, "sitegen.toml")}))
    assert builder.cache is not cache and again.files["index.html"] != first.files["index.html"]
    assert builder.output_dir() == site / "public"


def test_the_rebuild_line_counts_pages_and_warnings_and_caps_the_list(tmp_path):
    site = fakesite.make_site(tmp_path)
    warnings = tuple(f"content/w/story.txt:{i}:1: warning: number {i}" for i in range(15))

    def builder(changes):
        return fakesite.FakeResult(fakesite.fake_build(site).files, warnings)

    logs: list[str] = []
    with DevServer(site, builder, port=0, log=logs.append):
        pass
    assert "(initial build): 2 pages changed, 1 other file, 15 warnings" in logs[0]
    assert sum(line.startswith("  content/") for line in logs) == 10
    assert "5 more new warnings" in logs[-1]



def held_builder(site):
    """A SiteBuilder whose builds wait for `release` (set `started` first): the tests look at the
    dev server while its first build runs."""
    from sitegen.serve.builder import SiteBuilder
    release, started = threading.Event(), threading.Event()

    class HeldBuilder(SiteBuilder):
        def __call__(self, changes):
            started.set()
            assert release.wait(30)
            return super().__call__(changes)
    return HeldBuilder(site), release, started

@needs_build
def test_the_output_kept_by_sitegen_build_is_served_while_the_first_build_runs(tmp_path, monkeypatch):
    """With a .sitegen-cache/ from `sitegen build`, the dev server answers with that output before its
    own first build is done (which starts from the kept BuildCache: a text file analysed by
    `sitegen build` is not analysed again), then serves the fresh build."""
    from sitegen.build import build
    from sitegen import build as pipeline
    site = fakesite.make_site(tmp_path / "site")
    shutil.copytree(REPO / "themes", site / "themes", dirs_exist_ok=True)
    build(site, keep=True)
    toml = site / "content" / "w" / "work.toml"
    toml.write_text(toml.read_text().replace('"W"', '"MARKER-TWO"'), encoding="utf-8")
    analysed = []
    real = pipeline.analyse_file
    monkeypatch.setattr(pipeline, "analyse_file", lambda *a, **k: analysed.append(a) or real(*a, **k))
    builder, release, started = held_builder(site)
    app = DevServer(site, builder, port=0, log=lambda m: None)
    starting = threading.Thread(target=app.start, daemon=True)
    starting.start()
    try:
        assert started.wait(30)
        key = page_with(app, b"MARKER-ONE")               # the kept output, served during the build
        assert get(app.port, "/" + key)[0] == 200
        release.set()
        starting.join(60)
        wait_for(lambda: b"MARKER-TWO" in get(app.port, "/" + key)[2])
        assert not analysed, "the first build starts from the kept BuildCache"
    finally:
        release.set()
        starting.join(60)
        app.stop()


@needs_build
def test_without_a_cache_the_output_folder_sitegen_wrote_is_served_while_the_first_build_runs(tmp_path):
    """`sitegen build --no-cache` (or a deleted .sitegen-cache/) leaves public/: the dev server answers
    from it before its own first build is done, then serves the fresh build. A folder sitegen did not
    make (no marker) is never served."""
    from sitegen.build import build
    from sitegen.output import MARKER
    from sitegen.serve.builder import SiteBuilder
    site = fakesite.make_site(tmp_path / "site")
    shutil.copytree(REPO / "themes", site / "themes", dirs_exist_ok=True)
    build(site)
    assert not (site / ".sitegen-cache").exists()
    toml = site / "content" / "w" / "work.toml"
    toml.write_text(toml.read_text().replace('"W"', '"MARKER-TWO"'), encoding="utf-8")
    builder, release, started = held_builder(site)
    kept = builder.kept()
    assert kept is not None and MARKER not in kept.files and "index.html" in kept.files
    app = DevServer(site, builder, port=0, log=lambda m: None)
    starting = threading.Thread(target=app.start, daemon=True)
    starting.start()
    try:
        assert started.wait(30)
        key = page_with(app, b"MARKER-ONE")               # the output folder's page, served during the build
        release.set()
        starting.join(60)
        wait_for(lambda: b"MARKER-TWO" in get(app.port, "/" + key)[2])
    finally:
        release.set()
        starting.join(60)
        app.stop()
    (site / "public" / MARKER).unlink()
    assert SiteBuilder(site).kept() is None, "a folder without sitegen's marker was taken for its output"


@needs_build
def test_without_a_kept_build_the_server_listens_only_after_its_first_build(tmp_path):
    from sitegen.serve.builder import SiteBuilder
    site = fakesite.make_site(tmp_path / "site")
    shutil.copytree(REPO / "themes", site / "themes", dirs_exist_ok=True)
    builder = SiteBuilder(site)
    assert builder.kept() is None
    (site / ".sitegen-cache").mkdir()
    (site / ".sitegen-cache" / "build.pickle").write_bytes(b"not a cache")
    assert builder.kept() is None
    with DevServer(site, builder, port=0, log=lambda m: None) as app:
        assert app.state.snapshot.epoch == 1 and page_with(app, b"MARKER-ONE")
