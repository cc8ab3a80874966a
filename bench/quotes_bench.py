"""Benchmark the dialogue engine: accuracy on the sample and the PDNC dev novels, and speed.

Needs ../shared beside the repository (skipped otherwise). For each text it
exports the engine's quotes to a temporary JSON Lines file, scores it with
../shared/eval/score_quotes.py (run as a subprocess), and prints the figures
next to a naive peer measured in the same run: "the nearest cast name after
the quote" (same quote spans, so only attribution differs). Throughput is
the engine's MB/s over the concatenated novels, next to Python's own `re`
scanning the same text for quote marks.

    python bench/quotes_bench.py [--verbose]
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))

from sitegen.cast import load_cast  # noqa: E402
from sitegen.dialogue import find_quotes  # noqa: E402
from sitegen.dialogue.export import quote_record, read_source  # noqa: E402
from sitegen.dialogue.names import build_index, find_mentions  # noqa: E402
from sitegen.paragraphs import split_paragraphs  # noqa: E402


def texts() -> list[tuple[str, Path, Path, Path]]:
    """(name, text, cast, gold) for the sample and each PDNC dev novel."""
    out = []
    seed = SHARED / "seed"
    out.append(("change-of-plans (sample)", seed / "change-of-plans.txt",
                seed / "change-of-plans.cast.toml", seed / "change-of-plans.quotes.gold.jsonl"))
    for txt in sorted((SHARED / "pdnc-dev").glob("*.txt")):
        stem = txt.name[:-4]
        out.append((stem, txt, txt.with_name(stem + ".cast.toml"), txt.with_name(stem + ".quotes.gold.jsonl")))
    return out


def nearest_name_after(records: list[dict], text: str, cast) -> list[dict]:
    """The peer: each quote's speaker is the first cast name after it."""
    mentions = find_mentions(build_index(cast), text)
    starts = [m.start for m in mentions]
    import bisect
    out = []
    for r in records:
        k = bisect.bisect_left(starts, r["end"])
        out.append({**r, "speaker": mentions[k].ids[0] if k < len(mentions) else None})
    return out


def score(gold: Path, records: list[dict]) -> tuple[float, float, str]:
    """(speaker accuracy, kind accuracy, full report) from the shared scorer."""
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
    return speaker, kind, report


def main() -> int:
    if not SHARED.is_dir():
        print(f"skipped: {SHARED} is absent")
        return 0
    verbose = "--verbose" in sys.argv
    novels, peers, total_chars, engine_seconds, all_text = [], [], 0, 0.0, []
    for name, txt, cast_path, gold in texts():
        source = read_source(txt)
        cast = load_cast(cast_path)
        paragraphs = split_paragraphs(source.text)
        t0 = time.perf_counter()
        result = find_quotes(source, paragraphs, cast)
        elapsed = time.perf_counter() - t0
        records = [quote_record(q) for q in result.quotes]
        speaker, kind, report = score(gold, records)
        peer, _, _ = score(gold, nearest_name_after(records, source.text, cast))
        print(f"{name:<32} speaker {speaker:.4f}  kind {kind:.4f}  peer(next name) {peer:.4f}  "
              f"quotes {len(records)}  convention {result.convention}  {elapsed:.2f}s")
        if verbose:
            print(report)
        if "sample" not in name:
            novels.append(speaker)
            peers.append(peer)
            total_chars += len(source.text)
            engine_seconds += elapsed
            all_text.append(source.text)
    if novels:
        print(f"PDNC mean speaker accuracy: {sum(novels) / len(novels):.4f} "
              f"(peer next-name {sum(peers) / len(peers):.4f})")
    print_speed(all_text)
    return 0


def best_of(n: int, work) -> float:
    """The shortest of n timed runs, in seconds (the least disturbed by other processes)."""
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        work()
        times.append(time.perf_counter() - t0)
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
    marks = sum(1 for _ in re.finditer("[\"'\u201c\u201d\u2018\u2019]", text))
    scan = best_of(3, lambda: sum(1 for _ in re.finditer("[\"'\u201c\u201d\u2018\u2019]", text)))
    print(f"speed (best of 3): engine {mb / engine:.2f} MB/s over {mb:.2f} MB (one core); "
          f"peer: re scanning for quote marks {mb / scan:.1f} MB/s ({marks} marks)")


if __name__ == "__main__":
    sys.exit(main())
