"""The build: content/ in, every page of the site out. The CLI, the dev server and the tests call this."""
from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Mapping

import jinja2
from markupsafe import Markup

from .stages.analyse import FileAnalysis, analyse_work
from .render.body import chapter_body, place
from .load.config import SiteConfig, load_site_config
from .load.dates import GitDates, file_dates, git_dates
from .load.files import LoadedWork, TextCache, find_work_folders, load_work
from .model import Diagnostic, Work
from .output import check_output_folder, write_output as write_files
from .render.pages import render, work_pages
from .load.boundary import display, resolved_inside
from .errors import SitegenError
from .progress import report
from .store import Saved, Store
from .render.theme import Theme, builtin_themes, make_environment, resolve_theme, static_files
from .render.views import TAG_KINDS, ChapterView, SiteView, TagLink, TagPage, WorkView, chapter_dates, rfc3339, work_view

__all__ = ["BuildCache", "BuildResult", "build", "build_site", "load_site_config", "write_output"]


@dataclass(frozen=True)
class BuildResult:
    files: Mapping[str, bytes]                   # posix path relative to the output folder -> content
    diagnostics: tuple[Diagnostic, ...]
    works: tuple[Work, ...]
    counts: tuple[int, int] | None = None        # (works, words), when reused whole from the cache (works empty)

    @property
    def work_count(self) -> int:
        return self.counts[0] if self.counts else len(self.works)

    @property
    def words(self) -> int:
        return self.counts[1] if self.counts else sum(sum(w.words) for w in self.works)


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

    def __getstate__(self) -> dict:          # kept on disk (store.py): a lock is not data
        return {k: v for k, v in vars(self).items() if k != "lock"}

    def __setstate__(self, state: dict) -> None:
        vars(self).update(state)
        self.lock = threading.RLock()

    def portable(self) -> "BuildCache":
        """A copy worth keeping on disk: without the template environment, the files read (keyed by
        modification time), the encodings (keyed by object id) and pages not made yet (Deferred)."""
        return BuildCache(works=self.works, files=self.files, bodies=self.bodies, excerpts=self.excerpts,
                          pages={k: v for k, v in self.pages.items() if isinstance(v[1], bytes)},
                          frames=self.frames, seen=self.seen, proven=self.proven)

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
        report("chapters", k, len(work.chapters))
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
    """Changes whenever a template file changes (its path and a digest of its bytes, which, unlike a
    modification time, survive a fresh checkout, so a kept cache stays good on a CI machine).
    Links only within the site."""
    roots = (theme.site_dir, builtin_themes()) if theme.site_dir else (builtin_themes(),)
    return tuple((k, str(p.relative_to(d)), hashlib.blake2b(p.read_bytes(), digest_size=16).hexdigest())
                 for k, d in enumerate(theme.template_dirs) for p in sorted(d.rglob("*"))
                 if (not p.is_symlink() or resolved_inside(p, roots, str(p))) and p.is_file())


def site_key(config: SiteConfig, templates: tuple, static: dict[str, bytes], loaded: list[LoadedWork]) -> str:
    """A digest of everything a build reads: settings, templates, static files, every work's files
    and their modification times (the feed's dates)."""
    h = hashlib.blake2b(digest_size=16)
    h.update(repr((config, templates)).encode())
    for rel, data in sorted(static.items()):
        h.update(f"{rel}\0{len(data)}\0".encode() + hashlib.blake2b(data, digest_size=16).digest())
    for lw in loaded:
        h.update(f"{lw.slug}\0{fingerprint(lw)}\0{[src.modified for src in lw.sources]}\0".encode())
    return h.hexdigest()


def read_static(chosen: Theme, site_dir: Path) -> dict[str, bytes]:
    """The theme's static files (and the site's own), by their output path."""
    files = {}
    for rel, path in static_files(chosen).items():
        try:
            files[f"static/{rel}"] = path.read_bytes()
        except OSError as e:
            raise SitegenError(f"cannot read the static file: {e.strerror}", path=display(path, site_dir),
                               hint="check the file's permissions (sitegen needs to read it)") from None
    return files


def load_works(site_dir: Path, config: SiteConfig, cache: BuildCache | None) -> list[LoadedWork]:
    """Every work folder of content/, read."""
    loaded_works = []
    for folder in find_work_folders(site_dir / "content", site_dir):
        loaded = load_work(folder, site_dir, cache.texts if cache is not None else None)
        if config.language != loaded.site_language:
            loaded = replace(loaded, site_language=config.language)
        loaded_works.append(loaded)
    return loaded_works


def environment(chosen: Theme, templates_key: tuple, cache: BuildCache | None) -> jinja2.Environment:
    """The theme's Jinja2 environment, kept in the cache while the templates are unchanged."""
    if cache is not None and cache.environment and cache.environment[0] == templates_key:
        return cache.environment[1]
    env = make_environment(chosen)
    if cache is not None:
        cache.environment = (templates_key, env)
    return env


