"""Keep the build cache between runs of `sitegen build`, in .sitegen-cache/ beside content/.

The folder holds one file, written by sitegen alone: a magic line, then three
pickles sharing one memo: a header (format, sitegen's version and a digest of
its own code, and the key of the whole site's inputs), the last build's output
(files and warnings), and the BuildCache the dev server uses. When nothing
changed (the same site key) the output is reused without loading the rest;
otherwise the BuildCache is loaded and only what changed is redone. A cache
written by another version of sitegen, or unreadable, is ignored (and replaced
on the next save). Deleting the folder is always safe.
"""
from __future__ import annotations

import contextlib
import gc
import hashlib
import os
import pickle
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

from .cache import BuildCache

FOLDER = ".sitegen-cache"
FILE = "build.pickle"
MAGIC = b"sitegen build cache\n"
FORMAT = 1
README = ("This folder is sitegen's build cache: it makes the next `sitegen build` faster.\n"
          "It is safe to delete; `sitegen build --no-cache` ignores it.\n")


@lru_cache(maxsize=1)
def code_version() -> str:
    """sitegen's version and a digest of its own source, so a cache from other code is never used."""
    try:
        version = metadata.version("sitegen")
    except metadata.PackageNotFoundError:
        version = "unknown"
    h = hashlib.blake2b(digest_size=16)
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):
        h.update(str(path.relative_to(package)).encode() + b"\0" + path.read_bytes())
    return f"{version}+{h.hexdigest()}"


@dataclass(frozen=True)
class Saved:
    """What the last build made: its output files and warnings, and how many works and words."""
    files: dict[str, bytes]
    diagnostics: tuple
    works: int
    words: int


class Store:
    """The cache folder of one site: read once at the start of a build, written at its end."""

    def __init__(self, site_dir: Path):
        self.folder = Path(site_dir) / FOLDER
        self.path = self.folder / FILE
        self._unpickler = None
        self._handle = None
        self.key: str | None = None          # the site key the saved build was made from

    def open(self) -> None:
        """Read the header; a missing, foreign, old or corrupt file leaves the store empty."""
        try:
            handle = open(self.path, "rb")
        except OSError:
            return
        try:
            if handle.read(len(MAGIC)) != MAGIC:
                raise ValueError("not a sitegen cache")
            unpickler = pickle.Unpickler(handle)
            header = unpickler.load()
            if not (isinstance(header, dict) and header.get("format") == FORMAT
                    and header.get("version") == code_version()):
                raise ValueError("another version's cache")
        except Exception:                          # unreadable or from other code: start afresh
            handle.close()
            return
        self._handle, self._unpickler, self.key = handle, unpickler, header.get("site")

    def saved(self) -> Saved | None:
        """The last build's output (call after open, before cache)."""
        return self._load(Saved)

    def cache(self) -> BuildCache | None:
        """The BuildCache the last build left (call after saved)."""
        return self._load(BuildCache)

    def _load(self, kind: type) -> Any:
        if self._unpickler is None:
            return None
        # Unpickling makes millions of objects and no garbage: the cyclic collector, which would
        # run every few thousand of them, waits (1M words: 0.25-0.31 s -> 0.11-0.12 s).
        collecting = gc.isenabled()
        gc.disable()
        try:
            value = self._unpickler.load()
            if isinstance(value, kind):
                return value
        except Exception:
            pass
        finally:
            if collecting:
                gc.enable()
        self.close()
        return None

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
        self._handle = self._unpickler = None

    def save(self, key: str, saved: Saved, cache: BuildCache) -> None:
        """Write the cache atomically (a temp file, then rename); a failure to write is not an error."""
        self.close()
        temp = None
        try:
            self.folder.mkdir(exist_ok=True)
            for name, text in ((".gitignore", "*\n"), ("README.txt", README),
                               ("CACHEDIR.TAG", "Signature: 8a477f597d28d172789f06886806bc55\n")):
                if not (self.folder / name).exists():
                    (self.folder / name).write_text(text, encoding="utf-8")
            fd, temp = tempfile.mkstemp(prefix=".build-", suffix=".tmp", dir=self.folder)
            with os.fdopen(fd, "wb") as f:
                f.write(MAGIC)
                pickler = pickle.Pickler(f, protocol=pickle.HIGHEST_PROTOCOL)
                pickler.dump({"format": FORMAT, "version": code_version(), "site": key})
                pickler.dump(saved)
                pickler.dump(cache.portable())
            os.replace(temp, self.path)
        except BaseException as e:
            if temp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(temp)
            if not isinstance(e, Exception):
                raise                # Ctrl-C: stop; any other failure only costs the next build its head start
