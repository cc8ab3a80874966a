"""text/sentences.py, the one sentence splitter: stops, closing marks, titles and initials."""
from sitegen.text.sentences import ends_a_sentence, first_sentence, sentence_starts, sentences, starts_sentence


def test_sentences_end_after_stops_and_closing_marks():
    text = 'She ran. "Stop!" he said? Then… silence.'
    assert [text[s:e] for s, e in sentences(text)] == ["She ran.", ' "Stop!"', " he said?", " Then…", " silence."]


def test_a_title_an_abbreviation_or_an_initial_ends_no_sentence():
    text = "Mr. Elton and Dr. Watson met J. K. Rowling, e.g. at St. Paul's. It was I. Next."
    assert [text[s:e] for s, e in sentences(text)] == [
        "Mr. Elton and Dr. Watson met J. K. Rowling, e.g. at St. Paul's.", " It was I.", " Next."]


def test_a_stop_inside_a_word_or_number_ends_nothing():
    text = "It cost 3.50 at example.com today."
    assert sentences(text) == [(0, len(text))]


def test_line_breaks_end_sentences_only_when_asked():
    text = "one line\nanother line."
    assert len(sentences(text)) == 1 and len(sentences(text, lines=True)) == 2


def test_first_sentence_and_ends_a_sentence():
    assert first_sentence("Mrs. Weston woke. Then she rose.") == "Mrs. Weston woke."
    assert first_sentence("no stop at all") == "no stop at all"
    assert ends_a_sentence('He left." ') and ends_a_sentence("") and not ends_a_sentence("Mr.")
    assert not ends_a_sentence("and then")


def test_sentence_starts_skip_the_white_space_after_an_end():
    text = 'He went. "Go!"  she said\n\nand Mr. Elton came.  '
    assert [text[i:i + 3] for i in sentence_starts(text)] == ['"Go', "she"]
    assert [text[i:i + 3] for i in sentence_starts(text, blank_lines=True)] == ['"Go', "she", "and"]


def test_a_clause_ends_at_a_semicolon_only_when_asked():
    text = "He paused; then said"
    assert sentence_starts(text) == [] and [text[i:] for i in sentence_starts(text, clauses=True)] == ["then said"]


def test_another_language_passes_its_own_abbreviations():
    text = "Alors Mme. Dupont dit. Sra. Ruiz"
    assert [text[i:i + 3] for i in sentence_starts(text)] == ["Sra", "Rui"]
    assert [text[i:i + 3] for i in sentence_starts(text, abbreviations=frozenset({"Sra"}))] == ["Dup", "Sra"]


def test_starts_sentence_after_an_end_and_white_space_only():
    text = "He went. Then Mr. Elton.Next"
    assert starts_sentence(text, 0) and starts_sentence(text, text.index("Then"))
    assert not starts_sentence(text, text.index("Elton")) and not starts_sentence(text, text.index("Next"))


def test_a_title_after_a_dash_or_a_quote_mark_ends_nothing():
    text = 'forward.--Mr. Elton came. "Mrs. Weston" (Dr. Perry) left.'
    assert [text[s:e] for s, e in sentences(text)] == ["forward.--Mr. Elton came.", ' "Mrs. Weston" (Dr. Perry) left.']
