"""Nothing lost, proven at scale: generated fics (.txt and .md, every marker, note form, quote mark,
Unicode oddity and split setting) build without a crash and show every word of the source.

The normal run tries `SITEGEN_HYPOTHESIS_CASES` examples (default 2,000); `--hypothesis-profile=nightly`
tries 20,000 (the profiles are in conftest.py). A failure prints the smallest fic that loses a word.
"""
from __future__ import annotations

import itertools
import os
import shutil

import pytest

hypothesis = pytest.importorskip("hypothesis", reason="property tests need hypothesis (pip install -e '.[test]')")
from hypothesis import given, strategies as st  # noqa: E402

from conftest import WORD, page_text, words  # noqa: E402
from sitegen.build import build_site  # noqa: E402
from sitegen.cache import BuildCache
from sitegen.dialogue.overrides import find_overrides  # noqa: E402
from sitegen.text.markers import heading_title, is_scene_break  # noqa: E402


PLAIN = ["the", "bridge", "Sakura", "ran", "and", "don't", "rock", "'n'", "roll", "Chris'", "'90s", "later",
         "that", "day", "she", "woke", "up", "said", "he", "thought", "naïve", "café", "日本語", "中文", "🙂",
         "e\u0301", "zero\u200bwidth", "\u202eright\u202c", "nb\u00a0sp", "\ue000", "\ue0001\ue001",
         "\ue0000\ue001", "a&b", "<b>bold</b>", "1337", "Ch.", "Part", "—", "…", "?!", "x" * 30]
QUOTES = [('"', '"'), ("'", "'"), ("\u201c", "\u201d"), ("\u2018", "\u2019"), ("*", "*"), ('"', ""), ("", '"'),
          ("\u201c", "'")]
HEADINGS = ["Chapter 2", "Chapter 2: The Bridge", "Chapter Twelve - Home", "Ch. 3 - Late", "Part One", "Prologue",
            "Epilogue", "CHAPTER 4", "# The Roof", "## Part Two", "Chapter 1"]
BREAKS = ["***", "* * *", "---", "~~~", "oOo", "xXx", "\u2042", "#", "~", "-----"]
NOTES = ["A/N: {w}", "AN: {w}", "Author's note: {w}", "[A/N {w}]", "(A/N {w})", "(^ {w})", "[^ {w}]", "(! {w})",
         "[! {w}]", "(lol {w})", "(sorry {w})", "Disclaimer: {w}", "Thanks for reading, {w}!", "Please review! {w}"]

class Reader:
    """Decodes a list of small integers into choices; Hypothesis shrinks the list, so the fic shrinks too.
    (One flat draw per case: nested strategies cost more than the build itself.)"""

    def __init__(self, codes: list[int]):
        self.codes, self.pos = codes, 0

    def pick(self, options):
        code = self.codes[self.pos] if self.pos < len(self.codes) else 0
        self.pos += 1
        return options[code % len(options)]

    def count(self, low: int, high: int) -> int:
        return low + self.pick(range(high - low + 1))

    def more(self) -> bool:
        return self.pos < len(self.codes)


def phrase(r: Reader) -> str:
    return " ".join(r.pick(PLAIN) for _ in range(r.count(1, 6)))


def sentence(r: Reader) -> str:
    parts = []
    for _ in range(r.count(1, 3)):
        if r.pick((True, False)):
            (left, right), marker = r.pick(QUOTES), r.pick(("", "", " {=?}"))
            parts.append(f"{left}{phrase(r)}{right}{marker}")
        else:
            parts.append(phrase(r))
    return " ".join(parts) + r.pick((".", "!", "?", "", ","))


def block(r: Reader) -> str:
    kind = r.pick(("prose", "prose", "prose", "heading", "break", "note", "inline-note"))
    if kind == "prose":
        return " ".join(sentence(r) for _ in range(r.count(1, 3)))
    if kind == "heading":
        return r.pick(HEADINGS)
    if kind == "break":
        return r.pick(BREAKS)
    note = r.pick(NOTES).format(w=phrase(r))
    return note if kind == "note" else f"{sentence(r)} {note} {sentence(r)}"


def decode(codes: list[int]) -> tuple[str, str, list[str]]:
    """(suffix, split setting, the texts of the work's files) from a list of codes."""
    r = Reader(codes)
    suffix, split = r.pick((".txt", ".md")), r.pick(("auto", "markers", "scenes", "none"))
    gap, files = r.pick(("\n\n", "\n\n", "\n", "\n\n\n")), r.count(1, 3)
    blocks = [block(r)]
    while r.more() and len(blocks) < 14:
        blocks.append(block(r))
    size = -(-len(blocks) // files)
    texts = [gap.join(blocks[i:i + size]) + r.pick(("\n", "", "\n\n", "\r\n")) for i in range(0, len(blocks), size)]
    return suffix, split, [t for t in texts if t.strip()] or ["Text.\n"]


fic = st.lists(st.integers(0, 255), min_size=1, max_size=120).map(decode)


def repeated_heading(line: str, after: str) -> bool:
    """A heading that the next heading only repeats or extends ("Chapter 2", then "Chapter 2: The Bridge"):
    the structure stage shows the fuller one once, by design."""
    first, second = heading_title(line), heading_title(after)
    return bool(first and second and second.lower().startswith(first.lower()))


def source_words(text: str):
    """The words a reader must find: the text without sitegen's own override markers, scene-break
    lines (decoration such as oOo, shown between scenes) and headings the next heading repeats."""
    lines = [line for line in text.split("\n") if line.strip() and not is_scene_break(line)]
    text = "\n".join(line for line, after in zip(lines, lines[1:] + [""]) if not repeated_heading(line, after))
    for o in sorted(find_overrides(text), key=lambda o: -o.start):
        text = text[:o.start] + " " + text[o.end:]
    return words(text)


_counter = itertools.count()
_cache = BuildCache()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return tmp_path_factory.mktemp("prop")


@given(fic)
def test_every_word_of_any_fic_reaches_the_site(site, case):
    suffix, split, texts = case
    content = site / "content"
    shutil.rmtree(content, ignore_errors=True)
    folder = content / f"w{next(_counter)}"
    folder.mkdir(parents=True)
    (folder / "work.toml").write_text(f'split = "{split}"\n', encoding="utf-8")
    for n, text in enumerate(texts, 1):
        (folder / f"chapter-{n}{suffix}").write_bytes(text.encode("utf-8"))
    result = build_site(site, cache=_cache)
    slug = folder.name
    shown = words(page_text(result.files[f"{slug}/all.html"].decode("utf-8"))
                  + " " + page_text(result.files[f"{slug}/index.html"].decode("utf-8")))
    lost = sum((source_words(t.replace("\r\n", "\n")) for t in texts), start=words("")) - shown
    assert not lost, f"lost {dict(lost)} from {split=} {suffix} {texts!r}"
