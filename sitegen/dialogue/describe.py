"""Descriptions in a text without a cast: which discovered character each recurring one means.

A description is a speech tag's subject that is not a name ("the sheriff says", "his dad
said", "one of the guards shouted"). Without a cast nothing says whom it means, so the text
is asked, in this order:
- a title: the description's noun written before a found name ("Sheriff Stilinski") or in it;
- an apposition: "Dana, the new receptionist," / "the receptionist, Dana,";
- who is around it: the found character of its gender named most often in the paragraphs
  around the description, but rarely in the same sentence (a name and a description of one
  person seldom share a sentence; two people in a scene often do), and clearly more often
  than anyone else there; and, unless no one else of its gender is around it (the owner of
  "his" and those sharing its sentences aside), named there 1.5 times as often as around any
  paragraph of the text: a lead named everywhere is near every description by chance.
A relative ("her uncle", "their father") that nothing joins to a name stays unresolved: it is
most likely someone the text names elsewhere, not a character of its own.
A description that means someone becomes that character's alias; one that speaks in two
tags or more and means no found character, or is one of a group ("one of the guards said",
"the guards asked": no one with a name is), is a character of its own. Descriptions anyone may fit ("the man", "the other") are left to the
rules, which read them quote by quote.
"""
from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass
from functools import cached_property

from ..model import Character
from ..text.names import build_index, find_mentions, matches_at, not_after
from ..text.sentences import sentence_ends, starts_sentence
from ..text.slugs import character_id
from .tags import gender_of_phrase

# The subject phrase of a tag that is a description: a determiner, up to two modifiers and a
# noun, all in lower case ("the new receptionist"), or one of a group ("one of the guards").
_DESCRIPTION = re.compile(r"^(?:(?:[Oo]ne|[Ee]ach|[Ee]ither|[Nn]either)\s+of\s+)?(?P<det>[Tt]he|[Hh]is|[Hh]er|[Tt]heir|[Mm]y|[Yy]our|[Oo]ur)\s+"
                          r"(?P<words>(?:[a-z][\w-]*\s+){0,2}(?P<head>[a-z][a-z-]*[a-z]))(?:['\u2019]s?)?$")
# Nouns that fit anyone: each use may mean someone else.
_ANYONE = frozenset("""man woman boy girl child kid person guy people other others one two three four five
lady gentleman stranger figure voice someone teen teenager adult group crowd pair both rest eyes face
head hand hands latter former""".split())
_DETERMINERS = frozenset("the his her their my your our".split())
NEAR_AT_LEAST = 3           # the character is named around the description this often at least
NEAR_SHARE = 0.3            # and around this share of its places at least
DOMINANCE = 2.0             # and this many times as often as anyone else there
SAME_SENTENCE_AT_MOST = 0.25  # and in the same sentence at most this share of those times
ACTS_AT_LEAST = 3           # a person acts: a tag's or a sentence's subject this often
OWNER_SHARE = 0.6          # "his" of "his dad" means one person this often at least
_OWNER_GENDER = {"his": "he", "her": "she"}
OWN_CHARACTER_TAGS = 2      # a description that means no one found speaks this often to be a character
_OWNERS = frozenset("his her their my your our".split())
_KIN = frozenset("""father mother dad daddy mum mom mummy mommy papa mama mamma pa ma parent parents uncle
aunt brother sister son daughter wife husband cousin niece nephew grandfather grandmother grandpa grandma
granny fiance fiancee""".split())
LIFT_AT_LEAST = 1.5         # and named around it this many times as often as around any paragraph, unless
                            # no one else of that gender is (but the owner and those sharing its sentences)


@dataclass(frozen=True)
class Described:
    """A recurring description: its form as written (lower case), its noun, how many tags it has,
    and whether it is one of a group ("one of the guards said", "the guards asked")."""
    form: str
    head: str
    tags: int
    group: bool = False


