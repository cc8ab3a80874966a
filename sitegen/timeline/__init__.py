"""The story's timeline: when each scene happens, where, and who is in it.

Two steps, so a rebuild redoes only the files that changed: `scene_facts`
reads one file's scenes (time step, place, characters: `SceneFacts`), and
`fold_timeline` runs the story clock over the whole work's facts and applies
the author's overrides. `build_timeline` does both for a whole work.

`scene_facts` reads each scene's opening for time markers ("Later that
day", "The next morning", "A few days later", a character waking, "the sun
had gone"); `fold_timeline` keeps a relative story clock: "Day 1", "Day 1, night",
"Day 2, morning", ... Vague skips stay vague ("A few days later"), never an
invented day number. Places come from phrases like "at the bridge" or "to the
Hokage tower" in the narration; characters from who speaks or thinks in the
scene and who the narration names. Authors correct any of it with
``[[timeline]]`` tables in work.toml (see `check_overrides`).

`timeline_view` turns the events into plain data for timeline.html.
"""
from __future__ import annotations

import difflib
import functools
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, replace
from itertools import accumulate
from typing import Callable, Mapping, Sequence

from ..stages import notes as _notes
from ..render.chart import narrative_chart_svg
from ..render.colours import assign_colours
from ..errors import SitegenError
from ..model import Character, Paragraph, Quote, Scene, SourceText, TimelineEvent

UNKNOWN_COLOURS = ("#6b6b6b", "#a0a0a0")     # a character not in the cast
OVERRIDE_KEYS = ("scene", "time", "place", "characters", "label", "order")

# ----------------------------------------------------------------- time markers

_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
            "seven": 7, "eight": 8, "nine": 9, "ten": 10, "a couple of": 2, "a couple": 2}
_NUM = r"(?:a couple of|a couple|an?|one|two|three|four|five|six|seven|eight|nine|ten|\d{1,3})"
_VAGUE_NUM = r"(?:a few|few|some|several|many|a couple of|a number of)"
_UNIT = r"(?:days?|weeks?|months?|years?|hours?)"
_PART = r"(?:morning|afternoon|evening|night|day)"
_SENTENCE_START = r"(?:^|(?<=[.!?\u2026])[\"'\u201d\u2019]?\s+|\n)"

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
_LATER = re.compile(_SENTENCE_START + r"(later)\b(?! that| this)", re.I)
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
_ANY_TIME_WORDS = re.compile("|".join(f"(?:{p.pattern})" for p, _ in _PART_CUES + _MARKERS), re.I)


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


