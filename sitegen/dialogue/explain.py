"""How a decision is told to the author: the evidence in the text for each quote's speaker.

Every vote records the named rule that cast it (rules.py lists them, with what each means);
the learned scorer (scorer.py) records, after the rule's name, how many characters it weighed,
the features that spoke most for its pick and the turn-taking pattern (sequence.py) it
followed. Here those internal names become sentences an author can check against the text
("speech tag \"said Derek\" right after the quote", "spoke two lines before"), with one
number: the quote's confidence.
"""
from __future__ import annotations

import bisect
from typing import NamedTuple

from .rules import RULES
from .tags import lead_subject, sentence_bounds, tag_after, tag_before

MEANINGS = dict(RULES)

# What each scorer feature means for the candidate it marks ({} is the candidate's name).
FEATURES = {
    "subject_near_after": "{} is the subject right after the quote",
    "subject_near_before": "{} is named just before the quote",
    "name_near_after": "{} is named just after the quote",
    "name_near_before": "{} is named just before the quote",
    "name_paragraph": "{} is named in this paragraph",
    "name_prev_paragraph": "{} is named in the paragraph before",
    "name_next_paragraph": "{} is named in the next paragraph",
    "pronoun-agrees-tag": "the pronoun of the speech tag fits {}",
    "pronoun-agrees-before": "the he/she just before the quote fits {}",
    "pronoun-agrees-after": "the he/she just after the quote fits {}",
    "frequency": "{} is one of the characters the text names most",
    "recent0": "{} is the character named last",
    "recent1": "{} is the character named before last",
    "recent2": "{} was named a few lines up",
    "thought&recent0": "{} is the character named last (for a thought)",
    "last1": "{} spoke the line before",
    "last1&bare": "{} spoke the line before, and this line stands alone",
    "last2": "{} spoke two lines before",
    "last2&bare": "{} last spoke two lines before, and this line stands alone (turns alternate)",
    "same-paragraph-speaker": "{} speaks the quote before it in this paragraph",
    "previous-paragraph-speaker": "{} spoke in the paragraph before",
    "two-back-speaker": "{} last spoke two paragraphs up",
    "two-back-speaker&bare": "{} last spoke two paragraphs up, and this line stands alone (turns alternate)",
    "next-paragraph-speaker": "{} speaks in the next paragraph",
    "addressed-before": "the line before spoke to {} by name",
    "addressed-here": "this line speaks to {} by name",
    "named-here": "this line names {}",
    "last-subject": "the narration before this line was last about {}",
    "tag-antecedent-subject": "the speech tag's pronoun fits {}, the last such character the narration was about",
    "tag-antecedent-mention": "the speech tag's pronoun fits {}, the last such character named",
    "beat-antecedent-subject": "the pronoun before the line fits {}, the last such character the narration was about",
    "beat-antecedent-mention": "the pronoun before the line fits {}, the last such character named",
}

# How the quote follows the last line of speech, and whose turn it is (sequence.relation).
LINKS = {"same-par": "in the same paragraph", "same-par-bare": "right after it in the same paragraph",
         "next-par": "in the next paragraph",
         "next-par-bare": "alone in the next paragraph", "continues": "running on from the paragraph before",
         "gap": "after some narration"}
TURNS = {"same": "the same speaker goes on", "back": "turns alternate: back to the one who spoke before",
         "new": "someone new joins in"}


class Evidence(NamedTuple):
    """A decision's evidence string, taken apart (see scorer.py for how it is written)."""
    rule: str
    rule_speaker: str | None     # whom the rule voted for, when the scorer chose someone else
    candidates: int              # how many characters the scorer weighed (0: the rule decided alone)
    features: tuple[str, ...]    # the features that spoke most for the pick, strongest first
    sequence: str | None         # the turn-taking relation that helped, e.g. "next-par&back"


def parse(evidence: str) -> Evidence:
    parts = [p.strip() for p in evidence.split(";")]
    rule, voted, n, feats, seq = parts[0], None, 0, (), None
    for part in parts[1:]:
        key, _, value = part.partition(" ")
        if key == "voted":
            voted = value or None
        elif key == "scorer":
            head, _, why = value.partition(":")
            n = int(head.split(" of ")[1]) if " of " in head else 2
            feats = tuple(f.strip().rsplit(" ", 1)[0] for f in why.split(",") if f.strip())
        elif key == "sequence":
            rel, _, weight = value.partition(" ")
            seq = rel if not weight.startswith("-") else None
    return Evidence(rule, voted, n, feats, seq)


def reason(evidence: str) -> str:
    """The rule's finding in a few words (for `sitegen check`)."""
    e = parse(evidence)
    meaning = MEANINGS.get(e.rule, e.rule)
    if e.rule_speaker:
        return f"{meaning}, but that pointed to {e.rule_speaker}"
    return meaning


def sureness(confidence: float, speaker: str | None) -> str:
    if speaker is None:
        return "no speaker found"
    return "sure" if confidence >= 0.9 else "fairly sure" if confidence >= 0.5 else \
        "unsure" if confidence >= 0.2 else "a guess"


