"""Keep the build cache between runs of `sitegen build`, in .sitegen-cache/ beside content/.

The folder holds files written by sitegen alone, each a magic line and a
header (format and a digest of sitegen's own code and data) before its
pickle:
  output.pickle  the last build's output: the site key it was made from, its
                 files and warnings, the output folder it went to and each
                 file's stamp there (inode, size, modification time), so the
                 next build links the files that are unchanged, still as
                 written, instead of writing them again (output.py); and the
                 text files it read, which the next build takes as they are
                 while their size and modification time are unchanged
  build.pickle   the BuildCache the dev server uses: each stage's results by
                 their inputs, good for any later build whatever changed;
                 its header lists the segments that hold the rest of it
  files/KEY.pickle  a segment: what one text file's analysis made (its
                 findings and timeline facts, its scenes' excerpts), named by
                 the file's key; written only when that file's results are new,
                 so one changed chapter writes one segment, not the whole cache.
                 Its quotes are kept packed (packed.py): unpickled only when
                 read, for the chapters made again
  templates/VERSION/  the theme's templates compiled to Python (Jinja2's
                 bytecode cache, by each template's path and text), so a
                 build does not parse and compile them again
When nothing changed (the same site key) the output is reused without loading
the BuildCache; otherwise the BuildCache is loaded and only what changed is
redone. A file written by another version of sitegen, or unreadable, is ignored
(and replaced on the next save); a missing segment only costs its file's
analysis. Deleting the folder is always safe.
"""
from __future__ import annotations

import contextlib
import gc
import hashlib
import os
import pickle
import re
import secrets
import shutil
import tempfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from .cache import BuildCache, text_file
from .load.files import TextCache

if TYPE_CHECKING:                      # (imported when used: the dev server serves the kept output first)
    import jinja2

FOLDER = ".sitegen-cache"
FILE = "build.pickle"                  # the BuildCache
OUTPUT = "output.pickle"               # the last build's output
SEGMENTS = "files"                     # one segment a text file: its analysis
SEGMENT_NAME = re.compile(r"[0-9a-f]{32}")     # a file key (stages/files.py), the name of its segment
TEMPLATES = "templates"                # the compiled templates, a folder for each version of sitegen
MAGIC = b"sitegen build cache\n"
FORMAT = 3
README = ("This folder is sitegen's build cache: it makes the next `sitegen build` faster.\n"
          "It is safe to delete; `sitegen build --no-cache` ignores it.\n")


@lru_cache(maxsize=1)
def code_version() -> str:
    """A digest of sitegen's own files (its code and its data: the scorer's weights, the label and
    language tables), so a cache made by other code, or with other weights, is never used. (Not the
    installed version's number: an editable install keeps it while the code changes, and looking
    it up imports importlib.metadata, 0.03-0.08 s of every build.)"""
    h = hashlib.blake2b(digest_size=16)
    package = os.path.dirname(os.path.realpath(__file__))
    for folder, subfolders, names in os.walk(package):     # (os.walk, not Path.rglob: 0.002 s, not 0.005 s)
        subfolders[:] = sorted(name for name in subfolders if name != "__pycache__")
        for name in sorted(names):
            path = os.path.join(folder, name)
            if not name.endswith((".pyc", ".pyo")) and os.path.isfile(path):
                h.update(path[len(package) + 1:].encode() + b"\0" + Path(path).read_bytes())
    return h.hexdigest()


@dataclass(frozen=True)
class Saved:
    """What the last build made: its output files and warnings, how many works and words, and where
    the files were written (the resolved output folder, and each file's stamp there: output.py)."""
    files: dict[str, bytes]
    diagnostics: tuple
    works: int
    words: int
    out: str = ""
    stamps: dict = field(default_factory=dict)
    texts: TextCache | None = None       # the text files read (kept while their size and mtime are unchanged)


def _opened(path: Path) -> tuple[BinaryIO, pickle.Unpickler, dict] | None:
    """The file, an unpickler past its header, and the header; None if missing, foreign, old or corrupt."""
    try:
        handle = open(path, "rb")
    except OSError:
        return None
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
        return None
    return handle, unpickler, header


