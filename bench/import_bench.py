"""Benchmark `sitegen import` of a long AO3 download, next to peers.

    python3 bench/import_bench.py [--chapters 100] [--words 300000] [--repeat 3]

Writes a generated AO3 HTML download (the layout of tests/fixtures/import/ao3-multi.html,
with --chapters chapters of the sample's paragraphs, each with chapter notes) and times,
in the same run: `sitegen import` (read and write the work folder), BeautifulSoup
parsing the file alone (the floor: the parser the import uses, with no conversion),
and `pandoc -f html -t commonmark` when pandoc is installed (apt-get install pandoc);
otherwise that row says "not installed".
"""
from __future__ import annotations

import argparse
import html
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_bench import timed  # noqa: E402
from serve_bench import chapter_texts  # noqa: E402

from sitegen.importers import import_file  # noqa: E402
from sitegen.importers.markdown import parse  # noqa: E402

FIXTURE = REPO / "tests" / "fixtures" / "import" / "ao3-multi.html"


def download(chapters: int, words: int) -> str:
    """An AO3 download with the fixture's preface and afterword and generated chapters."""
    parts = []
    for n, text in enumerate(chapter_texts(chapters, words), 1):
        paras = "".join(f"<p>{html.escape(p)}</p>\n" for p in text.split("\n\n") if p.strip())
        parts.append(f'<div class="meta group"><h2 class="heading">Chapter {n}: Part {n}</h2><p>Chapter Notes</p>'
                     f'<blockquote class="userstuff"><p>Notes for chapter {n}.</p></blockquote></div>\n'
                     f'<div class="userstuff">\n{paras}</div>\n')
    src = FIXTURE.read_text(encoding="utf-8")
    start, end = src.index('<div id="chapters"'), src.index('<div id="afterword">')
    return f'{src[:start]}<div id="chapters" class="userstuff">\n{"".join(parts)}</div>\n{src[end:]}'


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--chapters", type=int, default=100)
    ap.add_argument("--words", type=int, default=300_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "work.html"
        source.write_text(download(args.chapters, args.words), encoding="utf-8")
        words, size = len(source.read_text(encoding="utf-8").split()), source.stat().st_size
        rows = [("sitegen import", timed(lambda: import_file(source, Path(tmp) / "content", force=True), args.repeat)),
                ("BeautifulSoup(html.parser) parse alone", timed(lambda: parse(source.read_bytes()), args.repeat))]
        pandoc = shutil.which("pandoc")
        rows.append(("pandoc -f html -t commonmark", timed(lambda: subprocess.run(
            [pandoc, "-f", "html", "-t", "commonmark", str(source), "-o", str(Path(tmp) / "out.md")], check=True),
            args.repeat) if pandoc else None))
    print(f"AO3 download: {args.chapters} chapters, {words:,} words, {size // 1024:,} KiB; median of {args.repeat} runs")
    for name, seconds in rows:
        print(f"  {name:<42} " + (f"{seconds:6.2f} s  {words / seconds / 1000:7.0f} k words/s" if seconds
                                   else "not installed"))


if __name__ == "__main__":
    main()
