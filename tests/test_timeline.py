"""The timeline: story clock from time markers, places, characters per scene, work.toml overrides, the page."""
import json
import re
from pathlib import Path

import jinja2
import pytest

from sitegen.load.cast import load_cast
from sitegen.errors import SitegenError
from sitegen.model import Character, Paragraph, Quote, Scene, SourceText
from sitegen.text.paragraphs import split_paragraphs
from dataclasses import replace
from typing import Mapping, Sequence

from sitegen.model import TimelineEvent
from sitegen.render.theme import with_strings
from sitegen.render.timeline_view import timeline_view
from sitegen.timeline.clock import heading_time, read_time
from sitegen.timeline.facts import SceneFacts, scene_facts
from sitegen.timeline.fold import fold_timeline
from sitegen.timeline.places import find_place

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "content" / "change-of-plans" / "change-of-plans.txt"
SEED = REPO.parent / "shared" / "seed"
TEMPLATES = REPO / "themes" / "default" / "templates"

CAST = (
    Character("ana", "Ana Reyes", ("Ana",), "she"),
    Character("ben", "Ben Okafor", ("Ben", "the captain"), "he"),
    Character("cy", "Cy", (), "they"),
    Character("dot", "Dorothy Vance", ("Dot",), "she"),
)


def build_timeline(sources: Sequence[SourceText], paragraphs: Sequence[Paragraph], scenes: Sequence[Scene],
                   quotes: Sequence[Quote], cast: Sequence[Character], overrides: Sequence[Mapping] = (),
                   *, where: str = "work.toml") -> tuple[TimelineEvent, ...]:
    """One TimelineEvent per scene, in reading order: `scene_facts` per file, then `fold_timeline`.

    The whole work at once, as the tests want it (the build keeps each file's `scene_facts`
    with its other findings instead). Each scene lies within one file (its first paragraph's).
    """
    ordered = sorted(scenes, key=lambda s: (s.first_paragraph, s.index))
    by_file: dict[int, list[int]] = {}
    for k, scene in enumerate(ordered):
        by_file.setdefault(paragraphs[scene.first_paragraph].source, []).append(k)
    quotes_by_file: dict[int, list[Quote]] = {}
    for q in quotes:
        quotes_by_file.setdefault(q.source, []).append(q)
    facts: list[SceneFacts | None] = [None] * len(ordered)
    for si, ks in by_file.items():
        spans, starts = _file_scenes(paragraphs, [ordered[k] for k in ks])
        for k, f in zip(ks, scene_facts(sources[si], spans, starts, quotes_by_file.get(si, ()), cast)):
            facts[k] = f
    events = fold_timeline(facts, cast, overrides, where=where)
    return tuple(e if e.scene == s.index else replace(e, scene=s.index) for e, s in zip(events, ordered))


def _file_scenes(paragraphs: Sequence[Paragraph], scenes: Sequence[Scene]) -> tuple[list[tuple[int, int]], list[int]]:
    """One file's scenes as `scene_facts` takes them: their paragraphs' spans in turn, and where each scene starts."""
    spans: list[tuple[int, int]] = []
    starts: list[int] = []
    for scene in scenes:
        starts.append(len(spans))
        spans += [(p.start, p.end) for p in paragraphs[scene.first_paragraph:scene.last_paragraph + 1]]
    return spans, starts


def work_of(scenes_text: list[str], quotes=()):
    """A one-file work whose scenes are the given texts (paragraphs split by blank lines)."""
    text = "\n\n".join(scenes_text)
    src = SourceText.from_text(Path("story.txt"), text)
    spans = split_paragraphs(text)
    paragraphs = [Paragraph(0, s, e) for s, e in spans]
    scenes, offset = [], 0
    for i, chunk in enumerate(scenes_text):
        start = text.index(chunk, offset)
        first = next(k for k, p in enumerate(paragraphs) if p.start >= start)
        last = max(k for k, p in enumerate(paragraphs) if p.start < start + len(chunk))
        scenes.append(Scene(i, 0, paragraphs[first].start, first, last, "test"))
        offset = start + len(chunk)
    return [src], paragraphs, scenes, list(quotes)


