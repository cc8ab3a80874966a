"""Structure detection on small fixtures: titles, notes around the story, chapters, scene breaks, scenes."""
from pathlib import Path

import pytest

from sitegen.build import analyse_work
from sitegen.load.files import load_work
from sitegen.text.markers import heading_title, is_scene_break, scene_start_reason

from conftest import make_site


def work_of(tmp_path: Path, files: dict[str, str]):
    """The analysed work `w` of a fixture site."""
    make_site(tmp_path, files)
    return analyse_work(load_work(tmp_path / "content" / "w", tmp_path))


def texts(work):
    return [work.sources[p.source].text[p.start:p.end] for p in work.paragraphs]


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
    ("### **Prologue: After**", "Prologue: After"),
    ("## _The Long Night_", "The Long Night"),
    ("Chapitre 3", "Chapitre 3"),
    ("CHAPITRE XII : Le pont", "CHAPITRE XII : Le pont"),
    ("Kapitel 12: Der Weg", "Kapitel 12: Der Weg"),
    ("Capítulo IV", "Capítulo IV"),
    ("Rozdział 2", "Rozdział 2"),
    ("Глава 5. Дорога", "Глава 5. Дорога"),
    ("Épilogue", "Épilogue"),
    ("Partie 2", "Partie 2"),
])
def test_chapter_heading_styles(line, title):
    assert heading_title(line) == title


@pytest.mark.parametrize("line", ["Chapter two was the hardest to write, she said.",
                                  "Parting is such sweet sorrow.", "Prologues bore me.",
                                  "Child of Four", "Chili", "Children of the Tide",
                                  "Chapitre deux fut le plus dur à écrire, dit-elle.", "Partie de cartes",
                                  "Chapterhouse 3"])
def test_sentences_are_not_headings(line):
    assert heading_title(line) is None


@pytest.mark.parametrize("line", ["***", "* * *", "---", "~~~", "oOo", "xXx", "⁂", "   *   ", "-x-", "+++",
                                  ".:O:.:O:.", "~*~", "-x-x-x-", "oOoOo", "-" * 72, "<><><>", "\\----------",
                                  "** **", "_ _", "=+=+=+=", "~o~o~o~o~", "*      *      *      *      *      *"])
def test_scene_break_lines(line):
    assert is_scene_break(line)


@pytest.mark.parametrize("line", ["Oh.", "I", "x marks the spot", "--and then she left", "...", "…", "?!",
                                  "hahaha", "Zzzzz", "OC", "1", "Mmmmpf", "(...)"])
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
    work = work_of(tmp_path, {"content/w/story.txt": (
        "Just a little idea I had, hope you like it.\n\nThe Long Road\n\n"
        "Mira walked.\n\nShe walked some more.\n\n\nThanks for reading! Please review.\n")})
    assert work.meta.title == "The Long Road"
    assert [n.kind for n in work.notes] == ["work-preface", "work-afterword"]
    assert work.notes[0].text.startswith("Just a little idea")
    assert texts(work) == ["Mira walked.", "She walked some more."]


def test_no_title_line_keeps_first_paragraph_as_prose(tmp_path):
    work = work_of(tmp_path, {"content/w/story.txt": "Mira walked to the sea, slowly.\n\nShe swam.\n"})
    assert work.meta.title == "W"
    assert len(work.paragraphs) == 2 and not work.notes


def test_last_story_paragraph_is_not_an_afterword(tmp_path):
    work = work_of(tmp_path, {"content/w/story.txt": "Title\n\nShe ran.\n\nHe followed her home.\n"})
    assert not work.notes and len(work.paragraphs) == 2


def test_byline_gives_the_author(tmp_path):
    work = work_of(tmp_path, {"content/w/story.txt": "The Long Road\n\nby Ana Writes\n\nMira walked.\n"})
    assert (work.meta.title, work.meta.author) == ("The Long Road", "Ana Writes")
    assert texts(work) == ["Mira walked."]


def test_headings_split_chapters_and_name_them(tmp_path):
    work = work_of(tmp_path, {"content/w/story.txt": (
        "Chapter 1: Rain\n\nIt rained.\n\nStill raining.\n\nChapter Two\n\nSun.\n\nEpilogue\n\nThe end came.\n")})
    assert [c.title for c in work.chapters] == ["Chapter 1: Rain", "Chapter Two", "Epilogue"]
    assert [(c.first_paragraph, c.last_paragraph) for c in work.chapters] == [(0, 1), (2, 2), (3, 3)]


