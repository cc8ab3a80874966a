"""The quick ways the engine finds things answer exactly as the plain regex they stand for would.

Each speed-up of the dialogue engine keeps its results: these tests put the quick form beside the
plain one (written here only, as the definition) on texts made to hit the edge cases: overlapping
places, names that are parts of others, a name shared by two characters, lists, line breaks.
"""
from __future__ import annotations

import bisect
import re
from unittest import mock
from collections import Counter

from hypothesis import given, settings, strategies as st

from sitegen.dialogue.describe import (_ODD_FOLDS, Described, _Around, _by_apposition, _by_title, _in_any_case,
                                       _singular, find_any_case)
from sitegen.dialogue.marks import _ITALIC, Span
from sitegen.dialogue.discover import (_PAIR, _SHE_WORDS, _alone, _before, _full_names, _may_address, _word_counts,
                                       she_share)
from sitegen.dialogue.wordindex import WordPlaces, find_forms, form_ends, word_places
from sitegen.dialogue.tags import (_BY_AGENT, _tag_before, _vocatives, _clause_starts, sentence_bounds, _BY_SAYING, _PASSIVE, _PREPOSITION_END, _VOC_NAME, _VOCATIVES,
                                   _WITH_END, _after_subordinator, _in_subject_place, _is_common_word,
                                   _lead_in_shape)
from sitegen.model import Character
from sitegen.text.names import HONORIFICS, forms_pattern, TITLES, _I, _scanner, _variants, not_after, trie_regex
from sitegen.dialogue.features import _WholeReading, _subjects
from sitegen.dialogue.salience import after_preposition
from sitegen.text.names import Mention
from sitegen.text.spans import _classify, _paired_in_turn, _walk
from sitegen.text.sentences import ABBREVIATIONS, CLOSERS, _abbreviation, _ends, _longest, sentence_ends, sentence_starts

CAST = [Character(id="dana", name="Dana Reyes", pronouns="she"),
        Character(id="bo", name="Bo", aliases=("Mr. Bo",), pronouns="he"),
        Character(id="cole", name="Cole Reyes", pronouns="he"),        # shares "Reyes" with Dana
        Character(id="kit", name="Kit", aliases=("Kitty",), pronouns="she")]
PIECES = ["Dana", "Reyes", "Dana Reyes", "Bo", "Mr. Bo", "Kit", "Kitty", "Cole", "the", "his", "new", "old",
          "guard", "guards", "receptionist", "and", "said", "waves", "Then", ", ", ",", " ", "  ", "\n", ".",
          "x", "mother guard,", "xthe receptionist,"]


def plain_apposition(d: Described, cast, text: str):
    """The definition: one search per character."""
    noun = r"(?:the|his|her|their|my)\s+(?:[a-z][\w-]*\s+){0,2}%s" % re.escape(d.head)
    found = set()
    for c in cast:
        names = "|".join(re.escape(n) for n in sorted({c.name, *c.aliases, *c.name.split()}, key=len, reverse=True)
                         if n[:1].isupper())
        if names and re.search(r"\b(?:%s),\s+%s,\s+(?!and\b)[a-z]|\b%s,\s+(?:%s),\s+(?!and\b)[a-z]"
                               % (names, noun, noun, names), text):
            found.add(c.id)
    return found.pop() if len(found) == 1 else None


def test_apposition_examples():
    guard = Described("the guard", "guard", 3)
    assert _by_apposition(guard, CAST, "Bo, the guard, waves.") == "bo"
    assert _by_apposition(guard, CAST, "The guard, Kit, said so.") is None          # "The": no determiner
    assert _by_apposition(guard, CAST, "Then the guard, Kit, said so.") == "kit"
    assert _by_apposition(guard, CAST, "Then the old guard, Kitty, said so.") == "kit"
    assert _by_apposition(guard, CAST, "Reyes, the guard, said so.") is None        # Dana or Cole
    assert _by_apposition(guard, CAST, "the guard, Bo, and Kit") is None            # a list
    assert _by_apposition(guard, CAST, "Bo, the guard, Kit, the guard, said") == "kit"   # overlapping
    assert _by_apposition(guard, CAST, "Bo, the guard,\n  said it.") == "bo"
    assert _by_apposition(guard, CAST, "The mother guard, Kit, said so.") is None   # "her" inside a word
    assert _by_apposition(guard, CAST, "Then the guard,Kit, said so.") is None      # no space after the comma


