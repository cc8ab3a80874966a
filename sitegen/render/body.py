"""Turn a chapter's paragraphs into HTML: scenes, quotes styled per speaker, notes as sidenotes."""
from __future__ import annotations

import bisect
from collections import defaultdict
from dataclasses import dataclass

from ..model import AuthorNote, Chapter, Quote, Work
from ..stages.labels import leading_labels
from ..text.markers import without_empty_markup
from .markdown import BLOCK_HTML, Insert, escape, footnote_text, render_paragraph
from .prose import ProseMarkup, default_prose
from .sidenotes import sidenote_html
from ..stages.notes import prose_cut


@dataclass(frozen=True)
class Placed:
    """What sits in or around each paragraph, looked up by paragraph index."""
    quotes: dict[int, list[Quote]]
    inline_notes: dict[int, list[AuthorNote]]    # notes inside a paragraph's span
    notes_before: dict[int, list[AuthorNote]]    # whole-paragraph notes shown before a paragraph
    notes_after: dict[int, list[AuthorNote]]     # chapter-end notes, and notes after the last paragraph
    hidden: dict[int, list[tuple[int, int]]]


def _position(item) -> tuple[int, int]:
    return item.source, item.start


def within(items, lo: tuple[int, int], hi: tuple[int, int], bounds: tuple[int, ...] = ()):
    """The items (sorted by source and start) that start in [lo, hi). With `bounds` (where each
    source's items start, then len(items): Work.file_quotes) each search looks in one source's items
    alone, so a work's quotes kept packed (packed.py) are read only in the files the span is in."""
    def find(at: tuple[int, int]) -> int:
        if len(bounds) < 2:
            return bisect.bisect_left(items, at, key=_position)
        last = len(bounds) - 1
        return bisect.bisect_left(items, at, bounds[min(max(at[0], 0), last)], bounds[min(max(at[0] + 1, 0), last)],
                                  key=_position)
    return items[find(lo):find(hi)]


def work_quotes(work: Work, lo: tuple[int, int], hi: tuple[int, int]):
    """The work's quotes that start in [lo, hi) (source, offset)."""
    bounds = work.file_quotes if len(work.file_quotes) == len(work.sources) + 1 else ()
    return within(work.quotes, lo, hi, bounds)


def place(work: Work, chapter: Chapter) -> Placed:
    """Assign the quotes, notes and hidden marks of one chapter to the paragraphs that hold them."""
    paragraphs, first, last = work.paragraphs, chapter.first_paragraph, chapter.last_paragraph
    lo = (paragraphs[first - 1].source, paragraphs[first - 1].end) if first else (-1, -1)
    hi = (paragraphs[last + 1].source, paragraphs[last + 1].start) if last + 1 < len(paragraphs) else (1 << 30, 0)
    quotes, inline, hidden = defaultdict(list), defaultdict(list), defaultdict(list)
    before, after = defaultdict(list), defaultdict(list)

    # everything placed starts after paragraph first-1 ends and before paragraph last+1 starts
    bounds = dict(lo=max(first - 1, 0), hi=min(last + 2, len(paragraphs)))

    def holder(source: int, start: int) -> int:
        return bisect.bisect_right(paragraphs, (source, start), key=_position, **bounds) - 1

    for q in work_quotes(work, lo, hi):
        quotes[holder(q.source, q.start)].append(q)
    for n in within(work.notes, lo, hi):
        if n.kind in ("work-preface", "work-afterword"):
            continue
        i = holder(n.source, n.start)
        p = work.paragraphs[i] if i >= 0 else None
        if p is not None and p.source == n.source and p.start <= n.start and n.end <= p.end:
            inline[i].append(n)
        elif (n.kind == "chapter-end" and i >= 0) or i + 1 >= len(work.paragraphs):
            after[max(i, 0)].append(n)
        else:
            before[i + 1].append(n)
    for source, s, e in work.hidden:
        if lo <= (source, s) < hi:
            hidden[holder(source, s)].append((s, e))
    return Placed(quotes, inline, before, after, hidden)


