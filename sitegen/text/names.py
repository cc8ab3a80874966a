"""Find where cast members are named in a text: names, aliases and their parts (THE name index).

Every form of every name (names, aliases, their parts, lower-case aliases
like "the copy-nin") goes into one regex built as a trie, so a whole novel
is scanned in C and the longest form wins ("Mr. Frank Churchill" over
"Frank"). A form shared by several characters keeps all their ids; the
attribution stage picks the most recently mentioned one.
"""
from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass
from typing import Iterator

from ..model import Character

TITLES = frozenset("Mr Mr. Mrs Mrs. Ms Ms. Miss Dr Dr. Sir Lady Lord Madam Madame Mme Mlle "
                   "Monsieur Captain Colonel Uncle Aunt Cousin Father Mother Master Mistress "
                   "The A An Old Young Little Big Saint St St.".split())
_I = re.compile(r"I(?<!\w.)\b")                  # \bI\b, the check after the I (not_after)
NARRATOR_NAMES = frozenset({"narrator", "_narr", "_narrator", "the narrator"})


@dataclass(frozen=True)
class Mention:
    """A cast member named at start..end (ids: every character the words may mean)."""
    start: int
    end: int
    ids: tuple[str, ...]
    possessive: bool = False                # Sakura's: not a subject


@dataclass(frozen=True)
class NameIndex:
    """The cast's name forms, ready for scanning."""
    pattern: re.Pattern                     # finds every form
    table: dict[str, tuple[str, ...]]       # form (and its variants) -> ids
    pronouns: dict[str, str]                # id -> she | he | they | it | i
    narrator: str | None                    # id of the first-person narrator


def build_index(cast: tuple[Character, ...] | list[Character]) -> NameIndex:
    """Name forms of each character: name, aliases, their comma parts, and a unique first name."""
    forms: dict[str, list[str]] = {}
    lower: dict[str, list[str]] = {}
    for ch in cast:
        for form in _forms_of(ch):
            table = lower if form[:1].islower() else forms
            ids = table.setdefault(form, [])
            if ch.id not in ids:
                ids.append(ch.id)
    _add_first_names(cast, forms)
    _add_name_parts(cast, forms)
    _add_title_surnames(cast, forms)
    _add_titles(cast, forms, lower)
    _add_roles(cast, lower)
    pattern, table = _scanner(forms, lower)
    return NameIndex(pattern, table, {c.id: c.pronouns for c in cast}, _narrator_of(cast))


def _forms_of(ch: Character) -> list[str]:
    """The ways a character's name may be written (placeholders like _group are skipped)."""
    out = []
    for raw in (ch.name, *ch.aliases):
        raw = re.sub(r"\s+-\s+.*$|\s*\(.*?\)", "", raw).strip()
        for part in [raw, *raw.split(",")]:
            part = part.strip()
            if part.startswith(("The ", "the ")) and part[4:5].isupper():
                part = part[4:]
            if part and not part.startswith("_") and part.lower() not in ("narrator",) \
                    and part not in TITLES:      # "Sir", "Madam": a form of address, not a name
                out.append(part)
    return out


def _add_first_names(cast, forms: dict[str, list[str]]) -> None:
    """Add the first word of a many-word name when no other form uses it."""
    for ch in cast:
        words = ch.name.split()
        if len(words) >= 2 and words[0] not in TITLES and all(w[:1].isupper() for w in words) \
                and not words[0].startswith("_"):
            first = words[0].rstrip(",")
            forms.setdefault(first, [ch.id])


_PARTICLES = frozenset("van von der den de del della di da du le la bin ibn al el st".split())