def test_apposition_examples_from_the_word_index():
    guard = Described("the guard", "guard", 3)
    for text in ("Bo, the guard, waves.", "Then the old guard, Kitty, said so.", "Reyes, the guard, said so.",
                 "Bo, the guard, Kit, the guard, said", "The mother guard, Kit, said so.",
                 "Then the guard,Kit, said so.", "Then the rearguard, Kit, said so."):
        assert _by_apposition(guard, CAST, text, WordPlaces(text)) == _by_apposition(guard, CAST, text)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=24), st.sampled_from(["guard", "receptionist"]))
def test_apposition_is_the_plain_search(pieces, head):
    """Scanned for its noun, or found at the noun's places in the word index."""
    text = " ".join(pieces).replace(" ,", ",")
    d = Described("the " + head, head, 2)
    plain = plain_apposition(d, CAST, text)
    assert _by_apposition(d, CAST, text) == plain
    assert _by_apposition(d, CAST, text, WordPlaces(text)) == plain


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab-'_ .\n\u00e9", max_size=30), st.sampled_from(["ab", "a", "b-a", ".a", "\u00e9b"]),
       st.sampled_from([r"\w", r"[\w-]", r"[\w'-]"]))
def test_not_after_is_the_lookbehind(text, form, edge):
    quick, plain = not_after(edge, re.escape(form)), f"(?<!{edge}){re.escape(form)}"
    assert [m.span() for m in re.finditer(quick, text)] == [m.span() for m in re.finditer(plain, text)]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="HPaob _'\u2019\n\t-\u00e9", max_size=40))
def test_full_name_pairs_are_the_plain_search(text):
    plain = re.compile(r"\b([A-Z][a-z][\w'-]*)(?:[ \t]+\n?|\n)[ \t]*([A-Z][a-z][\w'\u2019-]*)\b")
    assert [m.groups() for m in _PAIR.finditer(text)] == [m.groups() for m in plain.finditer(text)]


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=".!?\u2026;\"'\u201d\u2019\u00bb) \n\taA", max_size=30), st.booleans(), st.booleans(),
       st.booleans(), st.integers(0, 30), st.integers(0, 30))
def test_sentence_ends_pattern_is_the_plain_one(text, lines, blank_lines, clauses, a, b):
    end = r"[.!?\u2026;]+" if clauses else r"[.!?\u2026]+"
    plain = "|".join([end + r"[\"'\u201d\u2019\u00bb)]*(?=\s|$)"] + ([r"\n"] if lines else [r"\n[ \t]*\n"] if blank_lines
                                                                   else []))
    lo, hi = min(a, b), max(a, b)
    quick = _ends(lines, blank_lines, clauses)
    assert [m.span() for m in quick.finditer(text, lo, hi)] == [m.span() for m in re.compile(plain).finditer(text, lo, hi)]


def plain_scanner(forms: dict, lower: dict) -> re.Pattern:
    """The definition of the name index's pattern: the checks before the forms, then the forms."""
    table = {}
    for form, ids in [*forms.items(), *lower.items()]:
        for variant in _variants(form):
            table.setdefault(variant, tuple(ids))
    plain = [f for f in table if f not in TITLES]
    titles = [f for f in table if f in TITLES]
    alternatives = [trie_regex(plain)] if plain else []
    if titles:
        alternatives.append("(?:%s)(?![ \t]*\n?[ \t]*[A-Z])" % "|".join(map(re.escape, titles)))
    body = "|".join(alternatives) or "(?!)"
    return re.compile(r"(?<![\w'\u2019])(?<!\w-)(?P<form>%s)(?:-%s)?(?P<pos>['\u2019]s?)?(?![\w]|-\w)"
                      % (body, HONORIFICS), re.M)


FORM_PIECES = ["Ana", "Ana-Maria", "Bo", "Sir", "Lady", "the count", "Mr. Bo", "O'Hara", ".Dot", " Ana", "-x",
               "an", "McBo", "van Dyke"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(FORM_PIECES), min_size=0, max_size=5, unique=True),
       st.text(alphabet="AnaBoSirLdy'\u2019- .\n\tcuMrOHDk", max_size=40))
