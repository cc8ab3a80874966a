"""Quoted words that are not dialogue: scare quotes, quoted terms and titles, code.

A span stays plain text (no speaker, no colour) when it is a few words without the
punctuation speech ends with, set inside a running sentence ("the parts of you that
make you “You” were gone", the word "magic" means), a few words after a determiner or
"so-called" (the 'corpse,' / the so-called 'demon brothers'), or a line of code
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
    if not inner or len(inner.split()) > MOST_WORDS:
        return False
    if _NAMING.search(text, max(paragraph_start, span.start - 20), span.start):
        return not _ASKS.search(inner)       # the 'corpse,' / the so-called 'demon brothers': a term
    if _ENDS_SPEECH.search(text, span.start, span.end - 1):
        return False
    before = text[max(paragraph_start, span.start - 2):span.start]
    mid_sentence = len(before) == 2 and before[0].isalpha() and before[1] == " "
    said = _SAID.search(text, max(paragraph_start, span.start - 40), span.start)
    return mid_sentence and not said and bool(_RUNS_ON.match(text, span.end - 1))


# A determiner or "so-called" right before the mark: what follows is a term, not words someone says
# ("the 'corpse,' which", "a so-called 'hero'"); words are seldom quoted after "the".
_NAMING = re.compile(r"(?<![\w-])(?:the|a|an|this|that|these|those|its|their|our|your|so-called)\s+$", re.I)
_ASKS = re.compile(r"[?!\u2026]")
# `he said "no" and left`: a word someone says, spoken ("so-called" is not).
_SAID = re.compile(r"(?<![\w-])(?:say|says|said|saying|ask|asks|asked|answer|answered|reply|replied|whisper|whispered|"
                   r"yell|yelled|shout|shouted|call|called|cry|cried|mutter|muttered|scream|screamed)\s+$")
