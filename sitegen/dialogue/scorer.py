"""The learned scorer: weigh each quote's candidates and pick its speaker, recording why.

Weights are plain data (data/attribution.json), trained on the dev texts by
bench/train_attribution.py; scoring is a dot product and a softmax in pure
Python. The rules named in the model's `alone` list decide on their own (chosen by
bench/train_attribution.py: a rule decides alone only where, left one dev text out,
it is more precise than the scorer on the quotes it votes for); the scorer decides
the rest, with the rules' votes among its features. Without weights (model=None), or for a text
in another language than the one the weights were trained on (English: the dev
texts), the rules' votes stand as they are.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from .features import quote_features

DEFAULT = object()            # find_quotes(model=DEFAULT): the shipped weights


@dataclass(frozen=True)
class Decision:
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
    weights, gate = model["weights"], model.get("gate", 2.0)
    alone = model.get("alone")
    if alone is None:                            # older weights: a confidence threshold
        def wanted(k):
            return k not in a.overrides and a.votes[k].confidence < gate
    else:
        alone = frozenset(alone)

        def wanted(k):
            return k not in a.overrides and a.votes[k].rule not in alone
    out = []
    for k, candidates in enumerate(quote_features(a, wanted)):
        if not candidates:
            out.append(rules[k])
            continue
        out.append(_best(candidates, weights, rules[k], gate))
    return out


def _best(candidates, weights: dict[str, float], rule: Decision, gate: float = 1.0) -> Decision:
    """The highest-scoring candidate and its top features; its confidence is its softmax
    probability among the candidates, or the rule's own when there was no one else to choose."""
    get = weights.get
    scores = []
    for _, feats in candidates:
        total = 0.0
        for f, v in feats.items():
            total += get(f, 0.0) * v
        scores.append(total)
    top = max(scores)
    total = sum(math.exp(s - top) for s in scores)
    k = scores.index(top)
    cid, feats = candidates[k]
    prob = 1.0 / total
    confidence = rule.confidence if len(candidates) == 1 else prob
    reasons = sorted(((weights.get(f, 0.0) * v, f) for f, v in feats.items() if f != "bias"), reverse=True)[:3]
    why = ", ".join(f"{f} {w:+.1f}" for w, f in reasons if w > 0)
    return Decision(cid, confidence, f"{rule.evidence}; scorer p={prob:.2f}: {why}")
