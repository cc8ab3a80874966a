"""Without a cast, candidate characters are found in the text and used as the cast."""
from __future__ import annotations

from sitegen.dialogue import find_quotes
from sitegen.model import SourceText
from sitegen.text.paragraphs import split_paragraphs

STORY = """\
Naruto Uzumaki ran to the gate, his bag bouncing.

"Wait for me!" Naruto shouted.

"You're late," said Sakura, tapping her foot.

"Sorry, Sakura," Naruto said.

"Just go," Sakura said. "I said we would be late."

"Fine," I said, following them both.
"""


def run(text: str, cast=()):
    source = SourceText.from_text("story.txt", text)
    return find_quotes(source, split_paragraphs(text), cast)


def test_speakers_in_tags_become_candidates():
    result = run(STORY)
    by_id = {c.id: c for c in result.discovered}
    assert set(by_id) == {"naruto", "sakura", "narrator"}
    assert by_id["sakura"].pronouns == "she"
    assert by_id["narrator"].narrator


def test_discovered_cast_attributes_the_quotes():
    speakers = [q.speaker for q in run(STORY).quotes]
    assert speakers == ["naruto", "sakura", "naruto", "sakura", "sakura", "narrator"]


def test_no_discovery_when_a_cast_is_given():
    from sitegen.model import Character
    result = run(STORY, [Character("n", "Naruto", pronouns="he")])
    assert result.discovered == ()


def test_text_without_quotes_is_fine():
    result = run("Nobody spoke that night.\n")
    assert result.quotes == () and result.discovered == () and result.diagnostics == ()


def test_one_tag_is_enough_without_a_cast():
    result = run('"Hi," said Bo.\n')
    assert [c.name for c in result.discovered] == ["Bo"]
    assert [q.speaker for q in result.quotes] == [result.discovered[0].id]


def test_a_word_that_only_opens_sentences_is_not_a_character():
    text = ('"Go home already," Mara said.\n\n"I\'m fine," Tom said.\n\n'
            '"Go home already." Despite saying so, she stayed.\n\n"Fine," Tom said.\n')
    ids = {c.id for c in run(text).discovered}
    assert "despite" not in ids
    assert {"mara", "tom"} <= ids


def test_a_woman_in_a_story_told_around_a_man_is_she():
    # "he" (the man the story follows) comes after her name as often as "she" does; weighed
    # against how rarely the story says "she" at all, she is a woman, not "they".
    text = ('"Hi," Lena said.\n\n"Hey," Tom said. He was tired. He looked at the window, and he sighed. '
            'His coffee was cold. He drank it anyway. He said nothing. He waited.\n\n'
            'Lena laughed and she waved.\n\nLena nodded, and he grinned.\n\nLena smiled. He frowned.\n\n'
            'Lena turned and she left.\n\n"Bye," Tom said.\n')
    by_name = {c.name: c.pronouns for c in run(text).discovered}
    assert by_name == {"Lena": "she", "Tom": "he"}
