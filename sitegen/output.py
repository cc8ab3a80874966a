"""Write a finished build into the output folder atomically, and never touch a folder sitegen did not make."""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
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