def test_name_index_pattern_is_the_plain_one(forms, text):
    upper = {f: ["x"] for f in forms if not f[:1].islower()}
    lower = {f: ["y"] for f in forms if f[:1].islower()}
    quick, _ = _scanner(upper, lower)
    plain = plain_scanner(upper, lower)
    assert [(m.span(), m.group("form"), m.group("pos")) for m in quick.finditer(text)] == \
        [(m.span(), m.group("form"), m.group("pos")) for m in plain.finditer(text)]


@given(st.text(alphabet="I aI\n_.\u00e9", max_size=20))
def test_first_person_i_is_the_plain_search(text):
    assert [m.span() for m in _I.finditer(text)] == [m.span() for m in re.finditer(r"\bI\b", text)]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["you", "me", "up", "there", "too", "so", "Ana", "Bo", ",", "!", " ", "  ", "xyou",
                                 "you-", "here", "Mr.", "\n", "?"]), max_size=12))
def test_vocative_after_a_word_is_the_plain_search(pieces):
    text = "".join(pieces)
    plain = re.compile(r"\b(?:you|me|up|now|please|here|there|so|too)\s+" + _VOC_NAME + r"\s*[,!?]")
    assert [m.span("name") for m in _VOCATIVES[3].finditer(text)] == [m.span("name") for m in plain.finditer(text)]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["the guard", "his dad", "my aunt", "our host", "your man", "a-z", "sir"]),
       st.lists(st.sampled_from(["the", "The", "THE", "tHe", "guard", "Guard", "guards", "guard's", "guard\u2019s",
                                 "his", "HIS", "dad", "my", "aunt", "our", "host", "your", "man", "a-z", "sir",
                                 "\u017fir", " ", "  ", "x", "_", "-", "\n", "'"]), max_size=14))
def test_description_in_any_case_is_the_plain_search(form, pieces):
    text = "".join(pieces)
    plain = re.compile(r"\b%s(?:s|['\u2019]s)?\b" % re.escape(form), re.I)
    assert [m.span() for m in _in_any_case(form).finditer(text)] == [m.span() for m in plain.finditer(text)]



@settings(max_examples=400, deadline=None)
@given(st.sampled_from(["the guard", "his dad", "my aunt", "the kid", "the inn keeper", "sir", "an idiot", "the 2nd man",
                        "a-z", "the sea", "her sister"]),
       st.lists(st.sampled_from(["the", "The", "THE", "tHe", "guard", "Guard", "guards", "guard's", "guard\u2019s",
                                 "guard\u017f", "his", "HIS", "dad", "my", "aunt", "kid", "\u212aid", "KID", "inn",
                                 "\u0130nn", "\u0131nn", "keeper", "sir", "\u017fir", "Sir", "an", "idiot", "2nd",
                                 "man", "sea", "Sea", "her", "sister", "Sisters", "a-z", " ", "  ", "x", "_", "-",
                                 "\n", "'", "the \u212aid", "THE KIDS", "her \u017fister", "the \u0131nn keeper",
                                 "the \u0130NN keeper", "the guard\u017f", "his dad's", "an Idiot", "The 2ND man", "Sir",
                                 "\u017fir", "the sea", "thE gUard"]), max_size=16))
def test_descriptions_found_by_their_last_word_are_the_scan(form, pieces):
    text = "".join(pieces)
    found = find_any_case(text, form, WordPlaces(text))
    assert [m.span() for m in found] == [m.span() for m in _in_any_case(form).finditer(text)]


def test_only_the_odd_folds_fold_to_an_ascii_letter():
    letter = re.compile("(?i)[a-z]")
    assert [c for c in map(chr, range(0x80, 0x110000)) if letter.fullmatch(c)] == list(_ODD_FOLDS)

NAME_PIECES = ["Ana", "Anabel", "Ana Reyes", "Reyes", "Reyes Ana", "Ana Ana", "dad", "his", "his his dad", "Mr",
               "Mr.", "Mr. Bo", "Bo", "xAna", "Ana-Maria", "the", "The", "his dad", "\u00c9mile", " ", "  ", "\n", ",", ".", "'", "_", "9", "-"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["Ana", "Ana Reyes", "Reyes", "Mr. Bo", "Bo", "his dad", "\u00c9mile", "'Bo", "",
                                 "Ana Ana", "Reyes Ana", "his his dad", "Mr. Reyes Bo"]),
                min_size=1, max_size=3),
       st.lists(st.sampled_from(NAME_PIECES), max_size=16))
