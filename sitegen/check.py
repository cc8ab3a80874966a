"""`sitegen check`: what the build found that an author may want to confirm or fix."""
from __future__ import annotations

from pathlib import Path
from typing import TextIO

from .build import build_site
from .dialogue.explain import evidence_lines
from .model import Work
from .text.names import build_index, indistinguishable
from .text.paragraphs import split_paragraphs

UNSURE = 0.5


def quote_lines(work: Work, names: dict[str, str], everything: bool) -> list[str]:
    """The quotes least sure first (with `everything`, all of them; else the unsure ones),
    each with the evidence for its speaker."""
    lines: list[str] = []
    by_source: dict[int, list] = {}
    place = {}
    for q in work.quotes:
        place[q.source, q.start] = len(by_source.setdefault(q.source, []))
        by_source[q.source].append(q)
    paragraphs = {}
    for q in sorted(work.quotes, key=lambda q: q.confidence if q.speaker else -1.0):   # least sure first
        unsure = q.speaker is None or q.confidence < UNSURE
        if everything or unsure:
            who = names.get(q.speaker or "", "unknown speaker")
            flag = "unsure: " if unsure else ""
            excerpt = q.text if len(q.text) <= 70 else q.text[:67] + "…"
            source = work.sources[q.source]
            lines.append(f"{source.locate(q.start)}: {flag}{q.kind} by {who} "
                         f"(confidence {q.confidence:.2f}): {excerpt}")
            if q.source not in paragraphs:
                paragraphs[q.source] = split_paragraphs(source.text)
            quotes = by_source[q.source]
            lines += ["  " + line for line in evidence_lines(source.text, paragraphs[q.source], quotes,
                                                             place[q.source, q.start], names, work.meta.language)]
    return lines


def work_report(work: Work, everything: bool) -> list[str]:
    names = {c.id: c.name for c in work.cast}
    lines = [f"== {work.meta.title} ({work.slug}): {len(work.quotes)} quotes, {len(work.notes)} notes, "
             f"{len(work.scenes)} scenes, {len(work.chapters)} chapter pages"]
    if work.meta.language != "en":
        lines.append(f"language: {work.meta.language} (if that is wrong, set language = \"...\" in "
                     f"content/{work.slug}/work.toml)")
    lines += [str(d) for d in work.diagnostics]
    if work.cast_discovered:
        found = ", ".join(f"{c.name} ({c.pronouns})" for c in work.cast) or "none"
        lines.append(f"characters found in the text (no cast given): {found}")
        lines.append(f"  hint: confirm them in content/{work.slug}/work.toml, e.g. "
                     '[characters.ana] name = "Ana" aliases = ["Annie"] pronouns = "she"')
    for ids, form in indistinguishable(build_index(work.cast)) if not work.cast_discovered else ():
        lines.append(f"characters {' and '.join(names[i] for i in ids)} share every name form (\"{form}\"): "
                     "the text cannot tell them apart, so each line goes to whichever was named last")
        lines.append(f"  hint: give one of them an alias only it is called by in content/{work.slug}/work.toml, "
                     f"or name the speaker with {{={ids[-1]}}} after a line's closing quote mark")
    lines += quote_lines(work, names, everything)
    for n in work.notes:
        excerpt = n.text if len(n.text) <= 70 else n.text[:67] + "…"
        lines.append(f"{work.sources[n.source].locate(n.start)}: note ({n.kind}): {excerpt}")
    if any(q.speaker is None or q.confidence < UNSURE for q in work.quotes):
        lines.append('  hint: to name a speaker yourself, put {=id} right after the closing quote mark, '
                     'e.g. "Hello,"{=naruto} (it is not shown on the site)')
    return lines


def check_site(site_dir: Path, out: TextIO, everything: bool = False) -> int:
    result = build_site(Path(site_dir))
    for work in result.works:
        for line in work_report(work, everything):
            print(line, file=out)
    return 0
