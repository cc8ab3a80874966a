"""Who is in a scene: who speaks or thinks in it, and who its narration names often enough."""
from __future__ import annotations

import functools
import re
from bisect import bisect_right
from dataclasses import dataclass
from itertools import accumulate
from typing import Sequence

from ..model import Character
from ..text.names import forms_pattern, matches_at, trie_regex


def _name_pattern(character: Character) -> re.Pattern[str]:
    """The regex for a character's name and aliases (possessives too); compiled once per character."""
    return _names_pattern(character.name, tuple(character.aliases))


@functools.lru_cache(maxsize=1024)
def _names_pattern(name: str, aliases: tuple[str, ...]) -> re.Pattern[str]:
    """A name form not inside a word (a hyphen counts as inside), possessive allowed, longest form
    first; a lower-case alias is found capitalised too (at a sentence's start)."""
    forms = set()
    for n in {name, *aliases}:
        if n:
            forms.add(n)
            if n[0].islower():
                forms.add(n[0].upper() + n[1:])
    return forms_pattern(tuple(sorted(forms, key=len, reverse=True)), edge=r"[\w-]",
                         suffix="'s|\u2019s|s'|s\u2019")


_WORD = re.compile(r"\w+")


@functools.lru_cache(maxsize=1024)
def _first_words(name: str, aliases: tuple[str, ...]) -> tuple[str, ...] | None:
    r"""The word each form _names_pattern finds starts with; None when a form starts with no word character.

    Where a form is found, the text's word there (its run of \w) is that first
    word, or that word and an "s" ("Smith" in "the Smiths' house"): the form is not
    inside a word, and whatever follows its first word in the form is not \w.
    So a text none of whose words is one of these names none of these forms."""
    words = []
    for n in {name, *aliases}:
        for form in ({n, n[0].upper() + n[1:]} if n[:1].islower() else {n} if n else ()):
            first = _WORD.match(form)
            if first is None:
                return None
            words.append(first.group())
    return tuple(words)


@dataclass(frozen=True)
class FirstWords:
    """Which of a cast a text may name, found in one pass over it: `finder` finds the first word of
    each character's name forms (see _first_words), alone or with an "s", where it is a word's end;
    `table` maps each such word to the characters' positions in the cast; `always` are the positions of
    those looked for in every text (a form that starts with no word character)."""
    finder: re.Pattern[str]
    table: dict[str, tuple[int, ...]]
    always: tuple[int, ...]


def first_word_table(cast: Sequence[Character]) -> FirstWords:
    """The cast's FirstWords, made once for all the scenes of a work."""
    table: dict[str, list[int]] = {}
    always = []
    for k, c in enumerate(cast):
        firsts = _first_words(c.name, tuple(c.aliases))
        if firsts is None:
            always.append(k)
            continue
        for word in firsts:
            for key in (word, word + "s"):
                table.setdefault(key, []).append(k)
    # No look-behind: a match inside a word is only a needless search (every matched character is \w, so
    # no word's own start is inside one and skipped), and without it the scan is several times quicker.
    finder = re.compile(r"(?:%s)(?!\w)" % trie_regex(list(table)) if table else "(?!)")
    return FirstWords(finder, {w: tuple(ks) for w, ks in table.items()}, tuple(always))


def _mentions_each(cast: Sequence[Character], narrations: Sequence[str],
                   first_words: FirstWords | None = None) -> list[dict[str, list[int]]]:
    """For each narration, where each cast member is named in it (offsets), overlapping names resolved longest first.

    The narrations are joined by newlines (names never span one) and scanned once
    for the first words of the cast's names (`first_words`, from first_word_table:
    a scene names few of a long work's cast). A character's pattern is then tried
    only where one of its first words stands, in order and past its last match, as
    finditer would go (a match can start nowhere else: see _first_words); a
    character with a form that starts with no word character is searched in full.
    Each hit goes back to its own narration, with offsets local to it, so the
    result is as if each were searched alone.
    """
    if not narrations:
        return []
    starts = _join_offsets(narrations)
    joined = "\n".join(narrations)
    first = first_words or first_word_table(cast)
    places: dict[int, list[int]] = {k: [] for k in first.always}
    for m in first.finder.finditer(joined):
        for k in first.table[m.group()]:
            places.setdefault(k, []).append(m.start())
    always = set(first.always)
    hits: list[list[tuple[int, int, int, str]]] = [[] for _ in narrations]
    for k in sorted(places):
        c = cast[k]
        pattern = _name_pattern(c)
        for m in pattern.finditer(joined) if k in always else matches_at(pattern, joined, places[k]):
            n = bisect_right(starts, m.start()) - 1
            hits[n].append((m.start() - m.end(), m.start() - starts[n], m.end() - starts[n], c.id))
    return [_resolve_mentions(h) for h in hits]


def _join_offsets(narrations: Sequence[str]) -> list[int]:
    """Where each narration starts in "\\n".join(narrations)."""
    return [0, *accumulate(len(n) + 1 for n in narrations[:-1])] if narrations else []


def _resolve_mentions(hits: list[tuple[int, int, int, str]]) -> dict[str, list[int]]:
    """cast id -> offsets from (-length, start, end, cast id) hits, overlaps resolved longest first."""
    taken: list[tuple[int, int]] = []
    found: dict[str, list[int]] = {}
    for _, s, e, cid in sorted(hits):
        if any(s < te and ts < e for ts, te in taken):
            continue
        taken.append((s, e))
        found.setdefault(cid, []).append(s)
    return found


def scene_characters(narrations: Sequence[str], speakers: Sequence[tuple[int, str]],
                     cast: Sequence[Character], first_words: FirstWords | None = None) -> tuple[str, ...]:
    """Who is present: whoever speaks or thinks, and whoever the narration names more than in passing.

    A character named only once in the narration of a scene where others speak
    but they never do ("the direction Neji pointed out") is taken as mentioned,
    not present; in a scene without attributed speech one naming is enough.
    `speakers` is (offset, cast id) pairs; narrations are the scene's paragraphs; `first_words` is
    first_word_table(cast), made once for many scenes.
    """
    first_seen: dict[str, int] = {}
    counts: dict[str, int] = {}
    for offset, found in zip(_join_offsets(narrations), _mentions_each(cast, narrations, first_words)):
        for cid, spots in found.items():
            counts[cid] = counts.get(cid, 0) + len(spots)
            first_seen.setdefault(cid, offset + spots[0])
    spoke = {cid for _, cid in speakers}
    for at, cid in speakers:
        first_seen[cid] = min(first_seen.get(cid, at), at)
    needed = 2 if spoke else 1
    present = [cid for cid in first_seen if cid in spoke or counts.get(cid, 0) >= needed]
    return tuple(sorted(present, key=lambda cid: first_seen[cid]))
