"""find_quotes as the build pipeline calls it: skip spans, hidden markers, conventions, robustness."""
from __future__ import annotations

import random

from sitegen.dialogue import DialogueResult, find_quotes
from sitegen.model import Character, SourceText
from sitegen.text.paragraphs import split_paragraphs

CAST = [Character("naruto", "Naruto", (), "he"), Character("sakura", "Sakura", (), "she")]


def run(text: str, **options) -> DialogueResult:
    source = SourceText.from_text("story.md", text)
    return find_quotes(source, split_paragraphs(text), CAST, **options)


def test_skip_spans_are_ignored():
    text = '"Hi," said Naruto. (A/N: "this is not dialogue") "Bye," said Sakura.\n'
    note = text.index("(A/N")
    result = run(text, skip=[(note, text.index(")") + 1)])
    assert [q.text for q in result.quotes] == ['"Hi,"', '"Bye,"']


def test_override_markers_are_hidden_and_win():
    text = '"Hello,"{=naruto} she said.\n'
    result = run(text)
    assert result.quotes[0].speaker == "naruto" and result.quotes[0].confidence == 1.0
    start = text.index("{")
    assert result.hidden == ((start, start + len("{=naruto}")),)


def test_source_index_and_given_convention():
    result = run("'Hello,' said Naruto.\n", source_index=3, convention="british")
    quote = result.quotes[0]
    assert (quote.source, quote.kind, quote.speaker, result.convention) == (3, "speech", "naruto", "british")


def test_diagnostic_points_at_the_opening_mark():
    result = run('Naruto waved.\n\nHe said "hi and left.\n')
    (diagnostic,) = result.diagnostics
    assert str(diagnostic.location) == "story.md:3:9"
    assert diagnostic.severity == "warning" and diagnostic.hint


def test_never_raises_and_never_loses_text_on_random_marks():
    rng = random.Random(7)
    pieces = ['"', "'", "\u201c", "\u201d", "\u2018", "\u2019", "*", "_", " ", "Naruto", " said",
              "don't", ",", ".", "\n\n", "{=sakura}", "{=?}", "I"]
    for _ in range(300):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 40)))
        result = run(text)
        last_end = 0
        for q in result.quotes:
            assert 0 <= q.start < q.end <= len(text) and q.start >= last_end
            assert text[q.start:q.end] == q.text
            last_end = q.end
