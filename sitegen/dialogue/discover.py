"""Candidate cast from the text itself, when the work has no cast."""
from __future__ import annotations

from ..model import Character


def discover_cast(text: str, spans) -> tuple[Character, ...]:
    return ()
