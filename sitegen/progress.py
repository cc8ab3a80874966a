"""Show a long build's progress on a terminal: the stage, how many of its items are done, and the time.

The build's stages call `report(stage, done, total)`; it does nothing unless
`sitegen build` opened a `showing(stream)` block for a terminal. Nothing is
shown until the build has run for `after` seconds, and at most ten updates a
second are written, so a quick build prints only its summary line.
"""
from __future__ import annotations

import contextlib
import time
from typing import IO, Iterator

_active: "Progress | None" = None


class Progress:
    def __init__(self, stream: IO[str], after: float = 2.0, every: float = 0.1):
        self.stream, self.after, self.every = stream, after, every
        self.started = time.perf_counter()
        self.shown = 0.0                # when the line was last written
        self.width = 0                  # its length, to blank it out

    def report(self, stage: str, done: int, total: int) -> None:
        now = time.perf_counter()
        if now - self.started < self.after or (now - self.shown < self.every and done < total):
            return
        self.shown = now
        line = f"{stage}: {done:,}/{total:,} ({now - self.started:.1f} s)"
        self.stream.write("\r" + line.ljust(self.width))
        self.stream.flush()
        self.width = len(line)

    def clear(self) -> None:
        if self.width:
            self.stream.write("\r" + " " * self.width + "\r")
            self.stream.flush()
            self.width = 0


def report(stage: str, done: int, total: int) -> None:
    """Record progress: `done` of `total` items of `stage` (chapters, files)."""
    if _active is not None:
        _active.report(stage, done, total)


@contextlib.contextmanager
def showing(stream: IO[str], enabled: bool = True, after: float = 2.0) -> Iterator[None]:
    """Show progress on `stream` while the block runs, when enabled and the stream is a terminal."""
    global _active
    if not enabled or not stream.isatty():
        yield
        return
    previous, _active = _active, Progress(stream, after)
    try:
        yield
    finally:
        _active.clear()
        _active = previous
