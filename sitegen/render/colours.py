"""Give each character a text colour at WCAG AA on the theme's backgrounds, chosen so the characters
who talk to each other most are the easiest to tell apart, with normal and colour-blind eyes.

Colours are chosen by CIE94 ΔE (CIE76, the plain distance in CIELAB, is what
the tests and the README quote); colour-blind vision is simulated with the
Machado, Oliveira & Fernandes (2009) matrices at full severity, applied to
linear RGB. Each character has one colour for the light (and sepia) pages and
one for the dark page, of the same hue and saturation.
"""
from __future__ import annotations

import colorsys
import functools
import math
import threading
from collections import Counter
from typing import Iterable, Sequence

LIGHT_BACKGROUND = "#fbfaf7"
SEPIA_BACKGROUND = "#f4ecd8"
DARK_BACKGROUND = "#17171c"
PLAIN_TEXT = ("#1f1d1a", "#e7e3dc")      # the theme's text colour (light, dark): unknown speakers
AA = 4.5

# Machado et al. 2009, severity 1, linear RGB.
VISIONS: dict[str, tuple[tuple[float, float, float], ...] | None] = {
    "normal": None,
    "deuteranopia": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413),
                     (-0.011820, 0.042940, 0.968881)),
    "protanopia": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216),
                   (-0.003882, -0.048116, 1.051998)),
    "tritanopia": ((1.255528, -0.076749, -0.178779), (-0.078411, 0.930809, 0.147602),
                   (0.004733, 0.691367, 0.303900)),
}
# The ΔE a pair should reach in each vision; a pair's score is its worst ratio to these.
TARGETS = {"normal": 10.0, "deuteranopia": 6.0, "protanopia": 6.0, "tritanopia": 6.0}
# The candidates: hues (degrees), HLS saturations, and how far past the AA threshold (HLS lightness).
HUES = tuple(range(0, 360, 15))
SATURATIONS = (0.95, 0.6, 0.3)
DEPTHS = (0.0, 0.15)
POLISHED = 16               # how many of the most talkative characters get a second look
# The most talkative characters are spread over the hue circle first: each of the SPREAD who talk
# most (a given colour stays as it is) takes a colour whose hue (CIELAB hue angle, light page) is at
# least the first of HUE_GAPS degrees from the others', else the next, so the leads are not pink, pink and purple
# even where the ΔE between them is large; the ΔE score chooses among those colours.
SPREAD = 8
HUE_GAPS = (60, 45, 30, 15)


def _channel(c: float) -> float:
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _rgb(hex_colour: str) -> tuple[float, float, float]:
    return tuple(int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5))  # type: ignore[return-value]