@contextlib.contextmanager
def _unscanned(freeze: bool = False):
    """Unpickling makes millions of objects and no garbage: the cyclic collector, which would
    run every few thousand of them, waits (1M words: 0.25-0.31 s -> 0.11-0.12 s). With `freeze`
    (a `sitegen build`, one short process) what was made is then left out of every later collection
    (gc.freeze; it is still freed by reference counting): the first collections of the build would
    otherwise walk all of it, 0.07 s of a one-chapter build at 1M words. Not for the dev server,
    whose replaced cache must stay collectable."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if collecting:
            gc.enable()


def _load(unpickler: pickle.Unpickler, kind: type) -> Any:
    with _unscanned():
        try:
            value = unpickler.load()
            return value if isinstance(value, kind) else None
        except Exception:
            return None


def segment_of(key: Any) -> str | None:
    """The segment a `files` entry is kept in: its text file's key, for the file's findings and
    timeline facts; None (build.pickle) for the rest, whose keys change with other files (a file's
    scenes are numbered through the work; a work's timeline is all its files')."""
    if not (isinstance(key, str) or key[0] == "facts"):
        return None
    name = text_file(key)
    return name if isinstance(name, str) and SEGMENT_NAME.fullmatch(name) else None


def split(cache: BuildCache) -> tuple[BuildCache, dict[str, tuple[dict, dict]]]:
    """The cache without what goes into segments, and each segment's (files, excerpts) entries."""
    segments: dict[str, tuple[dict, dict]] = {}
    rest = {}
    for key, value in cache.files.items():
        name = segment_of(key)
        if name is None:
            rest[key] = value
        else:
            segments.setdefault(name, ({}, {}))[0][key] = value
    for key, value in cache.excerpts.items():
        if key in segments:
            segments[key][1][key] = value
    main = BuildCache(files=rest, bodies=cache.bodies, pages=cache.pages, frames=cache.frames, epub=cache.epub,
                      seen=cache.seen, proven=cache.proven)
    return main, segments


def packed(segment: tuple[dict, dict]) -> tuple[dict, dict]:
    """A segment as written: its file's analysis with the quotes packed (FileAnalysis.packed), loaded
    when read; the rest as it is."""
    from .stages.files import FileAnalysis              # (not imported when nothing changed)
    files, excerpts = segment
    return {k: v.packed() if isinstance(v, FileAnalysis) else v for k, v in files.items()}, excerpts


def contents(segment: tuple[dict, dict]) -> frozenset:
    """What a segment holds (its values are made from their keys alone, so equal keys: equal segments)."""
    return frozenset((*segment[0], *(("excerpts", k) for k in segment[1])))


