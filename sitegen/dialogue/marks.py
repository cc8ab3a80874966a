"""Quote detection: pair the quote marks of each paragraph into quoted spans.

Straight and curly marks are classified by what surrounds them (an opening
mark follows a space and precedes a word; a closing mark follows a word or
punctuation). Apostrophes (don't, Sakura's, the '90s, rock 'n' roll,
runnin', Chris' book) are told apart from single quotes by the same test and
by whether a later closing mark is waiting. Broken marks are recovered at
the paragraph's end or before the next quote, with a diagnostic; no text is
ever dropped and no exception is raised.

Marks of other languages have fixed roles: « » and ‹ › (French), „ with “ or
” (German, Polish), 「 」 and 『 』 (Japanese, Chinese). Two conventions turn
marks around, chosen per work (see convention.detect_marks): in German “
closes a quote, and in German and Danish »reversed« guillemets open with ».
Dash dialogue (a paragraph opening with a dash) is in dashes.py.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

DOUBLE, SINGLE, ITALIC = "double", "single", "italic"
GUILLEMET, CORNER, DASH = "guillemet", "corner", "dash"
SPEECH_FAMILIES = frozenset({DOUBLE, GUILLEMET, CORNER, DASH})   # speech unless a verb says thought

_MARK = re.compile("[\"'\u201c\u201d\u2018\u2019\u00ab\u00bb\u2039\u203a\u201e\u201a\u300c\u300d\u300e\u300f]")
# Marks whose role never depends on what surrounds them: char -> (family, role).
_FIXED = {"\u00ab": (GUILLEMET, "open"), "\u00bb": (GUILLEMET, "close"), "\u2039": (SINGLE, "open"),
          "\u203a": (SINGLE, "close"), "\u201e": (DOUBLE, "open"), "\u201a": (SINGLE, "open"),
          "\u300c": (CORNER, "open"), "\u300d": (CORNER, "close"), "\u300e": (SINGLE, "open"),
          "\u300f": (SINGLE, "close")}
# The styles that turn marks around: G = German (“ closes), R = reversed guillemets (» opens).
GERMAN, REVERSED = "G", "R"
_TURNED = {GERMAN: {"\u201c": (DOUBLE, "close")},
           REVERSED: {"\u00bb": (GUILLEMET, "open"), "\u00ab": (GUILLEMET, "close"),
                      "\u203a": (SINGLE, "open"), "\u2039": (SINGLE, "close")}}
_ELISION = re.compile(r"(?:n['\u2019]|em\b|tis\b|twas\b|twill\b|til\b|cause\b|bout\b|ere\b|\d)", re.I)
_OPEN_BEFORE = set(" \t\n\r\u00a0([{\u2014\u2013-/*_")
_CLOSE_AFTER = set(" \t\n\r\u00a0.,;:!?)]}\u2014\u2013-\u2026/*_\"'\u201c\u201d\u2018\u2019")
# An unclosed quote that runs into "he said" / "Naruto replied" was closed by mistake
# after the tag: recover by ending it before the tag.
_TAG_INSIDE = re.compile(
    r"\s+(?=(?:he|she|I|they|[A-Z][\w-]+)\s+(?:\w+ly\s+)?"
    r"(?:said|says|asked|replied|answered|cried|shouted|yelled|whispered|muttered|added|told|started|began)\b)")


@dataclass(frozen=True)
class Span:
    """One quoted stretch of a paragraph, marks included (end exclusive)."""
    start: int
    end: int
    family: str              # double | single | italic
    paragraph: int           # index into the paragraphs given to find_quotes
    closed: bool = True      # False: runs to the paragraph's end
    continues: bool = False  # the same quotation goes on in the next paragraph
    broken: bool = False     # a mark was missing or mismatched


@dataclass(frozen=True)
class MarkProblem:
    """A broken quote mark at `offset`: what is wrong and how to fix it."""
    offset: int
    message: str
    hint: str


@dataclass(frozen=True)
class Mark:
    """One quote mark: its offset in the paragraph text, family and role."""
    pos: int
    family: str
    role: str                # open | close | weak-close | either | apostrophe


def _fixed(style: str) -> dict[str, tuple[str, str]]:
    """The fixed-role marks under a style ("" for the usual, or G / R / GR)."""
    table = dict(_FIXED)
    for flag in style:
        table.update(_TURNED[flag])
    return table


def classify(text: str, style: str = "") -> list[Mark]:
    """Every quote mark of one paragraph's text with its likely role."""
    marks = []
    n = len(text)
    fixed = _fixed(style) if style else _FIXED
    for m in _MARK.finditer(text):
        i, ch = m.start(), m.group()
        if ch in fixed:
            marks.append(Mark(i, *fixed[ch]))
            continue
        before = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < n else " "
        family = DOUBLE if ch in "\"\u201c\u201d" else SINGLE
        opens = before in _OPEN_BEFORE or before in "\"\u201c'\u2018"
        closes = not before.isspace() and after in _CLOSE_AFTER
        if ch == "\u201c":
            role = "open"
        elif ch == "\u201d":
            role = "close"
        elif family == DOUBLE:
            role = "open" if opens and not after.isspace() else "close" if closes else "either"
        else:
            role = _single_role(text, i, before, after, opens, closes, ch)
        marks.append(Mark(i, family, role))
    return marks


