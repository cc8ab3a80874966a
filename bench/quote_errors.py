"""List the quotes the dialogue engine gets wrong on the dev texts, with their context, for error analysis.

For each PDNC dev novel (or fan-fiction dev text) it runs the engine with the given cast and
prints every gold quotation of the chosen PDNC type (Explicit by default) whose speaker is
wrong: the narration around it (where the speech tag is), what the engine chose, the gold
speaker, the evidence that decided it (the rule, the scorer's top features), and a first
failure class read off the evidence:

- not found: no predicted quote overlaps the gold one (quote boundaries);
- no tag rule: a tag names the speaker (PDNC says Explicit) but no tag rule voted;
- tag rule wrong: a tag rule voted for someone else (subject misparsed, a pronoun's
  antecedent, a name form resolved to the wrong character);
- tag rule right, overruled: the tag rule was right and the scorer or decoder overruled it.

    python bench/quote_errors.py [--type Explicit|Anaphoric|Implicit|all] [--fanfic | --sample] [--loo] [TEXT...]

With --loo the model for each text is trained on the others (slow); else the shipped weights.
Needs ../shared (skipped otherwise).
"""
from __future__ import annotations

import bisect
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from sitegen.load.cast import load_cast  # noqa: E402
from sitegen.dialogue import analyse  # noqa: E402
from sitegen.dialogue.export import read_source  # noqa: E402
from sitegen.dialogue.scorer import decide, load_model  # noqa: E402
from sitegen.text.paragraphs import split_paragraphs  # noqa: E402

TAG_RULES = ("pronoun-tag", "name-tag", "latter-former", "description-tag", "both-halves")


def arg(name: str, default: str) -> str:
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else default


def predicted(gold: dict, spans, decisions, starts) -> tuple[str | None, object | None, int | None]:
    """The speaker the scorer of ../shared would read off the predictions, and the decision
    (and index) of the prediction overlapping the gold quotation most."""
    weight, best, top, at = Counter(), 0, None, None
    for a, b in gold.get("spans") or [(gold["start"], gold["end"])]:
        for i in range(max(0, bisect.bisect_left(starts, a) - 3), bisect.bisect_left(starts, b)):
            ov = min(b, spans[i].end) - max(a, spans[i].start)
            if ov > 0:
                weight[decisions[i].speaker] += ov
                if ov > best:
                    best, top, at = ov, decisions[i], i
    return (weight.most_common(1)[0][0] if weight else None), top, at


def failure(vote, want) -> str:
    """The class of a wrong quote from the rules' vote on it (before the scorer and the decoder)."""
    if vote is None:
        return "not found"
    if vote.rule not in TAG_RULES:
        return "no tag rule"
    return "tag rule wrong" if vote.speaker != want else "tag rule right, overruled"


def context(text: str, gold: dict, paragraphs, width: int = 110) -> str:
    a, b = gold["start"], gold["end"]
    p = bisect.bisect_right([s for s, _ in paragraphs], a) - 1
    ps, pe = paragraphs[p] if p >= 0 else (0, len(text))
    before = text[max(ps, a - width):a]
    if not before.strip(" \"'\u201c\u2018") and p > 0:             # the tag may end the paragraph before
        qs, qe = paragraphs[p - 1]
        before = text[max(qs, qe - width):qe] + " || "
    after = text[b:min(pe, b + width)]
    quote = text[a:b]
    quote = quote if len(quote) < 70 else quote[:30] + " ... " + quote[-30:]
    return " ".join(f"{before}[[{quote}]]{after}".split())


def main() -> int:
    if not SHARED.is_dir():
        print(f"skipped: {SHARED} is absent")
        return 0
    from train_attribution import dev_texts
    want_type = arg("--type", "Explicit")
    group = "fanfic" if "--fanfic" in sys.argv else "sample" if "--sample" in sys.argv else "pdnc"
    chosen = [a for a in sys.argv[1:] if not a.startswith("--") and a not in (want_type,)]
    models = {}
    if "--loo" in sys.argv:
        from train_attribution import loo_models
        models, _ = loo_models()
    classes = Counter()
    seed = SHARED / "seed"
    sample = [("change-of-plans", "sample", seed / "change-of-plans.txt", seed / "change-of-plans.cast.toml",
               seed / "change-of-plans.quotes.gold.jsonl")]
    for name, g, txt, cast_path, gold_path in sample + dev_texts():
        if g != group or chosen and name not in chosen:
            continue
        source = read_source(txt)
        paragraphs = split_paragraphs(source.text)
        a = analyse(source, paragraphs, load_cast(cast_path))
        decisions = decide(a, models.get(name) or load_model())
        starts = [s.start for s in a.spans]
        rows = [json.loads(x) for x in gold_path.read_text(encoding="utf-8").splitlines() if x.strip()]
        rows = [r for r in rows if want_type == "all" or r.get("type", "all") == want_type]
        wrong = 0
        for r in rows:
            speaker, top, at = predicted(r, a.spans, decisions, starts)
            if speaker == r["speaker"]:
                continue
            wrong += 1
            cls = failure(a.votes[at] if at is not None else None, r["speaker"])
            classes[cls] += 1
            print(f"{name} @{r['start']} [{cls}] gold={r['speaker']} chose={speaker} "
                  f"by={top.evidence if top else '-'}\n    {context(source.text, r, paragraphs)}")
        print(f"== {name}: {wrong} of {len(rows)} {want_type} wrong ({1 - wrong / max(1, len(rows)):.4f})\n")
    for cls, n in classes.most_common():
        print(f"{cls:<28} {n}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
