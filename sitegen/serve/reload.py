"""The dev script injected into served HTML, the error overlay, and the Server-Sent Events broadcaster."""
from __future__ import annotations

import html
import json
import queue
import threading
from importlib import resources

from .state import BuildFailure

SCRIPT_ID = "__sitegen-dev"
OVERLAY_ID = "__sitegen-overlay"
DEV_SCRIPT = resources.files(__package__).joinpath("devscript.js").read_text(encoding="utf-8")
KEEPALIVE_SECONDS = 15.0


def dev_tag(page: str, epoch: int, boot: str) -> str:
    """The <script> element carrying the dev script and what the page was built from."""
    attrs = (f'id="{SCRIPT_ID}" data-page="{html.escape(page)}" data-epoch="{epoch}" '
             f'data-boot="{html.escape(boot)}"')
    return f"<script {attrs}>\n{DEV_SCRIPT}</script>"


def overlay_html(failure: BuildFailure) -> str:
    """The error overlay as static HTML, for pages served while the last build is failing."""
    e = html.escape
    where = f'<div style="font-family:monospace;color:#ffd0a0">{e(failure.location)}</div>' \
        if failure.location else ""
    hint = f'<p style="color:#b8f0b8">How to fix: {e(failure.hint)}</p>' if failure.hint else ""
    return (f'<div id="{OVERLAY_ID}" role="alert" style="position:fixed;inset:0;z-index:2147483647;'
            'background:rgba(20,20,20,.82);overflow:auto;font:15px/1.5 system-ui,sans-serif;'
            'color:#eee;padding:5vh 5vw"><div style="max-width:60rem;margin:auto;background:#2b1416;'
            'border-left:6px solid #e5484d;padding:1.2rem 1.5rem;border-radius:6px">'
            f'<h2 style="margin:0 0 .5rem;font-size:1.2rem;color:#ff8b8b">sitegen: {e(failure.title)}</h2>'
            f'{where}<pre style="white-space:pre-wrap;font:14px/1.45 monospace">{e(failure.message)}</pre>'
            f'{hint}<p style="color:#aaa;font-size:13px">Still serving the last good build. '
            'Save a fix and this goes away.</p></div></div>')


def inject(body: bytes, *, page: str, epoch: int, boot: str,
           failure: BuildFailure | None = None) -> bytes:
    """The HTML page with the dev script (and the overlay, if failing) inserted before </body>."""
    extra = (overlay_html(failure) if failure else "") + dev_tag(page, epoch, boot)
    at = body.lower().rfind(b"</body>")
    if at == -1:
        return body + extra.encode("utf-8")
    return body[:at] + extra.encode("utf-8") + body[at:]


def sse_message(event: str, data: dict) -> bytes:
    """One Server-Sent Events message."""
    return f"event: {event}\ndata: {json.dumps(data)}\n\n".encode("utf-8")


class Broadcaster:
    """Fans out SSE messages to every connected page; each page gets its own queue."""

    def __init__(self) -> None:
        self._clients: set[queue.Queue] = set()
        self._lock = threading.Lock()
        self._closed = False

    def subscribe(self) -> queue.Queue:
        q: queue.Queue = queue.Queue()
        with self._lock:
            if self._closed:
                q.put(None)
            self._clients.add(q)
        return q

    def unsubscribe(self, q: queue.Queue) -> None:
        with self._lock:
            self._clients.discard(q)

    def send(self, event: str, data: dict) -> None:
        message = sse_message(event, data)
        with self._lock:
            for q in self._clients:
                q.put(message)

    def close(self) -> None:
        """Tell every open stream to end (on shutdown)."""
        with self._lock:
            self._closed = True
            for q in self._clients:
                q.put(None)

    @property
    def client_count(self) -> int:
        with self._lock:
            return len(self._clients)
