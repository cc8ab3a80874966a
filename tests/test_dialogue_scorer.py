"""The learned scorer, its evidence, name forms, cast discovery and `sitegen cast` / `quotes --explain`."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from sitegen.dialogue import analyse, find_quotes
from sitegen.dialogue.discover import _guess_pronouns, _looks_like_a_name, discover_cast
from sitegen.dialogue.rules import RULES
from sitegen.dialogue.features import quote_features
from sitegen.dialogue.scorer import load_model
from sitegen.model import Character, SourceText
from sitegen.text.paragraphs import split_paragraphs

ROOT = Path(__file__).resolve().parents[1]
CAST = [Character("ana", "Ana Reyes", (), "she"), Character("bo", "Bo Lind", (), "he")]
EXCHANGE = ('"Where were you?" Ana asked.\n\n"Out," Bo said.\n\n"Out where?"\n\n"Just out."\n\n'
            '"That is not an answer."\n\n"It is the one you get."\n')


def run(text: str, cast=CAST, **kw):
    source = SourceText.from_text(Path("t.txt"), text, "t.txt")
    return find_quotes(source, split_paragraphs(text), cast, **kw)


def test_shipped_weights_are_plain_data_with_a_gate():
    model = load_model()
    assert model is not None and 0 < model["gate"] <= 1
    assert all(isinstance(v, float) for v in model["weights"].values())
    assert model["weights"]["rule:name-tag"] > 0 > model["weights"]["addressed-here"]


def test_every_decision_names_its_rule_and_unsure_ones_their_features():
    quotes = run(EXCHANGE).quotes
    assert [q.speaker for q in quotes] == ["ana", "bo", "ana", "bo", "ana", "bo"]
    names = {r[0] for r in RULES}
    assert all(q.evidence.split(";")[0] in names for q in quotes)
    assert quotes[0].evidence.split(";")[0] == "name-tag"
    alone = set(load_model()["alone"])
    assert all(("scorer p=" in q.evidence) == (q.evidence.split(";")[0] not in alone) for q in quotes)
    loose = run('Ana and Bo sat by the fire.\n\n"Cold tonight."\n\n"Very."\n').quotes
    assert [q.evidence.split(";")[0] for q in loose] == ["lead-in-beat", "turn"]
    assert all("scorer p=" in q.evidence for q in loose)           # rules the scorer beats: the scorer decides


def test_without_weights_the_rules_alone_decide():
    quotes = run(EXCHANGE, model=None).quotes
    assert all("scorer" not in q.evidence for q in quotes)
    assert [q.evidence for q in quotes[:2]] == ["name-tag", "name-tag"]


def test_candidates_carry_the_features_that_matter():
    text = '"Ana, listen to me," Bo said.\n\n"Why should I?"\n'
    source = SourceText.from_text(Path("t.txt"), text, "t.txt")
    a = analyse(source, split_paragraphs(text), CAST)
    first, second = quote_features(a)
    assert dict(first)["ana"].get("addressed-here") == 1.0         # a vocative: not the speaker
    assert dict(second)["ana"].get("addressed-before") == 1.0      # whom the last line addressed answers
    assert dict(second)["bo"].get("last1&bare") == 1.0


def test_who_the_narration_was_about_is_a_feature_not_the_last_name():
    cast = [*CAST, Character("cy", "Cy Moss", (), "he")]
    text = 'Ana waved. Cy frowned at Bo.\n\n"Where were you?" he asked.\n'
    source = SourceText.from_text(Path("t.txt"), text, "t.txt")
    feats = dict(quote_features(analyse(source, split_paragraphs(text), cast))[0])
    assert {"last-subject", "tag-antecedent-subject"} <= set(feats["cy"])      # the subject, not "at Bo"
    assert "tag-antecedent-mention" in feats["bo"] and "tag-antecedent-subject" not in feats["bo"]
    assert not any("antecedent" in f or f == "last-subject" for f in feats["ana"])   # "she": not "he"


def test_a_weight_that_favours_the_listener_flips_the_pick():
    text = '"Ana, listen to me," Bo said.\n\n"Why should I?"\n'
    model = {"gate": 0.7, "weights": {"addressed-before": -5.0, "last1&bare": 5.0}}
    assert run(text, model=model).quotes[1].speaker == "bo"
    model = {"gate": 0.7, "weights": {"addressed-before": 5.0}}
    assert run(text, model=model).quotes[1].speaker == "ana"


def test_the_runtime_imports_no_numeric_library():
    code = ("import sys; from pathlib import Path; from sitegen.dialogue import find_quotes; "
            "from sitegen.model import SourceText, Character; from sitegen.text.paragraphs import split_paragraphs; "
            "t = '\"Hi,\" Ana said.\\n\\n\"Hello.\"\\n'; "
            "find_quotes(SourceText.from_text(Path('x'), t), split_paragraphs(t), [Character('ana', 'Ana')]); "
            "print(sorted({'numpy', 'scipy', 'sklearn', 'torch'} & set(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "[]"


def test_ordinary_capitalised_words_are_not_names():
    text = "Despite the rain she went. He came despite it. Then Mara said no, and Mara left."
    assert not _looks_like_a_name(text, "Despite")
    assert _looks_like_a_name(text, "Mara")


def test_pronouns_ignore_her_as_an_object():
    text = ("Naruto told her to wait. Naruto pulled her along. Naruto scratched his head. "
            "Naruto grinned, and he ran.")
    assert _guess_pronouns(text, ["Naruto"]) == "he"
    assert _guess_pronouns("Aunt Polly sat.", ["Aunt Polly"]) == "she"


def test_discovery_merges_given_name_and_surname():
    text = ('Harry Potter came in.\n\n"Hi," Harry said.\n\n"Bye," Potter said.\n')
    source = SourceText.from_text(Path("t.txt"), text, "t.txt")
    a = analyse(source, split_paragraphs(text), ())
    assert [(c.name, set(c.aliases)) for c in a.discovered] == [("Harry Potter", {"Harry", "Potter"})]
    assert discover_cast(a.text, list(a.spans))[0].id == "harry-potter"


def test_cast_command_prints_a_work_toml_block(tmp_path):
    story = tmp_path / "story.txt"
    story.write_text('"Hi," Mara said. She smiled.\n\n"Hello," Tomas said. He waved.\n\n"Bye," Mara said.\n',
                     encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "sitegen", "cast", str(story)], capture_output=True, text=True,
                         cwd=ROOT, check=True).stdout
    import tomllib
    data = tomllib.loads(out)
    assert data["characters"]["mara"] == {"name": "Mara", "aliases": [], "pronouns": "she"}
    assert "# 2 speech" in out and list(data["characters"]) == ["mara", "tomas"]


def test_quotes_explain_prints_the_evidence(tmp_path):
    story = tmp_path / "story.txt"
    story.write_text('"Hi," said Mara.\n', encoding="utf-8")
    cast = tmp_path / "cast.toml"
    cast.write_text('[characters.mara]\nname = "Mara"\npronouns = "she"\n', encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "sitegen", "quotes", str(story), "--cast", str(cast), "--explain"],
                         capture_output=True, text=True, cwd=ROOT, check=True).stdout
    assert "story.txt:1:1: speech by Mara, sure (0.95): \"Hi,\"" in out
    assert "speech tag “said Mara” right after the quote" in out       # the text's own words, not rule names
    plain = subprocess.run([sys.executable, "-m", "sitegen", "quotes", str(story), "--cast", str(cast)],
                           capture_output=True, text=True, cwd=ROOT, check=True).stdout
    assert set(json.loads(plain)) == {"start", "end", "kind", "speaker", "confidence", "text"}


def test_explain_reads_as_evidence_with_one_number(tmp_path):
    """No internal feature names, no second probability beside the confidence; a quote whose only
    candidate got no vote reads as a guess, not as p=1.00; a work.toml serves as the cast."""
    story = tmp_path / "story.txt"
    story.write_text('Mara looked up from the map.\n\n"We go north," she said.\n\n"North?"\n\n'
                     '"You heard me."\n\nTomas shrugged. "Fine. North it is."\n\n"Is anyone there?"\n',
                     encoding="utf-8")
    work = tmp_path / "work.toml"
    work.write_text('title = "T"\n[characters.mara]\nname = "Mara"\npronouns = "she"\n'
                    '[characters.tomas]\nname = "Tomas"\npronouns = "he"\n', encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "sitegen", "quotes", str(story), "--cast", str(work), "--explain"],
                         capture_output=True, text=True, cwd=ROOT, check=True).stdout
    assert "speech tag “she said” right after the quote" in out
    assert "action “Tomas shrugged” just before the quote" in out
    for internal in ("p=", "recent0", "last1", "name_paragraph", "next-par", "&", "rule:", "+0.", "+1."):
        assert internal not in out, internal
    heads = [line for line in out.splitlines() if not line.startswith("    ")]
    assert len(heads) == 5 and all(re.search(r"\((0|1)\.\d\d\): ", h) for h in heads)


def test_the_only_candidate_without_a_vote_is_a_guess():
    from sitegen.dialogue.explain import describe, supporting, sureness
    evidence = "none; scorer p=1.00 of 1: frequency +1.1, recent0 +0.6; sequence next-par&same -1.1"
    assert describe(evidence) == "no rule found a speaker; the only character in reach"
    assert sureness(0.0, "stiles") == "a guess"
    assert supporting(evidence, "stiles", str.title) == ["Stiles is one of the characters the text names most",
                                                         "Stiles is the character named last"]
    turned = "name-tag; voted sakura; scorer p=0.20 of 5: name_paragraph +1.8; sequence same-par&same +0.8"
    assert "(it pointed to Sakura" in describe(turned, str.title) and "against 4 other characters" in describe(turned)
    assert supporting(turned, "guard", str.title)[-1] == "the same speaker goes on (in the same paragraph)"


def test_a_line_several_say_at_once_is_the_groups_and_no_turn():
    from sitegen.dialogue.sequence import advance, relation
    text = ('"Where were you?" Ana asked.\n\n"Out," Bo said.\n\n"Out where?" Ana asked.\n\n'
            '"Nowhere," they said in unison.\n\n"That is not an answer."\n\n"It is the one you get," Bo said.\n')
    for cast in (CAST, ()):
        quotes = run(text, cast).quotes
        assert quotes[3].speaker == "group" and quotes[3].evidence.startswith("group-tag")
        assert "group" not in {q.speaker for k, q in enumerate(quotes) if k != 3}
    # in the decoder a group's line is no turn: the exchange's last two speakers stay as they were
    assert advance(("ana", "bo"), "group", True) == ("ana", "bo")
    assert relation("next-par", "group", ("ana", "bo")) is None


def test_explain_names_the_tag_a_quote_runs_on_from():
    from sitegen.dialogue.explain import found_in_text
    text = '"Well," Bo said, in the tone of a man giving up. "That is that."'
    start = text.index('"That')
    found = found_in_text("runs-on", text, start, len(text), text.index(" Bo"), len(text))
    assert found == "speech tag “Bo said” of the quote before, whose speech this quote goes on with"


def _analysis(text: str, cast=CAST):
    source = SourceText.from_text(Path("t.txt"), text, "t.txt")
    return analyse(source, split_paragraphs(text), cast)


def test_whom_the_next_line_addresses_is_a_feature_of_this_one():
    a = _analysis('"That was stupid," someone told her.\n\n"Bo, you came back," Ana said.\n')
    first, second = quote_features(a)
    assert dict(first)["bo"].get("addressed-next") == 1.0
    assert "addressed-next" not in dict(first).get("ana", {})
    assert not any("addressed-next" in f for _, f in second)      # no line after it


def test_the_learned_combination_lets_a_rule_stand_or_gives_the_quote_to_the_scorer():
    from sitegen.dialogue.salience import Vote
    from sitegen.dialogue.scorer import combination, rule_decides
    cands = [("ana", {"rule:subject-after": 1.0}), ("bo", {"name_paragraph": 1.0})]
    weights = {"rule:subject-after": 0.5, "name_paragraph": 2.0}
    vote = Vote("ana", 0.6, "subject-after")
    x = combination(cands, weights, vote)
    assert x["rule:subject-after"] == 1.0 and x["margin"] == -1.5 and 0.5 < x["top"] < 1
    trust = {"bias": 0.0, "rule:subject-after": 3.0, "margin": 1.0}
    assert rule_decides(cands, weights, trust, vote, alone=())            # 3 - 1.5 > 0: the rule stands
    assert not rule_decides(cands, weights, {**trust, "rule:subject-after": 1.0}, vote, alone=())
    agree = Vote("bo", 0.6, "subject-after")                               # where they agree: the alone list
    assert rule_decides(cands, weights, trust, agree, alone=("subject-after",))
    assert not rule_decides(cands, weights, trust, agree, alone=())
    assert not rule_decides(cands, weights, trust, Vote(None, 0.0, "none"), alone=("none",))
