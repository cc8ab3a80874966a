"""Where a `sitegen build` with its kept cache spends its time, stage by stage (CPU seconds, in process).

    python3 bench/warm_stages.py SITE one     # one chapter changed (a word of the middle chapter file)
    python3 bench/warm_stages.py SITE same    # nothing changed since the last build

SITE is a site folder (e.g. the `sitegen` folder of a bench/corpus.py corpus)
built once with `sitegen build` (a cache made by other code is ignored, so the
first run after a change to sitegen is a cold build). "one" edits the site's
middle chapter file and leaves the edit (a new word each run), so a "same" run
after it finds the cache current. Printed: the time to import sitegen, the
build's CPU time (time.process_time: this process only, not pool workers) and
each timed stage's share; the stages nest (analyse_work is inside
analyse_and_render, the EPUB inside work_pages). A benchmark, never a test.
"""
from __future__ import annotations

import collections
import functools
import re
import secrets
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

STAGES = {"sitekey": ("load_works", "theme_key", "read_static", "site_key", "write_files"),
          "build": ("analyse_and_render", "analyse_work", "analyse_files", "load_engine", "join_files", "file_scenes",
                    "work_chapters", "timeline_facts", "folded_timeline", "chapter_bodies", "work_view", "work_pages",
                    "site_pages", "tag_pages", "environment", "file_dates"),
          "pages": ("epub_file", "whole_work_page", "timeline_pages", "feed_page")}


def timed(owner, name: str, spent: collections.Counter, label: str | None = None) -> None:
    fn = getattr(owner, name)

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        start = time.process_time()
        try:
            return fn(*args, **kwargs)
        finally:
            spent[label or name] += time.process_time() - start
    setattr(owner, name, wrapper)


def main() -> None:
    site, mode = Path(sys.argv[1]), (sys.argv[2] if len(sys.argv) > 2 else "one")
    start = time.process_time()
    import sitegen.build as build
    import sitegen.render.pages as pages
    import sitegen.sitekey as sitekey
    import sitegen.store as store
    imported = time.process_time() - start
    spent: collections.Counter = collections.Counter()
    for name in STAGES["sitekey"]:
        timed(sitekey, name, spent)
    for name in STAGES["build"]:
        timed(build, name, spent)
    for name in STAGES["pages"]:
        timed(pages, name, spent)
    for name in ("saved", "cache", "save", "_save_cache"):
        timed(store.Store, name, spent, f"store.{name}")
    if mode == "one":
        chapters = sorted(p for p in (site / "content").rglob("*") if p.suffix in (".txt", ".md"))
        target = chapters[len(chapters) // 2]
        text = target.read_text(encoding="utf-8")
        target.write_text(re.sub(r" the(\w*) ", f" the{secrets.token_hex(3)} ", text, count=1), encoding="utf-8")
    start = time.process_time()
    result = build.build(site, keep=True)
    total = time.process_time() - start
    print(f"{mode}: import {imported:.3f} s; build {total:.3f} s CPU "
          f"({'reused the last output' if not result.works else 'built'})")
    for name, seconds in spent.most_common():
        if seconds >= 0.001:
            print(f"  {name:20} {seconds:.3f}")


if __name__ == "__main__":
    main()
