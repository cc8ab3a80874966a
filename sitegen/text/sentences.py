"""THE sentence splitter: where a text's sentences end, a title or abbreviation ("Mr.", "Dr.", "e.g.") ending none.

A sentence ends after a run of stops (. ! ? …) and any closing quote marks or bracket, where white
space or the end of the text follows. A full stop ends nothing after a title or common abbreviation
("Mr. Elton", "St. Paul's", "e.g. this") or after a single capital initial ("J. K. Rowling"; not "I").
`lines=True` makes a line break end a sentence too (for text whose lines are its paragraphs).
"""
from __future__ import annotations

import re

STOPS = ".!?\u2026"
CLOSERS = "\"'\u201d\u2019\u00bb)"
# Words a full stop follows without ending the sentence (compared without the stop, case kept).
ABBREVIATIONS = frozenset("""Mr Mrs Ms Mx Dr St Mt Jr Sr Prof Capt Col Gen Lt Sgt Rev Hon Messrs Mme Mlle
Mssrs Esq vs etc e.g i.e cf Ft No Nos""".split())

_END = re.compile(r"[.!?\u2026]+[\"'\u201d\u2019\u00bb)]*(?=\s|$)")
_END_OR_LINE = re.compile(r"[.!?\u2026]+[\"'\u201d\u2019\u00bb)]*(?=\s|$)|\n")
_WORD_BEFORE = re.compile(r"(?:^|(?<=[\s(\"'\u201c\u2018]))([\w.]+)$")


def _abbreviation(text: str, stop: int) -> bool:
    """Whether the single full stop at text[stop] closes a title, an abbreviation or an initial."""
    m = _WORD_BEFORE.search(text, max(0, stop - 12), stop)
    if not m:
        return False
    word = m.group(1)
    return word in ABBREVIATIONS or (len(word) == 1 and word.isupper() and word != "I")


def sentence_ends(text: str, start: int = 0, end: int | None = None, *, lines: bool = False) -> list[int]:
    """Offsets just past each sentence end in text[start:end] (after its stops and closing marks), in order."""
    end = len(text) if end is None else end
    out = []
    for m in (_END_OR_LINE if lines else _END).finditer(text, start, end):
        if m.group() != "\n" and m.group().rstrip(CLOSERS) == "." and _abbreviation(text, m.start()):
            continue
        out.append(m.end())
    return out


def sentences(text: str, *, lines: bool = False) -> list[tuple[int, int]]:
    """(start, end) of each sentence that is not blank, in order; the white space after one begins the next."""
    cuts = [0, *sentence_ends(text, lines=lines)]
    if cuts[-1] != len(text):
        cuts.append(len(text))
    return [(s, e) for s, e in zip(cuts, cuts[1:]) if text[s:e].strip()]


def first_sentence(text: str) -> str:
    """The text up to the end of its first sentence (all of it when it has one sentence)."""
    ends = sentence_ends(text)
    return text[:ends[0]] if ends else text


def ends_a_sentence(text: str) -> bool:
    """Whether the text, white space at its end aside, ends with a sentence's end (or is blank)."""
    body = text.rstrip()
    return not body or bool(sentence_ends(body)) and sentence_ends(body)[-1] == len(body)