def _add_name_parts(cast, forms: dict[str, list[str]]) -> None:
    """Each word of a many-word name alone (surname or given name, in either order:
    "Poirot" of Hercule Poirot, "Kakashi" of Hatake Kakashi), and "Mr./Miss Surname"
    by the character's pronoun; a part two characters share means either of them."""
    parts: dict[str, list[str]] = {}
    for ch in cast:
        words = [w.rstrip(",") for w in ch.name.split()]
        if len(words) < 2 or words[0].startswith("_") or not all(w[:1].isupper() or w.lower() in _PARTICLES
                                                                  for w in words):
            continue
        if words[0] in TITLES and "of" in map(str.lower, words[2:]):   # "Knave" of The Knave Of Hearts
            words = words[:[w.lower() for w in words].index("of", 2)]
        names = [w for w in words if w not in TITLES and w.lower() not in _PARTICLES and len(w) > 1]
        particle = next((i for i, w in enumerate(words) if i and w.lower() in _PARTICLES), None)
        if particle is not None and names:             # "van Helsing" of Abraham van Helsing
            names[-1] = " ".join(words[particle:])
        for w in names if words[0] not in TITLES else names[-1:]:
            ids = parts.setdefault(w, [])
            if ch.id not in ids:
                ids.append(ch.id)
        if words[0] not in TITLES and len(names) >= 2:
            for title in _ADDRESS.get(ch.pronouns, ()):
                ids = parts.setdefault(f"{title} {names[-1]}", [])
                if ch.id not in ids:
                    ids.append(ch.id)
    for form, ids in parts.items():
        forms.setdefault(form, ids)


_ADDRESS = {"he": ("Mr.", "Mr"), "she": ("Miss", "Mrs.", "Mrs", "Ms.", "Ms")}


def _add_title_surnames(cast, forms: dict[str, list[str]]) -> None:
    """"Mrs. Blewett" for Mrs. Peter Blewett, when no other form uses it."""
    for ch in cast:
        for raw in (ch.name, *ch.aliases):
            words = raw.split()
            if len(words) >= 3 and words[0].rstrip(".") in _SURNAME_TITLES and words[-1][:1].isupper():
                forms.setdefault(words[0] + " " + words[-1], [ch.id])


_SURNAME_TITLES = frozenset("Mr Mrs Ms Miss Dr Captain Colonel".split())


RANKS = frozenset("""Count Countess Duke Duchess Baron Baroness Captain Colonel Major General Doctor
Professor Judge King Queen Prince Princess Lady Lord Sir""".split())


def _add_titles(cast, forms: dict[str, list[str]], lower: dict[str, list[str]]) -> None:
    """"the count" for Count Mippipopolous, when one character alone holds the rank."""
    holders: dict[str, list[str]] = {}
    for ch in cast:
        words = ch.name.split()
        if len(words) >= 2 and words[0] in RANKS:
            holders.setdefault(words[0], []).append(ch.id)
    for rank, ids in holders.items():
        if len(ids) == 1:
            lower.setdefault("the " + rank.lower(), list(ids))


def _add_roles(cast, lower: dict[str, list[str]]) -> None:
    """"the patronne" for The Patronne / A Patronne: a character named by a role is
    written in lower case in the narration ("the patronne said")."""
    for ch in cast:
        words = ch.name.split()
        if len(words) >= 2 and words[0] in ("The", "A", "An") and len(words) <= ROLE_WORDS + 1:
            role = "the " + " ".join(words[1:]).lower()
            ids = lower.setdefault(role, [])
            if ch.id not in ids:
                ids.append(ch.id)


ROLE_WORDS = 3


def _narrator_of(cast) -> str | None:
    """The first-person narrator: flagged in the cast, or named 'Narrator' / '_narr'."""
    for ch in cast:
        if ch.narrator or ch.pronouns == "i":
            return ch.id
    for ch in cast:
        if any(n.lower() in NARRATOR_NAMES for n in (ch.name, *ch.aliases)):
            return ch.id
    return None


def indistinguishable(index: NameIndex) -> list[tuple[tuple[str, ...], str]]:
    """Characters that share every name form (two cast entries for one name): the text cannot tell
    them apart, so a mention goes to whichever of them was named last. (ids, their longest form)."""
    forms: dict[str, set[str]] = {}
    for form, ids in index.table.items():
        for cid in ids:
            forms.setdefault(cid, set()).add(form)
    groups: dict[frozenset, list[str]] = {}
    for cid, own in forms.items():
        groups.setdefault(frozenset(own), []).append(cid)
    return [(tuple(ids), max(sorted(own), key=len)) for own, ids in groups.items() if len(ids) > 1]


