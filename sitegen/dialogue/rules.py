"""The attribution rules: an ordered list of named rules, each a function of one quote's Line.

A rule looks at one quote (a frozen `Line`: its span, the narration before and after it,
the tag found next to it, whom it addresses, the votes of its neighbours) and either
returns a `Vote` (speaker, confidence, its own name) or None, and the next rule is tried.
ANCHORS run first over a paragraph's quotes (overrides, continued speech, speech tags, a
lead-in beat); FALLBACKS then run, in order, for the quotes no anchor settled. The walk
over the text (attribute.py) builds each Line and keeps the salience memory (salience.py);
the passes over whole exchanges (turns.py) come after. `RULES` lists every rule with what
it means, in the order they are tried: `sitegen quotes --explain` and the bench report use it.
"""
from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from .marks import Span
from ..text.names import Mention, mentions_between
from .salience import (ANSWER, BEAT, CARRY, GROUP, NAME_TAG, PRONOUN_TAG, TURN, Context, Vote, after_preposition,
                       _by_pronoun, _feed, _named_in, _pick)
from .tags import PRONOUNS, SPEECH_VERBS, THOUGHT_VERBS, Tag, beat_subjects, gender_of_phrase, keeps_silent, \
    lead_subject, sentence_bounds
from .turns import _turn


class Line(NamedTuple):
    """One quote as the rules see it (immutable)."""
    span: Span
    kind: str                                  # speech | thought | written
    k: int                                     # its place among its paragraph's quotes
    n: int                                     # how many quotes the paragraph has
    bounds: tuple[int, int]                    # the paragraph
    before: tuple[int, int]                    # the narration before it in the paragraph
    after: tuple[int, int]                     # the narration after it in the paragraph
    avoid: tuple[str, ...]                     # who cannot be its speaker (whom it addresses)
    tag: Tag | None = None                     # the speech tag found next to it
    same_tag: bool = False                     # the previous quote's tag is this one's too
    runs_on: bool = False                      # ... and only its sentence stands between them (runs-on)
    fresh: bool = False                        # a new paragraph right after a line of speech
    lead_in: tuple[int, int, bool] | None = None   # narration ending the paragraph before
    override: tuple[str | None] | None = None  # (speaker,) named by a {=id} marker
    carried: Vote | None = None                # the speech it continues from the last paragraph
    previous: Vote | None = None               # the vote of the quote before it in the paragraph
    later: Vote | None = None                  # the first later vote in the paragraph with a speaker


@dataclass(frozen=True)
class Rule:
    name: str
    meaning: str
    find: Callable[[Context, Line], Vote | None]


# --- anchors: markers, continuations and speech tags ---------------------------------------

def override(ctx: Context, line: Line) -> Vote | None:
    return Vote(line.override[0], 1.0, "override") if line.override is not None else None


def continued(ctx: Context, line: Line) -> Vote | None:
    c = line.carried
    if line.k != 0 or c is None:
        return None
    named = name_tag(ctx, line)
    if named is not None and named.speaker and named.speaker != c.speaker:
        return None         # its own tag names someone else: no speech runs on (the mark before was left open)
    return Vote(c.speaker, c.confidence, "continued")


def both_halves(ctx: Context, line: Line) -> Vote | None:
    p = line.previous
    if line.tag is not None and line.same_tag and not line.runs_on and p is not None and p.speaker \
            and p.speaker not in line.avoid:
        return Vote(p.speaker, p.confidence, "both-halves")
    return None


# A tag's subject that is several people: "they", "the two", "both of them", "the others", "everyone".
_SEVERAL = re.compile(r"(?:they|both|all|every(?:one|body)(?:\s+else)?|(?:(?:both|all)\s+(?:of\s+)?(?:them|us|the\s+\w+)|"
                      r"(?:the|these|those)\s+(?:\w+\s+)?(?:two|three|four|five|six|pair|trio|twins|others|rest|"
                      r"crowd|class|group|team|chorus))|(?:the|these|those)\s+(?:[a-z]+\s+)?[a-z]+[^\Ws]s)", re.I)
