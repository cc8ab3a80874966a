"""Speech tags and beats in the narration around a quote, and vocatives inside it.

A tag names who speaks with a verb of saying or thinking: "said Alice",
"she replied", "Naruto, said softly", `Sakura told him, "..."`. A beat is a
sentence of action next to the quote whose subject is a character
(`Sakura smiled. "..."`). A vocative is a name the quote addresses
("Open your eyes Sakura,"): that character is not the speaker.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from . import langtags
from .languages import language
from ..text.names import not_after, trie_regex
from ..text.sentences import sentence_starts

EN = language("en")
SPEECH_VERBS = list(EN.speech_verbs)      # the English tables live in languages/en.toml
THOUGHT_VERBS = list(EN.thought_verbs)

# Verbs that say only with their particle: "went on", "broke in", "put in", "shot back" (alone, "Bo
# went downstairs", "the King put on his spectacles" are actions, not tags).
_PARTICLE_VERBS = {"went": "on", "broke": "in|out|off", "put": "in", "shot": "back"}
_VERB_WORDS = sorted(set(SPEECH_VERBS + THOUGHT_VERBS) - set(_PARTICLE_VERBS), key=len, reverse=True)
# The verbs as a trie: the same matches, tried in the same order (longest first) as the words joined
# with "|", at a fraction of the cost in every tag pattern (no verb has a space, which a trie widens).
assert not any(" " in w for w in _VERB_WORDS)
VERB = r"(?:(?:%s)(?:\s+(?:on|in|back|out|up))?|%s)" % (
    trie_regex(_VERB_WORDS), "|".join(rf"{verb}\s+(?:{particle})" for verb, particle in _PARTICLE_VERBS.items()))
SUBJ = (r"(?:I|he|she|they|we|He|She|They|We"
        r"|(?:[Tt]he|[Hh]is|[Hh]er|[Tt]heir|[Mm]y)\s+(?:[A-Z][\w'-]*(?:[ \t\n]+[A-Z][\w'-]*){0,2}"
        r"|(?:[\w'-]+\s+){0,2}?[\w-]+)"
        r"|(?:[Aa]ll|[Bb]oth)(?:\s+\w+)?\s+[A-Z][\w'\u2019-]*"
        r"|(?<![\w'-])(?:[Aa]n?|[Oo]ne)\s+(?:(?!(?:that|who|which|whom|and|or|of)\s)[a-z][\w'-]*\s+){0,2}[A-Z][\w'\u2019-]*"
        # "an old Crab", "one old Magpie" (not "a boy that Harry")
        r"|every(?:body|one)(?:\s+else)?"
        r"|(?:[Oo]ne|[Ee]ach|[Bb]oth|[Aa]ll|[Ss]ome)(?:\s+\w+)?\s+of\s+(?:the|them|us)(?:\s+[\w'-]+)?"
        r"|(?:Mr|Mrs|Ms|Dr|St)\.\s*[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*){0,2}"
        r"|[A-Z][\w'\u2019]*(?:-[\w'\u2019]+)*(?:[ \t\n]+[A-Z][\w'\u2019]*(?:-[\w'\u2019]+)*){0,3})")
MOD = r"(?:\w+ly|then|again|also|now|only|had|has|have|just|still|quickly|suddenly|finally|at\s+once|at\s+last|,)"
_LEAD = r"^[\s,;:\u2014\u2013-]*(?:and\s+|but\s+)?"
_VERB_FIRST = re.compile(_LEAD + rf"(?:{MOD}\s+)?(?P<verb>{VERB})\s+(?:{MOD}\s+)?(?P<subj>{SUBJ})\b")
_SUBJ_FIRST = re.compile(_LEAD + rf"(?P<subj>{SUBJ}),?\s+(?:{MOD}\s+){{0,3}}(?P<verb>{VERB})\b")
_VOICE_END = (r"(?P<verb>voice|yell|cry|shout|scream|whisper|words|reply|answer|call|question|exclamation|"
              r"remark|observation|response|comment|speech|greeting|salutation)\b[^.!?;]{0,40}$")
_VOICE = re.compile(rf"(?:(?P<subj>{SUBJ})['\u2019]s?|\b(?P<own>[Hh]is|[Hh]er))\s+(?:\w+\s+)?" + _VOICE_END)
_BEFORE_END = rf"(?P<verb>{VERB})\b(?P<rest>[^.!?;]{{0,80}})$"
_BEFORE_TIGHT = re.compile(rf"(?P<subj>{SUBJ}),?\s+(?:{MOD}\s+){{0,3}}" + _BEFORE_END)
_BEFORE = re.compile(rf"(?P<subj>{SUBJ}),?\s+(?:[\w']+\s+){{0,4}}?" + _BEFORE_END)
# How _VOICE and the two _BEFORE patterns end, searched alone: a clause without it cannot match them,
# and this search is cheap (it starts at the words), where theirs tries a subject at every place.
_ENDS_VOICE, _ENDS_BEFORE = re.compile(_VOICE_END), re.compile(_BEFORE_END)
_BEFORE_VS = re.compile(rf"(?P<verb>{VERB}),?\s+(?P<subj>{SUBJ})\s*[,:]?\s*$")
# Lead-ins whose verb is not a verb of saying, but whose shape says who speaks next (any verb in
# the past tense, so no list of verbs to keep): the agent of a passive at the clause's end
# ("when thus accosted by Miss Bingley,"), a subject whose act the speech is "with" ("Mr. Weston
# accosted her with,"), and a subject whose act is done "by saying" ("Bo startled her, by saying,").
_LEAD_END = r"\s*[,:\u2014\u2013-]*\s*$"
_PAST = rf"(?:{VERB}|[a-z]{{2,}}ed)"
_BY_AGENT = re.compile(rf"\b(?P<verb>[a-z]{{2,}}ed)\s+by\s+(?P<subj>{SUBJ})" + _LEAD_END)
_WITH_END = re.compile(rf"(?P<subj>{SUBJ}),?\s+(?:{MOD}\s+){{0,3}}(?P<verb>{_PAST})(?:\s+[\w']+){{0,3}}?\s+with"
                       + _LEAD_END)
_BY_SAYING = re.compile(rf"(?P<subj>{SUBJ}),?\s+(?:{MOD}\s+){{0,3}}{_PAST}(?:\s+[\w']+){{0,3}}?,?\s+by\s+"
                        rf"(?P<verb>{VERB})" + _LEAD_END)
# One given the time or the chance to say speaks: "which gave the Pigeon the opportunity of adding,", "so
# near as to give Emma time only to say farther,", "gave him time to jerk himself back and say,".
_GIVEN = re.compile(rf"\b(?:give|gave|given|gives|giving)\s+(?P<subj>{SUBJ}|him|her|them|me|us)\s+(?:[\w']+\s+){{0,2}}?"
                    r"(?:time|opportunity|chance|leave|occasion)\s+(?:[\w']+\s+){0,2}?(?:of|to)\s+(?:[\w']+\s+){0,8}?"
                    rf"(?P<verb>{VERB})\b[^.!?;]{{0,40}}$")
_OBJECT_PRONOUNS = {"him": "he", "her": "she", "them": "they", "me": "I", "us": "we"}
# How _WITH_END and _BY_SAYING end, searched alone (as _ENDS_BEFORE for _BEFORE): a clause without it
# cannot match them, and this search is cheap where theirs tries a subject at every place.
_ENDS_WITH, _ENDS_BY_SAYING = re.compile(r"\swith" + _LEAD_END), re.compile(rf"\sby\s+(?:{VERB})" + _LEAD_END)
_PASSIVE = re.compile(r"\b(?:was|were|been|being|is|are|be)\s+(?:\w+ly\s+)?$")
_SUBJECT_WORD = re.compile(r"\b(I|he|she|He|She)\b")
PRONOUNS = EN.pronouns


class Tag(NamedTuple):
    """Who a tag or beat says speaks: the subject phrase at start..end, and the verb."""
    start: int
    end: int
    subject: str
    verb: str
    kind: str            # tag | beat

    def shifted(self, by: int) -> "Tag":
        return Tag(self.start + by, self.end + by, self.subject, self.verb, self.kind)


# `"..." was Bo's answer.` / `were Bo's words` / `was Bo's final summing up.`: whatever the noun, the words
# were the possessor's.
_WAS_ANSWER = re.compile(_LEAD + r"(?:was|were|came)\s+(?P<subj>his|her|my|(?:(?:Mr|Mrs|Ms|Dr)\.\s*)?"
                         r"(?:[A-Z][\w-]*\s+)?[A-Z][\w-]*['\u2019]s)\s+(?:\w+\s+){0,2}?"
                         r"(?P<verb>answer|reply|response|remark|exclamation|rejoinder|cry|words|question|"
                         r"observation|comment|amendment|injunction|retort|greeting|request|suggestion|[a-z]+(?=\s*[.,;!?]))\b")


# A quote named as a sound or a cry and then whose it was: `an occasional exclamation of "Hjckrrh!" from the
# Gryphon,`, `"Yes!" from Bo.`
_FROM = re.compile(_LEAD + r"(?P<verb>from)\s+(?P<subj>(?:the\s+)?[A-Z][\w'\u2019-]*(?:\s+[A-Z][\w'\u2019-]*){0,2})"
                   r"(?=\s+(?:and|who|as)\b|\s*[,.;:!?\u2014\u2013-])")


# The finders below depend only on the text of the narration (or quote) they are given, so their
# answers are kept by that text, relative to it: after an edit, every segment the edit did not
# touch is answered from memory, in this build and the next (the dev server's rebuilds).
MEMO = 1 << 15


def tag_after(text: str, a: int, b: int, lang: str = "en") -> Tag | None:
    """A tag at the start of the narration text[a:b] that follows a quote."""
    tag = _tag_after(text[a:b], lang)
    return tag.shifted(a) if tag is not None and a else tag


@lru_cache(maxsize=MEMO)
def _tag_after(seg: str, lang: str = "en") -> Tag | None:
    if lang != "en":
        return _foreign(langtags.find_after(seg, lang))
    m = _WAS_ANSWER.match(seg)
    if m:
        subj = re.sub(r"['\u2019]s$", "", m.group("subj"))
        return Tag(m.start("subj"), m.start("subj") + len(subj), subj, m.group("verb"), "tag")
    m = _FROM.match(seg)
    if m:
        return _tag(m, 0, seg, "tag")
    for pattern in (_SUBJ_FIRST, _VERB_FIRST):
        m = pattern.match(seg)
        if m and not _is_common_word(m.group("subj")) and \
                not (pattern is _VERB_FIRST and m.group("verb") in _OBJECT_VERBS) and \
                not _SILENT.match(seg, m.start("verb")):          # '"Fine." Bo said nothing.': no tag
            return _tag(m, 0, seg, "tag")
    return None


# No tag pattern reaches further back than this from the quote (a subject of a few names, a few
# words, the verb and at most 80 characters up to the quote), so longer clauses are searched
# only over their end: a regex search costs time at every start position it tries.
TAG_REACH = 320


def tag_before(text: str, a: int, b: int, lang: str = "en") -> Tag | None:
    """A tag in the last clause of the narration text[a:b] that precedes a quote."""
    tag = _tag_before(text[a:b], lang)
    return tag.shifted(a) if tag is not None and a else tag


@lru_cache(maxsize=MEMO)
def _tag_before(seg: str, lang: str = "en") -> Tag | None:
    if lang != "en":
        return _foreign(langtags.find_before(seg[-TAG_REACH:], lang), max(0, len(seg) - TAG_REACH))
    reach = max(0, len(seg) - TAG_REACH)
    starts = _clause_starts(seg, since=reach)    # the last clause, if it starts within reach
    cut = starts[-1] if starts else 0
    if len(seg) - cut > TAG_REACH:                # else start at a word boundary within reach
        space = seg.find(" ", reach)
        cut = space + 1 if space >= 0 else ([0] + _clause_starts(seg))[-1]
    clause = seg[cut:]
    if not clause.strip():
        return None
    m = _BEFORE_VS.search(clause)
    if m and m.group("verb") not in _OBJECT_VERBS:
        return _tag(m, cut, clause, "tag")
    m = _lead_in_shape(clause)
    if m:
        return _tag(m, cut, clause, "tag")
    m = _VOICE.search(clause) if _ENDS_VOICE.search(clause) else None
    if m and m.group("own"):
        start = cut + m.start("own")
        return Tag(start, start + len(m.group("own")), m.group("own").lower(), m.group("verb"), "tag")
    if m:
        return _tag(m, cut, clause, "tag")
    for pattern in (_BEFORE_TIGHT, _BEFORE) if _ENDS_BEFORE.search(clause) else ():
        m = pattern.search(clause)
        while m and _saying(m.group("rest")):    # the verb of saying nearest the quote tags it
            m = pattern.search(clause, m.end("verb"))
        if m and not _is_common_word(m.group("subj")) \
                and not _PREPOSITION_END.search(clause, 0, m.start("subj")) \
                and not _HEARING.search(clause, m.end("subj"), m.start("verb")):
            while m and not (_in_subject_place(clause, m.start("subj")) or _after_subordinator(clause, m.start("subj"))
                             or pattern is _BEFORE_TIGHT and _bare_name(clause, m)):
                space = clause.find(" ", m.start("subj"), m.start("verb"))   # an object: try from the next word
                m = pattern.search(clause, space + 1) if space >= 0 else None
            if m and not _is_common_word(m.group("subj")):
                return _tag(m, cut, clause, "tag")
            break
    return _predicate_subject(seg, max(0, len(seg) - TAG_REACH))


def _lead_in_shape(clause: str) -> re.Match | None:
    """A clause ending "...ed by X," / "X <verb>ed her with," / "X <verb>ed her, by saying," / "gave X time to
    say,": X speaks."""
    if clause.rstrip()[-1:] not in (",", ":", "-", "\u2014", "\u2013"):
        return None
    start = max(0, len(clause) - 200)
    start = clause.find(" ", start) + 1 if start else 0
    m = _GIVEN.search(clause, start) if _ENDS_BEFORE.search(clause, start) else None
    if m and not _is_common_word(m.group("subj")):
        return m
    m = _BY_AGENT.search(clause, start)
    if m and not _is_common_word(m.group("subj")):
        return m
    for pattern, end in ((_WITH_END, _ENDS_WITH), (_BY_SAYING, _ENDS_BY_SAYING)):
        m = pattern.search(clause, start) if end.search(clause, start) else None
        while m and not (_in_subject_place(clause, m.start("subj")) or _after_subordinator(clause, m.start("subj"))):
            space = clause.find(" ", m.start("subj"), m.start("verb"))    # an object: try from the next word
            m = pattern.search(clause, space + 1) if space >= 0 else None
        if m and not _is_common_word(m.group("subj")) and not _PASSIVE.search(clause, 0, m.start("verb")) \
                and not _PREPOSITION_END.search(clause, 0, m.start("subj")):
            return m
    return None


