"""text/sentences.py, the one sentence splitter: stops, closing marks, titles and initials."""
from sitegen.text.sentences import ends_a_sentence, first_sentence, sentences


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