_VERBS = frozenset(SPEECH_VERBS + THOUGHT_VERBS)
_TOGETHER = re.compile(r"[^.!?\n\"\u201c\u201d]{0,40}\b(?:in\s+unison|together|as\s+one|at\s+once|simultaneously|"
                       r"alike|in\s+chorus|at\s+the\s+same\s+time)\b")


def group_tag(ctx: Context, line: Line) -> Vote | None:
    tag = line.tag
    if tag is None or tag.kind != "tag":
        return None
    if _two_named(ctx, tag):
        return Vote(GROUP, NAME_TAG, "group-tag")
    if not line.after[0] <= tag.start < line.after[1]:
        return None                     # only a tag right after the line: "..." they said
    words = tag.subject.split()
    if not _SEVERAL.fullmatch(" ".join(words)) or words[-1].lower() in _VERBS or _tag_names(ctx, line):
        return None                     # "the dragon asks" read as a subject is no plural
    if tag.subject.lower() == "they" and not _TOGETHER.match(ctx.text, tag.end) and _they_named(ctx, line):
        return None                     # "they said": one the cast calls "they", named just before
    return Vote(GROUP, NAME_TAG, "group-tag")


_AND = re.compile(r"\s+and\s+")


def _two_named(ctx: Context, tag: Tag) -> bool:
    """A tag's subject of two characters joined by "and": "called Pooh and Piglet", "Bo and Al, who
    had come up, said"."""
    k = bisect.bisect_left(ctx.starts, tag.start)
    if k >= len(ctx.mentions) or ctx.mentions[k].start != tag.start:
        return False
    for a, b in ((k - 1, k), (k, k + 1)):
        if a >= 0 and b < len(ctx.mentions) and _AND.fullmatch(ctx.text, ctx.mentions[a].end, ctx.mentions[b].start) \
                and not ctx.mentions[a].possessive and _pick(ctx, ctx.mentions[a].ids) != _pick(ctx, ctx.mentions[b].ids):
            return True
    return False


def _they_named(ctx: Context, line: Line) -> bool:
    """A character whose pronoun is "they" is named in this paragraph or the one before."""
    k = bisect.bisect_left(ctx.starts, line.bounds[1])
    while k > 0 and ctx.mentions[k - 1].start >= line.bounds[0] - 1500:
        k -= 1
        if ctx.index.pronouns.get(_pick(ctx, ctx.mentions[k].ids)) == "they":
            return True
    return False


def _tag_pronoun(ctx: Context, line: Line) -> str | None:
    _feed(ctx, line.tag.start)
    return ctx.pronoun_words.get(line.tag.subject)


def _last_turn(ctx: Context, line: Line) -> str | None:
    return ctx.turns[-1] if line.fresh and ctx.turns else None


def pronoun_tag(ctx: Context, line: Line) -> Vote | None:
    if line.tag is None or line.same_tag and line.previous and line.previous.speaker:
        return None
    pronoun = _tag_pronoun(ctx, line)
    if not pronoun:
        return None
    last = _last_turn(ctx, line)
    cid = (_answering(ctx, pronoun, line.avoid, last) if line.fresh else None) \
        or _by_pronoun(ctx, pronoun, line.avoid, last, line.tag.start)
    return Vote(cid, PRONOUN_TAG, "pronoun-tag") if cid else None


def _tag_names(ctx: Context, line: Line) -> list[Mention]:
    tag = line.tag
    return mentions_between(ctx.mentions, ctx.starts, tag.start, tag.end) or \
        (_named_next(ctx, tag) if ctx.lang == "en" else [])