_ANNOUNCES = frozenset("began begins continued continues added adds replied replies answered answers said says "
                       "resumed spoke asked asks inquired enquired demanded remarked observed".split())
_ANNOUNCED = re.compile(r"[^.!?;]{0,20}\.$")
_ANNOUNCED_VERB = re.compile(r"[^.!?;]{0,12}\.$")


def announcing(text: str, a: int, b: int, lang: str = "en") -> Tag | None:
    """A paragraph of narration that ends announcing speech ("...as soon as they were gone Mr. Bell
    began."): the tag of the quote opening the next paragraph."""
    if lang != "en" or b - a < 3 or text[b - 1] != "." \
            or keeps_silent(text, *sentence_bounds(text, a, b, True)):
        return None
    tag = tag_before(text, a, b - 1, lang)
    if tag is None or tag.verb.split()[0] not in _ANNOUNCES:
        return None
    verb = text.rfind(tag.verb, tag.end, b)          # "Gilbert it was who spoke up stoutly.": near the verb
    near = verb >= 0 and _ANNOUNCED_VERB.match(text, verb + len(tag.verb), b) \
        and not _PASSIVE.search(text, max(a, verb - 30), verb)          # not "whatever she wished should be said."
    return tag if near or _ANNOUNCED.match(text, tag.end, b) else None


