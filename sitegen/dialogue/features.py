"""Candidates for each quote's speaker and the features that speak for each (pure Python).

For every quote, the candidates are the characters in reach: the rules' pick,
the last two speakers, whom the previous line addressed, the most recently
mentioned characters, those named in this and the neighbouring paragraphs, and
whom the narration before it was last about (the last sentence subject; for a
pronoun in its tag or beat, the last character of that gender named and named as
a subject).
Each candidate gets a small dict of named features (binary or 0..1); scorer.py
weighs them with weights learned on the dev texts (bench/train_attribution.py).
"""
from __future__ import annotations

import bisect
import math
import re

from .salience import GROUP, after_preposition
from ..text.sentences import CLOSERS, STOPS, sentence_starts
from .around import split_mentions
from .tags import PRONOUNS, gender_of_phrase

_PRONOUN = re.compile(r"\b(he|she|He|She|I)\b")
NEAR = 60                  # characters of narration next to a quote that count as "near"
RECENT = 5                 # how many of the most recently mentioned characters are candidates
_GENDER = {"he": "he", "He": "he", "she": "she", "She": "she", "I": "i"}


def quote_features(a, wanted=None) -> list[list[tuple[str, dict[str, float]]]]:
    """For each span of the analysis `a`: [(candidate id, {feature: value})] (empty for
    spans that `wanted(k)` turns down)."""
    text, spans, kinds, votes = a.text, a.spans, a.kinds, a.votes
    pronouns = a.index.pronouns
    narration, quoted = split_mentions(a.mentions, spans)
    n_starts = [m.start for m in narration]
    q_starts = [m.start for m in quoted]
    counts: dict[str, int] = {}
    for m in narration:
        counts[m.ids[0]] = counts.get(m.ids[0], 0) + 1
    top = max(counts.values(), default=1)
    by_par = _speakers_by_paragraph(spans, kinds, votes)
    recent: list[str] = []
    fed = 0
    turns: list[str] = []
    prev_voc: tuple[str, ...] = ()
    out = []
    next_voc = _next_vocatives(spans, kinds, a.around, quoted, q_starts)
    starts = _WholeReading(text)
    for k, s in enumerate(spans):
        while fed < len(narration) and narration[fed].start < s.start:
            _touch(recent, _pick(recent, narration[fed].ids))
            fed += 1
        inside = quoted[bisect.bisect_left(q_starts, s.start):bisect.bisect_left(q_starts, s.end)]
        voc = _vocatives(a.around[k].vocatives, inside, recent)
        if wanted is not None and not wanted(k):
            out.append([])
            if _after(k, kinds, votes, turns, recent):
                prev_voc = voc
            continue
        ps, pe = a.paragraphs[s.paragraph]
        lo = spans[k - 1].end if k and spans[k - 1].paragraph == s.paragraph else ps
        hi = spans[k + 1].start if k + 1 < len(spans) and spans[k + 1].paragraph == s.paragraph else pe
        named_in = {_pick(recent, m.ids) for m in inside if text[m.start:m.end] != "I"}
        near = _near(text, narration, n_starts, recent, s, lo, hi, ps, pe, a.around[k])
        if k and spans[k - 1].paragraph == s.paragraph:
            near["same_par_speaker"] = votes[k - 1][0]
        near["antecedents"] = _antecedents(text, narration, n_starts, recent, pronouns, s.start,
                                           (("tag", near["tag_gender"]), ("beat", near["pron_before"])), starts)
        near["next_voc"] = tuple(_pick(recent, ids) for ids in next_voc[k])
        ctx = _Ctx(kinds[k], votes[k], turns, prev_voc, recent, voc, named_in, near,
                   by_par, s.paragraph, counts, top, pronouns, ps, pe, s, text, lo, hi)
        out.append(_candidates(ctx))
        if _after(k, kinds, votes, turns, recent):
            prev_voc = voc
    return out


def _after(k, kinds, votes, turns, recent) -> bool:
    """After a quote: its speaker (by the rules) takes the turn and becomes salient."""
    if kinds[k] != "speech" or not votes[k][0] or votes[k][0] == GROUP:
        return False
    if not turns or turns[-1] != votes[k][0]:
        turns.append(votes[k][0])
        del turns[:-4]
    _touch(recent, votes[k][0])
    return True