def descriptions(subjects: Counter, text: str, index=None) -> list[Described]:
    """The descriptions among tag subjects (phrase -> count), the plural and the singular one
    ("the guards", "one of the guards", "the guard"), most frequent first (`index`: the text's
    word index, wordindex.WordPlaces, where the singulars are looked for when given)."""
    out: dict[str, Described] = {}
    for phrase, n in subjects.items():
        m = _DESCRIPTION.match(" ".join(phrase.split()))
        if not m or m.group("head").lower() in _ANYONE:
            continue
        head = _singular(m.group("head").lower(), text, index)
        words = m.group("words").lower().split()
        form = " ".join([m.group("det").lower(), *words[:-1], head])
        group = head != m.group("head").lower() or phrase.split()[0].lower() != m.group("det").lower()
        old = out.get(form)
        out[form] = Described(form, head, n + (old.tags if old else 0), group or bool(old and old.group))
    return sorted(out.values(), key=lambda d: (-d.tags, d.form))


def _singular(word: str, text: str, words=None) -> str:
    """guards -> guard when the text also has the singular (`\\bguard\\b` in any case: given the
    word index, a word of it that is "guard" in some case)."""
    if not (word.endswith("s") and len(word) > 3):
        return word
    one = word[:-1]
    if words is not None and _TOKEN.fullmatch(one) and one[0].isascii():
        found = any(len(w) == len(one) for w in any_case_words(words, one))
    else:
        found = re.search(r"\b%s\b" % re.escape(one), text, re.I) is not None
    return one if found else word


def attach(cast: list[Character], found: list[Described], text: str, guess, words=None) -> list[Character]:
    """The cast with each description an alias of the character it means, or a character of its
    own; `guess(names)` gives the pronouns of a new one; `words`: the text's word index
    (wordindex.WordPlaces), where the descriptions are looked for when given."""
    if not found:
        return cast
    by_id = {c.id: c for c in cast}
    aliases: dict[str, list[str]] = {c.id: [] for c in cast}
    around = _Around(text, cast, words)
    extra = []
    for d in found:
        cid = _by_title(d, cast, text, words) or _by_apposition(d, cast, text, words)
        if cid and gender_of_phrase(d.form) not in (None, by_id[cid].pronouns):
            cid = None
        someone = None
        if not cid:
            cid, someone = around.best(d, by_id, guess)
        if cid:
            aliases[cid].append(d.form)
        elif d.tags >= OWN_CHARACTER_TAGS and (d.group or not someone and not _kin(d) and _person(d, guess)
                                               and around.acts(d))\
                and not any(d.head == e.aliases[0].split()[-1] for e in extra):
            plural = d.group and not d.form.endswith("s")
            forms = (d.form, d.form + "s") if plural else (d.form,)      # "one of the guards said"
            extra.append(Character(id=_free_id(d.head, by_id, extra), name=d.form.capitalize(), aliases=forms,
                                   pronouns=gender_of_phrase(d.form) or guess([d.form, d.form.capitalize()])))
    return [Character(c.id, c.name, (*c.aliases, *aliases[c.id]), c.pronouns, c.colour, c.narrator)
            if aliases[c.id] else c for c in cast] + extra


def _kin(d: Described) -> bool:
    """"their father", "her uncle": someone's relative, most likely a character the text names
    elsewhere; one that no title, apposition or company joins to a name stays unresolved (the
    rules read it quote by quote) rather than becoming a second character for one person."""
    return d.form.split()[0] in _OWNERS and d.head in _KIN


def _person(d: Described, guess) -> bool:
    return (gender_of_phrase(d.form) or guess([d.form, d.form.capitalize()])) in ("he", "she")


def _free_id(head: str, by_id: dict, extra: list[Character]) -> str:
    taken = set(by_id) | {e.id for e in extra}
    cid = base = character_id(head)
    n = 2
    while cid in taken:
        cid, n = f"{base}-{n}", n + 1
    return cid


def _by_title(d: Described, cast: list[Character], text: str, words=None) -> str | None:
    """The one character with the description's noun as a title: in its name ("Sheriff Stilinski"
    found as a name) or written before one of its names in the text (`words`: its word index)."""
    title = d.head.capitalize()
    holders = {c.id for c in cast if title in (w for n in (c.name, *c.aliases) for w in n.split())}
    # `\bTitle\.?\s+...` written so that the regex engine jumps to the title (it starts with a letter)
    pattern = re.compile(not_after(r"\w", re.escape(title)) + r"\.?\s+([A-Z][\w'-]+)")
    for m in at_word(pattern, text, words, title) if words is not None or title in text else ():
        holders.update(c.id for c in cast if m.group(1) in (c.name, *c.aliases, *c.name.split()))
    return holders.pop() if len(holders) == 1 else None


