"""The pages of a work, each rendered only when its inputs changed: index, chapters, whole work, timeline.

`work_pages` is what build_site calls per work. Pages are kept in the
BuildCache with the inputs they were made from; the whole-work page is
assembled from a kept frame and each chapter's HTML; with `defer` (the dev
server) every page but the chapters' is handed over as Deferred (see deferred.py): made when it is
asked for or the output folder is written, so a save's build makes only the chapter pages it changed.
"""
from __future__ import annotations

import re
import secrets
from dataclasses import replace
from itertools import groupby

import jinja2
from markupsafe import Markup

from .deferred import Deferred, resolved
from .chart import WORDS as CHART_WORDS
from .epub import WORDS as EPUB_WORDS, work_epub
from ..errors import SitegenError
from ..model import Location, Work
from ..parallel import inherited, run_sent
from ..progress import report
from .templateerrors import undefined_error
from .theme import Words, words_of
from .timeline_view import timeline_view
from .views import (CSS_WORDS, SiteView, TimelinePage, TimelinePager, WorkShell, WorkView, chapter_dates, character_css,
                    feed_entries, first_words, rfc3339, without_bodies)

from ..cache import BuildCache


def render(env: jinja2.Environment, name: str, **context) -> bytes:
    """One page; a template mistake becomes a SitegenError naming the template and line."""
    try:
        return env.get_template(name).render(**context).encode("utf-8")
    except jinja2.TemplateSyntaxError as e:
        raise SitegenError(f"template syntax error: {e.message}", location=Location(e.filename or name, e.lineno, 1),
                           hint="fix the template at that line") from None
    except jinja2.UndefinedError as e:
        raise undefined_error(e, name, context) from None
    except UnicodeDecodeError:
        raise SitegenError(f"the template {name}, or one it extends or includes, is not UTF-8 text", path=name,
                           hint="save your templates as UTF-8 (Save As → Encoding → UTF-8)") from None
    except jinja2.TemplateNotFound as e:
        raise SitegenError(f"template not found: {e.name}", path=name,
                           hint="add it to your theme's templates/ or remove the reference") from None


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_chars(page: bytes) -> bytes:
    """The page without the characters XML 1.0 forbids (NUL and other controls in a title or text): a feed
    reader rejects a whole feed for one of them."""
    text = page.decode("utf-8", "surrogatepass")
    return _NOT_XML.sub("", text).encode("utf-8") if _NOT_XML.search(text) else page


def cached_page(cache: BuildCache, path: str, inputs: tuple, make) -> bytes:
    """A page rendered before from the same inputs is reused (the dev server rebuilds only what changed)."""
    return resolved(cache.latest("pages", path, inputs, make))


def work_pages(env: jinja2.Environment, site: SiteView, work: Work, view: WorkView,
               cache: BuildCache, theme: tuple = (), defer: bool = False,
               modified: tuple[float, ...] = (), bare: WorkView | None = None) -> dict[str, bytes]:
    """The pages of one work: its index, chapters, the whole work, the timeline, its feed, its colours.

    Chapter pages see only the work's shell (title, chapter list, cast names), so
    an edit to one chapter re-renders that chapter's page, not every page; the work's page sees the
    view without the chapters' text (`bare`: views.without_bodies), so it is made again only when what
    it shows changed. With `defer`, the other pages (index, whole work, timeline, feed, EPUB) are
    Deferred (see deferred.py).
    """
    base = dict(site=site, work=view, root="../")
    language = view.language or site.language
    big = kept_deferred if defer else cached_page
    bare = bare or without_bodies(view)
    files = {f"{view.slug}/index.html": big(cache, f"{view.slug}/index.html", (theme, site, bare), lambda:
                                            render(env, "work.html", page=f"{view.slug}/index.html",
                                                   **{**base, "work": bare})),
             f"{view.slug}/characters.css": character_css(view.legend, words_of(env, language, CSS_WORDS)).encode()}
    if view.has_whole:          # made from the view with each chapter's body (the same object while unchanged)
        files[f"{view.slug}/all.html"] = big(cache, f"{view.slug}/all.html", (theme, site, view),
                                             lambda: whole_work_page(env, site, view, cache, theme))
    shell = cache.same(f"shell:{view.slug}", view.shell)
    made = chapter_pages(env, site, view, shell, cache, theme)
    for k, ch in enumerate(view.chapters):        # (a page not made again was kept for these very inputs)
        path = f"{view.slug}/{ch.url}"
        files[path] = cached_page(cache, path, (theme, site, shell, ch), lambda: made[k]) if k in made \
            else resolved(cache.pages[path][1])
    if view.has_timeline:
        files.update(timeline_pages(env, site, work, view, shell, cache, theme, big))
    files[f"{view.slug}/feed.xml"] = feed_page(env, site, work, view, shell, cache, theme, modified, big)
    if view.epub:       # a big file: made on request (or when public/ is written) in the dev server
        words = words_of(env, language, EPUB_WORDS)
        files[f"{view.slug}/{view.epub}"] = big(cache, f"{view.slug}/{view.epub}", ("epub", view, words),
                                                lambda: epub_file(view, cache, words))
    return files


