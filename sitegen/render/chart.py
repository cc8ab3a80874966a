"""The narrative chart: characters as lines across scenes, drawn close together when they meet.

Like xkcd's movie narrative charts: one column per scene (in story order), one
line per character from their first scene to their last; the lines of the
characters in a scene bunch together inside a light box, the others pass by
dashed. Built at build time as plain SVG, deterministic (same input, same
bytes), every text escaped. The SVG has a fixed natural width; the page puts
it in a sideways-scrolling container (timeline.css); on a wide screen a chart
of up to FIT_COLUMNS columns is scaled to fit, a wider one (class "wide")
keeps its size, so its names stay legible, and scrolls.

A long work's chart stays bounded (`bounded`): past MAX_COLUMNS scenes,
neighbouring scenes share a column, and only the MAX_LINES characters in most
scenes get a line (the page's table lists everyone, scene by scene).
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from html import escape
from typing import Mapping, Sequence

from .theme import Words

# The chart's own words (its title and description for screen readers, a bounded chart's note and
# column labels), in the work's language through the theme's strings table (theme.words_of).
WORDS = ("Narrative chart: who is in each scene", "{n} scenes in story order.", "{n} columns in story order ({note}).",
         "{label}: {who}.", "no one named", "Shown: {note}.", "Scenes {first}–{last}",
         "{n} scenes, up to {size} to a column", "the {n} characters in most scenes (of {count})",
         "the table lists everyone, scene by scene", "; ")

PALETTE = ("#d1495b", "#2e86ab", "#e09f3e", "#3b8b5a", "#8e5ea2", "#c0631f",
           "#1f9e89", "#b8578b", "#6c7a89", "#9a8c2e", "#4f6bd8", "#a0522d")

COLUMN_WIDTH = 124          # px between scene centres
RUN = 48                    # px of straight line at each scene
TOGETHER = 18               # px between lines in the same scene (a name label fits between)
APART = 36                  # px between other lines
TOP = 70                    # px above the first line (room for the column labels)
LABEL_PX = 14               # font size of the column labels
NAME_PX = 15                # font size of the names
AGAIN_PX = 12               # font size of a name where its line comes back into a scene
CHAR_PX = 9                 # rough width of one character of a name
MAX_COLUMNS = 40            # more scenes than this share columns
FIT_COLUMNS = 16            # a chart of more columns keeps its natural size and scrolls sideways (class "wide")
MAX_LINES = 20              # at most this many characters get a line
NOTE_PX = 13                # font size of the note under a bounded chart


@dataclass(frozen=True)
class _Layout:
    ys: dict[str, dict[int, float]]        # character -> column -> y
    spans: dict[str, tuple[int, int]]      # character -> (first column, last column)
    present: list[list[str]]               # column -> characters in the scene
    height: float


def _spans(columns: Sequence[Sequence[str]]) -> dict[str, tuple[int, int]]:
    spans: dict[str, tuple[int, int]] = {}
    for c, ids in enumerate(columns):
        for cid in ids:
            first = spans.get(cid, (c, c))[0]
            spans[cid] = (first, c)
    return spans


def _column_order(present: list[str], active: list[str], prev: dict[str, float]) -> list[list[str]]:
    """The column's lines top to bottom, as runs: the scene's group is one run, each other line its own.

    Each run goes where its lines were in the column before (the group at the
    mean of its members), so lines cross as little as this simple rule allows.
    """
    bottom = max(prev.values(), default=0.0) + APART
    group = sorted(present, key=lambda cid: (prev.get(cid, bottom), present.index(cid)))
    runs: list[tuple[float, int, list[str]]] = []
    if group:
        known = [prev[cid] for cid in group if cid in prev]
        runs.append((sum(known) / len(known) if known else bottom, 0, group))
    for cid in active:
        if cid not in present:
            runs.append((prev.get(cid, bottom), 1, [cid]))
    runs.sort(key=lambda r: (r[0], r[1], r[2][0]))
    return [r[2] for r in runs]


def layout(columns: Sequence[Sequence[str]]) -> _Layout:
    """Where every line runs: a y for each character in each column of its span."""
    columns = [list(dict.fromkeys(ids)) for ids in columns]
    spans = _spans(columns)
    ys: dict[str, dict[int, float]] = {cid: {} for cid in spans}
    prev: dict[str, float] = {}
    height = TOP
    for c, present in enumerate(columns):
        active = [cid for cid, (a, b) in spans.items() if a <= c <= b]
        y = TOP
        for k, run in enumerate(_column_order(present, active, prev)):
            if k:
                y += APART
            for j, cid in enumerate(run):
                if j:
                    y += TOGETHER
                ys[cid][c] = y
        prev = {cid: ys[cid][c] for cid in active}
        height = max(height, y)
    return _Layout(ys, spans, columns, height + 40)


def _fmt(v: float) -> str:
    return f"{v:.1f}".rstrip("0").rstrip(".")


def _column_xs(xs: list[float]) -> list[tuple[str, str, str]]:
    """Each column's x coordinates as path text: (run start, run end, middle of the curve to the next column).

    Formatted once for all the lines (formatting numbers is most of the chart's time).
    """
    out = []
    for c, x in enumerate(xs):
        mid = ((x + RUN / 2) + (xs[c + 1] - RUN / 2)) / 2 if c + 1 < len(xs) else 0.0
        out.append((_fmt(x - RUN / 2), _fmt(x + RUN / 2), _fmt(mid)))
    return out


def _line_paths(cid: str, lay: _Layout, cols: list[tuple[str, str, str]]) -> list[str]:
    """The line of one character: a straight run at each column and a curve to the next.

    Runs and curves are solid where the character is in the scene (a curve:
    in both scenes it joins) and dashed where they are elsewhere. `cols` are
    the columns' x coordinates from `_column_xs`.
    """
    first, last = lay.spans[cid]
    ys = {c: _fmt(y) for c, y in lay.ys[cid].items()}
    out = []

    def path(d: str, solid: bool) -> str:
        return f'<path class="line" d="{d}"/>' if solid else \
            f'<path class="line absent" d="{d}" stroke-dasharray="3 5"/>'

    for c in range(first, last + 1):
        here = cid in lay.present[c]
        left, right, mid = cols[c]
        out.append(path(f"M{left},{ys[c]}H{right}", here))
        if c < last:
            d = f"M{right},{ys[c]}C{mid},{ys[c]} {mid},{ys[c + 1]} {cols[c + 1][0]},{ys[c + 1]}"
            out.append(path(d, here and cid in lay.present[c + 1]))
    return out


def _wrap(label: str) -> list[str]:
    """A column label on up to two lines when it is wider than a column: split at its first ", ",
    else at the space nearest its middle."""
    if len(label) * LABEL_PX * 0.55 <= COLUMN_WIDTH - 8 or " " not in label:
        return [label]
    if ", " in label:
        head, tail = label.split(", ", 1)
        return [head + ", ", tail]
    cut = min((i for i, ch in enumerate(label) if ch == " "), key=lambda i: abs(i - len(label) / 2))
    return [label[:cut + 1], label[cut + 1:]]


def _description(columns: Sequence[tuple[str, Sequence[str]]], names: Mapping[str, str], note: str = "",
                 words: Words = Words()) -> str:
    parts = []
    for label, ids in columns:
        who = ", ".join(names.get(cid, cid) for cid in dict.fromkeys(ids)) or words("no one named")
        parts.append(words("{label}: {who}.", label=label, who=who))
    head = (words("{n} columns in story order ({note}).", n=len(columns), note=note) if note
            else words("{n} scenes in story order.", n=len(columns)))
    return head + " " + " ".join(parts)


def _colour_pairs(order: Sequence[str], colours: Mapping[str, str | tuple[str, str]] | None
                  ) -> dict[str, tuple[str, str]]:
    """id -> (light-mode colour, dark-mode colour); PALETTE fills in the missing ones."""
    out = {}
    for k, cid in enumerate(order):
        given = (colours or {}).get(cid) or PALETTE[k % len(PALETTE)]
        out[cid] = (given, given) if isinstance(given, str) else (given[0], given[1])
    return out


# Dark pages: the reader chose dark in the reading settings, or the device asks for dark and the
# reader chose no other colours (the default theme's style.css uses the same two selectors).
CHOSEN_DARK = ":root:has(#theme-dark:checked) "
DEVICE_DARK = ":root:not(:has(#theme-light:checked)):not(:has(#theme-sepia:checked)) "


def _style(order: Sequence[str], pairs: Mapping[str, tuple[str, str]]) -> str:
    """Per-line colours as CSS, so dark pages get their own (attributes keep the light ones)."""
    def rules(prefix: str, mode: int) -> str:
        return "\n".join(f"{prefix}.narrative-chart .nc-{k}{{stroke:{pairs[cid][mode]}}} "
                         f"{prefix}.narrative-chart .nt-{k}{{fill:{pairs[cid][mode]}}}" for k, cid in enumerate(order))
    css = (rules("", 0) + "\n" + rules(CHOSEN_DARK, 1)
           + "\n@media (prefers-color-scheme: dark){\n" + rules(DEVICE_DARK, 1) + "\n}")
    return f"<style>{escape(css, quote=False)}</style>"


def _columns_svg(columns: Sequence[tuple[str, Sequence[str]]], lay: _Layout, xs: list[float]) -> list[str]:
    """Each column's label at the top and the box around the scene's group of lines."""
    out = [f'<g class="columns" fill="currentColor" font-size="{LABEL_PX}" text-anchor="middle">']
    for c, (label, _) in enumerate(columns):
        spans = "".join(f'<tspan x="{_fmt(xs[c])}" dy="{0 if k == 0 else LABEL_PX + 3}">{escape(line)}</tspan>'
                        for k, line in enumerate(_wrap(label)))
        out.append(f'<text class="column-label" x="{_fmt(xs[c])}" y="{LABEL_PX + 4}">{spans}</text>')
        group = [lay.ys[cid][c] for cid in lay.present[c]]
        if group:
            top, bottom = min(group) - 8, max(group) + 8
            out.append(f'<rect class="scene-box" x="{_fmt(xs[c] - RUN / 2 - 6)}" y="{_fmt(top)}" '
                       f'width="{_fmt(RUN + 12)}" height="{_fmt(bottom - top)}" rx="6"/>')
    out.append("</g>")
    return out


def _names_svg(order: Sequence[str], names: Mapping[str, str], pairs: Mapping[str, tuple[str, str]],
               lay: _Layout, xs: list[float]) -> list[str]:
    """Each line's name: left of where it starts (the left edge for those there from the start), at its end,
    and, smaller, above its line where it comes back into a scene after missing one or more (so a reader
    who scrolled the chart sideways still sees whose line it is)."""
    out = [f'<g class="names" font-size="{NAME_PX}" font-weight="600">']
    for k, cid in enumerate(order):
        first, last = lay.spans[cid]
        name = escape(names.get(cid, cid))
        colour = escape(pairs[cid][0], True)
        y0, y1 = lay.ys[cid][first], lay.ys[cid][last]
        out.append(f'<text class="name nt-{k}" x="{_fmt(xs[first] - RUN / 2 - 6)}" y="{_fmt(y0 + 5)}" '
                   f'text-anchor="end" fill="{colour}">{name}</text>')
        if _room_after(cid, len(names.get(cid, cid)) * CHAR_PX, lay, xs):
            out.append(f'<text class="name name-end nt-{k}" x="{_fmt(xs[last] + RUN / 2 + 6)}" y="{_fmt(y1 + 5)}" '
                       f'text-anchor="start" fill="{colour}">{name}</text>')
        elif last > first:                        # above its last run, where a name fits between lines:
            small = len(names.get(cid, cid)) * CHAR_PX * AGAIN_PX / NAME_PX     # from its start, or
            ahead = last + 1 == len(xs) or xs[last] - RUN / 2 + small < xs[last + 1] - RUN / 2 - 6
            anchor = f'x="{_fmt(xs[last] - RUN / 2)}"' if ahead else \
                f'x="{_fmt(xs[last] + RUN / 2)}" text-anchor="end"'             # to its end when long
            out.append(f'<text class="name name-end nt-{k}" {anchor} y="{_fmt(y1 - 6)}" '
                       f'font-size="{AGAIN_PX}" fill="{colour}">{name}</text>')
        for c in range(first + 2, last):          # not at its last scene: the end label is there
            if cid in lay.present[c] and cid not in lay.present[c - 1]:
                out.append(f'<text class="name name-again nt-{k}" x="{_fmt(xs[c] - RUN / 2)}" '
                           f'y="{_fmt(lay.ys[cid][c] - 6)}" font-size="{AGAIN_PX}" fill="{colour}">{name}</text>')
    out.append("</g>")
    return out


def _room_after(cid: str, width: float, lay: _Layout, xs: list[float]) -> bool:
    """Whether a name `width` px wide fits right of where the line of `cid` ends, clear of the
    next columns' scene boxes and lines and of the curves leaving its last column."""
    last = lay.spans[cid][1]
    y = lay.ys[cid][last]
    left, right = xs[last] + RUN / 2, xs[last] + RUN / 2 + 6 + width
    reached = [c for c in range(last + 1, len(xs)) if xs[c] - RUN / 2 - 6 <= right]
    for c in reached:
        box = [lay.ys[p][c] for p in lay.present[c]]
        if box and min(box) - 8 - NAME_PX < y < max(box) + 8 + NAME_PX:
            return False                          # the next scene's box
    for other, at in lay.ys.items():
        if other == cid:
            continue
        if last in at and last + 1 in at and \
                min(at[last], at[last + 1]) - NAME_PX < y < max(at[last], at[last + 1]) + NAME_PX:
            return False                          # a line curves through the label's row
        if any(c in at and abs(at[c] - y) < NAME_PX for c in reached):
            return False
    return left < right


_NUMBER = re.compile(r"^(\d+)\.")


def bounded(columns: Sequence[tuple[str, Sequence[str]]], max_columns: int = MAX_COLUMNS,
            max_lines: int = MAX_LINES, words: Words = Words()) -> tuple[list[tuple[str, tuple[str, ...]]], str]:
    """The columns a chart of bounded size draws, and a note saying what was left out ("" when nothing was).

    Past `max_columns`, runs of neighbouring scenes (in story order) become one column ("Scenes 41–48"),
    holding everyone in any of them; past `max_lines` characters, only those in most scenes keep a line.
    """
    notes = []
    counts = Counter(cid for _, ids in columns for cid in dict.fromkeys(ids))
    if len(counts) > max_lines:
        kept = {cid for cid, _ in sorted(counts.items(), key=lambda kv: -kv[1])[:max_lines]}
        columns = [(label, tuple(cid for cid in ids if cid in kept)) for label, ids in columns]
        notes.append(words("the {n} characters in most scenes (of {count})", n=max_lines, count=len(counts)))
    if len(columns) > max_columns:
        size = -(-len(columns) // max_columns)
        grouped = []
        for k in range(0, len(columns), size):
            run = columns[k:k + size]
            first, last = _NUMBER.match(run[0][0]), _NUMBER.match(run[-1][0])
            label = (words("Scenes {first}–{last}", first=first.group(1), last=last.group(1))
                     if first and last and len(run) > 1
                     else run[0][0] if len(run) == 1 else words("Scenes {first}–{last}", first=k + 1, last=k + len(run)))
            grouped.append((label, tuple(dict.fromkeys(cid for _, ids in run for cid in ids))))
        notes.insert(0, words("{n} scenes, up to {size} to a column", n=len(columns), size=size))
        columns = grouped
    return list(columns), words("; ").join(notes + [words("the table lists everyone, scene by scene")]) if notes else ""


def narrative_chart_svg(columns: Sequence[tuple[str, Sequence[str]]], names: Mapping[str, str],
                        colours: Mapping[str, str | tuple[str, str]] | None = None, words: Words = Words()) -> str:
    """The chart as an <svg> element (a string): columns are (label, character ids) in story order.

    names maps ids to display names (an id without one is shown as itself);
    colours maps ids to "#rrggbb", or to a ("#light", "#dark") pair for light
    and dark mode; missing ones come from PALETTE in order of first appearance.
    A long work's chart is `bounded`: its note says so under the chart. Its own words (WORDS) are
    `words`' (the work's language; English by default).
    """
    columns, note = bounded(columns, words=words)
    lay = layout([ids for _, ids in columns])
    order = list(lay.spans)                                   # first appearance order
    pairs = _colour_pairs(order, colours)
    widest = max((len(names.get(cid, cid)) for cid in order), default=4) * CHAR_PX + 16
    left = max(widest, COLUMN_WIDTH / 2) - COLUMN_WIDTH / 2 + RUN / 2 + 8
    xs = [left + COLUMN_WIDTH * c + COLUMN_WIDTH / 2 for c in range(len(columns))]
    width, height = (xs[-1] if xs else left) + RUN / 2 + widest + 8, lay.height + (NOTE_PX + 8 if note else 0)
    wide = " wide" if len(columns) > FIT_COLUMNS else ""
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="narrative-chart{wide}" width="{_fmt(width)}" '
           f'height="{_fmt(height)}" viewBox="0 0 {_fmt(width)} {_fmt(height)}" role="img" '
           f'aria-labelledby="narrative-chart-title narrative-chart-desc">',
           f'<title id="narrative-chart-title">{escape(words("Narrative chart: who is in each scene"))}</title>',
           f'<desc id="narrative-chart-desc">{escape(_description(columns, names, note, words))}</desc>',
           _style(order, pairs)]
    out += _columns_svg(columns, lay, xs)
    out.append('<g class="lines" fill="none" stroke-width="3" stroke-linecap="round">')
    cols = _column_xs(xs)
    for k, cid in enumerate(order):
        out.append(f'<g class="character nc-{k}" stroke="{escape(pairs[cid][0], True)}">')
        out.extend(_line_paths(cid, lay, cols))
        out.append("</g>")
    out.append("</g>")
    out += _names_svg(order, names, pairs, lay, xs)
    if note:
        out.append(f'<text class="chart-note" x="8" y="{_fmt(height - 8)}" font-size="{NOTE_PX}" '
                   f'fill="currentColor">{escape(words("Shown: {note}.", note=note))}</text>')
    out.append("</svg>")
    return "\n".join(out)
