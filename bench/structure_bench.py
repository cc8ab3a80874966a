"""Benchmark structure detection on real works as authors post them (../shared/realfics-dev).

Builds each work alone (as a new user would: the folder dropped into content/, no
configuration) and prints a table per work, checked against its hand-made structure gold:

  chapters   chapter pages right (first and last words on the page, as in the gold) / gold chapters
             (for an unmarked work: the pages sitegen chose, and "-" for right)
  titles     chapter titles right (every word of the gold title in the page's title) / titled chapters
  work title the work's title is the gold's (y/n; "-" when the gold has none)
  notes      gold notes shown inside a note element / gold notes
  leaked     gold notes whose first words are shown as story prose
  prose      prose excerpts shown as prose / excerpts
  lost       source words on no page of the whole-work page (notes included)
  sep-only   chapter pages holding no words (only a separator line, or nothing)
  breaks     scene breaks sitegen shows / scene breaks in the gold (separators inside the story)
  not-dlg    gold "not dialogue" quotations that sitegen marks as speech / gold items

Reading of pages (which text is inside a note element, the word lists) is
../shared/eval/score_structure.py's own, imported, so the figures agree with it; run it for
its pass/fail line: `python ../shared/eval/score_structure.py SITEGEN ../shared/realfics-dev
../shared/realfics-dev`.

    python bench/structure_bench.py [NAME ...] [--exclude NAME ...]
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import re
import shutil
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "realfics-dev"
SCORER = SHARED / "eval" / "score_structure.py"
sys.path.insert(0, str(ROOT))

from sitegen.build import build_site, write_output  # noqa: E402


def scorer():
    spec = importlib.util.spec_from_file_location("score_structure", SCORER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build(name: str, tmp: Path):
    """Build the work alone; (BuildResult, {page path: parsed page}, source text)."""
    work_dir = tmp / "content" / name
    work_dir.mkdir(parents=True)
    source = ""
    for f in sorted((CORPUS / name).iterdir()):
        shutil.copy(f, work_dir / f.name)
        source += f.read_text(encoding="utf-8", errors="replace") + "\n"
    result = build_site(tmp)
    write_output(result, tmp / "public", tmp)
    return result, scorer().load_site(str(tmp / "public")), source


def figures(name: str) -> dict:
    sc = scorer()
    gold = json.loads((CORPUS / f"{name}.structure.gold.json").read_text(encoding="utf-8"))
    tmp = Path(tempfile.mkdtemp())
    try:
        result, pages, source = build(name, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    work = result.works[0]
    prose = {k: sc.words(v.text(notes=False)) for k, v in pages.items()}
    notes = {k: sc.words(v.text(notes=True)) for k, v in pages.items()}
    ch_pages = sorted((k for k in pages if sc.CHAPTER_PAGE.search(k)),
                      key=lambda k: int(next(g for g in sc.CHAPTER_PAGE.search(k).groups() if g)))
    out = {"name": name}
    chapters = gold.get("chapters") or []
    if gold.get("unmarked") or not chapters:
        out["chapters"] = f"-/{len(ch_pages)}p"
        out["titles"] = "-"
    else:
        right = titled = titles = 0
        for i, ch in enumerate(chapters):
            if i >= len(ch_pages):
                break
            k = ch_pages[i]
            whole = sc.in_order(prose[k], sc.seq(ch["first_words"], 6)) \
                and sc.in_order(prose[k], sc.seq(ch["last_words"], 6, tail=True))
            right += whole and len(ch_pages) == len(chapters)
            if ch.get("title"):
                titled += 1
                heads = sc.words(pages[k].h1 + " " + pages[k].title)
                titles += all(w in heads for w in sc.words(ch["title"]))
        out["chapters"] = f"{right}/{len(chapters)}"
        out["titles"] = f"{titles}/{titled}"
    if gold.get("title"):
        out["work title"] = "y" if sc.words(work.meta.title) == sc.words(gold["title"]) else "n"
    else:
        out["work title"] = "-"
    shown = leaked = 0
    for n in gold.get("notes", []):
        head, tail = sc.seq(n["text"]), sc.seq(n["text"], tail=True)
        shown += any(sc.in_order(w, head) and sc.in_order(w, tail) for w in notes.values())
        leaked += any(len(head.split()) >= 4 and sc.in_order(w, head) for w in prose.values())
    out["notes"] = f"{shown}/{len(gold.get('notes', []))}"
    out["leaked"] = leaked
    checks = gold.get("prose_checks", [])
    ok = sum(any(sc.in_order(w, " ".join(sc.words(ex))) for w in prose.values()) for ex in checks)
    out["prose"] = f"{ok}/{len(checks)}"
    need = Counter(sc.words(source))
    out["lost"] = min(sum((need - Counter(prose[k] + notes[k])).values()) for k in pages)
    out["sep-only"] = sum(1 for ch in work.chapters if not has_prose(" ".join(
        work.sources[p.source].text[p.start:p.end] for p in work.paragraphs[ch.first_paragraph:ch.last_paragraph + 1])))
    out["breaks"] = f"{len(work.breaks)}/{gold.get('scene_breaks', 0)}"
    speech = [q.text for q in work.quotes if q.kind == "speech"]
    items = gold.get("not_dialogue", [])
    out["not-dlg"] = f"{sum(any(q.strip() == item.strip() for q in speech) for item in items)}/{len(items)}"
    return out


def has_prose(text: str) -> bool:
    """A word of two letters or more that is not one letter repeated ("oOoOo"): judged apart from sitegen's
    own separator rule, so the figure means the same for any version measured."""
    return any(len(set(w.lower())) > 1 for w in re.findall(r"[^\W\d_]{2,}", text))


COLUMNS = ("name", "chapters", "titles", "work title", "notes", "leaked", "prose", "lost", "sep-only", "breaks",
           "not-dlg")


def total(rows: list[dict]) -> dict:
    def frac(key: str) -> str:
        parts = [r[key].split("/") for r in rows if "/" in r[key] and not r[key].startswith("-")]
        return f"{sum(int(a) for a, _ in parts)}/{sum(int(b) for _, b in parts)}"
    return {"name": f"TOTAL ({len(rows)} works)", "chapters": frac("chapters"), "titles": frac("titles"),
            "work title": f"{sum(r['work title'] == 'y' for r in rows)}/{sum(r['work title'] != '-' for r in rows)}",
            "notes": frac("notes"), "leaked": sum(r["leaked"] for r in rows), "prose": frac("prose"),
            "lost": sum(r["lost"] for r in rows), "sep-only": sum(r["sep-only"] for r in rows),
            "breaks": frac("breaks"),
            "not-dlg": frac("not-dlg")}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("names", nargs="*", help="works to run (default: every work in the corpus)")
    ap.add_argument("--exclude", nargs="*", default=[], help="works to leave out (e.g. held-out works)")
    a = ap.parse_args()
    if not CORPUS.is_dir() or not SCORER.is_file():
        print(f"skipped: {CORPUS} or {SCORER} is missing (../shared is present on developer machines and CI)")
        return 0
    names = a.names or sorted(p.name[:-len(".structure.gold.json")] for p in CORPUS.glob("*.structure.gold.json"))
    names = [n for n in names if n not in a.exclude]
    rows = [figures(n) for n in names]
    rows.append(total(rows))
    widths = {c: max(len(c), *(len(str(r[c])) for r in rows)) for c in COLUMNS}
    print("  ".join(c.ljust(widths[c]) for c in COLUMNS))
    for r in rows:
        print("  ".join(str(r[c]).ljust(widths[c]) for c in COLUMNS))
    return 0


if __name__ == "__main__":
    sys.exit(main())
