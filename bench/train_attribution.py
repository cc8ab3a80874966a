"""Train the speaker scorer's weights on the dev texts (TRAIN time only: numpy + scipy).

For each dev text (../shared/pdnc-dev and ../shared/fanfic-dev; never the
sample), the engine's rules run with the given cast, every quote gets its
candidates and features (sitegen/dialogue/features.py), and the gold speaker
marks the right candidate. A conditional logit (softmax over a quote's
candidates, L2-regularised) is fitted by L-BFGS; the weights are written to
sitegen/dialogue/data/attribution.json, which the runtime reads in pure Python.
Where a rule's vote and the scorer's pick differ, a learned combination (a logistic
regression on the held-out rows of the other texts, `fit_combination`) says which stands;
where they agree, the rules of the `alone` list (`choose_alone`) decide without the decoder.

    python bench/train_attribution.py            # train on all dev texts, write the weights
    python bench/train_attribution.py --loo      # leave-one-text-out: weights per held-out text
"""
from __future__ import annotations

import bisect
import json
import os
import sys
from collections import Counter
from pathlib import Path

import numpy as np
from scipy.optimize import minimize

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))

from sitegen.load.cast import load_cast  # noqa: E402
from sitegen.dialogue import analyse  # noqa: E402
from sitegen.dialogue.export import read_source  # noqa: E402
from sitegen.dialogue.features import quote_features  # noqa: E402
from sitegen.dialogue.salience import GROUP  # noqa: E402
from sitegen.text.paragraphs import split_paragraphs  # noqa: E402

WEIGHTS = ROOT / "sitegen" / "dialogue" / "data" / "attribution.json"
L2 = 1.0
GATE = 0.7        # the scorer's confidence is its probability scaled below this


def dev_texts() -> list[tuple[str, str, Path, Path, Path]]:
    """(name, group, text, cast, gold) for each dev text with gold speakers."""
    out = []
    for group, folder in (("pdnc", "pdnc-dev"), ("fanfic", "fanfic-dev")):
        for txt in sorted((SHARED / folder).glob("*.txt")):
            if txt.name.endswith(".SOURCE.txt"):
                continue
            stem = txt.name[:-4]
            out.append((stem, group, txt, txt.with_name(stem + ".cast.toml"),
                        txt.with_name(stem + ".quotes.gold.jsonl")))
    return out


def gold_speakers(gold: Path, spans) -> list[str | None]:
    """The gold speaker of each predicted span (the gold quotation it overlaps most)."""
    rows = [json.loads(line) for line in gold.read_text(encoding="utf-8").splitlines() if line.strip()]
    pieces = sorted((a, b, r["speaker"]) for r in rows for a, b in (r.get("spans") or [(r["start"], r["end"])]))
    starts = [p[0] for p in pieces]
    out = []
    for s in spans:
        best, who = 0, None
        for i in range(max(0, bisect.bisect_left(starts, s.start) - 3), bisect.bisect_left(starts, s.end)):
            a, b, spk = pieces[i]
            ov = min(b, s.end) - max(a, s.start)
            if ov > best:
                best, who = ov, spk
        out.append(who)
    return out


def prepare(txt: Path, cast_path: Path, gold: Path):
    """(analysis, candidates with features per quote, gold speaker per quote) for one text."""
    source = read_source(txt)
    a = analyse(source, split_paragraphs(source.text), load_cast(cast_path))
    return a, quote_features(a), gold_speakers(gold, a.spans)


def examples_of(prepared) -> list[tuple[list, int]]:
    """(candidates with features, index of the gold candidate) for each quote whose gold is in reach."""
    a, feats, gold = prepared
    out = []
    for k, (cands, want) in enumerate(zip(feats, gold)):
        ids = [c for c, _ in cands]
        if k not in a.overrides and want in ids:
            out.append((cands, ids.index(want)))
    return out


def examples(txt: Path, cast_path: Path, gold: Path) -> list[tuple[list, int]]:
    return examples_of(prepare(txt, cast_path, gold))


def fit(data: list[tuple[list, int]], l2: float = L2) -> dict[str, float]:
    """Weights of a conditional logit over each quote's candidates."""
    names = sorted({f for cands, _ in data for _, feats in cands for f in feats if not f.startswith(DROP)})
    col = {f: i for i, f in enumerate(names)}
    rows, groups, gold = [], [], []
    for q, (cands, right) in enumerate(data):
        gold.append(len(rows) + right)
        for _, feats in cands:
            row = np.zeros(len(names))
            for f, v in feats.items():
                if f in col:
                    row[col[f]] = v
            rows.append(row)
            groups.append(q)
    x, g, right = np.array(rows), np.array(groups), np.array(gold)

    def loss(w):
        s = x @ w
        top = np.full(len(data), -np.inf)
        np.maximum.at(top, g, s)
        e = np.exp(s - top[g])
        z = np.zeros(len(data))
        np.add.at(z, g, e)
        p = e / z[g]
        value = -(s[right] - top - np.log(z)).sum() + l2 * (w @ w) / 2
        grad = x.T @ p - x[right].sum(axis=0) + l2 * w
        return value, grad

    w = minimize(loss, np.zeros(len(names)), jac=True, method="L-BFGS-B").x
    return {f: round(float(v), 4) for f, v in zip(names, w)}


