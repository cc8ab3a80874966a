"""The build: content/ in, every page of the site out. The CLI, the dev server and the tests call this.

The pipeline, in the order build_site runs it (each step names where its stage lives):
  load        sitekey.py: load_works (load/files.py; config: load/config.py, casts: load/cast.py), the site key;
              an unchanged site's last output is reused there, before this module is imported
  per work, analyse_work:
    structure → notes → dialogue   analyse_files: stages/files.py, one file a worker (parallel.py)
    scenes                         stages/scenes.py
    chapters                       work_chapters: stages/paginate.py (the work's meta: stages/meta.py)
    timeline                       timeline/facts.py, timeline/fold.py
  render      chapter_bodies (render/body.py), work_view (render/views.py), work_pages (render/pages.py),
              site_pages and tag_pages here
  write       finish_build → sitekey.write_output → output.py
Each stage's results are kept in the BuildCache (cache.py) by their inputs; store.py keeps it on disk.
"""
from __future__ import annotations

from dataclasses import replace
from functools import partial
from pathlib import Path
from collections import Counter
from itertools import accumulate, chain
from typing import Callable, Iterable, MutableMapping, NamedTuple

import jinja2
from markupsafe import Markup

from .render import colours
from .render.body import chapter_body, place
from .render.prose import ProseMarkup, default_prose
from .render.reused import RUN, runs
from .load.config import SiteConfig, key_location, load_site_config
from .load.dates import GitDates, file_dates, git_dates
from .load.files import LoadedWork
from .dialogue import load_engine
from .dialogue.convention import mark_counts, marks_for
from .model import Chapter, Diagnostic, Location, Paragraph, Scene, Work, WorkMeta
from .packed import Joined
from .parallel import helpers_forked, inherited, run_all, run_sent
from .stages.files import FileAnalysis, JoinedFiles, analyse_file, cast_digest, file_key, join_files
from .stages.meta import header_meta, labelled_summary, with_header, work_meta
from .stages.paginate import chapter_info_by_file, make_chapters
from .stages.scenes import file_scenes
from .timeline.facts import timeline_facts
from .timeline.fold import folded_timeline
from .render.pages import cached_page, kept_deferred, render, work_pages
from .progress import report
from .store import Store
from .cache import BuildCache
from .render.theme import Theme, compile_templates, make_environment
from .sitekey import (BuildResult, Started, fingerprint, load_works, read_site, read_static, site_key, start_build,
                      theme_key, write_output)
from .render.views import (TAG_KINDS, ChapterView, Reused, SiteView, TagLink, TagPage, WorkView, chapter_dates,
                           rfc3339, without_bodies, work_view)

__all__ = ["BuildCache", "BuildResult", "build", "build_site", "finish_build", "fingerprint", "load_site_config",
           "load_works", "read_static", "site_key", "theme_key", "write_output"]


class Dated(NamedTuple):
    """A chapter of the site's feed: its work, the chapter and its date (RFC 3339)."""
    work: WorkView
    chapter: ChapterView
    date: str


def chapter_bodies(work: Work, cache: BuildCache, prose: ProseMarkup | None = None) -> list[Markup]:
    """Each chapter's HTML; a chapter whose text and scenes are unchanged, and whose speakers are in the cast
    as they were, is reused (the same object), the others are made in forked workers (parallel.run_shared:
    they inherit the work, the HTML comes back). (Of the cast, a body reads only whether each quote's
    speaker is in it: a character found or lost in one chapter of a work without a cast file makes
    that chapter again, not every chapter: at 1M words 0.5-0.6 s of CPU.)

    The key names the chapter's paragraphs by their place in their files, not by
    their number in the work, so text added to one chapter leaves the others'
    HTML (and pages) as they were. It covers the files the chapter's paragraphs
    are in, and any file without a paragraph next to them (a note alone in a file
    is shown with the chapter before or after it). Its paragraphs are plain tuples: a
    Paragraph's hash is Python code, and the 200 keys of a work are hashed twice a save and
    again when the cache is pruned (1-2 ms a save at 200 chapters)."""
    names = tuple(sorted((c.id, c.name) for c in work.cast))
    prose = prose or default_prose()
    in_cast = _speakers_in_cast(work, cache, names)
    keys = []
    for k, ch in enumerate(work.chapters):
        first, last = work.paragraphs[ch.first_paragraph], work.paragraphs[ch.last_paragraph]
        before = work.paragraphs[work.chapters[k - 1].last_paragraph] if k else None
        after = work.paragraphs[work.chapters[k + 1].first_paragraph] if k + 1 < len(work.chapters) else None
        since = before.source + 1 if before else 0
        upto = max(last.source, after.source - 1) if after else len(work.sources) - 1
        keys.append((work.slug, work.source_keys[min(since, first.source):upto + 1], astuple(first), astuple(last),
                     _fringe(work, before, first, after, last), ch.scenes, ch.slug, ch.title,
                     in_cast(first.source, last.source),
                     ch.last_paragraph + 1 == len(work.paragraphs), prose.key))
    todo = [k for k, key in enumerate(keys) if cache.bodies.get(key) is None]
    made = dict(zip(todo, run_sent(_chapter_html, [chapter_job(work, k, names) for k in todo],
                                   work=sum(p.end - p.start for k in todo for p in chapter_paragraphs(work, k)),
                                   inherit={"prose": prose, f"sources:{id(work.sources)}": work.sources},
                                   on_done=lambda done, total: report("chapters", done, total))))
    return [cache.memo("bodies", key, lambda: made[k]) for k, key in enumerate(keys)]


