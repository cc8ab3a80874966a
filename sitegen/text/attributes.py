"""Where a Markdown paragraph's words become HTML attribute values (image alt text, a link's target and title),
so that no stage puts quote or note markup there."""
from __future__ import annotations

import re

_LINK_TAIL = (r"\(\s*(?:<[^<>\n]*>|[^\s()]*(?:\([^\s()]*\)[^\s()]*)*)"
              r"(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^()]*\)))?\s*\)")
# What of a paragraph reaches HTML attributes, not text: a whole image (its alt text too), a link's target and title.
_IN_ATTRIBUTES = re.compile(rf"!\[(?:[^\[\]]|\[[^\[\]]*\])*\]{_LINK_TAIL}|(?<=\]){_LINK_TAIL}")


def in_attributes(text: str) -> list[tuple[int, int]]:
    """The spans of a Markdown paragraph that become attribute values (where no quote or note markup may go)."""
    return [m.span() for m in _IN_ATTRIBUTES.finditer(text)]
