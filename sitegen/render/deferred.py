"""A page whose bytes are made when first asked for: how the dev server keeps big pages off a save's path.

The whole-work page and the timeline of a long work take longer to render than
everything else a save touches. For the dev server, build_site hands them over
as Deferred: equal to an earlier one when it was made from equal inputs (so the
server can tell which pages changed without rendering them), rendered once, on
the first request or when the output folder is written, whichever comes first.
`sitegen build` never defers.
"""
from __future__ import annotations

import threading
from typing import Callable, Mapping


class Deferred:
    """Bytes made on first use by `make`; equal to another Deferred with an equal `key`."""

    __slots__ = ("key", "_make", "_value", "_lock")

    def __init__(self, key: tuple, make: Callable[[], bytes]):
        self.key, self._make, self._value = key, make, None
        self._lock = threading.Lock()

    def resolve(self) -> bytes:
        """The page's bytes (made now if not yet; other threads asking meanwhile wait for them)."""
        with self._lock:
            if self._value is None:
                self._value = self._make()
                self._make = None              # let go of what it was made from
            return self._value

    def __eq__(self, other) -> bool:
        if self is other:
            return True
        return isinstance(other, Deferred) and self.key == other.key

    __hash__ = None                             # compared, never used as a key

    def __repr__(self) -> str:
        return f"Deferred({'made' if self._value is not None else 'not made yet'})"


def resolved(value: bytes | Deferred) -> bytes:
    return value.resolve() if isinstance(value, Deferred) else value


def resolve_all(files: Mapping[str, bytes | Deferred]) -> dict[str, bytes]:
    """Every file as bytes (deferred pages made now)."""
    return {path: resolved(value) for path, value in files.items()}
