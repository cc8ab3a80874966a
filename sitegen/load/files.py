"""Find a site's works under content/ and read their text files and settings."""
from __future__ import annotations

import os
import re
from functools import lru_cache
from dataclasses import dataclass
from pathlib import Path

from .boundary import display, resolved_inside
from .cast import cast_from_tables, load_cast
from .config import byte_location, load_work_config, split_front_matter
from ..errors import SitegenError
from ..model import Character, SourceText
from ..text.slugs import slugify

TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".docx")     # a .docx is read as Markdown (importers.docx)


@dataclass(frozen=True)
class LoadedWork:
    """A work as read from disk: its files, settings and cast, nothing analysed yet."""
    slug: str
    folder: Path
    sources: tuple[SourceText, ...]
    body_starts: tuple[int, ...]         # offset after each file's front matter
    front_matter: dict
    config: dict
    cast: tuple[Character, ...]
    site_language: str = "en"            # sitegen.toml's language: the default when the text says nothing


@lru_cache(maxsize=8192)
def natural_key(name: str) -> tuple:
    """Sort key that puts chapter-2 before chapter-10 (remembered: a work's files are sorted at every rebuild)."""
    return tuple(int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", name))


def read_text(path: Path, display: str, modified: float | None = None) -> SourceText:
    if path.suffix.lower() == ".docx":
        return read_docx(path, display, modified)
    try:
        raw = path.read_bytes()
        modified = path.stat().st_mtime if modified is None else modified
    except OSError as e:
        raise SitegenError(f"cannot read file: {e.strerror}", path=display,
                           hint="check the file's permissions (sitegen needs to read it)") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise SitegenError("not UTF-8 text", location=byte_location(display, raw, e.start), path=display,
                           hint="save the file as UTF-8 (in most editors: Save As → Encoding → UTF-8)") from None
    return SourceText.from_text(path, text.replace("\r\n", "\n").replace("\r", "\n"), display, modified)


def read_docx(path: Path, display: str, modified: float | None = None) -> SourceText:
    """A .docx in a work folder, as the Markdown `sitegen import` would write (front matter from its properties)."""
    try:
        from ..importers.docx import docx_source
    except ImportError as e:                  # pragma: no cover - the importers' libraries are core dependencies
        raise SitegenError(f"cannot read .docx files: {e}", path=display,
                           hint="reinstall sitegen (pip install -e .) to get its dependencies") from None
    try:
        modified = path.stat().st_mtime if modified is None else modified
    except OSError as e:
        raise SitegenError(f"cannot read file: {e.strerror}", path=display) from None
    return SourceText.from_text(path, docx_source(path), display, modified)


def find_work_folders(content: Path, site_dir: Path | None = None) -> list[Path]:
    """The work folders under content/, naturally sorted; links only within the site; one folder per slug."""
    site = site_dir if site_dir is not None else content.parent
    if not content.is_dir():
        raise SitegenError("no content/ folder here", path=str(content),
                           hint="run sitegen in your site's folder; to start a site: sitegen new my-site "
                                "(or create content/<work-name>/story.txt)")
    try:
        entries = sorted(content.iterdir(), key=lambda p: natural_key(p.name))
    except OSError as e:
        raise SitegenError(f"cannot read the folder: {e.strerror}", path=display(content, site),
                           hint="check the folder's permissions (sitegen needs to read it)") from None
    folders, loose = [], []
    for p in entries:
        if p.name.startswith((".", "_")):
            continue
        shown = display(p, site)
        check_name(p.name, shown)
        resolved_inside(p, (site,), shown)
        if p.is_dir():
            folders.append(p)
        elif p.is_file() and p.suffix in TEXT_SUFFIXES:
            loose.append(p.name)
    if loose:
        raise loose_files_error(content, loose)
    if not folders:
        raise SitegenError("content/ has no works", path=str(content),
                           hint="create a folder per work: content/my-story/my-story.txt")
    by_slug: dict[str, Path] = {}
    for p in folders:
        other = by_slug.setdefault(slugify(p.name), p)
        if other is not p:
            raise SitegenError(f"the work folders {other.name!r} and {p.name!r} would both be published as "
                               f"{slugify(p.name)}/, and one would overwrite the other", path=str(content),
                               hint="rename one of them (a work's URL is its folder name in lower-case "
                                    "letters, digits and dashes)")
    return folders


def loose_files_error(content: Path, loose: list[str]) -> SitegenError:
    """Text files straight in content/: a work lives in a folder of its own (its URL is the folder's
    name), so the hint says how to move them: one file is one work; several are most often one work's
    chapters, which go into one folder together."""
    if len(loose) == 1:
        name = loose[0]
        return SitegenError(f"text file directly in content/: {name}", path=str(content / name),
                            hint=f"put each work in its own folder: content/{slugify(Path(name).stem)}/{name}")
    listed = ", ".join(loose[:3]) + (f" and {len(loose) - 3} more" if len(loose) > 3 else "")
    globs = " ".join(f"content/*{suffix}" for suffix in sorted({Path(name).suffix for name in loose}))
    return SitegenError(f"{len(loose)} text files directly in content/: {listed}", path=str(content / loose[0]),
                        hint="a work's files go in a folder of their own (its name is the work's URL): if they "
                             "are one work's chapters, move them together, e.g. mkdir content/my-story && "
                             f"mv {globs} content/my-story/; if they are separate works, give each a folder")


def check_name(name: str, shown: str) -> None:
    """A file name that is not valid UTF-8 cannot be shown or published: a clear error, not a crash."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        raise SitegenError(f"the file name {name!r} is not valid UTF-8", path=shown.encode("utf-8", "replace")
                           .decode("utf-8"), hint="rename the file (in a terminal: mv, with the name typed again)") \
            from None


class TextCache:
    """Keeps each file's SourceText while its size and modification time are unchanged (for rebuilds)."""

    def __init__(self):
        self._texts: dict[str, tuple[tuple[int, int], SourceText]] = {}       # by the path as a string

    def read(self, path: str | Path, display: str) -> SourceText:
        """The file's text (a string path is enough while it is unchanged: no Path is made for it)."""
        key = os.fspath(path)
        st = os.stat(key)
        stamp = (st.st_size, st.st_mtime_ns)
        hit = self._texts.get(key)
        if hit is not None and hit[0] == stamp and hit[1].display_path == display:
            return hit[1]
        src = read_text(Path(path), display, st.st_mtime)
        self._texts[key] = (stamp, src)
        return src

    def retain(self, paths: set[Path]) -> None:
        """Forget every file but these (the ones the last build read)."""
        keep = {os.fspath(p) for p in paths}
        self._texts = {p: hit for p, hit in self._texts.items() if p in keep}


def load_work(folder: Path, site_dir: Path, texts: TextCache | None = None) -> LoadedWork:
    """Read one work folder: its text files (naturally sorted), work.toml and cast."""
    def show(p: Path) -> str:
        try:
            return str(p.relative_to(site_dir))
        except ValueError:
            return str(p)
    shown = show(folder)
    # (a file's name joined to its folder's by hand: os.path.join for each of 200 files was 1 ms a save)
    shown_in, where = os.path.join(shown, ""), os.path.join(os.fspath(folder), "")
    try:
        with os.scandir(folder) as entries:
            found = {e.name: e for e in entries if e.name.lower().endswith(TEXT_SUFFIXES)
                     and not e.name.startswith((".", "_", "~$")) and not e.name.endswith("~")}
        names = sorted(found, key=natural_key)
        for name in names:
            check_name(name, shown_in + name)
            # (the folder is inside the site: only a link can lead out; realpath for every
            # file was 0.04 s of a 1M-word build)
            if found[name].is_symlink():
                resolved_inside(folder / name, (site_dir,), shown_in + name)
        names = [name for name in names if found[name].is_file()]
    except OSError as e:
        raise SitegenError(f"cannot read the work folder: {e.strerror}", path=shown,
                           hint="check the folder's permissions (sitegen needs to read it)") from None
    if not names:
        raise SitegenError("this work folder has no .txt, .md or .docx file", path=show(folder),
                           hint=f"add the story as {show(folder)}/story.txt (or .md)")
    resolved_inside(folder / "work.toml", (site_dir,), show(folder / "work.toml"))
    config = load_work_config(folder / "work.toml")
    sources, starts, front = [], [], {}
    for i, name in enumerate(names):
        display, path = shown_in + name, where + name
        src = texts.read(path, display) if texts is not None else read_text(Path(path), display)
        fm, start = split_front_matter(src.text, Path(display)) if not name.endswith(".txt") else ({}, 0)
        if i == 0:
            front = fm
        sources.append(src)
        starts.append(start)
    cast = cast_from_tables(config.get("characters", {}), show(folder / "work.toml"), folder / "work.toml")
    if config.get("cast"):
        cast_path = resolved_inside(folder / config["cast"], (site_dir,), show(folder / config["cast"]))
        if not cast_path.is_file():
            raise SitegenError(f"the cast file {config['cast']!r} does not exist", path=show(folder / "work.toml"),
                               hint=f"create {show(cast_path)} or fix `cast` in work.toml")
        cast = cast + load_cast(cast_path)
    return LoadedWork(slugify(folder.name), folder, tuple(sources), tuple(starts), front, config, cast)
