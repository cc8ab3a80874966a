"""Map a request's URL path to a file of the build output, refusing anything that could escape it."""
from __future__ import annotations

import mimetypes
from typing import Mapping
from urllib.parse import unquote

TEXT_TYPES = {"application/javascript", "application/json", "image/svg+xml",
              "application/xml", "text/javascript"}
_EXTRA_TYPES = {".js": "text/javascript", ".mjs": "text/javascript", ".css": "text/css",
                ".svg": "image/svg+xml", ".webp": "image/webp", ".woff2": "font/woff2",
                ".woff": "font/woff", ".json": "application/json", ".xml": "application/xml",
                ".txt": "text/plain", ".html": "text/html", ".ico": "image/x-icon"}


def safe_segments(url_path: str) -> list[str] | None:
    """The decoded path segments of a URL path, or None if it is unsafe.

    Unsafe: not starting with "/", a backslash (raw or encoded), an empty
    segment ("//etc"), "." or ".." (raw or %2e-encoded), an encoded "/"
    inside a segment, or a NUL / control character.
    """
    path = url_path.split("?", 1)[0].split("#", 1)[0]
    if not path.startswith("/") or "\\" in path:
        return None
    raw = path[1:].split("/")
    if raw and raw[-1] == "":
        raw = raw[:-1]              # "/dir/" -> ["dir"]; "/" -> []
    segments = []
    for seg in raw:
        try:
            text = unquote(seg, errors="strict")
        except UnicodeDecodeError:
            return None
        if (text in ("", ".", "..") or "/" in text or "\\" in text
                or any(ord(ch) < 32 or ord(ch) == 127 for ch in text)):
            return None
        segments.append(text)
    return segments


def resolve(url_path: str, files: Mapping[str, bytes]) -> tuple[str, str | None]:
    """(status, key): ("file", key) to serve; ("redirect", "/dir/") for a folder without its slash;
    ("missing", key-or-None) otherwise. Directory URLs map to their index.html."""
    segments = safe_segments(url_path)
    if segments is None:
        return "missing", None
    key = "/".join(segments)
    path_only = url_path.split("?", 1)[0]
    if not segments or path_only.endswith("/"):
        index = f"{key}/index.html" if key else "index.html"
        return ("file", index) if index in files else ("missing", index)
    if key in files:
        return "file", key
    if f"{key}/index.html" in files:
        return "redirect", path_only + "/"
    if f"{key}.html" in files:
        return "file", f"{key}.html"
    return "missing", key


def content_type(key: str) -> str:
    """A Content-Type for an output file: mimetypes, with charset=utf-8 for text."""
    dot = key.rfind(".")
    ctype = _EXTRA_TYPES.get(key[dot:].lower()) if dot != -1 else None
    ctype = ctype or mimetypes.guess_type(key)[0] or "application/octet-stream"
    if ctype.startswith("text/") or ctype in TEXT_TYPES:
        ctype += "; charset=utf-8"
    return ctype


def is_html(key: str) -> bool:
    return key.endswith((".html", ".htm"))
