"""The default builder: sitegen.build with one BuildCache kept across rebuilds, and the public/ writer."""
from __future__ import annotations

import gc
import os
import threading
from pathlib import Path
from typing import Any, NamedTuple

from ..render.deferred import Deferred
from ..output import MARKER, made_by_sitegen, update_output, write_output
from .changes import SITE_CONFIG, Change


class SiteBuilder:
    """builder(changes) -> BuildResult, reusing one BuildCache so only changed inputs are redone.

    A change to sitegen.toml may change the theme or anything else site-wide,
    so it starts a fresh cache; every other change is left to the cache,
    which redoes only the inputs that changed.
    """

    def __init__(self, site_dir: Path, theme: str | None = None):
        self.site_dir = site_dir
        self.theme = theme
        self._cache: Any = None                          # the BuildCache, made on first use
        self._written: tuple[Path, Any] | None = None    # (output folder, the files last written there)
        self._store: Any = None                          # the kept cache, opened by kept(), read by the first build
        self._since_collected = 0                        # builds since the last full collection (settle_memory)
        self._quiet = threading.Event()                  # set while no build runs (the writer waits for it)
        self._quiet.set()

    @property
    def _build(self) -> Any:
        from .. import build          # imported on first use: the kept output is served before it loads
        return build

    @property
    def cache(self) -> Any:
        if self._cache is None:
            self._cache = self._build.BuildCache()
        return self._cache

    @cache.setter
    def cache(self, value: Any) -> None:
        self._cache = value

    def kept(self) -> Any:
        """The output the last `sitegen build` kept in .sitegen-cache/ (.files, .diagnostics), else
        the site it left in the output folder (without its warnings), else None.

        Served at once while the first build runs, which is warm with the cache: it
        starts from the BuildCache kept beside that output rather than from nothing.
        The kept output may be older than the files (it is replaced, and the pages
        reloaded, when the first build is done)."""
        from ..store import Store
        store = Store(self.site_dir)
        store.open()
        saved = store.saved()
        if saved is None:
            store.close()
            out = self.output_dir()
            return Written(written_files(out)) if out is not None and made_by_sitegen(out) else None
        self._store = store
        return saved

    def __call__(self, changes: frozenset[Change]) -> Any:
        self._quiet.clear()
        try:
            return self._rebuild(changes)
        finally:
            self._quiet.set()

    def _rebuild(self, changes: frozenset[Change]) -> Any:
        if any(c.kind == SITE_CONFIG for c in changes):
            self.cache = self._build.BuildCache()
        elif self._store is not None:
            self.cache = self._store.cache() or self.cache
            self.cache.seen.pop("git", None)             # git is asked afresh once per dev-server session
        if self._store is not None:
            self._store.close()
            self._store = None
        # A rebuild makes few reference cycles and lasts tens of milliseconds: the cyclic
        # collector waits until it is done (see settle_memory for what happens then).
        environment = self.cache.environment
        gc.disable()
        try:
            result = self._build.build_site(self.site_dir, theme=self.theme, cache=self.cache, defer=True)
        finally:
            replaced = self.cache.environment is not environment or any(c.kind == SITE_CONFIG for c in changes)
            environment = None                           # (the old one must not be kept alive by this frame)
            self._since_collected = settle_memory(self._since_collected, replaced)
            gc.enable()
        return result

    def output_dir(self) -> Path | None:
        """Where `sitegen build` writes (sitegen.toml's output, relative to the site); None if unreadable."""
        from ..load.config import load_site_config     # not the whole build: the first page waits for this
        try:
            out = Path(load_site_config(self.site_dir).output)
        except Exception:
            return None
        return out if out.is_absolute() else self.site_dir / out

    def write(self, result: Any) -> None:
        """Write a good build to the output folder: whole the first time, then only the files that changed.

        Called on the OutputWriter's thread only. The whole site is written
        again (write_output's swap) when the folder changed, lost sitegen's
        marker, or the last write failed part-way.
        """
        out = self.output_dir()
        if out is None:
            return
        files = {path: self._when_quiet(value) for path, value in result.files.items()}
        written, self._written = self._written, None     # unknown until this write succeeds
        if written is not None and written[0] == out and made_by_sitegen(out):
            try:
                update_output(written[1], files, out)
            except OSError:                # e.g. a folder of the user's where a page goes: write it whole
                write_output(files, out, self.site_dir)
        else:
            write_output(files, out, self.site_dir)
        self._written = (out, files)

    def _when_quiet(self, value: Any) -> bytes:
        """A page's bytes; a deferred page is made here, off the reload's path, and only while no build
        runs: a save that comes in while the pages are written shares the interpreter with the one
        page being made then, not with all of them (at a million words, seconds of work)."""
        if isinstance(value, Deferred):
            self._quiet.wait()
            return value.resolve()
        return value


