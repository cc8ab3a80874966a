"""Benchmark the dialogue engine: accuracy on the sample, the PDNC dev novels and the
fan-fiction dev texts, with the given cast and with the discovered one, and speed.

Needs ../shared beside the repository (skipped otherwise). For each text it
exports the engine's quotes to a temporary JSON Lines file, scores it with
../shared/eval/score_quotes.py (run as a subprocess), and prints:
- speaker and kind accuracy with the given cast, by PDNC quote type
  (Explicit / Anaphoric / Implicit), next to a naive peer measured in the same
  run ("the nearest cast name after the quote");
- speaker accuracy with NO cast: the discovered characters are mapped one-to-one
  onto the gold cast by their mentions (greedy on how often a discovered name
  and a gold name mark the same words), so one person split in two counts
  against it;
- with --loo, the same with the learned scorer trained on every dev text but
  the one scored (leave one text out), the figure that counts for anything learned;
- with --rules, the rules alone (no learned scorer), the engine before it;
- with --rule-report, each named rule's coverage and precision on the dev texts;
- MB/s of the whole engine over the concatenated novels, next to `re` scanning
  the same text for quote marks.

    python bench/quotes_bench.py [--loo] [--rules] [--verbose]
    python bench/quotes_bench.py --rule-report     each rule's coverage and precision
    python bench/quotes_bench.py --speed [--no-cast]   only the speed: a fresh process's first run, and warm
"""
from __future__ import annotations

import bisect
import json
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from sitegen.load.cast import load_cast  # noqa: E402
from sitegen.dialogue import find_quotes  # noqa: E402
from sitegen.dialogue.export import quote_record, read_source  # noqa: E402
from sitegen.dialogue.salience import GROUP  # noqa: E402
from sitegen.text.names import build_index, find_mentions  # noqa: E402
from sitegen.text.paragraphs import split_paragraphs  # noqa: E402


def texts() -> list[tuple[str, str, Path, Path, Path]]:
    """(name, group, text, cast, gold) for the sample and each dev text."""
    from train_attribution import dev_texts
    seed = SHARED / "seed"
    return [("change-of-plans (sample)", "sample", seed / "change-of-plans.txt",
             seed / "change-of-plans.cast.toml", seed / "change-of-plans.quotes.gold.jsonl"), *dev_texts()]


def nearest_name_after(records: list[dict], text: str, cast) -> list[dict]:
    """The peer: each quote's speaker is the first cast name after it."""
    mentions = find_mentions(build_index(cast), text)
    starts = [m.start for m in mentions]
    out = []
    for r in records:
        k = bisect.bisect_left(starts, r["end"])
        out.append({**r, "speaker": mentions[k].ids[0] if k < len(mentions) else None})
    return out


def map_discovered(text: str, discovered, cast) -> dict[str, str]:
    """Discovered id -> gold id, one-to-one, greedy on how many mentions the two share."""
    gold = find_mentions(build_index(cast), text)
    found = find_mentions(build_index(discovered), text)
    starts = [m.start for m in gold]
    shared = Counter()
    for m in found:
        k = bisect.bisect_right(starts, m.start) - 1
        for j in (k, k + 1):
            if 0 <= j < len(gold) and gold[j].start < m.end and m.start < gold[j].end:
                for g in gold[j].ids[:1]:
                    shared[(m.ids[0], g)] += 1
    out, used = {}, set()
    for (d, g), _ in shared.most_common():
        if d not in out and g not in used:
            out[d] = g
            used.add(g)
    return out


def score(gold: Path, records: list[dict]) -> tuple[float, float, dict[str, float], str]:
    """(speaker accuracy, kind accuracy, accuracy by quote type, full report) from the shared scorer."""
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r) + "\n")
    try:
        run = subprocess.run([sys.executable, str(SHARED / "eval" / "score_quotes.py"), str(gold), f.name],
                             capture_output=True, text=True, check=True)
    finally:
        Path(f.name).unlink()
    report = run.stdout
    speaker = float(re.search(r"speaker_accuracy=([\d.]+)", report).group(1))
    kind = float(re.search(r"kind accuracy: ([\d.]+)", report).group(1))
    types = {t: float(a) for t, a in re.findall(r"^  (Explicit|Anaphoric|Implicit)\s+n=\d+\s+accuracy=([\d.]+)",
                                                report, re.M)}
    return speaker, kind, types, report