def quote_markup(q: Quote, names: dict[str, str], prose: ProseMarkup) -> tuple[str, str]:
    """A quote's markup round its words, from the theme's macro (macros/quote.html). The speaker's name
    is not in the text (copying a line copies only the line): the theme shows it as generated content
    (characters.css), read by screen readers and visible when the reader turns name labels on."""
    return prose.quote(q.kind, q.speaker if q.speaker in names else "unknown", q.confidence >= 0.5)


def unbracket(text: str) -> str:
    """A parenthetical note without its outer brackets, for the margin (its words all stay)."""
    if len(text) > 2 and (text[0], text[-1]) in (("(", ")"), ("[", "]")):
        return text[1:-1].strip()
    return text


def note_parts(n: AuthorNote, markdown: bool) -> tuple[str | None, str]:
    """A note's own label (its first label line, "Chapter Notes"; "Footnote" for a footnote), if any, and
    its text as HTML; a Markdown file's note keeps its Markdown (lists, emphasis)."""
    heads, text = leading_labels(without_empty_markup(n.text))   # the label is the box's heading, not repeated inside
    shown = footnote_text(text) if markdown else text
    body = render_paragraph(shown, 0, [], "md") if markdown else escape(text)
    label = heads[0] if heads else "Footnote" if shown != text else None
    return label, "".join(f'<strong class="note-subheading">{escape(h)}</strong> ' for h in heads[1:]) + body


def note_block(n: AuthorNote, note_id: str, markdown: bool = False) -> str:
    """A whole-paragraph note between paragraphs, in a box headed by its label."""
    label, body = note_parts(n, markdown)
    tag = "div" if body.startswith(BLOCK_HTML) else "span"
    return (f'<aside class="author-note block-note" id="{note_id}"><span class="note-label">'
            f'{escape(label or "Author’s note")}</span> <{tag} class="note-text">{body}</{tag}></aside>')


def end_notes_block(notes: list[AuthorNote], note_id: str, work: Work) -> str:
    """A chapter's end notes ("Please review!", a "reposted:" line) as one box after its last scene."""
    parts = [note_parts(n, work.sources[n.source].path.suffix != ".txt") for n in notes]
    label = parts[0][0] or "Notes"
    if len(parts) == 1:
        body, tag = parts[0][1], "div" if parts[0][1].startswith(BLOCK_HTML) else "span"
    else:
        body, tag = "".join((f'<strong class="note-subheading">{escape(lab)}</strong> ' if lab and k else "")
                            + (html if html.startswith(BLOCK_HTML) else f"<p>{html}</p>")
                            for k, (lab, html) in enumerate(parts)), "div"
    return (f'<aside class="author-note block-note chapter-end-notes" id="{note_id}"><span class="note-label">'
            f'{escape(label)}</span> <{tag} class="note-text">{body}</{tag}></aside>')


def ornament_html(line: str) -> str:
    """A separator line the author put round a heading or a note: shown as they wrote it, hidden from screen readers."""
    return f'<p class="scene-break ornament" aria-hidden="true">{escape(line)}</p>'


def inside_emphasis(text: str, start: int, end: int) -> tuple[int, int]:
    """A thought in italics (`*I can't,*`) is marked inside its asterisks, so Markdown still sees the emphasis."""
    while end - start > 2 and text[start] in "*_" and text[end - 1] == text[start]:
        start, end = start + 1, end - 1
    return start, end


