"""View objects: the plain data templates see (never the analysis internals)."""
from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, replace
from functools import lru_cache, partial
from operator import attrgetter
from typing import Iterable
from datetime import datetime, timezone

from markupsafe import Markup, escape

from .body import work_quotes
from .colours import assign_colours, exchanges
from .reused import Reused, runs
from .theme import Words
from ..load.config import is_iso_date
from ..model import AuthorNote, ChapterInfo, SeriesPart, Work, WorkMeta
from ..stages.labels import leading_labels
from ..text.markers import without_empty_markup
from .markdown import BLOCK_HTML, footnote_text, render_paragraph


@dataclass(frozen=True)
class Link:
    title: str
    url: str


@dataclass(frozen=True)
class TagLink:
    """A tag of a work and its page: kind is fandom | rating | warning | category | relationship |
    character | freeform (or series); url is from the site root."""
    kind: str
    name: str
    url: str


TAG_KINDS = (("fandom", "Fandoms"), ("rating", "Ratings"), ("warning", "Warnings"), ("category", "Categories"),
             ("relationship", "Relationships"), ("character", "Characters"), ("freeform", "Additional tags"))


@dataclass(frozen=True)
class TagGroup:
    """A work's tags of one kind (as TagLink's), for its header: made once per work, so a page's
    template loops over ready lists instead of filtering every tag for every kind on every page."""
    kind: str
    links: tuple[TagLink, ...]


# The order a work's header shows its tags in (AO3's "work meta" box).
HEADER_KINDS = ("rating", "warning", "category", "fandom", "relationship", "character", "freeform")


def tag_groups(links: Iterable[TagLink]) -> tuple[TagGroup, ...]:
    """The tags grouped by kind in HEADER_KINDS order (kinds without a tag left out)."""
    by_kind: dict[str, list[TagLink]] = {}
    for link in links:
        by_kind.setdefault(link.kind, []).append(link)
    return tuple(TagGroup(kind, tuple(by_kind[kind])) for kind in HEADER_KINDS if kind in by_kind)


@dataclass(frozen=True)
class SeriesLink:
    """A series the work is part of (work.toml's [[series]]) and its page on this site."""
    title: str
    position: int | None        # the work's place in it
    url: str                    # the series on an archive ("" for none)
    page: str                   # its page here, from the site root: series/<series>.html


@dataclass(frozen=True)
class TagPage:
    """A tag's (or a series') page: its name, kind (as TagLink's, or "series"), url from the site root,
    and the works that carry it (a series: in order of their place in it)."""
    name: str
    kind: str
    url: str
    works: tuple["WorkView", ...]


def tag_slug(name: str) -> str:
    """A tag's file name: lower case, words joined by "-" (letters of any script kept)."""
    return re.sub(r"[\W_]+", "-", name.casefold()).strip("-") or f"tag-{hashlib.blake2b(name.encode(), digest_size=4).hexdigest()}"


def tag_links(meta: WorkMeta, characters: Iterable[str]) -> tuple[TagLink, ...]:
    """The work's tags in AO3's order, each with its page under tags/. A character whose name
    is another tag's words in another order ("Sakura Haruno", the tag "Haruno Sakura") is that
    tag: one name, one page."""
    others = [*(("fandom", f) for f in meta.fandom.split(", ")), ("rating", meta.rating),
              *(("warning", w) for w in meta.warnings), *(("category", c) for c in meta.categories),
              *(("relationship", r) for r in meta.relationships)]
    freeform = [("freeform", t) for t in meta.tags]
    written = {_words(name): name for _, name in [*others, *freeform] if name}
    cast = [("character", written.get(_words(c), c)) for c in characters]
    named = list(dict.fromkeys([*others, *cast, *(t for t in freeform if t not in
                                                  {("freeform", name) for _, name in cast})]))
    return tuple(TagLink(kind, name, f"tags/{tag_slug(name)}.html") for kind, name in named if name)


def _words(name: str) -> tuple[str, ...]:
    """A name's words in any order: "Haruno Sakura" and "Sakura Haruno" are one."""
    return tuple(sorted(re.findall(r"\w+", name.casefold())))


