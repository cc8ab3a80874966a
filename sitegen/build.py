"""The build: content/ in, every page of the site out. The CLI, the dev server and the tests call this."""
from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Mapping

import jinja2
from markupsafe import Markup

from .analyse import FileAnalysis, analyse_work
from .body import chapter_body, place
from .config import SiteConfig, load_site_config
from .load import LoadedWork, TextCache, find_work_folders, load_work
from .model import Diagnostic, Work
from .output import check_output_folder, write_output as write_files
from .pages import render, work_pages
from .boundary import display, resolved_inside
from .errors import SitegenError
from .theme import Theme, builtin_themes, make_environment, resolve_theme, static_files
from .views import SiteView, WorkView, work_view

__all__ = ["BuildCache", "BuildResult", "build", "build_site", "load_site_config", "write_output"]


@dataclass(frozen=True)
class BuildResult:
    files: Mapping[str, bytes]                   # posix path relative to the output folder -> content
    diagnostics: tuple[Diagnostic, ...]
    works: tuple[Work, ...]


@dataclass
class BuildCache:
    """Results kept between builds (the dev server passes one in), keyed by a hash of their inputs."""
    works: dict[str, tuple[str, Work, WorkView]] = field(default_factory=dict)   # slug -> (key, work, view)
    files: dict[str, FileAnalysis] = field(default_factory=dict)                 # file key -> its analysis
    bodies: dict[tuple, str] = field(default_factory=dict)                       # chapter key -> its HTML
    pages: dict[str, tuple[tuple, object]] = field(default_factory=dict)         # path -> (inputs, bytes | Deferred)
    environment: tuple[tuple, jinja2.Environment] | None = None                  # (templates key, env)
    texts: TextCache = field(default_factory=TextCache)                          # files read, by path
    encoded: dict[int, tuple[Markup, bytes]] = field(default_factory=dict)        # chapter body -> UTF-8
    excerpts: dict[str, tuple[str, ...]] = field(default_factory=dict)           # file key -> its scenes' excerpts
    frames: dict[str, tuple[tuple, list[bytes]]] = field(default_factory=dict)   # slug -> whole-work page frame
    seen: dict[str, object] = field(default_factory=dict)                        # name -> last value (see `same`)
    proven: tuple | None = None          # templates every page was last rendered with, successfully
    # Deferred pages are made on the dev server's request and writer threads, which add to `frames`
    # and `encoded` while a rebuild may be pruning: both hold this lock.
    lock: threading.RLock = field(default_factory=threading.RLock, compare=False, repr=False)

    def same(self, name: str, value):
        """The value kept under `name` when it equals `value` (so later comparisons are by identity), else value."""
        kept = self.seen.get(name)
        if kept is not None and kept == value:
            return kept
        self.seen[name] = value
        return value


def fingerprint(loaded: LoadedWork) -> str:
    h = hashlib.blake2b(digest_size=16)
    for src in loaded.sources:
        h.update(f"{src.path}\0{src.digest}\0".encode())
    h.update(repr(sorted(loaded.config.items(), key=lambda kv: kv[0])).encode())
    h.update(repr(loaded.cast).encode())
    return h.hexdigest()


def chapter_bodies(work: Work, cache: BuildCache | None) -> list[Markup]:
    """Each chapter's HTML; a chapter whose text, scenes and cast are unchanged is reused (the same object).

    The key names the chapter's paragraphs by their place in their files, not by
    their number in the work, so text added to one chapter leaves the others'
    HTML (and pages) as they were. It covers the files the chapter's paragraphs
    are in, and any file without a paragraph next to them (a note alone in a file
    is shown with the chapter before or after it)."""
    names = tuple(sorted((c.id, c.name) for c in work.cast))
    bodies = []
    for k, ch in enumerate(work.chapters):
        first, last = work.paragraphs[ch.first_paragraph], work.paragraphs[ch.last_paragraph]
        since = work.paragraphs[work.chapters[k - 1].last_paragraph].source + 1 if k else 0
        if k + 1 < len(work.chapters):
            upto = max(last.source, work.paragraphs[work.chapters[k + 1].first_paragraph].source - 1)
        else:
            upto = len(work.sources) - 1
        key = (work.slug, work.source_keys[min(since, first.source):upto + 1], first, last, ch.scenes, ch.slug, ch.title, names,
               ch.last_paragraph + 1 == len(work.paragraphs))
        body = cache.bodies.get(key) if cache is not None else None
        if body is None:
            body = Markup(chapter_body(work, ch, place(work, ch), dict(names)))
            if cache is not None:
                cache.bodies[key] = body
        bodies.append(body)
    return bodies