def _speakers_in_cast(work: Work, cache: BuildCache, names: tuple) -> Callable[[int, int], tuple]:
    """in_cast(lo, hi): the speakers of the quotes of files lo..hi (a chapter's paragraphs' files: quotes
    are found in paragraphs only) that are in the work's cast (the files' line counts name them), all
    a chapter's body reads of the cast (render.body.quote_markup); the whole cast if a file's analysis
    is not at hand. Kept by file key while the cast's ids are the same (a save reads one file's)."""
    ids = frozenset(c.id for c in work.cast)
    kept = cache.seen.get(f"in cast:{work.slug}")
    last = kept[1] if isinstance(kept, tuple) and kept[0] == ids else {}
    heard: dict[str, tuple | None] = {}
    for key in work.source_keys:
        if key in last:
            heard[key] = last[key]
        else:
            fa = cache.files.get(key)
            heard[key] = tuple(sorted({s for s, _ in fa.line_counts} & ids)) if isinstance(fa, FileAnalysis) else None
    cache.seen[f"in cast:{work.slug}"] = (ids, heard)

    def in_cast(lo: int, hi: int) -> tuple:
        found = [heard[key] for key in work.source_keys[lo:hi + 1]]
        if None in found:
            return names
        return found[0] if len(found) == 1 else tuple(sorted(set().union(*found)))
    return in_cast


def _fringe(work: Work, before: Paragraph | None, first: Paragraph, after: Paragraph | None,
            last: Paragraph) -> tuple[str, str]:
    """The text a chapter's body may show from files its key does not cover: what follows the last
    chapter's last paragraph in its file, and what precedes the next chapter's first paragraph in its
    file (render.body.place gives a chapter everything between those two paragraphs: an author's
    note at the top of the next chapter's file is this chapter's end note). Usually short or empty."""
    tail = work.sources[before.source].text[before.end:] if before and before.source < first.source else ""
    head = work.sources[after.source].text[:after.start] if after and after.source > last.source else ""
    return tail, head


def astuple(p: Paragraph) -> tuple[int, int, int]:
    return (p.source, p.start, p.end)


def chapter_paragraphs(work: Work, k: int) -> tuple:
    """The k-th chapter's paragraphs."""
    return work.paragraphs[work.chapters[k].first_paragraph:work.chapters[k].last_paragraph + 1]


def chapter_job(work: Work, k: int, names: tuple) -> tuple:
    """What the k-th chapter's body is made from, small enough to send to a helper (run_sent): the work
    cut down to what chapter_body reads of it for this chapter (its paragraphs and scenes by their
    number in the work, a dict each, and what stands round them; no texts: the helper has them),
    with the quotes and notes placed."""
    ch = work.chapters[k]
    here = range(ch.first_paragraph, ch.last_paragraph + 1)

    def near(table: dict) -> dict:
        return {i: table[i] for i in here if i in table}
    part = replace(work, meta=None, sources=(), paragraphs={i: work.paragraphs[i] for i in here},
                   scenes={s: work.scenes[s] for s in ch.scenes}, chapters=(), notes=(), cast=(), quotes=(),
                   timeline=(), diagnostics=(), hidden=(), words=(), source_keys=(), line_counts={},
                   headings=near(work.headings), breaks=near(work.breaks), subheadings=near(work.subheadings),
                   ornaments=near(work.ornaments), late_subheadings=near(work.late_subheadings),
                   closing=near(work.closing), file_quotes=())
    return f"sources:{id(work.sources)}", part, ch, place(work, ch), names


