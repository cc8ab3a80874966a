"""Quote detection for the dialogue engine: the quoted spans come from text/spans.py (THE quote
scanner: pair_marks, Span, the mark families); this module adds *thoughts in italics*.

Dash dialogue (a paragraph opening with a dash) is in dashes.py.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..text.sentences import starts_sentence
from ..text.spans import (CORNER, DASH, DOUBLE, GERMAN, GUILLEMET, ITALIC, REVERSED, SINGLE,  # noqa: F401
                          SPEECH_FAMILIES, Mark, MarkProblem, Span, classify, pair_marks)

# `(?<![\w*])\*...|(?<![\w_])_...`, each check of the character before written after the mark, so that
# the regex engine jumps from one * or _ to the next: the same matches (tests/test_quick_forms.py).
_ITALIC = re.compile(r"\*(?<![\w*]\*)(?=\S)[^*\n]+?(?<=\S)\*(?![\w*])|_(?<![\w_]_)(?=\S)[^_\n]+?(?<=\S)_(?![\w_])")
_THINK = r"(?:thought|thinks|wondered|wonders|mused|pondered|reflected)"
_THINK_AFTER = re.compile(r"[\s,]*(?:[\w'-]+\s+){0,3}?%s\b" % _THINK)
_THINK_BEFORE = re.compile(r"\b%s\b[^.!?]{0,30}[,:]?\s*$" % _THINK)


def italic_thoughts(text: str, start: int, end: int, paragraph: int, quoted: list[Span],
                    thinking: tuple[str, ...] = ()) -> list[Span]:
    """*Thoughts in italics* (or _underscores_) outside quotes: next to a verb of thinking
    (English ones, or the language's `thinking` verbs), or a sentence of their own in a
    paragraph of prose (not a word of emphasis mid-sentence, not a blockquote's verse)."""
    out: list[Span] = []
    if text.find("*", start, end) < 0 and text.find("_", start, end) < 0:
        return out
    think_after, think_before = _thinking(thinking) if thinking else (_THINK_AFTER, _THINK_BEFORE)
    for m in _ITALIC.finditer(text, start, end):
        if any(q.start <= m.start() < q.end for q in quoted):
            continue
        if think_after.match(text, m.end(), min(end, m.end() + 60)) or \
                think_before.search(text, max(start, m.start() - 60), m.start()) or \
                _own_sentence(text, start, end, m):
            out.append(Span(m.start(), m.end(), ITALIC, paragraph))
    return out


# Besides a sentence's start (text/sentences.py), an inner sentence may stand after a colon, a
# closing quote mark or a dash: `She thought: *Run now.*`, `"Go," *Not yet.*`, `—*Run.*`.
_AFTER_MARK = re.compile(r"(?:[:\"\u201d\u2019]\s+|\u2014\s*)$")
_SENTENCE_AFTER = re.compile(r"[\s\"\u201c\u2014\u2026]|[.!?,]?\s|[.!?,]?$")


def _own_sentence(text: str, start: int, end: int, m: re.Match) -> bool:
    """An italic sentence of inner words: two words or more, capitalised, standing where a
    sentence stands, in a paragraph that is not a blockquote ("> ...")."""
    inner = m.group()[1:-1]
    if len(inner.split()) < 2 or not inner[:1].isupper() or text.startswith(">", start):
        return False
    before = text[max(start, m.start() - 3):m.start()]
    return (starts_sentence(text, m.start(), start) or bool(_AFTER_MARK.search(before))) and \
        bool(_SENTENCE_AFTER.match(text, m.end(), end) or m.end() == end)


@lru_cache(maxsize=None)
def _thinking(verbs: tuple[str, ...]) -> tuple[re.Pattern, re.Pattern]:
    """The after / before patterns of italic thoughts for another language's verbs of thinking."""
    alt = "|".join(re.escape(v).replace(r"\ ", r"\s+") for v in sorted(verbs, key=len, reverse=True))
    return (re.compile(r"[\s,]*(?:[\w'\u2019-]+\s+){0,3}?(?:%s)(?!\w)" % alt),
            re.compile(r"(?<!\w)(?:%s)(?!\w)[^.!?]{0,30}[,:]?\s*$" % alt))