# A sentence saying its subject does not speak: "Cohn said nothing.", "He made no answer.", "She was
# silent.", "he did not reply". Its subject is the one spoken to, not the speaker of the next line.
_SILENT = re.compile(r"\b(?:(?:said|says|answered|replied|spoke)\s+nothing|(?:made|makes|gave|gives)\s+no\s+"
                     r"(?:answer|reply|response|rejoinder)|(?:was|were|is|are|remained|remains|kept|keeps|fell|sat|"
                     r"stood)\s+(?:\w+ly\s+)?silent|(?:did|does|could|would)\s*n[o']t\s+(?:answer|reply|speak|respond))\b")


def keeps_silent(text: str, s: int, e: int) -> bool:
    """The sentence text[s:e] says its subject does not speak ("He made no answer."), and no verb of
    saying follows ("but he said nothing, and she continued," tags her line)."""
    m = _SILENT.search(text, s, e)
    return m is not None and not _saying(text[m.end():e])


# A verb of saying that ends the narration before a quote after a predicate of its own subject's:
# "Mr. Bell, much offended, laid aside his book, and said," / "...; and smiling, replied,".
_PREDICATE_END = re.compile(rf"\s(?P<verb>{VERB})\b(?=[^.!?;\"\u201c\u201d]{{0,60}}$)")
_SUBJECT = re.compile(rf"\b(?:{SUBJ})\b")
_FOLLOWS_SUBJECT = re.compile(r",|\s+[a-z]")
_POSSESSIVE = ("'s", "\u2019s")
_GERUND_AFTER = re.compile(r"\s+(?:\w+ly\s+)?\w+ing\b")
_FOR_TO = re.compile(r"\bfor\s+$")                   # "opportunity for Bo to draw near her and say,"
_TO = re.compile(r"\s+to\s")
_HEARD_BEFORE = re.compile(r"\b(?:hear|heard|hears|hearing|overheard|overhearing)\s+$")   # "Ana heard the Hare say,"
# "the Lory, who at last turned sulky, and would only say,", "met Maria in the landing place, who ... cried out,"
_RELATIVE = re.compile(r"(?:\s+(?:in|at|on|by|near|from)\s+(?:the|a|an|his|her|their)\s+[\w-]+(?:\s+[\w-]+)?)?,?\s+who\b")
_SAYING = frozenset(SPEECH_VERBS + THOUGHT_VERBS) - set(_PARTICLE_VERBS)
_WORD = re.compile(r"[a-z]+")


