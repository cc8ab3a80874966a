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
from dataclasses import dataclass, field

from ..model import Character

TITLES = frozenset("Mr Mr. Mrs Mrs. Ms Ms. Miss Dr Dr. Sir Lady Lord Madam Madame Mme Mlle "
                   "Monsieur Captain Colonel Uncle Aunt Cousin Father Mother Master Mistress "
                   "The A An Old Young Little Big Saint St St.".split())
_WORD = r"[A-Z][\w'\u2019]*(?:-[\w'\u2019]+)*\.?"
_RUN = re.compile(_WORD + r"(?:[ \t]*\n?[ \t]*" + _WORD + ")*")
_POSSESSIVE = re.compile(r"['\u2019]s?$")
_I = re.compile(r"\bI\b")
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
    folded: dict[str, tuple[str, ...]] = field(default_factory=dict)   # lower-cased forms


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
    _add_titles(cast, forms, lower)
    pattern = None
    if lower:
        alts = "|".join(f"[{f[0]}{f[0].upper()}]" + re.escape(f[1:])
                        for f in sorted(lower, key=len, reverse=True))
        pattern = re.compile(rf"(?<![\w-])(?:{alts})(?![\w-])")
    return NameIndex({k: tuple(v) for k, v in forms.items()}, pattern,
                     {k: tuple(v) for k, v in lower.items()},
                     {c.id: c.pronouns for c in cast}, _narrator_of(cast),
                     max((len(f.split()) for f in forms), default=1),
                     {k.lower(): tuple(v) for k, v in forms.items()})


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
        if len(words) >= 2 and words[0] not in TITLES and all(w[:1].isupper() for w in words) \
                and not words[0].startswith("_"):
            first = words[0].rstrip(",")
            forms.setdefault(first, [ch.id])


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
    get = forms.get
    for m in _RUN.finditer(text):
        run = m.group()
        if " " not in run and "\n" not in run:       # the common case: one word
            ids = get(run) or get(_clean(run)) or index.folded.get(_clean(run).lower())
            if ids:
                found.append(Mention(m.start(), m.end(), ids, _POSSESSIVE.search(run) is not None))
            continue
        found.extend(_lookup_run(index, run, m.start()))
    if index.lower is not None:
        for m in index.lower.finditer(text):
            key = m.group()
            found.append(Mention(m.start(), m.end(), index.lower_ids.get(key) or
                                 index.lower_ids[key[0].lower() + key[1:]]))
    if index.narrator:
        narrator = (index.narrator,)
        found.extend(Mention(m.start(), m.end(), narrator) for m in _I.finditer(text))
    if index.lower is not None or index.narrator:
        found.sort(key=lambda x: x.start)
    return found


def _lookup_run(index: NameIndex, run: str, base: int) -> list[Mention]:
    """Longest known forms inside a run of capitalised words."""
    forms, longest = index.forms, index.longest
    words = [(w.start(), w.group()) for w in re.finditer(r"\S+", run)]
    out, i = [], 0
    while i < len(words):
        for j in range(min(len(words), i + longest), i, -1):
            key = " ".join(w for _, w in words[i:j])
            ids = forms.get(key) or forms.get(_clean(key)) or index.folded.get(_clean(key).lower())
            if ids and j == i + 1 and j < len(words) and words[i][1] in TITLES:
                ids = None                       # "Sir" alone is a form, but "Sir William" is not Sir
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