def luminance(hex_colour: str) -> float:
    r, g, b = (_channel(c) for c in _rgb(hex_colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _hex(r: float, g: float, b: float) -> str:
    return "#" + "".join(f"{round(max(0.0, min(1.0, c)) * 255):02x}" for c in (r, g, b))


@functools.lru_cache(maxsize=4096)
def lab(hex_colour: str, vision: str = "normal") -> tuple[float, float, float]:
    """CIELAB (D65) of the colour as seen with `vision` (a key of VISIONS)."""
    linear = [_channel(c) for c in _rgb(hex_colour)]
    matrix = VISIONS[vision]
    if matrix is not None:
        linear = [min(1.0, max(0.0, sum(m * x for m, x in zip(row, linear)))) for row in matrix]
    r, g, b = linear
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116
    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def delta_e(a: str, b: str, vision: str = "normal") -> float:
    """CIE76 ΔE between two colours as seen with `vision` (the figure the tests and README quote)."""
    return math.dist(lab(a, vision), lab(b, vision))


def delta_e94(a: str, b: str, vision: str = "normal") -> float:
    """CIE94 ΔE (graphic arts, symmetric in a and b) as seen with `vision`: unlike CIE76 it does not
    overrate differences between vivid colours, and it is cheap (the palette is chosen with it)."""
    return _delta_e94(seen(a, vision), seen(b, vision))


@functools.lru_cache(maxsize=4096)
def seen(colour: str, vision: str = "normal") -> tuple[float, float, float, float]:
    """CIELAB L, a, b and the chroma of the colour as seen with `vision` (what CIE94 reads of it)."""
    l, a, b = lab(colour, vision)
    return l, a, b, math.hypot(a, b)


def _delta_e94(one: tuple[float, float, float, float], other: tuple[float, float, float, float]) -> float:
    """CIE94 ΔE between two colours as `seen`."""
    (l1, a1, b1, c1), (l2, a2, b2, c2) = one, other
    chroma = math.sqrt(c1 * c2)
    d_c = c1 - c2
    d_h2 = max(0.0, (a1 - a2) ** 2 + (b1 - b2) ** 2 - d_c ** 2)
    return math.sqrt((l1 - l2) ** 2 + (d_c / (1 + 0.045 * chroma)) ** 2 + d_h2 / (1 + 0.015 * chroma) ** 2)


def fit(colour: str, backgrounds: str | Sequence[str], darker: bool, depth: float = 0.0) -> str:
    """The colour, made darker or lighter (same hue) until it reaches AA contrast on every background,
    then `depth` (HLS lightness) further."""
    backgrounds = (backgrounds,) if isinstance(backgrounds, str) else tuple(backgrounds)
    h, l, s = colorsys.rgb_to_hls(*_rgb(colour))
    step = -0.01 if darker else 0.01
    candidate = colour
    for _ in range(101):
        if all(contrast(candidate, bg) >= AA for bg in backgrounds):
            if depth:
                candidate = _hex(*colorsys.hls_to_rgb(h, min(1.0, max(0.0, l + math.copysign(depth, step))), s))
            return candidate
        l = min(1.0, max(0.0, l + step))
        candidate = _hex(*colorsys.hls_to_rgb(h, l, s))
    return "#000000" if darker else "#ffffff"


def fit_pair(colour: str, depth: float = 0.0) -> tuple[str, str]:
    """(light-page colour, dark-page colour) of one colour: AA on the light and sepia pages, and on the dark."""
    return (fit(colour, (LIGHT_BACKGROUND, SEPIA_BACKGROUND), darker=True, depth=depth),
            fit(colour, DARK_BACKGROUND, darker=False, depth=depth))


@functools.lru_cache(maxsize=1)
def candidates() -> tuple[tuple[str, str], ...]:
    """Every colour pair the palette picks from, each at AA on its backgrounds."""
    found = {fit_pair(_hex(*colorsys.hls_to_rgb(h / 360, 0.45, s)), d)
             for h in HUES for s in SATURATIONS for d in DEPTHS}
    return tuple(sorted(found))


@functools.lru_cache(maxsize=4096)
def hue(colour: tuple[str, str] | str) -> float:
    """The CIELAB hue angle (degrees) of a colour, or of a pair's light-page colour."""
    _, a, b = lab(colour if isinstance(colour, str) else colour[0])
    return math.degrees(math.atan2(b, a)) % 360


def hue_gap(x: float, y: float) -> float:
    """Degrees between two hues round the circle."""
    d = abs(x - y) % 360
    return min(d, 360 - d)


@functools.lru_cache(maxsize=1)
def _hues() -> tuple[float, ...]:
    return tuple(hue(c) for c in candidates())


def spread_mask(hues: Sequence[float]) -> tuple[bool, ...]:
    """Which candidates keep the widest HUE_GAPS gap any can keep from every hue in `hues`
    (all of them when none can keep the smallest)."""
    hues = set(hues)                    # given colours often repeat: each hue is compared once
    for gap in HUE_GAPS:
        mask = tuple(all(hue_gap(h, other) >= gap for other in hues) for h in _hues())
        if any(mask):
            return mask
    return (True,) * len(_hues())


@functools.lru_cache(maxsize=65536)
def pair_score(a: tuple[str, str], b: tuple[str, str]) -> float:
    """How well two characters' colours are told apart: the worst ΔE94/target over every vision and both pages."""
    return _pair_score(_looks(a), _looks(b))


def _looks(pair: tuple[str, str]) -> tuple[tuple[tuple[float, float, float, float], float], ...]:
    """A colour pair as pair_score reads it: each of its colours as `seen` in each vision, with the vision's target."""
    return tuple((seen(x, v), TARGETS[v]) for v in VISIONS for x in pair)


def _pair_score(one: tuple, other: tuple) -> float:
    """pair_score of two pairs' _looks."""
    return min(_delta_e94(x, y) / target for (x, target), (y, _) in zip(one, other))


def exchanges(speakers: Iterable[str | None]) -> Counter:
    """How many times each pair of characters take turns speaking: (a, b) sorted -> count.
    `speakers` are the quotes' speakers in reading order (None: unknown, skipped)."""
    said = [s for s in speakers if s is not None]
    counts: Counter = Counter()
    for (a, b), n in Counter(zip(said, said[1:])).items():   # counted in C: a work has ~70k quotes a million words
        if a != b:
            counts[(a, b) if a < b else (b, a)] += n
    return counts


def assign_colours(ids_and_colours: Sequence[tuple[str, str | None]],
                   turns: Counter | dict | None = None) -> dict[str, tuple[str, str]]:
    """id -> (light-page colour, dark-page colour), each at AA contrast; a given colour is kept
    (only made AA), the others are picked so the pairs with the most `turns` are the most distinct."""
    key = tuple(ids_and_colours)
    # Turns count in powers of two, so an edit that adds a line or two (a save in the dev server)
    # keeps every colour, and the choice is made again only when the conversation really changes.
    weights = tuple(sorted((pair, 1 << (n.bit_length() - 1)) for pair, n in (turns or {}).items() if n > 0))
    with _lock:
        choice = _chosen.pop((key, weights), None)
    choice = choice or _assign(key, weights)
    with _lock:
        _chosen[(key, weights)] = choice               # the newest last
        while len(_chosen) > KEPT_CHOICES:
            del _chosen[next(iter(_chosen))]
    return dict(choice)


# Choices made (a pure function of their inputs), newest last: the build cache keeps them between
# runs of `sitegen build` (a cast of 160 costs 0.2-0.4 s to place from nothing).
_chosen: dict[tuple, tuple] = {}
_lock = threading.Lock()
KEPT_CHOICES = 16


def chosen() -> dict[tuple, tuple]:
    """The palette choices made lately, by their inputs (for the build cache to keep)."""
    with _lock:
        return dict(_chosen)


def remember(choices: dict[tuple, tuple]) -> None:
    """Take back choices a cache kept (see chosen())."""
    with _lock:
        for key, choice in choices.items():
            _chosen.setdefault(key, choice)


@functools.lru_cache(maxsize=64)
def _assign(ids_and_colours: tuple[tuple[str, str | None], ...],
            weights: tuple[tuple[tuple[str, str], int], ...]) -> tuple[tuple[str, tuple[str, str]], ...]:
    """Greedy choice, the most talkative first, then the first POLISHED again; each of the SPREAD who
    talk most only among the colours of a hue far from the other SPREAD's (spread_mask). A colour's
    gain for a character is the plain text's score plus, for every other placed character, (1 + their turns) times
    the pair's score (capped at 1.5). The sum over everyone placed is kept per candidate and updated
    as colours are placed, so only the character's talking partners are added per choice: linear in
    the cast, not quadratic (a discovered cast of a long work has hundreds of characters)."""
    ids = [cid for cid, _ in ids_and_colours]
    fixed = {cid: fit_pair(colour) for cid, colour in ids_and_colours if colour is not None}
    talk: Counter = Counter()
    partners: dict[str, list[tuple[str, int]]] = {}
    for (a, b), n in weights:
        talk[a] += n
        talk[b] += n
        partners.setdefault(a, []).append((b, n))
        partners.setdefault(b, []).append((a, n))
    position = {cid: k for k, cid in reversed(list(enumerate(ids)))}
    free = sorted((cid for cid in ids if cid not in fixed), key=lambda c: (-talk[c], position[c]))
    chosen = dict(fixed)
    options = candidates()
    placed = list(_scores(PLAIN_TEXT))                 # per candidate: plain text + every placed colour
    for colour in chosen.values():
        placed = [t + s for t, s in zip(placed, _scores(colour))]

    leads = sorted(ids, key=lambda c: (-talk[c], position[c]))[:SPREAD]   # kept apart in hue (given or not)

    def choose(cid: str) -> tuple[str, str]:
        own = chosen.get(cid)
        total = placed if own is None else [t - s for t, s in zip(placed, _scores(own))]
        for other, n in partners.get(cid, ()):
            if other in chosen and other != cid:
                total = [t + n * s for t, s in zip(total, _scores(chosen[other]))]
        if cid in leads:
            mask = spread_mask([hue(chosen[o]) for o in leads if o != cid and o in chosen])
            return max((t, c) for t, c, ok in zip(total, options, mask) if ok)[1]
        return max(zip(total, options))[1]

    for cid in (*free, *free[:POLISHED]):              # the most talkative first, then each again
        colour, old = choose(cid), chosen.get(cid)
        if old is not None:
            placed = [t - s for t, s in zip(placed, _scores(old))]
        placed = [t + s for t, s in zip(placed, _scores(colour))]
        chosen[cid] = colour
    return tuple((cid, chosen[cid]) for cid in ids)


@functools.lru_cache(maxsize=1024)
def _scores(colour: tuple[str, str]) -> tuple[float, ...]:
    """Each candidate's pair score with `colour`, capped at 1.5 (past it a pair is told apart well enough)."""
    own = _looks(colour)
    return tuple(min(_pair_score(looks, own), 1.5) for looks in _candidate_looks())


@functools.lru_cache(maxsize=1)
def _candidate_looks() -> tuple[tuple, ...]:
    return tuple(_looks(c) for c in candidates())