def test_forms_found_by_their_first_words_are_the_plain_search(forms, pieces):
    text = "".join(pieces)
    plain = [m.span() for m in forms_pattern(tuple(forms), loose_spaces=True).finditer(text)]
    assert [m.span() for m in find_forms(text, tuple(forms))] == plain


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["Ana", "Reyes", "Bo", "\u00c9mile", "Mr", "O'Neil"]), min_size=1, max_size=3),
       st.lists(st.sampled_from([*NAME_PIECES, "ana", "reyes", "bo", "\u00e9mile", "mr", "o'neil", "O'Neil"]),
                max_size=16))
def test_word_counts_are_the_plain_searches(words, pieces):
    text = "".join(pieces)
    plain = {w: (len(re.findall(r"\b%s\b" % re.escape(w.lower()), text)),
                 len(re.findall(r"[\w,;]\s+%s\b" % re.escape(w), text))) for w in words}
    assert _word_counts(text, words) == plain
    with mock.patch("sitegen.dialogue.discover.SEARCH_BELOW", 0):    # as in a long text: no search first
        word_places.cache_clear()
        assert _word_counts(text, words) == plain


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["she", "She", "SHE", "\u017fhe", "her", "HER", "herself", "hers", "he", "He", "his",
                                 "him", "himself", "hims", "x", "the", "_", "9", " ", ".", "\u0130", "\u212a", "s",
                                 "h"]), max_size=12))
def test_she_words_are_the_plain_search(pieces):
    text = "".join(pieces)
    plain = re.compile(r"\b(?:(she|her|herself)|he|his|him|himself)\b", re.I)
    quick = [(m.span(), bool(m.group(1) or m.group(2))) for m in _SHE_WORDS.finditer(text)]
    assert quick == [(m.span(), bool(m.group(1))) for m in plain.finditer(text)]


SENTENCE_PIECES = ["Mr.", " ", "Bo", "bo", ".", "!", "?", "\u2026", ";", '"', "'", "\u201d", ")", "\n", "\n\n", "\t", "Mrs", "Dr",
                   "etc", "Prof", "xMr", "Nos", "U.S", "\u00c9", "9",
                   "e.g.", "I.", "J.", ", ", "to "]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(SENTENCE_PIECES), max_size=24), st.booleans(), st.booleans(), st.booleans(),
       st.integers(0, 80), st.integers(0, 80), st.integers(0, 80))
def test_sentence_starts_since_are_those_of_the_whole_reading(pieces, lines, blank_lines, clauses, a, b, since):
    text = "".join(pieces)
    lo, hi = min(a, b, len(text)), min(max(a, b), len(text))
    how = {"lines": lines, "blank_lines": blank_lines, "clauses": clauses}
    plain = [s for s in sentence_starts(text, lo, hi, **how) if s >= since]
    assert sentence_starts(text, lo, hi, since=since, **how) == plain


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(SENTENCE_PIECES), max_size=24), st.sets(st.integers(0, 80), max_size=6),
       st.integers(0, 80), st.integers(0, 80))
def test_subjects_from_the_sentences_between_the_mentions_are_those_of_the_window(pieces, places, a, b):
    text = "".join(pieces)
    lo, pos = min(a, b, len(text)), min(max(a, b), len(text))
    hits = [Mention(i, i + 1, ("x",), possessive=i % 5 == 0) for i in sorted(places) if lo <= i < pos]
    starts, seen, plain = [lo, *sentence_starts(text, lo, pos)], set(), []
    for m in hits:                                 # the definition: text[lo:pos]'s own sentences
        sid = bisect.bisect_right(starts, m.start)
        plain.append(sid not in seen and not m.possessive and not after_preposition(text, m.start))
        seen.add(sid)
    assert _subjects(text, hits, lo, pos) == plain
    assert _subjects(text, hits, lo, pos, _WholeReading(text)) == plain     # the whole text read once


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(SENTENCE_PIECES), max_size=24), st.booleans(), st.booleans(), st.booleans(),
       st.sampled_from([ABBREVIATIONS, frozenset()]))
def test_sentence_ends_are_the_plain_reading(pieces, lines, blank_lines, clauses, abbreviations):
    text = "".join(pieces)
    longest = _longest(abbreviations)
    plain = [m.end() for m in _ends(lines, blank_lines, clauses).finditer(text)      # the definition
             if not (m.group().rstrip(CLOSERS) == "." and _abbreviation(text, m.start(), abbreviations, longest))]
    assert sentence_ends(text, lines=lines, blank_lines=blank_lines, clauses=clauses,
                         abbreviations=abbreviations) == plain


