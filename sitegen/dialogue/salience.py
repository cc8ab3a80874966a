"""Salience: who has been mentioned lately, whom a pronoun means, whom a quote addresses."""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import NamedTuple

from .marks import Span
from ..text.names import Mention, NameIndex
from .tags import PRONOUNS

# Confidence of each way of finding a speaker (sitegen check lists those below 0.5).
NAME_TAG, PRONOUN_TAG, CARRY, BEAT, ANSWER, TURN, GUESS = 0.95, 0.8, 0.8, 0.7, 0.6, 0.55, 0.3


class Vote(NamedTuple):
    """A rule's answer for one quote: the speaker (None: unknown), how sure, and the rule's name."""
    speaker: str | None
    confidence: float
    rule: str


NONE = Vote(None, 0.0, "none")
GROUP = "group"          # the speaker of a line several say at once ("they said in unison")


@dataclass
class Context:
    """The text the rules read (fixed) and what the walk through it remembers (salience and
    turns: changed only by the functions of this module)."""
    text: str
    index: NameIndex
    mentions: list[Mention]
    starts: list[int]
    recent: list[str] = field(default_factory=list)      # most recently mentioned first
    turns: list[str] = field(default_factory=list)       # speakers of past speech, de-duplicated
    addressed: tuple[str, ...] = ()                      # whom the last speech addressed
    last_paragraph: int = -10
    fed: int = 0                                         # mentions already made salient
    vocatives: dict[int, tuple[str, ...]] = field(default_factory=dict)  # quote start -> addressees
    sentences: list[int] = field(default_factory=list)   # offsets where sentences start
    quoted: list[Mention] = field(default_factory=list)  # mentions inside quotes
    quoted_starts: list[int] = field(default_factory=list)
    lang: str = "en"                                     # the language table for tags and pronouns
    pronoun_words: dict[str, str] = field(default_factory=lambda: PRONOUNS)  # word -> he | she | i | ...
    roles: dict[str, tuple[str, ...]] = field(default_factory=dict)  # "dad", "sheriff" -> ids (role_words)


def _feed(ctx: Context, upto: int) -> None:
    """Make the narration mentions before `upto` the most salient (a name after a
    preposition, "turned to Jane", is an object: it stays behind the one before)."""
    while ctx.fed < len(ctx.mentions) and ctx.mentions[ctx.fed].start < upto:
        m = ctx.mentions[ctx.fed]
        cid = _pick(ctx, m.ids)
        if after_preposition(ctx.text, m.start):
            _demote(ctx, cid)
        else:
            _touch(ctx, cid)
        ctx.fed += 1


_OBJECT_BEFORE = re.compile(r"\b(?:to|with|at|towards|toward|for|from|of|on|upon|after|about)\s+$")


def after_preposition(text: str, pos: int, floor: int = 0) -> bool:
    """Whether the name at `pos` is a preposition's object ("turned to Jane"), not a subject; the
    preposition is looked for from `floor` on (12 characters back at most)."""
    return bool(_OBJECT_BEFORE.search(text, max(floor, pos - 12), pos))


def _demote(ctx: Context, cid: str) -> None:
    """Make a character salient, but behind the most salient one."""
    if cid in ctx.recent:
        ctx.recent.remove(cid)
    ctx.recent.insert(min(DEMOTE, len(ctx.recent)), cid)
    del ctx.recent[16:]


DEMOTE = 1


def _touch(ctx: Context, cid: str | None) -> None:
    """Make a character the most salient (a group is no one's mention)."""
    if cid and cid != GROUP:
        if cid in ctx.recent:
            ctx.recent.remove(cid)
        ctx.recent.insert(0, cid)
        del ctx.recent[16:]


def _pick(ctx: Context, ids: tuple[str, ...]) -> str:
    """Of the characters a name may mean, the most recently mentioned."""
    if len(ids) > 1:
        for cid in ctx.recent:
            if cid in ids:
                return cid
    return ids[0]


def _addressees(ctx: Context, span: Span) -> tuple[str, ...]:
    """Characters a quote the walk has reached addresses by name (_address found them)."""
    return ctx.vocatives[span.start]


def _address(ctx: Context, span: Span, vocatives: tuple[tuple[int, int], ...]) -> tuple[str, ...]:
    """Characters a quote addresses by name, the names at `vocatives` (as around.read_around found
    them) read as the walk reaches it, and kept for _addressees."""
    if span.start in ctx.vocatives:
        return ctx.vocatives[span.start]
    out = []
    for a, b in vocatives:
        k = bisect.bisect_left(ctx.quoted_starts, a)       # the quote's mentions, found with the text's
        if k < len(ctx.quoted) and ctx.quoted[k].start == a and ctx.quoted[k].end <= b:
            out.append(_pick(ctx, ctx.quoted[k].ids))
    ctx.vocatives[span.start] = tuple(out)
    return ctx.vocatives[span.start]


def _named_in(ctx: Context, span: Span) -> tuple[str, ...]:
    """Characters a quote names in any role (not its "I"): people seldom name themselves."""
    found = ctx.quoted[bisect.bisect_left(ctx.quoted_starts, span.start):
                       bisect.bisect_left(ctx.quoted_starts, span.end)]
    return tuple(dict.fromkeys(_pick(ctx, m.ids) for m in found if ctx.text[m.start:m.end] != "I"))


