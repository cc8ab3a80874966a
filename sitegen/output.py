"""Write a finished build into the output folder atomically, and never touch a folder sitegen did not make.

`write_output` (for `sitegen build`) writes the whole site into a fresh folder
and swaps it in; `update_output` (for the dev server) brings a folder that
write_output made up to date by writing only the files that changed.
"""
from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import tempfile
from pathlib import Path, PurePosixPath
from typing import Mapping

from .errors import SitegenError

MARKER = ".sitegen-output"
MARKER_TEXT = "This folder is made by sitegen and is replaced on every build. Do not keep your own files here.\n"


def made_by_sitegen(folder: Path) -> bool:
    return (folder / MARKER).is_file()


def check_output_folder(out_dir: Path, site_dir: Path) -> None:
    """Refuse an output folder that holds the user's own files."""
    out, site = out_dir.resolve(), site_dir.resolve()
    if out == site or out in site.parents or (site / "content").resolve().is_relative_to(out):
        raise SitegenError("the output folder would contain your site's own files", path=str(out_dir),
                           hint="choose an output folder inside your site, such as public/")
    if out.exists() and not out.is_dir():
        raise SitegenError("the output path is a file, not a folder", path=str(out_dir),
                           hint="choose another --out, or remove that file")
    if out.is_dir() and any(out.iterdir()) and not made_by_sitegen(out):
        raise SitegenError("the output folder is not empty and was not made by sitegen; "
                           "sitegen will not delete it", path=str(out_dir),
                           hint="choose another --out (or output in sitegen.toml), or empty that folder yourself")


def write_output(files: Mapping[str, bytes], out_dir: Path, site_dir: Path) -> None:
    """Write every file into a fresh folder beside out_dir, then swap it in."""
    check_output_folder(out_dir, site_dir)
    out = out_dir.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    try:
        for rel, data in files.items():
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        (staging / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
        swap_in(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def swap_in(staging: Path, out: Path) -> None:
    """Replace `out` (made by sitegen, or absent or empty) with `staging`.

    An empty folder the user made is kept and filled, never removed.
    """
    if not out.exists():
        os.replace(staging, out)
        return
    if not made_by_sitegen(out):
        for entry in staging.iterdir():
            os.replace(entry, out / entry.name)
        staging.rmdir()
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
    os.rmdir(old)
    os.replace(out, old)
    try:
        os.replace(staging, out)
    except OSError:
        os.replace(old, out)
        raise
    shutil.rmtree(old, ignore_errors=True)


def update_output(old_files: Mapping[str, bytes], new_files: Mapping[str, bytes], out_dir: Path) -> list[str]:
    """Bring out_dir from old_files to new_files: write only what changed, delete what is gone.

    out_dir must hold old_files as an earlier write_output or update_output
    wrote them, and must carry sitegen's marker (otherwise nothing is touched
    and SitegenError is raised). A file is unchanged when its bytes are the
    same object or equal; each changed file is written atomically (a temp file
    beside it, then os.replace). Returns the paths written or deleted.
    """
    out = Path(out_dir).resolve()
    if not made_by_sitegen(out):
        raise SitegenError("the output folder was not made by sitegen; sitegen will not change it",
                           path=str(out_dir), hint="choose another output folder, or empty that one yourself")
    gone = sorted(old_files.keys() - new_files.keys())
    for rel in gone:                      # first, so a folder that becomes a file (or back) is out of the way
        remove_output_file(out, output_path(out, rel))
    written = []
    for rel, data in new_files.items():
        old = old_files.get(rel)
        if old is data or old == data:
            continue
        write_atomically(output_path(out, rel), data)
        written.append(rel)
    return gone + written


def output_path(out: Path, rel: str) -> Path:
    """Where output file `rel` (a relative posix path) goes inside out; refuses anything that would leave it."""
    parts = PurePosixPath(rel).parts
    if not parts or PurePosixPath(rel).is_absolute() or ".." in parts or "\\" in rel or rel == MARKER:
        raise SitegenError(f"refusing to write an output file outside the output folder: {rel!r}", path=str(out))
    return out.joinpath(*parts)


def write_atomically(target: Path, data: bytes) -> None:
    """Write data to a temp file in target's folder, then rename it over target (readers see old or new)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")
    try:
        with open(temp, "xb") as f:       # not mkstemp: its files are private (0600), pages must stay readable
            f.write(data)
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def remove_output_file(out: Path, target: Path) -> None:
    """Delete one output file (if still there), then any folders it leaves empty, up to but not including out."""
    with contextlib.suppress(FileNotFoundError):
        target.unlink()
    folder = target.parent
    while folder != out and out in folder.parents:
        try:
            folder.rmdir()
        except OSError:          # not empty (or already gone): stop climbing
            return
        folder = folder.parent
