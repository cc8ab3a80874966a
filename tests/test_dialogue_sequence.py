"""Exchanges decoded as sequences (sequence.py): the best path over who spoke last and before."""
from __future__ import annotations

import math

from sitegen.dialogue.sequence import decode, links, path_features
from sitegen.dialogue.marks import Span

# Transition weights of the shape bench/train_attribution.py learns: in a run of bare lines the
# one before last speaks again (A-B-A), the same speaker seldom does; a continued speech keeps it.
W = {"next-par-bare&back": 2.0, "next-par-bare&same": -2.0, "next-par-bare&new": -0.5,
     "continues&same": 3.0, "continues&back": -1.0, "continues&new": -1.0}
EVEN = math.log(0.5)


def line(link, **emissions):
    return ([(cid, math.log(p)) for cid, p in emissions.items()], link, True)


def names(items, picks):
    return [it[0][c][0] for it, c in zip(items, picks)]


def test_untagged_lines_alternate_between_the_two_anchored_speakers():
    items = [line("start", ana=1.0), line("next-par-bare", bo=1.0),
             *[line("next-par-bare", ana=0.5, bo=0.5) for _ in range(4)]]
    assert names(items, decode(items, W)) == ["ana", "bo", "ana", "bo", "ana", "bo"]


def test_a_later_anchor_decides_the_lines_before_it():
    items = [line("start", ana=0.5, bo=0.5), line("next-par-bare", ana=0.5, bo=0.5),
             line("next-par-bare", ana=0.5, bo=0.5), line("next-par-bare", bo=1.0)]
    assert names(items, decode(items, W)) == ["ana", "bo", "ana", "bo"]


def test_a_third_speaker_with_strong_evidence_joins_and_the_run_goes_on():
    items = [line("start", ana=1.0), line("next-par-bare", bo=1.0),
             line("next-par-bare", cy=0.9, ana=0.05, bo=0.05),
             line("next-par-bare", ana=0.4, bo=0.3, cy=0.3)]
    picks = names(items, decode(items, W))
    assert picks[:3] == ["ana", "bo", "cy"] and picks[3] == "bo"      # A-B-C, then B answers C


def test_a_speech_continued_over_a_paragraph_break_keeps_its_speaker():
    items = [line("start", ana=1.0), line("next-par-bare", bo=1.0), line("continues", ana=0.5, bo=0.5)]
    assert names(items, decode(items, W))[2] == "bo"


def test_one_wrong_anchor_does_not_flip_lines_with_evidence_of_their_own():
    items = [line("start", ana=1.0), line("next-par-bare", bo=1.0), line("next-par-bare", bo=1.0),  # wrong anchor
             line("next-par-bare", ana=0.1, bo=0.9), line("next-par-bare", ana=0.9, bo=0.1)]
    assert names(items, decode(items, W))[3:] == ["bo", "ana"]


def test_path_features_count_the_transitions_and_emissions():
    items = [line("start", ana=1.0), line("next-par-bare", bo=1.0), line("next-par-bare", ana=0.5, bo=0.5)]
    counts = path_features(["ana", "bo", "ana"], items)
    assert counts["next-par-bare&back"] == 1 and counts["next-par-bare&new"] == 1
    assert math.isclose(counts["emission"], EVEN)


def test_links_name_how_each_quote_follows_the_last_speech():
    text = '"A," she said.\n\n"B."\n\nShe left.\n\n"C." "D." He went. "E."\n'
    paragraphs = [(0, 14), (16, 20), (22, 31), (33, 55)]
    spans = [Span(0, 4, "double", 0), Span(16, 20, "double", 1), Span(33, 37, "double", 3), Span(38, 42, "double", 3),
             Span(52, 55, "double", 3)]
    assert links(spans, ["speech"] * 5, paragraphs, text) == ["start", "next-par-bare", "gap", "same-par-bare",
                                                              "same-par"]


def test_the_sequence_cannot_overrule_a_speech_tag_the_scorer_agrees_with():
    from pathlib import Path
    from sitegen.dialogue import find_quotes
    from sitegen.dialogue.scorer import load_model
    from sitegen.model import Character, SourceText
    from sitegen.text.paragraphs import split_paragraphs
    model = dict(load_model())       # transitions that want one speaker per paragraph, whatever the tags say
    model["transitions"] = {**model["transitions"], "same-par&same": 50.0, "same-par&new": -50.0,
                            "same-par&back": -50.0}
    text = 'Ana and Bo met at the gate.\n\nThey walked on, and Bo said, "Left here," and Ana said, "No, right."\n'
    cast = [Character("ana", "Ana Reyes", ("Ana",), "she"), Character("bo", "Bo Lind", ("Bo",), "he")]
    quotes = find_quotes(SourceText.from_text(Path("t.txt"), text), split_paragraphs(text), cast, model=model).quotes
    assert [q.speaker for q in quotes] == ["bo", "ana"]
    assert all("name-tag" in q.evidence for q in quotes)
