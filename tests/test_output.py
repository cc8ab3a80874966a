"""The output folder: write_output's whole-folder swap and update_output's incremental writes."""
from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.errors import SitegenError
from sitegen.output import MARKER, update_output, write_output


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under folder (posix relative path -> bytes), the marker included."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def folders(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_dir()}


@pytest.fixture
def site(tmp_path: Path) -> Path:
    (tmp_path / "site" / "content").mkdir(parents=True)
    return tmp_path / "site"


OLD = {"index.html": b"home", "w/chapter-1.html": b"one", "w/chapter-2.html": b"two",
       "w/all.html": b"one two", "static/css/site.css": b"body{}", "gone/deep/page.html": b"bye"}


def test_only_changed_files_are_written_and_the_result_equals_a_full_write(site: Path):
    out = site / "public"
    write_output(OLD, out, site)
    inodes = {rel: (out / rel).stat().st_ino for rel in OLD}
    new = dict(OLD, **{"w/chapter-2.html": b"TWO", "w/all.html": b"one TWO", "w/chapter-3.html": b"three"})
    del new["gone/deep/page.html"]
    new["index.html"] = bytes(bytearray(OLD["index.html"]))          # equal bytes, another object

    touched = update_output(OLD, new, out)

    assert sorted(touched) == ["gone/deep/page.html", "w/all.html", "w/chapter-2.html", "w/chapter-3.html"]
    assert tree(out) == dict(new, **{MARKER: (out / MARKER).read_bytes()})
    for rel in ("index.html", "w/chapter-1.html", "static/css/site.css"):
        assert (out / rel).stat().st_ino == inodes[rel], f"{rel} is unchanged and must not be rewritten"
    assert "gone" not in folders(out), "folders left empty are removed"
    full = site / "full"
    write_output(new, full, site)
    assert tree(full) == tree(out)


def test_a_file_may_become_a_folder_and_back(site: Path):
    out = site / "public"
    write_output(OLD, out, site)
    as_folder = {k: v for k, v in OLD.items() if not k.startswith("w/")} | {"w": b"now a file"}
    update_output(OLD, as_folder, out)
    assert (out / "w").read_bytes() == b"now a file"
    update_output(as_folder, OLD, out)
    assert tree(out) == dict(OLD, **{MARKER: (out / MARKER).read_bytes()})


def test_written_files_are_as_readable_as_a_full_write_makes_them(site: Path):
    out = site / "public"
    write_output(OLD, out, site)
    update_output(OLD, dict(OLD, **{"index.html": b"new home", "new.html": b"new"}), out)
    mode = (out / "w" / "chapter-1.html").stat().st_mode & 0o777
    assert (out / "index.html").stat().st_mode & 0o777 == mode
    assert (out / "new.html").stat().st_mode & 0o777 == mode


def test_nothing_changed_writes_nothing(site: Path):
    out = site / "public"
    write_output(OLD, out, site)
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*")}
    assert update_output(OLD, dict(OLD), out) == []
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*")} == before


def test_no_temp_files_are_left_behind(site: Path):
    out = site / "public"
    write_output(OLD, out, site)
    update_output(OLD, dict(OLD, **{"w/chapter-1.html": b"ONE"}), out)
    assert sorted(p.name for p in (out / "w").iterdir()) == ["all.html", "chapter-1.html", "chapter-2.html"]
    assert sorted(p.name for p in out.parent.iterdir()) == ["content", "public"]


def test_a_failed_write_leaves_no_temp_file_and_the_old_file(site: Path):
    out = site / "public"
    write_output(OLD, out, site)
    (out / "w" / "chapter-9.html").mkdir()                         # a folder where a page should go
    with pytest.raises(OSError):
        update_output(OLD, dict(OLD, **{"w/chapter-9.html": b"nine"}), out)
    assert not [p for p in (out / "w").iterdir() if p.name.endswith(".tmp")]


def test_a_folder_sitegen_did_not_make_is_never_touched(site: Path):
    out = site / "mine"
    out.mkdir()
    (out / "w").mkdir()
    (out / "w" / "chapter-1.html").write_bytes(b"my own")
    (out / "notes.txt").write_bytes(b"keep me")
    before = tree(out)
    with pytest.raises(SitegenError, match="not made by sitegen"):
        update_output({"notes.txt": b"keep me", "w/chapter-1.html": b"x"}, {"w/chapter-1.html": b"new"}, out)
    assert tree(out) == before


@pytest.mark.parametrize("rel", ["../escape.html", "/etc/passwd", "w/../../escape.html", MARKER, "a\\..\\b"])
def test_paths_outside_the_folder_are_refused(site: Path, rel: str):
    out = site / "public"
    write_output(OLD, out, site)
    before = tree(out)
    with pytest.raises(SitegenError, match="outside the output folder"):
        update_output(OLD, dict(OLD, **{rel: b"evil"}), out)
    with pytest.raises(SitegenError, match="outside the output folder"):
        update_output(dict(OLD, **{rel: b"evil"}), OLD, out)
    assert tree(out) == before and not (site / "escape.html").exists()


def test_the_dev_server_writer_writes_whole_then_incrementally_and_recovers(site: Path):
    from types import SimpleNamespace
    from sitegen.serve.builder import SiteBuilder

    builder = SiteBuilder(site)
    out = site / "public"
    builder.write(SimpleNamespace(files=OLD))
    assert (out / MARKER).is_file() and tree(out) == dict(OLD, **{MARKER: (out / MARKER).read_bytes()})
    kept = (out / "index.html").stat().st_ino
    new = dict(OLD, **{"w/chapter-1.html": b"ONE"})
    builder.write(SimpleNamespace(files=new))
    assert (out / "w/chapter-1.html").read_bytes() == b"ONE" and (out / "index.html").stat().st_ino == kept

    import shutil
    shutil.rmtree(out)                                   # the user removed public/: written whole again
    builder.write(SimpleNamespace(files=new))
    assert tree(out) == dict(new, **{MARKER: (out / MARKER).read_bytes()})

    (out / "w" / "chapter-9.html").mkdir()               # in the way of a new page: written whole instead
    builder.write(SimpleNamespace(files=dict(new, **{"w/chapter-9.html": b"nine"})))
    assert (out / "w" / "chapter-9.html").read_bytes() == b"nine"