def _untried_tag(ctx: Context, line: Line) -> bool:
    """A tag the rules before this one did not already read (not a pronoun, not the previous quote's)."""
    if line.tag is None or line.same_tag and line.previous and line.previous.speaker:
        return False
    return not _tag_pronoun(ctx, line)


def name_tag(ctx: Context, line: Line) -> Vote | None:
    found = _tag_names(ctx, line) if _untried_tag(ctx, line) else []
    return Vote(_pick(ctx, found[0].ids), NAME_TAG, "name-tag") if found else None


_LATTER_FORMER = {"the latter": 0, "the former": 1}


def latter_former(ctx: Context, line: Line) -> Vote | None:
    if not _untried_tag(ctx, line) or _tag_names(ctx, line):
        return None
    which = _LATTER_FORMER.get(line.tag.subject.lower())
    cid = _named_before(ctx, line.tag.start, which) if which is not None else None
    return Vote(cid, PRONOUN_TAG, "latter-former") if cid else None


def description_tag(ctx: Context, line: Line) -> Vote | None:
    if not _untried_tag(ctx, line) or _tag_names(ctx, line) or line.tag.subject.lower() in _LATTER_FORMER:
        return None
    role = _role_of(ctx, line.tag.subject)
    if role and role not in line.avoid:
        return Vote(role, PRONOUN_TAG, "description-tag")
    gender = gender_of_phrase(line.tag.subject, ctx.lang)
    if not gender:
        return None
    last = ctx.turns[-1] if ctx.turns else None
    cid = (_answering(ctx, gender, line.avoid, last) if line.fresh else None) \
        or _spouse_of(ctx, line.tag, gender, line.avoid) \
        or _by_pronoun(ctx, gender, (*line.avoid, last), None, line.tag.start)
    return Vote(cid, TURN, "description-tag") if cid else None


def _role_of(ctx: Context, phrase: str) -> str | None:
    """The one character whose name or alias holds the description's head noun ("his dad" for a
    cast member with the alias "Dad", "the sheriff" for "Sheriff Stilinski")."""
    words = phrase.split()
    if len(words) < 2 or not words[-1][:1].islower():
        return None
    ids = ctx.roles.get(words[-1].strip(",.").lower(), ())
    return ids[0] if len(ids) == 1 else None


def lead_in_beat(ctx: Context, line: Line) -> Vote | None:
    if line.tag is not None or line.k or not line.lead_in:
        return None
    a, b, leads = line.lead_in
    found = _beat(ctx, a, b, last=True, conf=BEAT if leads else TURN)
    if found is None or found[0] in line.avoid:
        return None
    return Vote(found[0], found[1], "lead-in-beat")


def unanswered(ctx: Context, line: Line) -> Vote | None:
    if line.tag is not None or line.k or not line.lead_in or not ctx.turns:
        return None
    quiet = silent_one(ctx, *line.lead_in[:2])
    last = ctx.turns[-1]
    if not quiet or last == quiet or last in line.avoid:
        return None
    return Vote(last, TURN, "unanswered")


# --- fallbacks: beats, neighbours in the paragraph, turn-taking ----------------------------

def runs_on(ctx: Context, line: Line) -> Vote | None:
    p = line.previous
    if line.runs_on and p is not None and p.speaker and p.speaker not in line.avoid:
        return Vote(p.speaker, p.confidence, "runs-on")
    return None


_TAGGED = frozenset({"name-tag", "pronoun-tag", "description-tag", "latter-former"})
def subject_after(ctx: Context, line: Line) -> Vote | None:
    found = lead_subject(ctx.text, *line.after, ctx.lang)
    if not found or keeps_silent(ctx.text, *sentence_bounds(ctx.text, *line.after, False)):
        return None                              # '"..." Cohn said nothing.': the one spoken to
    pronoun = ctx.pronoun_words.get(found[2])
    if pronoun:
        cid = _by_pronoun(ctx, pronoun, (), None, found[0])
        return Vote(cid, BEAT, "subject-after") if cid else None
    names = mentions_between(ctx.mentions, ctx.starts, found[0], found[1])
    return Vote(_pick(ctx, names[0].ids), BEAT, "subject-after") if names else None