def _by_apposition(d: Described, cast: list[Character], text: str, words=None) -> str | None:
    """The one character set beside the description by commas, a verb after them: "Dana, the new
    receptionist, greets them" or "his dad, John, says" (not a list: "his father, Mr. Cox, Mr. Cole").

    That is, a character with a name N (its name, an alias or a word of its name, capitalised) where
    `\\bN,\\s+NOUN,\\s+(?!and\\b)[a-z]` or `\\bNOUN,\\s+N,\\s+(?!and\\b)[a-z]` matches (NOUN: a
    determiner, up to two words and the noun). The places a name would stand in either are found
    once (_name_slots, from the noun's places in the word index `words` when given), not once per
    character."""
    ends, starts = _name_slots(d.head, text, words)
    if not ends and not starts:
        return None
    found = set()
    for c in cast:
        for n in {c.name, *c.aliases, *c.name.split()}:
            if n[:1].isupper() and (any(text.startswith(n, j - len(n)) and _EDGE.match(text, j - len(n))
                                        for j in ends if j >= len(n))
                                    or any(text.startswith(n, k) and _THEN_VERB.match(text, k + len(n)) for k in starts)):
                found.add(c.id)
                break
    return found.pop() if len(found) == 1 else None


_EDGE = re.compile(r"\b")
_THEN_VERB = re.compile(r",\s+(?!and\b)[a-z]")


def _name_slots(head: str, text: str, words=None) -> tuple[list[int], list[int]]:
    """Where a name would stand in an apposition with a description of `head`: the places a name
    would end before `, the noun, <verb>` (the name then starts at a word boundary), and the places
    one would start after `the noun, ` (a word boundary before "the"; _THEN_VERB must follow the
    name). Every place of each, overlapping or not, found near each `head,` of the text: no comma
    stands inside NOUN, so `, NOUN,` starts at the last comma before it, and `NOUN, ` after that.
    In either the noun ends at that comma with white space before it: a whole word, so with the
    word index `words` only the noun's places there are tried (_noun_commas). With the noun's place
    known, what stands before it is matched without it: one pattern for every noun."""
    ends, starts = [], []
    for at in _noun_commas(head, text, words):
        comma = at + len(head)
        last = text.rfind(",", 0, comma)
        if last >= 0 and _BEFORE_NOUN.fullmatch(text, last, at) and _THEN_VERB.match(text, comma):
            ends.append(last)
        stop = _SPACES.match(text, comma + 1).end()
        if stop > comma + 1:                      # `, ` after the noun: then any NOUN before it will do
            m = _LEADS_TO_NOUN.search(text, last + 1, at)
            while m and not _EDGE.match(text, m.start()):
                m = _LEADS_TO_NOUN.search(text, m.start() + 1, at)
            if m:
                starts.append(stop)
    return ends, starts


# A description's words before its noun: a determiner and up to two words (the noun's place is known).
_NOUN_LEAD = r"(?:the|his|her|their|my)\s+(?:[a-z][\w-]*\s+){0,2}"
_BEFORE_NOUN = re.compile(r",\s+" + _NOUN_LEAD)
_LEADS_TO_NOUN = re.compile(_NOUN_LEAD + r"\Z")


def _noun_commas(head: str, text: str, words=None):
    """Where `head,` stands in the text: every place, or with the word index `words` (and a head
    of word characters) the places where `head` is a whole word."""
    if words is None or not _TOKEN.fullmatch(head):
        at = text.find(head + ",")
        while at >= 0:
            yield at
            at = text.find(head + ",", at + len(head) + 1)
    else:
        yield from (p for p in words.get(head) if text.startswith(",", p + len(head)))


_SPACES = re.compile(r"\s*")