def timeline(scenes_text, overrides=(), quotes=()):
    sources, paragraphs, scenes, quotes = work_of(scenes_text, quotes)
    return build_timeline(sources, paragraphs, scenes, quotes, CAST, overrides)


# ---------------------------------------------------------------- the story clock

def test_relative_clock_from_time_markers():
    events = timeline([
        "Ana stood on the roof and watched the rain.",
        "Later that day Ana went to the market. The sun had gone by the time she left.",
        "The next morning Ben knocked on her door.",
        "Ana and Ben walked along the river.",
        "A few days later Ana was back on her feet.",
        "Two days later Ben came to the gate.",
        "That night Ana slept badly.",
        "Ana woke up to the smell of coffee.",
    ])
    assert [e.time_label for e in events] == [
        "Day 1", "Day 1, night", "Day 2, morning", "Day 2", "A few days later",
        "Two days later", "Two days later, night", "The next morning"]
    assert events[1].time_marker == "Later that day / The sun had gone"
    assert events[0].time_marker is None


def test_waking_after_a_night_is_the_next_morning_else_just_later():
    events = timeline(["That night Ana could not sleep.", "Ana soon awoke to see Ben.",
                       "Ben went out to the yard.", "Ana woke up in the same room."])
    assert [e.time_label for e in events] == ["Day 1, night", "Day 2, morning", "Day 2", "Day 2, later"]


def test_weeks_count_and_future_mentions_do_not_move_the_clock():
    events = timeline(["Ana sat down.",
                       "A week later Ana met Ben at the bridge. She would start training next week.",
                       "Ben ran to the gate. They would leave the following day."])
    assert [e.time_label for e in events] == ["Day 1", "Day 8", "Day 8"]


def test_read_time_words():
    assert read_time("The following day, Ana left.").kind == "next"
    assert read_time("Several weeks later the war was over.").label == "Several weeks later"
    assert read_time("Ana woke with a start.").kind == "wake"
    assert read_time("Ana looked at the sunset.").part == "night"
    assert read_time("Ana ate.").kind == "none"


def test_flashback_comes_first_in_story_order_and_both_orders_are_shown():
    events = timeline(["Ana stood at the gate.", "Years ago, Ben had lived in the valley.",
                       "The next day Ana left."])
    assert [e.time_label for e in events] == ["Day 1", "Years ago", "Day 2"]
    assert [e.story_order for e in events] == [2, 1, 3]
    view = timeline_view(events, CAST, lambda i: f"c.html#scene-{i + 1}", lambda i: "")
    assert view["differs"] is True
    assert [s["number"] for s in view["story_order"]] == [2, 1, 3]
    assert [s["number"] for s in view["reading_order"]] == [1, 2, 3]


def test_earlier_that_day_sorts_before_the_scene_it_follows():
    events = timeline(["Ana stood at the gate.", "Earlier that morning, Ben had packed."])
    assert [e.story_order for e in events] == [2, 1]


# ---------------------------------------------------------------- places

@pytest.mark.parametrize("text, place", [
    ("Ana sat on the roof and waited.", "the roof"),
    ("She met him at the bridge.", "the bridge"),
    ("Ben lay in the hospital for a week.", "the hospital"),
    ("He headed straight to the Hokage tower.", "the Hokage tower"),
    ("She headed towards the gate, fast.", "the gate"),
    ("Sakura stood in the doorway of the hospitals roof as they fought.", "the hospitals roof"),
    ("They lived in Konoha then.", "Konoha"),
    ("She was trapped in Naruto's bear hug.", None),
    ("Why could the hospital staff not see it?", None),
    ("She looked at Ana and smiled.", None),
])
def test_places_from_preposition_and_place_noun(text, place):
    assert find_place(text, frozenset({"Ana"}))[0] == place