def paragraph_html(work: Work, i: int, placed: Placed, names: dict[str, str], prefix: str,
                   counter: list[int], number: int, prose: ProseMarkup) -> str:
    p = work.paragraphs[i]
    text = work.sources[p.source].text
    inserts = [Insert(*inside_emphasis(text, q.start, q.end), *quote_markup(q, names, prose))
               for q in placed.quotes.get(i, ())]
    for n in placed.inline_notes.get(i, ()):
        counter[0] += 1
        s, e = prose_cut(text, n.start, n.end)
        inserts.append(Insert(s, e, sidenote_html(counter[0], escape(unbracket(n.text)), f"{prefix}sn-{counter[0]}",
                                                  prose), replace=True))
    inserts += [Insert(s, e, replace=True) for s, e in placed.hidden.get(i, ())]
    flavour = "txt" if work.sources[p.source].path.suffix == ".txt" else "md"
    html_out = render_paragraph(text[p.start:p.end], p.start, inserts, flavour)
    if html_out.startswith(BLOCK_HTML):             # a Markdown block quote, list or code block
        return f'<div class="block" id="{prefix}p-{number}">{html_out}</div>'
    return f'<p id="{prefix}p-{number}">{html_out}</p>'


def chapter_body(work: Work, chapter: Chapter, placed: Placed, names: dict[str, str],
                 prose: ProseMarkup | None = None) -> str:
    """The chapter's prose as HTML sections, one per scene, with anchors `scene-N` and `<chapter>-p-N`;
    quotes and sidenotes marked up by `prose` (the theme's macros; the default theme's if None).

    Scene numbers run through the whole work; paragraph and note ids are numbered
    within the chapter and carry its slug. So the same HTML serves the chapter page
    and the whole-work page, and a paragraph added to one chapter changes no other.
    """
    out, counter, prefix, last_notes = [], [0], f"{chapter.slug}-", []
    prose = prose or default_prose()
    scene_at = {work.scenes[k].first_paragraph: work.scenes[k] for k in chapter.scenes}
    open_section = False
    for i in range(chapter.first_paragraph, chapter.last_paragraph + 1):
        scene = scene_at.get(i)
        if scene is not None:
            if open_section:
                out.append("</section>")
                if i in work.breaks:
                    out.append(f'<p class="scene-break" role="separator">{escape(work.breaks[i])}</p>')
            out.append(f'<section class="scene" id="scene-{scene.index + 1}">')
            open_section = True
        out += [ornament_html(line) for line in work.ornaments.get(i, ())]
        for h in work.subheadings.get(i, ()):
            out.append(f'<h2 class="section-heading">{escape(h)}</h2>')
        if i in work.headings and (i != chapter.first_paragraph or chapter.title != work.headings[i]):
            # an author's chapter heading inside a page (split = none / scenes), or one that work.toml's
            # `chapters` replaced as the page's title: shown, never lost
            out.append(f'<h2 class="section-heading">{escape(work.headings[i])}</h2>')
        for n in placed.notes_before.get(i, ()):
            counter[0] += 1
            out.append(note_block(n, f"{prefix}note-{counter[0]}", work.sources[n.source].path.suffix != ".txt"))
        for h in work.late_subheadings.get(i, ()):              # the author's own heading under the notes
            out.append(f'<h2 class="section-heading">{escape(h)}</h2>')
        out.append(paragraph_html(work, i, placed, names, prefix, counter, i - chapter.first_paragraph + 1, prose))
        out += [ornament_html(text) if kind == "ornament" else f'<h2 class="section-heading">{escape(text)}</h2>'
                for kind, text in work.closing.get(i, ())]          # a file's closing lines and heading
        ends = [n for n in placed.notes_after.get(i, ()) if n.kind == "chapter-end"]
        for n in placed.notes_after.get(i, ()):
            if n.kind != "chapter-end":
                counter[0] += 1
                out.append(note_block(n, f"{prefix}note-{counter[0]}", work.sources[n.source].path.suffix != ".txt"))
        if ends and i == chapter.last_paragraph:
            last_notes = ends                                   # shown after the last scene
        elif ends:
            counter[0] += 1
            out.append(end_notes_block(ends, f"{prefix}note-{counter[0]}", work))
    if open_section:
        out.append("</section>")
    if last_notes:
        counter[0] += 1
        out.append(end_notes_block(last_notes, f"{prefix}note-{counter[0]}", work))
    return "\n".join(out)