def beat_before(ctx: Context, line: Line) -> Vote | None:
    speaking = line.previous.speaker if line.k and line.previous else None
    found = _beat(ctx, *line.before, last=True, conf=BEAT, speaking=speaking)
    return Vote(found[0], found[1], "beat-before" + found[2]) if found else None


def carry_previous(ctx: Context, line: Line) -> Vote | None:
    p = line.previous
    return Vote(p.speaker, min(p.confidence, CARRY), "carry-previous") if line.k and p and p.speaker else None


def beat_after(ctx: Context, line: Line) -> Vote | None:
    if line.k + 1 != line.n:
        return None
    found = _beat(ctx, *line.after, last=False, conf=BEAT * 0.9)
    return Vote(found[0], found[1], "beat-after" + found[2]) if found else None


def carry_later(ctx: Context, line: Line) -> Vote | None:
    c = line.later
    return Vote(c.speaker, min(c.confidence, CARRY) * 0.9, "carry-later") if c else None


def turn_taking(ctx: Context, line: Line) -> Vote | None:
    found = _turn(ctx, line.span.paragraph, line.kind, (*line.avoid, *_named_in(ctx, line.span)))
    if not found:
        return None
    return Vote(found[0], found[1], {ANSWER: "answer", TURN: "turn"}.get(found[1], "guess"))


ANCHORS: tuple[Rule, ...] = (
    Rule("override", "a {=id} marker after the quote", override),
    Rule("continued", "a speech running on from the paragraph before keeps its speaker", continued),
    Rule("both-halves", 'one tag for both halves of a quote ("...," he said, "...")', both_halves),
    Rule("group-tag", 'a tag whose subject is several people ("they said in unison", "the two shouted"): '
         "the line is the group's, no one character's", group_tag),
    Rule("pronoun-tag", 'a speech tag with a pronoun ("she said"): whom it refers to', pronoun_tag),
    Rule("name-tag", 'a speech tag naming the speaker ("said Alice")', name_tag),
    Rule("latter-former", '"said the latter" / "the former": the last or the one before named', latter_former),
    Rule("description-tag", 'a tag with a description ("his dad said", "the old barman said"): the character '
         "whose name or alias holds its noun, else one of its gender who did not just speak", description_tag),
    Rule("lead-in-beat", "the subject of the narration that leads into the paragraph's first quote",
         lead_in_beat),
    Rule("unanswered", 'narration saying the one spoken to kept silent ("He made no answer.") before the '
         "paragraph's first quote: the last speaker goes on", unanswered),
)
FALLBACKS: tuple[Rule, ...] = (
    Rule("subject-after", "the subject named right after the quote, whatever its verb", subject_after),
    Rule("beat-before", "the subject of the action sentence before the quote", beat_before),
    Rule("runs-on", "the speaker of the quote before it in the paragraph, when only that quote's tag and the rest "
         'of its sentence stand between them ("...," Bo said, smiling. "...")', runs_on),
    Rule("carry-previous", "the speaker of the quote before it in the paragraph", carry_previous),
    Rule("beat-after", "the subject of the action sentence after the paragraph's last quote", beat_after),
    Rule("carry-later", "the speaker of a later quote in the same paragraph", carry_later),
    Rule("turn", "turn-taking: whom the last line addressed (answer), else the other party (turn), "
         "else the most salient character (guess)", turn_taking),
)
# Names a vote can carry besides the rules' own: variants, and the passes over exchanges (turns.py).
VARIANTS: tuple[tuple[str, str], ...] = (
    ("beat-before-pronoun", "a beat before the quote whose subject is a pronoun"),
    ("beat-after-pronoun", "a beat after the quote whose subject is a pronoun"),
    ("answer", "turn-taking: the one the previous line addressed by name"),
    ("guess", "the most salient other character"),
    ("answerer", "a line answered by a line addressing X by name was X's"),
    ("parity", "in a two-person exchange, parity from the nearest anchored line"),
    ("none", "no rule found a speaker"),
)
RULES: tuple[tuple[str, str], ...] = (*((r.name, r.meaning) for r in ANCHORS + FALLBACKS), *VARIANTS)


