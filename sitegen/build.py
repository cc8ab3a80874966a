"""The build: content/ in, every page of the site out. The CLI, the dev server and the tests call this."""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field, replace
from itertools import groupby
from pathlib import Path
from typing import Mapping

import jinja2
from markupsafe import Markup

from .analyse import FileAnalysis, analyse_work
from .body import chapter_body, place
from .config import SiteConfig, load_site_config
from .deferred import Deferred, resolved
from .errors import SitegenError
from .load import LoadedWork, TextCache, find_work_folders, load_work
from .model import Diagnostic, Location, Work
from .output import check_output_folder, write_output as write_files
from .theme import Theme, make_environment, resolve_theme, static_files
from .timeline import timeline_view
from .views import SiteView, WorkShell, WorkView, character_css, work_view

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
    pages: dict[str, tuple[tuple, bytes]] = field(default_factory=dict)          # path -> (inputs, page)
    environment: tuple[tuple, jinja2.Environment] | None = None                  # (templates key, env)
    texts: TextCache = field(default_factory=TextCache)                          # files read, by path
    encoded: dict[int, tuple[Markup, bytes]] = field(default_factory=dict)        # chapter body -> UTF-8
    excerpts: dict[str, tuple[str, ...]] = field(default_factory=dict)           # file key -> its scenes' excerpts
    frames: dict[str, tuple[tuple, list[bytes]]] = field(default_factory=dict)   # slug -> whole-work page frame
    seen: dict[str, object] = field(default_factory=dict)                        # name -> last value (see `same`)
    proven: tuple | None = None          # templates every page was last rendered with, successfully

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
        key = (work.slug, work.source_keys[min(since, first.source):upto + 1], first, last, ch.scenes, ch.slug, names,
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


def render(env: jinja2.Environment, name: str, **context) -> bytes:
    """One page; a template mistake becomes a SitegenError naming the template and line."""
    try:
        return env.get_template(name).render(**context).encode("utf-8")
    except jinja2.TemplateSyntaxError as e:
        raise SitegenError(f"template syntax error: {e.message}", location=Location(e.filename or name, e.lineno, 1),
                           hint="fix the template at that line") from None
    except jinja2.UndefinedError as e:
        raise SitegenError(f"template {name} uses something that does not exist: {e.message}", path=name,
                           hint="check the variable names in the template against the README's list") from None
    except jinja2.TemplateNotFound as e:
        raise SitegenError(f"template not found: {e.name}", path=name,
                           hint="add it to your theme's templates/ or remove the reference") from None


def theme_key(theme: Theme) -> tuple:
    """Changes whenever a template file changes (path, size, modification time)."""
    return tuple((str(p), st.st_size, st.st_mtime_ns) for d in theme.template_dirs
                 for p in sorted(d.rglob("*")) if p.is_file() and (st := p.stat()))


def cached_page(cache: BuildCache | None, path: str, inputs: tuple, make) -> bytes:
    """A page rendered before from the same inputs is reused (the dev server rebuilds only what changed)."""
    if cache is not None and (hit := cache.pages.get(path)) is not None and hit[0] == inputs:
        return resolved(hit[1])
    page = make()
    if cache is not None:
        cache.pages[path] = (inputs, page)
    return page


def work_pages(env: jinja2.Environment, site: SiteView, work: Work, view: WorkView,
               cache: BuildCache | None = None, theme: tuple = (), defer: bool = False) -> dict[str, bytes]:
    """The pages of one work: its index, chapters, the whole work, the timeline, its colours.

    Chapter pages see only the work's shell (title, chapter list, cast names), so
    an edit to one chapter re-renders that chapter's page, not every page. With
    `defer`, the whole-work page and the timeline are Deferred (see deferred.py).
    """
    base = dict(site=site, work=view, root="../")
    whole = (lambda: whole_work_page(env, site, view, cache, theme))
    files = {f"{view.slug}/index.html": cached_page(cache, f"{view.slug}/index.html", (theme, site, view), lambda:
                                                    render(env, "work.html", page=f"{view.slug}/index.html", **base)),
             f"{view.slug}/all.html": (kept_deferred if defer else cached_page)(
                 cache, f"{view.slug}/all.html", whole_work_key(site, view, theme), whole),
             f"{view.slug}/characters.css": character_css(view.legend).encode("utf-8")}
    shell = cache.same(f"shell:{view.slug}", view.shell) if cache is not None else view.shell
    for ch in view.chapters:
        path = f"{view.slug}/{ch.url}"
        files[path] = cached_page(cache, path, (theme, site, shell, ch), lambda: render(
            env, "chapter.html", page=path, chapter=ch, site=site, work=shell, root="../"))
    if view.has_timeline:
        files[f"{view.slug}/timeline.html"] = timeline_page(env, site, work, view, shell, cache, theme, defer)
    return files


def kept_deferred(cache: BuildCache, path: str, key: tuple, make) -> bytes | Deferred:
    """What was kept for an equal key (the page's bytes, or the same Deferred, made already perhaps),
    else a new Deferred."""
    hit = cache.pages.get(path)
    if hit is not None and hit[0] == key:
        return hit[1]
    page = Deferred(key, make)
    cache.pages[path] = (key, page)
    return page


def whole_work_key(site: SiteView, view: WorkView, theme: tuple) -> tuple:
    """What the whole-work page is made from: the view with each chapter's body (the same object while
    a chapter is unchanged, so comparing is quick)."""
    return (theme, site, view)


def timeline_page(env: jinja2.Environment, site: SiteView, work: Work, view: WorkView, shell: WorkShell,
                  cache: BuildCache | None, theme: tuple, defer: bool = False) -> bytes | Deferred:
    """The work's timeline page: every scene's time, place, cast, link and excerpt, and the chart.

    Rendered again only when one of those changes (the chart itself is kept by
    timeline.chart_svg while its columns are unchanged)."""
    path = f"{view.slug}/timeline.html"
    anchors = scene_anchors(work, view, cache)
    excerpts = scene_excerpts(work, cache)
    inputs = (theme, site, shell, work.timeline, work.cast, anchors, excerpts)
    keep = kept_deferred if defer and cache is not None else cached_page
    return keep(cache, path, inputs, lambda: render(
        env, "timeline.html", page=path, site=site, work=shell, root="../",
        timeline=timeline_view(work.timeline, work.cast, lambda i: anchors[i] or "all.html",
                               lambda i: excerpts[i])))


# Stands in for each chapter's body while the whole-work page's frame is rendered; random per
# process, so no text of a fic can forge it, and the same across builds, so frames can be kept.
_BODY_MARK = f"\ue000sitegen-chapter-{secrets.token_hex(8)}-{{}}\ue001"


def whole_work_page(env: jinja2.Environment, site: SiteView, view: WorkView, cache: BuildCache | None,
                    theme: tuple) -> bytes:
    """The whole work on one page: the template is rendered with a placeholder for each chapter's
    body, and the chapters' HTML (encoded once, kept in the cache) is joined into it. The frame
    is kept while everything but the bodies is unchanged."""
    path = f"{view.slug}/all.html"
    inputs = (theme, site, replace(view, chapters=()),
              tuple(tuple(v for k, v in vars(c).items() if k != "body") for c in view.chapters))
    kept = cache.frames.get(view.slug) if cache is not None else None
    if kept is not None and kept[0] == inputs:
        pieces = kept[1]
    else:
        marks = [_BODY_MARK.format(i) for i in range(len(view.chapters))]
        marked = replace(view, chapters=tuple(replace(c, body=Markup(m)) for c, m in zip(view.chapters, marks)))
        pieces = whole_work_frame(env, site, marked, path, marks)
        if pieces is None:                  # a theme that does not show each body once: render it plainly
            return render(env, "whole.html", page=path, site=site, work=view, root="../")
        if cache is not None:
            cache.frames[view.slug] = (inputs, pieces)
    bodies = [encoded(cache, c.body) for c in view.chapters]
    return b"".join(p for pair in zip(pieces, bodies + [b""]) for p in pair)


def whole_work_frame(env: jinja2.Environment, site: SiteView, marked: WorkView, path: str,
                     marks: list[str]) -> list[bytes] | None:
    """The whole-work page cut at each body's placeholder; None when a placeholder is not there once, in order."""
    rest = render(env, "whole.html", page=path, site=site, work=marked, root="../")
    pieces = []
    for mark in marks:
        before, found, rest = rest.partition(mark.encode("utf-8"))
        if not found:
            return None
        pieces.append(before)
    return pieces + [rest]


def encoded(cache: BuildCache | None, body: Markup) -> bytes:
    """A chapter body as UTF-8, encoded once per distinct body."""
    if cache is None:
        return body.encode("utf-8")
    hit = cache.encoded.get(id(body))
    if hit is None or hit[0] is not body:
        hit = cache.encoded[id(body)] = (body, body.encode("utf-8"))
    return hit[1]


def scene_anchors(work: Work, view: WorkView, cache: BuildCache | None) -> tuple[str | None, ...]:
    """Each scene's link, "chapter-3.html#scene-12" (None for a scene on no chapter page); kept while
    the chapters are unchanged."""
    chapters = tuple((ch.scenes, v.url) for ch, v in zip(work.chapters, view.chapters))
    kept = cache.seen.get(f"anchors:{work.slug}") if cache is not None else None
    if kept is not None and kept[0] == chapters:
        return kept[1]
    anchors: list[str | None] = [None] * len(work.scenes)
    for scenes, url in chapters:
        for s in scenes:
            anchors[s] = f"{url}#scene-{s + 1}"
    if cache is not None:
        cache.seen[f"anchors:{work.slug}"] = (chapters, tuple(anchors))
    return tuple(anchors)


def scene_excerpts(work: Work, cache: BuildCache | None) -> tuple[str, ...]:
    """Every scene's excerpt; a file's excerpts are kept by its key (its scenes depend on it alone)."""
    out: list[str] = []
    for source, scenes in groupby(work.scenes, key=lambda s: s.source):
        key = work.source_keys[source] if cache is not None and work.source_keys else None
        hit = cache.excerpts.get(key) if key is not None else None
        if hit is None:
            hit = tuple(scene_excerpt(work, s.index) for s in scenes)
            if key is not None:
                cache.excerpts[key] = hit
        out += hit
    return tuple(out)


def scene_excerpt(work: Work, index: int, words: int = 14) -> str:
    """The first `words` words of the scene's first paragraph."""
    p = work.paragraphs[work.scenes[index].first_paragraph]
    text = work.sources[p.source].text[p.start:p.end].split()
    return " ".join(text[:words]) + ("…" if len(text) > words else "")


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
    for folder in find_work_folders(site_dir / "content"):
        loaded = load_work(folder, site_dir, cache.texts if cache is not None else None)
        work, view = analyse_and_render(loaded, cache)
        files.update(work_pages(env, site, work, view, cache, templates_key, defer))
        works.append(work)
        views.append(view)
        diagnostics.extend(work.diagnostics)
    files["index.html"] = render(env, "index.html", site=site, works=tuple(views), root="", page="index.html")
    for rel, path in static_files(chosen).items():
        files[f"static/{rel}"] = path.read_bytes()
    if cache is not None:
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