def describe(evidence: str, name=lambda cid: cid, found: str | None = None) -> str:
    """The evidence as sentences: what the rule found in the text (`found`, when the caller could
    point at it), what else speaks for the speaker, and the turn-taking pattern."""
    e = parse(evidence)
    out = [found or MEANINGS.get(e.rule, e.rule)]
    if e.rule_speaker:
        out[0] += f" (it pointed to {name(e.rule_speaker)}, but the rest of the evidence did not)"
    if e.candidates == 1:
        out.append("the only character in reach")
    elif e.candidates:
        out.append(f"weighed against {e.candidates - 1} other character{'s' if e.candidates > 2 else ''}")
    return "; ".join(out)


def supporting(evidence: str, speaker: str | None, name=lambda cid: cid) -> list[str]:
    """The scorer's reasons for the speaker, and the turn-taking pattern it followed."""
    e = parse(evidence)
    if speaker is None:
        return []
    who = name(speaker)
    out = [FEATURES[f].format(who) for f in e.features if f in FEATURES]     # (a "rule:" feature is not one)
    if e.sequence:
        link, _, turn = e.sequence.partition("&")
        out.append(f"{TURNS.get(turn, turn)} ({LINKS.get(link, link)})")
    return out


def evidence_lines(text: str, paragraphs, quotes, i: int, names: dict[str, str], lang: str = "en") -> list[str]:
    """The evidence for the speaker of quotes[i] (quotes of `text` in reading order), as
    sentences: what the rule found, quoted from the text, then what else speaks for them."""
    q = quotes[i]
    if not q.evidence:
        return ["no evidence recorded"]
    starts = [a for a, _ in paragraphs]
    ps, pe = paragraphs[max(0, bisect.bisect_right(starts, q.start) - 1)] if paragraphs else (0, len(text))
    lo = max(ps, quotes[i - 1].end) if i and quotes[i - 1].end <= q.start else ps
    hi = min(pe, quotes[i + 1].start) if i + 1 < len(quotes) and quotes[i + 1].start >= q.end else pe
    rule = q.evidence.split(";")[0].strip()
    name = names.get
    out = [describe(q.evidence, lambda cid: name(cid, cid), found_in_text(rule, text, q.start, q.end, lo, hi, lang))]
    more = supporting(q.evidence, q.speaker, lambda cid: name(cid, cid))
    return out + (["also: " + "; ".join(more)] if more else [])


def found_in_text(rule: str, text: str, start: int, end: int, lo: int, hi: int, lang: str = "en") -> str | None:
    """What the rule saw, quoted from the text around the quote text[start:end] (narration
    text[lo:start] before it and text[end:hi] after it, within its paragraph)."""
    base = rule.removesuffix("-pronoun")
    if base in ("name-tag", "pronoun-tag", "description-tag", "latter-former", "both-halves"):
        tag, where, a, b = tag_after(text, end, hi, lang), "right after the quote", end, hi
        if tag is None:
            tag, where, a, b = tag_before(text, lo, start, lang), "just before the quote", lo, start
        if tag is not None:                       # the tag's words, from the verb or subject to the other
            words = _words(text, min(tag.start, _verb_start(text, tag, a)), _tag_end(text, tag, b))
            both = " (for both halves of the quote)" if base == "both-halves" else ""
            return f"speech tag {words} {where}{both}"
    if base == "runs-on":                         # the previous quote's tag, its sentence ended before this one
        tag = tag_after(text, lo, start, lang)
        if tag is not None:
            words = _words(text, min(tag.start, _verb_start(text, tag, lo)), _tag_end(text, tag, start))
            return f"speech tag {words} of the quote before, whose speech this quote goes on with"
    if base in ("beat-before", "lead-in-beat") and lo < start:
        a, b = sentence_bounds(text, lo, start, last=True)
        return f"action {_words(text, a, b)} just before the quote" if text[a:b].strip() else None
    if base == "subject-after":
        if lead_subject(text, end, hi, lang):
            a, b = sentence_bounds(text, end, hi, last=False)
            return f"{_words(text, a, b)} right after the quote"
    if base == "beat-after" and end < hi:
        a, b = sentence_bounds(text, end, hi, last=False)
        return f"action {_words(text, a, b)} after the quote" if text[a:b].strip() else None
    return None


def _verb_start(text: str, tag, lo: int) -> int:
    k = text.rfind(tag.verb, max(lo, tag.start - 40), tag.start) if tag.verb else -1
    return k if k >= 0 else tag.start


def _tag_end(text: str, tag, hi: int) -> int:
    k = text.find(tag.verb, tag.end, min(hi, tag.end + 40)) if tag.verb else -1
    return max(tag.end, k + len(tag.verb)) if k >= 0 else tag.end


def _words(text: str, a: int, b: int, limit: int = 50) -> str:
    """text[a:b] quoted on one line, cut at a word near `limit` characters."""
    words = " ".join(text[a:b].split()).strip(" ,.;:")
    if len(words) > limit:
        words = words[:limit].rsplit(" ", 1)[0] + " …"
    return f"“{words}”"
