"""DevServer: ties a builder callable, the debounced watcher, the published state and the HTTP server together."""
from __future__ import annotations

import secrets
import threading
import time
import traceback
from pathlib import Path
from typing import Any, Callable

from . import reload
from .changes import Change, describe
from .failures import describe_failure
from .server import DevHTTPServer
from .state import SiteState
from .watch import Watcher

MAX_WARNINGS_SHOWN = 10
Builder = Callable[[frozenset[Change]], Any]      # -> an object with .files and .diagnostics


class DevServer:
    """Build, serve, watch, rebuild. Knows nothing of how a site is built: only `builder(changes)`.

    A good build publishes a new epoch and tells the pages what changed; a
    failed build keeps the last good files and publishes the failure instead.
    """

    def __init__(self, site_dir: Path, builder: Builder, *, host: str = "127.0.0.1", port: int = 0,
                 writer: Callable[[Any], None] | None = None,
                 output_dir: Callable[[], Path | None] = lambda: None,
                 debounce: float = 0.03, log: Callable[[str], None] = print):
        self.site_dir = Path(site_dir).resolve()
        self.builder, self.log = builder, log
        self.host, self._port = host, port
        self.state = SiteState()
        self.broadcaster = reload.Broadcaster()
        self.boot = secrets.token_hex(6)
        self._writer_fn, self._writer = writer, None
        self._warnings: tuple[str, ...] = ()
        self._httpd: DevHTTPServer | None = None
        self._serving: threading.Thread | None = None
        self._stopped = threading.Event()
        self.watcher = Watcher(self.site_dir, self.rebuild, debounce=debounce, output_dir=output_dir)

    # -- life cycle -------------------------------------------------------------
    def start(self) -> "DevServer":
        """Build once, then listen and watch. Raises OSError if the address is taken.

        A builder with a kept output (`kept()`, the last `sitegen build`'s) has it served
        while the first build runs; the build then replaces it and reloads what changed."""
        self._httpd = DevHTTPServer((self.host, self._port), self)
        if self._writer_fn is not None:
            from .builder import OutputWriter
            self._writer = OutputWriter(self._writer_fn, self._say)
        if self._publish_kept():
            self._serve()
            self.rebuild(frozenset())
        else:
            self.rebuild(frozenset())
            self._serve()
        self.watcher.start()
        return self

    def _serve(self) -> None:
        self._serving = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.2},
                                         name="sitegen-http", daemon=True)
        self._serving.start()

    def _publish_kept(self) -> bool:
        """Publish the builder's kept output, if it has one (never raises: a bad cache is only no head start)."""
        kept = getattr(self.builder, "kept", None)
        try:
            result = kept() if kept is not None else None
        except Exception:
            return False
        if result is None:
            return False
        self.state.publish(dict(result.files), tuple(str(d) for d in result.diagnostics), 0.0)
        where = getattr(result, "kept_in", ".sitegen-cache/")
        self._say(f"serving the last build, kept in {where}, at {self.url} while this one runs")
        return True

    def stop(self) -> None:
        """Stop watching, end the event streams, close the socket, finish writing the output."""
        if self._stopped.is_set():
            return
        self._stopped.set()
        self.watcher.stop()
        self.broadcaster.close()
        if self._httpd is not None:
            if self._serving is not None:      # shutdown() would wait forever for a loop never started
                self._httpd.shutdown()
            self._httpd.server_close()
        if self._writer is not None:
            self._writer.stop()

    def wait(self) -> None:
        """Block until stop() (Ctrl-C still reaches the main thread)."""
        while not self._stopped.wait(0.5):
            pass

    def __enter__(self) -> "DevServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def writes_output(self) -> bool:
        """True when good builds are also written to the output folder (public/)."""
        return self._writer_fn is not None

    @property
    def port(self) -> int:
        return self._httpd.server_address[1] if self._httpd else self._port

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/"

    # -- building ---------------------------------------------------------------
    def rebuild(self, changes: frozenset[Change]) -> None:
        """Run the builder once for a batch of changes and publish the outcome. Never raises."""
        started = time.perf_counter()
        try:
            result = self.builder(changes)
            files = dict(result.files)
            warnings = tuple(str(d) for d in getattr(result, "diagnostics", ()))
        except Exception as exc:
            self._publish_failure(exc, changes)
            return
        seconds = time.perf_counter() - started
        snap, changed = self.state.publish(files, warnings, seconds)
        self.broadcaster.send("build", {"epoch": snap.epoch, "changed": sorted(changed)})
        self._report_build(changes, changed, warnings, seconds)
        if self._writer is not None:
            self._writer.submit(result)

    def _publish_failure(self, exc: Exception, changes: frozenset[Change]) -> None:
        failure, is_bug = describe_failure(exc, self.site_dir)
        self.state.fail(failure)
        self.broadcaster.send("failure", failure.as_json())
        self._say(f"build failed after {describe(changes)}; still serving the last good build:\n"
                  f"{failure.text}")
        if is_bug:
            traceback.print_exception(exc)

    def _report_build(self, changes, changed, warnings, seconds) -> None:
        pages = sum(1 for p in changed if p.endswith((".html", ".htm")))
        others = len(changed) - pages
        what = f"{_count(pages, 'page')} changed" + (f", {_count(others, 'other file')}" if others else "")
        self._say(f"built in {seconds * 1000:.0f} ms ({describe(changes)}): {what}, "
                  f"{_count(len(warnings), 'warning')}")
        new = sorted(set(warnings) - set(self._warnings))
        for w in new[:MAX_WARNINGS_SHOWN]:
            self.log(f"  {w}")
        if len(new) > MAX_WARNINGS_SHOWN:
            self.log(f"  ... and {len(new) - MAX_WARNINGS_SHOWN} more new warnings "
                     f"(all of them: {self.url}__sitegen/status, or run `sitegen check`)")
        self._warnings = warnings

    def _say(self, message: str) -> None:
        self.log(f"[{time.strftime('%H:%M:%S')}] {message}")

    # -- what the HTTP side asks --------------------------------------------------
    def status(self) -> dict:
        snap = self.state.snapshot
        return {"epoch": snap.epoch, "ok": snap.failure is None,
                "failure": snap.failure.as_json() if snap.failure else None,
                "files": len(snap.files), "warnings": list(snap.warnings),
                "build_ms": round(snap.build_seconds * 1000, 1),
                "clients": self.broadcaster.client_count}

    def catch_up(self, since: int) -> bytes:
        """The SSE messages a page built at epoch `since` needs on connecting."""
        snap = self.state.snapshot
        changed = self.state.changed_since(since)
        out = b""
        if changed is None:
            out += reload.sse_message("build", {"epoch": snap.epoch, "changed": [], "reload_all": True})
        elif changed:
            out += reload.sse_message("build", {"epoch": snap.epoch, "changed": sorted(changed)})
        failure = snap.failure.as_json() if snap.failure else None
        return out + reload.sse_message("state", {"epoch": snap.epoch, "boot": self.boot,
                                                  "failure": failure})


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' * (n != 1)}"
