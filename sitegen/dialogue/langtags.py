"""Speech tags in languages other than English, with patterns built from each language's table.

The same shapes as the English finder in tags.py, fewer of them: a verb first
("dit Harry", "sagte Anna", "прошипела Гермиона", "demanda-t-elle"), a subject
first ("Harry dit", "elle murmura"), and before a quote a clause ending in
either ("Гермиона сказала:"). A subject is a pronoun of the table, a
capitalised name (any script), or an article and a noun with a name.
English keeps its own, richer patterns (tags.py).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .languages import language
from ..text.sentences import sentence_starts

UPPER = "A-ZÀ-ÖØ-ÞĀĂĄĆČĎĐĒĘĚĞĪŁŃŇŌŐŒŘŚŞŠŢŤŪŮŰŹŻŽΑ-ΩА-ЯЁ"
_NAME = rf"[{UPPER}][\w'\u2019-]*(?:[ \t\n]+[{UPPER}][\w'\u2019-]*){{0,2}}"
_LEAD = r"^[\s,;:.!?\u2026\u2014\u2013-]*"


@dataclass(frozen=True)
class Patterns:
    """One language's compiled tag patterns."""
    after: tuple[re.Pattern, ...]     # right after a quote
    bare: re.Pattern                  # a verb with no subject after it ("— odparła.", "—respondió.")
    gendered: tuple[tuple[str, str], ...]   # verb ending -> the pronoun word of its gender
    before: tuple[re.Pattern, ...]    # at the end of the clause before a quote
    lead: re.Pattern                  # a subject right after a quote, whatever follows
    subject_word: re.Pattern          # he / she / I pronouns in a sentence
    thought: frozenset[str]
    pronouns: dict[str, str]
    not_names: frozenset[str]


def _alt(words) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(set(words), key=len, reverse=True))


@lru_cache(maxsize=None)
def patterns(code: str) -> Patterns:
    """The compiled patterns of the language `code` (a table in languages/)."""
    lang = language(code)
    verb = rf"(?<!\w)(?P<verb>{_alt(lang.speech_verbs + lang.thought_verbs)})(?!\w)"
    pron = _alt(lang.pronouns)
    adv = rf"(?:\w+(?:{_alt(lang.adverb_endings)})\s+)?" if lang.adverb_endings else ""
    art = rf"(?:(?:{_alt(lang.articles)})\s*(?:\w+\s+)?{_NAME}|(?:{_alt(lang.articles)})\s*\w+)|" \
        if lang.articles else ""
    subj = rf"(?P<subj>(?<!\w)(?:{pron})(?!\w)|{art}{_NAME})"
    after = [re.compile(_LEAD + rf"{adv}{verb}\s+{adv}{subj}"),
             re.compile(_LEAD + rf"{subj},?\s+{adv}{verb}")]
    before = [re.compile(rf"{verb}\s+{subj}\s*[,:]?\s*$"),
              re.compile(rf"{subj},?\s+{adv}{verb}(?P<rest>[^.!?;]{{0,80}})$")]
    if lang.inversion_hyphen:
        hyphen = rf"{verb}(?:-t)?-(?P<subj>{pron})(?!\w)"
        after.insert(0, re.compile(_LEAD + adv + hyphen))
        before.insert(0, re.compile(hyphen + r"\s*[,:]?\s*$"))
    people = [w for w, g in lang.pronouns.items() if g in ("he", "she", "i")]
    word_of = {g: w for w, g in reversed(list(lang.pronouns.items())) if w.islower()}
    gendered = tuple((end, word_of[g]) for end, g in lang.verb_gender_endings if g in word_of)
    return Patterns(tuple(after), re.compile(_LEAD + adv + verb), gendered, tuple(before),
                    re.compile(_LEAD + subj + r",?\s+(?=[^\W\d_])"),
                    re.compile(rf"(?<!\w)(?:{_alt(people)})(?!\w)"), frozenset(lang.thought_verbs),
                    lang.pronouns, lang.not_names)


def _ok(p: Patterns, subject: str) -> bool:
    """A pronoun of the table, or a name that is not a capitalised common word."""
    return subject in p.pronouns or subject.split()[0] not in p.not_names


def find_after(seg: str, code: str):
    """(start, end, subject, verb, thought) of a tag at the start of seg, or None. A verb with
    no subject whose ending has a gender ("odparła") stands for that gender's pronoun."""
    p = patterns(code)
    for pattern in p.after:
        m = pattern.match(seg)
        if m and _ok(p, m.group("subj")):
            return m.start("subj"), m.end("subj"), m.group("subj"), m.group("verb"), m.group("verb") in p.thought
    m = p.bare.match(seg)
    pronoun = m and next((w for end, w in p.gendered if m.group("verb").endswith(end)), None)
    if pronoun:
        return m.start("verb"), m.end("verb"), pronoun, m.group("verb"), m.group("verb") in p.thought
    return None


def starts_with_verb(seg: str, code: str) -> bool:
    """Does seg open with a verb of saying or thinking ("— odparła", "—respondió")?"""
    return bool(patterns(code).bare.match(seg))


def find_incise(seg: str, code: str) -> bool:
    """Does seg open with a tag whose verb comes first ("dit-il", "dijo Juan", "— прошипела Гермиона")?"""
    p = patterns(code)
    for pattern in p.after[:-1]:                  # not subject-first: "Harry dit que ..." is speech
        m = pattern.match(seg)
        if m and _ok(p, m.group("subj")):
            return True
    return False


def find_before(seg: str, code: str):
    """(start, end, subject, verb, thought) of a tag ending the last clause of seg, or None."""
    p = patterns(code)
    starts = sentence_starts(seg, abbreviations=frozenset(language(code).titles))   # "M. Dupont", "Sra. Ruiz"
    cut = starts[-1] if starts else 0
    clause = seg[cut:]
    for pattern in p.before:
        m = pattern.search(clause)
        if m and _ok(p, m.group("subj")):
            return (cut + m.start("subj"), cut + m.end("subj"), m.group("subj"), m.group("verb"),
                    m.group("verb") in p.thought)
    return None


def lead_subject(text: str, a: int, b: int, code: str) -> tuple[int, int, str] | None:
    """A subject right after a quote's closing mark: `« Oui », Harry leva les yeux`."""
    p = patterns(code)
    m = p.lead.match(text, a, b)
    if m and _ok(p, m.group("subj")):
        return m.start("subj"), m.end("subj"), m.group("subj")
    return None


# Names a quote addresses, in any language: at its start before a comma or "!"
# ("« Harry, viens ! »", "— Гермиона, ты где?"), between commas, or at its end.
_VOC_NAME = rf"(?P<name>{_NAME})"
_VOCATIVES = (re.compile(r"^[\s\"'\u00ab\u00bb\u201e\u201c\u201d\u300c\u2014\u2013\u00a0\u202f]*" + _VOC_NAME
                         + r"[\s\u00a0\u202f]*[,!?\u2026]"),
              re.compile(r",[\s\u00a0\u202f]*" + _VOC_NAME + r"[\s\u00a0\u202f]*[,.!?;\u2026]"))


def vocatives(seg: str) -> tuple[tuple[int, int], ...]:
    """Spans of capitalised names a quote seg addresses (candidates: the caller checks the cast)."""
    return tuple((m.start("name"), m.end("name")) for pattern in _VOCATIVES for m in pattern.finditer(seg))
