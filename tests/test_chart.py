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


def test_a_long_works_chart_stays_bounded_and_says_what_it_shows():
    """Thousands of scenes and hundreds of characters: neighbouring scenes share a column, only the
    characters in most scenes get a line, and a note (and the description) says so."""
    import random
    from sitegen.render.chart import MAX_COLUMNS, MAX_LINES
    rng = random.Random(3)
    cast = [f"c{k}" for k in range(150)]

    def columns(n):
        return [(f"{i + 1}. Day {i // 10 + 1}", tuple(rng.sample(cast[:10], 2) + rng.sample(cast, 2)))
                for i in range(n)]
    small, big = narrative_chart_svg(columns(500), {}), narrative_chart_svg(columns(5000), {})
    for svg in (small, big):
        root = ET.fromstring(svg)
        labels = [t for t in root.iter(f"{SVG}text") if t.get("class") == "column-label"]
        lines = [g for g in root.iter(f"{SVG}g") if (g.get("class") or "").startswith("character")]
        assert len(labels) <= MAX_COLUMNS and len(lines) == MAX_LINES
        assert "Shown: " in svg and "the table lists everyone" in svg and 'class="narrative-chart wide"' in svg
        assert "".join(labels[0].itertext()) == ("Scenes 1–13" if svg is small else "Scenes 1–125")
    assert len(big) < 1.5 * len(small) and len(big) < 400_000
    assert all(f">c{k}<" in small for k in range(10))         # the ones in most scenes keep their line


def test_a_long_timeline_is_paged_with_the_chart_on_its_first_page(tmp_path, monkeypatch):
    """Past TIMELINE_SCENES scenes the timeline's scene list goes on more pages; every scene is on one."""
    import re
    from conftest import make_site
    from sitegen.build import build_site
    from sitegen.render import pages
    monkeypatch.setattr(pages, "TIMELINE_SCENES", 2)
    scenes = "\n\n* * *\n\n".join(f"Ann walked to place {k}. \"Hi,\" said Ann." for k in range(5))
    site = make_site(tmp_path, {"content/w/story.txt": f"Walks\n\n{scenes}\n",
                                "content/w/work.toml": '[characters.ann]\nname = "Ann"\n'})
    files = build_site(site).files
    first, second, third = (files[f"w/{n}"].decode() for n in ("timeline.html", "timeline-2.html", "timeline-3.html"))
    assert "w/timeline-4.html" not in files
    assert "<svg" in first and "<svg" not in second and "<svg" not in third
    assert '<span aria-current="page">Scenes 1–2</span>' in first and '<a href="timeline-3.html">Scenes 5–5</a>' in first
    assert "5 scenes" in second
    found = [re.findall(r'<h3><a href="[^"]*">Scene (\d+)</a>', page) for page in (first, second, third)]
    assert [len(f) for f in found] == [2, 2, 1] and sorted(sum(found, [])) == ["1", "2", "3", "4", "5"]


def test_a_name_at_a_lines_early_end_stays_out_of_the_next_scene():
    """A line that ends before the last scene is named right of its end only where the name is clear
    of the next scene's box and lines; else above its last run, in its own scene."""
    from sitegen.render.chart import CHAR_PX, NAME_PX, RUN
    columns = [("1. Day 1", ["ana", "ben"]), ("2. Day 1", ["ana", "ben"]), ("3. Day 2", ["ana", "cy"])]
    names = {"ana": "Ana", "ben": "Benedict Cumberbatch-Smythe", "cy": "Cy"}
    root = parse(narrative_chart_svg(columns, names))
    ends = {"".join(t.itertext()): t for t in root.iter(f"{SVG}text") if "name-end" in t.get("class", "")}
    boxes = [(float(r.get("x")), float(r.get("y")), float(r.get("height"))) for r in root.iter(f"{SVG}rect")]
    ben = ends["Benedict Cumberbatch-Smythe"]
    x, y = float(ben.get("x")), float(ben.get("y"))
    third = max(bx for bx, _, _ in boxes)                       # the last scene's box
    right = x + len("Benedict Cumberbatch-Smythe") * CHAR_PX if ben.get("text-anchor") != "end" else x
    clear = right < third or not any(by - NAME_PX < y < by + h + NAME_PX for bx, by, h in boxes if bx == third)
    assert clear, "the name runs into the next scene's box"
    second = sorted(bx for bx, _, _ in boxes)[1]
    assert second <= x <= second + RUN + 12                     # it stays at its own (the second) scene
    assert ends["Ana"].get("text-anchor") == "start"            # at the chart's right edge there is room