def find_mentions(index: NameIndex, text: str) -> list[Mention]:
    """Every mention of a cast member in `text`, in order (one regex scan)."""
    found = []
    table = index.table
    for m in index.pattern.finditer(text):
        key = " ".join(m.group("form").split())
        ids = table.get(key) or table.get(key[0].lower() + key[1:]) or table[key[0].upper() + key[1:]]
        found.append(Mention(m.start(), m.end("form"), ids, m.group("pos") is not None))
    if index.narrator:
        narrator = (index.narrator,)
        found.extend(Mention(m.start(), m.end(), narrator) for m in _I.finditer(text))
        found.sort(key=lambda x: x.start)
    return found


def _scanner(forms: dict[str, list[str]], lower: dict[str, list[str]]) -> tuple[re.Pattern, dict]:
    """One regex for every form (a trie, so the longest form wins), and form -> ids."""
    table: dict[str, tuple[str, ...]] = {}
    for form, ids in [*forms.items(), *lower.items()]:
        for variant in _variants(form):
            table.setdefault(variant, tuple(ids))
    plain = [f for f in table if f not in TITLES]
    titles = [f for f in table if f in TITLES]
    # "Sir" alone, but not the "Sir" of "Sir William"
    alternatives = [*trie_branches(plain), *(re.escape(t) + "(?![ \t]*\n?[ \t]*[A-Z])" for t in titles)]
    # Not inside a word, nor a hyphenated one ("Ana" of "Ana-Maria"): `(?<![\w'\u2019])(?<!\w-)` before
    # each form, checked after its first character (not_after) so that the regex engine jumps to the
    # places a form could start; a double hyphen is a dash ("Emma--quite").
    body = "|".join(not_after(r"[\w'\u2019]", not_after(r"\w-", a)) for a in alternatives) or "(?!)"
    return re.compile(r"(?P<form>%s)(?:-%s)?(?P<pos>['\u2019]s?)?(?![\w]|-\w)" % (body, HONORIFICS), re.M), table


# Japanese honorific suffixes: "Naruto-kun" is Naruto ("-nii-san" before "-nii").
HONORIFICS = "(?:%s)" % "|".join(sorted("""kun chan san sama sensei senpai sempai dono tan chin chi kohai
nii-san nee-san nii-chan nee-chan nii nee niisan neesan shishou hime""".split(), key=len, reverse=True))


# Titles that describe (the young Crab, an old Man): written in lower case before the name in prose.
DESCRIPTIVE = frozenset("Old Young Little Big".split())
# Small words a title-cased name capitalises that prose writes in lower case ("King Of Hearts").
SMALL_WORDS = frozenset("Of The And In On At For".split())


def _variants(form: str) -> list[str]:
    """The form, with a lower-case start capitalised (sentence start), a describing first word or a small
    inner word in lower case ("young Crab", "King of Hearts"), and hyphenated parts in either case
    (Winnie-the-pooh, Winnie-the-Pooh)."""
    out = [form, form[0].upper() + form[1:]]
    words = form.split()
    if len(words) > 1 and words[0] in DESCRIPTIVE:   # "the young Crab", "a young Lucas" for Young Crab
        out.append(" ".join([words[0].lower(), *words[1:]]))
    if any(w in SMALL_WORDS for w in words[1:]):     # "King of Hearts" for a title-cased King Of Hearts
        out.append(" ".join([words[0], *(w.lower() if w in SMALL_WORDS else w for w in words[1:])]))
    for i, w in enumerate(words):                # van Helsing / Van Helsing, de la Cruz / De la Cruz
        if w.lower() in _PARTICLES and len(words) > 1:
            out.append(" ".join(words[:i] + [w.swapcase() if w[:1].isupper() else w.capitalize()] + words[i + 1:]))
        elif re.match(r"Ma?c[A-Z]", w):          # McGonagall / Mcgonagall
            k = w.index("c") + 1
            out.append(" ".join(words[:i] + [w[:k] + w[k:].lower()] + words[i + 1:]))
    parts = form.split("-")
    if 1 < len(parts) <= 4:
        for mask in range(1 << (len(parts) - 1)):
            out.append("-".join([parts[0]] + [p.capitalize() if mask >> i & 1 else p.lower()
                                              for i, p in enumerate(parts[1:])]))
    return out


