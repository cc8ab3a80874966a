"""The narrative chart: characters as lines across scenes, drawn close together when they meet.

Like xkcd's movie narrative charts: one column per scene (in story order), one
line per character from their first scene to their last; the lines of the
characters in a scene bunch together inside a light box, the others pass by
dashed. Built at build time as plain SVG, deterministic (same input, same
bytes), every text escaped. The SVG has a fixed natural width; the page puts
it in a sideways-scrolling container (timeline.css).
"""
from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Mapping, Sequence

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


def _description(columns: Sequence[tuple[str, Sequence[str]]], names: Mapping[str, str]) -> str:
    parts = []
    for label, ids in columns:
        who = ", ".join(names.get(cid, cid) for cid in dict.fromkeys(ids)) or "no one named"
        parts.append(f"{label}: {who}.")
    return f"{len(columns)} scenes in story order. " + " ".join(parts)


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
        out.append(f'<text class="name name-end nt-{k}" x="{_fmt(xs[last] + RUN / 2 + 6)}" y="{_fmt(y1 + 5)}" '
                   f'text-anchor="start" fill="{colour}">{name}</text>')
        for c in range(first + 2, last):          # not at its last scene: the end label is there
            if cid in lay.present[c] and cid not in lay.present[c - 1]:
                out.append(f'<text class="name name-again nt-{k}" x="{_fmt(xs[c] - RUN / 2)}" '
                           f'y="{_fmt(lay.ys[cid][c] - 6)}" font-size="{AGAIN_PX}" fill="{colour}">{name}</text>')
    out.append("</g>")
    return out


def narrative_chart_svg(columns: Sequence[tuple[str, Sequence[str]]], names: Mapping[str, str],
                        colours: Mapping[str, str | tuple[str, str]] | None = None) -> str:
    """The chart as an <svg> element (a string): columns are (label, character ids) in story order.

    names maps ids to display names (an id without one is shown as itself);
    colours maps ids to "#rrggbb", or to a ("#light", "#dark") pair for light
    and dark mode; missing ones come from PALETTE in order of first appearance.
    """
    lay = layout([ids for _, ids in columns])
    order = list(lay.spans)                                   # first appearance order
    pairs = _colour_pairs(order, colours)
    widest = max((len(names.get(cid, cid)) for cid in order), default=4) * CHAR_PX + 16
    left = max(widest, COLUMN_WIDTH / 2) - COLUMN_WIDTH / 2 + RUN / 2 + 8
    xs = [left + COLUMN_WIDTH * c + COLUMN_WIDTH / 2 for c in range(len(columns))]
    width, height = (xs[-1] if xs else left) + RUN / 2 + widest + 8, lay.height
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="narrative-chart" width="{_fmt(width)}" '
           f'height="{_fmt(height)}" viewBox="0 0 {_fmt(width)} {_fmt(height)}" role="img" '
           f'aria-labelledby="narrative-chart-title narrative-chart-desc">',
           '<title id="narrative-chart-title">Narrative chart: who is in each scene</title>',
           f'<desc id="narrative-chart-desc">{escape(_description(columns, names))}</desc>',
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
    out.append("</svg>")
    return "\n".join(out)