def _chapter_html(texts: str, part: Work, ch: Chapter, placed, names: tuple) -> Markup:
    """A chapter's HTML from its chapter_job (run_sent's job)."""
    work = replace(part, sources=inherited(texts))
    return Markup(chapter_body(work, ch, placed, dict(names), inherited("prose")))


def analyse_and_render(loaded: LoadedWork, cache: BuildCache,
                       prose: ProseMarkup | None = None) -> tuple[Work, WorkView, WorkView]:
    """A work's analysis, its view and the view without the chapters' text (views.without_bodies); an
    unchanged work is reused whole, a changed one redoes only what changed. `prose` is the theme's quote
    and sidenote markup (the bodies hold it, so it is in the key)."""
    def make() -> tuple[Work, WorkView, WorkView]:
        counted = Reused(cache.seen.get(f"texts:{loaded.slug}"))   # what each text's words and marks showed
        work = analyse_work(loaded, cache.files, counted)
        cache.seen[f"texts:{loaded.slug}"] = counted.used
        kept = Reused(cache.seen.get(f"view:{loaded.slug}"))      # per-file and per-chapter parts of the view
        view = work_view(work, chapter_bodies(work, cache, prose), kept=kept)
        bare = without_bodies(view, kept)
        cache.seen[f"view:{loaded.slug}"] = kept.used
        return work, view, bare
    return cache.latest("works", loaded.slug, (fingerprint(loaded), prose.key if prose else None), make)


# ---------------------------------------------------------------- one work through the stages

def analyse_work(loaded: LoadedWork, cache: MutableMapping | None = None, counted: Reused | None = None) -> Work:
    """One loaded work through every stage, in order; returns the finished, plain Work.

    structure → notes → dialogue (each file on its own, in parallel: stages/files.py) → scenes
    (stages/scenes.py) → chapters (stages/paginate.py) → timeline (timeline/). `cache` keeps each
    file's findings, scenes and timeline facts by a hash of their inputs, so a rebuild after one
    chapter changed analyses only that chapter; `counted` keeps what the work-wide guesses (its
    language, its quote marks) counted in each text, by the text's digest, and the work's line counts
    summed over runs of its files.
    """
    cache = {} if cache is None else cache
    counted = counted or Reused()
    meta = work_meta(loaded, None, None, counted.get)
    files, keys = analyse_files(loaded, meta, cache, counted)
    header = header_meta(files[0].structure.work_notes)        # a pasted archive header: "Rated: T", ...
    headed = with_header(meta, loaded, header)
    if headed.language != meta.language:            # it names another language: read the speech tags in that one
        meta = headed
        files, keys = analyse_files(loaded, meta, cache, counted)
    joined = join_files(files)
    scenes: list[Scene] = []
    for si, (fa, base) in enumerate(zip(files, joined.bases)):
        scenes += file_scenes(fa, keys[si], si, base, len(scenes), cache)
    first = files[0].structure
    meta = work_meta(loaded, first.title, first.author, counted.get)
    if not meta.summary:                            # an archive's "Summary:" block on top: the work's summary
        meta = replace(meta, summary=labelled_summary(first.work_notes))
    meta = with_header(meta, loaded, header)
    cast = loaded.cast or tuple({c.id: c for fa in files for c in fa.discovered}.values())
    words = tuple(chain.from_iterable(fa.words for fa in files))
    chapters, meta = work_chapters(loaded, meta, files, joined, words, tuple(scenes))
    cast_key = cast_digest(cast)
    facts = timeline_facts(loaded.sources, files, cast, keys, cast_key, cache)
    timeline = folded_timeline(loaded, facts, cast, cache)
    notes = sorted(chain.from_iterable((*fa.structure.work_notes, *fa.notes) for fa in files),
                   key=lambda n: (n.source, n.start))
    return Work(slug=loaded.slug, meta=meta, sources=loaded.sources, paragraphs=tuple(joined.paragraphs),
                headings=joined.headings, scenes=tuple(scenes), chapters=chapters, notes=tuple(notes),
                cast=tuple(cast), quotes=Joined([fa.quotes for fa in files]), timeline=timeline,
                diagnostics=(*chain.from_iterable(fa.diagnostics for fa in files),
                             *unused_chapter_titles(loaded, meta, chapters)),
                hidden=tuple((si, s, e) for si, fa in enumerate(files) for s, e in fa.hidden),
                title_span=(0, *first.title_span) if first.title_span else None, breaks=joined.breaks,
                words=words, source_keys=tuple(keys), cast_discovered=not loaded.cast,
                line_counts=line_counts(files, keys, counted), subheadings=joined.subheadings,
                ornaments=joined.ornaments, late_subheadings=joined.late_subheadings, closing=joined.closing,
                file_quotes=(0, *accumulate(len(fa.quotes) for fa in files)))


