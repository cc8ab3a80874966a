"""Structure detection on small fixtures: titles, notes around the story, chapters, scene breaks, scenes."""
from pathlib import Path

import pytest

from sitegen.load import load_work
from sitegen.markers import heading_title, is_scene_break, scene_start_reason
from sitegen.paginate import make_chapters
from sitegen.structure import find_scenes, find_structure

from conftest import make_site


def structure_of(tmp_path: Path, files: dict[str, str]):
    make_site(tmp_path, files)
    work = load_work(tmp_path / "content" / "w", tmp_path)
    st = find_structure(work.sources, work.body_starts)
    return work, st


def text_of(work, p):
    return work.sources[p.source].text[p.start:p.end]


@pytest.mark.parametrize("line,title", [
    ("Chapter 12", "Chapter 12"),
    ("Chapter Twelve: The Bridge", "Chapter Twelve: The Bridge"),
    ("CHAPTER IV", "CHAPTER IV"),
    ("Ch. 3 - Home Again", "Ch. 3 - Home Again"),
    ("Prologue", "Prologue"),
    ("Epilogue: Ten Years On", "Epilogue: Ten Years On"),
    ("Part One", "Part One"),
    ("## The Long Night", "The Long Night"),
    ("# Chapter 2: Rain", "Chapter 2: Rain"),
])
def test_chapter_heading_styles(line, title):
    assert heading_title(line) == title


@pytest.mark.parametrize("line", ["Chapter two was the hardest to write, she said.",
                                  "Parting is such sweet sorrow.", "Prologues bore me."])
def test_sentences_are_not_headings(line):
    assert heading_title(line) is None


@pytest.mark.parametrize("line", ["***", "* * *", "---", "~~~", "oOo", "xXx", "⁂", "   *   ", "-x-", "+++"])
def test_scene_break_lines(line):
    assert is_scene_break(line)


@pytest.mark.parametrize("line", ["Oh.", "I", "x marks the spot", "--and then she left"])
def test_prose_is_not_a_scene_break(line):
    assert not is_scene_break(line)


@pytest.mark.parametrize("para,strong", [
    ("Later that day the rain stopped.", True),
    ("A few days later she was back on her feet.", True),
    ("The next morning came too soon.", True),
    ("Three weeks later, the letter arrived.", True),
    ("Meanwhile, at the tower, the guards argued.", True),
    ("Mira woke up in a white room.", True),
    ("She soon awoke to the sound of birds.", True),
    ("She then made her way to the river.", False),
])
def test_scene_start_signs(para, strong):
    reason = scene_start_reason(para)
    assert reason is not None and reason[1] is strong


@pytest.mark.parametrize("para", ["She laughed and later regretted it.", "He said he would wake her.",
                                  "The river was wide."])
def test_ordinary_paragraphs_do_not_start_scenes(para):
    assert scene_start_reason(para) is None


def test_title_preface_and_afterword(tmp_path):
    work, st = structure_of(tmp_path, {"content/w/story.txt": (
        "Just a little idea I had, hope you like it.\n\nThe Long Road\n\n"
        "Mira walked.\n\nShe walked some more.\n\n\nThanks for reading! Please review.\n")})
    assert st.title == "The Long Road"
    assert [n.kind for n in st.work_notes] == ["work-preface", "work-afterword"]
    assert st.work_notes[0].text.startswith("Just a little idea")
    assert [text_of(work, p) for p in st.paragraphs] == ["Mira walked.", "She walked some more."]


def test_no_title_line_keeps_first_paragraph_as_prose(tmp_path):
    work, st = structure_of(tmp_path, {"content/w/story.txt": "Mira walked to the sea, slowly.\n\nShe swam.\n"})
    assert st.title is None
    assert len(st.paragraphs) == 2 and not st.work_notes


def test_last_story_paragraph_is_not_an_afterword(tmp_path):
    work, st = structure_of(tmp_path, {"content/w/story.txt": "Title\n\nShe ran.\n\nHe followed her home.\n"})
    assert not st.work_notes and len(st.paragraphs) == 2


