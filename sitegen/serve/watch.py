"""Debounced watchdog watcher: turns a storm of file events into one batch of classified Changes."""
from __future__ import annotations

import threading
import time
import traceback
from pathlib import Path
from typing import Callable

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from .changes import WATCHED_DIRS, Change, classify

# Events that mean a file's content or existence changed (opened / closed-without-write do not).
_RELEVANT = {"created", "modified", "deleted", "moved", "closed"}


class Watcher:
    """Watches a site's content/, themes/, templates/ and config; calls on_batch(frozenset[Change]).

    Events are collected until a quiet period passes without a new one (or
    `max_wait` since the first), then handed over as one batch on the
    watcher's own thread, so on_batch calls never overlap: changes that arrive
    during a rebuild make the next batch.

    The quiet period depends on the last event. A file closed after writing,
    or renamed into place, is a finished save: `settle` seconds are enough to
    gather the events that come with it (an editor's backup and swap files).
    Any other event (a write still going on, a deletion that a re-creation may
    follow) waits the full `debounce`.
    """

    def __init__(self, site_dir: Path, on_batch: Callable[[frozenset[Change]], None], *,
                 debounce: float = 0.03, settle: float = 0.005, max_wait: float = 0.5,
                 output_dir: Callable[[], Path | None] = lambda: None):
        self.site_dir = site_dir.resolve()
        self.on_batch = on_batch
        self.debounce, self.settle, self.max_wait = debounce, min(settle, debounce), max_wait
        self._finished = False                  # the last event finished a save (see settle)
        self.output_dir = output_dir
        self._pending: set[Change] = set()
        self._first = self._last = 0.0
        self._cond = threading.Condition()
        self._stopped = False
        self._observer = Observer()
        self._scheduled: dict[str, object] = {}          # top-level folder -> its ObservedWatch
        self._thread = threading.Thread(target=self._run, name="sitegen-watch", daemon=True)

    def start(self) -> None:
        handler = _Handler(self)
        self._observer.schedule(handler, str(self.site_dir), recursive=False)
        for name in WATCHED_DIRS:
            self._watch_dir(name, handler)
        self._observer.start()
        self._thread.start()

    def stop(self) -> None:
        with self._cond:
            self._stopped = True
            self._cond.notify_all()
        if self._observer.is_alive():
            self._observer.stop()
            self._observer.join(timeout=5)
        if self._thread.is_alive():
            self._thread.join(timeout=2)        # a long build may still be running: it is a daemon

    def _watch_dir(self, name: str, handler: FileSystemEventHandler, *, again: bool = False) -> None:
        """Watch site_dir/name recursively once it exists (it may be created, or re-created, while serving)."""
        folder = self.site_dir / name
        if again and name in self._scheduled:
            try:
                self._observer.unschedule(self._scheduled.pop(name))
            except (KeyError, ValueError):
                pass
        if name not in self._scheduled and folder.is_dir():
            self._scheduled[name] = self._observer.schedule(handler, str(folder), recursive=True)

    def notify(self, event: FileSystemEvent, handler: FileSystemEventHandler) -> None:
        """Called on watchdog's thread for every event: classify it and restart the quiet period."""
        if event.event_type not in _RELEVANT:
            return
        paths = [event.src_path, getattr(event, "dest_path", "") or ""]
        if event.is_directory:
            for p in paths:
                if p and Path(p).parent == self.site_dir and Path(p).name in WATCHED_DIRS:
                    self._watch_dir(Path(p).name, handler, again=event.event_type != "modified")
            if event.event_type == "modified":
                return
        out = self.output_dir()
        found = [(p, classify(self.site_dir, p, output_dir=out)) for p in paths if p]
        changes = {c for _, c in found if c}
        if changes:
            # closed after writing, or renamed onto a site file (src is then the temporary)
            finished = event.event_type == "closed" or (event.event_type == "moved" and found[-1][1] is not None)
            self.add(changes, finished=finished)

    def add(self, changes: set[Change], *, finished: bool = False) -> None:
        """Queue changes for the next batch (also usable directly, e.g. by tests).

        `finished` says the event completed a save, so a short settle will do."""
        with self._cond:
            now = time.monotonic()
            if not self._pending:
                self._first = now
            self._pending |= changes
            self._last = now
            self._finished = finished
            self._cond.notify_all()

    def _run(self) -> None:
        while True:
            batch = self._next_batch()
            if batch is None:
                return
            try:
                self.on_batch(batch)
            except Exception:           # keep watching whatever went wrong with one batch
                traceback.print_exc()

    def _next_batch(self) -> frozenset[Change] | None:
        """Wait for changes, then for a quiet period; None once stopped."""
        with self._cond:
            while not self._pending and not self._stopped:
                self._cond.wait()
            while not self._stopped:
                now = time.monotonic()
                quiet_left = (self.settle if self._finished else self.debounce) - (now - self._last)
                cap_left = self.max_wait - (now - self._first)
                if quiet_left <= 0 or cap_left <= 0:
                    break
                self._cond.wait(min(quiet_left, cap_left))
            if self._stopped:
                return None
            batch, self._pending = frozenset(self._pending), set()
            return batch


class _Handler(FileSystemEventHandler):
    def __init__(self, watcher: Watcher):
        self.watcher = watcher

    def on_any_event(self, event: FileSystemEvent) -> None:
        try:
            self.watcher.notify(event, self)
        except Exception as e:  # never let a bad event kill watchdog's thread
            print(f"sitegen serve: ignored a file event ({type(e).__name__}: {e})", flush=True)
