"""Render one paragraph of prose to HTML: Markdown emphasis, quotes marked per speaker, notes as sidenotes.

Quotes and notes are found as character offsets into the source. They are
carried through Markdown as private-use sentinel characters, which markdown-it
passes through as text, and swapped for markup afterwards; the fic's own text
is always escaped (raw HTML in a story is shown, never interpreted).
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache

from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin

_SENTINEL = re.compile("\ue000(\\d+)\ue001")
_SENTINEL_CHAR = re.compile("[\ue000\ue001]")
_TAG = re.compile(r"<(/?)(em|strong|s|del|code|a|span)\b[^>]*>")
_PLAIN_TXT = re.compile(r"[^*_\\\x00\r]*")     # no character that markdown-it's rules for .txt would act on


_SCHEME_OK = re.compile(r"(?:https?|mailto):", re.I)
_LINK_TAIL = (r"\(\s*(?:<[^<>\n]*>|[^\s()]*(?:\([^\s()]*\)[^\s()]*)*)"
              r"(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^()]*\)))?\s*\)")
# What of a paragraph reaches HTML attributes, not text: a whole image (its alt text too), a link's target and title.
_IN_ATTRIBUTES = re.compile(rf"!\[(?:[^\[\]]|\[[^\[\]]*\])*\]{_LINK_TAIL}|(?<=\]){_LINK_TAIL}")


def safe_link(url: str) -> bool:
    """Only http(s), mailto and relative URLs reach href and src (no javascript:, data:, file:, ...)."""
    head = re.split(r"[/?#]", url, maxsplit=1)[0]
    return ":" not in head or bool(_SCHEME_OK.match(url))


def in_attributes(text: str) -> list[tuple[int, int]]:
    """The spans of a Markdown paragraph that become attribute values (where no quote or note markup may go)."""
    return [m.span() for m in _IN_ATTRIBUTES.finditer(text)]


@lru_cache(maxsize=None)
def markdown(flavour: str) -> MarkdownIt:
    """Plain text gets emphasis only (*x*, _x_); Markdown files get CommonMark inline syntax. Raw HTML never."""
    if flavour == "txt":
        md = MarkdownIt("zero").enable(["emphasis", "escape"])
    else:
        md = MarkdownIt("commonmark", {"html": False}).enable(["strikethrough"])
        # A footnote marker ("[^1]") shows as a raised label; its definition is an author's note of its own
        # (matter.py), so the plugin's definition block and end-of-page list are off.
        md.use(footnote_plugin, inline=False, always_match_refs=True).disable(["footnote_def", "footnote_tail"])
        md.add_render_rule("footnote_ref", _footnote_marker)
    md.validateLink = safe_link
    return md


def _footnote_marker(self, tokens, idx, options, env) -> str:
    return f'<sup class="footnote-ref">{escape(tokens[idx].meta["label"])}</sup>'


_FOOTNOTE_LABEL = re.compile(r"^(\[\^[^\]\s]+\])\s*:\s*")     # "[^1]:" or "[^1] :" opening a footnote's text


def footnote_text(note: str) -> str:
    """A Markdown footnote's definition as the note shows it: its raised label, then its words (no colon)."""
    return _FOOTNOTE_LABEL.sub(r"\1 ", note.lstrip())


@dataclass(frozen=True)
class Insert:
    """Markup to place in a paragraph: wrap [start, end) or replace it."""
    start: int
    end: int
    open: str = ""       # html placed before start (wrap) or instead of the span (replace)
    close: str = ""      # html placed at end (wrap)
    replace: bool = False