def trie_regex(words: list[str]) -> str:
    """A regex matching any of `words`, longest first, with spaces matching any whitespace. It tries
    the same words in the same order as `"|".join(words)` with the longest first, but the regex engine
    follows one branch per letter instead of testing every word at each place (tags.py's verbs, the
    timeline's name words)."""
    return _node_regex(_trie(words))


def trie_branches(words: list[str]) -> list[str]:
    """The alternatives of trie_regex(words) in the order it tries them, one per first character."""
    return [_char(ch) + _node_regex(child) for ch, child in sorted(_trie(words).items()) if ch]


def _trie(words: list[str]) -> dict:
    """The words as nested dicts, one level per character ("" marks a word's end)."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}
    return trie


def _node_regex(node: dict) -> str:
    """The regex for one trie node: its branches, optional when a word may end here."""
    end = "" in node
    branches = [(_char(ch) + _node_regex(child)) for ch, child in sorted(node.items()) if ch]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:%s)" % "|".join(branches)
    if end:
        return "(?:%s)?" % body
    return body


def _char(ch: str) -> str:
    """One character of a form: a space matches any run of whitespace (hard-wrapped names)."""
    return r"\s+" if ch == " " else re.escape(ch)


def mentions_between(mentions: list[Mention], starts: list[int], a: int, b: int) -> list[Mention]:
    """The mentions that start in [a, b)."""
    return mentions[bisect.bisect_left(starts, a):bisect.bisect_left(starts, b)]


@functools.lru_cache(maxsize=1024)
def forms_pattern(forms: tuple[str, ...], *, edge: str = r"\w", suffix: str = "",
                  loose_spaces: bool = False) -> re.Pattern[str]:
    """A regex for a few name forms, each found only where it is not inside a word: neither the
    character before it nor the one after it (past an optional `suffix`, such as a possessive) is
    an `edge` character (a regex class: \\w, or [\\w-] so "Ana" is not found in "Ana-Maria").
    Forms are tried in the order given (longest first finds the longest). `loose_spaces`: a space
    in a form matches any run of whitespace (a name broken across lines).

    The check before a form is written after its first character ("A(?<![\\w-].)na"): the same
    matches, but the pattern then starts with literals, which lets the regex engine jump to the
    places where a form could start instead of trying every position (about ten times quicker).
    The whole cast's index (build_index) is a trie instead; this is for one character's forms."""
    alternatives = []
    for form in dict.fromkeys(f for f in forms if f):
        f = re.escape(form).replace(r"\ ", r"\s+") if loose_spaces else re.escape(form)
        alternatives.append(not_after(edge, f))
    after = f"(?:{suffix})?" if suffix else ""
    return re.compile(f"(?:{'|'.join(alternatives) or '(?!)'}){after}(?!{edge})")


def matches_at(pattern: re.Pattern[str], text: str, places) -> Iterator[re.Match[str]]:
    """pattern.finditer(text), given every place (ascending) where a match may start: the matches
    starting at those places, none overlapping the one before (a caller that knows where a name's
    first word stands tries only there)."""
    end = 0
    for at in places:
        if at >= end and (m := pattern.match(text, at)):
            end = m.end()
            yield m


def not_after(edge: str, form: str) -> str:
    """The regex `(?<!edge)form` (`form`: a regex, such as re.escape's) written with the check after
    the form's first character when that is a plain literal ("A(?<![\\w-].)na"): the same matches, but
    a pattern that starts with a literal lets the regex engine jump to the places the form could
    start instead of trying every position (forms_pattern's docstring). `edge` may be wider than one
    character ("\\w-"), and `form` may already start with such a check."""
    if not form or form[0] in _SPECIAL:
        return f"(?<!{edge}){form}"
    return f"{form[0]}(?<!{edge}.){form[1:]}"


_SPECIAL = frozenset("\\.^$*+?{}[]|()")        # a regex's first character that is not a plain literal
