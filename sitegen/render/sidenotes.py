"""Sidenote markup for author's notes: a number in the text, the note in the margin.

Tufte-CSS style and no JavaScript: the number is a <label> for a hidden
checkbox; on wide screens the note floats in the margin, on phones it is hidden
until the reader taps the number (checking the box), then shown inline. The
styles are in themes/default/static/notes.css.

The markup is phrasing content only (label, input, span), so it is valid
inside a <p>.
"""
from __future__ import annotations

import re
from html import escape

_ID = re.compile(r"^[A-Za-z][\w\-:.]*$")


def sidenote_html(number: int, note_html: str, note_id: str) -> str:
    """The markup for author's note `number` at the place it was cut from the prose.

    note_html is already-escaped HTML of the note's words (inline elements
    only); note_id must be unique in the page (e.g. "note-3"); it names the
    checkbox the number toggles.
    """
    if not _ID.match(note_id):
        raise ValueError(f"sidenote id {note_id!r} must start with a letter and hold no spaces")
    nid = escape(note_id, quote=True)
    return (
        f'<label for="{nid}" class="margin-toggle sidenote-number" aria-label="Author\u2019s note {number}">'
        f'{number}</label>'
        f'<input type="checkbox" id="{nid}" class="margin-toggle">'
        f'<span class="sidenote" role="note" id="{nid}-text" aria-label="Author\u2019s note {number}">'
        f'<span class="sidenote-label" aria-hidden="true">{number}</span> '
        f'<span class="sidenote-text">{note_html}</span></span>'
    )