def _single_role(text: str, i: int, before: str, after: str, opens: bool, closes: bool, ch: str) -> str:
    """Role of a single mark: a quote, or an apostrophe inside or at the edge of a word."""
    if before.isalnum() and after.isalnum():
        return "apostrophe"                      # don't, Sakura's
    if opens and not after.isspace():
        if ch == "\u2019" or _ELISION.match(text, i + 1):
            return "apostrophe"                  # the '90s, 'em, rock 'n' roll
        return "open"
    if closes:
        if before.isalpha() and after.isspace() and text[i + 1:i + 3].strip()[:1].islower():
            return "weak-close"                  # runnin' away, Chris' book, or a real close
        return "close"
    return "apostrophe"


def pair_marks(text: str, base: int, paragraph: int, next_opens: str | None, style: str = ""
               ) -> tuple[list[Span], list[MarkProblem]]:
    """Top-level quoted spans of one paragraph (absolute offsets from `base`).

    `next_opens` is the family of the mark the next paragraph starts with
    (None if it starts otherwise): an unclosed quote followed by one is a
    speech running over several paragraphs, not a mistake. Answers are kept
    by the paragraph's text, so an unchanged paragraph is not paired again.
    """
    spans, problems = _pair_marks(text, next_opens, style)
    if not base and not paragraph:
        return list(spans), list(problems)
    return ([Span(s.start + base, s.end + base, s.family, paragraph, s.closed, s.continues, s.broken) for s in spans],
            [MarkProblem(p.offset + base, p.message, p.hint) for p in problems])


@lru_cache(maxsize=1 << 14)
def _pair_marks(text: str, next_opens: str | None, style: str = ""
                ) -> tuple[tuple[Span, ...], tuple[MarkProblem, ...]]:
    base, paragraph = 0, 0
    marks = classify(text, style)
    spans: list[Span] = []
    problems: list[MarkProblem] = []
    stack: list[Mark] = []
    for k, mark in enumerate(marks):
        role = _resolve_role(mark, stack, marks, k)
        if role == "open":
            if stack and any(s.family == mark.family for s in stack) and mark.family == DOUBLE:
                _recover_unclosed(text, base, paragraph, stack[0], mark.pos, spans, problems)
                stack.clear()
            elif stack and any(s.family == mark.family for s in stack):
                continue                          # a stray single inside a thought: apostrophe
            stack.append(mark)
        elif role == "close":
            _close(text, base, paragraph, mark, stack, marks, k, spans, problems)
    if stack:
        _unclosed_at_end(text, base, paragraph, stack[0], next_opens, spans, problems)
    return tuple(spans), tuple(problems)


def _resolve_role(mark: Mark, stack: list[Mark], marks: list[Mark], k: int) -> str:
    """Decide ambiguous roles from what is open and what comes later."""
    open_same = any(s.family == mark.family for s in stack)
    if mark.role == "either":
        return "close" if open_same else "open"
    if mark.role == "weak-close":
        if not open_same:
            return "apostrophe"
        for later in marks[k + 1:]:
            if later.family == mark.family and later.role in ("close", "weak-close"):
                return "apostrophe"              # a later mark closes it: this one is Chris' book
            if later.role == "open" and later.family == mark.family:
                break
        return "close"
    if mark.role == "close" and mark.family == SINGLE and not open_same:
        return "apostrophe" if not stack else "close"
    return mark.role


def _close(text, base, paragraph, mark, stack, marks, k, spans, problems) -> None:
    """Apply a closing mark: end the open quote of its family, or recover a mismatch."""
    if any(s.family == mark.family for s in stack):
        while stack and stack[-1].family != mark.family:
            stack.pop()
        opener = stack.pop()
        if not stack:
            spans.append(Span(base + opener.pos, base + mark.pos + 1, opener.family, paragraph))
        return
    if stack and len(stack) == 1 and _next_is_open_or_none(marks, k):
        opener = stack.pop()                      # 'I love you," : opened single, closed double
        spans.append(Span(base + opener.pos, base + mark.pos + 1, mark.family, paragraph,
                          broken=True))
        problems.append(MarkProblem(base + opener.pos,
                                    "quote opened with one kind of mark and closed with the other",
                                    "use the same mark at both ends, e.g. \"...\" for speech"))
    elif not stack and mark.family == DOUBLE:
        if not spans and k == 0:                  # missing opening mark at the paragraph's start
            spans.append(Span(base, base + mark.pos + 1, DOUBLE, paragraph, broken=True))
        problems.append(MarkProblem(base + mark.pos, "closing quote mark with no opening mark",
                                    "add the opening mark where the speech begins, or remove this one"))


def _next_is_open_or_none(marks: list[Mark], k: int) -> bool:
    """True when no later mark of this paragraph needs the current opener."""
    for later in marks[k + 1:]:
        if later.role in ("apostrophe", "weak-close"):
            continue
        return later.role == "open"
    return True


