"""How a decision is told to the author: the rule that cast its vote, and the scorer's features.

Every vote records the named rule that cast it (rules.py lists them, in the order they
are tried); the learned scorer (scorer.py) treats each rule's vote as a feature and, for
the quotes it decides, records its top features after the rule's name.
"""
from __future__ import annotations

from .rules import RULES

MEANINGS = dict(RULES)


def describe(evidence: str) -> str:
    """A line an author can read: the rule's meaning, then the scorer's features."""
    rule, _, rest = evidence.partition(";")
    meaning = MEANINGS.get(rule.strip(), rule.strip())
    return f"{rule.strip()}: {meaning}" + (f"; {rest.strip()}" if rest.strip() else "")