def _in_any_case(phrase: str) -> re.Pattern:
    """`\\bPHRASE(?:s|['\u2019]s)?\\b` in any case (re.I), its plural or possessive too. A phrase starting
    with a determiner's letter (t h m y o: re.I folds each to itself and its capital alone) is written
    to start with that letter in both cases, so that the regex engine jumps to those letters instead
    of trying every position: the same matches."""
    rest = r"%s(?:s|['\u2019]s)?" % re.escape(phrase[1:])
    if phrase[:1] and phrase[0] in "thmyo":
        return re.compile(r"[%s%s](?<!\w.)(?i:%s)\b" % (phrase[0], phrase[0].upper(), rest))
    return re.compile(r"\b%s%s\b" % (re.escape(phrase[:1]), rest), re.I)


_WORDS = re.compile(r"\w+(?: \w+)*")
_ODD_FOLDS = "\u0130\u0131\u017f\u212a"     # the characters re.I folds to an ASCII letter: İ ı ſ K


def find_any_case(text: str, phrase: str, words=None):
    """The matches of _in_any_case(phrase) in `text`, as its finditer gives them. Given the text's word
    index (wordindex.WordPlaces) and a phrase of words of word characters joined by spaces, whose last
    word starts with an ASCII character, only the places where its last word could stand are tried:
    a match ends with that word, in some case, at the start of a word of the index (after a space, or
    where the match starts), and re.I folds an ASCII letter only to its other case and to _ODD_FOLDS.
    tests/test_quick_forms.py puts it beside the scan."""
    pattern = _in_any_case(phrase)
    last = phrase.rsplit(" ", 1)[-1]
    if words is None or not _WORDS.fullmatch(phrase) or not last[0].isascii():
        return pattern.finditer(text)
    shift = len(phrase) - len(last)
    starts = [p - shift for word in any_case_words(words, last) for p in words.get(word) if p >= shift]
    return matches_at(pattern, text, sorted(starts))


def any_case_words(words, start: str):
    """The words of the word index `words` (wordindex.WordPlaces) that begin with `start` in some
    case, as re.I folds it (`start`'s first character ASCII): those beginning with that letter's
    two cases or one of _ODD_FOLDS that folds to it."""
    head, first = re.compile("(?i:%s)" % re.escape(start)), re.compile("(?i:%s)" % re.escape(start[0]))
    for c in dict.fromkeys((start[0].lower(), start[0].upper(), *_ODD_FOLDS)):
        if first.fullmatch(c):
            yield from (word for word in words.starting(c) if head.match(word))


_TOKEN = re.compile(r"\w+")


def at_word(pattern: re.Pattern, text: str, words, word: str, shift: int = 0):
    """pattern.finditer(text) for a pattern each of whose matches has the whole word `word` (a run
    of word characters, nothing of a word either side) `shift` characters after its start: only
    those places of the word index `words` are tried (all of the text without one)."""
    if words is None or not _TOKEN.fullmatch(word):
        return pattern.finditer(text)
    return matches_at(pattern, text, [p - shift for p in words.get(word) if p >= shift])