@dataclass(frozen=True)
class ChapterView:
    number: int
    title: str
    url: str               # relative to the work's folder
    anchor: str            # id of the chapter on the whole-work page
    words: int
    body: Markup
    prev: Link | None
    next: Link | None
    is_last: bool
    summary: tuple[str, ...] = ()          # from work.toml's [[chapter]]: shown as notes, never as prose
    notes: tuple[str, ...] = ()
    end_notes: tuple[str, ...] = ()
    minutes: int = 1            # reading time at WORDS_PER_MINUTE, at least 1
    cast_ids: tuple[str, ...] = ()   # who has a line in it (cast ids; "unknown" for lines of no known speaker)
    updated: str = ""           # "YYYY-MM-DD" from its [[chapter]] in work.toml, else ""
    people: tuple["LegendName", ...] = ()   # the cast with a line in it, in the legend's order (most lines first)


@dataclass(frozen=True)
class LegendEntry:
    id: str
    name: str
    light: str
    dark: str
    speech: int
    thought: int


@dataclass(frozen=True)
class ChapterLink:
    number: int
    title: str
    url: str


@dataclass(frozen=True)
class LegendName:
    id: str
    name: str


@dataclass(frozen=True)
class WorkShell:
    """What a chapter page knows of its work: only what rarely changes, so an edit to one
    chapter re-renders that chapter's page and not its 200 siblings."""
    slug: str
    title: str
    author: str
    language: str
    url: str
    chapters: tuple[ChapterLink, ...]
    legend: tuple[LegendName, ...]
    preface: tuple[Markup, ...]           # each note as HTML
    afterword: tuple[Markup, ...]
    has_timeline: bool
    summary: str = ""
    fandom: str = ""
    rating: str = ""
    warnings: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    published: str = ""
    updated: str = ""
    status: str = ""
    complete: bool = False
    epub: str = ""
    tag_links: tuple[TagLink, ...] = ()
    series: tuple["SeriesLink", ...] = ()
    source_url: str = ""
    has_whole: bool = True     # the entire work on one page (all.html) is made
    tag_groups: tuple[TagGroup, ...] = ()


@dataclass(frozen=True)
class WorkView:
    slug: str
    title: str
    author: str
    summary: str
    fandom: str
    rating: str
    warnings: tuple[str, ...]
    tags: tuple[str, ...]
    language: str
    words: int
    url: str                # from the site root
    chapters: tuple[ChapterView, ...]
    preface: tuple[Markup, ...]           # each note as HTML
    afterword: tuple[Markup, ...]
    legend: tuple[LegendEntry, ...]
    has_timeline: bool
    has_whole: bool = True
    categories: tuple[str, ...] = ()       # what an archive knows (work.toml; see `sitegen import`)
    relationships: tuple[str, ...] = ()
    series: tuple["SeriesLink", ...] = ()  # the series it is part of, each with its page
    published: str = ""         # "YYYY-MM-DD" (work.toml), else ""
    updated: str = ""           # "YYYY-MM-DD" (work.toml, else the newest chapter's), else ""
    source_url: str = ""
    status: str = ""            # chapters written / planned: "4/4", "3/?"
    complete: bool = False
    epub: str = ""              # the EPUB's file name in the work's folder ("" when there is none)
    tag_links: tuple[TagLink, ...] = ()   # every tag with its page (TAG_KINDS order)
    tag_groups: tuple[TagGroup, ...] = ()  # the same by kind, in the header's order (HEADER_KINDS)

    @property
    def shell(self) -> WorkShell:
        return WorkShell(self.slug, self.title, self.author, self.language, self.url,
                         tuple(ChapterLink(c.number, c.title, c.url) for c in self.chapters),
                         tuple(LegendName(e.id, e.name) for e in self.legend),
                         self.preface, self.afterword, self.has_timeline, self.summary, self.fandom,
                         self.rating, self.warnings, self.tags, self.published, self.updated, self.status,
                         self.complete, self.epub, self.tag_links, self.series, self.source_url,
                         self.has_whole, self.tag_groups)


@dataclass(frozen=True)
class TimelinePage:
    """One page of a work's timeline: its number, file name in the work's folder, and the positions
    (1-based, in story order) of its first and last scene."""
    number: int
    url: str
    first: int
    last: int


@dataclass(frozen=True)
class TimelinePager:
    """Where a timeline page is among the timeline's pages (one, unless the work has many scenes)."""
    current: int                            # this page's number
    scenes: int                             # scenes in the whole timeline
    pages: tuple[TimelinePage, ...]


@dataclass(frozen=True)
class SiteView:
    title: str
    base_url: str
    language: str


WORDS_PER_MINUTE = 250


