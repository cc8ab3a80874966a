"""Classify a changed site file (chapter, work config, template, static, site config); spot editor temps."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

# Kinds of change, from the narrowest to the widest effect on the site.
CHAPTER = "chapter"            # one text file of a work: that work's pages
WORK_CONFIG = "work-config"    # work.toml or a cast file: that work's pages
STATIC = "static"              # a theme's or the site's static/ file: that file only
TEMPLATE = "template"          # a theme's or the site's template: every page using it
SITE_CONFIG = "site-config"    # sitegen.toml: the whole site
OTHER = "other"                # another file under content/ or a theme: rebuild to be safe

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".docx"}
CONFIG_SUFFIXES = {".toml"}
SITE_CONFIG_NAMES = {"sitegen.toml"}
WATCHED_DIRS = ("content", "themes", "templates", "static")

_TEMP_SUFFIXES = (".swp", ".swo", ".swx", ".swpx", ".tmp", ".temp", ".bak", ".orig",
                  ".part", ".crdownload", ".kate-swp", "~", "___jb_tmp___", "___jb_old___")
_SED_TEMP = re.compile(r"^sed[A-Za-z0-9]{6}$")


@dataclass(frozen=True, order=True)
class Change:
    """One changed file: its kind, its path relative to the site, and the work it belongs to."""
    kind: str
    path: str                   # posix, relative to the site folder
    work: str | None = None     # the work's slug for CHAPTER and WORK_CONFIG

    def __str__(self) -> str:
        return f"{self.kind} {self.path}"


def is_editor_temp(name: str) -> bool:
    """True for the scratch files editors write around a save (vim, emacs, JetBrains, gedit, sed -i)."""
    return (name.startswith((".#", "#", ".")) or name == "4913"
            or name.endswith(_TEMP_SUFFIXES) or (name.startswith("#") and name.endswith("#"))
            or _SED_TEMP.match(name) is not None)


def classify(site_dir: Path, path: str | Path, *, output_dir: Path | None = None) -> Change | None:
    """The Change a file event on `path` stands for, or None when the site does not depend on it."""
    try:
        rel = PurePosixPath(Path(path).resolve().relative_to(site_dir.resolve()).as_posix())
    except ValueError:
        return None
    if output_dir is not None and _is_under(Path(path), output_dir):
        return None
    parts = rel.parts
    if not parts or any(is_editor_temp(p) for p in parts):
        return None
    if len(parts) == 1:
        return Change(SITE_CONFIG, str(rel)) if parts[0] in SITE_CONFIG_NAMES else None
    top = parts[0]
    if top == "content":
        return _classify_content(rel)
    if top == "templates":
        return Change(TEMPLATE, str(rel))
    if top == "static":
        return Change(STATIC, str(rel))
    if top == "themes" and len(parts) >= 3:
        area = parts[2]
        return Change({"templates": TEMPLATE, "static": STATIC}.get(area, OTHER), str(rel))
    return None


def _classify_content(rel: PurePosixPath) -> Change:
    """content/<work>/...: a chapter's text or the work's configuration (work.toml, cast files)."""
    parts = rel.parts
    work = parts[1] if len(parts) >= 3 else None
    if rel.suffix.lower() in TEXT_SUFFIXES:
        return Change(CHAPTER, str(rel), work)
    if rel.suffix.lower() in CONFIG_SUFFIXES:
        return Change(WORK_CONFIG, str(rel), work)
    return Change(OTHER, str(rel), work)


def _is_under(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
        return True
    except ValueError:
        return False


def describe(changes: frozenset[Change] | tuple[Change, ...]) -> str:
    """A short summary for the rebuild line: "chapter content/w/ch1.txt" or "3 changes (chapter, template)"."""
    changes = sorted(changes)
    if not changes:
        return "initial build"
    if len(changes) == 1:
        return str(changes[0])
    kinds = sorted({c.kind for c in changes})
    return f"{len(changes)} changes ({', '.join(kinds)})"
