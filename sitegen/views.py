"""View objects: the plain data templates see (never the analysis internals)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable
from datetime import datetime, timezone

from markupsafe import Markup, escape

from .colours import assign_colours
from .model import AuthorNote, ChapterInfo, SeriesPart, Work
from .labels import leading_labels
from .markers import without_empty_markup
from .render import BLOCK_HTML, footnote_text, render_paragraph


@dataclass(frozen=True)
class Link:
    title: str
    url: str


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
    has_whole: bool = True     # the entire work on one page (all.html) is made


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
    series: tuple[SeriesPart, ...] = ()
    published: str = ""
    updated: str = ""
    source_url: str = ""

    @property
    def shell(self) -> WorkShell:
        return WorkShell(self.slug, self.title, self.author, self.language, self.url,
                         tuple(ChapterLink(c.number, c.title, c.url) for c in self.chapters),
                         tuple(LegendName(e.id, e.name) for e in self.legend),
                         self.preface, self.afterword, self.has_timeline, self.has_whole)


@dataclass(frozen=True)
class SiteView:
    title: str
    base_url: str
    language: str


def legend(work: Work) -> tuple[LegendEntry, ...]:
    """Who is who: every character with a line, most lines first, with their colours."""
    counts = work.line_counts
    colours = assign_colours([(c.id, c.colour) for c in work.cast])
    entries = [LegendEntry(c.id, c.name, *colours[c.id], counts.get((c.id, "speech"), 0),
                           counts.get((c.id, "thought"), 0))
               for c in work.cast]
    return tuple(sorted(entries, key=lambda e: -(e.speech + e.thought)))


def character_css(entries: tuple[LegendEntry, ...]) -> str:
    """Per-character colours as CSS custom properties, for light and dark mode."""
    light = "\n".join(f".c-{e.id} {{ --speaker: {e.light}; }}" for e in entries)
    dark = "\n".join(f"  .c-{e.id} {{ --speaker: {e.dark}; }}" for e in entries)
    return f"{light}\n@media (prefers-color-scheme: dark) {{\n{dark}\n}}\n"


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


def work_view(work: Work, bodies: list[Markup]) -> WorkView:
    chapters = []
    for i, ch in enumerate(work.chapters):
        words = sum(work.words[ch.first_paragraph:ch.last_paragraph + 1])
        prev = Link(work.chapters[i - 1].title, f"{work.chapters[i - 1].slug}.html") if i else None
        nxt = Link(work.chapters[i + 1].title, f"{work.chapters[i + 1].slug}.html") \
            if i + 1 < len(work.chapters) else None
        info = work.meta.chapter_info[i] if i < len(work.meta.chapter_info) else ChapterInfo()
        chapters.append(ChapterView(ch.number, ch.title, f"{ch.slug}.html", ch.slug, words, bodies[i],
                                    prev, nxt, i + 1 == len(work.chapters), note_paragraphs(info.summary),
                                    note_paragraphs(info.notes), note_paragraphs(info.end_notes)))
    m = work.meta
    return WorkView(
        slug=work.slug, title=m.title, author=m.author, summary=m.summary, fandom=m.fandom, rating=m.rating,
        warnings=m.warnings, tags=m.tags, language=m.language, words=sum(c.words for c in chapters),
        url=f"{work.slug}/index.html", chapters=tuple(chapters),
        preface=note_paragraphs(m.notes) + tuple(work_note_html(work, n, "Notes") for n in work.notes
                                                 if n.kind == "work-preface" and not is_summary(n, m.summary)),
        afterword=tuple(work_note_html(work, n, "End notes") for n in work.notes if n.kind == "work-afterword")
        + note_paragraphs(m.end_notes),
        legend=legend(work), has_timeline=bool(work.timeline), categories=m.categories,
        relationships=m.relationships, series=m.series, published=m.published, updated=m.updated,
        source_url=m.source_url,
        has_whole=m.whole_work if m.whole_work is not None else sum(c.words for c in chapters) <= WHOLE_WORK_WORDS)


def note_paragraphs(text: str) -> tuple[Markup, ...]:
    """A note from work.toml as its paragraphs (blank-line separated), each as HTML."""
    return tuple(Markup(f"<p>{escape(p.strip())}</p>") for p in text.split("\n\n") if p.strip())


@dataclass(frozen=True)
class FeedEntry:
    """One chapter in the work's Atom feed."""
    title: str
    url: str                # relative to the work's folder
    id: str                 # stable: urn:sitegen:<work>/<chapter>
    updated: str            # RFC 3339, UTC: when its files were last saved
    summary: str            # its first words


def chapter_dates(work: Work, modified: tuple[float, ...]) -> tuple[str, ...]:
    """Each chapter's date for the feed: the latest save of the files it is made of."""
    return tuple(rfc3339(max(modified[work.paragraphs[ch.first_paragraph].source:
                                      work.paragraphs[ch.last_paragraph].source + 1], default=0.0))
                 for ch in work.chapters)


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


def rfc3339(seconds: float) -> str:
    return datetime.fromtimestamp(int(seconds), tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
