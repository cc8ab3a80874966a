"""Build a benchmark corpus of real prose from ../shared: one work of chapter files, for sitegen, Hugo and MkDocs.

    python3 bench/corpus.py OUT --words 1000000 [--shared ../shared]

The PDNC dev novels and the fanfic-dev texts, taken in order, are cut into
chapters at their chapter headings (or every ~5,000 words where a text has
none) and written as OUT/sitegen/content/corpus/chapter-NNNN.txt,
OUT/hugo/content/chapters/chapter-NNNN.md and OUT/mkdocs/docs/chapter-NNNN.md
(the same words; the Markdown copies carry a heading the peers need).

There are only ~540,000 words of such prose, so a larger corpus goes round
them again. Each later round is varied so that caches keyed by paragraph text
cannot recognise it: every chapter's paragraphs are rotated by the round
number, and in every paragraph some pairs of adjacent plain lower-case words
(chosen by the bits of the round number) are swapped; a paragraph with no such pair is joined to
the one before it. `corpus_stats` reports how many paragraphs
are still byte-equal to an earlier one; the figure is printed and the README's figures quote it.
"""
from __future__ import annotations

import argparse
import re
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
HEADING = re.compile(r"^\s*(chapter|book|volume|part)\b[^\n]{0,60}$", re.IGNORECASE)
PLAIN = re.compile(r"[a-z]+")
CUT_WORDS = 5000


def source_texts(shared: Path) -> list[Path]:
    novels = sorted((shared / "pdnc-dev").glob("*.txt"))
    fics = sorted(p for p in (shared / "fanfic-dev").glob("*.txt") if not p.name.endswith(".SOURCE.txt"))
    return novels + fics


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n", text.replace("\r\n", "\n")) if p.strip()]


def base_chapters(shared: Path) -> list[list[str]]:
    """Every text cut into chapters (lists of paragraphs): at heading paragraphs, else every ~5k words."""
    chapters: list[list[str]] = []
    for path in source_texts(shared):
        current: list[str] = []
        words = 0
        for para in paragraphs(path.read_text(encoding="utf-8")):
            if HEADING.match(para) or words >= CUT_WORDS:
                if words > 200:
                    chapters.append(current)
                    current, words = [], 0
                if HEADING.match(para):
                    continue            # the heading is replaced by the corpus's own
            current.append(para)
            words += len(para.split())
        if current:
            chapters.append(current)
    return chapters


def vary(para: str, round_: int) -> str:
    """Round 0: the paragraph as written. Round r: swap the pairs of adjacent plain words picked by the
    bits of r (so each round differs); unchanged when the paragraph has too few pairs for r."""
    if round_ == 0:
        return para
    tokens = para.split(" ")
    pairs = [i for i in range(len(tokens) - 1) if PLAIN.fullmatch(tokens[i]) and PLAIN.fullmatch(tokens[i + 1])
             and tokens[i] != tokens[i + 1]]
    if round_ >= 1 << len(pairs):
        return para
    pairs = [i for b, i in enumerate(pairs) if round_ >> b & 1]
    for i in pairs:
        tokens[i], tokens[i + 1] = tokens[i + 1], tokens[i]
    return " ".join(tokens)


def varied(chapter: list[str], round_: int) -> list[str]:
    """The chapter's paragraphs varied for the round; in later rounds a paragraph that cannot be varied
    (no pair of plain words: a short line of dialogue, say) is joined to the paragraph before it."""
    out: list[str] = []
    for para in chapter:
        new = vary(para, round_)
        if round_ and new == para and out:
            out[-1] = f"{out[-1]} {para}"
        else:
            out.append(new)
    return out


def corpus(words: int, shared: Path = SHARED) -> list[list[str]]:
    """Chapters (lists of paragraphs) totalling about `words` words."""
    base = base_chapters(shared)
    out, total, round_ = [], 0, 0
    while total < words:
        for ch in base:
            k = round_ % len(ch)
            out.append(varied(ch[k:] + ch[:k], round_))
            total += sum(len(p.split()) for p in out[-1])
            if total >= words:
                break
        round_ += 1
    return out


def corpus_stats(chapters: list[list[str]]) -> str:
    seen: set[str] = set()
    repeats = repeated_words = total = words = 0
    for ch in chapters:
        for p in ch:
            total += 1
            n = len(p.split())
            words += n
            if p in seen:
                repeats += 1
                repeated_words += n
            seen.add(p)
    return (f"{len(chapters)} chapters, {words:,} words, {total:,} paragraphs; "
            f"{repeats:,} paragraphs ({repeats / total:.1%}, {repeated_words / words:.1%} of the words) "
            f"repeat an earlier paragraph exactly")


def write(out: Path, chapters: list[list[str]]) -> None:
    """The same chapters for sitegen (.txt files), Hugo and MkDocs (.md with a heading)."""
    if out.exists():
        shutil.rmtree(out)
    sg = out / "sitegen" / "content" / "corpus"
    hugo = out / "hugo" / "content" / "chapters"
    mk = out / "mkdocs" / "docs"
    for d in (sg, hugo, mk):
        d.mkdir(parents=True)
    (sg / "work.toml").write_text('title = "Corpus"\n', encoding="utf-8")
    for n, ch in enumerate(chapters, 1):
        body = "\n\n".join(ch) + "\n"
        name = f"chapter-{n:04d}"
        (sg / f"{name}.txt").write_text(f"Chapter {n}\n\n{body}", encoding="utf-8")
        (hugo / f"{name}.md").write_text(f'---\ntitle: "Chapter {n}"\nweight: {n}\n---\n\n{body}', encoding="utf-8")
        (mk / f"{name}.md").write_text(f"# Chapter {n}\n\n{body}", encoding="utf-8")
    hugo_site(out / "hugo")
    (mk / "index.md").write_text("# Corpus\n", encoding="utf-8")
    (out / "mkdocs" / "mkdocs.yml").write_text("site_name: Corpus\n", encoding="utf-8")


def hugo_site(root: Path) -> None:
    """A minimal Hugo site: a page per chapter with previous/next links, and a list page."""
    (root / "config.toml").write_text('baseURL = "/"\ntitle = "Corpus"\ndisableKinds = ["taxonomy", "term"]\n',
                                      encoding="utf-8")
    layouts = root / "layouts" / "_default"
    layouts.mkdir(parents=True)
    (layouts / "baseof.html").write_text(
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>'
        "<body>{{ block \"main\" . }}{{ end }}</body></html>\n", encoding="utf-8")
    (layouts / "single.html").write_text(
        '{{ define "main" }}<nav>{{ with .PrevInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}'
        '{{ with .NextInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</nav>'
        "<article><h1>{{ .Title }}</h1>{{ .Content }}</article>{{ end }}\n", encoding="utf-8")
    (layouts / "list.html").write_text(
        '{{ define "main" }}<ol>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>'
        "{{ end }}</ol>{{ end }}\n", encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", type=Path)
    ap.add_argument("--words", type=int, default=1_000_000)
    ap.add_argument("--shared", type=Path, default=SHARED)
    args = ap.parse_args()
    chapters = corpus(args.words, args.shared)
    write(args.out, chapters)
    print(corpus_stats(chapters))


if __name__ == "__main__":
    main()
