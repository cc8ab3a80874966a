"""Sidenote markup for author's notes: a number in the text, the note in the margin.

Tufte-CSS style and no JavaScript: the number is a <label> for a hidden
checkbox; on wide screens the note floats in the margin, on phones it is hidden
until the reader taps the number (checking the box), then shown inline. The
markup is the theme's macro (templates/macros/sidenote.html, see prose.py); the
styles are in themes/default/static/notes.css.
"""
from __future__ import annotations

import re

from .prose import ProseMarkup, default_prose

_ID = re.compile(r"^[A-Za-z][\w\-:.]*$")


def sidenote_html(number: int, note_html: str, note_id: str, prose: ProseMarkup | None = None) -> str:
    """The markup for author's note `number` at the place it was cut from the prose.

    note_html is already-escaped HTML of the note's words (inline elements
    only); note_id must be unique in the page (e.g. "note-3"); it names the
    checkbox the number toggles. `prose` is the theme's markup (the default theme's if None).
    """
    if not _ID.match(note_id):
        raise ValueError(f"sidenote id {note_id!r} must start with a letter and hold no spaces")
    return (prose or default_prose()).sidenote(number, note_id, note_html)