def without_bodies(view: WorkView, kept: Reused | None = None) -> WorkView:
    """The view with its chapters' `body` empty: what the pages that show no chapter text are made from
    (the work's page and the site-wide lists), so that such a page is made again only when something
    it can show changed, not after every edit inside a chapter. `kept` has each chapter's from the
    last build, reused while work_view kept that chapter's view."""
    empty = Markup("")
    kept = kept or Reused()
    return replace(view, chapters=tuple(kept.made_from(("bare", k), c, partial(replace, c, body=empty))
                                        for k, c in enumerate(view.chapters)))


def work_colours(work: Work, kept: Reused | None = None) -> dict[str, tuple[str, str]]:
    """Every cast member's (light, dark) colour: the pairs who take turns talking most differ most."""
    return assign_colours([(c.id, c.colour) for c in work.cast], turns(work, kept or Reused()))


def turns(work: Work, kept: Reused) -> Counter:
    """colours.exchanges over the work's quotes, summed file by file: each file's own turns (kept by its
    key) and one turn where a file's first speaker answers the last speaker before it; summed in runs
    of files (reused.runs)."""
    bounds, keys = work.file_quotes, work.source_keys
    if len(bounds) != len(keys) + 1:
        return exchanges(map(_speaker, work.quotes))

    def own(si: int) -> tuple[str | None, str | None, Counter]:      # (reads the file's quotes: only if not kept)
        return file_turns(work.quotes[bounds[si]:bounds[si + 1]])

    def run(lo: int, run_keys: tuple[str, ...]) -> tuple[str | None, str | None, Counter]:
        return joined_turns(kept.get(("turns", key), partial(own, si)) for si, key in enumerate(run_keys, lo))
    return joined_turns(kept.get(("turns run", run_keys), partial(run, lo, run_keys))
                        for lo, run_keys in runs(keys))[2]


def joined_turns(parts: Iterable[tuple[str | None, str | None, Counter]]) -> tuple[str | None, str | None, Counter]:
    """The first and last known speakers and the turns of consecutive parts (files, or runs of them), given
    each part's own: the turns add up, and where a part's first speaker answers the last speaker before
    it, that is one turn more."""
    counts: Counter = Counter()
    start = last = None
    for first, final, own in parts:
        counts.update(own)
        if last is not None and first is not None and first != last:
            counts[(last, first) if last < first else (first, last)] += 1
        start = first if start is None else start
        last = final if final is not None else last
    return start, last, counts


def file_turns(quotes) -> tuple[str | None, str | None, Counter]:
    """A file's first and last known speakers and its own exchanges."""
    said = [s for s in map(_speaker, quotes) if s is not None]
    return (said[0] if said else None, said[-1] if said else None, exchanges(said))


def legend(work: Work, kept: Reused | None = None) -> tuple[LegendEntry, ...]:
    """Who is who: every character with a line, most lines first, with their colours."""
    counts = work.line_counts
    colours = work_colours(work, kept)
    entries = [LegendEntry(c.id, c.name, *colours[c.id], counts.get((c.id, "speech"), 0),
                           counts.get((c.id, "thought"), 0))
               for c in work.cast]
    return tuple(sorted(entries, key=lambda e: -(e.speech + e.thought)))


def css_string(text: str) -> str:
    """Text as a CSS string literal (quotes, backslashes and line breaks escaped)."""
    return '"' + "".join(f"\\{ord(ch):x} " if ch in '"\\\n\r<>' else ch for ch in text) + '"'


# The words characters.css puts before each quote, in the work's language (the theme's strings table).
CSS_WORDS = ("{name}: ", "{name}, thinking: ")


def character_css(entries: tuple[LegendEntry, ...], words: Words = Words()) -> str:
    """Per-character colours as CSS custom properties (light and dark), and each quote's speaker
    as generated content (read by screen readers, shown when the reader turns names on, never copied),
    in the words of CSS_WORDS (`words`: the work's language, English by default)."""
    colours = "\n".join(f".c-{e.id} {{ --speaker-light: {e.light}; --speaker-dark: {e.dark}; }}" for e in entries)
    names = "\n".join(f".q.c-{e.id}::before {{ content: {css_string(words('{name}: ', name=e.name))}; }}\n"
                       f".q.thought.c-{e.id}::before "
                       f"{{ content: {css_string(words('{name}, thinking: ', name=e.name))}; }}"
                       for e in entries)
    return f'@charset "utf-8";\n{colours}\n{names}\n'


def status(count: int, complete: bool, total: int | None) -> str:
    """AO3's chapter status: "4/4" for a finished work, "3/?" when the total is not known."""
    return f"{count}/{total or (count if complete else '?')}"


