"""Benchmark `sitegen build`: a cold build and a warm rebuild after one chapter changed, next to peers.

    python3 bench/build_bench.py [--chapters 200] [--words 1000000] [--repeat 3]

Builds the sample site and a generated work of --chapters chapter files (~--words
words, made from the sample text). Peers, measured in the same run on the same
chapters written as Markdown: markdown-it-py alone rendering every chapter (the
floor: Markdown to HTML with no analysis at all), and `mkdocs build` when MkDocs
is installed (pip install mkdocs); otherwise that row says "not installed".
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from serve_bench import chapter_texts  # noqa: E402  (the same generated work as the serve benchmark)

from sitegen.build import build_site  # noqa: E402
from sitegen.cache import BuildCache


def timed(fn, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


def make_work(root: Path, texts: list[str]) -> Path:
    folder = root / "content" / "big"
    folder.mkdir(parents=True)
    for i, text in enumerate(texts, 1):
        (folder / f"chapter-{i:03d}.txt").write_text(text, encoding="utf-8")
    return root


def make_mkdocs(root: Path, texts: list[str]) -> Path:
    docs = root / "docs"
    docs.mkdir(parents=True)
    for i, text in enumerate(texts, 1):
        (docs / f"chapter-{i:03d}.md").write_text(f"# Chapter {i}\n\n{text}", encoding="utf-8")
    (docs / "index.md").write_text("# Big\n", encoding="utf-8")
    (root / "mkdocs.yml").write_text("site_name: Big\n", encoding="utf-8")
    return root


def markdown_only(texts: list[str]) -> None:
    from markdown_it import MarkdownIt
    md = MarkdownIt("commonmark")
    for text in texts:
        md.render(text)


def mkdocs_time(texts: list[str], repeat: int) -> str:
    if shutil.which("mkdocs") is None:
        return "not installed"
    with tempfile.TemporaryDirectory() as tmp:
        root = make_mkdocs(Path(tmp), texts)
        seconds = timed(lambda: subprocess.run(["mkdocs", "build", "-q"], cwd=root, check=True,
                                               capture_output=True), repeat)
    return f"{seconds:.2f} s"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--chapters", type=int, default=200)
    ap.add_argument("--words", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    print(f"sample site, cold build: {timed(lambda: build_site(REPO), args.repeat):.3f} s")
    texts = chapter_texts(args.chapters, args.words)
    words = sum(len(t.split()) for t in texts)
    with tempfile.TemporaryDirectory() as tmp:
        site = make_work(Path(tmp), texts)
        cold = timed(lambda: build_site(site), 1)
        cache = BuildCache()
        build_site(site, cache=cache)
        target = site / "content" / "big" / "chapter-100.txt"
        original = target.read_text(encoding="utf-8")

        def edit_and_rebuild(n=[0]):
            n[0] += 1
            target.write_text(original.replace(" the ", f" the{n[0]} ", 1), encoding="utf-8")
            build_site(site, cache=cache)
        warm = timed(edit_and_rebuild, max(args.repeat, 5))
    floor = timed(lambda: markdown_only(texts), 1)
    print(f"generated work: {args.chapters} chapters, {words:,} words")
    print(f"  sitegen build, cold (all stages, every page):        {cold:.2f} s")
    print(f"  sitegen rebuild after one chapter changed (cached):  {warm:.3f} s")
    print(f"  peer: markdown-it-py alone, Markdown→HTML, no pages: {floor:.2f} s")
    print(f"  peer: mkdocs build (same chapters as Markdown):      {mkdocs_time(texts, 1)}")


if __name__ == "__main__":
    main()
