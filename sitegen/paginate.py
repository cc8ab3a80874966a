"""Paginate stage: chapter pages from the author's headings, or from whole scenes near a target length."""
from __future__ import annotations

from .model import Chapter, Paragraph, Scene, SourceText


def word_count(text: str) -> int:
    return len(text.split())


def paragraph_words(sources: tuple[SourceText, ...], paragraphs: tuple[Paragraph, ...]) -> list[int]:
    return [word_count(sources[p.source].text[p.start:p.end]) for p in paragraphs]


def chapter_starts_from_scenes(scenes: tuple[Scene, ...], words: list[int], target: int) -> list[int]:
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


def make_chapters(sources: tuple[SourceText, ...], paragraphs: tuple[Paragraph, ...], headings: dict[int, str],
                  file_starts: frozenset[int], scenes: tuple[Scene, ...], *, target: int, split: str,
                  titles: tuple[str, ...]) -> tuple[Chapter, ...]:
    """Chapter pages. `split`: auto | markers | scenes | none.

    auto uses the author's chapters (headings or one file per chapter) when there
    are any, and otherwise pages of whole scenes near `target` words.
    """
    if not paragraphs:
        return ()
    marked = sorted(set(headings) | set(file_starts) | {0})
    if split == "none":
        starts = [0]
    elif split == "markers" or (split == "auto" and len(marked) > 1):
        starts = marked
    else:
        starts = chapter_starts_from_scenes(scenes, paragraph_words(sources, paragraphs), target)
    chapters = []
    for n, first in enumerate(starts, 1):
        last = (starts[n] - 1) if n < len(starts) else len(paragraphs) - 1
        if last < first:
            continue
        number = len(chapters) + 1
        if number <= len(titles):
            title, named = titles[number - 1], True
        elif first in headings:
            title, named = headings[first], True
        else:
            title, named = f"Chapter {number}", False
        inside = tuple(s.index for s in scenes if first <= s.first_paragraph <= last)
        chapters.append(Chapter(number, title, f"chapter-{number}", first, last, inside, named))
    return tuple(chapters)
