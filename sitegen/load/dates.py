"""When each source file last changed: its last git commit while the file is tracked and unchanged
since, else its modification time (a fresh clone would otherwise date every chapter to the checkout)."""
from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from ..model import SourceText


@dataclass(frozen=True)
class GitDates:
    """What git said once: each tracked file unchanged since its last commit -> (that commit's time,
    the file's modification time when git was asked). An empty map outside a git work tree."""
    files: dict[Path, tuple[float, float]]


def _git(args: list[str], folder: Path) -> str | None:
    try:
        run = subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return run.stdout if run.returncode == 0 else None


def git_dates(folder: Path) -> GitDates:
    """Ask git (three commands) for the last commit of every tracked file under `folder` that has no
    uncommitted change; nothing when git or a work tree is missing."""
    top = _git(["rev-parse", "--show-toplevel"], folder) if folder.is_dir() else None
    if not top:
        return GitDates({})
    root = Path(top.strip())
    log = _git(["log", "--format=%x01%ct", "--name-only", "--no-renames", "--", str(folder.resolve())], root) or ""
    status = _git(["status", "--porcelain", "-z", "--untracked-files=no", "--", str(folder.resolve())], root) or ""
    dirty = {root / entry[3:] for entry in status.split("\0") if len(entry) > 3}
    times: dict[Path, float] = {}
    when = 0.0
    for line in log.splitlines():
        if line.startswith("\x01"):
            when = float(line[1:])
        elif line.strip():
            times.setdefault(root / line.strip(), when)          # the log is newest first
    files = {}
    for path, when in times.items():
        if path not in dirty and path.is_file():
            files[path.resolve()] = (when, path.stat().st_mtime)
    return GitDates(files)


def file_dates(sources: Sequence[SourceText], git: GitDates) -> tuple[float, ...]:
    """Each source's date: its last commit while the file is as git last saw it, else its modification time."""
    if not git.files:
        return tuple(src.modified for src in sources)
    out = []
    for src in sources:          # (a path git named is resolved already: resolving it again finds the same)
        known = git.files.get(src.path) or git.files.get(Path(src.path).resolve())
        out.append(known[0] if known is not None and known[1] == src.modified else src.modified)
    return tuple(out)
