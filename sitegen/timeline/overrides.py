"""The author's [[timeline]] tables in work.toml: checked, by scene, and applied to a scene's characters."""
from __future__ import annotations

import difflib
from typing import Mapping, Sequence

from ..errors import SitegenError

OVERRIDE_KEYS = ("scene", "time", "place", "characters", "label", "order")


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
