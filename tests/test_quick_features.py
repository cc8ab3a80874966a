"""The scorer's quick paths give exactly what their plain definitions (written here only) give.

features._candidates reads, for each candidate, which roles it holds; the plain definition marks
each role's holder in turn and gives each candidate the roles marked for it, in marking order. The
features and their order must be the same: the scores are sums taken in that order.
"""
from __future__ import annotations

import math

from hypothesis import given, settings, strategies as st

from sitegen.dialogue.features import _NEAR_KEYS, _PRONOUN_FEATURES, _RECENT, RECENT, _candidates, _Ctx

IDS = ["ana", "bo", "cy", "di", "ed", "fay", "gus"]


def plain_candidates(c: _Ctx) -> list[tuple[str, dict[str, float]]]:
    """The definition: each role marks the one who holds it, in this order."""
    near, bare = c.near, c.near["bare"]
    last = c.turns[-1] if c.turns else None
    second = c.turns[-2] if len(c.turns) > 1 else None
    marks: dict[str, list[str]] = {}

    def mark(cid, name):
        if cid:
            marks.setdefault(cid, []).append(name)

    mark(c.vote[0], "rule:" + c.vote[2])
    mark(last, "last1&bare" if bare else "last1")
    mark(second, "last2&bare" if bare else "last2")
    mark(near["same_par_speaker"], "same-paragraph-speaker")
    mark(c.by_par.get(c.p - 1), "previous-paragraph-speaker")
    mark(c.by_par.get(c.p - 2), "two-back-speaker&bare" if bare else "two-back-speaker")
    mark(c.by_par.get(c.p + 1), "next-paragraph-speaker")
    for cid in c.voc:
        mark(cid, "addressed-here")
    for cid in c.named_in:
        if cid not in c.voc:
            mark(cid, "named-here")
    for cid in c.prev_voc:
        mark(cid, "addressed-before")
    for cid in near["next_voc"]:
        mark(cid, "addressed-next")
    for i, cid in enumerate(c.recent):
        mark(cid, _RECENT[min(i, 4)])
    for key in _NEAR_KEYS:
        for cid in near[key]:
            mark(cid, key)
    for name, cid in near["antecedents"]:
        mark(cid, name)
    pronouns = [(w, p) for w, p in (("before", near["pron_before"]), ("after", near["pron_after"]),
                                    ("tag", near["tag_gender"])) if p]
    out, seen = [], set()
    for cid in (c.vote[0], last, second, *c.prev_voc, *c.recent[:RECENT], *near["all"], *c.voc,
                *(cid for _, cid in near["antecedents"])):
        if not cid or cid in seen:
            continue
        seen.add(cid)
        f = dict.fromkeys(marks.get(cid, ()), 1.0)
        f["bias"] = 1.0
        gender = c.pronouns.get(cid, "they")
        for where, pron in pronouns:
            f[_PRONOUN_FEATURES[pron == gender, where]] = 1.0
        f["frequency"] = math.log1p(c.counts.get(cid, 0)) / math.log1p(c.top)
        if c.kind != "speech":
            f["thought&recent0"] = float((c.recent[0] if c.recent else None) == cid)
        out.append((cid, f))
    return out


who = st.sampled_from(IDS)
maybe = st.one_of(st.none(), who)
names = st.lists(who, max_size=4)
gender = st.sampled_from([None, "he", "she", "i"])


@st.composite
def contexts(draw) -> _Ctx:
    near = {key: draw(names) for key in _NEAR_KEYS}
    near.update(bare=draw(st.booleans()), same_par_speaker=draw(maybe), pron_before=draw(gender),
                pron_after=draw(gender), tag_gender=draw(gender),
                next_voc=tuple(draw(st.lists(who, max_size=2, unique=True))),
                antecedents=draw(st.lists(st.tuples(st.sampled_from(["last-subject", "tag-antecedent-mention",
                                                                      "beat-antecedent-subject"]), who),
                                          max_size=3, unique=True)))
    near["all"] = [cid for key in _NEAR_KEYS[:5] for cid in near[key]]
    p = draw(st.integers(2, 5))
    return _Ctx(draw(st.sampled_from(["speech", "thought"])), (draw(maybe), 0.5, draw(st.sampled_from(["name-tag", "turn"]))),
                draw(st.lists(who, max_size=4)), tuple(draw(st.lists(who, max_size=2, unique=True))),
                draw(st.lists(who, max_size=7, unique=True)), tuple(draw(st.lists(who, max_size=2, unique=True))),
                set(draw(names)), near, {q: draw(who) for q in draw(st.lists(st.integers(0, 7), max_size=4))}, p,
                {cid: draw(st.integers(0, 9)) for cid in draw(names)}, 9,
                {cid: draw(st.sampled_from(["he", "she", "they"])) for cid in draw(names)},
                0, 10, None, "", 0, 10)


@settings(max_examples=500, deadline=None)
@given(contexts())
def test_candidates_have_the_features_the_plain_marking_gives(c):
    got, want = _candidates(c), plain_candidates(c)
    assert [(cid, list(f.items())) for cid, f in got] == [(cid, list(f.items())) for cid, f in want]