def test_place_comes_from_narration_not_dialogue():
    events = timeline(['"Meet me at the bridge," Ana said. Ben sat in the kitchen.'])
    assert events[0].place == "the kitchen"


# ---------------------------------------------------------------- characters

def quote(text, said, speaker):
    start = text.index(said)
    return Quote(0, start, start + len(said), "speech", speaker, 1.0, said)


def test_characters_are_speakers_and_the_named_not_those_only_talked_about():
    scene = ('Ana sat with Cy. "Where is Ben?" Ana asked. "Dot took him," Cy said. '
             'Ana thought about the captain\'s words.')
    quotes = [quote(scene, '"Where is Ben?"', "ana"), quote(scene, '"Dot took him,"', "cy")]
    events = timeline([scene], quotes=quotes)
    assert events[0].characters == ("ana", "cy")          # Ben and Dot are only talked about


def test_a_single_passing_mention_is_not_presence_when_others_speak():
    scene = ('Ana ran the way Dot had pointed. "Ben!" Ana called. "Here," Ben said.')
    quotes = [quote(scene, '"Ben!"', "ana"), quote(scene, '"Here,"', "ben")]
    assert timeline([scene], quotes=quotes)[0].characters == ("ana", "ben")


def test_without_speech_the_narration_decides_and_aliases_count():
    events = timeline(["The captain woke and saw Ana asleep by the fire."])
    assert events[0].characters == ("ben", "ana")


def test_a_letter_read_in_the_story_does_not_bring_its_names_in():
    events = timeline(["Ana found a note on the desk.\n\nSorry, I had to go. Tell Dot I said hi."])
    assert events[0].characters == ("ana",)



def test_speakers_count_only_in_their_own_scene_whatever_order_the_quotes_come_in():
    first, second = 'Ana waited. "Hello," Ana said.', 'Cy read. "Go," Ben said. "Fine," Cy said.'
    sources, paragraphs, scenes, _ = work_of([first, second])
    text = sources[0].text

    def q(said, speaker):
        start = text.index(said)
        return Quote(0, start, start + len(said), "speech", speaker, 1.0, said)

    quotes = [q('"Fine,"', "cy"), q('"Hello,"', "ana"), q('"Go,"', "ben")]           # not in reading order
    events = build_timeline(sources, paragraphs, scenes, quotes, CAST)
    assert [e.characters for e in events] == [("ana",), ("cy", "ben")]


def test_rebuilding_after_an_edit_sees_the_edit():
    before = timeline(["Ana sat by the fire.", "Ben walked to the gate."])
    assert timeline(["Ana sat by the fire.", "Ben walked to the gate."]) == before      # the same words, the same
    after = timeline(["Dot sat by the fire.", "Ben walked to the gate."])
    assert after[0].characters == ("dot",) and after[1] == before[1]


def test_name_regex_matches_the_plain_lookbehind_form():
    import random
    import re
    from sitegen.timeline.presence import _name_pattern
    rnd = random.Random(13)

    def word():
        return "".join(rnd.choice("abAB-s' ") for _ in range(rnd.randint(1, 4)))

    for _ in range(3000):
        c = Character("x", word(), tuple(word() for _ in range(rnd.randint(0, 2))))
        forms = {re.escape(n) for n in (c.name, *c.aliases) if n}
        forms |= {re.escape(n[0].upper() + n[1:]) for n in (c.name, *c.aliases) if n and n[0].islower()}
        plain = re.compile(r"(?<![\w-])(?:" + "|".join(sorted(forms, key=len, reverse=True))
                           + r")(?:'s|\u2019s|s'|s\u2019)?(?![\w-])")
        text = "".join(rnd.choice("abAB -'\u2019s_\n.x") for _ in range(rnd.randint(0, 30)))
        assert [m.span() for m in _name_pattern(c).finditer(text)] == [m.span() for m in plain.finditer(text)]