class _Ctx:
    """What one quote's features are computed from."""
    __slots__ = ("kind", "vote", "turns", "prev_voc", "recent", "voc", "named_in", "near", "by_par", "p",
                 "counts", "top", "pronouns", "ps", "pe", "span", "text", "lo", "hi")

    def __init__(self, kind, vote, turns, prev_voc, recent, voc, named_in, near, by_par, p,
                 counts, top, pronouns, ps, pe, span, text, lo, hi):
        self.kind, self.vote, self.turns, self.prev_voc, self.recent = kind, vote, turns, prev_voc, recent
        self.voc, self.named_in, self.near, self.by_par, self.p = voc, named_in, near, by_par, p
        self.counts, self.top, self.pronouns, self.ps, self.pe = counts, top, pronouns, ps, pe
        self.span, self.text, self.lo, self.hi = span, text, lo, hi


_NEAR_KEYS = ("name_near_after", "name_near_before", "name_paragraph", "name_prev_paragraph",
              "name_next_paragraph", "subject_near_after", "subject_near_before")


_RECENT = ("recent0", "recent1", "recent2", "recent3", "recent4")
_PRONOUN_FEATURES = {(agrees, where): ("pronoun-agrees-" if agrees else "pronoun-disagrees-") + where
                     for agrees in (True, False) for where in ("before", "after", "tag")}


def _candidates(c: _Ctx) -> list[tuple[str, dict[str, float]]]:
    """The candidates of one quote with their features: the roles each holds, in the order of
    _ROLES (tests/test_dialogue_scorer.py: the same features, in the same order, as marking
    each role's holder in that order), then the pronouns, the frequency and the bias."""
    near, bare = c.near, c.near["bare"]
    last = c.turns[-1] if c.turns else None
    second = c.turns[-2] if len(c.turns) > 1 else None
    by_par = c.by_par
    held = [(name, cid) for name, cid in (
        ("rule:" + c.vote[2], c.vote[0]), ("last1&bare" if bare else "last1", last),
        ("last2&bare" if bare else "last2", second), ("same-paragraph-speaker", near["same_par_speaker"]),
        ("previous-paragraph-speaker", by_par.get(c.p - 1)),
        ("two-back-speaker&bare" if bare else "two-back-speaker", by_par.get(c.p - 2)),
        ("next-paragraph-speaker", by_par.get(c.p + 1))) if cid]
    named = [(key, near[key]) for key in _NEAR_KEYS if near[key]]
    antecedents = near["antecedents"]
    voc, named_in, prev_voc, recent = c.voc, c.named_in, c.prev_voc, c.recent
    pronouns = [(w, p) for w, p in (("before", near["pron_before"]), ("after", near["pron_after"]),
                                    ("tag", near["tag_gender"])) if p]
    scale = math.log1p(c.top)
    first = recent[0] if recent else None
    out = []
    seen = set()
    for cid in (c.vote[0], last, second, *prev_voc, *recent[:RECENT], *near["all"], *voc,
                *(cid for _, cid in antecedents)):
        if not cid or cid in seen:
            continue
        seen.add(cid)
        f = {}
        for name, holder in held:
            if holder == cid:
                f[name] = 1.0
        if cid in voc:
            f["addressed-here"] = 1.0
        elif cid in named_in:
            f["named-here"] = 1.0
        if cid in prev_voc:
            f["addressed-before"] = 1.0
        if cid in near["next_voc"]:
            f["addressed-next"] = 1.0
        if cid in recent:
            f[_RECENT[min(recent.index(cid), 4)]] = 1.0
        for key, holders in named:
            if cid in holders:
                f[key] = 1.0
        for name, holder in antecedents:
            if holder == cid:
                f[name] = 1.0
        f["bias"] = 1.0
        gender = c.pronouns.get(cid, "they")
        for where, pron in pronouns:
            f[_PRONOUN_FEATURES[pron == gender, where]] = 1.0
        f["frequency"] = math.log1p(c.counts.get(cid, 0)) / scale
        if c.kind != "speech":
            f["thought&recent0"] = float(first == cid)
        out.append((cid, f))
    return out


