"""Author's notes: every form authors write them in, the asides that stay in the story, sidenote markup."""
import json
import re
from pathlib import Path

import pytest

from sitegen.model import SourceText
from sitegen.stages.notes import find_notes, prose_cut
from sitegen.text.paragraphs import split_paragraphs
from sitegen.render.sidenotes import sidenote_html

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "content" / "change-of-plans" / "change-of-plans.txt"
GOLD = REPO.parent / "shared" / "seed" / "change-of-plans.structure.gold.json"
NOTES_CSS = REPO / "themes" / "default" / "static" / "notes.css"


def notes_of(text: str, chapter_file: bool = False):
    src = SourceText.from_text(Path("story.txt"), text)
    return find_notes(src, split_paragraphs(text), is_chapter_file=chapter_file)


def note_texts(text: str, chapter_file: bool = False) -> list[str]:
    return [n.text for n in notes_of(text, chapter_file).notes]


STORY = "Sakura walked to the gate. The guards watched her pass, and neither said a word."


# ---------------------------------------------------------------- labelled notes

@pytest.mark.parametrize("label", ["A/N:", "AN:", "A/N -", "Author's note:", "Author's Notes:", "a/n:",
                                   "Authors note -", "**A/N:**", "Disclaimer:"])
def test_labelled_paragraph_is_a_note_and_leaves_the_prose(label):
    text = f"{STORY}\n\n{label} thanks for all the reviews, you guys are great\n\n{STORY}"
    result = notes_of(text)
    assert [n.text for n in result.notes] == [f"{label} thanks for all the reviews, you guys are great"]
    assert result.notes[0].kind == "inline"
    assert len(result.paragraphs) == 2
    note = result.notes[0]
    assert text[note.start:note.end] == note.text


def test_a_word_that_merely_starts_like_a_label_is_prose():
    assert note_texts(f"An old man sat by the road.\n\nANBU: the word on the mask.\n\n{STORY}") == []


def test_labelled_line_at_the_end_of_a_paragraph_is_trimmed_off_it():
    text = f"{STORY}\nA/N: short chapter, sorry!\n\n{STORY}"
    result = notes_of(text)
    assert [n.text for n in result.notes] == ["A/N: short chapter, sorry!"]
    s, e = result.paragraphs[0]
    assert text[s:e] == STORY


def test_bracketed_notes_anywhere():
    text = (f"She ran. [A/N: this is where it gets good] Then she stopped. (A/N: I know, I know) "
            f"The end [AN - more soon].")
    assert note_texts(text) == ["[A/N: this is where it gets good]", "(A/N: I know, I know)", "[AN - more soon]"]
    assert len(notes_of(text).paragraphs) == 1


def test_chapter_file_notes_at_start_and_end():
    text = (f"A/N: Here's chapter two! Thanks for reading.\n\n{STORY}\n\nA/N: mid-chapter note\n\n"
            f"{STORY} (lol sorry)\n\nAuthor's Notes: please review!\n\nA/N: next chapter soon")
    result = notes_of(text, chapter_file=True)
    kinds = [(n.kind, n.text[:12]) for n in result.notes]
    assert kinds == [("chapter-start", "A/N: Here's "), ("inline", "A/N: mid-cha"), ("inline", "(lol sorry)"),
                     ("chapter-end", "Author's Not"), ("chapter-end", "A/N: next ch")]
    assert len(result.paragraphs) == 2


def test_outside_a_chapter_file_every_note_is_inline():
    text = f"A/N: hi all\n\n{STORY}\n\nA/N: bye"
    assert {n.kind for n in notes_of(text).notes} == {"inline"}


def test_unclosed_labelled_bracket_is_reported_and_left_in_the_prose():
    text = f"{STORY} (A/N: I forgot to close this"
    result = notes_of(text)
    assert result.notes == ()
    assert len(result.diagnostics) == 1
    d = result.diagnostics[0]
    assert "never closes" in d.message and d.hint and d.location.line == 1


# ---------------------------------------------------------------- the author's voice

@pytest.mark.parametrize("aside", [
    "(lol)",
    "(sorry this chapter is so short)",
    "(I know, I know :) )",
    "(OMG!!!)",
    "(don't worry, it gets better xD)",
    "(I couldn't resist)",
    "(yes this is OOC but it's my fic)",
    "(WOOOOOOOOW she is so smart lol)",
])
def test_author_asides_are_notes(aside):
    text = f"Naruto looked at the bridge {aside} and sighed. {STORY}"
    assert note_texts(text) == [aside]


