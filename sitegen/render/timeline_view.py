"""The timeline page's data: the story's events as plain dicts for timeline.html, and its chart."""
from __future__ import annotations

import functools
from typing import Callable, Mapping, Sequence

from .chart import narrative_chart_svg
from .colours import assign_colours
from .theme import Words
from ..model import Character, TimelineEvent
from ..timeline.fold import knows_times

UNKNOWN_COLOURS = ("#6b6b6b", "#a0a0a0")     # a character not in the cast


def timeline_view(events: Sequence[TimelineEvent], cast: Sequence[Character], scene_href: Callable[[int], str],
                  scene_excerpt: Callable[[int], str],
                  colours: Mapping[str, tuple[str, str]] | None = None, words: Words = Words()) -> dict:
    """Plain data for timeline.html.

    Keys: story_order and reading_order (lists of scene dicts: number (its
    place in reading order, 1-based), scene, story_order, time (empty for every scene when the
    timeline knows no time: timeline.fold.knows_times), marker, place,
    characters [{id, name, colour, colour_dark}], href, excerpt), differs
    (bool: the reading order is not the story order), characters (who appears),
    chart_svg (SVG markup; mark it safe), chart_text (the chart as rows:
    {id, name, colour, colour_dark, scenes: [number, ...]}) and chart_title.
    `colours` are the ones the legend and characters.css use (views.work_colours); without
    them every cast member gets one from assign_colours; `words` are the chart's (chart.WORDS) in the
    work's language.
    """
    by_id = {c.id: c for c in cast}
    if colours is None:
        colours = assign_colours([(c.id, c.colour) for c in cast])
    timed = knows_times(events)
    reading = [_event_view(e, n, by_id, colours, scene_href, scene_excerpt, timed) for n, e in enumerate(events, 1)]
    story = sorted(reading, key=lambda v: v["story_order"])
    appearing = list(dict.fromkeys(cid for v in story for cid in v["character_ids"]))
    names = {cid: by_id[cid].name if cid in by_id else cid for cid in appearing}
    columns = tuple((f"{v['number']}. {v['time']}" if timed else str(v["number"]), tuple(v["character_ids"]))
                    for v in story)
    return {
        "story_order": story,
        "reading_order": reading,
        "differs": [v["number"] for v in story] != [v["number"] for v in reading],
        "characters": [_person(cid, names[cid], colours) for cid in appearing],
        "chart_svg": chart_svg(columns, tuple(names.items()), tuple(colours.items()), words) if story else "",
        "chart_title": "Who is in each scene, in story order",
        "chart_text": [dict(_person(cid, names[cid], colours),
                            scenes=[v["number"] for v in story if cid in v["character_ids"]])
                       for cid in appearing],
    }


@functools.lru_cache(maxsize=4)
def chart_svg(columns: tuple[tuple[str, tuple[str, ...]], ...], names: tuple[tuple[str, str], ...],
              colours: tuple[tuple[str, tuple[str, str]], ...], words: Words = Words()) -> str:
    """narrative_chart_svg, remembered on its inputs (as tuples, so they hash): an edit that changes
    no column label, cast or colour (an excerpt, a place) does not redraw the chart."""
    return narrative_chart_svg(columns, dict(names), dict(colours), words)


def _person(cid: str, name: str, colours: Mapping[str, tuple[str, str]]) -> dict:
    light, dark = colours.get(cid, UNKNOWN_COLOURS)
    return {"id": cid, "name": name, "colour": light, "colour_dark": dark}


def _event_view(e: TimelineEvent, number: int, by_id: Mapping[str, Character],
                colours: Mapping[str, tuple[str, str]],
                scene_href: Callable[[int], str], scene_excerpt: Callable[[int], str], timed: bool = True) -> dict:
    return {
        "number": number,
        "scene": e.scene,
        "story_order": e.story_order,
        "time": e.time_label if timed else "",
        "marker": e.time_marker or "",
        "place": e.place or "",
        "character_ids": list(e.characters),
        "characters": [_person(c, by_id[c].name if c in by_id else c, colours) for c in e.characters],
        "href": scene_href(e.scene),
        "excerpt": scene_excerpt(e.scene),
    }
