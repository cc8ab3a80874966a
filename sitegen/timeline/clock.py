"""The story clock: time markers in a scene's opening or a chapter heading, as steps, and the clock they move."""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ..text.sentences import ends_a_sentence, sentences as sentence_spans

_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
            "seven": 7, "eight": 8, "nine": 9, "ten": 10, "a couple of": 2, "a couple": 2}
_NUM = r"(?:a couple of|a couple|an?|one|two|three|four|five|six|seven|eight|nine|ten|\d{1,3})"
_VAGUE_NUM = r"(?:a few|few|some|several|many|a couple of|a number of)"
_UNIT = r"(?:days?|weeks?|months?|years?|hours?)"
_PART = r"(?:morning|afternoon|evening|night|day)"

# (regex, kind); checked in this order, the first that matches wins.
_MARKERS: list[tuple[re.Pattern[str], str]] = [(re.compile(p, re.I), k) for p, k in [
    (r"\bflash\s*back\b|\b(?:years|long|months) ago\b|\b" + _VAGUE_NUM + r"\s+" + _UNIT + r"\s+(?:ago|earlier|before)\b",
     "flashback"),
    (r"\b" + _NUM + r"\s+" + _UNIT + r"\s+(?:ago|earlier|before)\b|\bthe (?:day|night) before\b|"
     r"\bthe previous (?:day|night|morning|evening)\b|\byesterday\b", "earlier_days"),
    (r"\bearlier (?:that|this) " + _PART + r"\b", "earlier_same"),
    (r"\b(?:later|early|late) (?:that|this) " + _PART + r"\b|\b(?:that|this) (?:morning|afternoon|evening|night)\b|"
     r"\bthe same day\b|\bmeanwhile\b", "same_day"),
    (r"\bthe (?:next|following) " + _PART + r"\b|\bthe (?:day|morning) after\b|\bnext (?:morning|day)\b|"
     r"\bthe (?:next|following) week\b|\bnext week\b|\btomorrow\b", "next"),
    (r"\b" + _NUM + r"\s+(?:days?|weeks?)\s+(?:later|after|had passed|passed|went by)\b", "count"),
    (r"\b(?:" + _VAGUE_NUM + r"|" + _NUM + r")\s+" + _UNIT + r"\s+(?:later|after|had passed|passed|went by)\b|"
     r"\b(?:some|a long|a short) (?:time|while) later\b|\b(?:much|hours) later\b|\blater on\b|"
     r"\b(?:days|weeks|months|years|decades|centuries)\s+(?:later|had passed|passed|went by)\b", "vague"),
]]
_WAKE = re.compile(r"\b(?:woke|awoke|awakened|awoken|wakes|awakes|awakens|woken)\b", re.I)
_LATER = re.compile(r"^(later)\b(?! that| this)", re.I)                # opening the first sentence
_PART_CUES: list[tuple[re.Pattern[str], str]] = [(re.compile(p, re.I), part) for p, part in [
    (r"\bthe sun had (?:gone|set)\b|\bsun ?set\b|\bdusk\b|\bnightfall\b|\bmidnight\b|\bmoonlight\b|"
     r"\bthe moon\b|\bdarkness fell\b|\bat night\b|\bthat night\b|\bnight fell\b|\bthe stars\b", "night"),
    (r"\bdawn\b|\bsunrise\b|\bthe sun (?:rose|came up)\b|\bthat morning\b|\bthis morning\b|\bbreakfast\b", "morning"),
    (r"\bthat afternoon\b|\bnoon\b|\bmidday\b", "afternoon"),
    (r"\bthat evening\b|\bthis evening\b|\bsupper\b|\bdinner\b", "evening"),
]]
_NIGHTLY = ("night", "evening")
# Any part cue or time marker at all: one scan finds where the first could be, so the
# patterns above (eleven scans) run from there, or not at all in most scene openings.
# Each of them starts with \b and a word character: the look-ahead says so first, which lets the regex
# engine pass over the other characters quickly (1.7 times quicker on prose).
_ANY_TIME_WORDS = re.compile(r"(?=\w)(?:" + "|".join(f"(?:{p.pattern})" for p, _ in _PART_CUES + _MARKERS) + ")", re.I)


