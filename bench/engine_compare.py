"""The dialogue engine's speed, this working tree beside another checkout, alternated in one session.

    python3 bench/engine_compare.py BASE [--runs 5] [--no-cast]

BASE is another checkout of sitegen beside ../shared (e.g. `git worktree add --detach ../wt-base main`).
Each run is a fresh `python bench/quotes_bench.py --speed [--no-cast]` of that checkout, BASE's and
this tree's in turn (BASE first), so both see the same load; it prints each run's first-run and
warm MB/s of CPU time, then the medians, the ratio and the load average before and after.
"""
from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FIGURES = re.compile(r"first run (?P<first>[\d.]+) MB/s CPU .*warm (?P<warm>[\d.]+) MB/s CPU")


def speed(tree: Path, no_cast: bool) -> tuple[float, float]:
    """(first run, warm) MB/s of CPU time of the engine at `tree`, in a fresh process."""
    env = {**os.environ, "PYTHONPATH": str(tree), "PYTHONHASHSEED": "0"}
    run = subprocess.run([sys.executable, str(tree / "bench" / "quotes_bench.py"), "--speed",
                          *(["--no-cast"] if no_cast else [])], env=env, capture_output=True, text=True)
    m = FIGURES.search(run.stdout)
    if run.returncode or not m:
        raise SystemExit(f"engine_compare: quotes_bench.py --speed at {tree} failed:\n{run.stdout}{run.stderr}")
    return float(m["first"]), float(m["warm"])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("base", type=Path, help="the other checkout (beside ../shared)")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--no-cast", action="store_true", help="discover the cast instead of Emma's")
    args = ap.parse_args()
    load = os.getloadavg()[0]
    got: dict[str, list[tuple[float, float]]] = {"base": [], "tree": []}
    for i in range(args.runs):
        for name, tree in (("base", args.base.resolve()), ("tree", REPO)):
            got[name].append(speed(tree, args.no_cast))
            print(f"run {i + 1} {name}: first run {got[name][-1][0]:.2f}, warm {got[name][-1][1]:.2f} MB/s CPU", flush=True)
    med = {name: [statistics.median(r[j] for r in runs) for j in (0, 1)] for name, runs in got.items()}
    print(f"{'no cast' if args.no_cast else 'cast'}, median of {args.runs}, MB/s of CPU time (load "
          f"{load:.1f} -> {os.getloadavg()[0]:.1f}): first run {med['base'][0]:.2f} -> {med['tree'][0]:.2f} "
          f"({med['tree'][0] / med['base'][0]:.2f}x), warm {med['base'][1]:.2f} -> {med['tree'][1]:.2f} "
          f"({med['tree'][1] / med['base'][1]:.2f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
