"""packed.py: a tuple kept pickled until read (Packed) and sequences read as one (Joined) behave as the
tuples they stand for; a kept cache loads each file's quotes packed, and a build after one file
changed unpickles the quotes of the chapters it makes again, not every file's."""
from __future__ import annotations

import pickle

from conftest import make_site
from sitegen import store
from sitegen.build import build, build_site
from sitegen.model import Quote
from sitegen.packed import Joined, Packed
from sitegen.stages.files import FileAnalysis


def test_packed_and_joined_read_as_the_tuples_they_stand_for():
    parts = [(1, 2, 3), (), (4,), (), (5, 6, 7, 8), ()]
    whole = tuple(x for part in parts for x in part)
    for kept in (Joined(parts), Joined([Packed.of(p) for p in parts]), Packed.of(whole)):
        assert len(kept) == len(whole) and tuple(kept) == whole and kept == whole and whole == kept
        for i in range(-len(whole), len(whole)):
            assert kept[i] == whole[i], i
        for start in range(-2, len(whole) + 2):
            for stop in range(-2, len(whole) + 2):
                for step in (None, 2, -1):
                    assert tuple(kept[start:stop:step]) == whole[start:stop:step], (start, stop, step)
    assert Joined([]) == () and len(Joined([(), ()])) == 0


def test_a_packed_tuple_is_unpickled_only_when_read_and_pickles_as_it_was_kept():
    quotes = (Quote(0, 1, 9, "speech", "ann", 0.5, '"Hi"'), Quote(0, 12, 20, "thought", None, 0.2, "'Hm'"))
    kept = pickle.loads(pickle.dumps(Packed.of(quotes)))
    assert len(kept) == 2 and not kept.read
    assert pickle.loads(pickle.dumps(kept)) == quotes and not kept.read        # written again as it came
    assert kept[1] == quotes[1] and kept.read


def _chapter(n: int) -> str:
    return "\n\n".join([f"Chapter {n}"] + [f'"Line {k} of chapter {n}," Mara said. Jonah nodded {k} times.'
                                          for k in range(12)]) + "\n"


def test_a_build_after_one_file_changed_unpickles_few_kept_files_quotes(tmp_path):
    names = [f"content/tide/{n:02}.txt" for n in range(1, 17)]
    site = make_site(tmp_path / "site", {"content/tide/work.toml": 'title = "Tide"\nauthor = "T"\n',
                                         **{name: _chapter(n) for n, name in enumerate(names, 1)}})
    build(site, keep=True)
    changed = site / names[8]
    changed.write_text(changed.read_text(encoding="utf-8").replace("nodded 3", "nodded three"), encoding="utf-8")
    cache = store.Store(site).cache()
    analyses = [v for v in cache.files.values() if isinstance(v, FileAnalysis)]
    assert len(analyses) == 16 and all(isinstance(fa.quotes, Packed) and not fa.quotes.read for fa in analyses)
    result = build_site(site, cache=cache)
    read = sum(fa.quotes.read for fa in analyses)
    assert read <= 2, f"{read} of 15 unchanged files' quotes were unpickled (the changed one's neighbours at most)"
    assert dict(result.files) == dict(build_site(site).files)


def test_a_build_after_one_file_changed_counts_the_marks_and_words_of_that_file_alone(tmp_path, monkeypatch):
    """The work-wide guesses (the quote marks' style, the language) are made from counts kept by each
    text's digest: a kept build after one file changed counts that file's marks and guesses the language
    again only if one of the texts it reads changed."""
    import sitegen.build as build_module
    import sitegen.stages.meta as meta_module
    names = [f"content/tide/{n:02}.txt" for n in range(1, 7)]
    site = make_site(tmp_path / "site", {"content/tide/work.toml": 'title = "Tide"\nauthor = "T"\n',
                                         **{name: _chapter(n) for n, name in enumerate(names, 1)}})
    build(site, keep=True)
    counted, guessed = [], []
    real_counts, real_guess = build_module.mark_counts, meta_module.detect_language
    monkeypatch.setattr(build_module, "mark_counts", lambda text: counted.append(text) or real_counts(text))
    monkeypatch.setattr(meta_module, "detect_language", lambda text: guessed.append(text) or real_guess(text))
    changed = site / names[4]
    changed.write_text(changed.read_text(encoding="utf-8").replace("nodded 3", "nodded three"), encoding="utf-8")
    result = build(site, keep=True)
    assert len(counted) == 1 and "nodded three" in counted[0], f"{len(counted)} texts' marks were counted"
    assert guessed == [], "the language was guessed again though its sample (the first files) is unchanged"
    assert dict(result.files) == dict(build_site(site).files)
