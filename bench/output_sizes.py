"""Where a built site's bytes go: sizes by kind of file, and inside the HTML pages by kind of markup.

    python3 bench/output_sizes.py PUBLIC [PUBLIC ...]

For each output folder (e.g. a sitegen site's public/ before and after a change)
prints the total, then the bytes of each kind of file (chapter pages, the
whole-work page all.html, the timeline page, work indexes, characters.css, the
theme's CSS, feeds, EPUBs, the rest), then, summed over every HTML page, the
bytes of the parts a page repeats or adds to the story: the "Who is who" legend
(the reader bar's <details class="legend">), the chapter navigation
(<nav class="chapter-nav">), the timeline's chart (<svg>), the tags of the
quote markup (every <span ...> / </span> of a quote), and the sidenotes' markup.
No figure here is a time; run it on folders built the same way.
"""
from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path

KINDS = (("tag/series pages", re.compile(r"^(tags|series)/")),
         ("chapter pages", re.compile(r"(^|/)chapter-[^/]*\.html$")),
         ("all.html", re.compile(r"(^|/)all\.html$")),
         ("timeline.html", re.compile(r"(^|/)timeline\.html$")),
         ("work index", re.compile(r"^[^/]+/index\.html$")),
         ("characters.css", re.compile(r"(^|/)characters\.css$")),
         ("theme CSS/JS", re.compile(r"^static/.*\.(css|js)$")),
         ("feeds", re.compile(r"feed\.xml$")),
         ("EPUB", re.compile(r"\.epub$")))

PARTS = (("legend", re.compile(rb'<details class="legend">.*?</details>', re.S)),
         ("chapter nav", re.compile(rb'<nav class="chapter-nav".*?</nav>', re.S)),
         ("chart SVG", re.compile(rb"<svg\b.*?</svg>", re.S)),
         ("timeline scene list", re.compile(rb'<ol class="timeline-scenes">.*?</ol>\s*</section>', re.S)),
         ("quote tags", re.compile(rb'<(?:span|q) class="(?:quote|q)\b[^>]*>|<q\b[^>]*>|</q>')),
         ("sidenote markup", re.compile(rb'<label for="[^"]*" class="margin-toggle[^>]*>|<input type="checkbox"[^>]*>'
                                        rb'|<span class="sidenote[^"]*"[^>]*>')))
_QUOTE_CLOSE = re.compile(rb"</span>")


def kind(rel: str) -> str:
    return next((name for name, pattern in KINDS if pattern.search(rel)), "other")


def measure(folder: Path) -> tuple[int, Counter, Counter, Counter]:
    files, parts, counts = Counter(), Counter(), Counter()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        rel = path.relative_to(folder).as_posix()
        data = path.read_bytes()
        files[kind(rel)] += len(data)
        counts[kind(rel)] += 1
        if rel.endswith(".html"):
            for name, pattern in PARTS:
                found = pattern.findall(data)
                parts[name] += sum(len(m) for m in found)
                if name == "quote tags" and found and found[0].startswith(b"<span"):
                    parts[name] += len(found) * len(b"</span>")       # each quote's span closes once
    return sum(files.values()), files, parts, counts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("folders", type=Path, nargs="+")
    args = ap.parse_args()
    for folder in args.folders:
        total, files, parts, counts = measure(folder)
        print(f"{folder}: {total / 1e6:.2f} MB in {sum(counts.values())} files")
        for name, size in files.most_common():
            print(f"  {name:18} {size / 1e6:9.2f} MB  ({counts[name]} files)")
        print("  inside the HTML pages:")
        for name, _ in PARTS:
            print(f"    {name:20} {parts[name] / 1e6:9.2f} MB")


if __name__ == "__main__":
    main()
