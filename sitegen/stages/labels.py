"""The label table (data/note_labels.toml): the words that open notes, summaries and metadata, in several languages."""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).parent.parent / "data" / "note_labels.toml"
_MARKS = re.compile(r"^(?:[ \t]*(?:#{1,6}|>|[*_]{1,3}|[\[(]))*[ \t]*")
_TAIL_MARKS = re.compile(r"[ \t*_\])]*$")
_LABEL_END = re.compile(r"[ \t]*[:：\-–—]+[ \t*_]*$")     # a label's colon or dash, and the marks after it


@dataclass(frozen=True)
class Labels:
    """The label table (data/note_labels.toml), compiled."""
    kinds: dict[str, tuple[str, str]]          # normalised label -> (kind, place)
    needs_colon: frozenset[str]
    lead: re.Pattern                           # a label with its text after it, at a block's start
    patterns: tuple[tuple[re.Pattern, str], ...]
    landmarks: frozenset[str]
    metadata: re.Pattern                       # one "Key: value" line, or "Key:" alone (its value on the next line)
    note_words: str                            # a regex alternation of the labels of notes and disclaimers


@lru_cache(maxsize=1)
def labels() -> Labels:
    data = tomllib.loads(DATA.read_text(encoding="utf-8"))
    kinds, colon = {}, set()
    for entry in data.get("label", ()):
        for word in entry["words"]:
            kinds[word.lower()] = (entry["kind"], entry.get("place", "any"))
        colon.update(w.lower() for w in entry.get("needs_colon", ()))
    words = sorted(kinds, key=len, reverse=True)
    alternatives = "|".join(re.escape(w).replace("'", "['’]?") for w in words)
    lead = re.compile(rf"^(?:[ \t]*(?:#{{1,6}}|>|[*_]{{1,3}}|[\[(]))*[ \t]*(?P<label>{alternatives})"
                      rf"[*_]*[ \t]*(?P<sep>[:：\-–—]|$)", re.I)
    patterns = tuple((re.compile(p["regex"], re.I), p["kind"]) for p in data.get("pattern", ()))
    keys = "|".join(re.escape(k).replace("'", "['’]?") for k in sorted(data["metadata"]["keys"], key=len, reverse=True))
    metadata = re.compile(rf"^[ \t*_]*(?:{keys})(?:[ \t]*[/&,+][ \t]*(?:{keys}))*[ \t*_]*[:：](?:[ \t*_]*\S.{{0,400}})?$",
                          re.I)                # "Rating: T", "Category/Rating: GEN/T"
    note_words = "|".join(re.escape(w).replace("'", "['’]?") for w in words if kinds[w][0] in ("notes", "disclaimer"))
    return Labels(kinds, frozenset(colon), lead, patterns,
                  frozenset(w.lower() for w in data["landmarks"]["words"]), metadata, note_words)


def normalised(text: str) -> str:
    """A block's words for label matching: no Markdown marks, brackets, closing colon or dash; lower case."""
    line = " ".join(text.split())
    line = _MARKS.sub("", line)
    line = _TAIL_MARKS.sub("", line)
    line = _LABEL_END.sub("", line)
    return line.replace("’", "'").replace("\\", "").strip().lower()




COLON_END = re.compile(r"[:：\-–—][ \t*_]*$")


def leading_labels(note: str) -> tuple[list[str], str]:
    """The label-only paragraphs that open a note ("### Chapter Notes", "Summary:", "End Notes"), as the
    author wrote them (without Markdown marks or the colon), and the note's text after them. A note
    box shows them as its heading instead of repeating them inside."""
    found, rest, lab = [], note.strip(), labels()
    while rest:
        head, _, tail = rest.partition("\n\n")
        words = normalised(head)
        if "\n" in head.strip() or len(head) > 80 or words not in lab.kinds \
                or (words in lab.needs_colon and not COLON_END.search(head)):
            break
        shown = re.sub(r"[ \t]*[:：\-–—]+$", "", _TAIL_MARKS.sub("", _MARKS.sub("", " ".join(head.split()))))
        found.append(shown.replace("\\", "").strip())
        rest = tail.strip()
    return found, rest