@pytest.mark.parametrize("aside", [
    "(or so he thought)",
    "(the third this week)",
    "(he had been gone since March)",
    "(her mother's, once)",
    "(!)",
    "(see above)",
])
def test_story_parentheticals_stay(aside):
    text = f"Naruto looked at the bridge {aside} and sighed. {STORY}"
    assert note_texts(text) == []


def test_parenthetical_inside_dialogue_stays_whatever_it_says():
    text = '"I hate him (not really, lol I\'m sorry)," she said. \'Why me (again)?\' she thought.'
    assert note_texts(text) == []


def test_standalone_aside_in_the_present_tense_after_past_tense_prose_is_a_note():
    text = ("Naruto yelled as he remembered their last mission. (its not his fault that he didn't "
            "realize that she was fine)")
    assert len(note_texts(text)) == 1


def test_first_person_story_keeps_first_person_asides():
    text = ("I walked to the gate. I had waited all day and my feet hurt. I was tired, and I knew "
            "it. I sat on the bench (I had sat there before) and waited for him. I watched the road.")
    assert note_texts(text) == []


def test_a_letter_in_the_story_is_not_a_note():
    text = f"{STORY}\n\nSorry to leave like that, but my teammates are in trouble. : )\n\n{STORY}"
    assert note_texts(text) == []


# ---------------------------------------------------------------- the author's own markers

def test_keep_marker_keeps_the_aside_and_hides_the_marker():
    text = "She paused (! I'm so sorry lol, this stays) and ran on."
    result = notes_of(text)
    assert result.notes == ()
    assert [text[s:e] for s, e in result.hidden] == ["! "]


def test_note_marker_makes_a_note_and_drops_the_marker_from_its_text():
    text = "She paused (^ the third time this week) and ran on."
    result = notes_of(text)
    assert [n.text for n in result.notes] == ["(the third time this week)"]
    n = result.notes[0]
    assert text[n.start:n.end] == "(^ the third time this week)"
    assert result.hidden == ()


# ---------------------------------------------------------------- the sample fic

def test_sample_has_exactly_its_three_inline_notes():
    text = SAMPLE.read_text(encoding="utf-8")
    result = notes_of(text)
    assert [n.text for n in result.notes] == [
        "(its not his fault that he didn't realize that she was fine, and just wanted Sasuke to kiss her)",
        "(I'm sorry but I don't want to relive the whole episode)",
        "(WOOOOOOOOW she is so smart lol)",
    ]
    assert {n.kind for n in result.notes} == {"inline"}
    assert len(result.paragraphs) == len(split_paragraphs(text))     # no paragraph was wholly a note


@pytest.mark.skipif(not GOLD.is_file(), reason="needs ../shared/seed (the gold structure)")
def test_sample_note_offsets_match_the_gold():
    gold = [(n["start"], n["end"]) for n in json.loads(GOLD.read_text())["author_notes"] if n["kind"] == "inline"]
    result = notes_of(SAMPLE.read_text(encoding="utf-8"))
    assert [(n.start, n.end) for n in result.notes] == gold


# ---------------------------------------------------------------- helpers for the renderer

def cut(text: str, note: str) -> str:
    s = text.index(note)
    a, b = prose_cut(text, s, s + len(note))
    return text[:a] + text[b:]


@pytest.mark.parametrize("text, note, left", [
    ("only one-way out (lol) and quickly", "(lol)", "only one-way out and quickly"),
    ("planning to leave. (sorry) She knows", "(sorry)", "planning to leave. She knows"),
    ("to the bridge (lol).", "(lol)", "to the bridge."),
    ("(lol) Then she ran.", "(lol)", "Then she ran."),
    ("A\n(lol) Then she ran.", "(lol)", "A\nThen she ran."),
    ("mouth-to-mouth. (its not his fault)", "(its not his fault)", "mouth-to-mouth."),
    ("word(lol)word", "(lol)", "wordword"),
])
def test_prose_cut_leaves_clean_prose(text, note, left):
    assert cut(text, note) == left


# ---------------------------------------------------------------- sidenote markup

def test_sidenote_works_without_javascript():
    html = sidenote_html(3, "so &lt;smart&gt; lol", "ch1-sn-3")
    assert "<script" not in html
    label = re.search(r'<label for="([^"]+)"', html)
    box = re.search(r'<input type="checkbox" id="([^"]+)"', html)
    assert label and box and label.group(1) == box.group(1) == "ch1-sn-3"
    # the note follows its checkbox directly, so `.margin-toggle:checked + .sidenote` can open it
    assert re.search(r'class="margin-toggle"><span class="sidenote"', html)
    assert ">3</label>" in html and "so &lt;smart&gt; lol" in html
    assert "<div" not in html and "<p" not in html          # phrasing content: valid inside <p>