@dataclass(frozen=True)
class TimeStep:
    """What a scene's opening says about time, relative to the scene before."""
    kind: str                      # none | same_day | next | count | vague | dated | wake | earlier_same | earlier_days | flashback
    words: tuple[str, ...] = ()    # the marker words, as written
    days: int = 0
    part: str | None = None
    label: str | None = None       # the label for vague skips and flashbacks


@dataclass
class _Clock:
    """The running story clock: a known day, or a vague anchor and days since it."""
    day: int | None = 1
    anchor: str | None = None
    since_anchor: int = 0
    part: str | None = None
    position: float = 1.0          # for story order: grows with the clock

    def label(self) -> str:
        if self.day is not None:
            base = f"Day {self.day}"
        else:
            base = self.anchor or "Later"
            if self.since_anchor == 1:         # days after a vague skip: counted from it, without repeating it
                base = f"The next {self.part}" if self.part in ("morning", "afternoon", "evening", "night") \
                    else "The next day"
            elif self.since_anchor:
                base = f"{self.since_anchor} days later"
        if not self.part or re.search(r"\b" + re.escape(self.part) + r"\b", base, re.I):
            return base                     # "Later", not "Later, later"; "The next morning", not "..., morning"
        return f"{base}, {self.part}"


def _count(words: str) -> int:
    m = re.match(r"\s*(" + _NUM + r")\b", words, re.I)
    if not m:
        return 1
    token = m.group(1).lower()
    return int(token) if token.isdigit() else _NUMBERS.get(token, 1)


def _opening_marker(narration: str, sentences: list[tuple[int, int]] | None = None,
                    start: int = 0) -> tuple[str, re.Match[str]] | None:
    """The first time marker in the first sentence, or opening any sentence of the opening.

    `sentences` are the narration's sentences (text/sentences.py, lines=True) when the caller has them;
    `start` is where to look from when nothing before it can match.
    """
    sentences = sentence_spans(narration, lines=True) if sentences is None else sentences
    first = sentences[0] if sentences else (0, 0)
    for pattern, kind in _MARKERS:
        for m in pattern.finditer(narration, start):
            in_first = first[0] <= m.start() < first[1]
            opens = ends_a_sentence(narration[:m.start()])
            if in_first or opens:
                return kind, m
    return None


def read_time(narration: str) -> TimeStep:
    """The time step a scene's opening narration (quotes blanked out) states."""
    any_word = _ANY_TIME_WORDS.search(narration)
    start = any_word.start() if any_word else len(narration)     # no cue or marker starts before this
    cue = next(((m.group(0), part) for p, part in _PART_CUES for m in [p.search(narration, start)] if m), None)
    part = cue[1] if cue else None
    cue_words = (cue[0],) if cue else ()
    sentences = sentence_spans(narration, lines=True)
    found = _opening_marker(narration, sentences, start) if any_word else None
    first = narration[sentences[0][0]:sentences[0][1]] if sentences else ""
    if found:
        kind, m = found
        words = m.group(0)
        own_part = next((p for p in ("morning", "afternoon", "evening", "night")
                         if re.search(r"\b" + p + r"\b", words, re.I)), None)
        extra = cue_words if cue_words and cue_words[0].lower() not in words.lower() else ()
        step = TimeStep(kind, (words,) + extra, part=own_part or part)
        if kind == "next" and re.search(r"week", words, re.I):
            return replace(step, kind="count", days=7)
        if kind == "count":
            unit = 7 if re.search(r"week", words, re.I) else 1
            return replace(step, days=_count(words) * unit)
        if kind == "earlier_days":
            return replace(step, days=_count(words) if re.search(r"\d|\bdays?\b", words) else 1)
        if kind in ("vague", "flashback"):
            return replace(step, label=words[0].upper() + words[1:])
        return step
    wake = _WAKE.search(first)
    if wake:
        return TimeStep("wake", (wake.group(0),) + cue_words, part=part)
    later = _LATER.search(narration[:sentences[0][1]] if sentences else "")
    if later:
        return TimeStep("vague", (later.group(1),) + cue_words, part=part, label="Later")
    return TimeStep("none", cue_words, part=part)


