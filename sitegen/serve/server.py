"""The HTTP server: serves the last good build from memory, plus /__sitegen/events (SSE) and /__sitegen/status."""
from __future__ import annotations

import ipaddress
import json
import queue
import select
import socket
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from ..render.deferred import resolved
from . import paths, reload

PREFIX = "/__sitegen/"
_GONE = (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, TimeoutError)


MAX_CONNECTIONS = 128          # handler threads at once; more connections wait in the listen queue
IDLE_SECONDS = 10              # a connection that sends nothing (or reads nothing) for this long is closed
LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1"}


class DevHTTPServer(ThreadingHTTPServer):
    """A ThreadingHTTPServer that knows its DevServer, bounds its threads and stays quiet about hang-ups."""
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128       # the default 5 drops connections under a burst (1 s stalls for retries)

    def __init__(self, address: tuple[str, int], app):       # app: the DevServer (app.py) that made it
        self.app = app
        self.host_names = allowed_hosts(address[0])
        self._slots = threading.BoundedSemaphore(MAX_CONNECTIONS)
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, Handler)

    def process_request(self, request, client_address) -> None:
        """A thread per connection, at most MAX_CONNECTIONS at once (the next waits for a free one)."""
        while not self._slots.acquire(timeout=0.5):
            if getattr(self, "_BaseServer__shutdown_request", False):
                self.shutdown_request(request)
                return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def process_request_thread(self, request, client_address) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

    def handle_error(self, request, client_address) -> None:
        if isinstance(sys.exc_info()[1], _GONE):
            return
        super().handle_error(request, client_address)


def allowed_hosts(bound: str) -> frozenset[str] | None:
    """The Host header names this server answers to: loopback names and the address it is bound to
    (None: bound to every address, so any IP address or this machine's name)."""
    if bound in ("", "0.0.0.0", "::"):
        return None
    return frozenset(LOOPBACK_NAMES | {bound.lower().strip("[]")})


def host_name(header: str) -> str:
    """The name in a Host header, without its port: "[::1]:8000" -> "::1", "localhost:8000" -> "localhost"."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:header.find("]")] if "]" in header else header
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


def host_allowed(header: str | None, allowed: frozenset[str] | None) -> bool:
    """False for a Host header a DNS-rebinding page would send (its own domain name, resolving to us).
    No header at all (an HTTP/1.0 tool; a browser always sends one) is allowed."""
    if header is None:
        return True
    if not header.strip():
        return False
    name = host_name(header)
    if allowed is None:
        try:
            ipaddress.ip_address(name)
            return True
        except ValueError:
            return name in LOOPBACK_NAMES or name == socket.gethostname().lower()
    return name in allowed


class Handler(BaseHTTPRequestHandler):
    """GET/HEAD only; every file comes from the current Snapshot, never from the disk."""
    server: DevHTTPServer
    server_version = "sitegen-serve"
    timeout = IDLE_SECONDS

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
        if not host_allowed(self.headers.get("Host"), self.server.host_names):
            body = (b"421 this server answers only to the address it was started on "
                    b"(http://127.0.0.1:PORT/ or http://localhost:PORT/)\n")
            return self._send(421, body, "text/plain; charset=utf-8", send_body)
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
        waited = 0.0
        while True:
            try:
                message = q.get(timeout=0.5)
            except queue.Empty:
                if self._hung_up():          # notice a closed tab at once, not at the next keepalive
                    return
                waited += 0.5
                if waited < reload.KEEPALIVE_SECONDS:
                    continue
                message = b": keepalive\n\n"
            if message is None:
                return
            waited = 0.0
            self.wfile.write(message)
            self.wfile.flush()

    def _hung_up(self) -> bool:
        """True when the client closed its end (the socket reads as ended, or fails)."""
        try:
            readable, _, _ = select.select([self.connection], [], [], 0)
            return bool(readable) and self.connection.recv(1, socket.MSG_PEEK) == b""
        except (OSError, ValueError):
            return True