class _Around:
    """Who is named around each place a description stands: in its sentence, or in its
    paragraph and the ones either side."""

    def __init__(self, text: str, cast: list[Character], words=None):
        self.text, self.cast, self.words = text, cast, words
        self._shares: dict[str, float] | None = None

    # Read when first needed: most descriptions of a chapter are no person or never act (best()
    # stops before it looks around), and naming the cast compiles a pattern of its names.
    @cached_property
    def mentions(self) -> list[tuple[int, str]]:
        return [(m.start, m.ids[0]) for m in find_mentions(build_index(self.cast), self.text)]

    @cached_property
    def starts(self) -> list[int]:
        return [m[0] for m in self.mentions]

    @cached_property
    def ends(self) -> list[int]:
        return sentence_ends(self.text)

    @cached_property
    def breaks(self) -> list[int]:
        return [m.start() for m in re.finditer(r"\n[ \t]*\n", self.text)]

    def best(self, d: Described, by_id: dict, guess) -> tuple[str | None, bool]:
        """The character the description means, if one stands out; and whether anyone found
        is named around it as it would be (often near, rarely in its sentence). Only a person
        (a he or a she by its noun or the pronouns after it) is looked for, and "his dad" only
        when "his" is mostly the same person (the one "his" means is never the dad)."""
        gender = gender_of_phrase(d.form) or guess([d.form, d.form.capitalize()])
        if gender not in ("he", "she") or not self.acts(d):
            return None, False
        near, same, owners, places = Counter(), Counter(), Counter(), 0
        for m in find_any_case(self.text, d.form, self.words):
            here, close = self._around(m.start())
            places += 1
            same.update(here)
            near.update(close - here)
            owner = self._owner(m.start(), _OWNER_GENDER.get(d.form.split()[0]), by_id)
            if owner:
                owners[owner] += 1
        if owners:
            (owner, n), = owners.most_common(1)
            if n < OWNER_SHARE * sum(owners.values()):
                return None, True
            near.pop(owner, None)
        fits = sorted(((n, cid) for cid, n in near.items()
                       if cid in by_id and by_id[cid].pronouns in (gender, "they")
                       and same[cid] <= SAME_SENTENCE_AT_MOST * (n + same[cid])
                       and n >= max(NEAR_AT_LEAST, NEAR_SHARE * places)), reverse=True)
        if not fits:
            return None, False
        if len(fits) > 1 and fits[0][0] < DOMINANCE * fits[1][0]:
            return None, True
        n, cid = fits[0]
        rivals = [c for c in {*near, *same} if c != cid and c in by_id and by_id[c].pronouns == gender
                  and c not in owners and same[c] <= SAME_SENTENCE_AT_MOST * (near[c] + same[c])]
        if rivals and n / places < LIFT_AT_LEAST * self.share(cid):
            return None, True                  # named around it no more than around anything
        return cid, True

    def share(self, cid: str) -> float:
        """The share of the text's paragraphs that have `cid` named around them (in the paragraph
        or one either side): how often it is near a description by chance alone."""
        if self._shares is None:
            starts = [0, *(b + 1 for b in self.breaks)]
            counts = Counter(c for at in starts for c in self._around(at)[1])
            self._shares = {c: n / len(starts) for c, n in counts.items()}
        return self._shares.get(cid, 0.0)

    def acts(self, d: Described) -> bool:
        """Whether the description is a tag's or a sentence's subject often enough to be someone
        ("The sheriff sits back", not "his coming")."""
        opening = d.form.capitalize()
        pattern = re.compile(not_after(r"\w", re.escape(opening)) + r"\s+[a-z]")
        last = opening.rsplit(" ", 1)[-1]             # a whole word: white space follows it
        opens = sum(starts_sentence(self.text, m.start(), max(0, m.start() - 400))
                    for m in at_word(pattern, self.text, self.words, last, len(opening) - len(last)))
        return d.tags + opens >= ACTS_AT_LEAST

    def _owner(self, at: int, gender: str | None, by_id: dict) -> str | None:
        """Whom "his" / "her" at `at` means: the last character of that gender named in this
        sentence or the one before."""
        if gender is None:
            return None
        s = bisect.bisect_right(self.ends, at)
        start = self.ends[s - 2] if s >= 2 else 0
        lo, hi = bisect.bisect_left(self.starts, start), bisect.bisect_left(self.starts, at)
        return next((cid for _, cid in reversed(self.mentions[lo:hi])
                     if cid in by_id and by_id[cid].pronouns == gender), None)

    def _around(self, at: int) -> tuple[set, set]:
        """The characters named in the sentence holding `at`, and in the paragraphs around it."""
        s = bisect.bisect_right(self.ends, at)
        s0, s1 = (self.ends[s - 1] if s else 0), (self.ends[s] if s < len(self.ends) else len(self.text))
        p = bisect.bisect_right(self.breaks, at)
        p0 = self.breaks[p - 2] if p >= 2 else 0
        p1 = self.breaks[p + 1] if p + 1 < len(self.breaks) else len(self.text)
        lo, hi = bisect.bisect_left(self.starts, p0), bisect.bisect_left(self.starts, p1)
        here = {cid for start, cid in self.mentions[lo:hi] if s0 <= start < s1}
        return here, {cid for _, cid in self.mentions[lo:hi]}
