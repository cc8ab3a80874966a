"""Candidate cast from the text itself, when the work has no cast.

A capitalised name becomes a candidate when it acts as a speaker in a tag
("Naruto said", "said Alice", "said the Gryphon", "an old Crab took the opportunity of saying": the
capitalised words after an article): once is enough, since a name in a tag's subject
place is rarely anything else; names only addressed in quotes ("Open your eyes
Sakura,") are not candidates on their own, but rank a candidate higher. Shorter names that are part
of a longer one become its aliases (Sakura -> Sakura Haruno). Pronouns are
guessed from the he/she words that follow the name in the narration. "I said"
tags (outside quotes) add a first-person narrator.
"""
from __future__ import annotations

import bisect
import math
import re
from collections import Counter
from functools import lru_cache

from ..model import Character
from ..text.names import not_after
from ..text.sentences import CLOSERS
from ..text.slugs import character_id
from .describe import attach, descriptions
from .marks import Span
from .languages import language
from .tags import Tag, _tag_after, _tag_before, _vocatives
from .wordindex import form_ends, word_places

_NOT_A_NAME = frozenset("""I He She They We It You The A An This That These Those Then There Here When
What Why How Who Whom Which Where And But So Or If As At In On Of For To With After Before Now Yes No
Oh Ah Well Still Yet Just Not All Some Each Both Every Nothing Everyone Everybody Somebody Someone
Nobody One Madam God Please Hey Hi Hello Thanks Sorry Okay OK""".split()) | frozenset(
    # English's closed classes that open sentences: prepositions, conjunctions, determiners and
    # pronouns, and sentence adverbs. None of them is a name, and each may stand first in a
    # sentence before a tag verb's subject ("Despite saying so, he ..."). No nouns or verbs
    # (Hope, Will, May, Rose are names too).
    """About Above Across Against Along Although Among Another Any Anybody Anyone Anything Anyway
    Around Because Behind Below Beneath Beside Besides Between Beyond Despite During Either Even
    Everything Except Finally However Inside Instead Into Later Maybe Meanwhile Most Much Neither
    Never Nevertheless Nonetheless None Nor Once Only Otherwise Outside Over Perhaps Rather Since
    Something Sometimes Soon Such Suddenly Than Therefore Though Through Throughout Thus Toward
    Towards Under Unless Unlike Until Upon Whatever Whenever Whereas Wherever Whether While Whoever
    Within Without My Your His Her Its Our Their Me Him Us Them Also Again Always Often""".split())
_TITLES = frozenset("Mr Mrs Miss Ms Dr Sir Lady Lord".split())


def discover_cast(text: str, spans: list[Span], lang: str = "en") -> tuple[Character, ...]:
    """Characters found acting as speakers or addressees in the text (tags read with `lang`'s table)."""
    tagged, addressed, narrator, verb_genders, described = _name_counts(text, spans, lang)
    names = [n for n in tagged if tagged[n]]
    counts = _word_counts(text, [w for n in names for w in _name_words(n)])
    names = [n for n in names if _looks_like_a_name(text, n, counts)]
    names.sort(key=lambda n: (-tagged[n] - addressed[n], n))
    typos = _typos(text, names)
    names = [n for n in names if n not in typos]
    merged = _merge_short_names(names + _full_names(text, names))
    for typo, main in typos.items():
        home = next(full for full, short in merged.items() if main == full or main in short)
        merged[home].append(typo)
    cast, ids = [], set()
    for full, short in merged.items():
        cid = base = character_id(full)
        while cid in ids:                         # two names with one spelling in ASCII
            cid = f"{base}-{len(ids) + 1}"
        ids.add(cid)
        cast.append(Character(id=cid, name=full, aliases=tuple(short),
                              pronouns=_by_verbs(verb_genders, [full, *short])
                              or _guess_pronouns(text, [full, *short], lang)))
    if lang == "en":
        guessed: dict[tuple[str, ...], str] = {}      # attach asks about one description more than once

        def guess(forms: list[str]) -> str:
            if tuple(forms) not in guessed:
                guessed[tuple(forms)] = _guess_pronouns(text, forms, lang)
            return guessed[tuple(forms)]
        words = word_places(text)
        cast = attach(cast, descriptions(described, text, words), text, guess, words)
    if narrator:
        cast.append(Character(id="narrator", name="Narrator", pronouns="i", narrator=True))
    return tuple(cast)