COLLECT_EVERY = 50        # builds between full collections of the frozen objects' cyclic garbage


def settle_memory(since_collected: int, replaced: bool) -> int:
    """After a build: every object alive is frozen (gc.freeze), so the cyclic collector never walks
    the site's cache again; returns the builds since the last full collection.

    With the collector held off during the build, everything the build kept waited in the youngest
    generation, and the first collection after it walked it all, on the save's path: at 200
    chapters 10-20 ms of CPU a save. Frozen objects are never collected, so the few cycles a
    rebuild leaves (about fifty objects) would stay: every COLLECT_EVERY builds, and after a build
    that replaced the template Environment or the whole cache (big garbage with cycles), they are
    unfrozen and collected first."""
    if replaced or since_collected + 1 >= COLLECT_EVERY:
        gc.unfreeze()
        gc.collect()
        since_collected = -1
    gc.freeze()
    return since_collected + 1


class Written(NamedTuple):
    """A site as an earlier build left it in the output folder."""
    files: dict[str, bytes]
    diagnostics: tuple = ()
    kept_in: str = "the output folder"


def written_files(out: Path) -> dict[str, bytes]:
    """Every file of an output folder sitegen made, by its posix path there (symlinks, which
    sitegen never writes, and its marker are left out)."""
    files = {}
    for folder, dirs, names in os.walk(out):
        dirs[:] = [d for d in dirs if not os.path.islink(os.path.join(folder, d))]
        for name in names:
            path = os.path.join(folder, name)
            rel = os.path.relpath(path, out).replace(os.sep, "/")
            if rel == MARKER or os.path.islink(path):
                continue
            try:
                with open(path, "rb") as f:
                    files[rel] = f.read()
            except OSError:
                continue
    return files


class OutputWriter:
    """Writes good builds to the output folder on its own thread, so the browser never waits for the disk.

    Only the newest pending result is written; a failure (e.g. a foreign
    folder in the way) is reported once per distinct message and serving goes on.
    Writing starts once no build has been handed over for `delay` seconds, so
    it does not compete with the reloads (and the rebuilds) of a run of saves.
    """

    def __init__(self, write, log, delay: float = 1.0):
        self._write, self._log, self._delay = write, log, delay
        self._pending: Any = None
        self._cond = threading.Condition()
        self._stopped = False
        self._last_error = ""
        self._thread = threading.Thread(target=self._run, name="sitegen-output", daemon=True)
        self._thread.start()

    def submit(self, result: Any) -> None:
        with self._cond:
            self._pending = result
            self._cond.notify()

    def stop(self) -> None:
        """Finish the pending write (if any), then end."""
        with self._cond:
            self._stopped = True
            self._cond.notify()
        self._thread.join(timeout=30)

    def _run(self) -> None:
        while True:
            with self._cond:
                while self._pending is None and not self._stopped:
                    self._cond.wait()
                # Wait until builds pause for `delay` (stop() writes at once): the reloads come
                # first, and a run of saves is written once, not once per save.
                while not self._stopped:
                    seen = self._pending
                    self._cond.wait_for(lambda: self._stopped or self._pending is not seen, timeout=self._delay)
                    if self._pending is seen:
                        break
                result, self._pending = self._pending, None
                if result is None:
                    return
            self._write_one(result)

    def _write_one(self, result: Any) -> None:
        try:
            self._write(result)
            self._last_error = ""
        except Exception as e:
            message = str(e)
            if message != self._last_error:
                self._log(f"could not write the output folder (still serving from memory): {message}")
                self._last_error = message