def line_counts(files: list[FileAnalysis], keys: list[str], counted: Reused) -> Counter:
    """How many quotes each (speaker, kind) has in the whole work, summed in runs of files (reused.runs)."""
    return summed(counted.get(("line counts", run_keys), partial(summed, (fa.line_counts for fa in files[lo:lo + RUN])))
                  for lo, run_keys in runs(keys))


def summed(counts: Iterable[Counter]) -> Counter:
    total: Counter = Counter()
    for c in counts:
        total.update(c)
    return total


def analyse_files(loaded: LoadedWork, meta: WorkMeta, cache: MutableMapping,
                  counted: Reused | None = None) -> tuple[list[FileAnalysis], list[str]]:
    """Each file's structure, notes, dialogue and scene starts (stages/files.py), in parallel workers;
    a file whose text and settings are unchanged is reused. Returns them with their cache keys."""
    sources, whole = loaded.sources, len(loaded.sources) == 1
    convention, lang = meta.quote_convention, meta.language
    counted = counted or Reused()
    marks = marks_for(convention, [src.text for src in sources],
                      [counted.get(("marks", src.digest), partial(mark_counts, src.text)) if src.digest
                       else mark_counts(src.text) for src in sources])
    settings = repr((loaded.cast, convention, lang, marks))          # once, not once per file
    keys = [file_key(src, si, loaded.body_starts[si], whole, settings) for si, src in enumerate(sources)]
    files = [cache.get(key) for key in keys]
    todo = [si for si, fa in enumerate(files) if fa is None]
    if todo:
        load_engine()
    done = run_all(analyse_file, [(sources[si], si, loaded.body_starts[si], whole, loaded.cast, convention,
                                   lang, marks)
                                  for si in todo], work=sum(len(sources[si].text) for si in todo),
                   on_done=lambda done, total: report("analysing files", done, total),
                   sizes=[len(sources[si].text) for si in todo])
    for si, fa in zip(todo, done):
        files[si] = cache[keys[si]] = fa
    if not any(fa.paragraphs for fa in files):      # no prose in any file (only notes or headings):
        for si in range(len(files)):                 # each file keeps its lines as its text
            keys[si] = file_key(sources[si], si, loaded.body_starts[si], whole, settings, "keep notes")
            files[si] = cache.get(keys[si]) or analyse_file(
                sources[si], si, loaded.body_starts[si], whole, loaded.cast, convention, lang, marks, keep_notes=True)
            cache[keys[si]] = files[si]
    return files, keys


def unused_chapter_titles(loaded: LoadedWork, meta: WorkMeta, chapters: tuple[Chapter, ...]) -> list[Diagnostic]:
    """A warning when `chapters = [...]` names more titles than the work has chapters: the extra
    titles would otherwise be dropped without a word."""
    extra = len(meta.chapter_titles) - len(chapters)
    if extra <= 0 or not loaded.sources:
        return []
    first = loaded.sources[0]
    where = first.display_path or str(first.path)
    in_config = "chapters" in loaded.config and "chapters" not in loaded.front_matter
    path = str(Path(where).parent / "work.toml") if in_config else where
    found = key_location(loaded.folder / "work.toml" if in_config else first.path, "chapters")
    unused = ", ".join(repr(t) for t in meta.chapter_titles[len(chapters):][:3]) + (", ..." if extra > 3 else "")
    return [Diagnostic(Location(path, found.line if found else 1, found.col if found else 1),
                       f"`chapters` lists {len(meta.chapter_titles)} titles but the work has {len(chapters)} "
                       f"chapter(s); {extra} title(s) are not used: {unused}",
                       "mark a chapter where each title should start (a 'Chapter N' heading or one file per "
                       "chapter), or remove the extra titles")]