def _name_counts(text: str, spans: list[Span], lang: str) -> tuple[Counter, Counter, int, Counter, Counter]:
    """How often each name is a tag's subject, and how often each of those names is addressed; how
    many "I said" tags; (name, gender) votes from the endings of the tags' verbs ("прошипела" is a
    she's); and how often each other subject phrase ("the sheriff", "his dad") is a tag's subject."""
    tagged, addressed, narrator, genders, others = Counter(), Counter(), 0, Counter(), Counter()
    endings = language(lang).verb_gender_endings
    for k, span in enumerate(spans):
        nxt = spans[k + 1].start if k + 1 < len(spans) and spans[k + 1].paragraph == span.paragraph \
            else _paragraph_end(text, span.end)
        prev = spans[k - 1].end if k and spans[k - 1].paragraph == span.paragraph else max(0, span.start - 200)
        # only the words matter here, not where they are: ask the finders' memory directly
        tag = _tag_after(text[span.end:nxt], lang) or _before(text[prev:span.start], lang)
        pronouns = language(lang).pronouns
        if tag is not None:
            if tag.subject == "I" or (lang != "en" and pronouns.get(tag.subject) == "i"):
                narrator += 1
            elif tag.subject not in pronouns and _is_name(head := _named_head(tag.subject, lang), lang):
                name = " ".join(_strip_possessive(head).split())
                tagged[name] += 1
                gender = next((g for end, g in endings if tag.verb.endswith(end)), None)
                if gender:
                    genders[name, gender] += 1
            elif tag.subject not in pronouns:
                others[tag.subject] += 1
    for span in _may_address(text, spans, tagged) if lang == "en" else spans:
        quote = text[span.start:span.end]
        for a, b in _vocatives(quote, lang):
            name = quote[a:b]
            if _is_name(name, lang):
                addressed[" ".join(name.split())] += 1
    return tagged, addressed, narrator, genders, others


def _may_address(text: str, spans: list[Span], names) -> list[Span]:
    """The quotes where tags._vocatives may find one of `names` (English): those holding the first
    word of one at a word's start (every vocative pattern has its name after white space, a comma
    or a quote mark, or at the quote's start), and those right after a word character (where a
    name at the quote's start may be the end of a longer word)."""
    firsts = {_TOKEN.match(n) for n in names}
    if None in firsts:                            # a name that does not start with a word character
        return spans
    words = word_places(text)
    places = sorted(p for first in {m.group() for m in firsts} for p in words.get(first))
    out = []
    for s in spans:
        i = bisect.bisect_left(places, s.start)
        if i < len(places) and places[i] < s.end or s.start and _TOKEN.match(text, s.start - 1, s.start):
            out.append(s)
    return out


def _before(seg: str, lang: str) -> Tag | None:
    """tags._tag_before(seg): none when `seg` ends a sentence (a stop, then closing marks and white
    space), as the narration before a paragraph's first quote most often does (its window reaches
    back into the paragraph before, where no rule reads): every English tag pattern ends in a
    comma, a colon, a dash or words after its verb with no stop among them
    (tests/test_quick_forms.py)."""
    if lang == "en" and seg.rstrip().rstrip(CLOSERS)[-1:] in _STOPS:
        return None
    return _tag_before(seg, lang)


_STOPS = (".", "!", "?")


def _by_verbs(genders: Counter, names: list[str]) -> str | None:
    """she / he when the tags' verb endings agree on it (two to one at least)."""
    she = sum(genders[n, "she"] for n in names)
    he = sum(genders[n, "he"] for n in names)
    return "she" if she > 2 * he else "he" if he > 2 * she else None


def _looks_like_a_name(text: str, name: str, counts: dict | None = None) -> bool:
    """A name, not an ordinary word that starts a sentence ("Despite", "Outside"): each of
    its words is written in lower case less often than capitalised in mid-sentence
    (`counts`: _word_counts of the text for the name's words, found in one pass)."""
    if counts is None:
        counts = _word_counts(text, list(_name_words(name)))
    for word in _name_words(name):
        lower, middle = counts[word]
        if lower > middle:
            return False
    return True


