"""The narrative chart: labelled, grouped, escaped, accessible and deterministic SVG."""
import xml.etree.ElementTree as ET

from sitegen.render.chart import layout, narrative_chart_svg

SVG = "{http://www.w3.org/2000/svg}"
COLUMNS = [("1. Day 1", ["ana", "ben", "cy"]), ("2. Day 1, night", ["ana", "cy"]),
           ("3. Day 2", ["ben", "dot"]), ("4. A few days later", ["ana", "ben", "cy", "dot"])]
NAMES = {"ana": "Ana Reyes", "ben": "Ben Okafor", "cy": "Cy", "dot": "Dorothy Vance"}


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def texts(root: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def test_every_character_is_labelled_and_every_column_titled():
    root = parse(narrative_chart_svg(COLUMNS, NAMES))
    labels = texts(root)
    again = ["".join(t.itertext()) for t in root.iter(f"{SVG}text") if "name-again" in t.get("class", "")]
    for name in NAMES.values():
        assert labels.count(name) - again.count(name) == 2   # at its first appearance and at its end
    for label, _ in COLUMNS:
        assert label.replace(", ", ",") in [t.replace(", ", ",") for t in labels]


def test_accessible_svg_with_title_and_description():
    root = parse(narrative_chart_svg(COLUMNS, NAMES))
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text
    desc = root.find(f"{SVG}desc").text
    assert "4 scenes" in desc and "Dorothy Vance" in desc
    assert root.get("aria-labelledby") == "narrative-chart-title narrative-chart-desc"
    assert float(root.get("width")) > 4 * 100                # a fixed natural width; the page scrolls


def test_names_and_labels_are_escaped():
    names = {"x": "<Tom & \"Jerry\">", "y": "Ann</text><script>"}
    svg = narrative_chart_svg([("<b>Day 1</b> & more", ["x", "y"])], names)
    root = parse(svg)                                         # still well-formed XML
    assert "<script>" not in svg and "<b>" not in svg
    assert "<Tom & \"Jerry\">" in texts(root) and "<b>Day 1</b> & more" in texts(root)


def test_deterministic_output():
    assert narrative_chart_svg(COLUMNS, NAMES) == narrative_chart_svg(COLUMNS, dict(NAMES))


def test_characters_in_a_scene_are_drawn_close_together():
    lay = layout([ids for _, ids in COLUMNS])
    ys = lay.ys
    # column 2: Ana and Cy share the scene, Ben is elsewhere
    assert abs(ys["ana"][1] - ys["cy"][1]) < abs(ys["ana"][1] - ys["ben"][1])
    # column 3: Ben and Dot together
    assert abs(ys["ben"][2] - ys["dot"][2]) < min(abs(ys["ben"][2] - ys["ana"][2]), abs(ys["dot"][2] - ys["cy"][2]))
    # lines run only from first to last appearance
    assert set(ys["dot"]) == {2, 3}


def test_colours_given_or_from_the_palette_with_dark_mode():
    svg = narrative_chart_svg(COLUMNS, NAMES, {"ana": ("#aa0000", "#ff8888"), "ben": "#0000aa"})
    assert 'stroke="#aa0000"' in svg and "#ff8888" in svg and 'stroke="#0000aa"' in svg
    assert "prefers-color-scheme: dark" in svg
    assert svg.count('class="character') == 4


def test_unknown_names_fall_back_to_ids_and_empty_scenes_are_fine():
    svg = narrative_chart_svg([("1. Day 1", ["zed"]), ("2. Day 2", [])], {})
    root = parse(svg)
    assert "zed" in texts(root)


def test_each_line_is_runs_joined_by_curves_at_the_layout_heights():
    import re
    from sitegen.render.chart import RUN
    lay = layout([ids for _, ids in COLUMNS])
    root = parse(narrative_chart_svg(COLUMNS, NAMES))
    groups = [g for g in root.iter(f"{SVG}g") if "character" in g.get("class", "")]
    ana = [p.get("d") for p in groups[0]]                   # Ana: in columns 1, 2 and 4, elsewhere in 3
    first, last = lay.spans["ana"]
    assert len(ana) == 2 * (last - first) + 1               # a run per column, a curve between each two
    numbers = [[float(v) for v in re.findall(r"-?[\d.]+", d)] for d in ana]
    for c in range(first, last + 1):
        x0, y0, x1 = numbers[2 * c]                          # M x0,y H x1
        assert y0 == lay.ys["ana"][c] and x1 - x0 == RUN
        if c < last:
            curve = numbers[2 * c + 1]                       # M x,y C mid,y mid,y' x',y'
            assert curve[:2] == [x1, y0] and curve[-1] == lay.ys["ana"][c + 1]
            assert curve[-2] == numbers[2 * c + 2][0] and curve[2] == curve[4] == (curve[0] + curve[-2]) / 2