def plain_lead_in_shape(clause: str):
    """The definition: each lead-in pattern searched for over the whole clause's end."""
    if clause.rstrip()[-1:] not in (",", ":", "-", "\u2014", "\u2013"):
        return None
    start = max(0, len(clause) - 200)
    start = clause.find(" ", start) + 1 if start else 0
    m = _BY_AGENT.search(clause, start)
    if m and not _is_common_word(m.group("subj")):
        return m
    for pattern in (_WITH_END, _BY_SAYING):
        m = pattern.search(clause, start)
        while m and not (_in_subject_place(clause, m.start("subj")) or _after_subordinator(clause, m.start("subj"))):
            space = clause.find(" ", m.start("subj"), m.start("verb"))
            m = pattern.search(clause, space + 1) if space >= 0 else None
        if m and not _is_common_word(m.group("subj")) and not _PASSIVE.search(clause, 0, m.start("verb")) \
                and not _PREPOSITION_END.search(clause, 0, m.start("subj")):
            return m
    return None


LEAD_IN_PIECES = ["Mr. Weston", "Bo", "she", "He", "accosted", "startled", "her", "him", "with", "by", "saying",
                  "said", "went on", "replying", "then", ",", ":", "\u2014", "-", " ", "  ", "\n", ".", "and", "was"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(LEAD_IN_PIECES), max_size=14))
def test_lead_in_shapes_found_after_their_ends_are_the_plain_search(pieces):
    clause = " ".join(pieces)
    got, want = _lead_in_shape(clause), plain_lead_in_shape(clause)
    assert (got and (got.re, got.span(), got.span("subj"))) == (want and (want.re, want.span(), want.span("subj")))


MARK_PIECES = ['"', '"', "\u201c", "\u201d", "'", "\u2018", "\u2019", "\u00ab", "\u00bb", "Bo", "don't", "said", " ",
               " ", ",", ".", "?", "...", "\n", "-", "*", "x y", '"Yes," ', "\u201cNo.\u201d ", '"..." ', "\u201c \u201d",
               "\u2018Hm,\u2019 ", "'90s "]


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(MARK_PIECES), max_size=16), st.sampled_from(["", "G", "R"]))
def test_marks_paired_in_turn_are_the_walk(pieces, style):
    text = "".join(pieces)
    marks = _classify(text, style)
    quick = _paired_in_turn(text, *marks)
    if quick is not None:
        assert quick == _walk(text, *marks)


BEAT_PIECES = ["Mr.", "Mr", "Dr.", "J.", "I.", "he", "She", "said", ".", "!", "?", "...", ";", ",", " ", "  ", "\n",
               "\n\n", '"', "'", "\u201d", ")", "e.g.", "x", "St.", "\u2026", "--", "\u2014", "word " * 40]


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(BEAT_PIECES), max_size=40), st.integers(0, 2000), st.integers(0, 2000), st.booleans())
def test_the_sentence_sentence_bounds_finds_has_no_later_clause(pieces, a, b, last):
    """beat_subjects reads the whole of sentence_bounds' sentence: no clause in it starts after its first."""
    text = "".join(pieces)
    a, b = sorted((min(a, len(text)), min(b, len(text))))
    s, e = sentence_bounds(text, a, b, last)
    assert _clause_starts(text[s:e]) == []


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(["*", "_", "**", "__", "a", "Run", " ", "\n", ".", "x_y", "*a*", "_b_"]), max_size=16),
       st.integers(0, 8))
def test_italics_found_from_their_marks_are_the_plain_search(pieces, pos):
    text = "".join(pieces)
    plain = re.compile(r"(?<![\w*])\*(?=\S)[^*\n]+?(?<=\S)\*(?![\w*])|(?<![\w_])_(?=\S)[^_\n]+?(?<=\S)_(?![\w_])")
    assert [m.span() for m in _ITALIC.finditer(text, pos)] == [m.span() for m in plain.finditer(text, pos)]