def all_prepared() -> dict[str, tuple]:
    return {name: prepare(txt, cast, gold) for name, _, txt, cast, gold in dev_texts()}


def all_examples(prepared: dict | None = None) -> dict[str, list]:
    return {name: examples_of(p) for name, p in (prepared or all_prepared()).items()}


def loo_weights(data: dict[str, list]) -> dict[str, dict[str, float]]:
    """For each dev text, weights trained on all the others."""
    return {held: fit([e for name, ex in data.items() if name != held for e in ex]) for held in data}


def scorer_rows(prepared, weights) -> list[tuple[str, bool, bool, dict]]:
    """(rule, the rule's vote is right, the scorer's pick is right, what the combination weighs)
    for each quote with gold."""
    from sitegen.dialogue.scorer import Decision, _best, combination
    a, feats, gold = prepared
    rows = []
    for k, (cands, want) in enumerate(zip(feats, gold)):
        if want is None or k in a.overrides:
            continue
        v = a.votes[k]
        pick = _best(cands, weights, Decision(*v)).speaker if cands else v.speaker
        x = combination(cands, weights, v) if cands and v.speaker and v.speaker != GROUP else {}
        rows.append((v.rule, v.speaker == want, pick == want, x))
    return rows


COMBINE_L2 = 1.0


def fit_combination(rows, l2: float = COMBINE_L2) -> dict[str, float]:
    """The combination of rule votes and the scorer: a logistic regression, on the quotes where
    exactly one of the two is right, of the rule being the right one (features: scorer.combination)."""
    data = [(x, r) for _, r, m, x in rows if x and r != m]
    names = sorted({f for x, _ in data for f in x})
    col = {f: i for i, f in enumerate(names)}
    xs = np.zeros((len(data), len(names)))
    for i, (x, _) in enumerate(data):
        for f, v in x.items():
            xs[i, col[f]] = v
    y = np.array([float(r) for _, r in data])

    def loss(w):
        z = xs @ w
        p = 1 / (1 + np.exp(-z))
        value = (np.logaddexp(0, z) - y * z).sum() + l2 * (w @ w) / 2
        return value, xs.T @ (p - y) + l2 * w

    w = minimize(loss, np.zeros(len(names)), jac=True, method="L-BFGS-B").x
    return {f: round(float(v), 4) for f, v in zip(names, w)}


def choose_alone(rows) -> list[str]:
    """The rules that decide alone: those at least as precise as the scorer on the quotes they vote
    for, leave one text out; a rule the scorer beats goes to the scorer. (Also tried: only rules
    more precise than the scorer decide alone, sample 0.969; a rule goes only when the scorer beats
    it beyond chance, a sign test, sample 0.9885 but LOO means PDNC 0.8424, fanfic 0.8980.)"""
    n, rule_ok, scorer_ok = Counter(), Counter(), Counter()
    for rule, r, m, *_ in rows:
        n[rule] += 1
        rule_ok[rule] += r
        scorer_ok[rule] += m
    return sorted(r for r in n if rule_ok[r] >= scorer_ok[r] and r not in SCORER)


def rule_table(rows) -> list[tuple[str, int, float, float]]:
    """(rule, quotes it voted for, its precision, the scorer's precision on them)."""
    n, rule_ok, scorer_ok = Counter(), Counter(), Counter()
    for rule, r, m, *_ in rows:
        n[rule] += 1
        rule_ok[rule] += r
        scorer_ok[rule] += m
    return [(r, n[r], rule_ok[r] / n[r], scorer_ok[r] / n[r]) for r in n]


EPOCHS = 6
# Learning the emissions' weight too, the perceptron let the scorer's log-probabilities swamp the
# transitions (emission 30, the dev means unchanged: 0.8594 / 0.9122 per span); fixed at 1, the
# transitions are learned beside the scorer's log-probabilities as a log-linear model.
LEARN_SCALE = False
DROP = tuple(os.environ.get("DROP", "").split(",")) if os.environ.get("DROP") else ("\0",)
# Rules the scorer decides whatever their precision (to measure the scorer and the decoder on them):
# SCORER=pronoun-tag,beat-before-pronoun python3 bench/quotes_bench.py --loo
SCORER = frozenset(os.environ.get("SCORER", "").split(",")) - {""}
# COMBINE=0: the rules of the `alone` list decide alone, as before the learned combination.
COMBINE = os.environ.get("COMBINE", "1") != "0"


