"""Find a work's title line, its preface (before the title) and afterword (after the story)."""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..text.markers import heading_title, is_scene_break

_SENTENCE_END = re.compile(r"[.!?,;:\"'“”‘’…)]\s*$")
_BYLINE = re.compile(r"^(?:by|written\s+by|author\s*:)\s+(?P<name>.{1,60})$", re.I)
_NOTE_LEAD = re.compile(r"^\s*[\[(]?\s*(?:a/?n|author'?s?'?\s+notes?|disclaimer|note)\b\s*[:\-–—]?", re.I)
# Words an author uses to talk to readers about the work, not inside the story.
_READER_TALK = re.compile(
    r"\b(?:review(?:s|ing)?|r&r|readers?|tell\s+me|let\s+me\s+know|hope\s+you|if\s+you\s+(?:liked|enjoyed|hated)"
    r"|thanks?\s+(?:you\s+)?for\s+reading|(?:this|my|next|last)\s+(?:chapter|fic|one-?shot|oneshot)"
    r"|one-?shot|fanfic(?:tion)?|o\.?o?c\b|disclaimer|i\s+(?:do\s+not|don'?t)\s+own|update\s+soon|flames?"
    r"|this\s+is\s+(?:basically|just|my)|what\s+would\s+happen\s+if|different\s+take|(?:the\s+)?characters?\b.{0,40}\bo\.?o?c)"
    r"|on\s+with\s+the\s+(?:story|chapter|fic|show)|without\s+further\s+ado|(?:read|review)\s+and\s+review|enjoy\s+the\s+chapter"
    r"|sorry\s+for\s+the\s+(?:late|long|slow)\s+(?:update|wait|chapter)|(?:my|the)\s+(?:lovely\s+|amazing\s+|awesome\s+)?beta\b"
    r"|feedback|leave\s+(?:a\s+)?(?:comments?|kudos|reviews?)|shout[\s-]?outs?\b|thanks?\s+(?:you\s+)?(?:so\s+much\s+)?(?:to\s+everyone|for\s+(?:all\s+)?the\s+(?:reviews|favou?rites|follows|comments|kudos))",
    re.I)


@dataclass(frozen=True)
class FrontBack:
    """Paragraph indexes: the title line, the preface, the afterword, and an author byline."""
    title: str | None
    title_index: int | None
    preface: tuple[int, ...]
    afterword: tuple[int, ...]
    author: str | None


def is_title_like(text: str) -> bool:
    """A short single line with no sentence punctuation at its end, or a title-cased one ending in "!" or "?"
    ("Stuck!", "Who Stole the Moon?")."""
    text = text.strip()
    if "\n" in text or not 0 < len(text) <= 80 or len(text.split()) > 12 or is_scene_break(text) \
            or heading_title(text) is not None:
        return False
    if text.endswith(("!", "?")) and not text.endswith(("!!", "?!", "!?")):
        return _title_cased(text[:-1])
    return not _SENTENCE_END.search(text)


def _title_cased(text: str) -> bool:
    """Every word of four letters or more starts with a capital, and no quote mark opens it."""
    words = re.findall(r"[^\W\d_][\w'’-]*", text)
    return bool(words) and text[:1] not in "\"'“‘(" and all(w[0].isupper() for w in words if len(w) >= 4) \
        and words[0][0].isupper()


_TO_READER = re.compile(r"\b(?:I|I'm|I've|me|my|you|your|please|thanks?)\b", re.I)


def is_author_talk(text: str, to_reader: bool = True) -> bool:
    """True when a paragraph reads as the author talking about the work: a note label
    ("A/N:"), or words about the work (addressed to the reader, with `to_reader`), outside any quote."""
    if _NOTE_LEAD.match(text):
        return True
    if text.lstrip().startswith(('"', '“')):
        return False
    return bool(_READER_TALK.search(text)) and (not to_reader or bool(_TO_READER.search(text))
                                                or len(text.split()) <= 6)     # "Leave a comment!", "Review!"


def find_front_back(paragraphs: list[str], gaps_before: list[int], find_title: bool = True) -> FrontBack:
    """Title, preface and afterword among a single-file work's paragraphs.

    `gaps_before[i]` is the number of blank lines before paragraph i; a wider gap
    before the last paragraphs is a hint that the author stepped out of the story.
    """
    title_index = next((i for i, p in enumerate(paragraphs[:4] if find_title else ()) if is_title_like(p)
                        and all(is_author_talk(q, to_reader=False) or is_title_like(q) for q in paragraphs[:i])), None)
    if title_index is not None:
        preface = tuple(range(title_index))
        title = paragraphs[title_index].strip().lstrip("#").strip()
    else:
        preface = tuple(i for i in range(min(2, len(paragraphs) - 1)) if _NOTE_LEAD.match(paragraphs[i]))
        preface = tuple(range(len(preface)))
        title = None
    body_start = (title_index + 1) if title_index is not None else len(preface)
    author = None
    if body_start < len(paragraphs) and (m := _BYLINE.match(paragraphs[body_start].strip())):
        author = m.group("name").strip()
        body_start += 1
    afterword = []
    i = len(paragraphs) - 1
    while i > body_start + 1 and (is_author_talk(paragraphs[i]) and (gaps_before[i] >= 2 or _NOTE_LEAD.match(paragraphs[i])
                                                                      or is_scene_break(paragraphs[i - 1]))):
        afterword.insert(0, i)
        i -= 1
    return FrontBack(title, title_index, preface, tuple(afterword), author)
