"""THE sentence splitter: where a text's sentences end, a title or abbreviation ("Mr.", "Dr.", "e.g.") ending none.

A sentence ends after a run of stops (. ! ? …) and any closing quote marks or bracket, where white
space or the end of the text follows. A full stop ends nothing after a title or common abbreviation
("Mr. Elton", "St. Paul's", "e.g. this") or after a single capital initial ("J. K. Rowling"; not "I").
`lines=True` makes a line break end a sentence too (for text whose lines are its paragraphs);
`blank_lines=True` a blank line (a paragraph break in hard-wrapped text); `clauses=True` a semicolon
(the clause a speech tag stands in). `abbreviations` are the words a full stop follows without ending
anything (another language passes its own titles).
"""
from __future__ import annotations

import re
from functools import lru_cache

STOPS = ".!?\u2026"
CLOSERS = "\"'\u201d\u2019\u00bb)"
# Words a full stop follows without ending the sentence (compared without the stop, case kept).
ABBREVIATIONS = frozenset("""Mr Mrs Ms Mx Dr St Mt Jr Sr Prof Capt Col Gen Lt Sgt Rev Hon Messrs Mme Mlle
Mssrs Esq vs etc e.g i.e cf Ft No Nos""".split())

# A sentence's end after its first stop: more stops, closing marks, then white space or the text's end
# (_ends puts the first stop, or a line break, before it).
_SENTENCE_REST = r"[.!?\u2026]*[\"'\u201d\u2019\u00bb)]*(?=\s|$)"
_CLAUSE_REST = r"[.!?\u2026;]*[\"'\u201d\u2019\u00bb)]*(?=\s|$)"          # a semicolon ends a clause
_WORD_BEFORE = re.compile(r"(?<![\w.])([\w.]+)$")      # after a space, a quote mark, a dash ("--Mr.")
_SPACE = re.compile(r"\s*")


@lru_cache(maxsize=None)
def _ends(lines: bool, blank_lines: bool, clauses: bool) -> re.Pattern:
    """The pattern of a sentence's end: its stops and closing marks, `[stops]+[closers]*(?=\\s|$)`
    (with a semicolon among the stops for clauses), or a line break (`\\n`) or a blank line
    (`\\n[ \\t]*\\n`) if asked. Written to start with one character class (a stop, or a line break,
    then the rest of whichever it was) so that the regex engine jumps from one such character to
    the next instead of trying every position: the same matches, in about half the time."""
    stops, after_stop = (STOPS + ";", _CLAUSE_REST) if clauses else (STOPS, _SENTENCE_REST)
    if not (lines or blank_lines):
        return re.compile(f"[{stops}]{after_stop}")
    after_break = "" if lines else r"[ \t]*\n"
    return re.compile(f"[{stops}\\n](?:(?<=\\n){after_break}|(?<!\\n){after_stop})")


@lru_cache(maxsize=None)
def _longest(abbreviations: frozenset[str]) -> int:
    """The longest word that may stand before a full stop without ending a sentence (1: an initial)."""
    return max(1, *map(len, abbreviations)) if abbreviations else 1


@lru_cache(maxsize=None)
def _endings(abbreviations: frozenset[str]) -> frozenset[str]:
    """The last two characters of each abbreviation that has two or more."""
    return frozenset(a[-2:] for a in abbreviations if len(a) >= 2)


def _abbreviation(text: str, stop: int, abbreviations: frozenset[str], longest: int) -> bool:
    """Whether the single full stop at text[stop] closes a title, an abbreviation or an initial
    (`longest`: _longest(abbreviations))."""
    if stop > longest and text[stop - longest - 1:stop].isalpha():
        return False                    # the word before is longer than any abbreviation or initial
    m = _WORD_BEFORE.search(text, max(0, stop - 12), stop)
    if not m:
        return False
    word = m.group(1)
    return word in abbreviations or (len(word) == 1 and word.isupper() and word != "I")


