"""Shared test helpers: small fixture sites written into a temporary folder."""
from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SAMPLE = REPO / "content" / "change-of-plans" / "change-of-plans.txt"
WORD = re.compile(r"\w+(?:['’]\w+)*")

# The browser tests drive Debian's Chromium through Playwright (no browser download).
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium through Playwright, one per test module (browser test modules skip, with the
    reason, when either is missing)."""
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


try:                                   # profiles for the property tests: the normal run and a longer nightly one
    import os as _os
    from hypothesis import HealthCheck, settings as _settings
    _slow = [HealthCheck.too_slow, HealthCheck.data_too_large]
    _settings.register_profile("sitegen", max_examples=int(_os.environ.get("SITEGEN_HYPOTHESIS_CASES", "2000")),
                               deadline=None, suppress_health_check=_slow)
    _settings.register_profile("nightly", max_examples=20_000, deadline=None, suppress_health_check=_slow)
    _settings.load_profile("sitegen")          # --hypothesis-profile=nightly loads the other one after this
except ImportError:
    pass

needs_shared = pytest.mark.skipif(not (SHARED / "seed").is_dir(),
                                  reason="needs ../shared (the gold files), present on developer machines and CI")


def make_site(root: Path, files: dict[str, str]) -> Path:
    """Write {relative path: text} under root and return root."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


class _Text(HTMLParser):
    """Collects what a browser shows: text outside scripts and styles, and the numbers it draws
    before the items of an ordered list (`<ol start="7">` shows "7.")."""
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0
        self._lists: list[int | None] = []      # per open list: the next item's number (None: not ordered)

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        elif tag in ("ol", "ul"):
            start = dict(attrs).get("start") or "1"
            self._lists.append(int(start) if tag == "ol" and start.lstrip("-").isdigit() else None)
        elif tag == "li" and self._lists and self._lists[-1] is not None:
            self.parts.append(f"{self._lists[-1]}.")
            self._lists[-1] += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1
        elif tag in ("ol", "ul") and self._lists:
            self._lists.pop()

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def page_text(html: str) -> str:
    """The visible text of an HTML page."""
    p = _Text()
    p.feed(html)
    return " ".join(p.parts)


def words(text: str) -> Counter:
    return Counter(w.lower() for w in WORD.findall(text))


def missing_words(source: str, html: str) -> Counter:
    """Words of `source` that the page does not show (as many times as they occur)."""
    return words(source) - words(page_text(html))
