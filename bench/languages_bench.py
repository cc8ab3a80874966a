"""Quotes found and quotes given a speaker in works of other languages (no gold speakers needed).

    python bench/languages_bench.py [WORK_FOLDER ...] [--show N]

Without folders it reads ../shared/realfics-dev/hpmor-fr (skipped when absent). For each
work it prints the language and marks sitegen chose, how many quotes it found (speech /
thought), how many have a speaker, and the cast it discovered; --show N prints N quotes
spread through the work with their speaker and the words after them, for reading by hand.
Peer: the same work's count of opening quote marks of every kind (« “ " „ 「 and
paragraph-opening dashes), which is roughly how many quotes a reader sees.
"""
from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))

from sitegen.build import analyse_work  # noqa: E402
from sitegen.load.files import load_work  # noqa: E402

_OPENERS = re.compile(r"[\u00ab\u201c\u201e\u300c]|(?<![\w.,!?])\"(?=\w)|(?:^|\n[ \t]*\n)[ \t]*[\u2014\u2013](?=\s*\S)")


def report(folder: Path, show: int) -> None:
    loaded = load_work(folder, folder.parent)
    work = analyse_work(loaded)
    quotes = work.quotes
    kinds = Counter(q.kind for q in quotes)
    named = sum(1 for q in quotes if q.speaker)
    marks = sum(len(_OPENERS.findall(src.text)) for src in loaded.sources)
    print(f"{folder.name}: language {work.meta.language}  quotes {len(quotes)} "
          f"(speech {kinds['speech']}, thought {kinds['thought']})  with a speaker {named}  "
          f"opening marks in the text {marks}")
    print("  cast: " + ", ".join(f"{c.name} ({c.pronouns})" for c in work.cast))
    step = max(1, len(quotes) // show) if show else 0
    for q in quotes[::step][:show] if show else ():
        text = work.sources[q.source].text
        after = text[q.end:q.end + 40].replace("\n", " ")
        print(f"  {q.speaker or '-':<22} {q.kind:<7} {q.text[:60]!r:<64} | {after}")


def main() -> int:
    args = sys.argv[1:]
    show = 0
    if "--show" in args:
        i = args.index("--show")
        show = int(args[i + 1])
        del args[i:i + 2]
    folders = [Path(a) for a in args] or [SHARED / "realfics-dev" / "hpmor-fr"]
    for folder in folders:
        if not folder.is_dir():
            print(f"skipped: {folder} is absent")
            continue
        report(folder, show)
    return 0


if __name__ == "__main__":
    sys.exit(main())
