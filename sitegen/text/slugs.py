"""Slugs: the URL-safe folder and file names of works (and of what `sitegen import` writes)."""
from __future__ import annotations

import re

_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    return _SLUG.sub("-", text.lower()).strip("-") or "work"
