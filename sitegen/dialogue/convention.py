"""Detect a work's quote convention from how its quote marks pair up.

"fic": double quotes for speech, single quotes for thoughts (both appear at
the top level); "british": single quotes for speech (doubles only nested);
"american": double quotes for speech, single quotes only nested inside them.
"""
from __future__ import annotations

from collections.abc import Sequence

from .marks import DOUBLE, SINGLE, Span

CONVENTIONS = ("fic", "british", "american")


def detect_convention(spans: Sequence[Span]) -> str:
    """The convention that explains the top-level quotes best (fic when there are none)."""
    doubles = sum(1 for s in spans if s.family == DOUBLE and s.closed)
    singles = sum(1 for s in spans if s.family == SINGLE and s.closed)
    if singles >= 3 and doubles * 10 <= singles:
        return "british"
    if doubles and singles * 50 <= doubles:
        return "american"
    return "fic"
