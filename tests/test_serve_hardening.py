"""sitegen serve under attack (issue #16): Host check, idle timeouts, bounded threads, prompt SSE counts, Ctrl-C."""
from __future__ import annotations

import http.client
import socket
import sys
import threading
import time
from pathlib import Path

import pytest

from sitegen.serve import DevServer
from sitegen.serve import server as server_module

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "serve"
sys.path.insert(0, str(FIXTURES))
import fakesite  # noqa: E402
from fakesite import status, wait_for  # noqa: E402


def get_as(port: int, host_header: str, path: str = "/") -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.putrequest("GET", path, skip_host=True)
        conn.putheader("Host", host_header)
        conn.endheaders()
        return conn.getresponse().status
    finally:
        conn.close()


@pytest.fixture
def app(tmp_path):
    site = fakesite.make_site(tmp_path / "site")
    with DevServer(site, fakesite.fake_builder(site), port=0, log=lambda m: None) as app:
        yield app


@pytest.mark.parametrize("host, ok", [("127.0.0.1:{port}", True), ("localhost:{port}", True), ("localhost", True),
                                      ("[::1]:{port}", True), ("evil.example:{port}", False),
                                      ("127.0.0.1.evil.example", False), ("", False), ("localhost.:{port}", False)])
def test_only_the_bound_host_names_are_answered(app, host, ok):
    """A DNS-rebinding page sends its own domain name as Host: it must not read drafts or the status."""
    for path in ("/", "/__sitegen/status"):
        code = get_as(app.port, host.format(port=app.port), path)
        assert (code == 200) == ok and (ok or code == 421), (host, path, code)


def test_host_names_for_a_wildcard_bind_are_addresses_and_this_machine():
    host_allowed, allowed_hosts = server_module.host_allowed, server_module.allowed_hosts
    anywhere = allowed_hosts("0.0.0.0")
    assert host_allowed("192.168.1.20:8000", anywhere) and host_allowed(f"{socket.gethostname()}:8000", anywhere)
    assert not host_allowed("evil.example", anywhere)
    assert host_allowed("[fe80::1]:8000", anywhere)
    assert host_allowed("myhost.lan:8000", allowed_hosts("myhost.lan"))


def test_idle_connections_are_closed(app, monkeypatch):
    assert 0 < (server_module.Handler.timeout or 0) <= 30          # the real server's idle limit
    monkeypatch.setattr(server_module.Handler, "timeout", 0.5)
    with socket.create_connection(("127.0.0.1", app.port)) as s:
        s.settimeout(10)
        started = time.monotonic()
        assert s.recv(100) == b""                          # closed by the server, not by our timeout
        assert time.monotonic() - started < 9


def test_handler_threads_are_bounded(tmp_path, monkeypatch):
    monkeypatch.setattr(server_module, "MAX_CONNECTIONS", 4)
    monkeypatch.setattr(server_module.Handler, "timeout", 1.0)
    site = fakesite.make_site(tmp_path / "site")
    def handlers() -> int:
        return sum(1 for t in threading.enumerate() if "process_request_thread" in t.name)
    with DevServer(site, fakesite.fake_builder(site), port=0, log=lambda m: None) as app:
        idle = [socket.create_connection(("127.0.0.1", app.port)) for _ in range(20)]
        try:
            time.sleep(0.3)
            assert handlers() <= 4
            assert get_as(app.port, f"127.0.0.1:{app.port}") == 200  # served once idle ones time out
        finally:
            for s in idle:
                s.close()


def test_the_reload_client_count_follows_disconnects_promptly(app):
    s = socket.create_connection(("127.0.0.1", app.port))
    s.sendall(f"GET /__sitegen/events?epoch=0 HTTP/1.1\r\nHost: 127.0.0.1:{app.port}\r\n\r\n".encode())
    wait_for(lambda: status(app.port)["clients"] == 1)
    s.close()
    wait_for(lambda: status(app.port)["clients"] == 0, timeout=3)


@pytest.mark.parametrize("moment", ["Building", "Serving", "warning"])
def test_ctrl_c_at_any_moment_after_start_exits_0(tmp_path, monkeypatch, moment):
    """The old Ctrl-C test failed 1 run in 4: a Ctrl-C landing between printing the URL and waiting
    escaped serve() (exit 130, or killed by SIGINT). Here the Ctrl-C lands exactly there."""
    import builtins
    from sitegen.serve import serve
    site = fakesite.make_site(tmp_path / "site")
    real_print, stopped = builtins.print, []

    def interrupting_print(*args, **kwargs):
        if args and str(args[0]).startswith(moment):
            raise KeyboardInterrupt
        real_print(*args, **kwargs)
    import sitegen.serve as serve_module
    monkeypatch.setattr(serve_module, "_stop_on_sigterm", lambda: None)     # leave pytest's SIGTERM alone
    monkeypatch.setattr(builtins, "print", interrupting_print)
    monkeypatch.setattr(DevServer, "stop", lambda self, real=DevServer.stop: (stopped.append(1), real(self)))
    try:
        code = serve(site, host="0.0.0.0" if moment == "warning" else "127.0.0.1", port=0,
                     builder=fakesite.fake_builder(site))
    except KeyboardInterrupt:
        pytest.fail(f"a Ctrl-C at {moment!r} escaped serve(): exit 130, or killed by SIGINT")
    assert code == 0 and stopped


