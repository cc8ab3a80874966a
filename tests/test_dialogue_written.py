"""Written words (letters, notes, text messages) are quotes of kind `written`, styled through their class."""
from __future__ import annotations

from pathlib import Path

from sitegen.render.body import quote_markup
from sitegen.render.prose import default_prose
from sitegen.dialogue import find_quotes
from sitegen.model import Character, SourceText
from sitegen.text.paragraphs import split_paragraphs

CAST = [Character("ana", "Ana Reyes", (), "she"), Character("bo", "Bo Lind", (), "he")]


def quotes(text: str):
    source = SourceText.from_text(Path("t.txt"), text, "t.txt")
    return find_quotes(source, split_paragraphs(text), CAST).quotes


def test_a_text_message_is_written_and_its_class_says_so():
    q, = quotes('His phone buzzed. "Running late, sorry," Ana texted.\n')
    assert (q.kind, q.speaker) == ("written", "ana")
    opening, _ = quote_markup(q, {"ana": "Ana Reyes"}, default_prose())
    assert opening == '<span class="q written c-ana">'


def test_speech_beside_a_verb_of_reading_aloud_stays_speech_unless_framed_as_read():
    said, = quotes('"Closed until Monday," Bo said, reading the sign.\n')
    read, = quotes('Bo looked at the sign. It read: "Closed until Monday."\n')
    assert said.kind == "speech" and read.kind == "written"


def test_an_override_marker_may_name_the_written_kind():
    q, = quotes('"Back at six."{=bo written} Ana put the card down.\n')
    assert (q.kind, q.speaker) == ("written", "bo")