def test_time_words_late_in_the_opening_are_still_read():
    step = read_time("Ana sat in the kitchen for a long while and thought about it. "
                     "Two days later she left at dawn.")
    assert (step.kind, step.days, step.part) == ("count", 2, "morning")
    assert read_time("Ana ate and ate and ate, and nobody said a word about any of it.").kind == "none"


# ---------------------------------------------------------------- per file, then the fold

def files_work(files: list[list[str]], said: dict[int, list[tuple[str, str]]] | None = None):
    """A work of several files, each a list of scene texts; `said` gives (quotation, speaker) pairs per file.

    Returns build_timeline's arguments and, per file, scene_facts's (source, paragraph spans, scene starts, quotes).
    """
    sources, paragraphs, scenes, quotes, per_file = [], [], [], [], []
    for si, scene_texts in enumerate(files):
        text = "\n\n".join(scene_texts)
        src = SourceText.from_text(Path(f"chapter-{si + 1}.txt"), text)
        spans = split_paragraphs(text)
        starts = [next(k for k, (s, _) in enumerate(spans) if s >= text.index(chunk)) for chunk in scene_texts]
        file_quotes = []
        for words, speaker in (said or {}).get(si, ()):
            at = text.index(words)
            file_quotes.append(Quote(si, at, at + len(words), "speech", speaker, 1.0, words))
        base = len(paragraphs)
        paragraphs += [Paragraph(si, a, b) for a, b in spans]
        for n, first in enumerate(starts):
            last = (starts[n + 1] if n + 1 < len(starts) else len(spans)) - 1
            scenes.append(Scene(len(scenes), si, spans[first][0], base + first, base + last, "test"))
        sources.append(src)
        quotes += file_quotes
        per_file.append((src, spans, starts, file_quotes))
    return (sources, paragraphs, scenes, quotes), per_file


FILES = [
    ["Ana stood on the roof and watched the rain.", "Later that day Ana went to the market."],
    ['The next morning Ben knocked on her door. "Up," Ben said. "No," Ana said.',
     "A few days later Cy came to the gate.\n\nCy waited there for Dot. Dot came at dusk."],
    ["Years ago, Ben had lived in the valley.", "Ana woke up in the kitchen."],
]
SAID = {1: [('"Up,"', "ben"), ('"No,"', "ana")]}


def test_folding_each_files_scene_facts_is_build_timeline():
    (sources, paragraphs, scenes, quotes), per_file = files_work(FILES, SAID)
    facts = [f for args in per_file for f in scene_facts(*args, CAST)]
    assert len(facts) == len(scenes) == 6
    overrides = [{"scene": 4, "time": "Day 9", "characters": ["+ben"]}, {"scene": 6, "order": 1}]
    for tables in ((), overrides):
        assert fold_timeline(facts, CAST, tables) == build_timeline(sources, paragraphs, scenes, quotes, CAST, tables)
    events = fold_timeline(facts, CAST)
    assert [e.time_label for e in events] == ["Day 1", "Day 1", "Day 2, morning", "A few days later, night",
                                              "Years ago", "The next morning"]   # across files
    assert events[2].characters == ("ben", "ana") and events[3].characters == ("cy", "dot")


def test_a_scenes_facts_depend_only_on_its_own_file():
    _, before = files_work(FILES, SAID)
    edited = [FILES[0], ["Dot sat by the fire.", "Ben walked to the gate."], FILES[2]]
    _, after = files_work(edited)
    for k in (0, 2):
        assert scene_facts(*after[k], CAST) == scene_facts(*before[k], CAST)
    assert scene_facts(*after[1], CAST) != scene_facts(*before[1], CAST)


def test_scene_facts_are_plain_hashable_data_one_per_scene():
    (_, _, _, _), per_file = files_work(FILES, SAID)
    src, spans, starts, file_quotes = per_file[1]
    facts = scene_facts(src, spans, starts, file_quotes, CAST)
    assert len(facts) == 2 and all(isinstance(f, SceneFacts) for f in facts)
    assert hash(facts) == hash(scene_facts(src, spans, starts, file_quotes, CAST))
    assert facts[0].step.kind == "next" and facts[1].place == "the gate"
    assert scene_facts(src, [], [], [], CAST) == ()


