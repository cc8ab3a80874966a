"""A text's word index (where each word starts, read by first character) and name forms found at their words' places.

Cast discovery (discover.py) and the descriptions it resolves (describe.py) ask about a few hundred
words of one text: how often each stands in it, and where. Each answer comes from one scan of the
text per first character, not one per word.
"""
from __future__ import annotations

import bisect
import re
from functools import lru_cache

from ..text.names import forms_pattern, matches_at, not_after


@lru_cache(maxsize=1)
def word_places(text: str) -> WordPlaces:
    """The word index of `text` (kept for the last text asked about)."""
    return WordPlaces(text)


class WordPlaces:
    """Where each word of a text starts (a word: a maximal run of word characters), in order. The
    words are read by their first character, when a word starting with it is first asked about:
    one scan of the text for all the words starting with "R" answers every later question about
    such a word (discovery asks about a few hundred names and descriptions; a scan of the text
    for each took most of its time)."""

    def __init__(self, text: str):
        self.text = text
        self.places: dict[str, list[int]] = {}
        self.first: dict[str, list[str]] = {}     # a first character read -> its words, in the order met

    def get(self, word: str, default=()):
        self._read(word[:1])
        return self.places.get(word, default)

    def knows(self, word: str) -> bool:
        """Whether the words starting as `word` does are read already (get costs nothing more)."""
        return word[:1] in self.first

    def starting(self, first: str) -> list[str]:
        """The words that start with the character `first`."""
        self._read(first)
        return self.first[first]

    def _read(self, first: str) -> None:
        if first in self.first:
            return
        new = self.first[first] = []
        places = self.places
        for m in re.finditer(not_after(r"\w", re.escape(first)) + r"\w*", self.text):
            found = m.group()
            if found in places:
                places[found].append(m.start())
            else:
                places[found] = [m.start()]
                new.append(found)


def find_forms(text: str, forms: tuple[str, ...]):
    """The matches of forms_pattern(forms, loose_spaces=True) in `text`, as its finditer gives them.

    A match starts where a word starts (nothing of a word before it) and that word is its form's
    first word, so when every form starts with a word character only the places of those first
    words (word_places) are tried, in order, each from where the last match ended: the same matches
    as a scan of the whole text, found in a small part of its time."""
    pattern = forms_pattern(forms, loose_spaces=True)
    if not all(_TOKEN.match(f) for f in forms if f):
        return pattern.finditer(text)
    places = word_places(text)
    starts = [_could_start(places, _TOKEN.findall(f)) for f in dict.fromkeys(forms) if f]
    return matches_at(pattern, text, starts[0] if len(starts) == 1 else sorted(set().union(*starts)))


def form_ends(text: str, forms: tuple[str, ...]) -> list[int]:
    """Where each match of find_forms(text, forms) ends, in order. A form of one word (a run of word
    characters) matches where that whole word stands, so when every form is one word, the word
    index (word_places) gives the matches without compiling their pattern."""
    words = [f for f in dict.fromkeys(forms) if f]
    if not words or not all(_TOKEN.fullmatch(f) for f in words):
        return [m.end() for m in find_forms(text, forms)]
    places = word_places(text)
    return sorted(p + len(f) for f in words for p in places.get(f))


def _could_start(places: dict[str, list[int]], words: list[str]):
    """Where a form of these words could start: the places of its first word; when its second word
    is rarer, only the last place of the first word before each place of the second (in a match
    nothing but spaces and marks stands between the two)."""
    first = places.get(words[0], [])
    second = places.get(words[1], []) if len(words) > 1 else first
    if len(second) >= len(first):
        return first
    return sorted({first[i - 1] for i in (bisect.bisect_left(first, q) for q in second) if i})


_TOKEN = re.compile(r"\w+")
