"""Dash dialogue and incises: which words of a speech are narration.

In dash dialogue a paragraph that opens with a dash (— or –) is a line of
speech. It runs to the paragraph's end, except where narration interrupts:
after a second dash that opens narration (Russian "— Привет, — прошипела
Гермиона. — Как дела?", Spanish "—Hola —dijo Juan—. ¿Qué tal?"; the speech
resumes after the next dash), or an incise, a tag with its verb first set off
by commas ("— Bonjour, dit-il, ça va ?"; the speech goes on after it). The same
incises split a French « … » quote ("« Bonjour, dit-il, ça va ? »"). A dash
opens narration when a tag or a verb of saying follows it, or a lower-case word
after a comma, "!" or "?" (or straight after the dash, with a space only before
it); otherwise it is a dash inside the speech. The verbs are the language's
table (languages/), through langtags.
"""
from __future__ import annotations

import re

from . import langtags
from .marks import DASH, GUILLEMET, Span

DASHES = "\u2014\u2013"
_OPENS = re.compile(r"[ \t]*[\u2014\u2013][ \t\u00a0\u202f]*(?=\S)")
_INNER_DASH = re.compile(r"[\u2014\u2013]")
_INCISE_AT = re.compile(r"[,!?\u2026][ \t\n\u00a0\u202f]+")
_CLAUSE_END = re.compile(r"[,.;!?\u2026\u2014\u2013]")
_SKIP = " \t\n\u00a0\u202f.,;:"


def opens_with_dash(text: str, start: int, end: int) -> bool:
    """True when the paragraph text[start:end] opens with a dash and words."""
    return bool(_OPENS.match(text, start, end))


def dash_spans(text: str, start: int, end: int, paragraph: int, lang: str, run: bool = False
               ) -> tuple[list[Span], bool]:
    """The speech of a dash paragraph, and whether it closed an open « run (`run`: a « opened
    in an earlier paragraph is still open, so a » here ends the speech)."""
    spans: list[Span] = []
    begin = start + len(text[start:end]) - len(text[start:end].lstrip())      # the dash
    pos, closed = begin + 1, False
    while begin is not None:
        stop, after, kind = _next_boundary(text, pos, end, lang, run)
        spans.append(Span(begin, _trim(text, begin, stop), DASH, paragraph))
        if kind == "close":
            closed = True
            break
        begin, pos = _resume(text, after, end, kind)
    return [s for s in spans if s.end > s.start], closed


def _next_boundary(text: str, pos: int, end: int, lang: str, run: bool) -> tuple[int, int, str]:
    """Where the speech from `pos` stops: (its end, where narration ends or starts, how)."""
    close = text.find("\u00bb", pos, end) if run else -1
    incise = _incise(text, pos, end, lang)
    for m in _INNER_DASH.finditer(text, pos, end):
        d = m.start()
        if close >= 0 and close < d or incise and incise[0] < d:
            break
        if _narration_follows(text, d, end, lang):
            return d, d + 1, "dash"
    if close >= 0 and not (incise and incise[0] < close):
        return close + 1, end, "close"
    if incise:
        return incise
    return end, end, "end"


def _incise(text: str, pos: int, end: int, lang: str) -> tuple[int, int, str] | None:
    """The first tag set off by a comma (or "!", "?") after `pos`: (speech end, tag clause end, how)."""
    if lang == "en":
        return None
    for m in _INCISE_AT.finditer(text, pos, end):
        if text[m.end():m.end() + 1] in DASHES:
            continue                              # ", — said she": the dash rule's narration
        if langtags.find_incise(text[m.end():min(end, m.end() + 120)], lang):
            stop = _CLAUSE_END.search(text, m.end(), end)
            if stop is None:
                return m.start() + 1, end, "incise."
            return m.start() + 1, stop.start() + (text[stop.start()] not in DASHES), \
                "incise," if text[stop.start()] == "," else "incise" + text[stop.start()]
    return None


def _narration_follows(text: str, d: int, end: int, lang: str) -> bool:
    """Does the dash at `d` inside a speech open narration?"""
    rest = text[d + 1:end].lstrip(" \t\u00a0\u202f")
    if not rest:
        return False
    before = text[:d].rstrip(" \t\u00a0\u202f")
    if lang != "en" and (langtags.find_incise(text[d:min(end, d + 120)], lang)
                         or langtags.starts_with_verb(text[d:min(end, d + 60)], lang)):
        return True
    if lang != "en" and before[-1:] in ",!?\u2026" and langtags.find_after(text[d:min(end, d + 120)], lang):
        return True                               # ", — Гарри вздохнул": a subject-first tag
    spaced_before = d > 0 and text[d - 1].isspace() and not text[d + 1:d + 2].isspace()
    return rest[0].islower() and (before[-1:] in ",!?\u2026" or spaced_before)


def _resume(text: str, pos: int, end: int, kind: str) -> tuple[int | None, int]:
    """Where the speech starts again after narration that ended at `pos`, if it does."""
    if kind.startswith("incise") and kind != "incise\u2014" and kind != "incise\u2013":
        i = pos                                   # after "dit-il," or "dit-il." the speech goes on
    elif kind == "end":
        return None, end
    else:
        d = _INNER_DASH.search(text, pos, end)   # narration runs to the next dash
        if d is None:
            return None, end
        if d.end() < end and text[d.end()] in " \t\u00a0\u202f":
            return (d.start(), d.start() + 1) if text[d.end():end].strip() else (None, end)
        i = d.end()
    while i < end and text[i] in _SKIP:
        i += 1
    return (i, i + 1) if i < end else (None, end)


def _trim(text: str, a: int, b: int) -> int:
    while b > a and text[b - 1] in " \t\n\u00a0\u202f":
        b -= 1
    return b


def split_incises(text: str, span: Span, lang: str) -> list[Span]:
    """A « … » quote with incises inside ("« Bonjour, dit-il, ça va ? »") as its spoken parts."""
    if span.family != GUILLEMET or lang == "en":
        return [span]
    out, begin, pos = [], span.start, span.start + 1
    while True:
        found = _incise(text, pos, span.end, lang)
        if found is None:
            break
        stop, after, _ = found
        out.append(Span(begin, stop, span.family, span.paragraph, broken=span.broken))
        i = after + 1 if after < span.end and text[after] in ",.;!?\u2026" else after
        while i < span.end and text[i] in _SKIP:
            i += 1
        begin, pos = i, i + 1
        if not text[begin:span.end].strip(" \t\n\u00a0\u202f\u00bb"):
            return out                           # « Bonjour, dit-il. »: nothing spoken after the tag
    if not out:
        return [span]
    out.append(Span(begin, span.end, span.family, span.paragraph, span.closed, span.continues, span.broken))
    return out
