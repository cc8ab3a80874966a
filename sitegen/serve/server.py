"""The HTTP server: serves the last good build from memory, plus /__sitegen/events (SSE) and /__sitegen/status."""
from __future__ import annotations

import json
import queue
import socket
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

from ..deferred import resolved
from . import paths, reload

if TYPE_CHECKING:
    from .app import DevServer

PREFIX = "/__sitegen/"
_GONE = (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, TimeoutError)


class DevHTTPServer(ThreadingHTTPServer):
    """A ThreadingHTTPServer that knows its DevServer and stays quiet about clients that hang up."""
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], app: "DevServer"):
        self.app = app
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, Handler)

    def handle_error(self, request, client_address) -> None:
        if isinstance(sys.exc_info()[1], _GONE):
            return
        super().handle_error(request, client_address)


class Handler(BaseHTTPRequestHandler):
    """GET/HEAD only; every file comes from the current Snapshot, never from the disk."""
    server: DevHTTPServer
    server_version = "sitegen-serve"

    def do_GET(self) -> None:
        try:
            self._route(send_body=True)
        except _GONE:
            pass

    def do_HEAD(self) -> None:
        try:
            self._route(send_body=False)
        except _GONE:
            pass

    def log_message(self, format: str, *args) -> None:  # one line per rebuild is enough
        pass

    def _route(self, send_body: bool) -> None:
        path = urlsplit(self.path).path if self.path.startswith("/") else self.path
        if path == PREFIX + "events":
            return self._events()
        if path == PREFIX + "status":
            body = json.dumps(self.server.app.status(), indent=2).encode("utf-8")
            return self._send(200, body, "application/json; charset=utf-8", send_body)
        if path.startswith(PREFIX):
            return self._not_found(None, send_body)
        self._file(send_body)

    def _file(self, send_body: bool) -> None:
        app = self.server.app
        snap = app.state.snapshot
        status, key = paths.resolve(self.path, snap.files)
        if status == "redirect":
            self.send_response(302)
            self.send_header("Location", key)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if status == "missing":
            return self._not_found(key, send_body)
        try:
            body = resolved(snap.files[key])         # a deferred page is made on its first request
        except Exception as exc:                     # e.g. a template that fails on this work's data
            message = f"sitegen could not make {key}: {exc}\nSave a fix and reload.\n"
            return self._send(500, message.encode("utf-8"), "text/plain; charset=utf-8", send_body)
        if paths.is_html(key):
            body = reload.inject(body, page=key, epoch=snap.epoch, boot=app.boot, failure=snap.failure)
        self._send(200, body, paths.content_type(key), send_body)

    def _not_found(self, key: str | None, send_body: bool) -> None:
        """404. A safe but missing page still gets the dev script, so it appears once built."""
        body = b"404 not found\n"
        ctype = "text/plain; charset=utf-8"
        if key is not None:
            app, snap = self.server.app, self.server.app.state.snapshot
            page = (b"<!doctype html><meta charset=utf-8><title>Not found</title><body>"
                    b"<h1>Not found</h1><p>No page is built at this address. "
                    b'<a href="/">Go to the home page</a>.</p></body>')
            body = reload.inject(page, page=key, epoch=snap.epoch, boot=app.boot, failure=snap.failure)
            ctype = "text/html; charset=utf-8"
        self._send(404, body, ctype, send_body)

    def _send(self, code: int, body: bytes, ctype: str, send_body: bool) -> None:
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def _events(self) -> None:
        """A Server-Sent Events stream: what changed since the page's epoch, then every build."""
        app = self.server.app
        query = parse_qs(urlsplit(self.path).query)
        try:
            since = int(query.get("epoch", ["0"])[0])
        except ValueError:
            since = 0
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        q = app.broadcaster.subscribe()
        try:
            self.wfile.write(b"retry: 500\n\n" + app.catch_up(since))
            self.wfile.flush()
            self._stream(q)
        finally:
            app.broadcaster.unsubscribe(q)

    def _stream(self, q: "queue.Queue[bytes | None]") -> None:
        while True:
            try:
                message = q.get(timeout=reload.KEEPALIVE_SECONDS)
            except queue.Empty:
                message = b": keepalive\n\n"
            if message is None:
                return
            self.wfile.write(message)
            self.wfile.flush()
