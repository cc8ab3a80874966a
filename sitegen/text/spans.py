"""The one quote and bracket scanner, and the one blanker: quoted spans, bracketed spans, text with spans blanked.

Quote marks: straight and curly marks are classified by what surrounds them (an
opening mark follows a space and precedes a word; a closing mark follows a word or
punctuation). Apostrophes (don't, Sakura's, the '90s, rock 'n' roll, runnin',
Chris' book) are told apart from single quotes by the same test and by whether a
later closing mark is waiting. Broken marks are recovered at the paragraph's end or
before the next quote, with a problem report; no text is ever dropped and no
exception is raised. Marks with nothing said between them ("", " ") are no quote.

Marks of other languages have fixed roles: « » and ‹ › (French), „ with “ or ”
(German, Polish), 「 」 and 『 』 (Japanese, Chinese). Two styles turn marks around,
chosen per work (dialogue/convention.detect_marks): in German “ closes a quote,
and in German and Danish »reversed« guillemets open with ».

Every pass visits each mark a bounded number of times (a regex finds the marks;
what a mark needs to know about later marks is worked out in one backward pass), so
a paragraph of 100,000 marks costs 100,000 small steps, and reports at most
MAX_PROBLEMS broken marks with their places plus one line with the count of the rest.
"""
from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple, Sequence

DOUBLE, SINGLE, ITALIC = "double", "single", "italic"
GUILLEMET, CORNER, DASH = "guillemet", "corner", "dash"
SPEECH_FAMILIES = frozenset({DOUBLE, GUILLEMET, CORNER, DASH})   # speech unless a verb says thought
MAX_PROBLEMS = 3            # broken marks reported with their place, per paragraph; then one count

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
_OPEN_BEFORE = frozenset(" \t\n\r\u00a0([{\u2014\u2013-/*_\"\u201c'\u2018")
_CLOSE_AFTER = frozenset(" \t\n\r\u00a0.,;:!?)]}\u2014\u2013-\u2026/*_\"'\u201c\u201d\u2018\u2019")
_DOUBLES = frozenset("\"\u201c\u201d")
# An unclosed quote that runs into "he said" / "Naruto replied" was closed by mistake
# after the tag: recover by ending it before the tag.
_TAG_INSIDE = re.compile(
    r"\s+(?=(?:he|she|I|they|[A-Z][\w-]+)\s+(?:\w+ly\s+)?"
    r"(?:said|says|asked|replied|answered|cried|shouted|yelled|whispered|muttered|added|told|started|began)\b)")
_HAS_WORDS = re.compile(r"[^\W_]|[.?!\u2026]")      # a letter, a digit, or "..." / "?!" said aloud


class Span(NamedTuple):
    """One quoted stretch of a paragraph, marks included (end exclusive). (A NamedTuple, as the
    engine's other records: a frozen dataclass takes five times as long to build, and the engine
    builds two of these per quote.)"""
    start: int
    end: int
    family: str              # double | single | italic | guillemet | corner | dash
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


# ----------------------------------------------------------------- classifying marks

def _fixed(style: str) -> dict[str, tuple[str, str]]:
    """The fixed-role marks under a style ("" for the usual, or G / R / GR)."""
    table = dict(_FIXED)
    for flag in style:
        table.update(_TURNED[flag])
    return table


def classify(text: str, style: str = "") -> list[Mark]:
    """Every quote mark of one paragraph's text with its likely role."""
    return [Mark(*m) for m in zip(*_classify(text, style))]


def _classify(text: str, style: str) -> tuple[list[int], list[str], list[str]]:
    """Offsets, families and roles of the marks of `text` (parallel lists: one small step per mark)."""
    positions: list[int] = []
    families: list[str] = []
    roles: list[str] = []
    n = len(text)
    fixed = _fixed(style) if style else _FIXED
    for m in _MARK.finditer(text):
        i = m.start()
        ch = text[i]
        positions.append(i)
        if ch in fixed:
            family, role = fixed[ch]
            families.append(family)
            roles.append(role)
            continue
        before = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < n else " "
        opens = before in _OPEN_BEFORE
        closes = not before.isspace() and after in _CLOSE_AFTER
        if ch in _DOUBLES:
            families.append(DOUBLE)
            roles.append("open" if ch == "\u201c" else "close" if ch == "\u201d" else
                         "open" if opens and not after.isspace() else "close" if closes else "either")
        else:
            families.append(SINGLE)
            roles.append(_single_role(text, i, before, after, opens, closes, ch))
    return positions, families, roles


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


def _lookahead(families: list[str], roles: list[str]) -> tuple[list[str], list[bool]]:
    """What each mark needs to know of the marks after it, found in one backward pass.

    weak[k]: "apostrophe" when a later close of the same family comes before a later open
    of it (this one is Chris' book), else "close". then_open[k]: the next mark that is not an
    apostrophe or weak close is an opening mark, or there is none."""
    n = len(roles)
    weak, then_open = [""] * n, [True] * n
    answer: dict[str, str] = {}
    nxt = True
    for k in range(n - 1, -1, -1):
        family, role = families[k], roles[k]
        weak[k] = answer.get(family, "close")
        then_open[k] = nxt
        if role == "close" or role == "weak-close":
            answer[family] = "apostrophe"
        elif role == "open":
            answer[family] = "close"
        if role != "apostrophe" and role != "weak-close":
            nxt = role == "open"
    return weak, then_open