def test_fold_timeline_reads_no_text_only_the_facts():
    facts = [SceneFacts(read_time("The next morning it rained."), "the roof", ("ana",)),   # the first scene: Day 1
             SceneFacts(read_time("That night it rained."), None, ("ana", "ben")),
             SceneFacts(read_time("Ana woke."), "the kitchen", ())]
    events = fold_timeline(facts, CAST, [{"scene": 3, "characters": ["cy"]}])
    assert [e.time_label for e in events] == ["Day 1, morning", "Day 1, night", "Day 2, morning"]
    assert [e.scene for e in events] == [0, 1, 2] and events[0].place == "the roof"
    assert events[2].characters == ("cy",)
    with pytest.raises(SitegenError):
        fold_timeline(facts, CAST, [{"scene": 4}], where="work.toml")


def test_sample_work_folds_to_its_timeline():
    from sitegen.build import analyse_work
    from sitegen.load.files import load_work
    work = analyse_work(load_work(REPO / "content" / "change-of-plans", REPO))
    facts = []
    for si, src in enumerate(work.sources):
        mine = [k for k, p in enumerate(work.paragraphs) if p.source == si]
        if mine:
            spans = [(work.paragraphs[k].start, work.paragraphs[k].end) for k in mine]
            starts = [s.first_paragraph - mine[0] for s in work.scenes if s.source == si]
            facts += scene_facts(src, spans, starts, [q for q in work.quotes if q.source == si], work.cast)
    assert fold_timeline(facts, work.cast) == work.timeline and len(work.timeline) == len(work.scenes)


# ---------------------------------------------------------------- overrides from work.toml

def test_overrides_set_time_place_characters_label_and_order():
    events = timeline(["Ana sat down.", "Ben stood up.", "Later that day, Cy came."], overrides=[
        {"scene": 2, "time": "Day 3, night", "place": "the lighthouse", "characters": ["+dot", "-ben"]},
        {"scene": 3, "label": "Much later", "characters": ["ana", "cy"], "order": 1},
    ])
    assert events[1].time_label == "Day 3, night" and events[1].place == "the lighthouse"
    assert events[1].characters == ("dot",)
    assert events[2].time_label == "Much later" and events[2].characters == ("ana", "cy")
    assert [e.story_order for e in events] == [2, 3, 1]


def test_time_override_moves_the_clock_for_later_scenes():
    events = timeline(["Ana sat down.", "Ben stood up.", "The next morning Cy came."],
                      overrides=[{"scene": 2, "time": "Day 5"}])
    assert [e.time_label for e in events] == ["Day 1", "Day 5", "Day 6, morning"]


def test_unknown_override_key_names_the_key_and_the_fix():
    with pytest.raises(SitegenError) as err:
        timeline(["Ana sat down."], overrides=[{"scene": 1, "tiem": "Day 2"}])
    assert "`tiem`" in str(err.value) and "did you mean `time`" in err.value.hint
    assert "scene, time, place, characters, label, order" in err.value.hint


@pytest.mark.parametrize("table, words", [
    ({"scene": 9}, "from 1 to 1"),
    ({"time": "Day 2"}, "needs `scene`"),
    ({"scene": 1, "characters": ["zed"]}, "`zed` is not in the cast"),
    ({"scene": 1, "characters": "ana"}, "list of cast ids"),
    ({"scene": 1, "order": 0}, "`order`"),
    ({"scene": 1, "place": 3}, "`place` must be a string"),
])
def test_bad_overrides_are_errors_with_hints(table, words):
    with pytest.raises(SitegenError) as err:
        timeline(["Ana sat down."], overrides=[table])
    assert words in str(err.value) and err.value.hint


# ---------------------------------------------------------------- the page