def run_text(txt: Path, cast_path: Path, gold: Path, model) -> dict:
    """Every figure for one text with one model (or the shipped one)."""
    source = read_source(txt)
    cast = load_cast(cast_path)
    paragraphs = split_paragraphs(source.text)
    kw = {} if model == "shipped" else {"model": model}
    t0 = time.perf_counter()
    result = find_quotes(source, paragraphs, cast, **kw)
    elapsed = time.perf_counter() - t0
    records = [quote_record(q) for q in result.quotes]
    speaker, kind, types, report = score(gold, records)
    bare = find_quotes(source, paragraphs, (), **kw)
    mapping = map_discovered(source.text, bare.discovered, cast)
    found = [{**quote_record(q), "speaker": q.speaker if q.speaker == GROUP else mapping.get(q.speaker)}
             for q in bare.quotes]                       # a group's line is no character's: kept as it is
    discovered, _, _, _ = score(gold, found)
    peer, _, _, _ = score(gold, nearest_name_after(records, source.text, cast))
    return {"speaker": speaker, "kind": kind, "types": types, "discovered": discovered, "peer": peer,
            "quotes": len(records), "seconds": elapsed, "report": report, "text": source.text,
            "characters": len(bare.discovered)}


def main() -> int:
    if not SHARED.is_dir():
        print(f"skipped: {SHARED} is absent")
        return 0
    verbose = "--verbose" in sys.argv
    if "--rule-report" in sys.argv:
        rule_report()
        return 0
    if "--speed" in sys.argv:
        speed_only()
        return 0
    models = {"shipped": None}
    if "--rules" in sys.argv:
        models = {"rules": None}
    loo = {}
    if "--loo" in sys.argv:
        from train_attribution import loo_models
        loo, _ = loo_models()
    rows = {}
    all_text = []
    for name, group, txt, cast_path, gold in texts():
        model = "shipped" if "shipped" in models else None
        r = run_text(txt, cast_path, gold, model)
        line = (f"{name:<28} cast {r['speaker']:.4f}  no-cast {r['discovered']:.4f} ({r['characters']} found)  "
                f"kind {r['kind']:.4f}  peer {r['peer']:.4f}")
        if r["types"]:
            line += "  " + " ".join(f"{t[:4]} {a:.3f}" for t, a in sorted(r["types"].items()))
        if name in loo:
            lo = run_text(txt, cast_path, gold, loo[name])
            r["loo"], r["loo_discovered"], r["loo_types"] = lo["speaker"], lo["discovered"], lo["types"]
            line += f"  | LOO cast {lo['speaker']:.4f} no-cast {lo['discovered']:.4f}"
            if lo["types"]:
                line += " " + " ".join(f"{t[:4]} {a:.3f}" for t, a in sorted(lo["types"].items()))
        print(line + f"  quotes {r['quotes']}  {r['seconds']:.2f}s", flush=True)
        if verbose:
            print(r["report"])
        rows[name] = (group, r)
        if group == "pdnc":
            all_text.append(r["text"])
    for group in ("pdnc", "fanfic"):
        rs = [r for g, r in rows.values() if g == group]
        if not rs:
            continue
        line = (f"{group} mean: cast {mean(r['speaker'] for r in rs):.4f}  "
                f"no-cast {mean(r['discovered'] for r in rs):.4f}  peer {mean(r['peer'] for r in rs):.4f}")
        for t in ("Explicit", "Anaphoric", "Implicit"):
            if all(t in r["types"] for r in rs):
                line += f"  {t} {mean(r['types'][t] for r in rs):.4f}"
        if all("loo" in r for r in rs):
            line += (f"  | LOO cast {mean(r['loo'] for r in rs):.4f}  "
                     f"no-cast {mean(r['loo_discovered'] for r in rs):.4f}")
            for t in ("Explicit", "Anaphoric", "Implicit"):
                if all(t in r["loo_types"] for r in rs):
                    line += f"  {t} {mean(r['loo_types'][t] for r in rs):.4f}"
        print(line)
    print_speed(all_text)
    return 0


