"""`sitegen serve`: build the site, serve it on localhost, rebuild on every save and live-reload the browser.

Design after MkDocs' livereload: the server knows only a builder callable;
a debounced watcher hands it batches of classified changes; only a build
that succeeds publishes a new epoch, and a failed one keeps the last good
site and shows the error as an overlay.
"""
from __future__ import annotations

import errno
import signal
import sys
import threading
import webbrowser
from pathlib import Path

from .app import Builder, DevServer
from .changes import Change

__all__ = ["serve", "DevServer", "Change", "Builder"]


def serve(site_dir: Path, *, host: str = "127.0.0.1", port: int = 8000, open_browser: bool = False,
          theme: str | None = None, builder: Builder | None = None) -> int:
    """Serve `site_dir` until Ctrl-C; returns the exit code (0 on Ctrl-C, 1 if it cannot listen)."""
    site_dir = Path(site_dir)
    if not site_dir.is_dir():
        print(f"error: {site_dir} is not a folder\n  hint: run sitegen serve inside your site folder, "
              "the one holding content/", file=sys.stderr)
        return 1
    app = None
    try:                                  # one try around it all: Ctrl-C at any moment stops cleanly with 0
        app = _make_app(site_dir, host, port, theme, builder)
        _stop_on_sigterm()
        print(f"Building {site_dir.resolve()} ...", flush=True)
        try:
            app.start()
        except OSError as e:
            print(_listen_error(e, host, port), file=sys.stderr)
            return 1
        print(f"Serving {site_dir.resolve()} at {app.url}  (Ctrl-C to stop)", flush=True)
        if host not in ("127.0.0.1", "localhost", "::1"):
            print(f"warning: --host {host} lets other machines on the network see the site; "
                  "the default 127.0.0.1 keeps it to this computer", flush=True)
        if open_browser:
            threading.Thread(target=webbrowser.open, args=(app.url,), daemon=True).start()
        app.wait()
    except KeyboardInterrupt:
        _say_quietly("\nStopping.")
    finally:
        if app is not None:
            _stop_quietly(app)
    return 0


def _say_quietly(message: str) -> None:
    try:
        print(message, flush=True)
    except KeyboardInterrupt:             # a second Ctrl-C: stop sooner, still without a traceback
        pass


def _listen_error(e: OSError, host: str, port: int) -> str:
    if e.errno == errno.EADDRINUSE:
        hint = "another program (maybe another sitegen serve) uses that port; try --port 8001"
    elif e.errno == errno.EACCES:
        hint = "ports below 1024 need root; use a port like 8000"
    else:
        hint = "check --host: use 127.0.0.1 (this computer only) or an address of this machine"
    return f"error: cannot listen on {host}:{port}: {e.strerror or e}\n  hint: {hint}"


def _stop_on_sigterm() -> None:
    """`kill` (SIGTERM) stops as cleanly as Ctrl-C does; so does Ctrl-C (SIGINT) even when the
    shell that started the server in the background (`sitegen serve &`) had it ignored."""
    def interrupt(signum, frame):
        raise KeyboardInterrupt
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, interrupt)
        signal.signal(signal.SIGINT, signal.default_int_handler)


def _stop_quietly(app: DevServer) -> None:
    """Stop; a second Ctrl-C while stopping just ends sooner, without a traceback."""
    try:
        app.stop()
    except KeyboardInterrupt:
        pass


def _make_app(site_dir: Path, host: str, port: int, theme: str | None,
              builder: Builder | None) -> DevServer:
    """A DevServer over sitegen.build (writing public/ too), or over the given builder alone."""
    if builder is not None:
        return DevServer(site_dir, builder, host=host, port=port)
    from .builder import SiteBuilder
    site = SiteBuilder(site_dir, theme)
    return DevServer(site_dir, site, host=host, port=port, writer=site.write,
                     output_dir=site.output_dir)