TITLE_PIECES = ["Sheriff", "Sheriff.", "sheriff", "SHERIFF", "xSheriff", "Sheriff-", "Sheriffs", "Bo", "Reyes", "Kit",
                "Dana", "Cole", "Mr.", " ", "  ", "\n", ",", ".", "'", "-", "_", "the", "The", "Sheriff Bo", "Sheriff. Kit",
                "Sheriff\nReyes", "xSheriff Dana", "Sheriff Sheriff Cole"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(TITLE_PIECES), max_size=16), st.sampled_from(["sheriff", "step-sheriff"]))
def test_titles_found_at_the_words_places_are_the_scan(pieces, head):
    text = "".join(pieces)
    d = Described("the " + head, head, 2)
    assert _by_title(d, CAST, text, WordPlaces(text)) == _by_title(d, CAST, text)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["The", "the", "THE", "guard", "old", "guards", "His", "dad", "Guard", "x", "xThe",
                                 " ", "  ", "\n", ".", ". ", "\"", "waves", "Waves", "_", "-", "The guard waves",
                                 "The old guard waves", "His dad\nwaves", "The step-dad waves", "The guard",
                                 "The guard Waves"]), max_size=16),
       st.sampled_from(["the guard", "the old guard", "his dad", "the step-dad"]), st.integers(0, 3))
def test_a_description_acting_is_counted_at_its_last_words_places(pieces, form, tags):
    text = "".join(pieces)
    d = Described(form, form.split()[-1], tags)
    assert _Around(text, [], WordPlaces(text)).acts(d) == _Around(text, []).acts(d)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["guard", "Guard", "GUARD", "guards", "gUard", "xguard", "guard_", "\u212aid", "kid",
                                 "kids", "\u017fea", "seas", "sea", " ", "\n", "-", "'", "."]), max_size=10),
       st.sampled_from(["guards", "kids", "seas", "step-dads", "bus"]))
def test_singulars_found_in_the_word_index_are_the_search(pieces, word):
    text = "".join(pieces)
    assert _singular(word, text, WordPlaces(text)) == _singular(word, text)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["she", "She", "SHE", "\u017fhe", "her", "HER", "herself", "hers", "he", "He", "his",
                                 "him", "himself", "hims", "x", "the", "_", "9", " ", ".", "\u0130", "\u212a", "s",
                                 "h", "h\u0131s", "\u017fHE"]), max_size=12))
def test_the_she_share_from_the_word_index_is_the_plain_count(pieces):
    text = "".join(pieces)
    plain = [bool(m.group(1)) for m in re.finditer(r"\b(?:(she|her|herself)|he|his|him|himself)\b", text, re.I)]
    assert she_share(text) == (sum(plain) / len(plain) if plain else 0.5)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["Derek", "derek", "Dereks", "xDerek", "Derek-", "-Derek", "'Derek", "Derek'",
                                 "Derek's", "O'Neil", "'", "-", " ", "\n", "_", "9"]), max_size=12),
       st.sampled_from(["Derek", "O'Neil"]))
def test_a_name_counted_alone_from_the_word_index_is_the_plain_count(pieces, name):
    text = "".join(pieces)
    assert _alone(text, name) == len(re.findall(r"(?<![\w'-])%s(?![\w-])" % re.escape(name), text))


TAG_PIECES = ["Mr. Bell", "Bo", "she", "He", "the Gryphon", "his voice", "her reply", "said", "replied", "went on",
              "began", "and", "gave him time to", "say", "accosted", "by", "with", "was", "heard", "smiling", "who",
              ",", ":", ";", ".", "!", "?", "\u2026", "--", "\u2014", "-", '"', "'", "\u201d", "\u2019", ")", " ",
              "  ", "\n", "\n\n", "Mr.", "J."]


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(TAG_PIECES), max_size=12), st.booleans(),
       st.sampled_from([".", "!", "?", "\u2026", ";", ",", ":", '."', "?\u201d", "!'", ".)", "", "\u2014"]),
       st.sampled_from(["", " ", "\n\n", " \n\n  "]))
def test_narration_ending_a_sentence_has_no_tag_before(pieces, spaced, end, space):
    """discover._before answers as tags._tag_before: its quick answer (no tag after a sentence's
    end) is what the patterns find."""
    seg = (" " if spaced else "").join(pieces) + end + space
    _tag_before.cache_clear()
    assert _before(seg, "en") == _tag_before(seg, "en")


