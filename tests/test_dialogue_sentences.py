"""The dialogue engine's sentences come from text/sentences.py: tags and beats stand in clauses
that end at a stop or a semicolon, never at a title's stop or an initial."""
from sitegen.dialogue.tags import sentence_bounds


def test_a_tag_clause_ends_at_a_semicolon_not_at_an_initial():
    text = "He left. Then J. K. Rowling smiled; she waited"
    assert text[slice(*sentence_bounds(text, 0, len(text), True))] == "she waited"
    text = "Then Mr. Elton and Prof. Snape smiled. He"
    assert text[slice(*sentence_bounds(text, 0, len(text), False))] == "Then Mr. Elton and Prof. Snape smiled. "
