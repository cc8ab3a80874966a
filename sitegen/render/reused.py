"""Parts of a work's view kept from the last build by what they are made of, so a save redoes only its own."""
from __future__ import annotations

from typing import Callable, Hashable, Iterator, Sequence, TypeVar

T = TypeVar("T")

RUN = 16        # files summed together (views.turns, build.line_counts): a work's 200 files are 13 runs


def runs(keys: Sequence[str]) -> Iterator[tuple[int, tuple[str, ...]]]:
    """A work's file keys in runs of RUN: (the run's first file, its files' keys). What is summed over a
    work's files is kept run by run under the run's keys, so a save sums its own run's files and the
    runs, not every file of the work."""
    for lo in range(0, len(keys), RUN):
        yield lo, tuple(keys[lo:lo + RUN])


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

    def made_from(self, key: Hashable, source: object, make: Callable[[], T]) -> T:
        """What `make` made from `source` in the last build, when `source` is the very same object (a part
        `same` kept), else made now: a derived value is reused without comparing or hashing its source."""
        kept = self.last.get(key)
        value = kept[1] if kept is not None and kept[0] is source else make()
        self.used[key] = (source, value)
        return value