def test_headings_split_chapters_and_name_them(tmp_path):
    work, st = structure_of(tmp_path, {"content/w/story.txt": (
        "Chapter 1: Rain\n\nIt rained.\n\nStill raining.\n\nChapter Two\n\nSun.\n\nEpilogue\n\nThe end came.\n")})
    scenes = find_scenes(work.sources, st, ())
    chapters = make_chapters(work.sources, st.paragraphs, st.headings, st.file_starts, scenes,
                             target=1000, split="auto", titles=())
    assert [c.title for c in chapters] == ["Chapter 1: Rain", "Chapter Two", "Epilogue"]
    assert [(c.first_paragraph, c.last_paragraph) for c in chapters] == [(0, 1), (2, 2), (3, 3)]


def test_scene_break_lines_are_removed_and_start_scenes(tmp_path):
    work, st = structure_of(tmp_path, {"content/w/story.txt": "Title\n\nOne.\n\n* * *\n\nTwo.\n\noOo\n\nThree.\n"})
    assert [text_of(work, p) for p in st.paragraphs] == ["One.", "Two.", "Three."]
    scenes = find_scenes(work.sources, st, ())
    assert [s.first_paragraph for s in scenes] == [0, 1, 2]
    assert all(s.strong for s in scenes)


def test_files_sorted_naturally_are_chapters(tmp_path):
    files = {f"content/w/chapter-{n}.txt": f"Text of part {n}." for n in (1, 2, 10)}
    work, st = structure_of(tmp_path, files)
    assert [s.path.name for s in work.sources] == ["chapter-1.txt", "chapter-2.txt", "chapter-10.txt"]
    scenes = find_scenes(work.sources, st, ())
    chapters = make_chapters(work.sources, st.paragraphs, st.headings, st.file_starts, scenes,
                             target=1000, split="auto", titles=())
    assert len(chapters) == 3 and chapters[2].title == "Chapter 3"


def scene_story(n_scenes: int, words_per_scene: int) -> str:
    scenes = []
    for i in range(n_scenes):
        opener = "A few days later" if i else "At first"
        body = " ".join(["word"] * (words_per_scene - 5))
        scenes.append(f"{opener} Mira sat down.\n\n{body}.")
    return "Title\n\n" + "\n\n".join(scenes) + "\n"


def test_no_markers_split_only_at_scene_starts(tmp_path):
    work, st = structure_of(tmp_path, {"content/w/story.txt": scene_story(6, 400)})
    scenes = find_scenes(work.sources, st, ())
    chapters = make_chapters(work.sources, st.paragraphs, st.headings, st.file_starts, scenes,
                             target=1000, split="auto", titles=())
    starts = {s.first_paragraph for s in scenes}
    assert len(chapters) >= 2
    assert all(c.first_paragraph in starts for c in chapters)
    covered = [i for c in chapters for i in range(c.first_paragraph, c.last_paragraph + 1)]
    assert covered == list(range(len(st.paragraphs)))


def test_no_markers_never_splits_a_long_scene(tmp_path):
    work, st = structure_of(tmp_path, {"content/w/story.txt": "Title\n\n" + "\n\n".join(
        "Mira ran on and on " + " ".join(["far"] * 300) + "." for _ in range(10)) + "\n"})
    scenes = find_scenes(work.sources, st, ())
    chapters = make_chapters(work.sources, st.paragraphs, st.headings, st.file_starts, scenes,
                             target=500, split="auto", titles=())
    assert len(scenes) == 1 and len(chapters) == 1


def test_work_toml_names_chapters(tmp_path):
    work, st = structure_of(tmp_path, {"content/w/story.txt": scene_story(4, 600)})
    scenes = find_scenes(work.sources, st, ())
    chapters = make_chapters(work.sources, st.paragraphs, st.headings, st.file_starts, scenes,
                             target=1000, split="auto", titles=("Beginnings",))
    assert chapters[0].title == "Beginnings" and chapters[1].title == "Chapter 2"