def chapter_pages(env: jinja2.Environment, site: SiteView, view: WorkView, shell: WorkShell, cache: BuildCache,
                  theme: tuple) -> dict[int, bytes]:
    """The chapter pages not kept from an earlier build, by chapter number: the first rendered here (which
    compiles the templates), the rest shared with helpers (parallel.run_sent: each is sent a chapter's
    view, they have the templates; only the pages come back). Every other chapter's page is kept in
    cache.pages for inputs equal to (theme, site, shell, its ChapterView)."""
    def stale(ch) -> bool:
        kept = cache.pages.get(f"{view.slug}/{ch.url}")
        return kept is None or kept[0] != (theme, site, shell, ch)
    todo = [k for k, ch in enumerate(view.chapters) if stale(ch)]
    if not todo:
        return {}
    first = chapter_page(env, site, shell, view.slug, view.chapters[todo[0]])
    rest = run_sent(_chapter_page, [(site, shell, view.slug, view.chapters[k]) for k in todo[1:]],
                    work=sum(len(view.chapters[k].body) for k in todo[1:]), inherit={"env": env},
                    on_done=lambda done, total: report("chapter pages", done, total))
    return dict(zip(todo, [first, *rest]))


def chapter_page(env: jinja2.Environment, site: SiteView, shell: WorkShell, slug: str, ch) -> bytes:
    """One chapter's page."""
    return render(env, "chapter.html", page=f"{slug}/{ch.url}", chapter=ch, site=site, work=shell, root="../")


def _chapter_page(site: SiteView, shell: WorkShell, slug: str, ch) -> bytes:
    """A chapter's page, with the templates the build inherited (run_sent's job)."""
    return chapter_page(inherited("env"), site, shell, slug, ch)


def feed_page(env: jinja2.Environment, site: SiteView, work: Work, view: WorkView, shell: WorkShell,
              cache: BuildCache, theme: tuple, modified: tuple[float, ...], keep=None) -> bytes | Deferred:
    """The work's Atom feed; its summaries are read again only when a chapter's HTML or a date changed.
    `keep` is cached_page (the default) or, for the dev server, kept_deferred."""
    path = f"{view.slug}/feed.xml"
    dates = chapter_dates(work, modified or tuple(src.modified for src in work.sources))

    def make() -> bytes:
        entries = feed_entries(work, view, dates)
        return xml_chars(render(env, "feed.xml", page=path, site=site, work=shell, entries=entries,
                                updated=max((e.updated for e in entries), default=rfc3339(0))))
    return (keep or cached_page)(cache, path, (theme, site, shell, tuple(c.body for c in view.chapters), dates), make)


def kept_deferred(cache: BuildCache, path: str, key: tuple, make) -> bytes | Deferred:
    """What was kept for an equal key (the page's bytes, or the same Deferred, made already perhaps),
    else a new Deferred."""
    return cache.latest("pages", path, key, lambda: Deferred(key, make))


# A long work's timeline is paged: each page lists this many scenes (the first also has the chart).
TIMELINE_SCENES = 500


def timeline_pages(env: jinja2.Environment, site: SiteView, work: Work, view: WorkView, shell: WorkShell,
                   cache: BuildCache, theme: tuple, keep=None) -> dict[str, bytes | Deferred]:
    """The work's timeline: every scene's time, place, cast, link and excerpt, and the chart, on
    timeline.html, then timeline-2.html ... for every TIMELINE_SCENES scenes more (the chart on the first).

    Rendered again only when one of those changes (the chart itself is kept by
    timeline_view.chart_svg while its columns are unchanged). `keep` is cached_page (the
    default) or, for the dev server, kept_deferred."""
    anchors = scene_anchors(work, view, cache)
    excerpts = scene_excerpts(work, cache)
    colours = view_colours(work, view)
    inputs = (theme, site, shell, work.timeline, work.cast, anchors, excerpts, tuple(colours.items()))
    total = len(work.timeline)
    pager = TimelinePager(0, total, tuple(
        TimelinePage(n + 1, "timeline.html" if n == 0 else f"timeline-{n + 1}.html", first + 1,
                     min(first + TIMELINE_SCENES, total))
        for n, first in enumerate(range(0, max(total, 1), TIMELINE_SCENES))))
    made: list[dict] = []

    def whole() -> dict:                    # the view of every scene, made once for all the pages
        if not made:
            made.append(timeline_view(work.timeline, work.cast,
                                      lambda i: anchors[i] or ("all.html" if view.has_whole else "index.html"),
                                      lambda i: excerpts[i], colours,
                                      words_of(env, view.language or site.language, CHART_WORDS)))
        return made[0]

    def make(part: TimelinePage, path: str):
        here = replace(pager, current=part.number)
        return lambda: render(env, "timeline.html", page=path, site=site, work=shell, root="../",
                              timeline=page_of(whole(), part), pager=here)
    return {f"{view.slug}/{part.url}": (keep or cached_page)(cache, f"{view.slug}/{part.url}", inputs + (part.number,),
                                                            make(part, f"{view.slug}/{part.url}"))
            for part in pager.pages}