def analyse_and_render(loaded: LoadedWork, cache: BuildCache | None) -> tuple[Work, WorkView]:
    """A work's analysis and view; an unchanged work is reused whole, a changed one redoes only what changed."""
    key = fingerprint(loaded)
    if cache is not None and (hit := cache.works.get(loaded.slug)) and hit[0] == key:
        return hit[1], hit[2]
    work = analyse_work(loaded, cache.files if cache is not None else None)
    view = work_view(work, chapter_bodies(work, cache))
    if cache is not None:
        cache.works[loaded.slug] = (key, work, view)
    return work, view


def theme_key(theme: Theme) -> tuple:
    """Changes whenever a template file changes (path, size, modification time). Links only within the site."""
    roots = (theme.site_dir, builtin_themes()) if theme.site_dir else (builtin_themes(),)
    return tuple((str(p), st.st_size, st.st_mtime_ns) for d in theme.template_dirs
                 for p in sorted(d.rglob("*")) if (not p.is_symlink() or resolved_inside(p, roots, str(p)))
                 and p.is_file() and (st := p.stat()))


def build_site(site_dir: Path, *, theme: str | None = None, cache: BuildCache | None = None,
               config: SiteConfig | None = None, defer: bool = False) -> BuildResult:
    """Read the site and return every output file; writes nothing. Raises SitegenError for user mistakes.

    `defer` (the dev server, with a cache) leaves the whole-work and timeline pages as Deferred."""
    site_dir = Path(site_dir)
    config = config or load_site_config(site_dir)
    chosen = resolve_theme(site_dir, theme or config.theme)
    templates_key = theme_key(chosen)
    if cache is not None:
        templates_key = cache.same("templates", templates_key)
    if cache is not None and cache.environment and cache.environment[0] == templates_key:
        env = cache.environment[1]
    else:
        env = make_environment(chosen)
        if cache is not None:
            cache.environment = (templates_key, env)
    # Pages are deferred only once the templates have rendered every page: a template mistake
    # must fail the build (and show in the dev server's overlay), not a later request.
    defer = defer and cache is not None and cache.proven == templates_key
    site = SiteView(config.title, config.base_url, config.language)
    files: dict[str, bytes] = {}
    works, views, diagnostics = [], [], []
    for folder in find_work_folders(site_dir / "content", site_dir):
        loaded = load_work(folder, site_dir, cache.texts if cache is not None else None)
        if config.language != loaded.site_language:
            loaded = replace(loaded, site_language=config.language)
        work, view = analyse_and_render(loaded, cache)
        files.update(work_pages(env, site, work, view, cache, templates_key, defer,
                                modified=tuple(src.modified for src in loaded.sources)))
        works.append(work)
        views.append(view)
        diagnostics.extend(work.diagnostics)
    files["index.html"] = render(env, "index.html", site=site, works=tuple(views), root="", page="index.html")
    for rel, path in static_files(chosen).items():
        try:
            files[f"static/{rel}"] = path.read_bytes()
        except OSError as e:
            raise SitegenError(f"cannot read the static file: {e.strerror}", path=display(path, site_dir),
                               hint="check the file's permissions (sitegen needs to read it)") from None
    if cache is not None:
        with cache.lock:
            prune(cache, works, views, files)
        cache.proven = templates_key
    return BuildResult(files, tuple(diagnostics), tuple(works))


def prune(cache: BuildCache, works: list[Work], views: list[WorkView], files: Mapping[str, bytes]) -> None:
    """Forget what this build no longer used, so a long dev-server session does not grow without bound."""
    keys = {k for w in works for k in w.source_keys}
    slugs = {w.slug for w in works}
    bodies = {id(c.body) for v in views for c in v.chapters}

    def used(k) -> bool:            # file key; ("facts" | "scenes", file key, ...); ("fold", work slug)
        return k in keys if isinstance(k, str) else k[1] in (slugs if k[0] == "fold" else keys)
    cache.files = {k: v for k, v in cache.files.items() if used(k)}
    cache.bodies = {k: b for k, b in cache.bodies.items() if id(b) in bodies}
    cache.encoded = {k: v for k, v in cache.encoded.items() if k in bodies}
    cache.excerpts = {k: v for k, v in cache.excerpts.items() if k in keys}
    cache.pages = {k: v for k, v in cache.pages.items() if k in files}
    cache.works = {k: v for k, v in cache.works.items() if k in slugs}
    cache.frames = {k: v for k, v in cache.frames.items() if k in slugs}


def write_output(result: BuildResult, out_dir: Path, site_dir: Path) -> None:
    write_files(result.files, Path(out_dir), Path(site_dir))


def build(site_dir: Path, *, out: Path | None = None, theme: str | None = None,
          cache: BuildCache | None = None) -> BuildResult:
    """Build the site and swap it into the output folder; a failed build leaves the old site as it was."""
    site_dir = Path(site_dir)
    config = load_site_config(site_dir)
    out_dir = Path(out) if out is not None else site_dir / config.output
    check_output_folder(out_dir, site_dir)
    result = build_site(site_dir, theme=theme, cache=cache, config=config)
    write_output(result, out_dir, site_dir)
    return result