def first_vote(rules: tuple[Rule, ...], ctx: Context, line: Line, check_avoid: bool = False) -> Vote | None:
    """The vote of the first rule that finds a speaker (with `check_avoid`, one the line may have)."""
    for rule in rules:
        found = rule.find(ctx, line)
        if found is not None and (not check_avoid or found.speaker and found.speaker not in line.avoid):
            return found
    return None


# --- helpers the rules share ---------------------------------------------------------------

def _answering(ctx: Context, pronoun: str, avoid, last: str | None) -> str | None:
    """In a reply, "he said" means the one the previous line addressed by name, if the pronoun fits."""
    return next((c for c in ctx.addressed
                 if c != last and c not in avoid and ctx.index.pronouns.get(c) == pronoun), None)


_SPOUSES = {"wife": ("he", "Mr", "Mrs"), "lady": ("he", "Mr", "Mrs"), "husband": ("she", "Mrs", "Mr")}


def _spouse_of(ctx: Context, tag: Tag, gender: str, avoid) -> str | None:
    """"his wife" / "her husband": Mrs. X of the Mr. X the possessive means (or the reverse)."""
    words = tag.subject.lower().split()
    spouse = _SPOUSES.get(words[-1]) if len(words) == 2 and words[0] in ("his", "her") else None
    if not spouse or PRONOUNS[words[0]] != spouse[0]:
        return None
    owner = _by_pronoun(ctx, spouse[0], avoid, None, tag.start)
    for form, ids in ctx.index.table.items():
        if owner in ids and len(ids) == 1 and form.split()[0].rstrip(".") == spouse[1]:
            surname = form.split(None, 1)[1:]
            for title in (spouse[2] + ".", spouse[2]):
                found = ctx.index.table.get(" ".join([title, *surname]), ())
                if len(found) == 1 and found[0] != owner and found[0] not in avoid:
                    return found[0]
    return None


_PLAIN_WORDS = re.compile(r"[\w' -]*")
_LINKS = frozenset("to at with of for from on in and as by into upon towards except but besides".split())


def _named_next(ctx: Context, tag: Tag) -> list[Mention]:
    """A name right after a described subject: "cried the good-hearted Mrs. Ana Reyes"."""
    found = mentions_between(ctx.mentions, ctx.starts, tag.end, tag.end + 30)[:1]
    gap = ctx.text[tag.end:found[0].start] if found else ""
    if found and not found[0].possessive and _PLAIN_WORDS.fullmatch(gap) \
            and not _LINKS.intersection(gap.split()) and tag.verb.split()[0] not in gap.split():
        return found
    return []


def _named_before(ctx: Context, pos: int, skip: int, reach: int = 600) -> str | None:
    """The character last named in the narration before `pos` (skip=0), or the
    different one named before that (skip=1)."""
    seen: list[str] = []
    k = bisect.bisect_left(ctx.starts, pos) - 1
    while k >= 0 and pos - ctx.mentions[k].start < reach and len(seen) <= skip:
        cid = _pick(ctx, ctx.mentions[k].ids)
        if cid not in seen:
            seen.append(cid)
        k -= 1
    return seen[skip] if len(seen) > skip else None


_GERUND = re.compile(r"s?\s+(?:\w+ly\s+)?\w+ing\b")     # "Mr. Woodhouse's giving a sigh": a subject


