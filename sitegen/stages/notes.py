"""Find author's notes in a work's prose: A/N paragraphs and lines, bracketed notes, asides.

Authors of fan fiction talk to their readers in the middle of the story. This
module finds those notes so the site can move them out of the prose (into
sidenotes or note boxes) and leave the story reading cleanly.

What counts as a note
---------------------
* A paragraph, or a line of a paragraph, that starts with a note label:
  ``A/N:``, ``A/N -``, ``AN:``, ``A.N.:``, ``Author's note:``, ``Author's Notes:``,
  ``Authors note -``, ``Disclaimer:``. The whole paragraph (or the line) is the
  note. In a chapter file, such paragraphs at the start of the file are
  ``chapter-start`` notes and at its end ``chapter-end`` notes; anywhere else
  they are ``inline``.
* A bracketed note anywhere: ``(A/N: ...)``, ``[A/N ...]``, ``[AN: ...]``,
  ``(Author's note: ...)``.
* A parenthetical in the author's voice rather than the story's, such as
  ``(I'm sorry but I don't want to relive the whole episode)`` or
  ``(WOOOOOOOOW she is so smart lol)``. The brackets alone decide nothing: a
  parenthetical is scored on its voice (first person in a third-person story,
  chat words like "lol", emoticons, "sorry", words about the writing such as
  "chapter", "fic", "review", "OOC", shouting in capitals, repeated letters or
  punctuation, a switch to the present tense, standing alone as its own
  sentence). Parentheticals inside dialogue or thoughts always stay in the story,
  as do story asides such as ``(or so he thought)``.

Markers an author can use to decide
-----------------------------------
* ``(^ ...)`` or ``[^ ...]`` -- a caret right after the opening bracket, then a
  space: **this is a note**, whatever it says. The caret (and the space after
  it) is not shown.
* ``(! ...)`` or ``[! ...]`` -- an exclamation mark right after the opening
  bracket, then a space: **keep this in the story**, whatever it says. The
  exclamation mark (and the space after it) is not shown; the renderer drops
  the spans listed in ``NotesResult.hidden``. ``(!)`` on its own is ordinary
  punctuation and is left alone.
* ``(A/N ...)`` and ``[A/N ...]`` are always notes and keep their label.

Offsets: a note's ``start``/``end`` cover the whole note, brackets included.
Use ``prose_cut`` to widen that span by one adjacent space before removing it.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Sequence

from .labels import labels
from ..model import AuthorNote, Diagnostic, SourceText
from ..text.spans import blank, bracket_spans, quote_spans

# ----------------------------------------------------------------- labels

_LABEL = (r"(?:A/N|A\.N\.?|Author'?s'?\s+Notes?|Authors?\s+Notes?|Disclaimer|"
          r"(?-i:AN)(?=\s*[:\-\u2013\u2014]))")
_TABLE = "(?:" + labels().note_words + ")"      # the label table's words, in every language it lists
_LABEL_LINE = re.compile(r"[ \t*_~]*(?:" + _LABEL + r"(?=\s*[:\-\u2013\u2014]|\s|$)|" + _TABLE
                         + r"(?=[ \t*_]*[:\uff1a]))", re.I)
_LABEL_BRACKET = re.compile(r"\\?[(\[]\s*(?:" + _LABEL + r"(?![\w])|" + _TABLE
                            + r"(?=\s*[:\uff1a\-\u2013\u2014]|\\?[)\]]))", re.I)
NOTE_MARK = "^"                        # "(^ ...)": this is a note
KEEP_MARK = "!"                        # "(! ...)": keep this in the story
NOTE_THRESHOLD = 3.0                   # voice score at which a parenthetical is a note


@dataclass(frozen=True)
class NotesResult:
    """The notes found in one source, and the prose left once they are taken out."""
    notes: tuple[AuthorNote, ...]                 # in reading order
    paragraphs: tuple[tuple[int, int], ...]       # prose paragraphs left
    diagnostics: tuple[Diagnostic, ...]
    hidden: tuple[tuple[int, int], ...] = ()      # "(! " keep-markers to drop from the prose; a note's own
                                                  # "(^ " marker is already left out of its text


# ----------------------------------------------------------------- quotes

def _inside(spans: Sequence[tuple[int, int]], pos: int) -> bool:
    """True when pos is strictly inside one of the spans (disjoint, sorted by start)."""
    k = bisect.bisect_left(spans, (pos, pos)) - 1
    return k >= 0 and spans[k][0] < pos < spans[k][1]


# ----------------------------------------------------------------- voice

# "I", "I'm", "I've", "I'd", "I'll", "me", "my", "mine", "myself", "I’<letters>" as whole words: the same
# matches as r"\b(?:I|I'm|I've|I'd|I'll|me|my|mine|myself)\b|\bI\u2019[a-z]+\b". Each form starts with its
# letter and then checks, with (?<!\w.), that no word character comes before it (what the leading \b
# checked), so the regex engine can jump from one "I" or "m" to the next: over twice as quick.
FIRST_PERSON = re.compile(r"I(?<!\w.)(?:|'m|'ve|'d|'ll)\b|m(?<!\w.)(?:e|y|ine|yself)\b|I(?<!\w.)\u2019[a-z]+\b")
_CHAT = re.compile(r"\b(?:lol|lmao|lmfao|rofl|omg|omfg|xd|jk|btw|imo|imho|tbh|haha\w*|hehe\w*|ugh|squee)\b", re.I)
_EMOTICON = re.compile(r"(?:(?<![\w:])[:;=]-?[)(DPp3](?![\w(])|(?<![\w:])[:;] [)(](?!\w)|\^[_.]?\^|-_-|<3|\bT_T\b|\bo_O\b|\bXD\b|\bxD\b)")
_SORRY = re.compile(r"\b(?:sorry|apolog\w*|forgive me)\b", re.I)
_META = re.compile(r"\b(?:reviews?|review(?:ers?|ing)|readers?|chapters?|fics?|fanfic\w*|story|stories|"
                   r"writ(?:e|ing|ten)|wrote|author|episodes?|manga|anime|canon\w*|OOC|OC|AU|"
                   r"pairings?|updates?|beta|plot|disclaimer|own)\b")
_CAPS = re.compile(r"\b[A-Z]{3,}\b")
_ACRONYMS = {"OOC", "AU", "TV", "USA", "UK", "DNA", "CEO", "FBI", "CIA", "ANBU"}
_REPEATS = re.compile(r"([A-Za-z])\1{2,}|[!?]{2,}|\.{4,}")
_PRESENT = re.compile(r"\b(?:is|isn't|am|are|aren't|it's|that's|he's|she's|don't|doesn't|does|"
                      r"has|can't|won't|"
                      r"its(?=\s+(?:not|so|just|really|like|all|only|a|an|the|because|ok|okay)\b))\b", re.I)
_PAST = re.compile(r"\b(?:was|were|had|did|didn't|wasn't|weren't|said|[a-z]{3,}ed)\b", re.I)
_SENTENCE_END = re.compile(r"[.!?\u2026]['\"\u201d\u2019]?\s*$")


@dataclass(frozen=True)
class _Context:
    """What the scorer knows about the prose around a parenthetical."""
    first_person_story: bool
    past_tense: bool
    standalone: bool


def voice_score(inner: str, context: _Context) -> tuple[float, list[str]]:
    """How much the words of a parenthetical sound like the author talking (and why)."""
    outside = blank(inner, quote_spans(inner))
    score, why = 0.0, []

    def add(points: float, reason: str) -> None:
        nonlocal score
        score += points
        why.append(reason)

    if not context.first_person_story and FIRST_PERSON.search(outside):
        add(3, "first person")
    if _CHAT.search(outside):
        add(3, "chat word")
    if _EMOTICON.search(outside):
        add(3, "emoticon")
    if _SORRY.search(outside):
        add(2, "apology")
    meta = len(_META.findall(outside))
    if meta:
        add(min(2.0, 1.5 * meta), "words about the writing")
    caps = [w for w in _CAPS.findall(outside) if w not in _ACRONYMS]
    if caps:
        add(1.5, "capitals")
    if _REPEATS.search(outside):
        add(1, "repeated letters or punctuation")
    if context.past_tense and _opens_in_present(outside):
        add(2, "present tense in past-tense prose")
    if context.standalone:
        add(1, "stands alone")
    return score, why


def _opens_in_present(words: str) -> bool:
    """True when the first verb that shows a tense is in the present tense."""
    present, past = _PRESENT.search(words), _PAST.search(words)
    return present is not None and (past is None or present.start() < past.start())


@dataclass(frozen=True)
class _Prose:
    """One stretch of a paragraph, scanned once: its quotations, outermost brackets and narration."""
    quotes: list[tuple[int, int]]          # offsets into the source's text
    brackets: list[tuple[int, int]]
    narration: str                         # the stretch with quotations and brackets blanked out


def _scan(text: str, span: tuple[int, int]) -> _Prose:
    """Quotations, brackets and narration of text[span[0]:span[1]]."""
    s, e = span
    quotes, brackets = quote_spans(text, s, e), bracket_spans(text, s, e)
    narration = blank(text[s:e], [(a - s, b - s) for a, b in quotes + brackets])
    return _Prose(quotes, brackets, narration)


def _story_is_first_person(text: str, paragraphs: Sequence[tuple[int, int]],
                           scans: Sequence[_Prose] | None = None) -> bool:
    """True when the narration (outside quotes and brackets) says "I" often: a first-person story.

    `scans` are the paragraphs' `_scan`s when the caller has them already.
    """
    if scans is None:
        scans = [_scan(text, para) for para in paragraphs]
    narration = " ".join(p.narration for p in scans)        # one pass over the whole file
    words, hits = len(narration.split()), len(FIRST_PERSON.findall(narration))
    return hits >= 3 and hits / words > 0.01


def _is_past_tense(narration: str) -> bool:
    return len(_PAST.findall(narration)) > len(_PRESENT.findall(narration))


# ----------------------------------------------------------------- brackets

def _unclosed_label(text: str, start: int, end: int,
                    closed: Sequence[tuple[int, int]] | None = None) -> int | None:
    """Offset of an "(A/N" or "[A/N" whose bracket never closes in the paragraph.

    `closed` is the paragraph's `bracket_spans` when the caller has them already.
    """
    if text.find("(", start, end) < 0 and text.find("[", start, end) < 0:
        return None                                     # (no bracket: no label in one; the search is slow)
    closed = bracket_spans(text, start, end) if closed is None else closed
    for m in _LABEL_BRACKET.finditer(text, start, end):
        if not any(s <= m.start() < e for s, e in closed):
            return m.start()
    return None


def _marker(text: str, s: int, e: int) -> str | None:
    """NOTE_MARK or KEEP_MARK when the bracket at s opens with one and a space."""
    if e - s > 4 and text[s + 1] in (NOTE_MARK, KEEP_MARK) and text[s + 2] in " \t\n":
        return text[s + 1]
    return None


def _marker_span(text: str, s: int) -> tuple[int, int]:
    """The marker character after the bracket at s, and the spaces after it."""
    e = s + 2
    while text[e] in " \t\n":
        e += 1
    return (s + 1, e)


def _is_standalone(text: str, para: tuple[int, int], s: int, e: int) -> bool:
    """True when the parenthetical is a sentence of its own, not part of one."""
    before = text[para[0]:s]
    after = text[e:para[1]].lstrip()
    starts_clean = not before.strip() or bool(_SENTENCE_END.search(before))
    ends_clean = not after or after[0].isupper() or after[0] in "\"'\u201c\u2018("
    return starts_clean and ends_clean


# ----------------------------------------------------------------- result

def find_notes(source: SourceText, paragraphs: Sequence[tuple[int, int]], *, source_index: int = 0,
               is_chapter_file: bool = False) -> NotesResult:
    """The author's notes in one source's paragraphs, and the prose paragraphs left.

    Whole-paragraph notes are removed from the paragraphs (and a note line at
    the head or tail of a paragraph is trimmed off it); notes inside a
    paragraph stay within its span for the renderer to cut out.
    """
    text = source.text
    scans = [_scan(text, para) for para in paragraphs]
    first_person = _story_is_first_person(text, paragraphs, scans)
    notes: list[AuthorNote] = []
    kept: list[tuple[int, int]] = []
    hidden: list[tuple[int, int]] = []
    diagnostics: list[Diagnostic] = []
    whole: list[int] = []                               # indexes of notes that were whole paragraphs
    for para, scan in zip(paragraphs, scans):
        label_note = _label_lines(text, para)
        if label_note and label_note == para:
            whole.append(len(notes))
            notes.append(AuthorNote(source_index, para[0], para[1], "inline", text[para[0]:para[1]]))
            continue
        span = para
        if label_note:                                  # note lines at the paragraph's end
            notes.append(AuthorNote(source_index, *label_note, "inline", text[label_note[0]:label_note[1]]))
            span = (para[0], _trim_end(text, para[0], label_note[0]))
            scan = _scan(text, span)
        inline, marks, diags = _inline_notes(source, span, source_index, first_person, scan)
        if len(inline) == 1 and (inline[0].start, inline[0].end) == span:
            whole.append(len(notes))
        else:
            kept.append(span)
        notes.extend(inline)
        hidden.extend(marks)
        diagnostics.extend(diags)
    notes.sort(key=lambda n: n.start)
    if is_chapter_file:
        notes = _chapter_kinds(notes, kept)
    return NotesResult(tuple(notes), tuple(kept), tuple(diagnostics), tuple(sorted(hidden)))


def _label_lines(text: str, para: tuple[int, int]) -> tuple[int, int] | None:
    """The span of a note that starts with a label at the start of a line of the paragraph.

    The note runs from that line to the end of the paragraph (authors add the
    note after the story's last line, and a note's own lines follow its label),
    so a label on the first line makes the whole paragraph a note.
    """
    s, e = para
    line_start = s
    while line_start < e:
        line_end = text.find("\n", line_start, e)
        line_end = e if line_end < 0 else line_end
        if _LABEL_LINE.match(text, line_start, line_end):
            return (line_start, e)
        line_start = line_end + 1
    return None


def _trim_end(text: str, s: int, e: int) -> int:
    while e > s and text[e - 1].isspace():
        e -= 1
    return e


def _inline_notes(source: SourceText, para: tuple[int, int], source_index: int, first_person: bool,
                  scan: _Prose | None = None) -> tuple[list[AuthorNote], list[tuple[int, int]], list[Diagnostic]]:
    """Bracketed notes and author's asides inside one paragraph; marker spans; warnings.

    `scan` is the paragraph's `_scan` when the caller has it already.
    """
    text = source.text
    scan = scan or _scan(text, para)
    quotes = scan.quotes
    past: bool | None = None                           # the paragraph's tense, found when first needed
    notes, hidden, diags = [], [], []
    for s, e in scan.brackets:
        mark = _marker(text, s, e)
        if mark == KEEP_MARK:
            hidden.append(_marker_span(text, s))
            continue
        if mark == NOTE_MARK:
            ms, me = _marker_span(text, s)
            notes.append(AuthorNote(source_index, s, e, "inline", text[s:ms] + text[me:e]))
            continue
        if _LABEL_BRACKET.match(text, s, e):
            notes.append(AuthorNote(source_index, s, e, "inline", text[s:e]))
            continue
        if _inside(quotes, s):
            continue
        if past is None:
            past = _is_past_tense(scan.narration)
        context = _Context(first_person, past, _is_standalone(text, para, s, e))
        score, _ = voice_score(text[s + 1:e - 1], context)
        if score >= NOTE_THRESHOLD:
            notes.append(AuthorNote(source_index, s, e, "inline", text[s:e]))
    open_at = _unclosed_label(text, *para, closed=scan.brackets)
    if open_at is not None:
        diags.append(Diagnostic(source.locate(open_at), "an author's note opens here but its bracket never closes",
                                hint="close the note with ')' or ']' before the paragraph ends; "
                                     "it is left in the story until then"))
    return notes, hidden, diags


def _chapter_kinds(notes: list[AuthorNote], kept: Sequence[tuple[int, int]]) -> list[AuthorNote]:
    """Notes before all the prose of a chapter file are chapter-start, after it chapter-end."""
    if not kept:
        return [_with_kind(n, "chapter-start") for n in notes]
    first, last = kept[0][0], kept[-1][1]
    out = []
    for n in notes:
        kind = "chapter-start" if n.end <= first else "chapter-end" if n.start >= last else n.kind
        out.append(_with_kind(n, kind))
    return out


def _with_kind(note: AuthorNote, kind: str) -> AuthorNote:
    return AuthorNote(note.source, note.start, note.end, kind, note.text)


# ----------------------------------------------------------------- helpers for the renderer

def prose_cut(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a note's span by one adjacent space so the prose left reads cleanly.

    "out (lol) and" -> "out and"; "leave. (sorry) She" -> "leave. She";
    "word (aside)." -> "word."; "(aside) Then" at a paragraph start -> "Then".
    Never swallows more than one space, and nothing when no space touches it.
    """
    before = text[start - 1] if start > 0 else "\n"
    after = text[end] if end < len(text) else "\n"
    if before in " \t":
        return (start - 1, end)
    if after in " \t" and before in "\n":
        return (start, end + 1)
    return (start, end)
