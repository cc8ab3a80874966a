"""Turn parsed HTML (a BeautifulSoup element) into plain Markdown for a chapter, or plain text for a note.

What survives: paragraphs, line breaks, italics/underline (as *emphasis*), bold
(**strong**), strikethrough, headings, blockquotes, lists and horizontal rules
(as scene breaks, `* * *`). Everything else of the HTML is dropped: tags,
attributes, scripts, styles, forms, images (their alt text is kept, in brackets).
The text itself is escaped so that it stays text: a `*` or `[` or `<` in the
story is written `\\*`, `\\[`, `\\<`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import warnings

from bs4 import BeautifulSoup, Comment, NavigableString, Tag, XMLParsedAsHTMLWarning
from bs4.element import CData, Declaration, Doctype, ProcessingInstruction

from ..text.markers import is_scene_break

SCENE_BREAK = "* * *"
DROPPED = {"script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "math", "head",
           "button", "input", "select", "textarea", "form", "canvas", "audio", "video", "title", "meta", "link"}
EMPHASIS = {"em", "i", "cite", "dfn", "var", "u", "ins"}
STRONG = {"strong", "b"}
STRIKE = {"s", "strike", "del"}
HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
BLOCKS = {"p", "div", "section", "article", "main", "header", "footer", "aside", "nav", "center", "blockquote",
          "ul", "ol", "li", "dl", "dt", "dd", "table", "tr", "td", "th", "tbody", "thead", "tfoot", "caption",
          "hr", "pre", "figure", "figcaption", "address", "details", "summary", "body", "html", *HEADINGS}
# What Markdown would read as syntax inside a line, and only that (so the files stay readable, and
# notes, which sitegen shows as plain text, rarely show a backslash): \ ` * _ always; ] before ( (a
# link); < before a letter (an autolink); & that spells an entity; ~~ (strikethrough); the = of {= (a
# speaker mark, which sitegen finds anywhere: {\= is not one).
_INLINE_SPECIAL = re.compile(r"[\\`*_]|\](?=\()|<(?=[A-Za-z])|&(?=#?\w+;)|~(?=~)|(?<=~)~|(?<=\{)=")
# Line starts that Markdown reads as a block: headings, quotes, list items, numbered items.
_LINE_START = re.compile(r"^(\s*)(?:(#|>|[-+](?=\s))|(\d+)([.)])(?=\s))")
_MARK_AFTER_BRACKET = re.compile(r"(?<=[(\[])([\^!])(?=\s)")     # sitegen's (^ note) and (! keep) markers
_SPACE = re.compile(r"[ \t\r\n\f\u200b]+")


def escape_text(text: str) -> str:
    """Text as Markdown that shows exactly this text."""
    text = _INLINE_SPECIAL.sub(lambda m: "\\" + m.group(), text)
    return _MARK_AFTER_BRACKET.sub(r"\\\1", text)


def escape_line_start(line: str) -> str:
    def escaped(m: re.Match) -> str:
        if m.group(2):
            return f"{m.group(1)}\\{m.group(2)}"
        return f"{m.group(1)}{m.group(3)}\\{m.group(4)}"      # 3\. : a digit cannot be escaped, the dot can
    return _LINE_START.sub(escaped, line)


@dataclass
class Found:
    """What a conversion met that it could not keep (for the import report)."""
    images: int = 0
    dropped: set[str] = field(default_factory=set)


@dataclass
class _Inline:
    """Inline conversion state: plain (notes) or Markdown (prose), and which emphasis is open."""
    markdown: bool
    links: bool
    found: Found
    emphasis: bool = False
    strong: bool = False


def style_emphasis(tag: Tag) -> str | None:
    """`em` or `strong` when a span's inline style says italic/underline or bold (Google Docs exports)."""
    style = (tag.get("style") or "").replace(" ", "").lower()
    if "font-style:italic" in style or "text-decoration:underline" in style:
        return "em"
    if re.search(r"font-weight:(bold|[6-9]00)", style):
        return "strong"
    return None


def inline(node, state: _Inline) -> str:
    """The inline content of a node as one string; line breaks are "\\n"."""
    if isinstance(node, (Comment, CData, Declaration, Doctype, ProcessingInstruction)):
        return ""
    if isinstance(node, NavigableString):
        text = _SPACE.sub(" ", str(node))
        return escape_text(text) if state.markdown else text
    if not isinstance(node, Tag):
        return ""
    name = node.name.lower()
    if name in DROPPED:
        state.found.dropped.add(name)
        return ""
    if name == "br":
        return "\n"
    if name == "img":
        state.found.images += 1
        alt = (node.get("alt") or "").strip()
        return (escape_text(f"[{alt}]") if state.markdown else f"[{alt}]") if alt else ""
    kind = "em" if name in EMPHASIS else "strong" if name in STRONG else style_emphasis(node) if name == "span" else None
    inner = "".join(inline(c, state) for c in node.children) if kind is None else wrapped(node, kind, state)
    if name in STRIKE and state.markdown:
        return delimit(inner, "~~")
    if name == "a" and state.links:
        href = (node.get("href") or "").strip()
        if href.startswith(("http://", "https://")) and href.rstrip("/") != inner.strip().rstrip("/"):
            return f"{inner} ({href})"
    return inner