# -- the dev server's builder (from issue #10) --------------------------------------------------------
def test_a_template_edit_does_not_leak_the_old_environment(tmp_path):
    import gc
    import weakref
    from sitegen.serve.builder import SiteBuilder
    site = fakesite.make_site(tmp_path / "site")
    (site / "content" / "w").mkdir(parents=True, exist_ok=True)
    (site / "content" / "w" / "a.txt").write_text("Title\n\nText.\n", encoding="utf-8")
    (site / "templates").mkdir(exist_ok=True)
    (site / "templates" / "index.html").write_text("ONE {{ site.title }}", encoding="utf-8")
    builder = SiteBuilder(site)
    builder(frozenset())
    old = weakref.ref(builder.cache.environment[1])
    (site / "templates" / "index.html").write_text("TWO {{ site.title }} and more", encoding="utf-8")
    builder(frozenset())
    gc.collect()
    assert old() is None, "the replaced template Environment was never collected (gc.freeze)"


def test_cycles_left_by_rebuilds_are_collected_within_collect_every_builds(tmp_path, monkeypatch):
    """The builder freezes what is alive after each build (the collector then never walks the cache
    on a save's path); garbage with cycles frozen that way is collected every COLLECT_EVERY builds."""
    import gc
    import weakref
    from sitegen.serve import builder as builder_module
    monkeypatch.setattr(builder_module, "COLLECT_EVERY", 3)
    site = fakesite.make_site(tmp_path / "site")
    (site / "content" / "w").mkdir(parents=True, exist_ok=True)
    (site / "content" / "w" / "a.txt").write_text("Title\n\nText.\n", encoding="utf-8")
    builder = builder_module.SiteBuilder(site)

    class Node:
        pass
    node = Node()
    node.me = node                              # a cycle: only the cyclic collector frees it
    gone = weakref.ref(node)
    builder(frozenset())                        # frozen with everything else alive after this build
    del node
    gc.collect()                                # (a collection now skips frozen objects)
    assert gone() is not None and gc.get_freeze_count() > 0
    for _ in range(3):
        builder(frozenset())
    assert gone() is None, "a cycle frozen after a build was never collected"


def test_the_output_writer_makes_deferred_pages_only_while_no_build_runs(tmp_path):
    """public/ is written between saves; its deferred pages (the indexes, the timeline, the EPUB) are
    made only while no build runs, so a save's build never shares the interpreter with all of them."""
    import threading
    from sitegen.render.deferred import Deferred
    from sitegen.serve.builder import SiteBuilder
    site = fakesite.make_site(tmp_path / "site")
    (site / "content" / "w").mkdir(parents=True, exist_ok=True)
    (site / "content" / "w" / "a.txt").write_text("Title\n\nText.\n", encoding="utf-8")
    builder = SiteBuilder(site)
    builder(frozenset())
    (site / "content" / "w" / "a.txt").write_text("Title\n\nText, and more.\n", encoding="utf-8")
    result = builder(frozenset())                      # the templates proven: changed pages are deferred now
    assert any(isinstance(v, Deferred) for v in result.files.values())
    builder._quiet.clear()                             # as while a build runs
    writing = threading.Thread(target=builder.write, args=(result,), daemon=True)
    writing.start()
    writing.join(0.5)
    assert writing.is_alive() and builder._written is None, "a deferred page was made during a build"
    builder._quiet.set()                               # the build is done
    writing.join(30)
    assert not writing.is_alive() and builder._written is not None
    out = builder.output_dir()
    assert (out / "index.html").is_file() and (out / "w" / "index.html").is_file()


def test_pruning_and_deferred_pages_share_the_caches_lock(tmp_path, monkeypatch):
    """Deferred pages are made on request and writer threads while the builder prunes the cache (a dict
    changing size under a prune's iteration fails the rebuild): both sides hold the cache's lock."""
    from markupsafe import Markup
    from sitegen.build import build_site
    from sitegen.cache import BuildCache
    from sitegen.render.pages import encoded
    site = fakesite.make_site(tmp_path / "site")
    (site / "content" / "w").mkdir(parents=True, exist_ok=True)
    (site / "content" / "w" / "a.txt").write_text("Title\n\nText.\n", encoding="utf-8")
    cache, held = BuildCache(), []
    real_prune = BuildCache._prune
    monkeypatch.setattr(BuildCache, "_prune", lambda c, *a: (held.append(c.lock._is_owned()), real_prune(c, *a)))
    build_site(site, cache=cache, defer=True)
    assert held == [True]

    class Recording:
        entered = 0

        def __enter__(self):
            Recording.entered += 1

        def __exit__(self, *exc):
            pass
    cache.lock = Recording()
    encoded(cache, Markup("new body"))
    assert Recording.entered == 1
