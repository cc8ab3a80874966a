"""The learned scorer: weigh each quote's candidates and pick its speaker, recording why.

Weights are plain data (data/attribution.json), trained on the dev texts by
bench/train_attribution.py; scoring is a dot product and a softmax in pure
Python. Where a rule's vote and the scorer's pick differ, the model's `combine` weights
(a logistic regression learned leave one dev text out: which rule voted, how far the
scorer's own pick is ahead of the rule's, how sure the scorer is) say whether the rule's
vote stands alone or the scorer and the decoder decide; where they agree, the rules named
in the model's `alone` list decide on their own (chosen by bench/train_attribution.py: a
rule decides alone only where, left one dev text out, it is as precise as the scorer on
the quotes it votes for). The scorer decides the rest, with the rules' votes among its
features. Older weights without `combine`: the `alone` list decides every quote. Without weights (model=None), or for a text
in another language than the one the weights were trained on (English: the dev
texts), the rules' votes stand as they are.
"""
from __future__ import annotations

import json
import math
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

from .features import quote_features
from .salience import GROUP
from .sequence import advance, decode, links, relation

DEFAULT = object()            # find_quotes(model=DEFAULT): the shipped weights


class Decision(NamedTuple):
    """One quote's speaker, the confidence in it (0..1) and the evidence that decided it."""
    speaker: str | None
    confidence: float
    evidence: str


@lru_cache(maxsize=1)
def load_model() -> dict | None:
    """The shipped weights, or None when the package has none."""
    try:
        raw = resources.files(__package__).joinpath("data", "attribution.json").read_text(encoding="utf-8")
    except (FileNotFoundError, OSError):
        return None
    return json.loads(raw)


def decide(a, model: dict | None) -> list[Decision]:
    """A decision for every span of the analysis `a`."""
    rules = [Decision(v.speaker, v.confidence, v.rule) for v in a.votes]
    if not model or a.language != model.get("language", "en"):
        return rules                             # weights learned on another language's texts
    weights = model["weights"]
    feats = quote_features(a, deciding(a, model))
    scored = [_scores(c, weights) if c else None for c in feats]     # once a quote, for both uses below
    combine = model.get("combine")
    if combine is not None:
        alone = frozenset(model.get("alone", ()))
        for k, c in enumerate(feats):
            if c and rule_decides(c, weights, combine, a.votes[k], alone, scored[k]):
                feats[k], scored[k] = [], None
    items = sequence_items(a, feats, weights, scored)
    transitions = model.get("transitions")
    if not transitions:
        return [_best(c, weights, r) if c else r for c, r in zip(feats, rules)]
    path = decode(items, transitions)
    out, state = [], (None, None)
    for cands, r, (emissions, link, speech), c in zip(feats, rules, items, path):
        cid = emissions[c][0]
        out.append(_in_sequence(cands, weights, r, emissions, link, state, transitions, cid) if cands else r)
        state = advance(state, cid, speech)
    return out


def deciding(a, model: dict):
    """Which quotes the scorer decides: those no rule of the model's `alone` list decided
    (older weights: those whose rule's confidence is below the `gate`), never an override nor a
    group's line (no candidate of the scorer's is a group)."""
    alone = model.get("alone")
    if model.get("combine") is not None:
        alone = ()                              # the combination decides quote by quote (decide)
    elif alone is None:
        gate = model.get("gate", 2.0)
        return lambda k: k not in a.overrides and a.votes[k].speaker != GROUP and a.votes[k].confidence < gate
    alone = frozenset(alone)
    return lambda k: k not in a.overrides and a.votes[k].speaker != GROUP and a.votes[k].rule not in alone


def combination(candidates, weights: dict[str, float], vote, scores: list[float] | None = None) -> dict[str, float]:
    """What the learned combination weighs to let a rule's vote stand or give the quote to the scorer:
    which rule voted, how much less likely the scorer finds the rule's pick than its own (log-odds,
    0 when they agree) and how sure the scorer is of its own (`scores`: the candidates', if known)."""
    scores = scores if scores is not None else _scores(candidates, weights)
    top = max(scores)
    mine = next((s for (cid, _), s in zip(candidates, scores) if cid == vote.speaker), None)
    if mine is None:
        return {}
    p_top = 1.0 / sum(math.exp(s - top) for s in scores)
    return {"bias": 1.0, "rule:" + vote.rule: 1.0, "margin": mine - top, "top": p_top}


