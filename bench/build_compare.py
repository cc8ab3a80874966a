"""Time `sitegen build` against Hugo and MkDocs on the same chapters, run for run.

    python3 bench/corpus.py /tmp/c1m --words 1000000
    python3 bench/build_compare.py /tmp/c1m [--runs 3] [--tools sitegen,hugo,mkdocs] [--sitegen PATH]

Each round runs every tool once, in turn (so a busy machine slows them alike
and the ratios stay fair), each from a cold start: its output folder (and
sitegen's .sitegen-cache/) removed first. Printed per tool: the median wall
time, the peak memory of its whole process tree (the sum of the resident
memory of the process and its children, polled every 20 ms; pages that
forked workers share are counted once per process), the peak of the same
sum in PSS (a shared page split between the processes sharing it: the
memory the tree takes from the machine), its CPU time (user +
system of the whole tree, which a busy machine inflates least), the output's size on
disk (sum of file sizes), and the ratio to Hugo. Then, for sitegen, a second
build with nothing changed and a build after one chapter changed, both with
the persistent cache (medians over --runs). The load average is printed with
the figures: on a shared machine absolute times are inflated, ratios less so.
PYTHONDONTWRITEBYTECODE is dropped for the tools, so sitegen keeps its compiled modules
between runs, as an installed sitegen does (pip compiles them; an editable install writes
them on its first run).
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil


def tree_memory(proc: psutil.Process) -> tuple[int, int]:
    """The process tree's resident memory two ways: the sum of each process's RSS (a page that forked
    workers share is counted once per process), and the sum of their PSS (each shared page split
    between the processes that share it: what the tree takes from the machine)."""
    rss = pss = 0
    for p in [proc, *proc.children(recursive=True)]:
        try:
            full = p.memory_full_info()
            rss, pss = rss + full.rss, pss + full.pss
        except psutil.Error:
            pass
    return rss, pss


def run(cmd: list[str], cwd: Path) -> tuple[float, int, float, int]:
    """Wall seconds, the peak memory of the process tree (summed RSS), its CPU seconds (user + system,
    every process of the tree: the figure a busy machine inflates least) and its peak summed PSS."""
    errors = tempfile.TemporaryFile()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    proc = psutil.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=errors, env=env)
    peak = peak_pss = 0
    while proc.poll() is None:
        try:
            rss, pss = tree_memory(proc)
            peak, peak_pss = max(peak, rss), max(peak_pss, pss)
        except psutil.Error:
            pass
        time.sleep(0.02)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    if proc.returncode:
        errors.seek(0)
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}): {errors.read().decode()[-2000:]}")
    return seconds, peak, cpu, peak_pss


def size_on_disk(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def tools(corpus: Path, sitegen: str) -> dict[str, tuple[list[str], Path, Path, list[Path]]]:
    """name -> (command, working folder, output folder, folders to remove for a cold start)."""
    sg, hugo, mk = corpus / "sitegen", corpus / "hugo", corpus / "mkdocs"
    return {
        "sitegen": ([sitegen, "build", "--quiet"], sg, sg / "public", [sg / "public", sg / ".sitegen-cache"]),
        "hugo": (["hugo", "--quiet", "-d", "public"], hugo, hugo / "public", [hugo / "public", hugo / "resources"]),
        "mkdocs": ([sys.executable, "-m", "mkdocs", "build", "-q", "-d", "site"], mk, mk / "site", [mk / "site"]),
    }


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"


def mib(n: float) -> str:
    return f"{n / 2**20:,.0f} MiB"


def cold_runs(table: dict, names: list[str], runs: int) -> dict[str, dict]:
    found = {n: {"times": [], "peaks": [], "pss": [], "cpu": [], "size": 0} for n in names}
    for r in range(runs):
        for name in (names if r % 2 == 0 else names[::-1]):          # alternate who goes first
            cmd, cwd, out, clean = table[name]
            for d in clean:
                shutil.rmtree(d, ignore_errors=True)
            seconds, peak, cpu, pss = run(cmd, cwd)
            found[name]["times"].append(seconds)
            found[name]["peaks"].append(peak)
            found[name]["pss"].append(pss)
            found[name]["cpu"].append(cpu)
            found[name]["size"] = size_on_disk(out)
            print(f"  run {r + 1}: {name:8} {seconds:7.2f} s  {cpu:7.2f} s CPU  {mib(peak):>10}  {mib(pss):>10} PSS",
                  flush=True)
    return found


def warm_runs(table: dict, runs: int) -> tuple[tuple[float, float], tuple[float, float]]:
    """sitegen with its cache: a second build with nothing changed, and one with one chapter changed."""
    cmd, cwd, _, clean = table["sitegen"]
    for d in clean:
        shutil.rmtree(d, ignore_errors=True)
    run(cmd, cwd)
    same = [run(cmd, cwd) for _ in range(runs)]
    chapters = sorted((cwd / "content").glob("*/chapter-*"))
    target = chapters[len(chapters) // 2]
    original = target.read_text(encoding="utf-8")
    edited = []
    try:
        for n in range(runs):
            target.write_text(original.replace(" the ", f" the{n} ", 1), encoding="utf-8")
            edited.append(run(cmd, cwd))
    finally:
        target.write_text(original, encoding="utf-8")
    return ((statistics.median(r[0] for r in same), statistics.median(r[2] for r in same)),
            (statistics.median(r[0] for r in edited), statistics.median(r[2] for r in edited)))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", type=Path, help="a folder written by bench/corpus.py")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--tools", default="sitegen,hugo,mkdocs")
    ap.add_argument("--sitegen", default=shutil.which("sitegen") or str(Path(sys.executable).with_name("sitegen")))
    ap.add_argument("--no-warm", action="store_true", help="skip the cached (second) builds")
    args = ap.parse_args()
    table = tools(args.corpus.resolve(), args.sitegen)
    names = [n for n in args.tools.split(",") if n]
    words = sum(len(p.read_text(encoding="utf-8").split()) for p in (args.corpus / "sitegen" / "content").rglob("*.txt"))
    print(f"corpus {args.corpus}: {words:,} words; {load()}")
    found = cold_runs(table, names, args.runs)
    hugo = statistics.median(found["hugo"]["times"]) if "hugo" in found else None
    hugo_cpu = statistics.median(found["hugo"]["cpu"]) if "hugo" in found else None
    print(f"cold builds, median of {args.runs} (alternating); {load()}")
    print(f"  {'tool':8} {'time':>9} {'× hugo':>7} {'CPU':>9} {'× hugo':>7} {'peak memory':>12} {'peak PSS':>10} "
          f"{'output':>10}")
    for name, f in found.items():
        t, c = statistics.median(f["times"]), statistics.median(f["cpu"])
        ratio = f"{t / hugo:.1f}×" if hugo else "–"
        cpu_ratio = f"{c / hugo_cpu:.1f}×" if hugo_cpu else "–"
        print(f"  {name:8} {t:7.2f} s {ratio:>7} {c:7.2f} s {cpu_ratio:>7} {mib(max(f['peaks'])):>12} "
              f"{mib(max(f['pss'])):>10} "
              f"{f['size'] / 1e6:8.1f} MB")
    if "sitegen" in names and not args.no_warm:
        (same, same_cpu), (one, one_cpu) = warm_runs(table, args.runs)
        cold = statistics.median(found["sitegen"]["times"])
        cold_cpu = statistics.median(found["sitegen"]["cpu"])
        print(f"sitegen with its cache, median of {args.runs}; {load()}")
        print(f"  second build, nothing changed: {same:.2f} s ({same / cold:.2f}× cold), "
              f"{same_cpu:.2f} s CPU ({same_cpu / cold_cpu:.2f}× cold)")
        print(f"  one chapter changed:           {one:.2f} s ({one / cold:.2f}× cold), "
              f"{one_cpu:.2f} s CPU ({one_cpu / cold_cpu:.2f}× cold)")


if __name__ == "__main__":
    main()
