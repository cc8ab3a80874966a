"""Scenes: each file's scene starts, numbered through the work (Scene)."""
from __future__ import annotations

from typing import MutableMapping

from ..model import Scene
from .files import FileAnalysis


def file_scenes(fa: FileAnalysis, key: str, si: int, base: int, first_scene: int,
                cache: MutableMapping) -> tuple[Scene, ...]:
    """One file's scenes, numbered through the work. Every file with text opens a scene, so its
    scenes end within it; they are reused while the file and its place in the work are unchanged."""
    memo = ("scenes", key, base, first_scene)
    if memo not in cache:
        starts = fa.scene_starts
        ends = [i for i, _, _ in starts[1:]] + [len(fa.paragraphs)]
        cache[memo] = tuple(Scene(first_scene + n, fa.paragraphs[i].source, fa.paragraphs[i].start, base + i,
                                  base + end - 1, "chapter" if si and i == 0 else reason, strong)
                            for n, ((i, reason, strong), end) in enumerate(zip(starts, ends)))
    return cache[memo]