def work_chapters(loaded: LoadedWork, meta: WorkMeta, files: list[FileAnalysis], joined: JoinedFiles,
                  words: tuple[int, ...], scenes: tuple[Scene, ...]) -> tuple[tuple[Chapter, ...], WorkMeta]:
    """The chapter pages (stages/paginate.py), and the work's meta with each page's [[chapter]] notes."""
    spans = [(base, base + len(fa.paragraphs)) for base, fa in zip(joined.bases, files)]
    by_file = len(files) > 1 and len(meta.chapter_info) == len(files) and not loaded.config.get("chapters")
    headings = joined.headings
    if by_file:                     # the k-th [[chapter]] is the k-th file: its title heads the file's first page
        headings.update({s: info.title for (s, e), info in zip(spans, meta.chapter_info) if info.title and e > s})
    chapters = make_chapters(words, headings, frozenset(joined.bases), scenes,
                             target=meta.chapter_words, split=loaded.config.get("split", "auto"),
                             titles=() if by_file else meta.chapter_titles, language=meta.language)
    if by_file:
        meta = replace(meta, chapter_info=chapter_info_by_file(meta.chapter_info, spans, chapters))
    return chapters, meta


def environment(chosen: Theme, templates_key: tuple, cache: BuildCache,
                store: Store | None = None) -> jinja2.Environment:
    """The theme's Jinja2 environment, kept in the cache while the templates are unchanged (and with
    `store`, the compiled templates kept on disk)."""
    if not (cache.environment and cache.environment[0] == templates_key):
        cache.environment = (templates_key, make_environment(chosen, store.templates() if store else None))
    return cache.environment[1]


def build_site(site_dir: Path, *, theme: str | None = None, cache: BuildCache | None = None,
               config: SiteConfig | None = None, defer: bool = False, store: Store | None = None,
               started: Started | None = None) -> BuildResult:
    """Read the site and return every output file; writes nothing. Raises SitegenError for user mistakes.

    `defer` (the dev server, with a cache) leaves every page but the chapters' as Deferred.
    `store` (sitegen build) is the cache kept on disk: an unchanged site reuses its last output,
    otherwise its BuildCache is used (unless `cache` is given); the key and cache are left in
    `store.made` for `build` to save once the output is written. `started` is what sitekey.start_build
    read already (the arguments before it are then not used)."""
    started = started or read_site(site_dir, theme=theme, cache=cache, config=config, store=store)
    if started.result is not None:          # (with a store: nothing changed since the last output)
        return started.result
    config, chosen, static, cache = started.config, started.chosen, started.static, started.cache
    loaded_works, templates_key, store = started.loaded, started.templates_key, started.store
    site_dir = started.site_dir
    templates_key = cache.same("templates", templates_key)
    colours.remember(cache.seen.get("colours", {}))
    env = environment(chosen, templates_key, cache, store)
    prose = ProseMarkup(env)                    # the theme's quote and sidenote macros
    # Pages are deferred only once the templates have rendered every page: a template mistake
    # must fail the build (and show in the dev server's overlay), not a later request.
    defer = defer and cache.proven == templates_key
    site = SiteView(config.title, config.base_url, config.language)
    files: dict[str, bytes] = {}
    works, views, diagnostics, dated = [], [], [], []
    # git is asked once per dev-server session (files saved since are dated by their modification time)
    git = cache.seen.get("git") if defer else None
    if not isinstance(git, GitDates):
        git = cache.seen["git"] = git_dates(site_dir / "content")
    bare = []                                   # each view without its chapters' text (views.without_bodies)
    # A cold build forks its helpers for the later stages now, while this process holds little more than
    # the texts (parallel.helpers_forked); a warm one makes few chapters again (workers forked if need be).
    texts = {f"sources:{id(lw.sources)}": lw.sources for lw in loaded_works}
    with helpers_forked({"env": env, "prose": prose, **texts},
                        work=0 if cache.bodies else sum(len(s.text) for lw in loaded_works for s in lw.sources),
                        warm=partial(compile_templates, env)):
        for loaded in loaded_works:
            work, view, without = analyse_and_render(loaded, cache, prose)
            modified = file_dates(loaded.sources, git)
            bare.append(cache.same(f"bare:{view.slug}", without))   # (then compared by identity)
            files.update(work_pages(env, site, work, view, cache, templates_key, defer, modified=modified,
                                    bare=bare[-1]))
            dated += [Dated(view, c, date) for c, date in zip(view.chapters, chapter_dates(work, modified))]
            works.append(work)
            views.append(view)
            diagnostics.extend(work.diagnostics)
    # site-wide pages kept while their inputs are equal; the dev server's made when asked for (or written)
    page = partial(kept_deferred if defer else cached_page, cache)
    cards = cache.same("listed", tuple(bare))
    files["index.html"] = page("index.html", (templates_key, site, cards), lambda: render(
        env, "index.html", site=site, works=cards, root="", page="index.html"))
    files.update(site_pages(env, site, list(cards), dated, page, templates_key))
    files.update(static)
    if site.base_url:
        pages = tuple(sorted(p for p in files if p.endswith(".html") and p != "404.html"))
        files["sitemap.xml"] = page("sitemap.xml", (templates_key, site, pages), lambda: sitemap(env, site, pages))
    cache.prune(works, views, files)
    cache.proven = templates_key
    cache.seen["colours"] = colours.chosen()
    if store is not None:
        store.made, store.texts = (started.key, cache), cache.texts
    return BuildResult(files, tuple(diagnostics), tuple(works))


