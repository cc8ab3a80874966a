"""Quoted words that are not dialogue: scare quotes, quoted terms and titles, code.

A span stays plain text (no speaker, no colour) when it is a few words without the
punctuation speech ends with, set inside a running sentence ("the parts of you that
make you “You” were gone", the word "magic" means), or a line of code
(`#include "stddisclaimer.h"`).
"""
from __future__ import annotations

import re

from .marks import DOUBLE, SINGLE, Span

MOST_WORDS = 4
_CODE = re.compile(r"^[ \t]*#\s*include\s*$|\b(?:import|require|printf|print|echo)\s*\(?\s*$", re.M)
_HAS_WORDS = re.compile(r"[^\W_]|[.?!\u2026]")      # a letter, a digit, or "..." / "?!" said aloud
_ENDS_SPEECH = re.compile(r"[.!?,;:\u2026\u2014\u2013-][\"'\u201d\u2019_*]*$")
_RUNS_ON = re.compile(r"[\"'\u201d\u2019]\s*(?:[a-z]|[.;:)](?!\s*$))")


def is_plain(text: str, span: Span, paragraph_start: int) -> bool:
    """True when the quoted span is not anyone's words."""
    if not _HAS_WORDS.search(text, span.start, span.end):
        return True                      # `""`, `" "`: marks with nothing said between them
    if span.family not in (DOUBLE, SINGLE) or not span.closed:
        return False
    if _CODE.search(text, max(paragraph_start, span.start - 30), span.start):
        return True
    inner = text[span.start + 1:span.end - 1].strip()
    if not inner or len(inner.split()) > MOST_WORDS or _ENDS_SPEECH.search(text, span.start, span.end - 1):
        return False
    before = text[max(paragraph_start, span.start - 2):span.start]
    mid_sentence = len(before) == 2 and before[0].isalpha() and before[1] == " "
    said = _SAID.search(text, max(paragraph_start, span.start - 40), span.start)
    return mid_sentence and not said and bool(_RUNS_ON.match(text, span.end - 1))


# `he said "no" and left`: a word someone says, spoken.
_SAID = re.compile(r"\b(?:say|says|said|saying|ask|asks|asked|answer|answered|reply|replied|whisper|whispered|"
                   r"yell|yelled|shout|shouted|call|called|cry|cried|mutter|muttered|scream|screamed)\s+$")