def rule_decides(candidates, weights: dict[str, float], combine: dict[str, float], vote, alone,
                 scores: list[float] | None = None) -> bool:
    """Whether the rule's vote stands alone (the learned combination, bench/train_attribution.py):
    never a vote for no one; where the scorer agrees, as the rule's place in `alone` says; where it
    does not, by the combination's log-odds that the rule is the right one of the two."""
    if not vote.speaker:
        return False
    x = combination(candidates, weights, vote, scores)
    if not x:
        return False
    if x["margin"] == 0.0:
        return vote.rule in alone
    return sum(combine.get(f, 0.0) * v for f, v in x.items()) > 0


# Rules that read a speech tag naming the speaker. Where the scorer agrees with such a tag, the
# quote is an anchor of its exchange: the decoder keeps that speaker and may not trade it for a
# smoother run of turns (a learned "same speaker again" once overruled "said Ines" after "Tomo said").
TAG_RULES = frozenset({"name-tag", "latter-former", "both-halves"})


def sequence_items(a, feats, weights: dict[str, float], scored=None) -> list[tuple[tuple, str, bool]]:
    """(candidates with their log-probability, link to the speech before, is speech) per quote;
    a quote the rules decided has one candidate, the rule's; so has a quote whose speech tag the
    scorer agrees with (TAG_RULES): the sequence may not overrule it (`scored`: each quote's candidates'
    scores, where decide has them). All tuples of strings and
    numbers, which the cyclic collector stops tracking (sequence.decode's layers likewise)."""
    items = []
    for k, (cands, link) in enumerate(zip(feats, links(a.spans, a.kinds, a.paragraphs, a.text))):
        if cands:
            scores = scored[k] if scored is not None else _scores(cands, weights)
            top = max(scores)
            norm = top + math.log(sum(math.exp(s - top) for s in scores))
            emissions = tuple((cid, s - norm) for (cid, _), s in zip(cands, scores))
            vote = a.votes[k]
            if vote.rule in TAG_RULES and cands[scores.index(top)][0] == vote.speaker:
                emissions = ((vote.speaker, top - norm),)
        else:
            emissions = ((a.votes[k].speaker, 0.0),)
        items.append((emissions, link, a.kinds[k] == "speech"))
    return items


def _scores(candidates, weights: dict[str, float]) -> list[float]:
    get = weights.get
    scores = []
    for _, feats in candidates:
        total = 0.0
        for f, v in feats.items():
            total += get(f, 0.0) * v
        scores.append(total)
    return scores


def _why(feats: dict[str, float], weights: dict[str, float]) -> str:
    get = weights.get
    reasons = sorted([(get(f, 0.0) * v, f) for f, v in feats.items() if f != "bias"], reverse=True)[:3]
    return ", ".join(f"{f} {w:+.1f}" for w, f in reasons if w > 0)


def _in_sequence(candidates, weights, rule: Decision, emissions, link: str, state, transitions, cid: str) -> Decision:
    """The candidate `cid` the sequence chose, with its probability given the turns before it (an
    anchor, the only candidate the sequence had: its probability by the scorer)."""
    totals = []
    scale = transitions.get("emission", 1.0)
    for other, e in emissions:
        rel = relation(link, other, state)
        totals.append(scale * e + (transitions.get(rel, 0.0) if rel else 0.0))
    top = max(totals)
    c = next(i for i, (other, _) in enumerate(emissions) if other == cid)
    prob = math.exp(totals[c] - top) / sum(math.exp(t - top) for t in totals) if len(emissions) > 1 \
        else math.exp(emissions[0][1])
    feats = next(f for other, f in candidates if other == cid)
    rel = relation(link, cid, state)
    turn = f"; sequence {rel} {transitions.get(rel, 0.0):+.1f}" if rel and transitions.get(rel) else ""
    confidence = rule.confidence if len(candidates) == 1 else prob
    return Decision(cid, confidence, f"{rule.evidence}{_voted(rule, cid)}; scorer p={math.exp(emissions[c][1]):.2f} "
                                     f"of {len(candidates)}: {_why(feats, weights)}{turn}")


def _best(candidates, weights: dict[str, float], rule: Decision, gate: float = 1.0) -> Decision:
    """The highest-scoring candidate and its top features; its confidence is its softmax
    probability among the candidates, or the rule's own when there was no one else to choose."""
    scores = _scores(candidates, weights)
    top = max(scores)
    total = sum(math.exp(s - top) for s in scores)
    k = scores.index(top)
    cid, feats = candidates[k]
    prob = 1.0 / total
    confidence = rule.confidence if len(candidates) == 1 else prob
    return Decision(cid, confidence, f"{rule.evidence}{_voted(rule, cid)}; scorer p={prob:.2f} of {len(candidates)}: "
                                     f"{_why(feats, weights)}")


def _voted(rule: Decision, cid: str | None) -> str:
    """`; voted X` when the rule voted for someone other than the scorer's pick (explain.py reads it)."""
    return f"; voted {rule.speaker}" if rule.speaker and rule.speaker != cid else ""