def rule_report() -> None:
    """Each named rule's coverage and precision over the dev texts, beside the learned scorer's
    precision on the same quotes, leave one text out (the scorer scoring a text never saw it),
    and whether the rule decides alone (chosen on the dev texts by train_attribution.py)."""
    from train_attribution import loo_models, rule_table
    from sitegen.dialogue.scorer import load_model
    _, rows = loo_models()
    every = [r for rs in rows.values() for r in rs]
    alone = set(load_model().get("alone", ()))
    print(f"rules on the dev texts ({len(every)} quotes with gold, {len(rows)} texts): rule, coverage, "
          "precision of its vote, precision of the scorer (LOO) on the same quotes, decides alone")
    for rule, n, rp, sp in sorted(rule_table(every), key=lambda t: -t[1]):
        print(f"  {rule:<22} {n / len(every):6.1%}  {rp:.3f}  {sp:.3f}  {'alone' if rule in alone else ''}")


def mean(values) -> float:
    values = list(values)
    return sum(values) / len(values)


def best_of(n: int, work, clock=time.perf_counter) -> float:
    """The shortest of n timed runs, in seconds (the least disturbed by other processes); with
    clock=time.process_time, the CPU time of this process (one core, whatever else runs)."""
    times = []
    for _ in range(n):
        t0 = clock()
        work()
        times.append(clock() - t0)
    return min(times)


def print_speed(all_text: list[str]) -> None:
    """MB/s of the engine on the concatenated novels, beside `re` scanning for quote marks."""
    text = "\n\n".join(all_text)
    cast_path = SHARED / "pdnc-dev" / "Emma.cast.toml"
    cast = load_cast(cast_path)
    from sitegen.model import SourceText
    source = SourceText.from_text(Path("all.txt"), text)
    paragraphs = split_paragraphs(text)
    mb = len(text.encode("utf-8")) / 1e6
    engine = best_of(3, lambda: find_quotes(source, paragraphs, cast))
    cpu = best_of(3, lambda: find_quotes(source, paragraphs, cast), time.process_time)
    rules = best_of(3, lambda: find_quotes(source, paragraphs, cast, model=None))
    marks = sum(1 for _ in re.finditer("[\"'\u201c\u201d\u2018\u2019]", text))
    scan = best_of(3, lambda: sum(1 for _ in re.finditer("[\"'\u201c\u201d\u2018\u2019]", text)))
    print(f"speed (best of 3): engine {mb / engine:.2f} MB/s wall, {mb / cpu:.2f} MB/s of CPU time, over "
          f"{mb:.2f} MB (one core); the rules alone "
          f"{mb / rules:.2f} MB/s; peer: re scanning for quote marks {mb / scan:.1f} MB/s ({marks} marks)")


def speed_only() -> None:
    """The engine's speed on the concatenated novels, first with nothing in its caches (the first
    run of this process: what a build pays), then warm (best of 3: the figure the full bench
    prints, after the accuracy runs filled the caches with the same texts); CPU time and wall
    time, with the Emma cast (with --no-cast: none, so the cast is discovered)."""
    from sitegen.model import SourceText
    text = "\n\n".join(read_source(txt).text for _, group, txt, _, _ in texts() if group == "pdnc")
    source, paragraphs = SourceText.from_text(Path("all.txt"), text), split_paragraphs(text)
    mb = len(text.encode("utf-8")) / 1e6
    label, cast = ("no cast", ()) if "--no-cast" in sys.argv else \
        ("cast", load_cast(SHARED / "pdnc-dev" / "Emma.cast.toml"))
    c0, w0 = time.process_time(), time.perf_counter()
    find_quotes(source, paragraphs, cast)
    cpu, wall = time.process_time() - c0, time.perf_counter() - w0
    warm_cpu = best_of(3, lambda: find_quotes(source, paragraphs, cast), time.process_time)
    warm_wall = best_of(3, lambda: find_quotes(source, paragraphs, cast))
    print(f"speed, {label}, {mb:.2f} MB: first run {mb / cpu:.2f} MB/s CPU ({cpu:.2f} s), {mb / wall:.2f} MB/s "
          f"wall; warm {mb / warm_cpu:.2f} MB/s CPU, {mb / warm_wall:.2f} MB/s wall", flush=True)


if __name__ == "__main__":
    sys.exit(main())