def chapter_cast(work: Work, ch, ids: frozenset[str] | None = None, kept: Reused | None = None) -> tuple[str, ...]:
    """The cast ids with a line in the chapter, in order of their first line ("unknown" for unknown speakers);
    `ids` is the work's cast ids (once per work, not per chapter); `kept` has it by the chapter's files and span."""
    first, last = work.paragraphs[ch.first_paragraph], work.paragraphs[ch.last_paragraph]
    ids = frozenset(c.id for c in work.cast) if ids is None else ids

    def make() -> tuple[str, ...]:
        quotes = work_quotes(work, (first.source, first.start), (last.source, last.end))
        speakers = dict.fromkeys(map(_speaker, quotes))
        return tuple(dict.fromkeys(s if s in ids else "unknown" for s in speakers))   # (first lines in order)
    if kept is None or len(work.source_keys) != len(work.sources):
        return make()
    return kept.get(("cast", work.source_keys[first.source:last.source + 1], first.start, last.end, ids), make)


_speaker = attrgetter("speaker")


def chapter_people(names: dict[str, tuple[int, "LegendName"]], ids: tuple[str, ...]) -> tuple["LegendName", ...]:
    """The names of those with an id in `ids`, in the legend's order (most lines first); `names` maps
    each legend id to its rank and name."""
    return tuple(name for _, name in sorted(names[i] for i in ids if i in names))


# With whole_work = "auto" (the default), a work longer than this has no entire-work page: a page of
# a million words is ~10 MB of HTML, more than a browser shows comfortably or a reader downloads at once.
WHOLE_WORK_WORDS = 300_000


def work_note_html(work: Work, note: AuthorNote, box: str) -> Markup:
    """A preface or afterword note as HTML: its paragraphs, and in a Markdown file its Markdown (lists, emphasis).
    Its label lines ("Summary:", "Afterword") are headings; one that only repeats the box's heading goes."""
    heads, text = leading_labels(without_empty_markup(note.text))
    heading = "".join(f'<h3 class="note-heading">{escape(h)}</h3>' for h in heads if h.lower() != box.lower())
    if work.sources[note.source].path.suffix != ".txt":
        html_out = render_paragraph(footnote_text(text), 0, [], "md") if text else ""
        return Markup(heading + (html_out if html_out.startswith(BLOCK_HTML) or not html_out else f"<p>{html_out}</p>"))
    return Markup(heading + "".join(f"<p>{escape(part.strip())}</p>" for part in text.split("\n\n") if part.strip()))


def is_summary(note: AuthorNote, summary: str) -> bool:
    """The note is the "Summary:" block that became the work's summary (shown as the summary, not again)."""
    heads, text = leading_labels(note.text)
    return bool(heads and summary and text == summary)


def work_view(work: Work, bodies: list[Markup], epub: bool = True, kept: Reused | None = None) -> WorkView:
    """The work as its templates see it; `kept` has the per-file and per-chapter parts the last build made."""
    chapters = []
    m = work.meta
    kept = kept or Reused()
    legend_entries = legend(work, kept)
    names = {e.id: (rank, LegendName(e.id, e.name)) for rank, e in enumerate(legend_entries)}
    cast_ids = kept.same("cast ids", frozenset(c.id for c in work.cast))
    for i, ch in enumerate(work.chapters):
        words = sum(work.words[ch.first_paragraph:ch.last_paragraph + 1])
        prev = Link(work.chapters[i - 1].title, f"{work.chapters[i - 1].slug}.html") if i else None
        nxt = Link(work.chapters[i + 1].title, f"{work.chapters[i + 1].slug}.html") \
            if i + 1 < len(work.chapters) else None
        info = work.meta.chapter_info[i] if i < len(work.meta.chapter_info) else ChapterInfo()
        cv = ChapterView(ch.number, ch.title, f"{ch.slug}.html", ch.slug, words, bodies[i],
                         prev, nxt, i + 1 == len(work.chapters), note_paragraphs(info.summary),
                         note_paragraphs(info.notes), note_paragraphs(info.end_notes),
                         minutes=max(1, round(words / WORDS_PER_MINUTE)),
                         cast_ids=(ids := chapter_cast(work, ch, cast_ids, kept)), updated=info.updated,
                         people=chapter_people(names, ids))
        # The last build's view while equal, so later stages (the pages kept by their inputs, the view
        # without bodies) compare it by identity; only while its body is this very object (the one
        # cache.bodies holds, which prune keeps by the views' bodies): the key holds the body's id, and the
        # last build's view keeps its own body alive, so a new body never takes its id.
        chapters.append(kept.same(("chapter", i, id(bodies[i])), cv))
    return WorkView(
        slug=work.slug, title=m.title, author=m.author, summary=m.summary, fandom=m.fandom, rating=m.rating,
        warnings=m.warnings, tags=m.tags, language=m.language, words=sum(c.words for c in chapters),
        url=f"{work.slug}/index.html", chapters=tuple(chapters),
        preface=note_paragraphs(m.notes) + tuple(work_note_html(work, n, "Notes") for n in work.notes
                                                 if n.kind == "work-preface" and not is_summary(n, m.summary)),
        afterword=tuple(work_note_html(work, n, "End notes") for n in work.notes if n.kind == "work-afterword")
        + note_paragraphs(m.end_notes),
        legend=legend_entries, has_timeline=bool(work.timeline), categories=m.categories,
        relationships=m.relationships, series=tuple(series_link(s) for s in m.series), published=m.published,
        updated=m.updated or max((c.updated for c in chapters if is_iso_date(c.updated)), default=""),
        source_url=m.source_url,
        status=status(len(chapters), m.complete, m.chapters_total), complete=m.complete,
        epub=f"{work.slug}.epub" if epub else "", tag_links=(links := tag_links(m, (e.name for e in legend_entries))),
        tag_groups=tag_groups(links),
        has_whole=m.whole_work if m.whole_work is not None else sum(c.words for c in chapters) <= WHOLE_WORK_WORDS)


