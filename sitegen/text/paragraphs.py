"""Split a text into paragraphs: blank-line blocks, or lines in single-newline files."""
from __future__ import annotations

import re

_BLANK = re.compile(r"\n[ \t\f\v\u00a0]*\n")
_BLOCK = re.compile(r"[^\n]+(?:\n(?![ \t\f\v\u00a0]*\n)[^\n]*)*")
_LINE = re.compile(r"[^\n]*\S[^\n]*")


def uses_blank_lines(text: str) -> bool:
    """True when paragraphs are separated by blank lines (the usual case)."""
    return _BLANK.search(text) is not None


def split_paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of each paragraph, trimmed of surrounding whitespace.

    A paragraph is a block between blank lines; in a file with no blank line
    at all, each non-empty line is a paragraph.
    """
    pattern = _BLOCK if uses_blank_lines(text) else _LINE
    spans = []
    for m in pattern.finditer(text):
        start, end = m.start(), m.end()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            spans.append((start, end))
    return spans