def render_page(view):
    base = "<html><title>{% block title %}{% endblock %}</title>{% block head %}{% endblock %}" \
           "{% block crumbs %}{% endblock %}<main>{% block content %}{% endblock %}</main></html>"
    env = with_strings(jinja2.Environment(loader=jinja2.ChoiceLoader([
        jinja2.DictLoader({"base.html": base}), jinja2.FileSystemLoader(str(TEMPLATES))]),
        autoescape=True, undefined=jinja2.StrictUndefined))
    site, work = type("S", (), {"title": "Fics"}), type("W", (), {"title": "A <b> Story", "url": "a/index.html"})
    return env.get_template("timeline.html").render(site=site, work=work, timeline=view, root="../")


def test_timeline_page_renders_chart_scenes_and_links():
    events = timeline(["Ana sat on the roof.", "Years ago, Ben lived at the bridge."])
    view = timeline_view(events, CAST, lambda i: f"chapter-1.html#scene-{i + 1}", lambda i: f"excerpt <{i}>")
    html = render_page(view)
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in html and 'class="chart-scroll"' in html
    assert 'href="chapter-1.html#scene-2"' in html and "excerpt &lt;1&gt;" in html
    assert "A &lt;b&gt; Story" in html and "In reading order" in html and "the bridge" in html
    assert "Ana Reyes" in html and "Ben Okafor" in html
    assert html.index("scene-2") < html.index("scene-1")       # story order first


def test_a_work_whose_times_are_never_read_shows_no_time_and_one_that_is_read_shows_all():
    untimed = timeline(["Ana sat on the roof.", "Ben walked to the bridge.", "Ana laughed."])
    view = timeline_view(untimed, CAST, lambda i: f"chapter-1.html#scene-{i + 1}", lambda i: "")
    assert [v["time"] for v in view["story_order"]] == ["", "", ""]
    html = render_page(view)
    assert "Day 1" not in html and "<dt>When</dt>" not in html
    timed = timeline(["Ana sat on the roof.", "The next morning, Ben walked to the bridge.", "Ana laughed."])
    view = timeline_view(timed, CAST, lambda i: f"chapter-1.html#scene-{i + 1}", lambda i: "")
    assert [v["time"] for v in view["story_order"]] == ["Day 1", "Day 2, morning", "Day 2"]
    assert render_page(view).count("<dt>When</dt>") == 3


# ---------------------------------------------------------------- the sample fic

def sample_with_gold_scenes(quotes: bool):
    text = SAMPLE.read_text(encoding="utf-8")
    src = SourceText.from_text(SAMPLE, text)
    gold = json.loads((SEED / "change-of-plans.structure.gold.json").read_text())
    notes = {n["kind"]: n for n in gold["author_notes"]}
    body_start, body_end = gold["scenes"][0]["start"], notes["work-afterword"]["start"]
    paragraphs = [Paragraph(0, s, e) for s, e in split_paragraphs(text) if body_start <= s and e <= body_end]
    starts = [s["start"] for s in gold["scenes"]] + [body_end]
    scenes = []
    for i, (a, b) in enumerate(zip(starts, starts[1:])):
        inside = [k for k, p in enumerate(paragraphs) if a <= p.start < b]
        scenes.append(Scene(i, 0, a, inside[0], inside[-1], "gold"))
    qs = []
    if quotes:
        for line in (SEED / "change-of-plans.quotes.gold.jsonl").read_text().splitlines():
            d = json.loads(line)
            qs.append(Quote(0, d["start"], d["end"], d["kind"], d["speaker"], 1.0, d["text"]))
    cast = load_cast(SEED / "change-of-plans.cast.toml")
    return build_timeline([src], paragraphs, scenes, qs, cast), cast, gold