def test_sidenote_id_must_be_a_safe_id():
    with pytest.raises(ValueError):
        sidenote_html(1, "x", 'a" onclick="x')


def test_notes_css_hides_notes_on_request_and_handles_phones_and_dark_mode():
    css = NOTES_CSS.read_text(encoding="utf-8")
    for selector in (":root:has(#hide-notes:checked) main .sidenote", ":root:has(#hide-notes:checked) main .sidenote-number",
                     ":root:has(#hide-notes:checked) main .work-notes", ".margin-toggle:checked + .sidenote",
                     "aside.work-notes"):
        assert selector in css
    assert "prefers-color-scheme: dark" in css and "max-width" in css


# ---------------------------------------------------------------- the fast scanners match the plain ones

def _plain_bracket_spans(text, start, end):
    """The character-by-character bracket scanner the regex-driven bracket_spans replaced."""
    from sitegen.text.spans import is_emoticon_bracket
    spans, stack = [], []
    for i in range(start, end):
        c = text[i]
        if is_emoticon_bracket(text, i):
            continue
        if c in "([":
            stack.append((c, i))
        elif stack and c == {"(": ")", "[": "]"}[stack[-1][0]]:
            _, s = stack.pop()
            if not stack:
                spans.append((s, i + 1))
        elif c in ")]":
            stack.clear()
    return spans


def test_bracket_scanner_matches_the_plain_character_scanner():
    import random
    from sitegen.text.spans import bracket_spans
    rnd = random.Random(11)
    alphabet = "ab I:;=-()[]\"'\u2018\u2019\u201c\u201d.,!?\u2026\u2014 \n_^xD3P"
    for _ in range(20000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 24)))
        start = rnd.randint(0, len(text))
        end = rnd.randint(start, len(text))
        assert bracket_spans(text, start, end) == _plain_bracket_spans(text, start, end), (text, start, end)


def test_notes_see_the_quotes_the_dialogue_engine_sees():
    """One quote scanner: the notes' quotations are the dialogue engine's spans (apostrophes, « », broken marks)."""
    from sitegen.text.spans import pair_marks, quote_spans
    for text in ['He said "hi (lol)" and left.', "Sakura's 'bright' (sorry) idea", "\u00abAllons (vite)\u00bb dit-il.",
                 '"Run, she said (ok)', 'x "a" y \'b\' z']:
        spans, _ = pair_marks(text, 0, 0, None)
        assert quote_spans(text) == [(s.start, s.end) for s in spans] != []
    assert quote_spans("\u00abAllons (vite)\u00bb dit-il.") == [(0, 15)]


def test_first_person_regex_matches_the_plain_word_boundary_form():
    import random
    from sitegen.stages.notes import FIRST_PERSON
    plain = re.compile(r"\b(?:I|I'm|I've|I'd|I'll|me|my|mine|myself)\b|\bI\u2019[a-z]+\b")
    rnd = random.Random(12)
    for _ in range(20000):
        text = "".join(rnd.choice("Imeyinslf'\u2019 a_.-\n\u00e9") for _ in range(rnd.randint(0, 14)))
        assert [m.span() for m in FIRST_PERSON.finditer(text)] == [m.span() for m in plain.finditer(text)], text


def test_emoticons_and_first_person_counts_survive_the_fast_path():
    # a smiley's bracket is not a parenthetical; a first-person story keeps its first-person asides
    assert note_texts("She left :) and came back (or so he thought).") == []
    first_person = "I walked to the gate. I saw my friend there (I never liked him) and I waved."
    assert note_texts(first_person) == []
    assert note_texts("Sakura walked to the gate. She saw him there (I never liked him) and waved.") \
        == ["(I never liked him)"]


def test_notes_after_a_heading_or_before_the_next_are_chapter_notes(tmp_path):
    from sitegen.build import analyse_work
    from sitegen.load.files import load_work
    story = ("Title\n\nChapter 1\n\nA/N: thanks for the reviews!\n\nShe ran.\n\nA/N: more soon, please review!\n\n"
             "Chapter 2\n\nHe walked.\n")
    (tmp_path / "content" / "w").mkdir(parents=True)
    (tmp_path / "content" / "w" / "story.txt").write_text(story, encoding="utf-8")
    work = analyse_work(load_work(tmp_path / "content" / "w", tmp_path))
    assert [n.kind for n in work.notes] == ["chapter-start", "chapter-end"]
