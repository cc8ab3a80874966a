"""The quick ways the engine finds things answer exactly as the plain regex they stand for would.

Each speed-up of the dialogue engine keeps its results: these tests put the quick form beside the
plain one (written here only, as the definition) on texts made to hit the edge cases: overlapping
places, names that are parts of others, a name shared by two characters, lists, line breaks.
"""
from __future__ import annotations

import re

from hypothesis import given, settings, strategies as st

from sitegen.dialogue.describe import Described, _by_apposition
from sitegen.model import Character
from sitegen.text.names import not_after

CAST = [Character(id="dana", name="Dana Reyes", pronouns="she"),
        Character(id="bo", name="Bo", aliases=("Mr. Bo",), pronouns="he"),
        Character(id="cole", name="Cole Reyes", pronouns="he"),        # shares "Reyes" with Dana
        Character(id="kit", name="Kit", aliases=("Kitty",), pronouns="she")]
PIECES = ["Dana", "Reyes", "Dana Reyes", "Bo", "Mr. Bo", "Kit", "Kitty", "Cole", "the", "his", "new", "old",
          "guard", "guards", "receptionist", "and", "said", "waves", "Then", ", ", ",", " ", "  ", "\n", ".",
          "x"]


def plain_apposition(d: Described, cast, text: str):
    """The definition: one search per character."""
    noun = r"(?:the|his|her|their|my)\s+(?:[a-z][\w-]*\s+){0,2}%s" % re.escape(d.head)
    found = set()
    for c in cast:
        names = "|".join(re.escape(n) for n in sorted({c.name, *c.aliases, *c.name.split()}, key=len, reverse=True)
                         if n[:1].isupper())
        if names and re.search(r"\b(?:%s),\s+%s,\s+(?!and\b)[a-z]|\b%s,\s+(?:%s),\s+(?!and\b)[a-z]"
                               % (names, noun, noun, names), text):
            found.add(c.id)
    return found.pop() if len(found) == 1 else None


def test_apposition_examples():
    guard = Described("the guard", "guard", 3)
    assert _by_apposition(guard, CAST, "Bo, the guard, waves.") == "bo"
    assert _by_apposition(guard, CAST, "The guard, Kit, said so.") is None          # "The": no determiner
    assert _by_apposition(guard, CAST, "Then the guard, Kit, said so.") == "kit"
    assert _by_apposition(guard, CAST, "Then the old guard, Kitty, said so.") == "kit"
    assert _by_apposition(guard, CAST, "Reyes, the guard, said so.") is None        # Dana or Cole
    assert _by_apposition(guard, CAST, "the guard, Bo, and Kit") is None            # a list
    assert _by_apposition(guard, CAST, "Bo, the guard, Kit, the guard, said") == "kit"   # overlapping
    assert _by_apposition(guard, CAST, "Bo, the guard,\n  said it.") == "bo"


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=24), st.sampled_from(["guard", "receptionist"]))
def test_apposition_is_the_plain_search(pieces, head):
    text = " ".join(pieces).replace(" ,", ",")
    d = Described("the " + head, head, 2)
    assert _by_apposition(d, CAST, text) == plain_apposition(d, CAST, text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab-'_ .\n\u00e9", max_size=30), st.sampled_from(["ab", "a", "b-a", ".a", "\u00e9b"]),
       st.sampled_from([r"\w", r"[\w-]", r"[\w'-]"]))
def test_not_after_is_the_lookbehind(text, form, edge):
    quick, plain = not_after(edge, re.escape(form)), f"(?<!{edge}){re.escape(form)}"
    assert [m.span() for m in re.finditer(quick, text)] == [m.span() for m in re.finditer(plain, text)]