_ENDS_SAYING = re.compile(rf"\b(?:{VERB})\s*$")


def ends_saying(text: str, a: int, b: int) -> bool:
    """Whether the narration text[a:b] ends with a verb of saying ("and Bo said")."""
    return bool(_ENDS_SAYING.search(text, max(a, b - 30), b))


def _saying(text: str) -> bool:
    """Whether `text` holds a verb of saying or thinking (a set lookup per word: quicker than a regex of them all)."""
    return not _SAYING.isdisjoint(_WORD.findall(text))
# Words after which a name or pronoun starts a main clause (not an object, not a subordinate clause).
_CLAUSE_LEADS = frozenset("and but then so yet even now still last here there soon moment once instantly "
                          "presently afterwards later again".split())


def _in_subject_place(text: str, i: int, start: int = 0) -> bool:
    """Whether a phrase at text[i] stands where a main clause's subject stands: at the sentence's start,
    after a stop, a comma or a dash, a capitalised word ("Bo's", "Even"), an adverb, or a word that
    leads a clause ("and", "but", "then"); not after a verb or a preposition (an object)."""
    before = text[start:i].rstrip()
    if not before or before[-1] in ",;:\u2014\u2013-":
        return True
    word = before.rsplit(None, 1)[-1].strip("-\u2014\u2013\"'(")
    return word[:1].isupper() and word[-1:] != "." or word.lower() in _CLAUSE_LEADS or word.endswith("ly")