def _by_pronoun(ctx: Context, pronoun: str, avoid, last: str | None, pos: int) -> str | None:
    """Whom a pronoun at `pos` means: a fitting character in the latest sentences
    (leftmost first: subjects before objects), else a recent speaker, else the
    most salient; `last` (the previous speaker) yields to another speaker."""
    if pronoun == "i":
        return ctx.index.narrator
    if pronoun not in ("he", "she"):
        return None
    fits = [c for c in _nearby(ctx, pos, pronoun) if ctx.index.pronouns.get(c) == pronoun and c not in avoid]
    talkers = [c for c in reversed(ctx.turns) if ctx.index.pronouns.get(c) == pronoun and c not in avoid]
    fits += talkers
    fits += [c for c in ctx.recent if ctx.index.pronouns.get(c) == pronoun and c not in avoid]
    if not fits:
        fits = [c for c in ctx.recent if ctx.index.pronouns.get(c) == "they" and c not in avoid]
    if not fits:                                 # the only character the pronoun fits
        fits = [c for c, p in ctx.index.pronouns.items() if p == pronoun and c not in avoid][:2]
        fits = fits[:1] if len(fits) == 1 else []
    if fits and fits[0] == last:
        other = next((c for c in talkers if c != last), None)
        if other:
            return other
    return fits[0] if fits else None


def _nearby(ctx: Context, pos: int, pronoun: str = "", reach: int = 800, most: int = 3) -> list[str]:
    """Characters named in the narration before `pos`: latest sentence first, left to
    right. A sentence whose subject is the same pronoun ("She picked up Anne's
    clothes") continues the earlier focus, so its names come after the earlier ones."""
    out: list[str] = []
    later: list[str] = []
    k = bisect.bisect_left(ctx.starts, pos) - 1
    group: list[Mention] = []
    current, seen = None, 0
    while k >= 0 and pos - ctx.mentions[k].start < reach:
        m = ctx.mentions[k]
        k -= 1
        sid = bisect.bisect_right(ctx.sentences, m.start)
        if sid != current:
            _flush(ctx, group, current, pronoun, out, later)
            group, current, seen = [], sid, seen + 1
            if seen > most:
                break
        group.append(m)
    if seen <= most:
        _flush(ctx, group, current, pronoun, out, later)
    return out + later


def _flush(ctx: Context, group: list[Mention], sid, pronoun: str, out: list[str], later: list[str]) -> None:
    """Add one sentence's names (given last to first) to the candidates."""
    if not group:
        return
    ordered = sorted(reversed(group), key=lambda g: _is_object(ctx, g))
    names = [_pick(ctx, g.ids) for g in ordered]     # subjects before objects ("to Jane")
    start = ctx.sentences[sid - 1] if sid else 0
    lead = _PRONOUN_LEAD.match(ctx.text, start)
    if lead and PRONOUNS.get(lead.group(1)) == pronoun and group[-1].start > lead.end():
        later.extend(names)
    else:
        out.extend(names)


def _is_object(ctx: Context, m: Mention) -> bool:
    """A name right after a preposition: an object, not a subject."""
    return after_preposition(ctx.text, m.start)


_PRONOUN_LEAD = re.compile(r"[\W_]*(?:\w+\s+){0,2}?(She|He|she|he)\b")


def new_chapter(ctx: Context) -> None:
    """A chapter heading: the scene changes, so who was mentioned, who spoke and who was
    addressed is forgotten."""
    ctx.turns.clear()
    ctx.addressed = ()
    ctx.recent.clear()


def _take_turn(ctx: Context, speaker: str, paragraph: int) -> None:
    """Record who spoke last (consecutive lines by one speaker count once; a group's line is no turn)."""
    if speaker != GROUP and (not ctx.turns or ctx.turns[-1] != speaker):
        ctx.turns.append(speaker)
        del ctx.turns[:-6]


def remember(ctx: Context, p: int, spans, kinds, found) -> None:
    """After a paragraph: its speakers join the turns, whom its speech addressed is kept."""
    for span, kind, vote in zip(spans, kinds, found):
        if vote[0]:
            _touch(ctx, vote[0])
    speech = [s for s, k in zip(spans, kinds) if k == "speech"]
    if speech:
        ctx.addressed = tuple(dict.fromkeys(c for s in reversed(speech) for c in _addressees(ctx, s)))
        ctx.last_paragraph = p


def role_words(index: NameIndex) -> dict[str, tuple[str, ...]]:
    """The words of the cast's names and aliases, lower-cased, that name one character each:
    what a description's head noun ("his dad", "the sheriff") means when the author's cast
    gives it ("Dad", "Sheriff Stilinski")."""
    out: dict[str, set[str]] = {}
    for form, ids in index.table.items():
        for word in form.split():
            if word[:1].isupper() and len(word) > 2 and word.isalpha():
                out.setdefault(word.lower(), set()).update(ids)
    return {w: tuple(ids) for w, ids in out.items() if len(ids) == 1}
