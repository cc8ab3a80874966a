"""The story clock run over a whole work's scene facts, with the author's overrides: one TimelineEvent a scene."""
from __future__ import annotations

from dataclasses import replace
from typing import Mapping, MutableMapping, NamedTuple, Sequence

from .clock import TimeStep, _Clock, advance, set_clock
from .facts import SceneFacts
from .overrides import _override_characters, check_overrides
from ..load.files import LoadedWork
from ..model import Character, TimelineEvent


def fold_timeline(facts: Sequence[SceneFacts], cast: Sequence[Character], overrides: Sequence[Mapping] = (),
                  *, where: str = "work.toml") -> tuple[TimelineEvent, ...]:
    """One TimelineEvent per scene: the story clock run over every scene's facts in reading order, then overrides.

    `facts` are the work's SceneFacts in reading order (event `scene` is the
    position in it); `overrides` are the [[timeline]] tables of work.toml (see
    check_overrides), `where` names that file in error messages. No text is
    read here: linear in the number of scenes, apart from sorting story order.
    """
    return TimelineFolder().fold(facts, cast, overrides, where=where)


def knows_times(events: Sequence[TimelineEvent]) -> bool:
    """Whether the timeline knows when anything happens: some scene's time was read from the text or
    set by the author. When none was (a work with no time words, or in a language whose time words
    the clock does not read), every scene is on the clock's first day by default, and a label saying
    so for each scene would state what no one said."""
    first_day = _Clock().label()
    return any(e.time_marker or e.time_label != first_day for e in events)


class TimelineFolder:
    """The fold with a memory: the clock after each scene is kept, so the next fold starts again
    at the first scene whose facts changed, and stops again at the first scene after the change
    whose facts and clock are what they were (an edit in chapter 150 of 200 that moves no time
    re-runs the clock over its own scenes only); events that came out the same are the same
    objects as before."""

    def __init__(self) -> None:
        self._setup: tuple | None = None
        self._facts: tuple[SceneFacts, ...] = ()
        self._rows: list[dict] = []
        self._clocks: list[_Clock] = []
        self._events: tuple[TimelineEvent, ...] = ()
        self._ranks: list[tuple] = []                 # each row's (key, order), and the story orders they gave
        self._orders: list[int] = []

    def fold(self, facts: Sequence[SceneFacts], cast: Sequence[Character], overrides: Sequence[Mapping] = (),
             *, where: str = "work.toml") -> tuple[TimelineEvent, ...]:
        """The events of `fold_timeline(facts, cast, overrides, where=where)`, reusing the last fold's start."""
        by_scene = check_overrides(overrides, len(facts), [c.id for c in cast], where)
        setup = (tuple(sorted((i, repr(t)) for i, t in by_scene.items())),)
        start = 0
        if setup == self._setup:
            last = min(len(facts), len(self._facts))
            while start < last and (facts[start] is self._facts[start] or facts[start] == self._facts[start]):
                start += 1
        clock = replace(self._clocks[start - 1]) if start else _Clock()
        rows, clocks = self._rows[:start], self._clocks[:start]
        shift, tail = self._same_tail(facts, start, by_scene) if setup == self._setup else (0, len(facts))
        stop = len(facts)                  # rows from here on are the last fold's (moved by shift)
        for i in range(start, len(facts)):
            if i >= tail and clock == self._clocks[i - 1 - shift]:     # the clock is back where it was
                rows += self._rows[i:] if not shift else [_shifted(r, shift) for r in self._rows[i - shift:]]
                clocks += self._clocks[i - shift:]
                stop = i
                break
            rows.append(_fold_scene(clock, i, facts[i], by_scene.get(i, {})))
            clocks.append(replace(clock))
        ranks = [(r["key"], r["order"]) for r in rows]        # what story order is made of
        if ranks == self._ranks and not shift:     # the same story order: only the scenes redone may differ
            orders = self._orders
            events = [*self._events[:start], *(self._event(k, rows[k], orders[k]) for k in range(start, stop)),
                      *self._events[stop:]]
        else:
            orders = _story_orders(rows)
            events = [self._event(k, r, orders[k]) for k, r in enumerate(rows)]
        self._setup, self._facts, self._rows, self._clocks = setup, tuple(facts), rows, clocks
        self._ranks, self._orders, self._events = ranks, orders, tuple(events)
        return self._events

    def _event(self, k: int, row: dict, order: int) -> TimelineEvent:
        """Scene k's event: the last fold's when it came out the same (its row the same, or equal)."""
        old = self._events[k] if k < len(self._events) else None
        if old is not None and k < len(self._rows) and row is self._rows[k] and order == self._orders[k]:
            return old
        fields = (row["scene"], order, row["label"], row["marker"], row["place"], row["characters"])
        same = old is not None and (old.scene, old.story_order, old.time_label, old.time_marker, old.place,
                                    old.characters) == fields
        return old if same else TimelineEvent(*fields)

    def _same_tail(self, facts: Sequence[SceneFacts], start: int, by_scene: Mapping) -> tuple[int, int]:
        """(shift, tail): scenes from `tail` on have the facts the last fold's scenes from `tail - shift`
        on had (shift: how many scenes were added before them), so once the clock reaches such a
        scene as it was then, the rest of the last fold stands (moved by `shift`). A tail that
        overrides would meet at other scene numbers than before is never reused (tail past the end)."""
        old, shift = self._facts, len(facts) - len(self._facts)
        tail = len(facts)
        while tail > max(start, shift + 1, 1) and (facts[tail - 1] is old[tail - 1 - shift]
                                               or facts[tail - 1] == old[tail - 1 - shift]):
            tail -= 1
        if shift and any(k >= min(tail, tail - shift) for k in by_scene):
            return shift, len(facts)
        return shift, tail


def _shifted(row: dict, shift: int) -> dict:
    """A row of the last fold for the scene `shift` places later."""
    position, rank, i = row["key"]
    return dict(row, scene=i + shift, key=(position, rank, i + shift))


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


def _story_orders(rows: list[dict]) -> list[int]:
    """Each row's 1-based story order: `order` overrides first, the clock for the rest."""
    fixed = {r["order"] for r in rows if r["order"]}
    free = iter(n for n in range(1, len(rows) + 1) if n not in fixed)
    orders = [r["order"] for r in rows]
    for k in sorted((k for k, r in enumerate(rows) if not r["order"]), key=lambda k: rows[k]["key"]):
        orders[k] = next(free)
    return orders


class KeptFold(NamedTuple):
    """A work's last fold, kept in the build cache: its inputs, its events and the folder (its clock)."""
    key: tuple
    timeline: tuple
    folder: TimelineFolder


def folded_timeline(loaded: LoadedWork, facts: list[SceneFacts], cast: tuple[Character, ...],
                    cache: MutableMapping) -> tuple:
    """The story clock over every scene's facts; the last result is reused while the facts are equal
    (an edit that changes no time, place or character leaves the timeline as it was), and otherwise
    the clock restarts at the first scene that changed (TimelineFolder)."""
    overrides = loaded.config.get("timeline", ())
    where = f"content/{loaded.folder.name}/work.toml"          # which work's work.toml, in messages
    key = (tuple(facts), cast, repr(overrides))
    kept = cache.get(("fold", loaded.slug))
    if kept is not None and kept.key == key:
        return kept.timeline
    folder = kept.folder if kept is not None and kept.key[1:] == key[1:] else TimelineFolder()
    timeline = folder.fold(facts, cast, overrides, where=where)
    cache[("fold", loaded.slug)] = KeptFold(key, timeline, folder)
    return timeline