def _each_end(text: str, start: int, end: int, lines: bool, blank_lines: bool, clauses: bool,
              abbreviations: frozenset[str]):
    """The offsets sentence_ends returns, one at a time (a caller that needs the first stops there)."""
    longest, endings = _longest(abbreviations), _endings(abbreviations)
    for m in _ends(lines, blank_lines, clauses).finditer(text, start, end):
        stop, after = m.span()
        # a single full stop (then only closing marks) may close an abbreviation instead; not when
        # the two letters before it end no abbreviation (they end a word of two letters or more)
        if text[stop] == "." and (after == stop + 1 or text[stop + 1] in CLOSERS) \
                and not ((tail := text[stop - 2:stop]).isalpha() and len(tail) == 2 and tail not in endings) \
                and _abbreviation(text, stop, abbreviations, longest):
            continue
        yield after


def sentence_ends(text: str, start: int = 0, end: int | None = None, *, lines: bool = False,
                  blank_lines: bool = False, clauses: bool = False,
                  abbreviations: frozenset[str] = ABBREVIATIONS) -> list[int]:
    """Offsets just past each sentence end in text[start:end] (after its stops and closing marks), in order."""
    end = len(text) if end is None else end
    return list(_each_end(text, start, end, lines, blank_lines, clauses, abbreviations))


def sentence_starts(text: str, start: int = 0, end: int | None = None, *, since: int = 0, **how) -> list[int]:
    """Where each sentence after the first in text[start:end] begins: past the white space after an
    end (none where only white space follows); `how` as for sentence_ends. With `since`, only
    those at or after it, found by reading text[start:end] from just before `since` only."""
    end = len(text) if end is None else end
    out: list[int] = []
    for e in sentence_ends(text, _resync(text, start, since), end, **how):
        s = _SPACE.match(text, e, end).end()
        if s < end and s >= since and (not out or out[-1] != s):
            out.append(s)
    return out


_IN_AN_END = frozenset(STOPS + CLOSERS + ";")


def _resync(text: str, start: int, since: int) -> int:
    """Where to begin reading text[start:] to find the same sentence starts at or after `since` as
    reading it all: the last character before `since` that no end (stops, closing marks, line
    breaks) nor the white space after one can contain. Read from there or from `start`, an end
    match never covers it, so the matches after it are the same; the starts before it are before
    `since`."""
    p = min(since, len(text)) - 1
    while p > start and (text[p] in _IN_AN_END or text[p].isspace()):
        p -= 1
    return max(p, start)


def starts_sentence(text: str, i: int, start: int = 0, **how) -> bool:
    """Whether text[i] begins a sentence of text[start:]: i is start, or white space and a sentence's
    end come before it (`how` as for sentence_ends)."""
    if i == start:
        return True
    j = len(text[start:i].rstrip()) + start
    return j < i and j > start and j in sentence_ends(text, max(start, j - 40), j, **how)


def sentences(text: str, *, lines: bool = False) -> list[tuple[int, int]]:
    """(start, end) of each sentence that is not blank, in order; the white space after one begins the next."""
    cuts = [0, *sentence_ends(text, lines=lines)]
    if cuts[-1] != len(text):
        cuts.append(len(text))
    return [(s, e) for s, e in zip(cuts, cuts[1:]) if text[s:e].strip()]


def first_sentence(text: str, *, lines: bool = False, blank_lines: bool = False, clauses: bool = False,
                   abbreviations: frozenset[str] = ABBREVIATIONS) -> str:
    """The text up to the end of its first sentence (all of it when it has one sentence); the
    options as for sentence_ends. Only the text up to that end is read."""
    first = next(_each_end(text, 0, len(text), lines, blank_lines, clauses, abbreviations), None)
    return text[:first] if first is not None else text


def ends_a_sentence(text: str) -> bool:
    """Whether the text, white space at its end aside, ends with a sentence's end (or is blank)."""
    body = text.rstrip()
    return not body or bool(sentence_ends(body)) and sentence_ends(body)[-1] == len(body)