# A one-letter slip of a name is a typo of it when the name is written this many times as often
# at least, and the slip this often at most: two real names rarely differ so much in use.
TYPO_RATIO, TYPO_MOST = 10, 3


def _typos(text: str, names: list[str]) -> dict[str, str]:
    """Found names that are one letter off a far more frequent found name ("Dereks", "Derk" for
    "Derek"): typo -> name. Two names both written often are never joined (Jon and Joan)."""
    single = [n for n in names if " " not in n and len(n) >= 4]
    if len(single) < 2:
        return {}
    counts = {n: _alone(text, n) for n in single}
    out = {}
    for rare in single:
        if counts[rare] > TYPO_MOST:
            continue
        main = max((n for n in single if n != rare and counts[n] >= TYPO_RATIO * counts[rare]
                    and n not in out and _one_edit(rare, n)), key=counts.get, default=None)
        if main:
            out[rare] = main
    return out


def _alone(text: str, name: str) -> int:
    """How often `name` stands in the text neither inside a word nor joined to one by a hyphen or
    an apostrophe (the matches of `(?<![\\w'-])name(?![\\w-])`): from the text's word index, the
    places where it is a whole word with no hyphen after it nor hyphen or apostrophe before it."""
    if not _TOKEN.fullmatch(name):
        return len(re.findall(not_after(r"[\w'-]", re.escape(name)) + r"(?![\w-])", text))
    end = len(name)
    return sum(1 for p in word_places(text).get(name) if text[p - 1:p] not in ("'", "-")
               and text[p + end:p + end + 1] != "-")


def _one_edit(a: str, b: str) -> bool:
    """a and b differ by one letter added, dropped, changed, or two neighbours swapped."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] \
            and a[diff[1]] == b[diff[0]]
    short, long_ = sorted((a, b), key=len)
    i = next((k for k in range(len(short)) if short[k] != long_[k]), len(short))
    return short[i:] == long_[i + 1:]


def _name_words(name: str):
    """The words of a name whose case is weighed (titles and words with other characters are not)."""
    for word in name.split():
        word = word.rstrip(".")
        if word not in _TITLES and word.isalpha():
            yield word


def _word_counts(text: str, words: list[str]) -> dict[str, tuple[int, int]]:
    """For each word: how often the text has it in lower case as a word of its own (the matches of
    `\\bword\\b`), and how often capitalised as it is right after a word, comma or semicolon and
    white space (of `[\\w,;]\\s+Word\\b`): read from the text's word index (word_places), not two
    scans per word. A word that is not one run of word characters is counted by its regex."""
    places = word_places(text)
    out = {}
    search = len(text) < SEARCH_BELOW
    for word in dict.fromkeys(words):
        low = word.lower()
        if search and not places.knows(low) and low not in text:
            lower = 0                             # (most names: no read of their letter's words)
        else:
            lower = len(places.get(low, ())) if _TOKEN.fullmatch(low) else \
                len(re.findall(r"\b%s\b" % re.escape(low), text))
        middle = _mid_sentence(text, word, places.get(word, ())) if _TOKEN.fullmatch(word) else \
            len(re.findall(r"[\w,;]\s+%s\b" % re.escape(word), text))
        out[word] = (lower, middle)
    return out


# A name's lower-case form is looked for in a text shorter than this before the words that start
# with its letter are read: in a chapter few names share a letter and most are nowhere in lower
# case; in a novel many names share each letter, and reading its words once costs less than a
# search of the whole text for each name.
SEARCH_BELOW = 100_000


_TOKEN = re.compile(r"\w+")


def _mid_sentence(text: str, word: str, starts: list[int]) -> int:
    """How many of the word's occurrences (at `starts`) the scan `[\\w,;]\\s+word\\b` counts: white
    space before it, a word character, comma or semicolon before that, not inside the match before."""
    count, end = 0, 0
    for q in starts:
        r = q
        while r > 0 and text[r - 1].isspace():
            r -= 1
        if r < q and r > 0 and r - 1 >= end and (text[r - 1] in ",;" or _TOKEN.match(text[r - 1])):
            count += 1
            end = q + len(word)
    return count


def _full_names(text: str, names: list[str]) -> list[str]:
    """"Harry Potter" when two one-word names found ("Harry", "Potter") stand together in the
    text (also as "Harry Potter's", or broken over a line): one person, by first name and surname."""
    single = {n for n in names if " " not in n}
    if len(single) < 2:
        return []
    # only pairs of two found names count (most_common keeps their order: by count, then first met)
    pairs = Counter((a, b) for m in _PAIR.finditer(text) if (a := m.group(1)) in single
                    and (b := _strip_possessive(m.group(2))) in single)
    out = []
    for (a, b), count in pairs.most_common():
        if a in single and b in single and a != b and f"{a} {b}" not in names:
            out.append(f"{a} {b}")
            single -= {a, b}
    return out


# "Harry\nPotter's" too; `\b[A-Z]...` written with the check after the capital, so that the regex
# engine jumps from capital to capital (not_after)
_PAIR = re.compile(r"([A-Z](?<!\w.)[a-z][\w'-]*)(?:[ \t]+\n?|\n)[ \t]*([A-Z][a-z][\w'\u2019-]*)\b")


def _paragraph_end(text: str, pos: int) -> int:
    end = text.find("\n\n", pos)
    return len(text) if end < 0 else end


def _is_name(words: str, lang: str = "en") -> bool:
    parts = words.split()
    if not parts or not all(p[:1].isupper() for p in parts) or parts[0].rstrip(".") in _NOT_A_NAME:
        return False
    if lang != "en" and (parts[0] in language(lang).not_names or len(parts) == 1 and
                         parts[0].rstrip(".") in language(lang).titles):
        return False
    return len(parts) > 1 or parts[0].rstrip(".") not in _TITLES


_ARTICLE = re.compile(r"(?:the|a|an|one)\s+(?:[a-z][\w'-]*\s+){0,2}(?=[A-Z])")


def _named_head(subject: str, lang: str) -> str:
    """The capitalised name an article and its adjectives stand before ("the Gryphon", "an old Crab"):
    in a tag's subject, a character named by what it is."""
    m = _ARTICLE.match(subject) if lang == "en" else None
    return subject[m.end():] if m else subject