def _sentences(narration: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in re.finditer(r"[.!?\u2026]+[\"'\u201d\u2019]?(?=\s)|\n", narration):
        spans.append((start, m.end()))
        start = m.end()
    spans.append((start, len(narration)))
    return [(s, e) for s, e in spans if narration[s:e].strip()]


def _count(words: str) -> int:
    m = re.match(r"\s*(" + _NUM + r")\b", words, re.I)
    if not m:
        return 1
    token = m.group(1).lower()
    return int(token) if token.isdigit() else _NUMBERS.get(token, 1)


def _opening_marker(narration: str, sentences: list[tuple[int, int]] | None = None,
                    start: int = 0) -> tuple[str, re.Match[str]] | None:
    """The first time marker in the first sentence, or opening any sentence of the opening.

    `sentences` are the narration's `_sentences` when the caller has them;
    `start` is where to look from when nothing before it can match.
    """
    sentences = _sentences(narration) if sentences is None else sentences
    first = sentences[0] if sentences else (0, 0)
    for pattern, kind in _MARKERS:
        for m in pattern.finditer(narration, start):
            in_first = first[0] <= m.start() < first[1]
            opens = narration[:m.start()].rstrip() == "" or re.search(r"[.!?\u2026][\"'\u201d\u2019]?\s*$",
                                                                       narration[:m.start()])
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
    sentences = _sentences(narration)
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


# ----------------------------------------------------------------- places

_PLACE_NOUNS = frozenset("""
roof rooftop rooftops bridge hospital clinic ward gate gates tower towers forest woods wood jungle valley river lake
pond stream waterfall falls bench road path trail street alley lane room office house home kitchen bedroom
bathroom hallway hall corridor classroom school academy library village city town park garden field fields
meadow clearing grounds market shop store restaurant cafe café bar pub inn hotel castle palace temple shrine
church chapel station beach shore coast sea ocean mountain mountains hill hills cave cliff camp base ship boat
apartment flat compound estate mansion manor tent cemetery graveyard stadium arena gym dojo courtyard yard
square plaza island desert border headquarters prison cell dungeon laboratory lab doorway porch balcony
attic basement cellar barn stable stables farm harbour harbor dock docks pier train bus car carriage
tavern parlour parlor lounge study theatre theater cinema mall canyon ridge plains swamp marsh
""".split())
_DETERMINERS = r"(?:the|a|an|her|his|their|its|our|my|your|this|that|[A-Z][\w-]*(?:'s|\u2019s))"
_PLACE_PREPS = r"(?:in|inside|at|on|onto|into|to|towards|toward|near|outside|beside|across|through|" \
               r"up|down|over|from|under|atop|reached|entered|arrived at)"
_PLACE_START = re.compile(r"\b" + _PLACE_PREPS + r"\s+(" + _DETERMINERS + r")\s+")
_PROPER_PLACE = re.compile(r"\b(?:in|inside|outside|near)\s+([A-Z][a-z]{2,}(?:\s+[A-Z][a-z]+)?)\b(?!['\u2019])")
# Words that name a person by rank or role, never a place ("in King Arthur's court" is not at "King").
_PERSON_TITLES = frozenset("""
king queen prince princess lord lady sir dame master mistress professor doctor captain cadet general sergeant
lieutenant commander colonel major admiral officer agent detective inspector father mother brother sister
uncle aunt grandma grandpa mr mrs ms miss madam mister saint emperor empress duke duchess count countess
baron baroness chief elder sensei teacher headmaster headmistress
""".split())
_FUNCTION = frozenset("""
a an the and or but nor so yet for with without of in on at to from by as than that which who whom whose
when where while if then though although because since until he she it they we you i him her them us me
his its their our your my this these those was were is are am be been being had has have did does do
would could should will can may might must not no just only very too also there here before after
""".split())
_NP_END = re.compile(r"[,.;:!?\"()\[\]\u201c\u201d\u2014\u2026\n]|\s['\u2018\u2019]|['\u2018\u2019]\s")


def _is_place_noun(word: str) -> bool:
    w = word.lower().rstrip("'\u2019")
    return w in _PLACE_NOUNS or (w.endswith("s") and w[:-1] in _PLACE_NOUNS)


def _place_phrase(text: str, det_start: int, words_start: int) -> str | None:
    """The noun phrase from its determiner to a place noun at its head, or None."""
    stop = _NP_END.search(text, words_start, words_start + 80)
    words = text[words_start:stop.start() if stop else words_start + 80].split()[:5]
    for k, word in enumerate(words[:4]):
        if word.lower() in _FUNCTION:
            return None
        if _is_place_noun(word) and not (k + 1 < len(words) and _is_place_noun(words[k + 1])):
            phrase = text[det_start:words_start] + " ".join(words[:k + 1])
            tail = re.match(r"\s+of\s+(" + _DETERMINERS + r")\s+", text[words_start:].split(words[k], 1)[1])
            if tail:                                  # "the doorway of the roof": the roof is the place
                at = text.index(words[k], words_start) + len(words[k]) + tail.start(1)
                inner = _place_phrase(text, at, at + len(tail.group(1)) + 1)
                return inner or phrase
            return phrase
    return None


def find_place(narration: str, names: frozenset[str] = frozenset()) -> tuple[str | None, str | None]:
    """The first place a stretch of narration names: (phrase, the words it came from)."""
    best: tuple[int, str, str] | None = None
    for m in _PLACE_START.finditer(narration):
        phrase = _place_phrase(narration, m.start(1), m.end())
        if phrase:
            best = (m.start(), phrase, m.group(0) + phrase[len(m.group(1)) + 1:])
            break
    for m in _PROPER_PLACE.finditer(narration):
        word = m.group(1)
        if best and m.start() > best[0]:
            break
        if not set(word.split()) & names and word.lower() not in _FUNCTION \
                and word.split()[0].lower() not in _PERSON_TITLES:
            best = (m.start(), word, m.group(0))
            break
    return (best[1], best[2].strip()) if best else (None, None)


# ----------------------------------------------------------------- characters

def _name_pattern(character: Character) -> re.Pattern[str]:
    """The regex for a character's name and aliases (possessives too); compiled once per character."""
    return _names_pattern(character.name, tuple(character.aliases))


@functools.lru_cache(maxsize=1024)
def _names_pattern(name: str, aliases: tuple[str, ...]) -> re.Pattern[str]:
    """A name form not inside a word, possessive allowed: "(?<![\\w-])(?:Sakura|Haru)('s)?(?![\\w-])".

    Each form checks the character before it with a lookbehind placed after the
    form ("Sakura(?<=(?<![\\w-])Sakura)"), which matches exactly the same but
    lets the regex engine jump to the forms' first letters: ten times quicker.
    """
    names = {name, *aliases}
    forms = set()
    for n in names:
        if n:
            forms.add(re.escape(n))
            if n[0].islower():
                forms.add(re.escape(n[0].upper() + n[1:]))
    alternatives = "|".join(f"{f}(?<=(?<![\\w-]){f})" for f in sorted(forms, key=len, reverse=True))
    return re.compile(r"(?:" + alternatives + r")(?:'s|\u2019s|s'|s\u2019)?(?![\w-])")


def _mentions_each(cast: Sequence[Character], narrations: Sequence[str]) -> list[dict[str, list[int]]]:
    """For each narration, where each cast member is named in it (offsets), overlapping names resolved longest first.

    One regex pass per character over all the narrations joined by newlines
    (names never span one); each hit goes back to its own narration, with
    offsets local to it, so the result is as if each were searched alone.
    """
    if not narrations:
        return []
    starts = _join_offsets(narrations)
    joined = "\n".join(narrations)
    hits: list[list[tuple[int, int, int, str]]] = [[] for _ in narrations]
    for c in cast:
        for m in _name_pattern(c).finditer(joined):
            k = bisect_right(starts, m.start()) - 1
            hits[k].append((m.start() - m.end(), m.start() - starts[k], m.end() - starts[k], c.id))
    return [_resolve_mentions(h) for h in hits]


def _join_offsets(narrations: Sequence[str]) -> list[int]:
    """Where each narration starts in "\\n".join(narrations)."""
    return [0, *accumulate(len(n) + 1 for n in narrations[:-1])] if narrations else []


def _resolve_mentions(hits: list[tuple[int, int, int, str]]) -> dict[str, list[int]]:
    """cast id -> offsets from (-length, start, end, cast id) hits, overlaps resolved longest first."""
    taken: list[tuple[int, int]] = []
    found: dict[str, list[int]] = {}
    for _, s, e, cid in sorted(hits):
        if any(s < te and ts < e for ts, te in taken):
            continue
        taken.append((s, e))
        found.setdefault(cid, []).append(s)
    return found


def scene_characters(narrations: Sequence[str], speakers: Sequence[tuple[int, str]],
                     cast: Sequence[Character]) -> tuple[str, ...]:
    """Who is present: whoever speaks or thinks, and whoever the narration names more than in passing.

    A character named only once in the narration of a scene where others speak
    but they never do ("the direction Neji pointed out") is taken as mentioned,
    not present; in a scene without attributed speech one naming is enough.
    `speakers` is (offset, cast id) pairs; narrations are the scene's paragraphs.
    """
    first_seen: dict[str, int] = {}
    counts: dict[str, int] = {}
    for offset, found in zip(_join_offsets(narrations), _mentions_each(cast, narrations)):
        for cid, spots in found.items():
            counts[cid] = counts.get(cid, 0) + len(spots)
            first_seen.setdefault(cid, offset + spots[0])
    spoke = {cid for _, cid in speakers}
    for at, cid in speakers:
        first_seen[cid] = min(first_seen.get(cid, at), at)
    needed = 2 if spoke else 1
    present = [cid for cid in first_seen if cid in spoke or counts.get(cid, 0) >= needed]
    return tuple(sorted(present, key=lambda cid: first_seen[cid]))


# ----------------------------------------------------------------- overrides

def check_overrides(overrides: Sequence[Mapping], scene_count: int, cast_ids: Sequence[str],
                    where: str = "work.toml") -> dict[int, Mapping]:
    """The [[timeline]] tables by 0-based scene position, checked; SitegenError on a mistake."""
    by_scene: dict[int, Mapping] = {}
    orders: set[int] = set()
    for table in overrides:
        for key in table:
            if key not in OVERRIDE_KEYS:
                close = difflib.get_close_matches(key, OVERRIDE_KEYS, n=1)
                guess = f"did you mean `{close[0]}`? " if close else ""
                raise SitegenError(f"[[timeline]] has an unknown key `{key}`", path=where,
                                   hint=f"{guess}a [[timeline]] table may set only: {', '.join(OVERRIDE_KEYS)}")
        scene = table.get("scene")
        if not isinstance(scene, int) or isinstance(scene, bool) or not 1 <= scene <= scene_count:
            raise SitegenError(f"[[timeline]] needs `scene` = a scene number from 1 to {scene_count}, "
                               f"not {scene!r}", path=where, hint="for example: scene = 3")
        if scene - 1 in by_scene:
            raise SitegenError(f"[[timeline]] sets scene {scene} twice", path=where,
                               hint="merge the two tables into one")
        _check_values(table, scene, cast_ids, where, orders, scene_count)
        by_scene[scene - 1] = table
    return by_scene


def _check_values(table: Mapping, scene: int, cast_ids: Sequence[str], where: str,
                  orders: set[int], scene_count: int) -> None:
    for key in ("time", "place", "label"):
        if key in table and not isinstance(table[key], str):
            raise SitegenError(f"[[timeline]] scene {scene}: `{key}` must be a string", path=where,
                               hint=f'for example: {key} = "Day 2, night"' if key == "time" else
                               f'for example: {key} = "the bridge"')
    chars = table.get("characters")
    if chars is not None:
        if not isinstance(chars, list) or not all(isinstance(c, str) for c in chars):
            raise SitegenError(f"[[timeline]] scene {scene}: `characters` must be a list of cast ids",
                               path=where, hint='for example: characters = ["sakura", "+neji", "-naruto"]')
        for c in chars:
            if c.lstrip("+-") not in cast_ids:
                raise SitegenError(f"[[timeline]] scene {scene}: `{c.lstrip('+-')}` is not in the cast",
                                   path=where, hint=f"use one of the cast ids: {', '.join(cast_ids)}")
    if "order" in table:
        order = table["order"]
        if not isinstance(order, int) or isinstance(order, bool) or not 1 <= order <= scene_count \
                or order in orders:
            raise SitegenError(f"[[timeline]] scene {scene}: `order` must be a story position from 1 to "
                               f"{scene_count}, used once", path=where,
                               hint="order = 1 puts the scene first in story time (a flashback)")
        orders.add(order)


def _override_characters(found: tuple[str, ...], wanted: Sequence[str]) -> tuple[str, ...]:
    """["a", "b"] replaces the list; ["+a", "-b"] adds to or removes from what was found."""
    if wanted and all(c[:1] in "+-" for c in wanted):
        out = [c for c in found if f"-{c}" not in wanted]
        out += [c[1:] for c in wanted if c.startswith("+") and c[1:] not in out]
        return tuple(out)
    return tuple(dict.fromkeys(c.lstrip("+") for c in wanted if not c.startswith("-")))


# ----------------------------------------------------------------- one file: each scene's facts

@dataclass(frozen=True)
class SceneFacts:
    """What one scene's own words say: its time step, its place and who is in it.

    Plain, hashable data that depends only on the scene's file and the cast,
    so it can be kept with the file's other findings; `fold_timeline` runs the
    story clock over a work's SceneFacts.
    """
    step: TimeStep
    place: str | None
    characters: tuple[str, ...]


def scene_facts(source: SourceText, paragraphs: Sequence[tuple[int, int]], scene_starts: Sequence[int],
                quotes: Sequence[Quote], cast: Sequence[Character],
                headings: Mapping[int, str] | None = None) -> tuple[SceneFacts, ...]:
    """The facts of each scene of one file, in order.

    `paragraphs` are the file's prose paragraph spans (start, end) in reading
    order; `scene_starts` the local paragraph indexes where its scenes start
    (a scene runs to the next start); `quotes` the file's quotations. A
    scene's facts depend on its own paragraphs (and the few characters before
    each, see `_narration`), the quotations in them and the cast; and on whether
    its file has any quotation at all: in a file without, quotation marks are
    found by scanning. They are remembered by exactly those inputs. A chapter
    heading that names a time (`headings`: local paragraph index -> heading, see
    `heading_time`) gives the time of the scene it opens.
    """
    reader = _FileReader(source.text, quotes, cast)
    bounds = [*scene_starts, len(paragraphs)]
    facts = []
    for a, b in zip(bounds, bounds[1:]):
        found = reader.scene(paragraphs[a:b])
        step = heading_time(headings[a]) if headings and a in headings else None
        facts.append(replace(found, step=step) if step is not None else found)
    return tuple(facts)


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


class _FileReader:
    """Reads the scenes of one file: its text, its quotations indexed once, what the cast says to look for.

    A scene's facts depend only on its own text (from a few characters before
    its first paragraph), its quotations and the cast, so they are remembered
    by those: after an edit only the scene it touched is read again.
    """

    def __init__(self, text: str, quotes: Sequence[Quote], cast: Sequence[Character]):
        self.text = text
        self.quote_spans = _SpanIndex([(q.start, q.end) for q in quotes]) if quotes else None
        self.speakers = _SpeakerIndex(quotes)
        self.cast = _CastReading(tuple(cast))

    def scene(self, paragraphs: Sequence[tuple[int, int]]) -> SceneFacts:
        """The facts of the scene made of these paragraphs (spans in reading order)."""
        if not paragraphs:
            return _read_scene("", (), None, (), self.cast)
        first, last = paragraphs[0][0], paragraphs[-1][1]
        base = max(0, first - _LEAD)
        quotes = None if self.quote_spans is None else \
            tuple((s - base, e - base) for s, e in self.quote_spans.overlapping(first, last))
        return _read_scene(self.text[base:last], tuple((s - base, e - base) for s, e in paragraphs), quotes,
                           tuple(self.speakers.between(first, last)), self.cast)


class _CastReading:
    """The cast as scene reading needs it; equal (and hashed) by the cast's content, so it can key a memo."""

    def __init__(self, cast: tuple[Character, ...]):
        self.cast = cast
        self.third_person = not any(c.narrator for c in cast)
        self.names = frozenset(w for c in cast for n in (c.name, *c.aliases) for w in n.split()[:1])
        self._key = repr(cast)
        self._hash = hash(self._key)

    def __eq__(self, other) -> bool:
        return isinstance(other, _CastReading) and self._key == other._key

    def __hash__(self) -> int:
        return self._hash


@functools.lru_cache(maxsize=8192)
def _read_scene(text: str, paragraphs: tuple[tuple[int, int], ...], quotes: tuple[tuple[int, int], ...] | None,
                speakers: tuple[tuple[int, str], ...], cast: _CastReading) -> SceneFacts:
    """One scene's facts from its text; `quotes` are its quotations (None: the file has none, so scan)."""
    index = _SpanIndex(quotes) if quotes is not None else None
    narrations = [_narration(text, s, e, index, cast.third_person) for s, e in paragraphs]
    opening = "\n".join(narrations[:2])
    place, _ = find_place(opening, cast.names)
    if place is None:
        place, _ = find_place("\n".join(narrations[2:]), cast.names)
    return SceneFacts(read_time(opening), place, scene_characters(narrations, list(speakers), cast.cast))


class _SpanIndex:
    """Spans (start, end) sorted by start, to find those overlapping a stretch in log time."""

    def __init__(self, spans: Sequence[tuple[int, int]]):
        self.spans = sorted(spans)
        self.starts = [s for s, _ in self.spans]
        self.reach = list(accumulate((e for _, e in self.spans), max))     # furthest end so far

    def overlapping(self, start: int, end: int) -> list[tuple[int, int]]:
        """The spans with s < end and e > start, in order of start."""
        lo, hi = bisect_right(self.reach, start), bisect_left(self.starts, end)
        return [(s, e) for s, e in self.spans[lo:hi] if e > start]

    def clipped(self, start: int, end: int) -> list[tuple[int, int]]:
        """The overlapping spans cut to [start, end), with offsets relative to start."""
        return [(max(s, start) - start, min(e, end) - start) for s, e in self.overlapping(start, end)]


class _SpeakerIndex:
    """One file's attributed quotations, sorted by start: (start, position in `quotes`, cast id)."""

    def __init__(self, quotes: Sequence[Quote]):
        self.rows = sorted((q.start, k, q.speaker) for k, q in enumerate(quotes) if q.speaker)
        self.starts = [r[0] for r in self.rows]

    def between(self, start: int, end: int) -> list[tuple[int, str]]:
        """(offset from `start`, cast id) of the attributed quotations starting in [start, end), in `quotes` order."""
        found = self.rows[bisect_left(self.starts, start):bisect_left(self.starts, end)]
        return [(at - start, cid) for at, _, cid in sorted(found, key=lambda r: r[1])]


_LEAD = 3          # characters before a paragraph that bracket_spans may look at (for ":-)" smileys)


def _narration(text: str, start: int, end: int, quotes: _SpanIndex | None, third_person: bool) -> str:
    """The paragraph text[start:end] with its quotations and parentheticals blanked out.

    Quotations come from `quotes`, or are found by scanning when the file has
    none. First-person passages in a third-person story (a letter, a note left
    on a desk) are blanked whole: they are read by the characters, not narrated.
    """
    lead = min(start, _LEAD)
    context = text[start - lead:end]           # all that bracket_spans reads
    inside = quotes.clipped(start, end) if quotes is not None else \
        [(s - lead, e - lead) for s, e in _notes.quote_spans(context, lead, len(context))]
    inside += [(s - lead, e - lead) for s, e in _notes.bracket_spans(context, lead, len(context))]
    narration = _notes.blank_spans(context[lead:], inside)
    if third_person and _notes.FIRST_PERSON.search(narration):
        narration = " " * len(narration)
    return narration


# ----------------------------------------------------------------- the whole work: the story clock

def fold_timeline(facts: Sequence[SceneFacts], cast: Sequence[Character], overrides: Sequence[Mapping] = (),
                  *, where: str = "work.toml") -> tuple[TimelineEvent, ...]:
    """One TimelineEvent per scene: the story clock run over every scene's facts in reading order, then overrides.

    `facts` are the work's SceneFacts in reading order (event `scene` is the
    position in it); `overrides` are the [[timeline]] tables of work.toml (see
    check_overrides), `where` names that file in error messages. No text is
    read here: linear in the number of scenes, apart from sorting story order.
    """
    by_scene = check_overrides(overrides, len(facts), [c.id for c in cast], where)
    clock = _Clock()
    rows = [_fold_scene(clock, i, f, by_scene.get(i, {})) for i, f in enumerate(facts)]
    return tuple(TimelineEvent(r["scene"], r["story_order"], r["label"], r["marker"], r["place"], r["characters"])
                 for r in _story_orders(rows))


class TimelineFolder:
    """fold_timeline with a memory: the clock after each scene is kept, so the next fold starts again
    at the first scene whose facts changed (an edit in chapter 150 of 200 re-runs the clock over the
    last quarter), and events that came out the same are the same objects as before."""

    def __init__(self) -> None:
        self._setup: tuple | None = None
        self._facts: tuple[SceneFacts, ...] = ()
        self._rows: list[dict] = []
        self._clocks: list[_Clock] = []
        self._events: tuple[TimelineEvent, ...] = ()

    def fold(self, facts: Sequence[SceneFacts], cast: Sequence[Character], overrides: Sequence[Mapping] = (),
             *, where: str = "work.toml") -> tuple[TimelineEvent, ...]:
        """The same events as fold_timeline(facts, cast, overrides, where=where)."""
        by_scene = check_overrides(overrides, len(facts), [c.id for c in cast], where)
        setup = (tuple(sorted((i, repr(t)) for i, t in by_scene.items())),)
        start = 0
        if setup == self._setup:
            last = min(len(facts), len(self._facts))
            while start < last and (facts[start] is self._facts[start] or facts[start] == self._facts[start]):
                start += 1
        clock = replace(self._clocks[start - 1]) if start else _Clock()
        rows, clocks = self._rows[:start], self._clocks[:start]
        for i in range(start, len(facts)):
            rows.append(_fold_scene(clock, i, facts[i], by_scene.get(i, {})))
            clocks.append(replace(clock))
        before = self._events
        events = []
        for k, r in enumerate(_story_orders(rows)):
            fields = (r["scene"], r["story_order"], r["label"], r["marker"], r["place"], r["characters"])
            old = before[k] if k < len(before) else None
            same = old is not None and (old.scene, old.story_order, old.time_label, old.time_marker, old.place,
                                        old.characters) == fields
            events.append(old if same else TimelineEvent(*fields))
        self._setup, self._facts, self._rows, self._clocks = setup, tuple(facts), rows, clocks
        self._events = tuple(events)
        return self._events


def _fold_scene(clock: _Clock, i: int, facts: SceneFacts, table: Mapping) -> dict:
    """Move the clock over scene `i` and apply its override table: the scene's row for `_story_orders`."""
    step = facts.step
    if i == 0 and step.kind not in ("flashback", "dated"):   # the story starts: Day 1, unless a heading dates it
        step = TimeStep("none", step.words if step.part else (), part=step.part)
    label, position, rank = advance(clock, step)
    if "time" in table:
        set_clock(clock, table["time"])
        label, position = clock.label(), clock.position
    chars = facts.characters
    return dict(scene=i, key=(position, rank, i), label=table.get("label", label),
                marker=" / ".join(step.words) or None, place=table.get("place", facts.place),
                characters=_override_characters(chars, table["characters"]) if "characters" in table else chars,
                order=table.get("order"))


def _story_orders(rows: list[dict]) -> list[dict]:
    """Give each row its 1-based story order: `order` overrides first, the clock for the rest."""
    fixed = {r["order"] for r in rows if r["order"]}
    free = iter(n for n in range(1, len(rows) + 1) if n not in fixed)
    for r in sorted((r for r in rows if not r["order"]), key=lambda r: r["key"]):
        r["story_order"] = next(free)
    for r in rows:
        if r["order"]:
            r["story_order"] = r["order"]
    return rows


# ----------------------------------------------------------------- both at once

def build_timeline(sources: Sequence[SourceText], paragraphs: Sequence[Paragraph], scenes: Sequence[Scene],
                   quotes: Sequence[Quote], cast: Sequence[Character], overrides: Sequence[Mapping] = (),
                   *, where: str = "work.toml") -> tuple[TimelineEvent, ...]:
    """One TimelineEvent per scene, in reading order: `scene_facts` per file, then `fold_timeline`.

    For callers that have the whole work at once. Each scene lies within one
    file (its first paragraph's); nothing is remembered between calls, so a
    dev server should keep each file's `scene_facts` with its other findings.
    """
    ordered = sorted(scenes, key=lambda s: (s.first_paragraph, s.index))
    by_file: dict[int, list[int]] = {}
    for k, scene in enumerate(ordered):
        by_file.setdefault(paragraphs[scene.first_paragraph].source, []).append(k)
    quotes_by_file: dict[int, list[Quote]] = {}
    for q in quotes:
        quotes_by_file.setdefault(q.source, []).append(q)
    facts: list[SceneFacts | None] = [None] * len(ordered)
    for si, ks in by_file.items():
        spans, starts = _file_scenes(paragraphs, [ordered[k] for k in ks])
        for k, f in zip(ks, scene_facts(sources[si], spans, starts, quotes_by_file.get(si, ()), cast)):
            facts[k] = f
    events = fold_timeline(facts, cast, overrides, where=where)
    return tuple(e if e.scene == s.index else replace(e, scene=s.index) for e, s in zip(events, ordered))


def _file_scenes(paragraphs: Sequence[Paragraph], scenes: Sequence[Scene]) -> tuple[list[tuple[int, int]], list[int]]:
    """One file's scenes as `scene_facts` takes them: their paragraphs' spans in turn, and where each scene starts."""
    spans: list[tuple[int, int]] = []
    starts: list[int] = []
    for scene in scenes:
        starts.append(len(spans))
        spans += [(p.start, p.end) for p in paragraphs[scene.first_paragraph:scene.last_paragraph + 1]]
    return spans, starts


# ----------------------------------------------------------------- view

def timeline_view(events: Sequence[TimelineEvent], cast: Sequence[Character], scene_href: Callable[[int], str],
                  scene_excerpt: Callable[[int], str],
                  colours: Mapping[str, tuple[str, str]] | None = None) -> dict:
    """Plain data for timeline.html.

    Keys: story_order and reading_order (lists of scene dicts: number (its
    place in reading order, 1-based), scene, story_order, time, marker, place,
    characters [{id, name, colour, colour_dark}], href, excerpt), differs
    (bool: the reading order is not the story order), characters (who appears),
    chart_svg (SVG markup; mark it safe), chart_text (the chart as rows:
    {id, name, colour, colour_dark, scenes: [number, ...]}) and chart_title.
    `colours` are the ones the legend and characters.css use (views.work_colours); without
    them every cast member gets one from assign_colours.
    """
    by_id = {c.id: c for c in cast}
    if colours is None:
        colours = assign_colours([(c.id, c.colour) for c in cast])
    reading = [_event_view(e, n, by_id, colours, scene_href, scene_excerpt) for n, e in enumerate(events, 1)]
    story = sorted(reading, key=lambda v: v["story_order"])
    appearing = list(dict.fromkeys(cid for v in story for cid in v["character_ids"]))
    names = {cid: by_id[cid].name if cid in by_id else cid for cid in appearing}
    columns = tuple((f"{v['number']}. {v['time']}", tuple(v["character_ids"])) for v in story)
    return {
        "story_order": story,
        "reading_order": reading,
        "differs": [v["number"] for v in story] != [v["number"] for v in reading],
        "characters": [_person(cid, names[cid], colours) for cid in appearing],
        "chart_svg": chart_svg(columns, tuple(names.items()), tuple(colours.items())) if story else "",
        "chart_title": "Who is in each scene, in story order",
        "chart_text": [dict(_person(cid, names[cid], colours),
                            scenes=[v["number"] for v in story if cid in v["character_ids"]])
                       for cid in appearing],
    }


@functools.lru_cache(maxsize=4)
def chart_svg(columns: tuple[tuple[str, tuple[str, ...]], ...], names: tuple[tuple[str, str], ...],
              colours: tuple[tuple[str, tuple[str, str]], ...]) -> str:
    """narrative_chart_svg, remembered on its inputs (as tuples, so they hash): an edit that changes
    no column label, cast or colour (an excerpt, a place) does not redraw the chart."""
    return narrative_chart_svg(columns, dict(names), dict(colours))


def _person(cid: str, name: str, colours: Mapping[str, tuple[str, str]]) -> dict:
    light, dark = colours.get(cid, UNKNOWN_COLOURS)
    return {"id": cid, "name": name, "colour": light, "colour_dark": dark}


def _event_view(e: TimelineEvent, number: int, by_id: Mapping[str, Character],
                colours: Mapping[str, tuple[str, str]],
                scene_href: Callable[[int], str], scene_excerpt: Callable[[int], str]) -> dict:
    return {
        "number": number,
        "scene": e.scene,
        "story_order": e.story_order,
        "time": e.time_label,
        "marker": e.time_marker or "",
        "place": e.place or "",
        "character_ids": list(e.characters),
        "characters": [_person(c, by_id[c].name if c in by_id else c, colours) for c in e.characters],
        "href": scene_href(e.scene),
        "excerpt": scene_excerpt(e.scene),
    }