def _near(text, narration, n_starts, recent, s, lo, hi, ps, pe, found) -> dict:
    """Who is named in the narration around a quote, and which pronouns stand next to it (each
    name list in reading order; a name may come twice); `found`: the quote's around.Around."""
    at = bisect.bisect_left

    def names(i, j):
        return [_pick(recent, m.ids) for m in narration[i:j]]
    first_after = at(n_starts, s.end)
    after = names(first_after, at(n_starts, min(hi, s.end + NEAR)))
    before = names(at(n_starts, max(lo, s.start - NEAR)), at(n_starts, s.start))
    par_start, par_end = at(n_starts, ps), at(n_starts, pe)
    par = names(par_start, par_end)
    prev_par = names(max(at(n_starts, max(0, ps - 600)), par_start - 3), par_start)   # the last three
    next_par = names(par_end, min(at(n_starts, pe + 300), par_end + 2))               # the first two
    pa = _PRONOUN.search(text, s.end, min(hi, s.end + NEAR))
    pb = None
    for pb in _PRONOUN.finditer(text, max(lo, s.start - NEAR), s.start):
        pass
    tag = found.after or found.before
    first_word = first_after < len(narration) and narration[first_after].start < hi and \
        not text[s.end:narration[first_after].start].strip(" ,;\u2014-\n")
    return {"all": [*after, *before, *par, *prev_par, *next_par], "tag_gender": _tag_gender(tag),
            "name_near_after": after, "name_near_before": before, "name_paragraph": par,
            "name_prev_paragraph": prev_par, "name_next_paragraph": next_par,
            "subject_near_after": after[:1] if first_word else (),
            "subject_near_before": before[-1:],
            "pron_after": _GENDER[pa.group()] if pa else None, "pron_before": _GENDER[pb.group()] if pb else None,
            "bare": _only_quotes(text, s, lo, hi), "same_par_speaker": None}


def _next_vocatives(spans, kinds, around, quoted, q_starts) -> list[tuple]:
    """For each quote, the characters the next line of speech addresses by name (its ids per name),
    when it follows in the same paragraph or the next: whom the next speaker answers spoke this line
    ("What you did was very stupid," a voice told her. "Naruto," Sakura said)."""
    out: list[tuple] = [()] * len(spans)
    nxt: tuple = ()
    for k in range(len(spans) - 1, -1, -1):
        out[k] = nxt if k + 1 < len(spans) and spans[k + 1].paragraph - spans[k].paragraph <= 1 else ()
        if kinds[k] == "speech":
            found = around[k].vocatives
            if found:
                s = spans[k]
                starts = {m.start: m.ids for m in quoted[bisect.bisect_left(q_starts, s.start):
                                                         bisect.bisect_left(q_starts, s.end)]}
                nxt = tuple(starts[a] for a, _ in found if a in starts)
            else:
                nxt = ()
    return out


REACH = 800                # how far back a pronoun's antecedent is looked for


def _antecedents(text, narration, n_starts, recent, pronouns, pos, wanted, starts=None) -> list[tuple[str, str]]:
    """Who the narration before the quote (up to REACH characters back) was last about: the last
    character named as a sentence's subject, its first name not after a preposition nor a
    possessive (`last-subject`: "Kakashi frowned." then a line); and for a pronoun next to the quote
    (its speech tag's, `("tag", "she")`, or the beat's before it), the character of that gender
    last named (`tag-antecedent-mention`) and last named as a subject (`tag-antecedent-subject`):
    "Mrs. Blewett darted her eyes over Anne. 'How old are you?' she demanded." means Mrs. Blewett."""
    lo = max(0, pos - REACH)
    hits = narration[bisect.bisect_left(n_starts, lo):bisect.bisect_left(n_starts, pos)]
    if not hits:
        return []
    subjects = _subjects(text, hits, lo, pos, starts)
    out, found = [], set()
    wanted = [("last", None)] + [(where, g) for where, g in wanted if g in ("he", "she")]
    for where, g in wanted:
        mention = subject = None
        for m, subj in zip(reversed(hits), reversed(subjects)):
            cid = _pick(recent, m.ids)
            if g is not None and pronouns.get(cid) != g:
                continue
            mention = mention or cid
            if subj:
                subject = cid
                break
        named = (("last-subject", subject),) if g is None else \
            ((where + "-antecedent-mention", mention), (where + "-antecedent-subject", subject))
        for name, cid in named:
            if cid and (name, cid) not in found:
                found.add((name, cid))
                out.append((name, cid))
    return out