def made_now(path: str, inputs: tuple, make: Callable[[], bytes]) -> bytes:
    """A site-wide page made at once (site_pages' `page` without a cache)."""
    return make()


def site_pages(env: jinja2.Environment, site: SiteView, views: list[WorkView], dated: list[Dated],
               page=made_now, theme: tuple = ()) -> dict[str, bytes]:
    """The site-wide pages: an Atom feed of every work's chapters, the tag and series pages, and with a
    base_url 404.html (a host serves it at any path, so its links must start from the site's root, which
    only base_url names: a GitHub Pages project site lives under /<repo>/, not /). `page(path, inputs,
    make)` makes each (made_now; build_site's keeps them in the cache by `inputs`, as Deferred in the dev server)."""
    files = {}
    works = tuple(views)
    if site.base_url:
        files["404.html"] = page("404.html", (theme, site, works), lambda: render(
            env, "404.html", site=site, works=works, root=site.base_url, page="404.html"))
    newest = tuple(sorted(dated, key=lambda e: e.date, reverse=True)[:50])
    files["feed.xml"] = page("feed.xml", (theme, site, works, newest), lambda: render(
        env, "site_feed.xml", site=site, works=works, page="feed.xml", chapters=newest,
        updated=newest[0][2] if newest else rfc3339(0)))
    files.update(tag_pages(env, site, views, page, theme))
    return files


def sitemap(env: jinja2.Environment, site: SiteView, pages: tuple[str, ...]) -> bytes:
    """sitemap.xml: every page of the site but 404.html (`pages`), as absolute URLs (so only with a base_url)."""
    return render(env, "sitemap.xml", site=site, pages=pages, page="sitemap.xml")


def tag_pages(env: jinja2.Environment, site: SiteView, views: list[WorkView], page=made_now,
              theme: tuple = ()) -> dict[str, bytes]:
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
    def tag(p: TagPage):
        return lambda: render(env, "tag.html", site=site, tag=p, works=p.works, root="../", page=p.url)
    files = {p.url: page(p.url, (theme, site, p), tag(p)) for p in pages}
    if pages:
        by_name = sorted(pages, key=lambda p: p.name.casefold())
        kinds = tuple((label, tuple(p for p in by_name if p.kind == kind)) for kind, label in TAG_KINDS)
        shown = tuple(k for k in kinds if k[1])
        series = tuple(p for p in by_name if p.kind == "series")
        files["tags/index.html"] = page("tags/index.html", (theme, site, shown, series), lambda: render(
            env, "tags.html", site=site, kinds=shown, series=series, root="../", page="tags/index.html"))
    return files


def build(site_dir: Path, *, out: Path | None = None, theme: str | None = None,
          cache: BuildCache | None = None, keep: bool = False) -> BuildResult:
    """Build the site and swap it into the output folder; a failed build leaves the old site as it was.

    `keep` (sitegen build, unless --no-cache) reads and writes the cache in .sitegen-cache/."""
    return finish_build(start_build(site_dir, out=out, theme=theme, cache=cache, keep=keep))


def finish_build(started: Started) -> BuildResult:
    """The rest of a build sitekey.start_build began (when its last output did not stand): the
    pipeline, then the output folder and the kept cache."""
    if started.result is not None:
        return started.result
    try:
        result = build_site(started.site_dir, started=started)
        report("writing pages", 0, len(result.files))
        write_output(result, started.out_dir, started.site_dir, started.store)
    finally:
        if started.store is not None:
            started.store.close()
    return result
