"""Train the speaker scorer's weights on the dev texts (TRAIN time only: numpy + scipy).

For each dev text (../shared/pdnc-dev and ../shared/fanfic-dev; never the
sample), the engine's rules run with the given cast, every quote gets its
candidates and features (sitegen/dialogue/features.py), and the gold speaker
marks the right candidate. A conditional logit (softmax over a quote's
candidates, L2-regularised) is fitted by L-BFGS; the weights are written to
sitegen/dialogue/data/attribution.json, which the runtime reads in pure Python.

    python bench/train_attribution.py            # train on all dev texts, write the weights
    python bench/train_attribution.py --loo      # leave-one-text-out: weights per held-out text
"""
from __future__ import annotations

import bisect
import json
import sys
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
from sitegen.text.paragraphs import split_paragraphs  # noqa: E402

WEIGHTS = ROOT / "sitegen" / "dialogue" / "data" / "attribution.json"
L2 = 1.0
GATE = 0.7        # rules at least this sure decide alone (chosen by the dev texts' LOO mean: 0.6, 0.7)


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


def examples(txt: Path, cast_path: Path, gold: Path) -> list[tuple[list, int]]:
    """(candidates with features, index of the gold candidate) for each quote whose gold is in reach."""
    source = read_source(txt)
    a = analyse(source, split_paragraphs(source.text), load_cast(cast_path))
    out = []
    for cands, want, k in zip(quote_features(a), gold_speakers(gold, a.spans), range(len(a.spans))):
        ids = [c for c, _ in cands]
        if k not in a.overrides and want in ids:
            out.append((cands, ids.index(want)))
    return out


def fit(data: list[tuple[list, int]], l2: float = L2) -> dict[str, float]:
    """Weights of a conditional logit over each quote's candidates."""
    names = sorted({f for cands, _ in data for _, feats in cands for f in feats})
    col = {f: i for i, f in enumerate(names)}
    rows, groups, gold = [], [], []
    for q, (cands, right) in enumerate(data):
        gold.append(len(rows) + right)
        for _, feats in cands:
            row = np.zeros(len(names))
            for f, v in feats.items():
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


def all_examples() -> dict[str, list]:
    return {name: examples(txt, cast, gold) for name, _, txt, cast, gold in dev_texts()}


def loo_weights(data: dict[str, list]) -> dict[str, dict[str, float]]:
    """For each dev text, weights trained on all the others."""
    return {held: fit([e for name, ex in data.items() if name != held for e in ex]) for held in data}


def main() -> int:
    if not SHARED.is_dir():
        print(f"skipped: {SHARED} is absent")
        return 0
    data = all_examples()
    if "--loo" in sys.argv:
        for held, weights in loo_weights(data).items():
            print(held, json.dumps(weights))
        return 0
    weights = fit([e for ex in data.values() for e in ex])
    WEIGHTS.parent.mkdir(exist_ok=True)
    WEIGHTS.write_text(json.dumps({"about": "speaker scorer weights; bench/train_attribution.py, "
                                   f"{len(data)} dev texts, conditional logit, L2={L2}",
                                   "gate": GATE, "language": "en", "weights": weights}, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {WEIGHTS} ({len(weights)} features, {sum(len(e) for e in data.values())} quotes)")
    for f, v in sorted(weights.items(), key=lambda kv: -abs(kv[1])):
        print(f"  {f:<32} {v:+.3f}")
    return 0


if __name__ == "__main__" and "--quick" not in sys.argv:
    sys.exit(main())


def quick(gate: float, below: bool, alone=None) -> None:
    """Leave-one-text-out span accuracy (approximate: per predicted span), rules vs scorer."""
    from sitegen.dialogue.scorer import _best
    from sitegen.dialogue.explain import rule_of
    from sitegen.dialogue.scorer import Decision
    seed = SHARED / "seed"
    texts = [*((n, t, c, g) for n, _, t, c, g in dev_texts()),
             ("sample", seed / "change-of-plans.txt", seed / "change-of-plans.cast.toml",
              seed / "change-of-plans.quotes.gold.jsonl")]
    prepared = {}
    for name, txt, cast, gold in texts:
        source = read_source(txt)
        a = analyse(source, split_paragraphs(source.text), load_cast(cast))
        prepared[name] = (a, quote_features(a), gold_speakers(gold, a.spans))
    data = {n: [(c, [i for i, _ in c].index(w)) for c, w, k in zip(f, g, range(len(g)))
                if k not in a.overrides and w in [i for i, _ in c] and (not below or a.votes[k][1] < gate)]
            for n, (a, f, g) in prepared.items() if n != "sample"}
    full = fit([e for ex in data.values() for e in ex])
    means = {}
    for name, (a, feats, gold) in prepared.items():
        w = full if name == "sample" else fit([e for n, ex in data.items() if n != name for e in ex])
        r = m = 0
        for k, (cands, want) in enumerate(zip(feats, gold)):
            if want is None:
                continue
            vote = a.votes[k]
            r += vote[0] == want
            if k in a.overrides or not cands or (rule_of(vote[1]) in alone if alone else vote[1] >= gate):
                m += vote[0] == want
            else:
                m += _best(cands, w, Decision(vote[0], vote[1], rule_of(vote[1]))).speaker == want
        n = sum(x is not None for x in gold)
        print(f"{name:<30} rules {r / n:.4f}  scorer {m / n:.4f}  (n={n})", flush=True)
        group = "sample" if name == "sample" else "pdnc" if name[0].isupper() else "fanfic"
        means.setdefault(group, []).append((r / n, m / n))
    for group, v in means.items():
        print(f"MEAN {group}: rules {sum(x for x, _ in v) / len(v):.4f} scorer {sum(y for _, y in v) / len(v):.4f}")


if __name__ == "__main__" and "--quick" in sys.argv:
    quick(float(sys.argv[sys.argv.index("--quick") + 1]), "--below" in sys.argv,
          set(sys.argv[sys.argv.index("--alone") + 1].split(",")) if "--alone" in sys.argv else None)