def _beat(ctx: Context, a: int, b: int, last: bool, conf: float, speaking: str | None = None
          ) -> tuple[str, float, str] | None:
    """The subject of the narration sentence next to a quote (a name or a pronoun):
    (speaker, confidence, "" for a name or "-pronoun")."""
    if b - a < 3:
        return None
    s, e = sentence_bounds(ctx.text, a, b, last)
    if keeps_silent(ctx.text, s, e):             # "He made no answer.": the one spoken to
        return None
    return _subject(ctx, s, e, a, last, conf, speaking)


def silent_one(ctx: Context, a: int, b: int) -> str | None:
    """Whom the last sentence of the narration text[a:b] says does not speak ("Cohn said nothing.")."""
    if b - a < 3:
        return None
    s, e = sentence_bounds(ctx.text, a, b, True)
    found = _subject(ctx, s, e, a, True, BEAT) if keeps_silent(ctx.text, s, e) else None
    return found[0] if found else None


def _subject(ctx: Context, s: int, e: int, a: int, last: bool, conf: float, speaking: str | None = None
             ) -> tuple[str, float, str] | None:
    """The subject of the sentence text[s:e], a name or a pronoun (a beat from `a` on)."""
    heard = _HEARD.search(ctx.text, s, e) if last else None
    if heard:
        return _heard(ctx, s, heard, e, conf)
    names = [m for m in mentions_between(ctx.mentions, ctx.starts, s, e)
             if (not m.possessive or _GERUND.match(ctx.text, m.end + 2))
             and not after_preposition(ctx.text, m.start, s)]   # "turning to Charlotte"
    pronouns = beat_subjects(ctx.text, s, e, ctx.lang)
    if names and (not pronouns or names[0].start < pronouns[0][0]):
        return (_pick(ctx, names[0].ids), conf, "")
    if pronouns:
        _feed(ctx, pronouns[0][0])
        pronoun = ctx.pronoun_words[pronouns[0][2]]
        cid = _still_speaking(ctx, speaking, a, pronouns[0][0], pronoun) \
            or _by_pronoun(ctx, pronoun, (), None, pronouns[0][0])
        return (cid, conf * 0.9, "-pronoun") if cid else None
    return None


_HEARD = re.compile(r"\b(?:hear|heard|hearing|overheard|overhear)\s+(?P<who>[^.!?;]{0,60}?)\s*\b"
                    r"(?:say|saying|said|mutter|muttering|exclaim|exclaiming|cry|crying|remark|remarking|"
                    r"add|adding|whisper|whispering|call|calling)\b[^.!?;]{0,80}$")


def _heard(ctx: Context, s: int, heard: re.Match, e: int, conf: float) -> tuple[str, float, str] | None:
    """"she heard it say," / "heard Miss Bates saying,": the one heard speaks, not the hearer."""
    hearers = {_pick(ctx, m.ids) for m in mentions_between(ctx.mentions, ctx.starts, s, heard.start())}
    named = mentions_between(ctx.mentions, ctx.starts, heard.start("who"), heard.end("who"))
    if named:
        return (_pick(ctx, named[0].ids), conf, "")
    word = heard.group("who").split()[:1]
    pronoun = {"him": "he", "her": "she"}.get(word[0] if word else "")
    if pronoun:
        cid = _by_pronoun(ctx, pronoun, tuple(hearers), None, heard.start("who"))
        return (cid, conf * 0.9, "-pronoun") if cid else None
    return None


def _still_speaking(ctx: Context, last: str | None, a: int, pos: int, pronoun: str) -> str | None:
    """"he sat smiling" in narration right after his line in the paragraph, with no other
    fitting name between: the one who just spoke."""
    if not last or ctx.index.pronouns.get(last) != pronoun:
        return None
    between = mentions_between(ctx.mentions, ctx.starts, a, pos)
    if any(ctx.index.pronouns.get(_pick(ctx, m.ids)) == pronoun for m in between):
        return None
    return last
