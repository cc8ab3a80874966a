"""Benchmark hostile text: a build of one paragraph of 100,000 quote marks, next to peers of the same size.

    python3 bench/hostile_bench.py [--marks 100000] [--repeat 3]

Rows (each `sitegen build --no-cache` of a one-work site, in a fresh process; median of --repeat):
- `"` x N in one paragraph (every mark opens a quote that never closes: N broken marks);
- `"Run." ` x N/2 in one paragraph (N marks, N/2 well-formed quotes);
- the peer: plain words of the same length in one paragraph (no marks at all);
and the time find_quotes alone takes on the first row. A linear engine keeps the
hostile rows within a small factor of the peer; the old pairing took 2.6 s in
find_quotes and 4.3 s for the build.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from sitegen.dialogue import find_quotes  # noqa: E402
from sitegen.model import SourceText  # noqa: E402
from build_bench import timed  # noqa: E402


def build_of(paragraph: str, repeat: int) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "content" / "w").mkdir(parents=True)
        (root / "content" / "w" / "a.txt").write_text(f"Title\n\nSome prose.\n\n{paragraph}\n", encoding="utf-8")
        command = [sys.executable, "-m", "sitegen", "build", "--quiet", "--no-cache", "--site", str(root)]
        return timed(lambda: subprocess.run(command, cwd=REPO, check=True, capture_output=True), repeat)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--marks", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    n = args.marks
    rows = [(f'"" x {n:,} (broken marks)', '"' * n),
            (f'"Run." x {n // 2:,} ({n:,} marks, closed)', '"Run." ' * (n // 2)),
            ("peer: plain words, same length", ("word " * n)[:n])]
    print(f"build  {'empty site (startup)':<40} {build_of('Hello.', args.repeat):6.2f} s")
    for name, paragraph in rows:
        print(f"build  {name:<40} {build_of(paragraph, args.repeat):6.2f} s  ({len(paragraph):,} characters)")
    text = "Some prose.\n\n" + '"' * n + "\n"
    src = SourceText.from_text(Path("x.txt"), text, "x.txt", 0.0)
    from sitegen.text.spans import _pair_marks
    alone = timed(lambda: _pair_marks.cache_clear() or find_quotes(SourceText.from_text(Path("x.txt"), text + " ", "x.txt", 0.0),
                                      [(0, 11), (13, len(text) - 1)], ()), args.repeat)
    del src
    print(f"find_quotes alone on {n:,} broken marks            {alone:6.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