def _recover_unclosed(text, base, paragraph, opener: Mark, next_pos: int, spans, problems) -> None:
    """A quote opened again before closing: end the first before its tag, or before the new mark."""
    inner = text[opener.pos:next_pos]
    tag = _TAG_INSIDE.search(inner)
    end = opener.pos + (tag.start() if tag else len(inner.rstrip()))
    spans.append(Span(base + opener.pos, base + end, opener.family, paragraph, closed=False, broken=True))
    problems.append(MarkProblem(base + opener.pos,
                                "this quote is not closed before the next one opens",
                                "add the closing mark where the speech ends"))


def _unclosed_at_end(text, base, paragraph, opener: Mark, next_opens, spans, problems) -> None:
    """A quote still open at the paragraph's end: a continued speech, or a missing mark."""
    end = len(text.rstrip())
    if next_opens == DASH and opener.family == GUILLEMET:
        spans.append(Span(base + opener.pos, base + end, opener.family, paragraph, closed=False))
        return                                   # « ... then — exchanges: the guillemet closes later
    if opener.family == next_opens:
        spans.append(Span(base + opener.pos, base + end, opener.family, paragraph,
                          closed=False, continues=True))
        return
    if opener.family == SINGLE and opener.pos > 0 and text[opener.pos - 1] not in "\n" \
            and text[:opener.pos].rstrip()[-1:] not in ".!?":
        return                                   # an unmatched mid-sentence single: an apostrophe
    tag = _TAG_INSIDE.search(text, opener.pos, end)
    if tag:
        end = tag.start()
    spans.append(Span(base + opener.pos, base + end, opener.family, paragraph, closed=False, broken=True))
    problems.append(MarkProblem(base + opener.pos, "opening quote mark is never closed in its paragraph",
                                "add the closing mark where the speech ends"))


_ITALIC = re.compile(r"(?<![\w*])\*(?=\S)[^*\n]+?(?<=\S)\*(?![\w*])|(?<![\w_])_(?=\S)[^_\n]+?(?<=\S)_(?![\w_])")
_THINK = r"(?:thought|thinks|wondered|wonders|mused|pondered|reflected)"
_THINK_AFTER = re.compile(r"[\s,]*(?:[\w'-]+\s+){0,3}?%s\b" % _THINK)
_THINK_BEFORE = re.compile(r"\b%s\b[^.!?]{0,30}[,:]?\s*$" % _THINK)


def italic_thoughts(text: str, start: int, end: int, paragraph: int, quoted: list[Span],
                    thinking: tuple[str, ...] = ()) -> list[Span]:
    """*Thoughts in italics* (or _underscores_) outside quotes: next to a verb of thinking
    (English ones, or the language's `thinking` verbs), or a sentence of their own in a
    paragraph of prose (not a word of emphasis mid-sentence, not a blockquote's verse)."""
    out: list[Span] = []
    if text.find("*", start, end) < 0 and text.find("_", start, end) < 0:
        return out
    think_after, think_before = _thinking(thinking) if thinking else (_THINK_AFTER, _THINK_BEFORE)
    for m in _ITALIC.finditer(text, start, end):
        if any(q.start <= m.start() < q.end for q in quoted):
            continue
        if think_after.match(text, m.end(), min(end, m.end() + 60)) or \
                think_before.search(text, max(start, m.start() - 60), m.start()) or \
                _own_sentence(text, start, end, m):
            out.append(Span(m.start(), m.end(), ITALIC, paragraph))
    return out


_SENTENCE_BEFORE = re.compile(r"(?:^|[.!?:\u2026\"\u201d\u2019]\s+|\u2014\s*)$")
_SENTENCE_AFTER = re.compile(r"[\s\"\u201c\u2014\u2026]|[.!?,]?\s|[.!?,]?$")


def _own_sentence(text: str, start: int, end: int, m: re.Match) -> bool:
    """An italic sentence of inner words: two words or more, capitalised, standing where a
    sentence stands, in a paragraph that is not a blockquote ("> ...")."""
    inner = m.group()[1:-1]
    if len(inner.split()) < 2 or not inner[:1].isupper() or text.startswith(">", start):
        return False
    before = text[max(start, m.start() - 3):m.start()]
    return bool(_SENTENCE_BEFORE.search(before) or m.start() == start) and \
        bool(_SENTENCE_AFTER.match(text, m.end(), end) or m.end() == end)


@lru_cache(maxsize=None)
def _thinking(verbs: tuple[str, ...]) -> tuple[re.Pattern, re.Pattern]:
    """The after / before patterns of italic thoughts for another language's verbs of thinking."""
    alt = "|".join(re.escape(v).replace(r"\ ", r"\s+") for v in sorted(verbs, key=len, reverse=True))
    return (re.compile(r"[\s,]*(?:[\w'\u2019-]+\s+){0,3}?(?:%s)(?!\w)" % alt),
            re.compile(r"(?<!\w)(?:%s)(?!\w)[^.!?]{0,30}[,:]?\s*$" % alt))
