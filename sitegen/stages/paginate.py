"""Paginate stage: chapter pages from the author's headings, or from whole scenes near a target length."""
from __future__ import annotations

import bisect
from typing import Sequence

from ..model import Chapter, ChapterInfo, Scene
from ..text.markers import numbered_chapter


def chapter_starts_from_scenes(scenes: tuple[Scene, ...], words: Sequence[int], target: int) -> list[int]:
    """Paragraph indexes where a page starts: only at strong scene starts, greedily near `target` words."""
    strong = [s.first_paragraph for s in scenes if s.strong]
    if not strong or strong[0] != 0:
        strong.insert(0, 0)
    bounds = strong + [len(words)]
    segments = [(bounds[i], sum(words[bounds[i]:bounds[i + 1]])) for i in range(len(strong))]
    starts, page = [0], 0
    for first, size in segments:
        if page and page + size > target * 1.25 and page >= target * 0.4:
            starts.append(first)
            page = 0
        page += size
    return starts


def make_chapters(words: Sequence[int], headings: dict[int, str], file_starts: frozenset[int],
                  scenes: tuple[Scene, ...], *, target: int, split: str, titles: tuple[str, ...],
                  language: str | None = None) -> tuple[Chapter, ...]:
    """Chapter pages. `split`: auto | markers | scenes | none.

    auto uses the author's chapters (headings, even a single one, or one file per
    chapter) when there are any, and otherwise pages of whole scenes near `target` words. `words` has
    each paragraph's word count. A page with no title of its own is "Chapter N" in the work's `language`.
    """
    if not words:
        return ()
    marked = sorted(set(headings) | set(file_starts) | {0})
    if split == "none":
        starts = [0]
    elif split == "markers" or (split == "auto" and (len(marked) > 1 or headings)):   # one "Chapter Six" is a chapter too
        starts = marked
    else:
        starts = chapter_starts_from_scenes(scenes, words, target)
    scene_firsts = [s.first_paragraph for s in scenes]
    chapters = []
    for n, first in enumerate(starts, 1):
        last = (starts[n] - 1) if n < len(starts) else len(words) - 1
        if last < first:
            continue
        number = len(chapters) + 1
        if number <= len(titles) and titles[number - 1]:
            title = titles[number - 1]
        elif first in headings:
            title = headings[first]
        else:
            title = numbered_chapter(number, language)
        inside = tuple(s.index for s in scenes[bisect.bisect_left(scene_firsts, first):
                                                bisect.bisect_right(scene_firsts, last)])
        chapters.append(Chapter(number, title, f"chapter-{number}", first, last, inside))
    return tuple(chapters)


def chapter_info_by_file(tables: Sequence[ChapterInfo], spans: list[tuple[int, int]],
                         chapters: Sequence[Chapter]) -> tuple[ChapterInfo, ...]:
    """Each chapter page's notes when the k-th [[chapter]] describes the k-th file: a file's summary and
    notes go to the page its first paragraph is on, its end notes to the page its last one is on (so a
    heading inside a file, or pages split at scenes, move no note to the wrong chapter)."""
    out = []
    for ch in chapters:
        def on_page(p: int) -> bool:
            return ch.first_paragraph <= p <= ch.last_paragraph
        starts = [t for (s, e), t in zip(spans, tables) if e > s and on_page(s)]
        ends = [t for (s, e), t in zip(spans, tables) if e > s and on_page(e - 1)]
        out.append(ChapterInfo("", *("\n\n".join(getattr(t, k) for t in group if getattr(t, k))
                                     for k, group in (("summary", starts), ("notes", starts), ("end_notes", ends))),
                               updated=max((t.updated for t in starts + ends), default="")))
    return tuple(out)

