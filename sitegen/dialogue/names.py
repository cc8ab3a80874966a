"""Find where cast members are named in a text: names, aliases and their parts.

Capitalised runs of words are looked up in a table of the cast's name forms
(one regex scan plus dictionary look-ups, fast on whole novels); aliases
written in lower case ("the copy-nin", "baa-chan") get a small regex of
their own. A form shared by several characters keeps all their ids; the
attribution stage picks the most recently mentioned one.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from ..model import Character

TITLES = frozenset("Mr Mr. Mrs Mrs. Ms Ms. Miss Dr Dr. Sir Lady Lord Madam Madame Mme Mlle "
                   "Monsieur Captain Colonel Uncle Aunt Cousin Father Mother Master Mistress "
                   "The A An Old Young Little Big Saint St St.".split())
_RUN = re.compile(r"[A-Z][\w'\u2019-]*\.?(?:[ \t]*\n?[ \t]*[A-Z][\w'\u2019-]*\.?)*")
_POSSESSIVE = re.compile(r"['\u2019]s?$")
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
    forms: dict[str, tuple[str, ...]]       # capitalised form -> ids
    lower: re.Pattern | None                # lower-case aliases
    lower_ids: dict[str, tuple[str, ...]]
    pronouns: dict[str, str]                # id -> she | he | they | it | i
    narrator: str | None                    # id of the first-person narrator
    longest: int                            # most words in a form


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
    pattern = None
    if lower:
        alts = "|".join(re.escape(f) for f in sorted(lower, key=len, reverse=True))
        pattern = re.compile(rf"(?<![\w-])(?:{alts})(?![\w-])")
    return NameIndex({k: tuple(v) for k, v in forms.items()}, pattern,
                     {k: tuple(v) for k, v in lower.items()},
                     {c.id: c.pronouns for c in cast}, _narrator_of(cast),
                     max((len(f.split()) for f in forms), default=1))


def _forms_of(ch: Character) -> list[str]:
    """The ways a character's name may be written (placeholders like _group are skipped)."""
    out = []
    for raw in (ch.name, *ch.aliases):
        raw = re.sub(r"\s+-\s+.*$|\s*\(.*?\)", "", raw).strip()
        for part in [raw, *raw.split(",")]:
            part = part.strip()
            if part.startswith(("The ", "the ")) and part[4:5].isupper():
                part = part[4:]
            if part and not part.startswith("_") and part.lower() not in ("narrator",):
                out.append(part)
    return out


def _add_first_names(cast, forms: dict[str, list[str]]) -> None:
    """Add the first word of a many-word name when no other form uses it."""
    for ch in cast:
        words = ch.name.split()
        if len(words) >= 2 and words[0] not in TITLES and words[0][:1].isupper() \
                and not words[0].startswith("_"):
            first = words[0].rstrip(",")
            forms.setdefault(first, [ch.id])


def _narrator_of(cast) -> str | None:
    """The first-person narrator: flagged in the cast, or named 'Narrator' / '_narr'."""
    for ch in cast:
        if ch.narrator or ch.pronouns == "i":
            return ch.id
    for ch in cast:
        if any(n.lower() in NARRATOR_NAMES for n in (ch.name, *ch.aliases)):
            return ch.id
    return None


def find_mentions(index: NameIndex, text: str) -> list[Mention]:
    """Every mention of a cast member in `text`, in order."""
    found = []
    forms = index.forms
    for m in _RUN.finditer(text):
        found.extend(_lookup_run(forms, index.longest, m.group(), m.start()))
    if index.lower is not None:
        for m in index.lower.finditer(text):
            found.append(Mention(m.start(), m.end(), index.lower_ids[m.group()]))
        found.sort(key=lambda x: x.start)
    return found


def _lookup_run(forms, longest: int, run: str, base: int) -> list[Mention]:
    """Longest known forms inside a run of capitalised words."""
    words = [(w.start(), w.group()) for w in re.finditer(r"\S+", run)]
    out, i = [], 0
    while i < len(words):
        for j in range(min(len(words), i + longest), i, -1):
            key = " ".join(w for _, w in words[i:j])
            ids = forms.get(key) or forms.get(_clean(key))
            if ids:
                s = base + words[i][0]
                e = base + words[j - 1][0] + len(words[j - 1][1])
                out.append(Mention(s, e, ids, _POSSESSIVE.search(words[j - 1][1]) is not None))
                i = j
                break
        else:
            i += 1
    return out


def _clean(key: str) -> str:
    """A form without a trailing full stop or possessive 's."""
    return _POSSESSIVE.sub("", key.rstrip(".,"))


def mentions_between(mentions: list[Mention], starts: list[int], a: int, b: int) -> list[Mention]:
    """The mentions that start in [a, b)."""
    return mentions[bisect.bisect_left(starts, a):bisect.bisect_left(starts, b)]
