"""The named rules of the attribution sieve, and how a decision is told to the author.

The rules in attribute.py run in this order, strongest first; each gives its
speaker a fixed confidence, so a vote's confidence names the rule that cast it.
The learned scorer (scorer.py) treats each rule's vote as a feature and records,
for every quote, the rule and the features that decided it.
"""
from __future__ import annotations

from functools import lru_cache

from .salience import ANSWER, BEAT, CARRY, GUESS, NAME_TAG, PRONOUN_TAG, TURN

# (name, confidence, what it means), in the order attribute.py tries them.
RULES: tuple[tuple[str, float, str], ...] = (
    ("override", 1.0, "a {=id} marker after the quote"),
    ("name-tag", NAME_TAG, 'a speech tag naming the speaker ("said Alice")'),
    ("pronoun-tag", PRONOUN_TAG, 'a tag with a pronoun ("she said") or the line before in the paragraph'),
    ("carry-later", CARRY * 0.9, "the speaker of a later quote in the same paragraph"),
    ("beat", BEAT, "the subject of the action sentence next to the quote"),
    ("beat-pronoun", BEAT * 0.9, "a beat whose subject is a pronoun, or the beat after the quote"),
    ("beat-after-pronoun", BEAT * 0.9 * 0.9, "a pronoun beat after the quote"),
    ("answer", ANSWER, "the one the previous line addressed by name"),
    ("turn", TURN, "turn-taking in an exchange (parity from the nearest anchored line)"),
    ("guess", GUESS, "the most salient other character"),
    ("none", 0.0, "no rule found a speaker"),
)


@lru_cache(maxsize=256)
def rule_of(confidence: float) -> str:
    """The name of the rule whose confidence this is (the nearest one)."""
    return min(RULES, key=lambda r: abs(r[1] - confidence))[0]


def describe(evidence: str) -> str:
    """A line an author can read: the rule's meaning, then the scorer's features."""
    rule, _, rest = evidence.partition(";")
    meaning = next((r[2] for r in RULES if r[0] == rule.strip()), rule.strip())
    return f"{rule.strip()}: {meaning}" + (f"; {rest.strip()}" if rest.strip() else "")