_NOT_A_WORD = frozenset(STOPS + CLOSERS)


class _WholeReading:
    """The sentence starts of the whole text, read once when first asked for (quote_features'
    windows overlap: each quote's reaches REACH characters back)."""
    __slots__ = ("text", "_starts")

    def __init__(self, text: str):
        self.text, self._starts = text, None

    def between(self, a: int, b: int) -> list[int]:
        """The starts s with a < s < b."""
        if self._starts is None:
            self._starts = sentence_starts(self.text)
        g = self._starts
        return g[bisect.bisect_right(g, a):bisect.bisect_left(g, b)]


def _subjects(text, hits, lo, pos, whole: _WholeReading | None = None) -> list[bool]:
    """Whether each mention in `hits` (reading order, within text[lo:pos]) is its sentence's first
    and stands as a subject: neither possessive nor after a preposition.

    Only whether a sentence starts between two mentions counts, so the sentences are read from the
    first mention to the last, not over all of text[lo:pos]: a mention that starts with a letter
    cannot lie inside a sentence's end (stops and closing marks) nor in the white space after one,
    so that reading finds the same starts between them, and so does the whole text's reading
    (`whole`) between them. A name that starts otherwise (a cast's "'Lizbeth") takes
    text[lo:pos]'s own."""
    if len(hits) < 2:
        sentences = []
    elif any(text[m.start] in _NOT_A_WORD or text[m.start].isspace() for m in hits):
        sentences = [lo, *sentence_starts(text, lo, pos)]
    elif whole is not None:
        sentences = whole.between(hits[0].start, hits[-1].start + 1)
    else:
        sentences = sentence_starts(text, hits[0].start, hits[-1].start + 1)
    seen_sentence: set[int] = set()
    subjects = []
    for m in hits:                                   # reading order: is each the first of its sentence?
        sid = bisect.bisect_right(sentences, m.start)
        subjects.append(sid not in seen_sentence and not m.possessive
                        and not after_preposition(text, m.start))
        seen_sentence.add(sid)
    return subjects


def _tag_gender(tag) -> str | None:
    """she / he of a speech tag's subject: its pronoun, or the noun of a description ("his mother")."""
    if tag is None:
        return None
    gender = PRONOUNS.get(tag.subject)
    if gender in ("he", "she"):
        return gender
    words = tag.subject.split()
    if len(words) >= 2 and words[-1][:1].islower():
        return gender_of_phrase(tag.subject)
    return None


def _only_quotes(text, s, lo, hi) -> bool:
    """The quote stands alone: no narration of more than a few characters around it."""
    return len(text[lo:s.start].strip()) < 3 and len(text[s.end:hi].strip()) < 3


def _vocatives(found, inside, recent) -> tuple[str, ...]:
    """Characters the quote addresses by name (`found`: where their names stand; `inside`: its mentions)."""
    if not found:
        return ()
    out = []
    starts = {m.start: m for m in inside}
    for a, _ in found:
        m = starts.get(a)
        if m:
            out.append(_pick(recent, m.ids))
    return tuple(dict.fromkeys(out))


def _speakers_by_paragraph(spans, kinds, votes) -> dict[int, tuple[str, float]]:
    """The rules' speaker of each paragraph's first speech quote."""
    out: dict[int, tuple[str, float]] = {}
    for s, kind, (who, conf, _) in zip(spans, kinds, votes):
        if kind == "speech" and who and s.paragraph not in out:
            out[s.paragraph] = (who, conf)
    return {p: v[0] for p, v in out.items()}


def _pick(recent: list[str], ids: tuple[str, ...]) -> str:
    if len(ids) > 1:
        for cid in recent:
            if cid in ids:
                return cid
    return ids[0]


def _touch(recent: list[str], cid: str) -> None:
    if cid in recent:
        recent.remove(cid)
    recent.insert(0, cid)
    del recent[12:]