class Store:
    """The cache folder of one site: read at the start of a build, written at its end."""

    def __init__(self, site_dir: Path, freeze: bool = False):
        self.freeze = freeze                 # the loaded cache is left out of later collections (_unscanned)
        self.folder = Path(site_dir) / FOLDER
        self.path = self.folder / FILE
        self.output_path = self.folder / OUTPUT
        self._output: tuple | None = None
        self.key: str | None = None          # the site key the saved output was made from
        self.made_by: str | None = None      # the save that wrote it (build.pickle names the same one)
        self.last: Saved | None = None       # the saved output, once read
        self.made: tuple[str, BuildCache | None] | None = None    # (key, cache) of this build, for save
        self.texts: TextCache | None = None                        # the files this build read, for save
        self.segments_dir = self.folder / SEGMENTS
        self.on_disk: dict[str, frozenset] = {}      # segment name -> its contents, as cache() read them

    def open(self) -> None:
        """Read the saved output's header; a missing, foreign, old or corrupt file leaves the store empty."""
        self.close()
        self._output = _opened(self.output_path)
        if self._output is not None:
            self.key, self.made_by = self._output[2].get("site"), self._output[2].get("made")

    def saved(self) -> Saved | None:
        """The last build's output (call after open)."""
        if self.last is None and self._output is not None:
            self.last = _load(self._output[1], Saved)
            self.close()
        return self.last

    def cache(self) -> BuildCache | None:
        """The BuildCache the last build left: build.pickle and the segments it lists."""
        found = _opened(self.path)
        if found is None:
            return None
        with _unscanned(self.freeze):           # (build.pickle, then hundreds of small segments)
            with found[0]:
                cache = _load(found[1], BuildCache)
            if cache is None:
                return None
            self._pages(cache, found[2].get("output"))
            names = found[2].get("segments", ())
            for name in names if isinstance(names, (list, tuple)) else ():
                segment = self._segment(name)
                if segment is not None:
                    cache.files.update(segment[0])
                    cache.excerpts.update(segment[1])
                    self.on_disk[name] = contents(segment)
        return cache

    def _pages(self, cache: BuildCache, made: Any) -> None:
        """Each kept page's bytes, from the output saved with the cache (a page whose output is gone, or
        from another save, is dropped: made again)."""
        if self.last is None:
            self.open()
            self.saved()
        files = self.last.files if self.last is not None and made and self.made_by == made else {}
        cache.pages = {path: (inputs, files.get(path) if page is None else page)
                       for path, (inputs, page) in cache.pages.items()
                       if page is not None or isinstance(files.get(path), bytes)}

    def _segment(self, name: str) -> tuple[dict, dict] | None:
        if not (isinstance(name, str) and SEGMENT_NAME.fullmatch(name)):
            return None
        found = _opened(self.segments_dir / f"{name}.pickle")
        if found is None:
            return None
        with found[0]:
            segment = _load(found[1], tuple)
        ok = segment is not None and len(segment) == 2 and all(isinstance(part, dict) for part in segment)
        return segment if ok and all(segment_of(k) == name for k in segment[0]) else None

    def kept(self, out: Path) -> Saved | None:
        """The saved output when it was written to `out` (resolved), else None."""
        saved = self.saved()
        return saved if saved is not None and saved.out == str(out) else None

    def close(self) -> None:
        if self._output is not None:
            self._output[0].close()
        self._output = None

    def save(self, saved: Saved) -> None:
        """Write what this build made (build_site left its key and cache in `made`): the BuildCache
        first, when there is a new one, then the output. A failure to write is not an error."""
        self.close()
        if self.made is None:
            return
        key, cache = self.made
        try:
            self._prepare()
            # names this save: build.pickle's pages are in its output (the same output when reused whole)
            made = secrets.token_hex(8) if cache is not None or not self.made_by else self.made_by
            if cache is not None:
                self._save_cache(cache.portable(), saved, made)
            self._write(self.output_path, {"site": key, "made": made}, saved)
        except Exception:
            pass                     # any failure only costs the next build its head start

    def _save_cache(self, cache: BuildCache, saved: Saved, made: str) -> None:
        """The segments that are new (one changed chapter: one segment), then build.pickle listing them
        all, then away with the segments no longer listed. A page that is in the output (`saved`,
        written next as save `made`) is kept there only, not twice."""
        main, segments = split(cache)
        main.pages = {path: (inputs, None if saved.files.get(path) is page else page)
                      for path, (inputs, page) in main.pages.items()}
        for name, segment in segments.items():
            if self.on_disk.get(name) != contents(segment):
                self._write(self.segments_dir / f"{name}.pickle", {}, packed(segment))
                self.on_disk[name] = contents(segment)
        self._write(self.path, {"segments": sorted(segments), "output": made}, main)
        for path in self.segments_dir.glob("*.pickle"):
            if SEGMENT_NAME.fullmatch(path.stem) and path.stem not in segments:
                with contextlib.suppress(OSError):
                    path.unlink()
                self.on_disk.pop(path.stem, None)

    def templates(self) -> jinja2.BytecodeCache | None:
        """Where the theme's compiled templates are kept (made now: templates compile as the build
        renders); None when the folder cannot be made. Other versions' folders are removed."""
        import jinja2
        from .render.theme import KeptTemplates
        version = hashlib.blake2b(f"{code_version()} {jinja2.__version__}".encode(), digest_size=8).hexdigest()
        folder = self.folder / TEMPLATES / version
        try:
            self._prepare()
            folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            return None
        for old in folder.parent.iterdir():
            if old.name != version and re.fullmatch("[0-9a-f]{16}", old.name) and old.is_dir():
                shutil.rmtree(old, ignore_errors=True)
        return KeptTemplates(str(folder))

    def _prepare(self) -> None:
        self.folder.mkdir(exist_ok=True)
        self.segments_dir.mkdir(exist_ok=True)
        for name, text in ((".gitignore", "*\n"), ("README.txt", README),
                           ("CACHEDIR.TAG", "Signature: 8a477f597d28d172789f06886806bc55\n")):
            if not (self.folder / name).exists():
                (self.folder / name).write_text(text, encoding="utf-8")

    def _write(self, path: Path, header: dict, value: Any) -> None:
        """One file, atomically (a temp file, then rename)."""
        fd, temp = tempfile.mkstemp(prefix=".build-", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(MAGIC)
                pickler = pickle.Pickler(f, protocol=pickle.HIGHEST_PROTOCOL)
                pickler.dump({"format": FORMAT, "version": code_version(), **header})
                pickler.dump(value)
            os.replace(temp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise                    # Ctrl-C: stop