_RELATIVE_END = re.compile(r"\b(?:which|whom|whose)\s+$")     # "the manner in which he spoke--"
_PHRASE = re.compile(r"(?:[Tt]he|[Hh]is|[Hh]er|[Tt]heir|[Mm]y|[Aa]ll|[Bb]oth|[Oo]ne|[Ee]ach|[Ss]ome)\s")


def _bare_name(clause: str, m: re.Match) -> bool:
    """A name or pronoun right before its verb, no comma between ("as soon as they were gone Bo began"):
    a subject wherever it stands (a described phrase there may be an object: "taking her hand, said")."""
    return not _PHRASE.match(m.group("subj")) and "," not in clause[m.end("subj"):m.start("verb")] \
        and not _HEARING.search(clause, max(0, m.start("subj") - 14), m.start("subj")) \
        and not _RELATIVE_END.search(clause, max(0, m.start("subj") - 8), m.start("subj"))


_SUBORDINATORS = frozenset("as when while if though although because for till until since after before once "
                           "where whereupon that".split())


def _after_subordinator(text: str, i: int) -> bool:
    """"as Bo said", "when she had said": a subordinate clause's subject is the speaker too."""
    words = re.split(r"[\s\u2014\u2013-]+", text[max(0, i - 40):i].rstrip())
    return bool(words) and words[-1].lower() in _SUBORDINATORS