def test_a_tag_ending_a_sentence_is_none():
    assert _tag_before('Bo said, "Come."\n\n', "en") is None
    assert _before('Bo said, "Come."\n\n', "en") is None
    for seg in ("Bo said:\n\n", "his voice\u2026", "Bo went on\u2026 "):     # an ellipsis is no stop here
        assert _before(seg, "en") == _tag_before(seg, "en") is not None


VOCATIVE_PIECES = ['"', "'", "\u201c", "\u201d", "Bo", "Mr. Bell", "Mr.  Bell", "Jean-Luc", "Dana Reyes", "Dana", "xBo",
                   "_Bo", "Oh", "dear", "you", ",", "!", "?", ".", " ", "\n", "come here", "said", "Kit"]


def _addressed(text, spans, names):
    counts = {}
    for s in spans:
        quote = text[s.start:s.end]
        for a, b in _vocatives(quote, "en"):
            name = " ".join(quote[a:b].split())
            if name in names:
                counts[name] = counts.get(name, 0) + 1
    return counts


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(VOCATIVE_PIECES), max_size=24),
       st.lists(st.tuples(st.integers(0, 80), st.integers(0, 40)), max_size=5),
       st.sets(st.sampled_from(["Bo", "Mr. Bell", "Jean-Luc", "Dana Reyes", "Dana", "Kit", "Oh"]), max_size=4))
def test_quotes_that_may_address_a_name_are_all_that_do(pieces, cuts, names):
    """discover._may_address keeps every quote in which tags._vocatives finds one of the names."""
    text = "".join(pieces)
    spans = [Span(min(a, len(text)), min(a + n, len(text)), "double", 0) for a, n in sorted(cuts)]
    word_places.cache_clear()
    assert _addressed(text, _may_address(text, spans, names), names) == _addressed(text, spans, names)


def test_a_quote_starting_inside_a_word_may_address_a_name():
    text = 'xBo, come here. "Come, Kit!" and "Yes."'
    spans = [Span(1, 15, "double", 0), Span(16, 28, "double", 0), Span(33, 39, "double", 0)]
    word_places.cache_clear()
    assert _may_address(text, spans, {"Bo", "Kit"}) == spans[:2]
    assert _addressed(text, spans[:1], {"Bo"}) == {"Bo": 1}


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["Ana", "Ana Reyes", "Reyes", "Mr. Bo", "Bo", "\u00c9mile", "'Bo", "", "Anabel", "A"]),
                min_size=1, max_size=3),
       st.lists(st.sampled_from(NAME_PIECES), max_size=16))
def test_form_ends_are_those_of_the_forms_found(forms, pieces):
    text = "".join(pieces)
    word_places.cache_clear()
    assert form_ends(text, tuple(forms)) == [m.end() for m in forms_pattern(tuple(forms), loose_spaces=True).finditer(text)]


def test_form_ends_in_order():
    word_places.cache_clear()
    assert form_ends("Reyes met Ana Reyes.", ("Ana", "Reyes")) == [5, 13, 19]
    assert form_ends("Reyes met Ana Reyes.", ("Ana Reyes", "Reyes")) == [5, 19]


def plain_full_names(text, names):
    """The definition: every pair of capitalised words counted, the pairs of two found names taken in turn."""
    single = {n for n in names if " " not in n}
    pairs = Counter((m.group(1), re.sub(r"['\u2019]s$", "", m.group(2))) for m in _PAIR.finditer(text))
    out = []
    for (a, b), count in pairs.most_common():
        if a in single and b in single and a != b and f"{a} {b}" not in names:
            out.append(f"{a} {b}")
            single -= {a, b}
    return out


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["Harry", "Potter", "Ron", "Weasley", "Harry Potter", "Dean", "Kit"]), max_size=5),
       st.lists(st.sampled_from(["Harry", "Potter", "Potter's", "Ron", "Weasley", "Dean", "Kit", "The", " ", "\n",
                                 ", ", ". ", "Harry Potter's ", "Ron Weasley. ", "Kit Dean, "]), max_size=24))
def test_full_names_are_the_pairs_counted_in_turn(names, pieces):
    names = list(dict.fromkeys(names))
    text = "".join(pieces)
    assert _full_names(text, names) == plain_full_names(text, names)


def test_full_names_examples():
    assert _full_names("Harry Potter's wand", ["Harry", "Potter"]) == ["Harry Potter"]
    assert _full_names("Ron said. Kit Dean, and Kit Dean", ["Kit", "Dean", "Ron"]) == ["Kit Dean"]
