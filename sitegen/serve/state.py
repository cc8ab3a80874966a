"""The published site: the last good build's files, its epoch, the current build error, what each epoch changed."""
from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Mapping

HISTORY = 64        # epochs whose changed-file sets are remembered for late-connecting pages


@dataclass(frozen=True)
class BuildFailure:
    """A failed build as the browser overlay shows it: what, where, how to fix."""
    title: str          # "the build failed" / "unexpected error in the builder"
    message: str        # what went wrong
    location: str       # "content/w/work.toml:3:1" or ""
    hint: str           # how to fix it, or ""
    text: str           # the full message as the terminal prints it

    def as_json(self) -> dict:
        return {"title": self.title, "message": self.message, "location": self.location,
                "hint": self.hint, "text": self.text}


@dataclass(frozen=True)
class Snapshot:
    """What is being served right now."""
    epoch: int
    files: Mapping[str, bytes]
    failure: BuildFailure | None = None
    warnings: tuple[str, ...] = ()
    build_seconds: float = 0.0


def changed_files(old: Mapping[str, bytes], new: Mapping[str, bytes]) -> frozenset[str]:
    """Output paths added, removed or whose bytes differ between two builds."""
    changed = {k for k, v in new.items() if old.get(k) is not v and old.get(k) != v}
    changed.update(k for k in old if k not in new)
    return frozenset(changed)


@dataclass
class SiteState:
    """Thread-safe holder of the current Snapshot; epochs only advance on a good build."""
    snapshot: Snapshot = field(default_factory=lambda: Snapshot(0, {}))
    _history: "OrderedDict[int, frozenset[str]]" = field(default_factory=OrderedDict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def publish(self, files: Mapping[str, bytes], warnings: tuple[str, ...],
                seconds: float) -> tuple[Snapshot, frozenset[str]]:
        """Make a good build current; returns the new snapshot and the files it changed."""
        with self._lock:
            old = self.snapshot
            changed = changed_files(old.files, files)
            new = Snapshot(old.epoch + 1, files, None, warnings, seconds)
            self.snapshot = new
            self._history[new.epoch] = changed
            while len(self._history) > HISTORY:
                self._history.popitem(last=False)
            return new, changed

    def fail(self, failure: BuildFailure) -> Snapshot:
        """Keep serving the last good files, with the failure shown on top."""
        with self._lock:
            old = self.snapshot
            self.snapshot = Snapshot(old.epoch, old.files, failure, old.warnings, old.build_seconds)
            return self.snapshot

    def changed_since(self, epoch: int) -> frozenset[str] | None:
        """Every file changed after `epoch`, or None when that is too long ago to know."""
        with self._lock:
            current = self.snapshot.epoch
            if epoch >= current:
                return frozenset()
            if epoch + 1 not in self._history:
                return None
            return frozenset().union(*(self._history[e] for e in range(epoch + 1, current + 1)))