def view_colours(work: Work, view: WorkView) -> dict[str, tuple[str, str]]:
    """Every cast member's (light, dark) colour, in cast order, as the legend has them (work_colours
    again would assign them all again: the dearest step of the timeline's pages)."""
    by_id = {e.id: (e.light, e.dark) for e in view.legend}
    return {c.id: by_id[c.id] for c in work.cast}


def page_of(timeline: dict, part: TimelinePage) -> dict:
    """The timeline view with only the part's scenes (in story order, and in reading order); the chart on
    the first part only."""
    cut = slice(part.first - 1, part.last)
    first = part.number == 1
    return dict(timeline, story_order=timeline["story_order"][cut], reading_order=timeline["reading_order"][cut],
                chart_svg=timeline["chart_svg"] if first else "", chart_text=timeline["chart_text"] if first else [])


# Stands in for each chapter's body while the whole-work page's frame is rendered; random per
# process, so no text of a fic can forge it, and the same across builds, so frames can be kept.
_BODY_MARK = f"sitegen-chapter-{secrets.token_hex(16)}-{{}}-"


def whole_work_page(env: jinja2.Environment, site: SiteView, view: WorkView, cache: BuildCache,
                    theme: tuple) -> bytes:
    """The whole work on one page: the template is rendered with a placeholder for each chapter's
    body, and the chapters' HTML (encoded once, kept in the cache) is joined into it. The frame
    is kept while everything but the bodies is unchanged."""
    path = f"{view.slug}/all.html"
    inputs = (theme, site, replace(view, chapters=()),
              tuple(tuple(v for k, v in vars(c).items() if k != "body") for c in view.chapters))
    kept = cache.frames.get(view.slug)
    if kept is not None and kept[0] == inputs:
        pieces = kept[1]
    else:
        marks = [_BODY_MARK.format(i) for i in range(len(view.chapters))]
        marked = replace(view, chapters=tuple(replace(c, body=Markup(m)) for c, m in zip(view.chapters, marks)))
        pieces = whole_work_frame(env, site, marked, path, marks)
        if pieces is None:                  # a theme that does not show each body once: render it plainly
            return render(env, "whole.html", page=path, site=site, work=view, root="../")
        with cache.lock:                    # this may run on a request's thread while a rebuild prunes
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


def epub_file(view: WorkView, cache: BuildCache, words: Words = Words()) -> bytes:
    """The work's EPUB, its own words in the work's language (`words`: epub.WORDS); the XHTML of
    chapters unchanged since it was last made is reused (cache.epub)."""
    with cache.lock:                        # this may run on a request's thread while a rebuild prunes
        memo = dict(cache.epub)
    book = work_epub(view, memo, words)
    with cache.lock:
        for key in memo:                    # (so that each is kept under the key work_epub gave it)
            cache.epub.pop(key, None)
        cache.epub.update(memo)
    return book


def encoded(cache: BuildCache, body: Markup) -> bytes:
    """A chapter body as UTF-8, encoded once per distinct body."""
    hit = cache.encoded.get(id(body))
    if hit is None or hit[0] is not body:
        hit = (body, body.encode("utf-8"))
        with cache.lock:
            cache.encoded[id(body)] = hit
    return hit[1]


def scene_anchors(work: Work, view: WorkView, cache: BuildCache) -> tuple[str | None, ...]:
    """Each scene's link, "chapter-3.html#scene-12" (None for a scene on no chapter page); kept while
    the chapters are unchanged."""
    chapters = tuple((ch.scenes, v.url) for ch, v in zip(work.chapters, view.chapters))

    def make() -> tuple[str | None, ...]:
        anchors: list[str | None] = [None] * len(work.scenes)
        for scenes, url in chapters:
            for s in scenes:
                anchors[s] = f"{url}#scene-{s + 1}"
        return tuple(anchors)
    return cache.latest("seen", f"anchors:{work.slug}", chapters, make)


def scene_excerpts(work: Work, cache: BuildCache) -> tuple[str, ...]:
    """Every scene's excerpt; a file's excerpts are kept by its key (its scenes depend on it alone)."""
    out: list[str] = []
    for source, scenes in groupby(work.scenes, key=lambda s: s.source):
        def make(scenes=tuple(scenes)) -> tuple[str, ...]:
            return tuple(scene_excerpt(work, s.index) for s in scenes)
        out += cache.memo("excerpts", work.source_keys[source], make) if work.source_keys else make()
    return tuple(out)


def scene_excerpt(work: Work, index: int, words: int = 14) -> str:
    """The first `words` words of the scene's first paragraph."""
    p = work.paragraphs[work.scenes[index].first_paragraph]
    return first_words([work.sources[p.source].text[p.start:p.end]], words)