def _predicate_subject(seg: str, reach: int) -> Tag | None:
    """The subject of the sentence whose last verb, coordinated with an earlier predicate, tags the quote:
    the last name or pronoun in its sentence standing in a subject's place before that verb."""
    m, tail = None, max(reach, len(seg) - 90)
    if not _saying(seg[tail:]):
        return None
    for m in _PREDICATE_END.finditer(seg, tail):    # the last verb of saying (in reach of the end)
        pass
    if not m or m.group("verb") in _OBJECT_VERBS:
        return None
    starts = [s for s in sentence_starts(seg, reach, m.start()) if s < m.start()]
    s = starts[-1] if starts else reach
    best, pos, object_end = None, s, -1
    while (c := _SUBJECT.search(seg, pos, m.start())) is not None:
        subj = c.group()
        own = subj[-2:] in _POSSESSIVE and _GERUND_AFTER.match(seg, c.end())    # "Bo's giving a sigh, and saying"
        common = _is_common_word(subj)
        if not common and (own or subj[-2:] not in _POSSESSIVE and _FOLLOWS_SUBJECT.match(seg, c.end())
                           and not (object_end >= 0 and not seg[object_end:c.start()].strip())
                           and (_in_subject_place(seg, c.start(), s) or _RELATIVE.match(seg, c.end())
                                or _FOR_TO.search(seg, s, c.start()) and _TO.match(seg, c.end())
                                or _HEARD_BEFORE.search(seg, s, c.start()))):
            best = Tag(c.start(), c.end() - (2 if own else 0), subj[:-2] if own else subj, m.group("verb"), "tag")
            relative = _RELATIVE.match(seg, c.end())    # on after "who" (not "the hall" of "Maria in the hall, who")
            pos = relative.end() if relative else c.end()
        elif not common and subj[-2:] not in _POSSESSIVE and _FOLLOWS_SUBJECT.match(seg, c.end()):
            pos = object_end = c.end()            # an object, all of it ("of his Very Deep Pit"), and an object
            # right after it is a second one ("gave the Pigeon the opportunity")
        else:                                     # "But Bo went": try again from the next word
            space = re.compile(r"\s").search(seg, c.start(), m.start())
            pos = space.end() if space else m.start()
    if best is not None and _hears(seg, best.end, m.start()):
        return None                               # "Emma heard him say,": the one heard speaks (the beat finds whom)
    return best


