"""Seconds from starting a dev server to its first page, on a corpus written by bench/corpus.py.

    python3 bench/corpus.py /tmp/c1m --words 1000000
    python3 bench/serve_start.py /tmp/c1m [--runs 3] [--sitegen PATH] [--no-cold] [--bare]

Each round starts, in turn: `sitegen serve` with the .sitegen-cache/ a `sitegen build`
left (it serves that build's output while its own first build runs), `hugo server`
(which builds the site in memory first), and, unless --no-cold, `sitegen serve` with
no cache (it serves the site that build left in public/ while its own first build,
a cold one, runs); with --bare also with neither the cache nor public/ (the first
page waits for a cold build). The clock runs from starting the
process to the first 200 answer for the middle chapter's page, polled every 10 ms;
the server's CPU time by then (its process tree) is printed beside it.
Printed: each run, then the medians, with the load average (a busy machine inflates
every figure; the tools run in turn so it inflates them alike). PYTHONDONTWRITEBYTECODE is
dropped, so sitegen keeps its compiled modules between runs, as an installed sitegen does.
"""
from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import psutil


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(proc: psutil.Process) -> float:
    """User + system CPU seconds of a process and its children so far (steadier than wall time on a busy machine)."""
    total = 0.0
    for p in [proc, *proc.children(recursive=True)]:
        try:
            t = p.cpu_times()
            total += t.user + t.system
        except psutil.Error:
            pass
    return total


def first_page(cmd: list[str], cwd: Path, path: str, timeout: float = 900) -> tuple[float, float]:
    """Seconds until GET path answers 200, and the server's CPU seconds by then (it is stopped after)."""
    port = free_port()
    cmd = [c.replace("PORT", str(port)) for c in cmd]
    started = time.perf_counter()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    proc = psutil.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    try:
        while time.perf_counter() - started < timeout:
            if proc.poll() is not None:
                raise SystemExit(f"{' '.join(cmd)} ended ({proc.returncode}) before serving {path}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as answer:
                    if answer.status == 200:
                        answer.read()
                        return time.perf_counter() - started, cpu_seconds(proc)
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.01)
        raise SystemExit(f"{' '.join(cmd)}: no page {path} after {timeout:.0f} s")
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def load() -> str:
    return "load average {:.2f} {:.2f} {:.2f} on {} cores".format(*os.getloadavg(), os.cpu_count())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", type=Path, help="a folder written by bench/corpus.py")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--sitegen", default=shutil.which("sitegen") or str(Path(sys.executable).with_name("sitegen")))
    ap.add_argument("--no-cold", action="store_true", help="skip sitegen serve without its cache (a cold build)")
    ap.add_argument("--bare", action="store_true", help="also sitegen serve without its cache and without public/")
    args = ap.parse_args()
    sg, hugo = args.corpus.resolve() / "sitegen", args.corpus.resolve() / "hugo"
    chapters = sorted((sg / "content").glob("*/chapter-*.txt"))
    middle = len(chapters) // 2
    work = chapters[middle].parent.name
    print(f"corpus {args.corpus}: {len(chapters)} chapters; {load()}")
    subprocess.run([args.sitegen, "build", "--quiet"], cwd=sg, check=True, stderr=subprocess.DEVNULL)
    kept = (sg / ".sitegen-cache").with_name(".sitegen-cache-bench")
    shutil.rmtree(kept, ignore_errors=True)
    shutil.copytree(sg / ".sitegen-cache", kept)
    serve = [args.sitegen, "serve", "--port", "PORT"]
    page = f"/{work}/chapter-{middle + 1}.html"
    runs: dict[str, tuple[list[str], Path, str, str]] = {        # ..., what sitegen has: cache, public, bare
        "sitegen serve, kept cache": (serve, sg, page, "cache"),
        "hugo server": (["hugo", "server", "--port", "PORT", "--bind", "127.0.0.1"], hugo,
                        f"/chapters/{chapters[middle].stem}/", "")}
    if not args.no_cold:
        runs["sitegen serve, no cache"] = (serve, sg, page, "public")
    if args.bare:
        runs["sitegen serve, no cache/public"] = (serve, sg, page, "bare")
    public = sg / "public"
    aside = public.with_name("public-bench-kept")
    shutil.rmtree(aside, ignore_errors=True)
    shutil.copytree(public, aside)
    found: dict[str, list[tuple[float, float]]] = {name: [] for name in runs}
    for r in range(args.runs):
        for name, (cmd, cwd, path, has) in runs.items():
            if cwd == sg:
                shutil.rmtree(sg / ".sitegen-cache", ignore_errors=True)
                shutil.rmtree(public, ignore_errors=True)
                if has == "cache":
                    shutil.copytree(kept, sg / ".sitegen-cache")
                if has != "bare":
                    shutil.copytree(aside, public)
            seconds, cpu = first_page(cmd, cwd, path)
            found[name].append((seconds, cpu))
            print(f"  run {r + 1}: {name:30} {seconds:7.2f} s  {cpu:6.2f} s CPU  ({load()})", flush=True)
    shutil.copytree(kept, sg / ".sitegen-cache", dirs_exist_ok=True)
    shutil.rmtree(kept, ignore_errors=True)
    shutil.rmtree(public, ignore_errors=True)
    shutil.copytree(aside, public)
    shutil.rmtree(aside, ignore_errors=True)
    print(f"first page, median of {args.runs}; {load()}")
    for name, times in found.items():
        print(f"  {name:30} {statistics.median(t for t, _ in times):7.2f} s  "
              f"{statistics.median(c for _, c in times):6.2f} s CPU")


if __name__ == "__main__":
    main()
