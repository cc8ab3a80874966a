"""Detect a work's quote convention from how its quote marks pair up.

"fic": double quotes for speech, single quotes for thoughts (both appear at
the top level); "british": single quotes for speech (doubles only nested);
"american": double quotes for speech, single quotes only nested inside them.
Which marks open and close a quote (« », „ “, » «, 「 」, dashes) is detected
from the whole work's text (detect_marks) or set in work.toml.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from .marks import DOUBLE, GERMAN, REVERSED, SINGLE, Span

CONVENTIONS = ("fic", "british", "american")


def detect_convention(spans: Sequence[Span]) -> str:
    """The convention that explains the top-level quotes best (fic when there are none)."""
    doubles = sum(1 for s in spans if s.family == DOUBLE and s.closed)
    singles = sum(1 for s in spans if s.family == SINGLE and s.closed)
    if singles >= 3 and doubles * 10 <= singles:
        return "british"
    if doubles and singles * 50 <= doubles:
        return "american"
    return "fic"


# Quote mark conventions a work may name in work.toml (`quotes = "..."`): which marks open.
# "guillemets" « », "german" „ “ (and » « reversed), "polish" „ ”, "reversed" » «,
# "cjk" 「 」, "dash" paragraph-opening dashes. Each maps to the styles of marks.py and
# whether dash paragraphs are speech (None: detect).
MARK_CONVENTIONS = {"guillemets": ("", None), "german": (GERMAN + REVERSED, None), "polish": ("", None),
                    "reversed": (REVERSED, None), "cjk": ("", None), "dash": ("", True)}

_REVERSED_OPEN = re.compile(r"(?<!\S)\u00bb\w")               # »Hallo«
_USUAL_OPEN = re.compile(r"(?<!\S)\u00ab[ \t\u00a0\u202f]*\w")    # « Bonjour », «Hola»
# What a line opens with: a dash and words, or a quote mark (each pattern starts with a
# literal, so the scan jumps from line to line).
_LINE_OPENS = re.compile(r"\n[ \t]*([\u2014\u2013][ \t\u00a0\u202f]*\S|[\"\u201c\u00ab\u201e\u300c\u00bb])")


def detect_marks(texts: str | Sequence[str], counts: Sequence[tuple] | None = None) -> tuple[str, bool]:
    """(style, dash) for a work's text (or its files' texts): G when „ quotes close with “ (most
    “ do), R when guillemets open with », dash when more lines open with a dash than with a
    quote mark. Each file's counts are kept by its text, so a rebuild counts only what changed
    (`counts`: each text's mark_counts, when the caller kept them)."""
    if counts is None:
        counts = [mark_counts(t) for t in ([texts] if isinstance(texts, str) else texts)]
    low, left, right, reversed_opens, usual_opens, dashes, quotes = (sum(c) for c in zip(*counts or [(0,) * 7]))
    style = ""
    if low >= 2 and 2 * low >= left >= right:      # most “ close a „ (an English text quoting German does not)
        style += GERMAN
    if reversed_opens > max(1, usual_opens):
        style += REVERSED
    return style, dashes >= 2 and dashes >= quotes


@lru_cache(maxsize=1024)
def mark_counts(text: str) -> tuple[int, int, int, int, int, int, int]:
    """One text's „ “ ” counts, »reversed and «usual opening guillemets, and lines opening
    with a dash and with a quote mark."""
    opens = [m.group(1)[0] for m in _LINE_OPENS.finditer("\n" + text)]
    dashes = sum(1 for c in opens if c in "\u2014\u2013")
    guillemets = "\u00bb" in text
    return (text.count("\u201e"), text.count("\u201c"), text.count("\u201d"),
            len(_REVERSED_OPEN.findall(text)) if guillemets else 0,
            len(_USUAL_OPEN.findall(text)) if guillemets else 0, dashes, len(opens) - dashes)


def marks_for(setting: str | None, texts: str | Sequence[str],
              counts: Sequence[tuple] | None = None) -> tuple[str, bool]:
    """The work.toml `quotes` setting (None, auto, fic, ... or a mark convention) as (style, dash),
    detecting what the setting leaves open from the work's texts (or their `counts`, detect_marks)."""
    style, dash = detect_marks(texts, counts)
    if setting in MARK_CONVENTIONS:
        fixed_style, fixed_dash = MARK_CONVENTIONS[setting]
        return fixed_style, dash if fixed_dash is None else fixed_dash
    return style, dash
