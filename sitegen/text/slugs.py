"""Slugs: the URL-safe folder and file names of works (and of what `sitegen import` writes), and the
ASCII ids of characters found in a text."""
from __future__ import annotations

import re
import unicodedata

_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    return _SLUG.sub("-", text.lower()).strip("-") or "work"


def character_id(name: str) -> str:
    """An ASCII id for a name: accents dropped (Pétunia -> petunia), Cyrillic spelt in Latin
    letters (Гермиона -> germiona), as cast ids must be."""
    plain = unicodedata.normalize("NFKD", name.lower().translate(_CYRILLIC)).encode("ascii", "ignore").decode()
    return _SLUG.sub("-", plain).strip("-") or "character"


_CYRILLIC = str.maketrans(dict(zip(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєў",
    "a b v g d e e zh z i i k l m n o p r s t u f kh ts ch sh shch  y  e yu ya i i ie u".split(" "))))