def wrapped(node: Tag, kind: str, state: _Inline) -> str:
    """Children of an emphasis tag, delimited unless that emphasis is already open."""
    open_before = getattr(state, kind if kind == "strong" else "emphasis")
    if kind == "strong":
        state.strong = True
    else:
        state.emphasis = True
    inner = "".join(inline(c, state) for c in node.children)
    if kind == "strong":
        state.strong = open_before
    else:
        state.emphasis = open_before
    if open_before or not state.markdown:
        return inner
    return delimit(inner, "**" if kind == "strong" else "*")


def delimit(text: str, mark: str) -> str:
    """`mark` around each line of text, outside its leading and trailing spaces (Markdown needs that)."""
    out = []
    for line in text.split("\n"):
        core = line.strip()
        if not core:
            out.append(line)
            continue
        lead, trail = line[:len(line) - len(line.lstrip())], line[len(line.rstrip()):]
        out.append(f"{lead}{mark}{core}{mark}{trail}")
    return "\n".join(out)


def _has_block_child(tag: Tag) -> bool:
    return any(isinstance(c, Tag) and c.name.lower() in BLOCKS for c in tag.children)


def finish_paragraph(text: str, markdown: bool) -> list[str]:
    """Clean a paragraph's lines; two line breaks in a row split it into paragraphs.

    Lines within a paragraph end with a hard break (`\\` in Markdown) so they stay lines."""
    paragraphs = []
    for block in re.split(r"\n[ \t]*\n", text):
        lines = [ln.strip() for ln in block.split("\n")]
        lines = [ln for ln in lines if ln]
        if not lines:
            continue
        if markdown:
            lines = [escape_line_start(ln) for ln in lines]
            if len(lines) == 1 and is_scene_break(unescape(lines[0])):
                paragraphs.append(SCENE_BREAK)
                continue
            paragraphs.append("\\\n".join(lines))
        else:
            paragraphs.append("\n".join(lines))
    return paragraphs


def unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def blocks(node: Tag, state: _Inline) -> list[str]:
    """The node's content as a list of blocks (paragraphs, headings, quotes, lists, breaks)."""
    out: list[str] = []
    run: list[str] = []             # inline content between block children

    def flush():
        if run:
            out.extend(finish_paragraph("".join(run), state.markdown))
            run.clear()
    for child in node.children:
        name = child.name.lower() if isinstance(child, Tag) else None
        if name is None or name not in BLOCKS:
            run.append(inline(child, state))
            continue
        flush()
        out.extend(block(child, name, state))
    flush()
    return out


def block(tag: Tag, name: str, state: _Inline) -> list[str]:
    """One block-level element as blocks."""
    if name == "hr":
        return [SCENE_BREAK if state.markdown else "* * *"]
    if name in HEADINGS:
        text = " ".join(finish_paragraph(inline(tag, state), state.markdown)).replace("\\\n", " ")
        return [f"{'#' * HEADINGS[name]} {text.lstrip(chr(92)).lstrip('#').strip()}" if state.markdown else text] \
            if text.strip() else []
    if name == "blockquote":
        inner = blocks(tag, state)
        if not state.markdown:
            return inner
        return ["\n".join(f"> {ln}" if ln else ">" for ln in b.split("\n")) for b in inner]
    if name in ("ul", "ol"):
        return list_items(tag, name, state)
    if name == "pre":                        # preformatted: its lines stay lines (its tags are dropped)
        text = tag.get_text()
        return finish_paragraph("\n".join(map(escape_text, text.split("\n"))), True) if state.markdown else [text]
    return blocks(tag, state)


def list_items(tag: Tag, name: str, state: _Inline) -> list[str]:
    """A list: each item a block "- text" or "1. text" (an item's own paragraphs joined by line breaks)."""
    out, number = [], 0
    for li in tag.find_all("li", recursive=False) or [tag]:
        number += 1
        parts = blocks(li, state)
        if not parts:
            continue
        mark = f"{number}." if name == "ol" else "-"
        out.append(f"{mark} " + ("\\\n" if state.markdown else "\n").join(parts))
    return out


def to_markdown(node: Tag | None, found: Found | None = None) -> str:
    """A chapter's HTML as Markdown: blocks separated by blank lines."""
    if node is None:
        return ""
    return "\n\n".join(blocks(node, _Inline(True, False, found or Found()))).strip() + "\n"


def to_plain(node: Tag | None, found: Found | None = None) -> str:
    """A note's or summary's HTML as plain text: paragraphs separated by blank lines, links as "text (url)"."""
    if node is None:
        return ""
    return "\n\n".join(blocks(node, _Inline(False, True, found or Found()))).strip()


def parse(html: str | bytes) -> BeautifulSoup:
    """Parse HTML, XHTML or an EPUB's XML with the standard library's parser (no lxml needed; the
    XML read this way, container.xml and the package's metadata, is plain enough for it)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        return BeautifulSoup(html, "html.parser")


def words(text: str) -> int:
    return len(text.split())