def build_site(site_dir: Path, *, theme: str | None = None, cache: BuildCache | None = None,
               config: SiteConfig | None = None, defer: bool = False, store: Store | None = None) -> BuildResult:
    """Read the site and return every output file; writes nothing. Raises SitegenError for user mistakes.

    `defer` (the dev server, with a cache) leaves the whole-work and timeline pages as Deferred.
    `store` (sitegen build) is the cache kept on disk: an unchanged site reuses its last output,
    otherwise its BuildCache is used (unless `cache` is given) and the store is saved afterwards."""
    site_dir = Path(site_dir)
    config = config or load_site_config(site_dir)
    chosen = resolve_theme(site_dir, theme or config.theme)
    templates_key = theme_key(chosen)
    static = read_static(chosen, site_dir)
    loaded_works = load_works(site_dir, config, cache)
    key = site_key(config, templates_key, static, loaded_works) if store is not None else ""
    if store is not None:
        store.open()
        if store.key == key and (saved := store.saved()) is not None:
            store.close()
            return BuildResult(saved.files, saved.diagnostics, (), counts=(saved.works, saved.words))
        if cache is None:
            store.saved()
            cache = store.cache() or BuildCache()
    if cache is not None:
        templates_key = cache.same("templates", templates_key)
    env = environment(chosen, templates_key, cache)
    # Pages are deferred only once the templates have rendered every page: a template mistake
    # must fail the build (and show in the dev server's overlay), not a later request.
    defer = defer and cache is not None and cache.proven == templates_key
    site = SiteView(config.title, config.base_url, config.language)
    files: dict[str, bytes] = {}
    works, views, diagnostics, dated = [], [], [], []
    # git is asked once per dev-server session (files saved since are dated by their modification time)
    git = cache.seen.get("git") if cache is not None and defer else None
    if not isinstance(git, GitDates):
        git = git_dates(site_dir / "content")
        if cache is not None:
            cache.seen["git"] = git
    for loaded in loaded_works:
        work, view = analyse_and_render(loaded, cache)
        modified = file_dates(loaded.sources, git)
        files.update(work_pages(env, site, work, view, cache, templates_key, defer, modified=modified))
        dated += [(view, c, date) for c, date in zip(view.chapters, chapter_dates(work, modified))]
        works.append(work)
        views.append(view)
        diagnostics.extend(work.diagnostics)
    files["index.html"] = render(env, "index.html", site=site, works=tuple(views), root="", page="index.html")
    files.update(site_pages(env, site, views, dated))
    files.update(static)
    if site.base_url:
        files["sitemap.xml"] = sitemap(env, site, files)
    if cache is not None:
        with cache.lock:
            prune(cache, works, views, files)
        cache.proven = templates_key
    result = BuildResult(files, tuple(diagnostics), tuple(works))
    if store is not None:
        store.save(key, Saved(files, result.diagnostics, result.work_count, result.words), cache)
    return result


def site_pages(env: jinja2.Environment, site: SiteView, views: list[WorkView],
               dated: list[tuple[WorkView, ChapterView, str]]) -> dict[str, bytes]:
    """The site-wide pages: an Atom feed of every work's chapters, the tag and series pages, and with a
    base_url 404.html (a host serves it at any path, so its links must start from the site's root, which
    only base_url names: a GitHub Pages project site lives under /<repo>/, not /)."""
    files = {}
    if site.base_url:
        files["404.html"] = render(env, "404.html", site=site, works=tuple(views), root=site.base_url,
                                   page="404.html")
    newest = tuple(sorted(dated, key=lambda e: e[2], reverse=True)[:50])
    files["feed.xml"] = render(env, "site_feed.xml", site=site, works=tuple(views), page="feed.xml",
                               chapters=newest, updated=newest[0][2] if newest else rfc3339(0))
    files.update(tag_pages(env, site, views))
    return files


def sitemap(env: jinja2.Environment, site: SiteView, files: Mapping[str, object]) -> bytes:
    """sitemap.xml: every page of the site but 404.html, as absolute URLs (so only with a base_url)."""
    pages = tuple(sorted(p for p in files if p.endswith(".html") and p != "404.html"))
    return render(env, "sitemap.xml", site=site, pages=pages, page="sitemap.xml")


def tag_pages(env: jinja2.Environment, site: SiteView, views: list[WorkView]) -> dict[str, bytes]:
    """tags/index.html (every tag by kind, with how many works), a page per tag listing its works,
    and a page per series with its works in order. Tags whose pages share a name are one page."""
    found: dict[str, tuple[TagLink, list[WorkView]]] = {}
    for view in views:
        for link in (*view.tag_links, *(TagLink("series", s.title, s.page) for s in view.series)):
            works = found.setdefault(link.url, (link, []))[1]
            if view not in works:
                works.append(view)

    def place(view: WorkView, url: str) -> tuple:
        return (min((s.position or 0 for s in view.series if s.page == url), default=0), view.title.casefold())
    pages = [TagPage(link.name, link.kind, link.url,
                     tuple(sorted(works, key=lambda v: place(v, link.url)) if link.kind == "series" else works))
             for link, works in found.values()]
    files = {p.url: render(env, "tag.html", site=site, tag=p, works=p.works, root="../", page=p.url) for p in pages}
    if pages:
        by_name = sorted(pages, key=lambda p: p.name.casefold())
        kinds = tuple((label, tuple(p for p in by_name if p.kind == kind)) for kind, label in TAG_KINDS)
        files["tags/index.html"] = render(env, "tags.html", site=site, kinds=tuple(k for k in kinds if k[1]),
                                          series=tuple(p for p in by_name if p.kind == "series"), root="../",
                                          page="tags/index.html")
    return files


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
          cache: BuildCache | None = None, keep: bool = False) -> BuildResult:
    """Build the site and swap it into the output folder; a failed build leaves the old site as it was.

    `keep` (sitegen build, unless --no-cache) reads and writes the cache in .sitegen-cache/."""
    site_dir = Path(site_dir)
    config = load_site_config(site_dir)
    out_dir = Path(out) if out is not None else site_dir / config.output
    check_output_folder(out_dir, site_dir)
    report("reading", 0, 1)
    result = build_site(site_dir, theme=theme, cache=cache, config=config,
                        store=Store(site_dir) if keep else None)
    report("writing pages", 0, len(result.files))
    write_output(result, out_dir, site_dir)
    return result
