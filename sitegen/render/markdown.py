"""Render one paragraph of prose to HTML: Markdown emphasis, quotes marked per speaker, notes as sidenotes.

Quotes and notes are found as character offsets into the source. They reach
HTML through a markdown-it plugin (marks.py): the offsets are carried into the
token stream as tokens of their own, and a core rule closes and reopens
emphasis and quote spans that would cross. The markup itself comes from the
theme's macros (prose.py). The fic's own text is always escaped (raw HTML in a
story is shown, never interpreted).
"""
from __future__ import annotations

import html
import re
from bisect import bisect_left
from functools import lru_cache
from typing import NamedTuple

from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin

from .marks import LEFT_OVER, MARKS, append_pending, marks_plugin

_PLAIN_TXT = re.compile(r"[^*_\\\x00\r]*")     # no character that markdown-it's rules for .txt would act on


_SCHEME_OK = re.compile(r"(?:https?|mailto):", re.I)
def safe_link(url: str) -> bool:
    """Only http(s), mailto and relative URLs reach href and src (no javascript:, data:, file:, ...)."""
    head = re.split(r"[/?#]", url, maxsplit=1)[0]
    return ":" not in head or bool(_SCHEME_OK.match(url))


@lru_cache(maxsize=None)
def markdown(flavour: str) -> MarkdownIt:
    """Plain text gets emphasis only (*x*, _x_); Markdown files get CommonMark inline syntax. Raw HTML never."""
    if flavour == "txt":
        md = MarkdownIt("zero").enable(["emphasis", "escape"])
        md.inline.ruler.at("text", _txt_text)
    else:
        md = MarkdownIt("commonmark", {"html": False}).enable(["strikethrough"])
        # A footnote marker ("[^1]") shows as a raised label; its definition is an author's note of its own
        # (matter.py), so the plugin's definition block and end-of-page list are off.
        md.use(footnote_plugin, inline=False, always_match_refs=True).disable(["footnote_def", "footnote_tail"])
        md.add_render_rule("footnote_ref", _footnote_marker)
    md.validateLink = safe_link
    return md.use(marks_plugin)


_TXT_RUN = re.compile(r"[^*_\\]+")


def _txt_text(state, silent: bool) -> bool:
    """markdown-it's text rule for plain text: with only emphasis and escapes on, a run of text ends only
    at `*`, `_` or a backslash (the library's own rule stops at every character a rule of any preset may
    want, and there every rule is tried and fails: the same output, several times the work)."""
    run = _TXT_RUN.match(state.src, state.pos, state.posMax)
    if run is None:
        return False
    if not silent:
        append_pending(state, run.group())
    state.pos = run.end()
    return True


def _footnote_marker(self, tokens, idx, options, env) -> str:
    return f'<sup class="footnote-ref">{escape(tokens[idx].meta["label"])}</sup>'


_FOOTNOTE_LABEL = re.compile(r"^(\[\^[^\]\s]+\])\s*:\s*")     # "[^1]:" or "[^1] :" opening a footnote's text


def footnote_text(note: str) -> str:
    """A Markdown footnote's definition as the note shows it: its raised label, then its words (no colon)."""
    return _FOOTNOTE_LABEL.sub(r"\1 ", note.lstrip())


class Insert(NamedTuple):
    """Markup to place in a paragraph: wrap [start, end) or replace it. (A named tuple, not a dataclass:
    one is made for every quote, and its hash keys the paragraph's HTML, so it is made and hashed fast.)"""
    start: int
    end: int
    open: str = ""       # html placed before start (wrap) or instead of the span (replace)
    close: str = ""      # html placed at end (wrap)
    replace: bool = False


class Mark(NamedTuple):
    """A piece of markup at an offset of the text markdown-it reads: a wrap's opening (role "open") or
    closing ("close") tag, or a point's whole markup ("point": a sidenote). `pair` ties an open to its close."""
    at: int
    order: int          # at one offset: closes (0), then points (1), then opens (2)
    role: str
    html: str
    pair: int = -1


def shown_text(text: str, inserts: tuple[Insert, ...]) -> tuple[str, list[Mark]]:
    """The text without the spans replaced (hidden marks, notes moved to the margin), and the marks
    placed in it, in the order they are written at each offset."""
    if not any(i.replace for i in inserts):         # only wraps (quotes): nothing moves
        marks = []
        for n, i in enumerate(inserts):
            if i.start < i.end:
                marks += [Mark(i.start, 2, "open", i.open, n), Mark(i.end, 0, "close", i.close, n)]
        marks.sort(key=lambda m: (m.at, m.order))
        return text, marks
    cuts: list[list[int]] = []
    for s, e in sorted((i.start, i.end) for i in inserts if i.replace):
        if cuts and s <= cuts[-1][1]:
            cuts[-1][1] = max(cuts[-1][1], e)
        elif e > s:
            cuts.append([s, e])
    starts, removed = [c[0] for c in cuts], [0]
    for s, e in cuts:
        removed.append(removed[-1] + e - s)

    def moved(x: int) -> int:
        k = bisect_left(starts, x) - 1          # the last cut that starts before x
        if k < 0:
            return x
        s, e = cuts[k]
        return x - removed[k] - (min(x, e) - s)
    marks = [Mark(moved(i.start), 1, "point", i.open) for i in inserts if i.replace and i.open]
    for n, i in enumerate(i for i in inserts if not i.replace):
        start, end = moved(i.start), moved(i.end)
        if start < end:                  # a wrap with nothing left to wrap (its words were cut) is dropped
            marks += [Mark(start, 2, "open", i.open, n), Mark(end, 0, "close", i.close, n)]
    marks.sort(key=lambda m: (m.at, m.order))            # stable: the inserts' order within an offset
    shown = "".join(text[e:s] for e, s in zip([0] + [c[1] for c in cuts], starts + [len(text)]))
    return shown, marks


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
    if not inserts:
        return _markup(text, flavour)
    shown, marks = shown_text(text, inserts)
    if flavour == "txt" and _PLAIN_TXT.fullmatch(shown):      # no Markdown at all: the marks go straight in
        out, pos = [], 0
        for m in marks:
            out += [_escape_txt(shown[pos:m.at]), m.html]
            pos = m.at
        out.append(_escape_txt(shown[pos:]))
        return "".join(out).strip()
    return _markup(shown, flavour, marks)


_ONE_PARAGRAPH = re.compile(r"<p>(.*)</p>", re.S)
BLOCK_HTML = ("<blockquote", "<ul", "<ol", "<pre", "<p>", "<h1", "<h2", "<h3", "<h4", "<h5", "<h6", "<hr")


def _escape_txt(text: str) -> str:
    """Text escaped as markdown-it escapes it, ten times faster."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _markup(text: str, flavour: str, marks: list[Mark] | None = None) -> str:
    """Plain text: inline emphasis. Markdown: the block as CommonMark (a block quote, a list, code); a
    plain paragraph comes back without its <p>, so the caller's paragraph element holds it. `marks`
    go in through the plugin (marks_plugin)."""
    if flavour == "txt" and not marks and _PLAIN_TXT.fullmatch(text):
        return _escape_txt(text).strip()
    env = {MARKS: marks} if marks else {}
    if flavour == "txt":
        return markdown(flavour).renderInline(text, env).strip()
    html_out = markdown(flavour).render(text, env).strip() + env.get(LEFT_OVER, "")
    m = _ONE_PARAGRAPH.fullmatch(html_out)
    return m.group(1) if m and "<p>" not in m.group(1) else html_out


def escape(text: str) -> str:
    return html.escape(text, quote=True)