def test_scene_break_lines_are_removed_and_start_scenes(tmp_path):
    work = work_of(tmp_path, {"content/w/story.txt": "Title\n\nOne.\n\n* * *\n\nTwo.\n\noOo\n\nThree.\n"})
    assert texts(work) == ["One.", "Two.", "Three."]
    assert [s.first_paragraph for s in work.scenes] == [0, 1, 2]
    assert all(s.strong for s in work.scenes)


def test_files_sorted_naturally_are_chapters(tmp_path):
    work = work_of(tmp_path, {f"content/w/chapter-{n}.txt": f"Text of part {n}." for n in (1, 2, 10)})
    assert [s.path.name for s in work.sources] == ["chapter-1.txt", "chapter-2.txt", "chapter-10.txt"]
    assert [c.title for c in work.chapters] == ["Chapter 1", "Chapter 2", "Chapter 3"]
    assert texts(work)[2] == "Text of part 10."


def test_heading_at_top_of_a_chapter_file_names_it(tmp_path):
    work = work_of(tmp_path, {"content/w/01.md": "# The Start\n\nText.\n", "content/w/02.md": "Chapter 2: Later\n\nMore.\n"})
    assert [c.title for c in work.chapters] == ["The Start", "Chapter 2: Later"]


def scene_story(n_scenes: int, words_per_scene: int) -> str:
    scenes = []
    for i in range(n_scenes):
        opener = "A few days later" if i else "At first"
        body = " ".join(["word"] * (words_per_scene - 5))
        scenes.append(f"{opener} Mira sat down.\n\n{body}.")
    return "Title\n\n" + "\n\n".join(scenes) + "\n"


def test_no_markers_split_only_at_scene_starts(tmp_path):
    work = work_of(tmp_path, {"content/w/story.txt": scene_story(6, 400)})
    starts = {s.first_paragraph for s in work.scenes}
    assert len(work.chapters) >= 2
    assert all(c.first_paragraph in starts for c in work.chapters)
    covered = [i for c in work.chapters for i in range(c.first_paragraph, c.last_paragraph + 1)]
    assert covered == list(range(len(work.paragraphs)))


def test_no_markers_never_splits_a_long_scene(tmp_path):
    work = work_of(tmp_path, {"content/w/story.txt": "Title\n\n" + "\n\n".join(
        "Mira ran on and on " + " ".join(["far"] * 300) + "." for _ in range(10)) + "\n",
        "content/w/work.toml": "chapter_words = 500\n"})
    assert len(work.scenes) == 1 and len(work.chapters) == 1


def test_work_toml_names_chapters(tmp_path):
    work = work_of(tmp_path, {"content/w/story.txt": scene_story(4, 600),
                              "content/w/work.toml": 'chapters = ["Beginnings"]\n'})
    assert work.chapters[0].title == "Beginnings" and work.chapters[1].title == "Chapter 2"


def test_split_none_makes_one_page(tmp_path):
    work = work_of(tmp_path, {"content/w/story.txt": scene_story(6, 400), "content/w/work.toml": 'split = "none"\n'})
    assert len(work.chapters) == 1


def test_a_last_scene_about_reading_is_story_not_afterword(tmp_path):
    work = work_of(tmp_path, {"content/w/story.txt": (
        "Title\n\nShe left.\n\n* * *\n\nYears later, she was still reading this story to her grandchildren.\n")})
    assert not work.notes
    assert texts(work)[-1].startswith("Years later")


@pytest.mark.parametrize("block,title", [
    ("CHAPTER I.\nDown the Rabbit-Hole", "CHAPTER I. Down the Rabbit-Hole"),
    ("        CHAPTER\n           1", "CHAPTER 1"),
    ("VOLUME II", "VOLUME II"),
])
def test_headings_over_several_lines(block, title):
    assert heading_title(block) == title


def test_title_from_the_folder_name(tmp_path):
    make_site(tmp_path, {"content/MyFirstFic/story.txt": "She ran, fast.\n"})
    work = analyse_work(load_work(tmp_path / "content" / "MyFirstFic", tmp_path))
    assert work.meta.title == "My First Fic"


def test_a_french_plain_text_work_is_split_at_its_chapitre_lines(tmp_path):
    story = ("Chapitre 1\n\n« Bonjour », dit Marie.\n\nElle partit.\n\n"
             "Chapitre 2 : Le retour\n\nLe lendemain, Paul revint.\n")
    work = work_of(tmp_path, {"content/w/histoire.txt": story})
    assert [c.title for c in work.chapters] == ["Chapitre 1", "Chapitre 2 : Le retour"]
