"""One chapter changed, two revisions of sitegen alternated: the whole `sitegen build` process and the build work in it.

    git archive main | tar -x -C /tmp/before      # (each revision's source tree, and its own copy of the
    cp -r CORPUS/sitegen /tmp/site-before         #  corpus, built once with it so that its cache is current)
    python3 bench/warm_compare.py --runs 6 --edit same before=/tmp/before:/tmp/site-before after=.:/tmp/site-after

Each run edits the middle chapter file of its site, then runs `sitegen build`
with that revision's source tree first on PYTHONPATH, in turn (who goes first
alternates). `--edit same` replaces a word with another ("the" -> "theXXXXXX":
the same number of words, as build_compare.py's edit), `--edit more` adds one
("the" -> "the very": every page that shows the work's word count changes). Printed
per run and as medians: the wall time and CPU (user + system) of the whole process
(what the user waits for: starting Python, importing sitegen, the build, writing
the output and the cache) and the build work (CPU time from the first line run,
so without starting the interpreter, with sitegen's imports). PYTHONDONTWRITEBYTECODE
is dropped so that each tree keeps its compiled modules, as an installed sitegen
does. A benchmark, never a test.
"""
from __future__ import annotations

import argparse
import os
import re
import resource
import secrets
import statistics
import subprocess
import sys
import time
from pathlib import Path

RUN = ("import time; t = time.process_time(); import sys; sys.argv = ['sitegen', 'build', '--quiet']\n"
       "from sitegen.cli import main\ntry: main()\nexcept SystemExit: pass\n"
       "print('WORK', time.process_time() - t, file=sys.stderr)")


def edit(site: Path, how: str) -> None:
    files = sorted((site / "content").glob("*/chapter-*"))
    path = files[len(files) // 2]
    text = path.read_text(encoding="utf-8")
    if how == "same":
        text = re.sub(r" the(\w*) ", f" the{secrets.token_hex(3)} ", text, count=1)
    else:
        text = text.replace(" the ", " the very ", 1)
    path.write_text(text, encoding="utf-8")


def run(src: Path, site: Path) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds of the process (user + system) and its build work (CPU after start)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = str(src)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", RUN], cwd=site, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    found = re.search(r"WORK (\S+)", done.stderr)
    if done.returncode or not found:
        raise SystemExit(f"sitegen build failed in {site}: {done.stderr[-2000:]}")
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime, float(found.group(1))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("trees", nargs="+", help="NAME=SOURCE_TREE:SITE")
    ap.add_argument("--runs", type=int, default=6)
    ap.add_argument("--edit", choices=("same", "more"), default="same")
    args = ap.parse_args()
    pairs = [(name, *map(Path, spec.split(":", 1))) for name, spec in (t.split("=", 1) for t in args.trees)]
    found: dict[str, list] = {name: [] for name, _, _ in pairs}
    for r in range(args.runs):
        for name, src, site in (pairs if r % 2 == 0 else pairs[::-1]):
            edit(site, args.edit)
            wall, cpu, work = run(src.resolve(), site)
            found[name].append((wall, cpu, work))
            print(f"run {r + 1} {name:8} wall {wall:5.2f} s  CPU {cpu:5.2f} s  build work {work:5.2f} s  "
                  f"load {os.getloadavg()[0]:.1f}", flush=True)
    print(f"one chapter changed (--edit {args.edit}), median of {args.runs}:")
    for name, rows in found.items():
        wall, cpu, work = (statistics.median(r[i] for r in rows) for i in range(3))
        print(f"  {name:8} whole process {wall:5.2f} s wall, {cpu:5.2f} s CPU; build work {work:5.2f} s CPU")


if __name__ == "__main__":
    main()
