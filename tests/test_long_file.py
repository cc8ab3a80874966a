"""A long single file's speaker walk shared between cores (dialogue/split.py): the same quotes, votes
and findings as one walk through the file, whether its units run here or in forked workers."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from sitegen import parallel
from sitegen.dialogue import analyse
from sitegen.dialogue.around import read_around, split_mentions
from sitegen.dialogue.attribute import attribute, carries, heading_starts
from sitegen.dialogue.split import speakers, unit_starts
from sitegen.model import SourceText
from sitegen.stages.files import analyse_file
from sitegen.stages.structure import file_structure

NAMES = ["Mara", "Tobin", "Wren", "Idris"]


def chapter(n: int) -> str:
    """A chapter whose first and last paragraphs are speech (an exchange on each side of a heading)."""
    a, b, c = NAMES[n % 4], NAMES[(n + 1) % 4], NAMES[(n + 2) % 4]
    return "\n\n".join([
        f"Chapter {n + 1}",
        f'"You came back," {a} said.',
        f'"I said I would," {b} answered, and looked at {c}.',
        '"Did you?"',
        '"Every word of it."',
        f"{c} crossed the room. {a} watched her go, and {b} sat down by the fire.",
        f'"{a}, tell me the truth," she said.',
        '"Which one?"',
        f'"Enough," said {b}. "We leave at dawn, {c}."',
        '"Then we leave."',
    ])


def long_text(chapters: int = 12) -> str:
    parts = [chapter(n) for n in range(chapters)]
    # A speech left open at a chapter's end and going on in the next one: its vote carries over the
    # heading, so no unit may start there.
    parts[5] += '\n\n"And one more thing, before the lamps go out,'
    parts[6] = parts[6].replace('\n\n"You came back,"', '\n\n"you never asked me why."\n\n"You came back,"', 1)
    return "\n\n".join(parts) + "\n"


def source(text: str) -> SourceText:
    return SourceText.from_text(Path("story.txt"), text, "story.txt")


def test_the_walk_in_units_gives_the_votes_and_findings_of_one_walk():
    text = long_text()
    src = source(text)
    a = analyse(src, file_structure(src, 0, 0, True).paragraphs, [])      # the headings out, as in a build
    spans, kinds = list(a.spans), list(a.kinds)
    narration, quoted = split_mentions(list(a.mentions), spans)
    around = read_around(a.text, a.paragraphs, spans, [m.start for m in quoted])
    votes = attribute(a.text, a.paragraphs, spans, kinds, a.index, narration, quoted, around, {})
    assert speakers(a.text, a.paragraphs, spans, kinds, a.index, narration, quoted, {}) == (around, votes)
    starts = [i for i, _ in unit_starts(a.text, a.paragraphs, spans, kinds, heading_starts(a.text),
                                        [m.start for m in narration])]
    assert len(starts) == 11                              # twelve chapters, one heading carried over
    carried = next(i for i, s in enumerate(spans) if a.text[s.start:s.end].startswith('"you never'))
    assert carried not in starts and carries(a.text, a.paragraphs, spans, carried)


@pytest.mark.skipif("fork" not in __import__("multiprocessing").get_all_start_methods(), reason="cannot fork")
def test_a_one_file_work_gives_the_same_analysis_on_one_core_and_on_two(monkeypatch):
    text = long_text(30)
    src = source(text)

    def analysed():
        return analyse_file(src, 0, 0, True, (), None)
    monkeypatch.setenv("SITEGEN_JOBS", "1")
    alone = analysed()
    monkeypatch.setenv("SITEGEN_JOBS", "2")
    monkeypatch.setattr(parallel, "MIN_WORK", 0)
    assert parallel.forks(29, len(text))
    shared = analysed()
    assert shared == alone
    assert len(alone.quotes) == 30 * 9 + 2 and alone.discovered


def test_a_worker_starts_no_workers_of_its_own(monkeypatch):
    monkeypatch.setattr(parallel, "MIN_WORK", 0)
    monkeypatch.setenv("SITEGEN_JOBS", "2")
    assert parallel.run_all(_forks_here, [(i,) for i in range(4)], work=10**6) == [False] * 4
    assert _forks_here(0) == (parallel._start_method() == "fork")


def _forks_here(_: int) -> bool:
    return parallel.forks(10, 10**6) and os.getpid() > 0


def test_units_after_two_headings_a_silent_chapter_and_a_speaker_marker_give_the_votes_of_one_walk():
    text = "\n\n".join([
        chapter(0),
        "Part Two\n\nChapter 2",                                      # two headings between two quotes
        '"Who is there?"{=wren}\n\n"Only me," said Tobin.',           # a marker (override) in a later unit
        "Chapter 3",
        "Nobody said anything for a long time. Mara slept; Idris kept the watch.",
        "Chapter 4",
        '"Up," he said. "All of you."\n\n"Why?" Wren asked.\n\n"Because."',
        chapter(4),
    ]) + "\n"
    src = source(text)
    a = analyse(src, file_structure(src, 0, 0, True).paragraphs, [])
    spans, kinds = list(a.spans), list(a.kinds)
    narration, quoted = split_mentions(list(a.mentions), spans)
    around = read_around(a.text, a.paragraphs, spans, [m.start for m in quoted])
    votes = attribute(a.text, a.paragraphs, spans, kinds, a.index, narration, quoted, around, a.overrides)
    assert a.overrides and list(a.votes) == votes
    assert speakers(a.text, a.paragraphs, spans, kinds, a.index, narration, quoted, a.overrides) == (around, votes)
    assert len(unit_starts(a.text, a.paragraphs, spans, kinds, heading_starts(a.text),
                           [m.start for m in narration])) == 4