@pytest.mark.skipif(not SEED.is_dir(), reason="needs ../shared/seed (gold scene starts and cast)")
def test_sample_timeline_names_the_cast_and_follows_the_clock():
    events, cast, gold = sample_with_gold_scenes(quotes=False)
    view = timeline_view(events, cast, lambda i: f"all.html#scene-{i + 1}", lambda i: "")
    named = {"sakura", "naruto", "sasuke", "kakashi", "tsunade", "shizune", "neji"}
    shown = {c["id"] for c in view["characters"]}
    assert len(named & shown) >= 6
    for name in ("Sakura Haruno", "Naruto Uzumaki", "Tsunade"):
        assert name in view["chart_svg"]
    assert [e.time_label for e in events][:4] == ["Day 1", "Day 1, night", "Day 2, morning", "Day 2"]
    assert events[-1].time_label == "A few days later"
    assert events[-1].place == "the bridge" and events[1].place == "the bench"
    assert view["differs"] is False


@pytest.mark.skipif(not SEED.is_dir(), reason="needs ../shared/seed (gold scenes and quotes)")
def test_sample_characters_match_the_gold_with_gold_speakers():
    events, _, gold = sample_with_gold_scenes(quotes=True)
    for event, scene in zip(events, gold["scenes"]):
        assert set(event.characters) == set(scene["characters"]), scene["first_words"]


def test_the_remembering_fold_gives_what_a_fresh_fold_gives():
    """TimelineFolder restarts the clock at the first changed scene; whatever changes, its events
    must equal fold_timeline's over the same facts."""
    import random
    from sitegen.timeline.clock import TimeStep
    from sitegen.timeline.fold import TimelineFolder
    steps = [TimeStep("none", ()), TimeStep("next", ("the next morning",), part="morning"),
             TimeStep("same_day", ("that evening",), part="evening"), TimeStep("wake", ("woke",)),
             TimeStep("vague", ("a few days later",), label="A few days later"),
             TimeStep("count", ("two days later",), days=2), TimeStep("flashback", ("years ago",), label="Years ago"), TimeStep("earlier_days", ("the day before",), days=1)]
    cast = [Character("ana", "Ana"), Character("bo", "Bo")]
    rng = random.Random(5)

    def fact():
        return SceneFacts(rng.choice(steps), rng.choice([None, "the harbour", "the pier"]),
                          tuple(rng.sample(["ana", "bo"], rng.randint(0, 2))))
    facts = [fact() for _ in range(40)]
    folder = TimelineFolder()
    for round_ in range(30):
        k = rng.randrange(len(facts))
        change = rng.choice(["edit", "insert", "delete"])
        if change == "edit":
            facts[k] = fact()
        elif change == "insert":
            facts.insert(k, fact())
        elif len(facts) > 2:
            del facts[k]
        overrides = [{"scene": 3, "time": "Day 5"}] if round_ % 7 == 3 else []
        assert folder.fold(facts, cast, overrides) == fold_timeline(facts, cast, overrides), (round_, change, k)


