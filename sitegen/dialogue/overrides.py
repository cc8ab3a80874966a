"""Override markers: `{=id}` right after a closing quote mark names its speaker.

    "Hello,"{=naruto} she said.          the speaker is naruto, whatever the tags say
    'Run,'{=sakura thought} she said.    speaker and kind (speech | thought | written)
    "Who's there?"{=?}                    the speaker is unknown (no guess)

The marker is dropped from the rendered page (its span is in `hidden`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_MARKER = re.compile(r"\{=\s*([\w.-]+|\?)(?:\s+(speech|thought|written))?\s*\}")


@dataclass(frozen=True)
class Override:
    """A marker at start..end: the speaker id (None for `?`) and optional kind."""
    start: int
    end: int
    speaker: str | None
    kind: str | None


def find_overrides(text: str) -> list[Override]:
    """Every override marker in the text."""
    return [Override(m.start(), m.end(), None if m.group(1) == "?" else m.group(1), m.group(2))
            for m in _MARKER.finditer(text)]
