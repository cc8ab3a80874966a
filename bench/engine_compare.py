"""The dialogue engine's speed, this working tree beside another checkout, alternated in one session.

    python3 bench/engine_compare.py BASE [--runs 5] [--no-cast] [--gc build]

BASE is another checkout of sitegen beside ../shared (e.g. `git worktree add --detach ../wt-base main`).
Each run is a fresh `python bench/quotes_bench.py --speed [--no-cast]` of that checkout, BASE's and
this tree's in turn (BASE first), so both see the same load; it prints each run's first-run and
warm MB/s of CPU time, then the medians, the ratio and the load average before and after.

With `--gc build`, both trees' benches run with the cyclic collector's thresholds that `sitegen build`
sets (cli.BUILD_GC_THRESHOLDS, this tree's): what the engine costs inside a build, where full
collections do not run. Without it, Python's default thresholds (the figures of earlier sessions).
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


# Runs a bench script after setting the collector's thresholds (argv: thresholds, script, its arguments).
WITH_GC = "import gc, runpy, sys; gc.set_threshold(*map(int, sys.argv[1].split(','))); " \
          "sys.argv = sys.argv[2:]; runpy.run_path(sys.argv[0], run_name='__main__')"


def speed(tree: Path, no_cast: bool, thresholds: tuple[int, ...] | None = None) -> tuple[float, float]:
    """(first run, warm) MB/s of CPU time of the engine at `tree`, in a fresh process (with the
    collector's `thresholds`, if given)."""
    env = {**os.environ, "PYTHONPATH": str(tree), "PYTHONHASHSEED": "0"}
    bench = [str(tree / "bench" / "quotes_bench.py"), "--speed", *(["--no-cast"] if no_cast else [])]
    if thresholds:
        bench = ["-c", WITH_GC, ",".join(map(str, thresholds)), *bench]
    run = subprocess.run([sys.executable, *bench], env=env, capture_output=True, text=True)
    m = FIGURES.search(run.stdout)
    if run.returncode or not m:
        raise SystemExit(f"engine_compare: quotes_bench.py --speed at {tree} failed:\n{run.stdout}{run.stderr}")
    return float(m["first"]), float(m["warm"])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("base", type=Path, help="the other checkout (beside ../shared)")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--no-cast", action="store_true", help="discover the cast instead of Emma's")
    ap.add_argument("--gc", choices=("default", "build"), default="default",
                    help="the collector's thresholds: Python's default, or those `sitegen build` sets")
    args = ap.parse_args()
    thresholds = None
    if args.gc == "build":
        sys.path.insert(0, str(REPO))
        from sitegen.cli import BUILD_GC_THRESHOLDS as thresholds
    load = os.getloadavg()[0]
    got: dict[str, list[tuple[float, float]]] = {"base": [], "tree": []}
    for i in range(args.runs):
        for name, tree in (("base", args.base.resolve()), ("tree", REPO)):
            got[name].append(speed(tree, args.no_cast, thresholds))
            print(f"run {i + 1} {name}: first run {got[name][-1][0]:.2f}, warm {got[name][-1][1]:.2f} MB/s CPU", flush=True)
    med = {name: [statistics.median(r[j] for r in runs) for j in (0, 1)] for name, runs in got.items()}
    label = ("no cast" if args.no_cast else "cast") + (", the build's collector" if thresholds else "")
    print(f"{label}, median of {args.runs}, MB/s of CPU time (load "
          f"{load:.1f} -> {os.getloadavg()[0]:.1f}): first run {med['base'][0]:.2f} -> {med['tree'][0]:.2f} "
          f"({med['tree'][0] / med['base'][0]:.2f}x), warm {med['base'][1]:.2f} -> {med['tree'][1]:.2f} "
          f"({med['tree'][1] / med['base'][1]:.2f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