def test_the_fold_that_stops_where_the_clock_meets_the_last_one_gives_a_fresh_fold(monkeypatch):
    """An edit that moves no time (a scene's place or characters) re-runs the clock over the changed
    scenes only; scenes added or taken out before an unchanged tail shift it. Whatever changes, and
    with a fixed [[timeline]] override before or after the edit, the events equal a fresh fold's."""
    import random
    from sitegen.timeline import fold as fold_module
    from sitegen.timeline.clock import TimeStep
    steps = [TimeStep("none", ()), TimeStep("next", ("the next morning",), part="morning"),
             TimeStep("same_day", ("that evening",), part="evening"), TimeStep("wake", ("woke",)),
             TimeStep("vague", ("a few days later",), label="A few days later"),
             TimeStep("count", ("two days later",), days=2)]
    cast = [Character("ana", "Ana"), Character("bo", "Bo")]
    rng = random.Random(11)
    folded = []
    monkeypatch.setattr(fold_module, "_fold_scene",
                        lambda *a, real=fold_module._fold_scene: folded.append(1) or real(*a))

    def fact(step=None):
        return SceneFacts(step or rng.choice(steps), rng.choice([None, "the harbour", "the pier"]),
                          tuple(rng.sample(["ana", "bo"], rng.randint(0, 2))))
    facts = [fact() for _ in range(60)]
    folder = fold_module.TimelineFolder()
    short = 0
    for round_ in range(200):
        k = rng.randrange(1, len(facts))
        change = rng.choice(["place", "place", "edit", "insert", "delete"])
        if change == "place":                   # the same time step: the clock meets the last fold again
            facts[k] = fact(facts[k].step)
        elif change == "edit":
            facts[k] = fact()
        elif change == "insert":
            facts.insert(k, fact(TimeStep("none", ())))
        elif len(facts) > 3:
            del facts[k]
        overrides = [{"scene": rng.choice([2, 50]), "time": "Day 5"}] if round_ % 50 > 40 else \
            [{"scene": 2, "place": "the roof"}] if round_ % 50 > 20 else []
        del folded[:]
        events = folder.fold(facts, cast, overrides)
        short += len(folded) < len(facts) - k
        assert events == fold_timeline(facts, cast, overrides), (round_, change, k)
    assert short > 50          # the clock did stop early (else this test proves nothing new)


# ---------------------------------------------------------------- real fics' time (issue 12)

def test_no_doubled_labels_after_a_vague_skip():
    events = timeline(["Ana stood on the roof.", "Months later Ana came back to the city.",
                       "Later, Ben found her on the bench.", "Ana woke up at noon.",
                       "A month later, the letters stopped.", "Two weeks later Ben left for the coast."])
    labels = [e.time_label for e in events]
    assert labels[1] == "Months later"
    assert labels[4:] == ["A month later", "Two weeks later"]
    assert not any(re.search(r"\b(\w+), \1\b", lab, re.I) or "days on" in lab for lab in labels), labels


@pytest.mark.parametrize("heading,label", [
    ("Chapter 4: Three Years Later", "Three Years Later"), ("Year 2", "Year 2"), ("June 1998", "June 1998"),
    ("Chapter 7 - Summer, 1943", "Summer, 1943"), ("Chapter 9: The Bridge", None), ("Prologue", None),
])
def test_chapter_headings_that_name_a_time(heading, label):
    step = heading_time(heading)
    assert (step.label if step else None) == label


def test_a_title_of_a_person_is_not_a_place():
    assert find_place("She stood in King Arthur's court.")[0] is None
    assert find_place("He looked from Cadet to Cadet.")[0] is None
    assert find_place("They met in Lisbon at noon.")[0] == "Lisbon"


def test_presence_finds_the_same_names_when_it_skips_characters_a_scene_cannot_name():
    """_mentions_each searches only for characters whose names' first words are among the scene's
    words: on texts made of names, their parts, possessives and punctuation, the result is the same as
    searching for every character."""
    from hypothesis import given, strategies as st
    from sitegen.timeline import presence
    cast = [Character("ann", "Ann Lee", aliases=("Annie", "the nurse")), Character("lee", "Lee Ann"),
            Character("tom", "Big Tom", aliases=("Tom",)), Character("smith", "Tom Smith"),
            Character("jo", "Jo-Jo", aliases=("'Bama",)), Character("eve", "Éve", aliases=("éve",))]
    pieces = st.sampled_from(["Ann", "Lee", "Annie", "the", "nurse", "The", "Big", "Tom", "Smith", "Jo", "-",
                              "Jo-Jo", "'Bama", "Éve", "éve", "'s", "s'", "’s", "s", " ", " ", ". ", "\n", "x"])
    texts = st.lists(st.lists(pieces, max_size=12).map("".join), min_size=1, max_size=3)

    @given(texts)
    def same(narrations):
        everyone = presence.FirstWords(re.compile("(?!)"), {}, tuple(range(len(cast))))   # every character searched
        assert presence._mentions_each(cast, narrations) == presence._mentions_each(cast, narrations, everyone)
    same()
