"""Exchanges decoded as sequences: a beam search (Viterbi over who spoke last and before that).

Each quote has its candidates with a log-probability from the scorer (a quote a rule decides
alone has one candidate). A transition score links each quote to the speech before it: the
same speaker again, the one before that (an A-B-A run), or someone new (a third speaker
joining), each by how the two quotes are linked (same paragraph, with or without narration
between them: "Why?" "Just do it!" trade turns inside one paragraph; next paragraph, the next
paragraph with nothing but the quote in it, a speech continued across a paragraph break, a
gap of narration); a thought is not a turn and takes no transition (with thought transitions
learned on the dev texts' few thoughts, the sample fell by three quotes). The transition weights are learned on the dev texts by
bench/train_attribution.py (an averaged structured perceptron over the same decoder); the
best path through the whole text is kept, so one wrong anchor costs its neighbours only
when the scorer's evidence for them is weak.
"""
from __future__ import annotations

from collections.abc import Sequence

from .salience import GROUP

BEAM = 8


def links(spans, kinds, paragraphs, text) -> list[str]:
    """How each quote is linked to the last line of speech before it."""
    out, prev = [], None
    for k, s in enumerate(spans):
        if kinds[k] != "speech":
            out.append("thought")
            continue
        if prev is None:
            link = "start"
        elif spans[prev].paragraph == s.paragraph:
            link = "same-par-bare" if not text[spans[prev].end:s.start].strip() else "same-par"
        elif spans[prev].continues:
            link = "continues"
        elif s.paragraph - spans[prev].paragraph == 1:
            link = "next-par-bare" if _bare(text, s, paragraphs[s.paragraph]) else "next-par"
        else:
            link = "gap"
        out.append(link)
        prev = k
    return out


def _bare(text: str, span, bounds) -> bool:
    """The quote is its paragraph's only words."""
    return not text[bounds[0]:span.start].strip() and not text[span.end:bounds[1]].strip()


def relation(link: str, cid: str | None, state: tuple) -> str | None:
    """The transition feature of giving this quote to `cid` after the turns in `state`."""
    if cid is None or cid == GROUP or link in ("start", "thought"):   # a thought (or a group's line) is no turn
        return None
    last, before = state
    if last is None:
        return None
    if cid == last:
        return link + "&same"
    if cid == before:
        return link + "&back"
    return link + "&new"


def advance(state: tuple, cid: str | None, speech: bool) -> tuple:
    """The turns after this quote: (last speaker, the one before), consecutive lines counting once."""
    if not speech or cid is None or cid == GROUP or cid == state[0]:
        return state
    return (cid, state[0])


def decode(items: Sequence[tuple[list[tuple[str | None, float]], str, bool]], weights: dict[str, float],
           start: tuple = (None, None), beam: int = BEAM) -> list[int]:
    """The index of the chosen candidate for each item (candidates, link, is speech): the best
    path by emission plus transition scores, hypotheses with the same turns merged."""
    get = weights.get
    scale = get("emission", 1.0)                   # how far the scorer's log-probabilities count
    frontier = [(0.0, start)]
    # Per item, for each hypothesis kept: its back pointer b and candidate index c, as the one int
    # b * len(cands) + c (a tuple of ints per item, not pairs nor a list: the cyclic collector stops
    # tracking a tuple of numbers, and a hundred thousand objects it tracks, kept to the end, made it
    # walk them all in every full collection).
    layers: list[tuple[int, ...]] = []
    for cands, link, speech in items:
        width = len(cands)
        # relation() and advance() written out: this loop runs for every hypothesis and candidate
        turn = link not in ("start", "thought")
        if turn:
            same, back, new = get(link + "&same", 0.0), get(link + "&back", 0.0), get(link + "&new", 0.0)
        scaled = [(c, cid, scale * emission) for c, (cid, emission) in enumerate(cands)]
        best: dict[tuple, tuple[float, int, int]] = {}
        for b, (score, state) in enumerate(frontier):
            last, before = state
            for c, cid, emission in scaled:
                total = score + emission
                if turn and cid is not None and last is not None and cid != GROUP:
                    total += same if cid == last else back if cid == before else new
                nxt = (cid, last) if speech and cid is not None and cid != last and cid != GROUP else state
                old = best.get(nxt)
                if old is None or total > old[0]:
                    best[nxt] = (total, b * width + c)
        kept = sorted(best.items(), key=lambda kv: -kv[1][0])[:beam]
        frontier = [(v[0], state) for state, v in kept]
        layers.append(tuple([v[1] for _, v in kept]))
    out = [0] * len(items)
    h = 0                                          # the best final hypothesis
    for i in range(len(items) - 1, -1, -1):
        back, c = divmod(layers[i][h], len(items[i][0]))
        out[i] = c
        h = back
    return out


def path_features(cids: Sequence[str | None], items, start: tuple = (None, None)) -> dict[str, float]:
    """How often each transition feature fires along a path, and the sum of its emissions (for training)."""
    counts: dict[str, float] = {}
    state = start
    for cid, (cands, link, speech) in zip(cids, items):
        counts["emission"] = counts.get("emission", 0.0) + next((e for c, e in cands if c == cid), 0.0)
        rel = relation(link, cid, state)
        if rel:
            counts[rel] = counts.get(rel, 0) + 1
        state = advance(state, cid, speech)
    return counts
