"""Give each character a text colour that passes WCAG AA on the theme's light and dark backgrounds."""
from __future__ import annotations

import colorsys

LIGHT_BACKGROUND = "#fbfaf7"
DARK_BACKGROUND = "#17171c"
AA = 4.5
# Hues spread so neighbours in the legend differ clearly (degrees).
PALETTE_HUES = (350, 210, 130, 30, 275, 185, 55, 315, 100, 240, 10, 160)


def _channel(c: float) -> float:
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def luminance(hex_colour: str) -> float:
    r, g, b = (int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _hex(r: float, g: float, b: float) -> str:
    return "#" + "".join(f"{round(max(0.0, min(1.0, c)) * 255):02x}" for c in (r, g, b))


def fit(colour: str, background: str, darker: bool) -> str:
    """The colour, made darker or lighter (same hue) until it reaches AA contrast on `background`."""
    r, g, b = (int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    h, l, s = colorsys.rgb_to_hls(r, g, b)
    candidate = colour
    for _ in range(100):
        if contrast(candidate, background) >= AA:
            return candidate
        l = max(0.0, l - 0.01) if darker else min(1.0, l + 0.01)
        candidate = _hex(*colorsys.hls_to_rgb(h, l, s))
    return "#000000" if darker else "#ffffff"


def palette_colour(n: int) -> str:
    hue = PALETTE_HUES[n % len(PALETTE_HUES)] / 360
    sat = 0.75 if n < len(PALETTE_HUES) else 0.45
    return _hex(*colorsys.hls_to_rgb(hue, 0.42, sat))


def assign_colours(ids_and_colours: list[tuple[str, str | None]]) -> dict[str, tuple[str, str]]:
    """id -> (light-mode colour, dark-mode colour), each at least 4.5:1 on its background."""
    result, n = {}, 0
    for cid, colour in ids_and_colours:
        if colour is None:
            colour = palette_colour(n)
            n += 1
        result[cid] = (fit(colour, LIGHT_BACKGROUND, darker=True), fit(colour, DARK_BACKGROUND, darker=False))
    return result
