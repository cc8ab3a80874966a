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


def _by_name(text):
    return {c.name: c for c in run(text).discovered}


# A father the story calls "his dad" and "the sheriff" far more often than "Joe"; his son Kit
# shares sentences with those words ("Kit looked at his dad"), Joe never does.
FATHER = (
    '"Where were you?" Joe asked.\n\n"Out," Kit said.\n\nJoe put his keys down.\n\n'
    'The sheriff frowned at the clock and rubbed his eyes. "It is two in the morning," the sheriff said.\n\nJoe waited.\n\n'
    'Kit looked at his dad and shrugged. "I lost track of time," Kit said.\n\n'
    'His dad sighed. "Go to bed," his dad said. "We talk tomorrow."\n\n'
    'Joe watched him go. "Kids," the sheriff muttered, and turned off the lights.\n\nJoe slept badly.\n\n'
    'In the morning his dad made eggs. "Eat," his dad said.\n\n'
    '"Thanks," Kit said, and his dad smiled.\n')


def test_a_description_joins_the_character_it_means():
    cast = _by_name(FATHER)
    assert set(cast["Joe"].aliases) >= {"his dad", "the sheriff"}
    assert "his dad" not in cast["Kit"].aliases and "the sheriff" not in cast["Kit"].aliases
    said = {q.text: q.speaker for q in run(FATHER).quotes}
    assert said['"It is two in the morning,"'] == said['"Go to bed,"'] == said['"Eat,"'] == "joe"


# Ana's uncle, never named, speaks in Tom's company; Tom is named around every paragraph of the
# story, so being near "her uncle" says nothing of him, and Ben is another man around it.
UNCLE = "".join(
    f'Tom and Ana walked to the {place}. "Look," Tom said, and he pointed. Ana smiled; she was happy.\n\n'
    f'"It is the {place}," her uncle said, and Ana laughed. "Nice," Ana said.\n\n'
    + ('Ben nodded and he sat down. "Go on," Ben said.\n\n' if place in ("mill", "river") else "")
    + '"Yes," Tom said, and he smiled.\n\n'
    for place in ("bridge", "market", "river", "mill", "church", "harbour"))


def test_a_relative_no_evidence_joins_stays_unresolved():
    cast = _by_name(UNCLE)
    assert not any("her uncle" in c.aliases for c in cast.values())
    assert "Her uncle" not in cast                 # not a second character for someone named elsewhere


def test_a_description_in_apposition_joins_that_name():
    text = ('Dana, the receptionist, waves at him. "Morning," Dana said.\n\n"Hi," Kit said.\n\n'
            '"Coffee?" the receptionist asked.\n\n"Please," Kit said.\n')
    assert "the receptionist" in _by_name(text)["Dana"].aliases


def test_one_of_a_group_is_a_character_of_its_own():
    text = ('Mara walked to the gate. "Stop," one of the guards said.\n\n"Why?" Mara said.\n\n'
            '"Orders," the guard said.\n\n"Fine," Mara said, and left.\n')
    cast = _by_name(text)
    assert "The guard" in cast and "the guard" in cast["The guard"].aliases
    assert [q.speaker for q in run(text).quotes] == ["guard", "mara", "guard", "mara"]


def test_a_description_anyone_fits_is_no_character():
    text = ('"Hello," the man said.\n\n"Hi," Mara said.\n\n"Nice day," the man said.\n\n"Yes," Mara said.\n')
    assert set(_by_name(text)) == {"Mara"}


def test_a_rare_slip_of_a_frequent_name_is_that_character():
    lines = "".join(f'"Line {i}," Derek said.\n\n"Yes {i}," Mara said.\n\n' for i in range(12))
    text = lines + '"Fine," Dereks said.\n'
    cast = _by_name(text)
    assert "Dereks" not in cast and "Dereks" in cast["Derek"].aliases
    assert run(text).quotes[-1].speaker == "derek"


def test_two_names_one_letter_apart_both_used_often_stay_two():
    text = "".join(f'"Hi {i}," Katie said.\n\n"Yo {i}," Kate said.\n\n' for i in range(6))
    assert {"Katie", "Kate"} <= set(_by_name(text))


def test_first_name_and_surname_are_one_character_even_when_possessive():
    text = ('"Ok," Harry said.\n\n"No," Potter said, and Harry Potter\'s wand glowed.\n\n'
            '"Hi," Haruno Sakura said.\n\n"Bye," Sakura Haruno said.\n\n"Hm," Sakura said.\n')
    cast = _by_name(text)
    assert set(cast) == {"Harry Potter", "Haruno Sakura"}
    assert {"Harry", "Potter"} <= set(cast["Harry Potter"].aliases)
    assert {"Sakura Haruno", "Sakura"} <= set(cast["Haruno Sakura"].aliases)


def test_a_character_who_speaks_only_in_thoughts_sent_is_found():
    # telepathy: italic lines "sent" to someone; Ivo never says a word aloud
    text = ('Mara looked at the boy. "Sit," Mara said.\n\n'
            '_You came back for me_, Ivo sends to her.\n\n'
            '_Always_, Mara sends. _Now rest._\n\n'
            '_I will,_ Ivo sends, and closes his eyes.\n')
    cast = _by_name(text)
    assert "Ivo" in cast
    speakers = [(q.text, q.kind, q.speaker) for q in run(text).quotes]
    assert ("_You came back for me_", "thought", "ivo") in speakers
    assert ("_I will,_", "thought", "ivo") in speakers


def test_a_character_named_by_what_it_is_is_found():
    text = ('"Off with his head!" said the Queen.\n\n"Nonsense," said the Gryphon.\n\n'
            'And an old Crab took the opportunity of saying to her daughter "Ah, my dear!"\n\n'
            '"Come away," the blonde said.\n')
    names = {c.name for c in run(text).discovered}
    assert {"Queen", "Gryphon", "Crab"} <= names
    assert not any("blonde" in n.lower() for n in names)