def balance(fragment: str) -> str:
    """Close and reopen inline tags that cross (e.g. emphasis that starts inside a quote and ends after it)."""
    stack: list[tuple[str, str]] = []
    out, pos = [], 0
    for m in _TAG.finditer(fragment):
        out.append(fragment[pos:m.start()])
        pos = m.end()
        closing, name = m.group(1), m.group(2)
        if not closing:
            stack.append((name, m.group(0)))
            out.append(m.group(0))
            continue
        if not any(n == name for n, _ in stack):
            continue                                 # a stray closing tag: drop it
        reopen = []
        while stack[-1][0] != name:
            n, tag = stack.pop()
            out.append(f"</{n}>")
            reopen.append((n, tag))
        stack.pop()
        out.append(m.group(0))
        for n, tag in reversed(reopen):
            stack.append((n, tag))
            out.append(tag)
    out.append(fragment[pos:])
    out.extend(f"</{n}>" for n, _ in reversed(stack))
    return "".join(out)


def kept(text: str, start: int, end: int, cuts: list[tuple[int, int]]) -> str:
    """text[start:end] without the parts inside any cut."""
    out, pos = [], start
    for s, e in cuts:
        if e <= pos or s >= end:
            continue
        out.append(text[pos:max(pos, s)])
        pos = max(pos, e)
    out.append(text[pos:end] if pos < end else "")
    return "".join(out)


def render_paragraph(text: str, offset: int, inserts: list[Insert], flavour: str = "txt") -> str:
    """HTML for the text `text` found at `offset` in its file, with `inserts` applied (offsets in the file).

    At one position a closing tag comes first, then a replacement, then an opening tag.
    The HTML is remembered by the text and its inserts (relative to it), so a
    paragraph an edit did not touch is not rendered again.
    """
    return _render(text, tuple(Insert(i.start - offset, i.end - offset, i.open, i.close, i.replace)
                               for i in inserts), flavour)


@lru_cache(maxsize=1 << 14)
def _render(text: str, inserts: tuple[Insert, ...], flavour: str) -> str:
    cuts = sorted((i.start, i.end) for i in inserts if i.replace)
    marks = sorted([(i.start, 1, i.open) for i in inserts if i.replace and i.open]
                   + [(i.start, 2, i.open) for i in inserts if not i.replace]
                   + [(i.end, 0, i.close) for i in inserts if not i.replace], key=lambda m: m[:2])
    if not marks and not cuts:
        return _markup(text, flavour)
    table, pieces, pos = [], [], 0

    def story(piece: str) -> str:
        """The story's own text, its sentinel characters (if any) carried as table entries too, so they
        show as written and can never name an entry of ours."""
        def carry(m: re.Match) -> str:
            table.append(m.group(0))
            return f"\ue000{len(table) - 1}\ue001"
        return _SENTINEL_CHAR.sub(carry, piece)
    for position, _, markup in marks:
        pieces.append(story(kept(text, pos, position, cuts)))
        pos = max(pos, position)
        table.append(markup)
        pieces.append(f"\ue000{len(table) - 1}\ue001")
    pieces.append(story(kept(text, pos, len(text), cuts)))
    rendered = _markup("".join(pieces), flavour)
    return balance(_SENTINEL.sub(lambda m: table[int(m.group(1))], rendered))


_ONE_PARAGRAPH = re.compile(r"<p>(.*)</p>", re.S)
BLOCK_HTML = ("<blockquote", "<ul", "<ol", "<pre", "<p>", "<h1", "<h2", "<h3", "<h4", "<h5", "<h6", "<hr")


def _markup(text: str, flavour: str) -> str:
    """Plain text: inline emphasis. Markdown: the block as CommonMark (a block quote, a list, code); a
    plain paragraph comes back without its <p>, so the caller's paragraph element holds it."""
    if flavour == "txt" and _PLAIN_TXT.fullmatch(text):     # escaped as markdown-it would, ten times faster
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;").strip()
    if flavour == "txt":
        return markdown(flavour).renderInline(text).strip()
    html_out = markdown(flavour).render(text).strip()
    m = _ONE_PARAGRAPH.fullmatch(html_out)
    return m.group(1) if m and "<p>" not in m.group(1) else html_out


def escape(text: str) -> str:
    return html.escape(text, quote=True)
