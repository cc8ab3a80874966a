"""Parts of a work's view kept from the last build by what they are made of, so a save redoes only its own."""
from __future__ import annotations

from typing import Callable, Hashable, TypeVar

T = TypeVar("T")


class Reused:
    """The values the last build made, by key (a file's key, a chapter's files and span ...).

    `get` hands back the last build's value for an equal key, else makes it; the
    values asked for in this build are `used`, which the caller keeps for the
    next build in place of `last` (so what is kept never outgrows one build's
    worth, over any number of saves)."""

    def __init__(self, last: dict | None = None):
        self.last: dict = last if isinstance(last, dict) else {}
        self.used: dict = {}

    def get(self, key: Hashable, make: Callable[[], T]) -> T:
        if key in self.used:
            return self.used[key]
        value = self.last[key] if key in self.last else make()
        self.used[key] = value
        return value

    def same(self, key: Hashable, value: T) -> T:
        """`value`, or the last build's equal one under `key` (so keys holding it compare by identity)."""
        kept = self.last.get(key)
        self.used[key] = value = kept if kept is not None and kept == value else value
        return value
