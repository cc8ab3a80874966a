"""The narration around each quote, read once (dialogue/around.py): the findings are what each reader
would read for itself, and the rules and the features take them from the analysis."""
from __future__ import annotations

from pathlib import Path

from sitegen.dialogue import analyse
from sitegen.dialogue.around import read_around, split_mentions
from sitegen.dialogue.tags import tag_after, tag_before, vocative_spans
from sitegen.model import Character, SourceText
from sitegen.text.paragraphs import split_paragraphs

CAST = [Character("ana", "Ana Reyes", (), "she"), Character("bo", "Bo Lind", (), "he")]
TEXT = ('Ana looked up. "Bo, where were you?"\n\n'
        '"Out," Bo said, "and back again," and Ana said, "Liar."\n\n'
        '"Fine," he said. "Fine, Ana."\n\n'
        'She shrugged. Bo laughed. "Really?"\n')


def analysis(text: str = TEXT):
    return analyse(SourceText.from_text(Path("t.txt"), text, "t.txt"), split_paragraphs(text), CAST)


def test_each_finding_is_what_the_tag_and_vocative_readers_find_in_its_window():
    a = analysis()
    _, quoted = split_mentions(list(a.mentions), list(a.spans))
    assert len(a.around) == len(a.spans) == 7
    for k, (s, found) in enumerate(zip(a.spans, a.around)):
        ps, pe = a.paragraphs[s.paragraph]
        lo = a.spans[k - 1].end if k and a.spans[k - 1].paragraph == s.paragraph else ps
        hi = a.spans[k + 1].start if k + 1 < len(a.spans) and a.spans[k + 1].paragraph == s.paragraph else pe
        assert found.after == tag_after(a.text, s.end, hi)
        if found.after is None or found.leads_on or found.interrupted:
            assert found.before == tag_before(a.text, lo, s.start)
        else:
            assert found.before is None                  # not read: no reader uses it
        names_someone = any(s.start <= m.start < s.end for m in quoted)
        assert found.vocatives == (vocative_spans(a.text, s.start, s.end) if names_someone else ())


def test_the_findings_say_where_a_tag_leads_on_and_where_a_sentence_breaks_off():
    a = analysis()
    second = [k for k, s in enumerate(a.spans) if s.paragraph == 1]
    out, back, liar = (a.around[k] for k in second)
    assert out.after.subject == "Bo" and not out.leads_on
    assert back.interrupted and back.leads_on          # `"...," and Ana said, "Liar."`: Ana's tag is the next one's
    assert a.text[liar.before.start:liar.before.end] == "Ana"


def test_the_analysis_keeps_the_findings_the_rules_voted_on():
    a = analysis()
    assert [v.speaker for v in a.votes] == ["ana", "bo", "bo", "ana", "bo", "bo", "bo"]
    assert a.votes[3].rule == "name-tag"                # "Liar." by the tag found before it, not the one after "back"
    quoted = [m.start for m in split_mentions(list(a.mentions), list(a.spans))[1]]
    assert read_around(a.text, a.paragraphs, list(a.spans), quoted) == list(a.around)