# ----------------------------------------------------------------- pairing marks into spans

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


def quote_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) of each quotation (speech "..." or thought '...') in text[start:end], as pair_marks finds them."""
    end = len(text) if end is None else end
    if start >= end:
        return []
    spans, _ = _pair_marks(text[start:end], None, "")
    return [(s.start + start, s.end + start) for s in spans]


class _Pairing:
    """The state of pairing one paragraph's marks: the open marks, the spans and problems found."""

    def __init__(self, text: str, positions: list[int], families: list[str], roles: list[str]):
        self.text, self.positions, self.families, self.roles = text, positions, families, roles
        self.weak, self.then_open = _lookahead(families, roles)
        self.stack: list[int] = []               # indexes of the open marks, outermost first
        self.open: dict[str, int] = {}           # family -> how many of the stack's marks have it
        self.spans: list[Span] = []
        self.problems: list[MarkProblem] = []
        self.more = 0                            # problems past MAX_PROBLEMS
        self.first_more = 0

    def span(self, start: int, end: int, family: str, **flags) -> None:
        """Keep a span unless nothing is said between its marks."""
        if _HAS_WORDS.search(self.text, start, end):
            self.spans.append(Span(start, end, family, 0, **flags))

    def problem(self, offset: int, message: str, hint: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(MarkProblem(offset, message, hint))
        else:
            self.first_more = self.first_more if self.more else offset
            self.more += 1

    def pop(self) -> int:
        k = self.stack.pop()
        self.open[self.families[k]] -= 1
        return k

    def summary(self) -> tuple[tuple[Span, ...], tuple[MarkProblem, ...]]:
        problems = self.problems
        if self.more:
            problems = problems + [MarkProblem(
                self.first_more, f"{self.more} more broken quote marks in this paragraph, the first of them here",
                "fix the marks reported above first; the rest are often the same mistake repeated")]
        return tuple(self.spans), tuple(problems)


@lru_cache(maxsize=1 << 14)
def _pair_marks(text: str, next_opens: str | None, style: str = ""
                ) -> tuple[tuple[Span, ...], tuple[MarkProblem, ...]]:
    walked = _walked(text, style)
    if not isinstance(walked, _Pairing):
        return walked                            # every quote closed: the next paragraph changes nothing
    p = copy.copy(walked)                        # the walk is kept: finish a copy of it
    p.spans, p.problems = list(p.spans), list(p.problems)
    _unclosed_at_end(p, p.stack[0], next_opens)
    return p.summary()


@lru_cache(maxsize=1 << 14)
def _walked(text: str, style: str):
    """The paragraph's marks paired: its summary when no quote is left open at its end (then the
    next paragraph does not matter), else the pairing for _pair_marks to finish. The notes scan
    (quote_spans) and the dialogue scan (pair_marks) of one paragraph share it."""
    positions, families, roles = _classify(text, style)
    if not positions:
        return (), ()
    return _paired_in_turn(text, positions, families, roles) or _walk(text, positions, families, roles)


def _paired_in_turn(text: str, positions: list[int], families: list[str], roles: list[str]):
    """The summary of a paragraph whose marks, apostrophes aside, are double marks that open and close
    in turn (most paragraphs of most texts): a span for each pair that says something, no problem; as
    _walk finds it (tests/test_quick_forms.py), without its bookkeeping. None for any other paragraph."""
    spans = []
    start = -1
    for pos, family, role in zip(positions, families, roles):
        if role == "apostrophe":
            continue
        if family != DOUBLE or role != ("open" if start < 0 else "close"):
            return None
        if start < 0:
            start = pos
            continue
        if _HAS_WORDS.search(text, start, pos + 1):
            spans.append(Span(start, pos + 1, DOUBLE, 0))
        start = -1
    return (tuple(spans), ()) if start < 0 else None


def _walk(text: str, positions: list[int], families: list[str], roles: list[str]):
    """_walked's answer for any paragraph: its marks paired one by one."""
    p = _Pairing(text, positions, families, roles)
    stack, opened = p.stack, p.open
    for k, role in enumerate(roles):
        family = families[k]
        same = opened.get(family, 0) > 0
        if role == "either":
            role = "close" if same else "open"
        elif role == "weak-close":
            role = p.weak[k] if same else "apostrophe"
        elif role == "close" and family == SINGLE and not same:
            role = "close" if stack else "apostrophe"
        if role == "open":
            if same and family == DOUBLE:
                _recover_unclosed(p, stack[0], positions[k])
                stack.clear()
                opened.clear()
            elif same:
                continue                          # a stray single inside a thought: apostrophe
            stack.append(k)
            opened[family] = opened.get(family, 0) + 1
        elif role == "close":
            _close(p, k, same)
    return p if stack else p.summary()


def _close(p: _Pairing, k: int, same: bool) -> None:
    """Apply a closing mark: end the open quote of its family, or recover a mismatch."""
    family, pos = p.families[k], p.positions[k]
    if same:
        while p.families[p.stack[-1]] != family:
            p.pop()
        opener = p.pop()
        if not p.stack:
            p.span(p.positions[opener], pos + 1, p.families[opener])
        return
    if len(p.stack) == 1 and p.then_open[k]:
        start = p.positions[p.pop()]              # 'I love you," : opened single, closed double
        p.span(start, pos + 1, family, broken=True)
        p.problem(start, "quote opened with one kind of mark and closed with the other",
                  "use the same mark at both ends, e.g. \"...\" for speech")
    elif not p.stack and family == DOUBLE:
        if not p.spans and k == 0:                # missing opening mark at the paragraph's start
            p.span(0, pos + 1, DOUBLE, broken=True)
        p.problem(pos, "closing quote mark with no opening mark",
                  "add the opening mark where the speech begins, or remove this one")


def _recover_unclosed(p: _Pairing, opener: int, next_pos: int) -> None:
    """A quote opened again before closing: end the first before its tag, or before the new mark."""
    start, text = p.positions[opener], p.text
    if _HAS_WORDS.search(text, start, next_pos):  # else nothing is said: no span (`"""`: one step per mark)
        tag = _TAG_INSIDE.search(text, start, next_pos)
        end = tag.start() if tag else start + len(text[start:next_pos].rstrip())
        p.span(start, end, p.families[opener], closed=False, broken=True)
    p.problem(start, "this quote is not closed before the next one opens", "add the closing mark where the speech ends")


def _unclosed_at_end(p: _Pairing, opener: int, next_opens: str | None) -> None:
    """A quote still open at the paragraph's end: a continued speech, or a missing mark."""
    text, start, family = p.text, p.positions[opener], p.families[opener]
    end = len(text.rstrip())
    if next_opens == DASH and family == GUILLEMET:
        p.span(start, end, family, closed=False)
        return                                   # « ... then — exchanges: the guillemet closes later
    if family == next_opens:
        p.span(start, end, family, closed=False, continues=True)
        return
    if family == SINGLE and start > 0 and text[start - 1] not in "\n" \
            and text[:start].rstrip()[-1:] not in ".!?" and not _LEADS_IN.search(text, 0, start + 2):
        return                                   # an unmatched mid-sentence single: an apostrophe
    tag = _TAG_INSIDE.search(text, start, end)
    if tag:
        end = tag.start()
    p.span(start, end, family, closed=False, broken=True)
    p.problem(start, "opening quote mark is probably not closed: the paragraph ends inside the quote, and the "
                     "next paragraph does not open with a quote mark (as a speech running on over paragraphs would)",
              "add the closing mark where the speech ends")


# A single mark after "said," or a colon, before a capital, opens a quote ('Cause and 'em do not follow one).
_LEADS_IN = re.compile(r"[,:][ \t]+['\u2018][A-Z\u00c0-\u00de]\Z")


# ----------------------------------------------------------------- brackets

_BRACKETS = re.compile(r"[()\[\]]")     # the only characters bracket_spans acts on
_CLOSE = {"(": ")", "[": "]"}


def bracket_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Outermost balanced (...) and [...] spans in text[start:end], brackets included (smileys skipped).

    Only the brackets are visited (a regex finds them), so it is linear and quick.
    """
    spans: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []
    for m in _BRACKETS.finditer(text, start, end):
        i = m.start()
        c = text[i]
        if is_emoticon_bracket(text, i):
            continue
        if c in _CLOSE:
            stack.append((c, i))
        elif stack and c == _CLOSE[stack[-1][0]]:
            _, s = stack.pop()
            if not stack:
                spans.append((s, i + 1))
        elif c in ")]":
            stack.clear()                     # a stray closer: start again
    return spans


def is_emoticon_bracket(text: str, i: int) -> bool:
    """True for the bracket of a smiley such as ":)", ";(", ":-)" or ": )"."""
    c = text[i]
    if c not in "()":
        return False
    j = i - 1 if i > 0 and text[i - 1] != "-" else i - 2
    if j >= 0 and text[j] in ":;=" and (j == 0 or not text[j - 1].isalnum()):
        return True
    return c == ")" and i >= 2 and text[i - 1] == " " and text[i - 2] in ":;" \
        and (i == 2 or not text[i - 3].isalnum())


# ----------------------------------------------------------------- the blanker

_NOT_NEWLINE = re.compile(r"[^\n]")


def blank(text: str, spans: Sequence[tuple[int, int]], keep_lines: bool = False) -> str:
    """text with each (start, end) span replaced by spaces: offsets kept (and, with keep_lines, line breaks).

    Spans may overlap and come in any order; one pass over the text."""
    if not spans:
        return text
    parts, pos = [], 0
    for start, end in sorted(spans):
        start = max(start, pos)
        if end <= start:
            continue
        parts.append(text[pos:start])
        cut = text[start:end]
        parts.append(_NOT_NEWLINE.sub(" ", cut) if keep_lines else " " * len(cut))
        pos = end
    parts.append(text[pos:])
    return "".join(parts)