def note_paragraphs(text: str) -> tuple[Markup, ...]:
    """A note from work.toml as its paragraphs (blank-line separated), each as HTML."""
    if not text:                        # (most chapters have none: three calls a chapter, every build)
        return ()
    return tuple(Markup(f"<p>{escape(p.strip())}</p>") for p in text.split("\n\n") if p.strip())


def series_link(part: SeriesPart) -> "SeriesLink":
    return SeriesLink(part.title, part.position, part.url, f"series/{tag_slug(part.title)}.html")


@dataclass(frozen=True)
class FeedEntry:
    """One chapter in the work's Atom feed."""
    title: str
    url: str                # relative to the work's folder
    id: str                 # stable: urn:sitegen:<work>/<chapter>
    updated: str            # RFC 3339, UTC: when its files were last saved
    summary: str            # its first words


def chapter_dates(work: Work, modified: tuple[float, ...]) -> tuple[str, ...]:
    """Each chapter's date for the feed: `updated` in its [[chapter]] in work.toml, else the work's
    `updated` or `published` there, else the latest change of the files it is made of (`modified`)."""
    m = work.meta
    whole = next((d for d in (m.updated, m.published) if is_iso_date(d)), "")     # (once, not once a chapter)
    dates = []
    for i, ch in enumerate(work.chapters):
        told = m.chapter_info[i].updated if i < len(m.chapter_info) else ""
        told = told if is_iso_date(told) else whole
        if told:
            dates.append(f"{told}T00:00:00Z")
        else:
            dates.append(rfc3339(max(modified[work.paragraphs[ch.first_paragraph].source:
                                              work.paragraphs[ch.last_paragraph].source + 1], default=0.0)))
    return tuple(dates)


def feed_entries(work: Work, view: WorkView, dates: tuple[str, ...], words: int = 40) -> tuple[FeedEntry, ...]:
    """The work's chapters for its feed, newest first."""
    entries = []
    for ch, cv, date in zip(work.chapters, view.chapters, dates):
        texts = (work.sources[p.source].text[p.start:p.end]
                 for p in work.paragraphs[ch.first_paragraph:ch.last_paragraph + 1])
        entries.append(FeedEntry(cv.title, cv.url, f"urn:sitegen:{work.slug}/{ch.slug}", date,
                                 first_words(texts, words)))
    return tuple(reversed(entries))


def first_words(texts: Iterable[str], count: int) -> str:
    """The first `count` words of the texts, with an ellipsis when there are more."""
    found: list[str] = []
    for text in texts:
        found += text.split()
        if len(found) > count:
            break
    return " ".join(found[:count]) + ("…" if len(found) > count else "")


@lru_cache(maxsize=4096)            # a feed's dates are asked for again on every save
def rfc3339(seconds: float) -> str:
    return datetime.fromtimestamp(int(seconds), tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
