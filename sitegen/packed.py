"""Sequences read lazily: a tuple kept pickled until it is first read (Packed), and several sequences
read as one without copying them (Joined).

A long work's kept cache (store.py) holds each file's quotes: at a million words ~22k Quote
objects, most of the time of loading the cache, though a build after one chapter changed reads
the quotes of that chapter alone. Each file's quotes are kept Packed (one bytes object to load),
and the work's quotes are the files' Joined: a chapter's quotes unpickle only the files they are in.
"""
from __future__ import annotations

import pickle
from bisect import bisect_right
from collections.abc import Sequence
from itertools import accumulate, chain
from typing import Any, Iterator


class Packed(Sequence):
    """A tuple kept as its pickle (and its length) until an item is read; pickles as that pickle again."""
    __slots__ = ("_blob", "_length", "_items")

    def __init__(self, blob: bytes, length: int):
        self._blob, self._length, self._items = blob, length, None

    @classmethod
    def of(cls, items: Sequence) -> "Packed":
        if isinstance(items, Packed):
            return items
        return cls(pickle.dumps(tuple(items), protocol=pickle.HIGHEST_PROTOCOL), len(items))

    @property
    def items(self) -> tuple:
        if self._items is None:
            self._items = pickle.loads(self._blob)
        return self._items

    @property
    def read(self) -> bool:
        """Whether the items were unpickled."""
        return self._items is not None

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, i):
        return self.items[i]

    def __iter__(self) -> Iterator:
        return iter(self.items)

    def __eq__(self, other: Any) -> bool:
        if isinstance(other, (Packed, Joined)):
            return self.items == tuple(other)
        return self.items == other if isinstance(other, tuple) else NotImplemented

    def __hash__(self) -> int:
        return hash(self.items)

    def __repr__(self) -> str:
        return f"Packed({self.items!r})"

    def __reduce__(self):
        return Packed, (self._blob, self._length)


class Joined(Sequence):
    """Sequences read as one, in order (a work's quotes: each file's); an item or a slice reads
    only the parts it falls in."""
    __slots__ = ("parts", "starts")

    def __init__(self, parts: Sequence[Sequence]):
        self.parts = tuple(parts)
        self.starts = (0, *accumulate(map(len, self.parts)))    # where each part starts, then the length

    def __len__(self) -> int:
        return self.starts[-1]

    def __getitem__(self, i):
        if isinstance(i, slice):
            start, stop, step = i.indices(len(self))
            if step != 1:
                return tuple(self)[i]
            found = []
            k = bisect_right(self.starts, start) - 1
            while start < stop:
                base = self.starts[k]
                found += self.parts[k][start - base:stop - base]
                start, k = self.starts[k + 1], k + 1
            return tuple(found)
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError("Joined index out of range")
        k = bisect_right(self.starts, i) - 1                   # (the last part starting at or before i)
        return self.parts[k][i - self.starts[k]]

    def __iter__(self) -> Iterator:
        return chain.from_iterable(self.parts)

    def __eq__(self, other: Any) -> bool:
        if isinstance(other, (Packed, Joined, tuple)):
            return tuple(self) == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"Joined({self.parts!r})"
