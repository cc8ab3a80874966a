"""Write a finished build into the output folder atomically, and never touch a folder sitegen did not make.

`write_output` (for `sitegen build`) writes the whole site into a fresh folder
and swaps it in; `update_output` (for the dev server) brings a folder that
write_output made up to date by writing only the files that changed.
"""
from __future__ import annotations

import contextlib
import ctypes
import fcntl
import glob
import os
import secrets
import shutil
from pathlib import Path, PurePosixPath
from typing import Mapping, NamedTuple

from .errors import SitegenError

MARKER = ".sitegen-output"
INPUT_FOLDERS = ("content", "templates", "static", "themes")
MARKER_TEXT = "This folder is made by sitegen and is replaced on every build. Do not keep your own files here.\n"


def made_by_sitegen(folder: Path) -> bool:
    return (folder / MARKER).is_file()


def check_output_folder(out_dir: Path, site_dir: Path) -> None:
    """Refuse an output folder that holds (or is among) the user's own files, or is not a folder."""
    out, site = out_dir.resolve(), site_dir.resolve()
    home = Path.home().resolve()
    inputs = [site / name for name in INPUT_FOLDERS]
    if out == site or out in site.parents or out == home or out in home.parents:
        raise SitegenError("the output folder would contain your site's own files (sitegen replaces the whole "
                           "output folder on every build)", path=str(out_dir),
                           hint="choose an output folder inside your site, such as public/")
    if any(out == d or out.is_relative_to(d.resolve()) for d in inputs):
        raise SitegenError("the output folder is inside one of your site's inputs (content/, templates/, static/, "
                           "themes/): the next build would read its own output", path=str(out_dir),
                           hint="choose an output folder of its own, such as public/")
    if out.exists() and not out.is_dir():
        raise SitegenError("the output path is a file, not a folder", path=str(out_dir),
                           hint="choose another --out, or remove that file")
    if out.is_dir() and any(out.iterdir()) and not made_by_sitegen(out):
        raise SitegenError("the output folder is not empty and was not made by sitegen; "
                           "sitegen will not delete it", path=str(out_dir),
                           hint="choose another --out (or output in sitegen.toml), or empty that folder yourself")


def staging_name(out: Path, kind: str) -> Path:
    """A folder beside `out` for a build in progress ("new") or the site it replaces ("old").

    Named so that the next build into `out` knows them as its own leftovers (see remove_leftovers)."""
    return out.parent / f".{out.name}.sitegen-{kind}-{os.getpid()}-{secrets.token_hex(4)}"


@contextlib.contextmanager
def output_lock(out: Path):
    """Hold the output folder's lock (a file beside it, removed after) while writing; another build
    holding it is an error. The lock is the operating system's (flock): a killed build releases it."""
    out.parent.mkdir(parents=True, exist_ok=True)
    path = out.parent / f".{out.name}.sitegen-lock"
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise SitegenError("another sitegen (a build, or sitegen serve writing its output) is writing this "
                               "output folder right now", path=str(out),
                               hint="wait for it to finish and build again, or stop the other sitegen") from None
        try:
            if os.stat(path).st_ino == os.fstat(fd).st_ino:
                break                    # still the lock file in place (not one a finishing build removed)
        except FileNotFoundError:
            pass
        os.close(fd)
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            os.unlink(path)
        os.close(fd)


def remove_leftovers(out: Path) -> None:
    """Remove what an interrupted build left beside `out` (call with the lock held: no build is running).

    If a build was killed between moving the old site aside and moving the new one in, the old site
    is put back first, so there is always a site."""
    prefix = f".{glob.escape(out.name)}.sitegen-"
    leftovers = sorted([*out.parent.glob(prefix + "new-*"), *out.parent.glob(prefix + "old-*")])
    if not out.exists():
        for old in (p for p in leftovers if ".sitegen-old-" in p.name and made_by_sitegen(p)):
            os.replace(old, out)
            leftovers.remove(old)
            break
    for path in leftovers:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)


