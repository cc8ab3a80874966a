"""The dialogue engine's sentences come from text/sentences.py: tags and beats stand in clauses
that end at a stop or a semicolon, never at a title's stop or an initial."""
from sitegen.dialogue.tags import sentence_bounds


def test_a_tag_clause_ends_at_a_semicolon_not_at_an_initial():
    text = "He left. Then J. K. Rowling smiled; she waited"
    assert text[slice(*sentence_bounds(text, 0, len(text), True))] == "she waited"
    text = "Then Mr. Elton and Prof. Snape smiled. He"
    assert text[slice(*sentence_bounds(text, 0, len(text), False))] == "Then Mr. Elton and Prof. Snape smiled. "


def test_an_italic_thought_stands_where_a_sentence_starts_not_after_a_title():
    from sitegen.dialogue.marks import italic_thoughts

    def thoughts(text):
        return [text[s.start:s.end] for s in italic_thoughts(text, 0, len(text), 0, [])]
    assert thoughts("He stopped. *Not yet, not yet.* He ran.") == ["*Not yet, not yet.*"]
    assert thoughts("She thought: *Run now.*") == ["*Run now.*"]
    assert thoughts("He met Mr. *Big Man* today.") == [] and thoughts("He said so.*Not yet now.*") == []
