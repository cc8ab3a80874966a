"""Split a file into its top-level blocks: blank-line paragraphs (.txt) or CommonMark blocks (.md)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from markdown_it import MarkdownIt

from ..text.paragraphs import split_paragraphs

_EMPHASIS_WRAP = re.compile(r"^(?:[*_]{1,3})(.*?)(?:[*_]{1,3})$", re.S)


@dataclass(frozen=True)
class Block:
    """One top-level block: offsets into the file's text (trimmed), its kind and, for a heading, its level.

    kind: paragraph | heading | quote | list | code | rule. A `.txt` file has paragraphs only
    (its headings are found by their words, markers.heading_title); `level` is 0 there.
    """
    start: int
    end: int
    kind: str = "paragraph"
    level: int = 0


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False})


_KINDS = {"paragraph_open": "paragraph", "heading_open": "heading", "blockquote_open": "quote",
          "bullet_list_open": "list", "ordered_list_open": "list", "fence": "code", "code_block": "code",
          "hr": "rule", "html_block": "paragraph"}


def markdown_blocks(text: str, offset: int = 0) -> list[Block]:
    """The CommonMark top-level blocks of text[offset:], with their kinds (markdown-it's token map)."""
    body = text[offset:]
    starts = [0] + [m.end() for m in re.finditer("\n", body)] + [len(body) + 1]
    blocks = []
    for tok in _parser().parse(body):
        if tok.level != 0 or tok.map is None or tok.type not in _KINDS:
            continue
        first, last = tok.map
        s, e = starts[first], min(starts[min(last, len(starts) - 1)] - 1, len(body))
        while s < e and body[s].isspace():
            s += 1
        while e > s and body[e - 1].isspace():
            e -= 1
        if s < e:
            level = int(tok.tag[1]) if tok.type == "heading_open" else 0
            blocks.append(Block(s + offset, e + offset, _KINDS[tok.type], level))
    return blocks


_ATX = re.compile(r"(#{1,6})[ \t]+\S[^\n]*")


def text_blocks(text: str, offset: int = 0) -> list[Block]:
    """The paragraphs of a plain-text file as blocks; a one-line `## Heading` paragraph is a heading there too."""
    blocks = []
    for s, e in split_paragraphs(text[offset:]):
        m = _ATX.fullmatch(text, s + offset, e + offset)
        blocks.append(Block(s + offset, e + offset, "heading", len(m.group(1))) if m else Block(s + offset, e + offset))
    return blocks


def split_blocks(text: str, offset: int, markdown: bool) -> list[Block]:
    return markdown_blocks(text, offset) if markdown else text_blocks(text, offset)


def heading_text(raw: str) -> str:
    """A Markdown heading's words: no `#` marks and no emphasis wrapped round it ("### **Prologue**" -> "Prologue")."""
    line = " ".join(part.strip() for part in raw.strip().splitlines())
    line = re.sub(r"^#{1,6}[ \t]*", "", line)
    line = re.sub(r"[ \t]+#+[ \t]*$", "", line).strip()
    if re.fullmatch(r"(?:=+|-+)", line.split(" ")[-1] if line else ""):      # a setext underline
        line = line.rsplit(" ", 1)[0]
    for _ in range(3):
        m = _EMPHASIS_WRAP.match(line)
        if not m:
            break
        line = m.group(1).strip()
    return line.replace("\\", "")