def advance(clock: _Clock, step: TimeStep) -> tuple[str, float, float]:
    """Move the clock by one scene's step: (time label, story position, within-day rank).

    Flashbacks ("earlier", "years ago") get their own label and position and
    leave the clock where it was, so the story resumes after them.
    """
    if step.kind == "flashback":
        return step.label or "Earlier", -1e6 + clock.position, 0.0
    if step.kind == "earlier_days":
        day = clock.day - step.days if clock.day is not None else None
        if day is None and step.words:              # after a vague skip, say what the text says
            return step.words[0][0].upper() + step.words[0][1:], clock.position - step.days, 0.0
        label = f"Day {day}" if day is not None and day >= 1 else f"{step.days} day{'s' if step.days > 1 else ''} earlier"
        if step.part:
            label += f", {step.part}"
        return label, clock.position - step.days, 0.0
    if step.kind == "earlier_same":
        label = _Clock(clock.day, clock.anchor, clock.since_anchor, step.part).label()
        return label, clock.position, -1.0
    if step.kind == "wake":
        if clock.part in _NIGHTLY:
            _add_days(clock, 1)
            clock.part = step.part or "morning"
        else:
            clock.part = step.part or "later"
    elif step.kind in ("next", "count"):
        _add_days(clock, step.days or 1)
        clock.part = step.part
        if clock.day is None and step.words:       # after a vague skip, say what the text says, vaguely
            clock.anchor, clock.since_anchor = step.words[0][0].upper() + step.words[0][1:], 0
    elif step.kind in ("vague", "dated"):
        clock.day, clock.anchor, clock.since_anchor = None, step.label, 0
        clock.position += 0.5
        clock.part = step.part
    else:                                   # none, same_day
        clock.part = step.part
    return clock.label(), clock.position, 0.0


def _add_days(clock: _Clock, days: int) -> None:
    if clock.day is not None:
        clock.day += days
    else:
        clock.since_anchor += days
    clock.position += days


def set_clock(clock: _Clock, time: str) -> None:
    """Set the clock from an author's `time` override: "Day 3", "Day 3, night" or any words."""
    m = re.match(r"\s*day\s+(\d+)\s*(?:,\s*(.+))?$", time, re.I)
    if m:
        day = int(m.group(1))
        clock.position += day - clock.day if clock.day is not None else 0.5
        clock.day, clock.anchor, clock.since_anchor = day, None, 0
        clock.part = m.group(2).strip() if m.group(2) else None
    else:
        clock.day, clock.anchor, clock.since_anchor, clock.part = None, time.strip(), 0, None
        clock.position += 0.5


_CHAPTER_PREFIX = re.compile(r"^\s*(?:(?:chapter|chap|ch|part|book)(?![a-z])\.?\s*[\w.-]*|prologue|epilogue|interlude)"
                             r"\s*(?:[:.\-\u2013\u2014|]+\s*|$)", re.I)
_MONTHS = r"(?:january|february|march|april|may|june|july|august|september|october|november|december|" \
          r"jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\.?"
_SEASONS = r"(?:spring|summer|autumn|fall|winter)"
_DATE = re.compile(
    r"^(?:(?:year|day|week|month|term|semester|season)\s+(?:\d{1,4}|[ivxlc]+|one|two|three|four|five|six|seven|"
    r"eight|nine|ten)\b"
    rf"|(?:\d{{1,2}}(?:st|nd|rd|th)?\s+)?{_MONTHS}(?:\s+\d{{1,2}}(?:st|nd|rd|th)?)?,?(?:\s+\d{{3,4}})?\b"
    rf"|(?:(?:early|late|mid)[\s-]+)?{_SEASONS}(?:,?\s+(?:of\s+)?\d{{3,4}})?\b"
    r"|\d{4}(?:\s*(?:AD|BC|CE|BCE|AC))?\b|\d{1,4}[./-]\d{1,2}[./-]\d{1,4}\b)",
    re.I)


def heading_time(heading: str) -> TimeStep | None:
    """What a chapter heading says about story time ("Chapter 4: Three Years Later", "Year 2",
    "June 1998", "Summer, 1943"), as a step; None when it says nothing of time."""
    rest = _CHAPTER_PREFIX.sub("", heading, count=1).strip(" :-\u2013\u2014")
    if not rest:
        return None
    m = _DATE.match(rest)
    if m and (m.end() == len(rest) or not rest[m.end()].isalpha()):
        words = m.group(0).strip(" ,")
        return TimeStep("dated", (words,), label=words[0].upper() + words[1:])
    step = read_time(rest)
    if step.kind in ("vague", "count", "next", "flashback", "earlier_days"):
        return step
    return None