_HEARS = re.compile(r"(?<!was )(?<!were )(?<!been )(?<!be )\b(?:hear|heard|hears|hearing|overheard)\b[^,;:.!?]*$")


def _hears(seg: str, a: int, b: int) -> bool:
    """Whether the subject hears the words between a and the verb of saying at b ("heard him
    almost immediately say,"; not "was heard to say", not "heard a noise: then, saying")."""
    return bool(_HEARS.search(seg, a, b))


# A phrase right after a preposition is an object ("he turned to his partner, and said"), not the subject.
_PREPOSITION_END = re.compile(r"\b(?:to|with|at|towards|toward|from|of|on|upon|after|about|by|into)\s+$")


# "He heard Frank next say,": the one heard speaks, not the subject (the beat finds whom).
_HEARING = re.compile(r"\b(?:hear|heard|hears|hearing|overheard)\b")


_LEAD_SUBJECT = re.compile(_LEAD[1:] + rf"(?P<subj>{SUBJ}),?\s+(?=[a-z])")


def lead_subject(text: str, a: int, b: int, lang: str = "en") -> tuple[int, int, str] | None:
    """A subject right after a quote's closing mark, before a verb: `"Alright," Naruto releasing`."""
    if lang != "en":
        return langtags.lead_subject(text, a, b, lang)
    m = _LEAD_SUBJECT.match(text, a, b)
    if m and not _is_common_word(m.group("subj")):
        return (m.start("subj"), m.end("subj"), m.group("subj"))
    return None


_OBJECT_VERBS = frozenset({"told", "tells", "informed", "assured", "promised", "warned", "urged", "begged"})


def _tag(m: re.Match, base: int, seg: str, kind: str) -> Tag | None:
    verb = m.group("verb")
    subj = m.group("subj")
    start = base + m.start("subj")
    return Tag(start, start + len(subj), _OBJECT_PRONOUNS.get(subj, subj), verb, kind)   # "gave him time to say"


def _is_common_word(subject: str) -> bool:
    """Capitalised words that start sentences but never name a speaker, or a phrase
    cut at a conjunction or a preposition ("the look and" of "Ines caught the look and said",
    "the opportunity of" of "gave the Pigeon the opportunity of adding")."""
    words = subject.split()
    return words[0] in _NOT_NAMES or words[-1] in _JOINERS


_JOINERS = frozenset("and or but nor that which who whom then of to in for with at from by".split())


_NOT_NAMES = EN.not_names


def beat_subjects(text: str, a: int, b: int, lang: str = "en") -> list[tuple[int, int, str]]:
    """Subject pronouns in the sentence text[a:b] that sentence_bounds found: (start, end, word). (Its
    sentence has no clause start after its first: tests/test_quick_forms.py.)"""
    seg = text[a:b]
    words = _SUBJECT_WORD if lang == "en" else langtags.patterns(lang).subject_word
    return [(a + m.start(), a + m.end(), m.group()) for m in words.finditer(seg)]


def _foreign(found, shift: int = 0) -> Tag | None:
    """A Tag from langtags' (start, end, subject, verb, thought); the thought flag is kinds.py's, not a Tag's."""
    if found is None:
        return None
    start, end, subject, verb, _ = found
    return Tag(start + shift, end + shift, subject, verb, "tag")


