"""Per-language word tables of the dialogue engine, read from the TOML files beside this module.

Each `<code>.toml` holds plain lists: verbs of saying and of thinking (every
inflected form a tag uses), subject pronouns with the gender they mean, the
words for "said"/"asked" that make a single-quoted line speech, capitalised
words that start sentences but never name anyone, and common words for
guessing a text's language. Adding a language is adding a file.
"""
from __future__ import annotations

import re
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

HERE = Path(__file__).parent
DEFAULT = "en"


@dataclass(frozen=True)
class Language:
    """One language's table (see en.toml for what each field means)."""
    code: str
    name: str
    speech_verbs: tuple[str, ...]
    thought_verbs: tuple[str, ...]
    pronouns: dict[str, str]          # subject (or possessive) pronoun -> he | she | i | they | we
    said_words: tuple[str, ...]
    not_names: frozenset[str]
    stopwords: frozenset[str]
    inversion_hyphen: bool = False    # "dit-il", "demanda-t-elle": verb-hyphen-pronoun
    adverb_endings: tuple[str, ...] = ()   # "doucement", "suavemente": may stand next to the verb
    articles: tuple[str, ...] = ()         # "dit le professeur McGonagall"
    titles: tuple[str, ...] = ()           # "Mme", "Herr": part of a name, never a name alone
    verb_gender_endings: tuple[tuple[str, str], ...] = ()   # ("ла", "she"): a past verb's gender
    gendered_nouns: dict[str, str] = field(default_factory=dict)   # "mère" -> she: "dit sa mère"


def known() -> tuple[str, ...]:
    """Codes of every language with a table, sorted."""
    return tuple(sorted(p.stem for p in HERE.glob("*.toml")))


@lru_cache(maxsize=None)
def language(code: str | None) -> Language:
    """The table for `code` ("fr", "fr-CA", "French" all mean fr); English when there is none."""
    key = _code(code)
    path = HERE / f"{key}.toml"
    if not path.is_file():
        path, key = HERE / f"{DEFAULT}.toml", DEFAULT
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return Language(code=key, name=data["name"], speech_verbs=tuple(data["speech_verbs"]),
                    thought_verbs=tuple(data["thought_verbs"]), pronouns=dict(data["pronouns"]),
                    said_words=tuple(data["said_words"]), not_names=frozenset(data.get("not_names", ())),
                    stopwords=frozenset(data.get("stopwords", ())),
                    inversion_hyphen=bool(data.get("inversion_hyphen", False)),
                    adverb_endings=tuple(data.get("adverb_endings", ())),
                    articles=tuple(data.get("articles", ())), titles=tuple(data.get("titles", ())),
                    verb_gender_endings=tuple(sorted(data.get("verb_gender_endings", {}).items(),
                                                     key=lambda kv: -len(kv[0]))),
                    gendered_nouns={**{w: "she" for w in data.get("female_nouns", ())},
                                    **{w: "he" for w in data.get("male_nouns", ())}})


def _code(code: str | None) -> str:
    """"fr-CA" / "fr_FR" -> "fr"; a language's English name ("French") -> its code."""
    if not code:
        return DEFAULT
    key = re.split(r"[-_]", code.strip().lower())[0]
    if (HERE / f"{key}.toml").is_file():
        return key
    for other in known():
        if language(other).name.lower() == code.strip().lower():
            return other
    return key


_WORD = re.compile(r"\w+")


def detect_language(text: str, sample: int = 20000) -> str | None:
    """The language whose common words are most frequent in the text's start (None when
    the text is too short or no table's words stand out)."""
    return _detect(text[:sample])


@lru_cache(maxsize=256)
def _detect(text: str) -> str | None:
    words = Counter(w.lower() for w in _WORD.findall(text))
    total = sum(words.values())
    if total < 30:
        return None
    scores = {code: sum(words[w] for w in language(code).stopwords) / total for code in known()}
    best = max(scores, key=scores.get)
    runner = max((s for c, s in scores.items() if c != best), default=0.0)
    return best if scores[best] >= 0.08 and scores[best] >= 1.5 * runner else None
