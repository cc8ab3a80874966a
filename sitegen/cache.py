"""The one build cache: each stage's results kept for the next build, keyed by what they were made from."""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Mapping, TypeVar

from .load.files import TextCache

if TYPE_CHECKING:                      # (not imported to serve the kept output: store.py reads this module)
    import jinja2
    from markupsafe import Markup

T = TypeVar("T")


def text_file(key: Any) -> str | None:
    """The key of the text file a `files` entry was made from (the entry is kept while that file is):
    a file key is its own; ("facts" | "scenes", file key, ...) are that file's; ("fold", work slug),
    a whole work's timeline, has none."""
    if isinstance(key, str):
        return key
    return None if key[0] == "fold" else key[1]


@dataclass
class BuildCache:
    """Results kept between builds (the dev server passes one in), keyed by a hash of their inputs."""
    works: dict[str, tuple] = field(default_factory=dict)                        # slug -> (key, (Work, WorkView, the view without bodies))
    files: dict = field(default_factory=dict)          # file key -> its FileAnalysis; (stage, file key, ...) -> result
    bodies: dict[tuple, str] = field(default_factory=dict)                       # chapter key -> its HTML
    pages: dict[str, tuple[tuple, object]] = field(default_factory=dict)         # path -> (inputs, bytes | Deferred)
    environment: tuple[tuple, jinja2.Environment] | None = None                  # (templates key, env)
    texts: TextCache = field(default_factory=TextCache)                          # files read, by path
    encoded: dict[int, tuple[Markup, bytes]] = field(default_factory=dict)        # chapter body -> UTF-8
    excerpts: dict[str, tuple[str, ...]] = field(default_factory=dict)           # file key -> its scenes' excerpts
    frames: dict[str, tuple[tuple, list[bytes]]] = field(default_factory=dict)   # slug -> whole-work page frame
    epub: dict[tuple, object] = field(default_factory=dict)      # chapter key -> its EPUB file, compressed (Packed);
    #                                                            ("book", slug) -> the book's other files (epub.py)
    seen: dict[str, object] = field(default_factory=dict)                        # name -> last value (see `same`)
    proven: tuple | None = None          # templates every page was last rendered with, successfully
    # Deferred pages are made on the dev server's request and writer threads, which add to `frames`
    # and `encoded` while a rebuild may be pruning: both hold this lock.
    lock: threading.RLock = field(default_factory=threading.RLock, compare=False, repr=False)

    def __getstate__(self) -> dict:          # kept on disk (store.py): a lock is not data
        return {k: v for k, v in vars(self).items() if k != "lock"}

    def __setstate__(self, state: dict) -> None:
        vars(self).update(state)
        self.lock = threading.RLock()

    def portable(self) -> "BuildCache":
        """A copy worth keeping on disk: without the template environment, the files read (keyed by
        modification time), the encodings (keyed by object id), pages not made yet (Deferred) and the
        finished works (a work with a changed file is made again anyway, and one without is made
        again from its files' kept results faster than its Work and WorkView load: 1M words,
        0.02 + 0.05 s against 0.14-0.3 s)."""
        return BuildCache(files=self.files, bodies=self.bodies, excerpts=self.excerpts,
                          pages={k: v for k, v in self.pages.items() if isinstance(v[1], bytes)},
                          frames=self.frames, epub=self.epub, seen=self.seen, proven=self.proven)

    def same(self, name: str, value):
        """The value kept under `name` when it equals `value` (so later comparisons are by identity), else value."""
        kept = self.seen.get(name)
        if kept is not None and kept == value:
            return kept
        self.seen[name] = value
        return value

    def memo(self, table: str, key: Any, make: Callable[[], T]) -> T:
        """The value kept in `table` (a dict field) under `key`; else make()'s, kept there."""
        kept = getattr(self, table)
        value = kept.get(key)
        if value is None:
            value = kept[key] = make()
        return value

    def latest(self, table: str, name: Any, inputs: Any, make: Callable[[], T]) -> T:
        """The value kept in `table` under `name` while it was made from equal `inputs`; else make()'s,
        kept there with its inputs (one value a name: a page, a work, a frame)."""
        kept = getattr(self, table).get(name)
        if kept is not None and kept[0] == inputs:
            return kept[1]
        value = make()
        getattr(self, table)[name] = (inputs, value)
        return value

    def prune(self, works: list, views: list, files: Mapping[str, object]) -> None:
        """Forget what this build no longer used, so a long dev-server session does not grow without bound."""
        with self.lock:
            self._prune(works, views, files)

    def _prune(self, works: list, views: list, files: Mapping[str, object]) -> None:
        keys = {k for w in works for k in w.source_keys}
        slugs = {w.slug for w in works}
        bodies = {id(c.body) for v in views for c in v.chapters}

        def used(k) -> bool:
            source = text_file(k)
            return k[1] in slugs if source is None else source in keys
        self.files = {k: v for k, v in self.files.items() if used(k)}
        self.bodies = {k: b for k, b in self.bodies.items() if id(b) in bodies}
        self.encoded = {k: v for k, v in self.encoded.items() if k in bodies}
        self.excerpts = {k: v for k, v in self.excerpts.items() if k in keys}
        self.pages = {k: v for k, v in self.pages.items() if k in files}
        self.works = {k: v for k, v in self.works.items() if k in slugs}
        self.frames = {k: v for k, v in self.frames.items() if k in slugs}
        self.epub = {k: v for k, v in self.epub.items()     # ((title, body, ...), lang, words) | ("book", slug)
                     if (k[1] in slugs if k[0] == "book" else id(k[0][1]) in bodies)}
