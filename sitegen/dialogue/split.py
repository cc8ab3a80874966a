"""A long text's speaker walk in units that begin at chapter headings, shared between cores.

The walk (attribute.walk) carries who was mentioned, who spoke and whom they addressed from
quote to quote, but a chapter heading forgets all three (salience.new_chapter). What it keeps
past a heading can be told before the walk: how many of the narration's mentions it has passed
(their places), the last paragraph with speech (the quotes' kinds), and the headings passed.
So a unit starting at the first quote after a heading is walked from that state, in any process,
and gives the votes one walk gives; a heading before a quote that goes on with the speech before
it (attribute.carries: its vote is the one before) starts no unit. Each unit's quotes' findings
(around.read_around) are read with it. The passes over whole exchanges (turns.py), which look
across headings, then run over every unit's votes at once, here.
"""
from __future__ import annotations

from dataclasses import replace

from ..parallel import run_shared
from ..text.names import Mention, NameIndex
from .around import Around, read_around
from .attribute import after_walk, carries, heading_starts, walk, walk_context
from .marks import Span
from .salience import Vote


def speakers(text: str, paragraphs, spans: list[Span], kinds: list[str], index: NameIndex,
             narration: list[Mention], quoted: list[Mention], overrides: dict[int, str | None],
             lang: str = "en") -> tuple[list[Around], list[Vote]]:
    """What the narration around each quote says and the rules' votes (as read_around and attribute
    give them), the text's units walked in forked workers when it is long (parallel.run_shared)."""
    ctx = walk_context(text, index, narration, quoted, lang)
    headings = heading_starts(text)
    starts = unit_starts(ctx.text, paragraphs, spans, kinds, headings, ctx.starts)
    bounds = [lo for lo, _ in starts] + [len(spans)]
    done = run_shared(_walk_unit, (ctx, paragraphs, spans, kinds, overrides, headings, bounds, starts),
                      len(starts), work=len(text) if len(starts) > 1 else 0)
    around: list[Around] = []
    votes: list[Vote] = []
    for found, voted, vocatives in done:
        around += found
        votes += voted
        ctx.vocatives.update(vocatives)
    return around, after_walk(ctx, spans, kinds, votes)


def unit_starts(text: str, paragraphs, spans: list[Span], kinds: list[str], headings: list[int],
                mention_starts: list[int]) -> list[tuple[int, tuple[int, int, int]]]:
    """Where each unit starts (an index into spans) and the walk's state there: (narration mentions
    passed, last paragraph with speech, headings passed). The first unit starts at the text's start."""
    out: list[tuple[int, tuple[int, int, int]]] = [(0, (0, -10, 0))]
    fed, last, h = 0, -10, 0
    for i in range(1, len(spans)):
        if kinds[i - 1] == "speech":
            last = spans[i - 1].paragraph
        q, p = spans[i - 1].paragraph, spans[i].paragraph
        if q == p:
            continue
        passed = h
        while passed < len(headings) and headings[passed] < paragraphs[p][0]:
            passed += 1
        heading = passed > h and headings[passed - 1] >= paragraphs[q][0]
        h = passed
        if not heading or carries(text, paragraphs, spans, i):
            continue
        for upto in (paragraphs[q][1], headings[passed - 1]):       # as attribute.walk's _feed reads them
            while fed < len(mention_starts) and mention_starts[fed] < upto:
                fed += 1
        out.append((i, (fed, last, h)))
    return out


def _walk_unit(job: tuple, u: int) -> tuple[list[Around], list[Vote], dict]:
    """Unit u's findings, votes and addressees (run_shared's job: `job` is inherited)."""
    ctx, paragraphs, spans, kinds, overrides, headings, bounds, starts = job
    lo, hi = bounds[u], bounds[u + 1]
    fed, last, h = starts[u][1]
    mine = replace(ctx, recent=[], turns=[], addressed=(), fed=fed, last_paragraph=last, vocatives={})
    around = read_around(ctx.text, paragraphs, spans, ctx.quoted_starts, ctx.lang, lo, hi)
    return around, walk(mine, paragraphs, spans, kinds, around, overrides, headings, lo, hi, h), mine.vocatives