def _strip_possessive(name: str) -> str:
    return _POSSESSIVE.sub("", name)


_POSSESSIVE = re.compile(r"['\u2019]s$")


def _merge_short_names(names: list[str]) -> dict[str, list[str]]:
    """Longest names first; a name whose words are all in a longer one becomes its alias."""
    merged: dict[str, list[str]] = {}
    for name in sorted(names, key=lambda n: -len(n.split())):
        words = set(name.split())
        home = next((full for full in merged if words <= set(full.split())), None)
        if home:
            merged[home].append(name)
        else:
            merged[name] = []
    return merged


def _guess_pronouns(text: str, names: list[str], lang: str = "en", background: float | None = None) -> str:
    """she / he from a title (Mrs., Uncle) or from the pronouns that follow the names in the
    narration before any other name (he, his, himself / she, her, herself; not "her" after a
    verb or preposition, where it is more often someone else, counts little), else they
    (in other languages: which of the table's he / she subject pronouns follows them most).

    When neither gender wins clearly, English votes are weighed against the text's own share of
    she words (`background`): in a story told close to a man, "he" follows every name, a
    woman's too, so a name followed by "she" about half the time is a woman's (_by_share)."""
    title = names[0].split()[0].rstrip(".")
    if title in _HE_TITLES:
        return "he"
    if title in _SHE_TITLES:
        return "she"
    votes = Counter()
    after, gender = _pronoun_after(lang)
    for end in form_ends(text, tuple(names)):
        p = after.match(text, end)
        if lang != "en":
            if p and not re.search(r"\s[A-Z]", p.group()[:p.start(1) - p.start()]):
                votes[gender(p.group(1))] += 1
        elif p and not _OTHER_NAME.search(p.group(), 0, p.start(1) - p.start()):
            word = p.group(1).lower()
            weak = word == "her" and _OBJECT_HER.search(text, max(0, p.start(1) - 16), p.start(1))
            votes["she" if word.startswith(("she", "her")) else "he"] += 0.3 if weak else 1
    if not votes:
        return "they"
    (best, n), = votes.most_common(1)
    if n >= (1.3 if lang == "en" else 2) * (sum(votes.values()) - n):
        return best
    if lang != "en":
        return "they"
    return _by_share(votes["she"], votes["he"], she_share(text) if background is None else background)