def sequence_data(prepared, weights: dict[str, float], alone, combine=None) -> tuple[list, list]:
    """(items as the decoder sees them, the gold candidate's id or None per quote) for one text."""
    from sitegen.dialogue.scorer import rule_decides, sequence_items
    a, feats, gold = prepared
    keep = set(alone)
    feats = [c if k not in a.overrides and a.votes[k].speaker != GROUP
             and (combine is not None or a.votes[k].rule not in keep) else []
             for k, c in enumerate(feats)]
    if combine is not None:
        feats = [[] if c and rule_decides(c, weights, combine, a.votes[k], keep) else c for k, c in enumerate(feats)]
    items = sequence_items(a, feats, weights)
    wanted = [g if any(cid == g for cid, _ in it[0]) else None for g, it in zip(gold, items)]
    return items, wanted


def train_transitions(data: list[tuple[list, list]], epochs: int = EPOCHS) -> dict[str, float]:
    """Transition weights by an averaged structured perceptron: decode each exchange (a run of
    quotes up to a gap of narration) from its gold start, and move the weights toward the gold
    path's transitions and away from the decoded one's."""
    from sitegen.dialogue.sequence import advance, decode, path_features
    w: dict[str, float] = {"emission": 1.0}
    total: dict[str, float] = {}
    steps = 0
    for _ in range(epochs):
        for items, gold in data:
            state, i = (None, None), 0
            while i < len(items):
                j = i + 1
                while j < len(items) and items[j][1] not in ("gap", "start"):
                    j += 1
                seg = items[i:j]
                picks = decode(seg, w, state)
                pred = [it[0][c][0] for it, c in zip(seg, picks)]
                right = [g if g is not None else p for g, p in zip(gold[i:j], pred)]
                if right != pred:
                    for f, n in path_features(right, seg, state).items():
                        w[f] = w.get(f, 0.0) + n
                    for f, n in path_features(pred, seg, state).items():
                        w[f] = w.get(f, 0.0) - n
                    if not LEARN_SCALE:
                        w["emission"] = 1.0
                for f, v in w.items():
                    total[f] = total.get(f, 0.0) + v
                steps += 1
                for cid, it in zip(right, seg):
                    state = advance(state, cid, it[2])
                i = j
    return {f: round(v / steps, 4) for f, v in sorted(total.items()) if abs(v / steps) >= 1e-4}


def loo_models(prepared: dict | None = None) -> tuple[dict[str, dict], dict[str, list]]:
    """For each dev text, the model trained without it: the scorer's weights, the rules that
    decide alone (chosen on the other texts' held-out rows) and the transition weights (learned
    on the other texts, whose scores come from their own held-out weights); and each text's
    held-out rows."""
    prepared = prepared or all_prepared()
    data = all_examples(prepared)
    weights = loo_weights(data)
    rows = {name: scorer_rows(p, weights[name]) for name, p in prepared.items()}
    models = {}
    for held, w in weights.items():
        others = [r for name, rs in rows.items() if name != held for r in rs]
        alone = choose_alone(others)
        combine = fit_combination(others) if COMBINE else None
        seqs = [sequence_data(p, weights[name], alone, combine) for name, p in prepared.items() if name != held]
        models[held] = {"weights": w, "gate": GATE, "language": "en", "alone": alone,
                        "transitions": train_transitions(seqs)}
        if combine is not None:
            models[held]["combine"] = combine
    return models, rows


def main() -> int:
    if not SHARED.is_dir():
        print(f"skipped: {SHARED} is absent")
        return 0
    prepared = all_prepared()
    data = all_examples(prepared)
    models, rows = loo_models(prepared)
    if "--loo" in sys.argv:
        for held, model in models.items():
            print(held, json.dumps(model))
        return 0
    weights = fit([e for ex in data.values() for e in ex])
    every = [r for rs in rows.values() for r in rs]
    alone = choose_alone(every)
    combine = fit_combination(every) if COMBINE else None
    transitions = train_transitions([sequence_data(p, models[name]["weights"], alone, combine)
                                     for name, p in prepared.items()])
    print("rule, quotes, its precision, the scorer's (leave one text out), decides alone")
    for rule, n, rp, sp in sorted(rule_table(every), key=lambda t: -t[1]):
        print(f"  {rule:<22} {n:6d}  {rp:.3f}  {sp:.3f}  {'alone' if rule in alone else ''}")
    WEIGHTS.parent.mkdir(exist_ok=True)
    model = {"about": "speaker scorer weights; bench/train_attribution.py, "
                      f"{len(data)} dev texts, conditional logit, L2={L2}",
             "gate": GATE, "alone": alone, "language": "en", "weights": weights, "transitions": transitions}
    if combine is not None:
        model["combine"] = combine
    WEIGHTS.write_text(json.dumps(model, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {WEIGHTS} ({len(weights)} features, {sum(len(e) for e in data.values())} quotes)")
    for f, v in sorted((combine or {}).items(), key=lambda kv: -abs(kv[1])):
        print(f"  combine {f:<24} {v:+.3f}")
    for f, v in sorted({**weights, **transitions}.items(), key=lambda kv: -abs(kv[1])):
        print(f"  {f:<32} {v:+.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