_TAIL = 400


def _clause_starts(text: str, a: int = 0, b: int | None = None, since: int = 0) -> list[int]:
    """Where each sentence or clause after the first in text[a:b] begins (after . ! ? … or ;, not
    after "Mr."); with `since`, only those at or after it."""
    return sentence_starts(text, a, b, clauses=True, since=since)


def sentence_bounds(text: str, a: int, b: int, last: bool) -> tuple[int, int]:
    """Absolute start/end of the last (or first) sentence of text[a:b]."""
    if last and b - a > _TAIL:                  # the last sentence end is near the end: look there first
        w = b - _TAIL
        starts = _clause_starts(text, w, b)
        if starts:
            return starts[-1], b
    seg = text[a:b]
    bounds = [0] + _clause_starts(seg)
    if last:
        return a + bounds[-1], b
    return a, a + (bounds[1] if len(bounds) > 1 else len(seg))


_VOC_NAME = r"(?P<name>(?:(?:Mr|Mrs|Ms|Dr)\.\s*)?[A-Z][\w'\u2019-]*(?:\s+[A-Z][\w'\u2019-]*){0,2})"
_VOCATIVES = [
    re.compile(r"^[\"'\u201c\u2018\s]*(?:(?:Oh|O|Ah|Hey|Hi|Well|Yes|No|Now|Come|Dear|My dear|My)[,!]?\s+)?"
               + _VOC_NAME + r"\s*[,!?\u2014\u2026]"),
    re.compile(r",\s*(?:(?:my\s+)?dear(?:est)?\s+|(?:my\s+)?good\s+)?" + _VOC_NAME + r"\s*[,.!?;\u2014\u2026]"),
    re.compile(r"\s" + _VOC_NAME + r"\s*[,!]+\s*[\"'\u201d\u2019]?$"),
    # `\\b(?:you|me|...)`, each word's check after its first letter (not_after): the scan jumps to them
    re.compile("(?:%s)" % "|".join(not_after(r"\w", w) for w in "you me up now please here there so too".split())
               + r"\s+" + _VOC_NAME + r"\s*[,!?]"),
]


def vocative_spans(text: str, a: int, b: int, lang: str = "en") -> tuple[tuple[int, int], ...]:
    """Spans of names a quote text[a:b] addresses (candidates; the caller checks the cast)."""
    found = _vocatives(text[a:b], lang)
    return tuple((a + s, a + e) for s, e in found) if a else found


@lru_cache(maxsize=MEMO)
def _vocatives(seg: str, lang: str = "en") -> tuple[tuple[int, int], ...]:
    if lang != "en":
        return langtags.vocatives(seg)
    out = []
    tail = max(0, len(seg) - 60)                  # the end-of-quote pattern needs only the end
    for pattern in _VOCATIVES:
        start = tail if pattern is _VOCATIVES[2] else 0
        for m in pattern.finditer(seg, start):
            out.append((m.start("name"), m.end("name")))
    return tuple(out)


_FEMALE = frozenset("""wife mother sister daughter aunt lady girl woman niece mistress madam queen
duchess princess grandmother governess widow maid nurse mama mamma bride ladyship mom mommy mum mummy
grandma granny girlfriend""".split())
_MALE = frozenset("""husband father brother son uncle gentleman man boy nephew master sir king duke
prince grandfather papa lad fellow lord lordship dad daddy grandpa boyfriend""".split())


def gender_of_phrase(phrase: str, lang: str = "en") -> str | None:
    """she / he for a description like "his wife" or "the old gentleman", else None
    (in other languages: the first word of the phrase the table gives a gender, "sa mère")."""
    if lang != "en":
        nouns = language(lang).gendered_nouns
        return next((nouns[w] for w in phrase.lower().split() if w in nouns), None)
    head = phrase.split()[-1].lower().strip(",.")
    return "she" if head in _FEMALE else "he" if head in _MALE else None