# How much of what follows a name is about that name (the rest follows the story's usual
# pronoun), and how much likelier one gender must be than the other (a likelihood ratio of e).
OWN_SHARE, MARGIN = 0.5, 1.0


def _by_share(she: float, he: float, background: float) -> str:
    """she / he / they from the she and he votes after a name, against the text's share of she
    words: a name's pronouns are a mix of its own (OWN_SHARE) and the story's usual ones."""
    b = min(max(background, 0.05), 0.95)
    own, rest = OWN_SHARE, 1 - OWN_SHARE
    as_she = she * math.log(own + rest * b) + he * math.log(rest * (1 - b))
    as_he = she * math.log(rest * b) + he * math.log(own + rest * (1 - b))
    return "she" if as_she - as_he >= MARGIN else "he" if as_he - as_she >= MARGIN else "they"


# `\b(?:(she|her|herself)|he|his|him|himself)\b` in any case (re.I), written to start with the first
# letters (re.I folds "s" to "S" and the long s, "h" to "H" alone) so that the regex engine jumps
# to them instead of trying every position: the same matches (tests/test_quick_forms.py).
_SHE_WORDS = re.compile(r"(?:[sS\u017f](?<!\w.)(?i:(he))|[hH](?<!\w.)(?i:(er|erself)|e|is|im|imself))\b")


@lru_cache(maxsize=1)
def she_share(text: str) -> float:
    """The share of she words (she, her, herself) among the text's third-person singular
    pronouns: how far the story is told around women (kept for the last text asked about: it is
    read only when a name's pronouns are split, often by no name of a chapter)."""
    she = he = 0
    words = word_places(text)                     # each is a whole word: counted by its places
    for first in "sS\u017fhH":
        for word in words.starting(first):
            m = _SHE_WORDS.fullmatch(word)        # (rest of) the she word, or None None for a he word
            if m and (m.group(1) or m.group(2)):
                she += len(words.get(word))
            elif m:
                he += len(words.get(word))
    return she / (she + he) if she + he else 0.5


_HE_TITLES = frozenset("Mr Sir Lord Uncle King Prince Duke Count Father Brother Master Baron Monsieur".split())
_SHE_TITLES = frozenset("Mrs Miss Ms Lady Aunt Queen Princess Duchess Countess Mother Sister Madame Mme "
                        "Mlle Madam Mistress Baroness".split())
_PRONOUN_AFTER = re.compile(r"[^\"\u201c\u201d\n]{0,120}?\b(he|she|his|her|himself|herself|He|She|His|Her)\b")
_OBJECT_HER = re.compile(r"(?:\w+ed|\b(?:to|at|with|for|from|told|tells|gave|gives|let|made|saw|sees|"
                         r"hit|kept|left|met|took|brought|caught|held|hold|holding|watching|behind|about|"
                         r"like|than|after|before|into|onto|upon|by|of|on|in|beside|near|tell|help|ask))\s+$")
_OTHER_NAME = re.compile(r"[\w,;]\s+[A-Z]")           # a capitalised word mid-sentence: maybe someone else


@lru_cache(maxsize=None)
def _pronoun_after(lang: str):
    """The pattern of a gendered pronoun soon after a name, and the gender of what it finds."""
    if lang == "en":
        return _PRONOUN_AFTER, lambda w: "she" if w.lower().startswith("her") else "he"
    table = language(lang).pronouns
    words = "|".join(sorted((w for w, g in table.items() if g in ("he", "she")), key=len, reverse=True))
    return re.compile(r"(?:(?!\n[ \t]*\n)[^;\"\u201c\u201d\u00ab\u00bb\u2014]){0,60}?(?<!\w)(%s)(?!\w)" % words), \
        table.get
