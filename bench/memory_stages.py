"""Where a cold `sitegen build` holds its memory, stage by stage (the build runs in this process).

    python3 bench/memory_stages.py SITE

SITE is a site folder (e.g. the `sitegen` folder of a bench/corpus.py corpus);
its public/ and .sitegen-cache/ are removed first, so the build is cold (with
the kept cache written at its end, as `sitegen build` does). Printed, as each
timed stage begins and ends: wall and CPU seconds so far, this process's
resident memory then and its peak since the line before (Linux:
/proc/self/status VmHWM, reset after each line through /proc/self/clear_refs),
and the peak since the line before of the whole process tree (this process
and its forked workers: summed RSS, and summed PSS), polled every 50 ms by
another process (psutil; not a thread: a process with threads does not fork
its workers). Linux only; a benchmark, never a test.
"""
from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

STAGES = {"sitekey": ("read_site", "write_output"),
          "build": ("analyse_and_render", "analyse_work", "analyse_files", "timeline_facts", "folded_timeline",
                    "chapter_bodies", "work_view", "work_pages", "site_pages"),
          "pages": ("chapter_pages", "epub_file", "whole_work_page", "timeline_pages", "feed_page"),
          "output": ("write_output",)}

POLLER = """
import os, sys, time, psutil
root = psutil.Process(int(sys.argv[1]))
me = os.getpid()
with open(sys.argv[2], "w") as out:
    while root.is_running():
        rss = pss = 0
        try:
            for p in [root, *root.children(recursive=True)]:
                if p.pid == me:
                    continue
                try:
                    full = p.memory_full_info()
                    rss, pss = rss + full.rss, pss + full.pss
                except psutil.Error:
                    pass
        except psutil.Error:
            break
        out.write(f"{time.time()} {rss} {pss}\\n")
        out.flush()
        time.sleep(0.05)
"""

STARTED = time.perf_counter()
events: list[tuple[float, str]] = []


def status(field: str) -> int:
    """A /proc/self/status figure in bytes (VmRSS, VmHWM)."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    return 0


def event(what: str) -> None:
    events.append((time.time(), f"{time.perf_counter() - STARTED:8.2f} s {time.process_time():8.2f} s CPU  "
                                f"{status('VmRSS') / 2**20:6.0f} MiB now {status('VmHWM') / 2**20:6.0f} peak  "
                                f"{{tree}}  {what}"))
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")                        # reset VmHWM


def traced(owner, name: str, label: str) -> None:
    """Wrap owner.name, wherever a sitegen module imported it under that name too."""
    fn = getattr(owner, name)

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        event(f"> {label}")
        try:
            return fn(*args, **kwargs)
        finally:
            event(f"< {label}")
    for module in list(sys.modules.values()):
        if module is not None and module.__name__.startswith("sitegen") and getattr(module, name, None) is fn:
            setattr(module, name, wrapper)
    setattr(owner, name, wrapper)


def tree_peaks(log: Path) -> list[str]:
    """Each event's line with the tree's peak summed RSS / PSS since the event before."""
    samples = [tuple(map(float, line.split())) for line in log.read_text().splitlines() if line.count(" ") == 2]
    lines, since = [], 0.0
    for at, line in events:
        inside = [s for s in samples if since <= s[0] <= at]
        if inside:
            rss, pss = max(s[1] for s in inside) / 2**20, max(s[2] for s in inside) / 2**20
            lines.append(line.format(tree=f"tree {rss:6.0f} RSS {pss:6.0f} PSS"))
        else:
            lines.append(line.format(tree=f"tree {'-':>6} RSS {'-':>6} PSS"))
        since = at
    return lines


def main() -> None:
    site = Path(sys.argv[1])
    for folder in (site / "public", site / ".sitegen-cache"):
        shutil.rmtree(folder, ignore_errors=True)
    import sitegen.build as build
    import sitegen.output as output
    import sitegen.render.pages as pages
    import sitegen.sitekey as sitekey
    import sitegen.store as store
    for module, names in ((sitekey, STAGES["sitekey"]), (build, STAGES["build"]), (pages, STAGES["pages"]),
                          (output, STAGES["output"])):
        for name in names:
            traced(module, name, f"{module.__name__.rsplit('.', 1)[-1]}.{name}")
    for name in ("save", "_save_cache"):
        traced(store.Store, name, f"store.{name}")
    log = Path(tempfile.mkstemp(suffix=".memory")[1])
    poller = subprocess.Popen([sys.executable, "-c", POLLER, str(os.getpid()), str(log)])
    time.sleep(1.0)                         # (psutil imported, polling)
    event("start")
    build.build(site, keep=True)
    event("end")
    poller.kill()
    poller.wait()
    print("  wall      CPU       this process         tree's peak since the line before")
    print("\n".join(tree_peaks(log)))
    log.unlink()


if __name__ == "__main__":
    main()