def write_output(files: Mapping[str, bytes], out_dir: Path, site_dir: Path,
                 kept: Kept | None = None) -> dict[str, Stamp]:
    """Write every file into a fresh folder beside out_dir, then swap it in (holding the output's lock).

    `kept` is what the last build wrote there: a file with the same bytes that is still as
    written (the same stamp) is hard-linked into the new folder rather than written again, so
    the old site stays whole until the swap. Returns each file's stamp in the new site."""
    check_output_folder(out_dir, site_dir)
    out = out_dir.resolve()
    with output_lock(out):
        remove_leftovers(out)
        check_output_folder(out_dir, site_dir)
        staging = staging_name(out, "new")
        os.mkdir(staging)                       # mode 0777 less the umask, as the user's own folders get
        try:
            fill(staging, out, files, kept)
            with open(os.path.join(staging, MARKER), "w", encoding="utf-8") as f:
                f.write(MARKER_TEXT)
            swap_in(staging, out)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        return stamps(out, files)


Stamp = tuple[int, int, int]        # a written file's inode, size and modification time (ns)


class Kept(NamedTuple):
    """What a build wrote into the output folder: its files and their stamps there."""
    files: Mapping[str, bytes]
    stamps: Mapping[str, Stamp]


def stamp(st: os.stat_result) -> Stamp:
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def stamps(out: Path, files: Mapping[str, bytes]) -> dict[str, Stamp]:
    """Each file's stamp in the output folder (taken just after the swap: ours alone so far)."""
    base = str(out)
    found = {}
    for rel in files:
        with contextlib.suppress(OSError):
            found[rel] = stamp(os.stat(os.path.join(base, rel)))
    return found


def fill(staging: Path, out: Path, files: Mapping[str, bytes], kept: Kept | None) -> None:
    """Put every file in `staging`: linked from `out` where kept says it is there unchanged, else written."""
    base, old = str(staging), str(out)
    folders = {base}
    for rel, data in files.items():
        target = os.path.join(base, rel)
        folder = os.path.dirname(target)
        if folder not in folders:
            os.makedirs(folder, exist_ok=True)
            folders.add(folder)
        if kept is not None and link_kept(kept, rel, data, os.path.join(old, rel), target):
            continue
        with open(target, "xb") as f:
            f.write(data)


def link_kept(kept: Kept, rel: str, data: bytes, source: str, target: str) -> bool:
    """Hard-link the file the last build wrote, if its bytes are `data` and it is still as written."""
    was, written = kept.files.get(rel), kept.stamps.get(rel)
    if written is None or not (was is data or was == data):
        return False
    try:
        if stamp(os.lstat(source)) != tuple(written):
            return False
        os.link(source, target, follow_symlinks=False)
    except OSError:                 # gone, or a file system without hard links: write it
        return False
    return True


def swap_in(staging: Path, out: Path) -> None:
    """Replace `out` (made by sitegen, or absent or empty) with `staging`; `out` is always the old or new site.

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
    if exchange(staging, out):                  # one atomic step: staging now holds the old site
        shutil.rmtree(staging, ignore_errors=True)
        return
    old = staging_name(out, "old")              # no atomic exchange here: a kill between the two renames
    os.replace(out, old)                        # leaves the old site in `old`, and the next build puts it back
    try:
        os.replace(staging, out)
    except OSError:
        os.replace(old, out)
        raise
    shutil.rmtree(old, ignore_errors=True)


def exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux renameat2 RENAME_EXCHANGE); False where that is not available."""
    if _renameat2 is None:
        return False
    if _renameat2(-100, os.fsencode(a), -100, os.fsencode(b), 2) == 0:     # AT_FDCWD, RENAME_EXCHANGE
        return True
    return False


def _find_renameat2():
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return None
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    return fn


_renameat2 = _find_renameat2()


def update_output(old_files: Mapping[str, bytes], new_files: Mapping[str, bytes], out_dir: Path) -> list[str]:
    """Bring out_dir from old_files to new_files: write only what changed, delete what is gone.

    out_dir must hold old_files as an earlier write_output or update_output
    wrote them, and must carry sitegen's marker (otherwise nothing is touched
    and SitegenError is raised). A file is unchanged when its bytes are the
    same object or equal; each changed file is written atomically (a temp file
    beside it, then os.replace). Returns the paths written or deleted.
    """
    out = Path(out_dir).resolve()
    with output_lock(out):
        return _update(old_files, new_files, out, out_dir)


def _update(old_files: Mapping[str, bytes], new_files: Mapping[str, bytes], out: Path, out_dir: Path) -> list[str]:
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
