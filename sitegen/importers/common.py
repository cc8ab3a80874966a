"""Write an imported work as a work folder (chapter Markdown files and work.toml); re-import keeps the author's edits.

A folder made by `sitegen import` holds `.sitegen-import.json`, a record of what
the import wrote (each work.toml key's value and each file's hash). A later import
of the same work compares the folder with that record:

* a key or chapter file the author has not touched since is updated to what the
  file says now;
* one the author edited is kept as the author left it, and the report names it
  (with what the file says now), so nothing of the author's is lost;
* new chapters are added; a chapter file the import made, unedited, that the
  file no longer has is removed; an edited one stays;
* characters are only ever added: an existing `[characters.<id>]` is never changed.

A folder with files but no record was not made by the import: it is refused
unless `--force` is given. `--force` writes everything the file holds over what
the import would write (author's edits to those keys and files are replaced);
keys and files the import never writes (`quotes`, `split`, a cast file) stay.
"""
from __future__ import annotations

import hashlib
import json
import tomllib
from dataclasses import asdict, dataclass, field
from pathlib import Path

import tomlkit

from ..errors import SitegenError
from ..text.slugs import slugify
from ..model import ChapterInfo
from .markdown import escape_line_start, escape_text

RECORD = ".sitegen-import.json"
# work.toml keys in the order they are written.
META_ORDER = ("title", "author", "fandom", "rating", "warnings", "categories", "relationships", "tags", "language",
              "published", "updated", "word_count", "source_url", "summary", "notes", "end_notes", "series")


@dataclass(frozen=True)
class ImportedChapter:
    """One chapter as read from the file: its Markdown text and what the archive says about it
    (which becomes its [[chapter]] table in work.toml)."""
    markdown: str
    info: ChapterInfo = ChapterInfo()


@dataclass(frozen=True)
class ImportedWork:
    """Everything read from one file, before anything is written."""
    format: str                                   # "AO3 download (HTML)", ...
    meta: dict                                    # work.toml keys (see META_ORDER)
    chapters: tuple[ImportedChapter, ...]
    characters: tuple[str, ...] = ()              # the character tags: the start of the cast
    unread: tuple[str, ...] = ()                  # what the file has that could not be kept


@dataclass
class WriteResult:
    """What writing the folder did, for the report."""
    folder: Path
    written: list[str] = field(default_factory=list)        # files written or updated
    kept: list[str] = field(default_factory=list)           # author's edits kept, with why
    removed: list[str] = field(default_factory=list)
    first: bool = True                                      # no earlier import in this folder


def work_slug(work: ImportedWork, slug: str | None) -> str:
    return slugify(slug or work.meta.get("title") or "work")


def chapter_files(work: ImportedWork, slug: str) -> dict[str, str]:
    """File name -> Markdown text. One chapter: `<slug>.md` starting with the title line, as sitegen
    expects of a one-file work; several: `chapter-01.md`, `chapter-02.md`, ..."""
    if len(work.chapters) == 1:
        title = escape_line_start(escape_text(work.meta.get("title", "")))
        body = work.chapters[0].markdown.strip()
        return {f"{slug}.md": (f"{title}\n\n{body}\n" if title else f"{body}\n")}
    width = max(2, len(str(len(work.chapters))))
    return {f"chapter-{n:0{width}d}.md": ch.markdown.strip() + "\n" for n, ch in enumerate(work.chapters, 1)}


def character_id(name: str, taken: set[str]) -> str:
    base = slugify(name.split("(")[0]) or "character"
    cid, n = base, 2
    while cid in taken:
        cid, n = f"{base}-{n}", n + 1
    taken.add(cid)
    return cid


def toml_data(work: ImportedWork) -> dict:
    """work.toml as plain data: the work's keys, a [[chapter]] per chapter with anything to say, the cast."""
    data = {k: work.meta[k] for k in META_ORDER if work.meta.get(k) not in (None, "", [], ())}
    chapters = [{k: v for k, v in asdict(c.info).items() if v} for c in work.chapters]
    if any(chapters):
        data["chapter"] = chapters
    taken: set[str] = set()
    if work.characters:
        data["characters"] = {character_id(name, taken): {"name": name} for name in work.characters}
    return data


def toml_item(value):
    """A tomlkit item: multi-line strings as \"\"\"...\"\"\", lists of tables as [[arrays]]."""
    if isinstance(value, str) and "\n" in value:
        return tomlkit.string(value, multiline=True)
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        aot = tomlkit.aot()
        for v in value:
            aot.append(toml_item(v))
        return aot
    if isinstance(value, dict):
        table = tomlkit.table()
        for k, v in value.items():
            table[k] = toml_item(v)
        return table
    return value


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_record(folder: Path) -> dict | None:
    path = folder / RECORD
    try:
        return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None
    except (OSError, ValueError):
        return None


def current_toml(folder: Path) -> tuple[dict, tomlkit.TOMLDocument]:
    path = folder / "work.toml"
    if not path.is_file():
        return {}, tomlkit.document()
    text = path.read_text(encoding="utf-8")
    try:
        return tomllib.loads(text), tomlkit.parse(text)
    except Exception as e:                     # tomllib's and tomlkit's errors alike
        raise SitegenError(f"work.toml is not valid TOML, so the import cannot merge into it: {e}",
                           path=str(path), hint="fix work.toml first, or add --force to write a new one") from None


def merge_toml(new: dict, last: dict, cur: dict, doc: tomlkit.TOMLDocument, force: bool,
               result: WriteResult) -> bool:
    """Update `doc` key by key ([[chapter]] tables field by field); True when it changed."""
    changed = False
    for key in [*new, *(k for k in last if k not in new)]:
        if key == "characters":
            continue
        now, before, mine = new.get(key), last.get(key), cur.get(key)
        if key == "chapter":
            value = merge_chapters(now or [], before or [], mine or [], force, result) or None
        else:
            value = follow(f"`{key}`", now, before, mine, force, result)
        if value == mine:
            continue
        if value is None:
            doc.pop(key, None)
        else:
            doc[key] = toml_item(value)
        changed = True
    cast = cur.get("characters", {}) if isinstance(cur.get("characters"), dict) else {}
    names = {t.get("name") for t in cast.values() if isinstance(t, dict)}
    gone = {t.get("name") for t in last.get("characters", {}).values()}       # the author removed them
    for cid, table in new.get("characters", {}).items():
        if table["name"] in names or (table["name"] in gone and not force) or cid in cast:
            continue
        if "characters" not in doc:
            doc["characters"] = tomlkit.table(is_super_table=True)
        doc["characters"][cid] = toml_item(table)
        changed = True
    return changed


def follow(label: str, now, before, mine, force: bool, result: WriteResult):
    """The file's value when the author has not changed this one since the last import (or with
    --force); else the author's, named in the report when the file changed it too."""
    if force or mine == before:
        return now
    if now != before:
        result.kept.append(f"work.toml {label}: kept your edit; the file now says {short(now)}")
    return mine


def merge_chapters(now: list, before: list, mine: list, force: bool, result: WriteResult) -> list:
    """[[chapter]] tables merged field by field, so an edit to one chapter's notes keeps the
    file's changes to the others; a table the file no longer has goes unless the author edited it."""
    out = []
    for i in range(max(len(now), len(mine))):
        n, b, m = (now[i] if i < len(now) else {}), (before[i] if i < len(before) else {}), \
            (mine[i] if i < len(mine) else {})
        if i >= len(now) and (force or m == b):
            continue
        table = {f: v for f in dict.fromkeys([*n, *b, *m])
                 if (v := follow(f"[[chapter]] {i + 1} `{f}`", n.get(f), b.get(f), m.get(f), force, result)) is not None}
        out.append(table)
    return out


def short(value) -> str:
    text = json.dumps(value, ensure_ascii=False) if value is not None else "nothing (removed)"
    return text if len(text) <= 70 else text[:67] + "...\""


def check_folder(folder: Path, record: dict | None, force: bool, work: ImportedWork) -> None:
    if folder.exists() and not folder.is_dir():
        raise SitegenError("a file is in the way of the work folder", path=str(folder),
                           hint="choose another name with --slug")
    mine = folder.is_dir() and any(not p.name.startswith(".") for p in folder.iterdir())
    if mine and record is None and not force:
        raise SitegenError("this folder exists and was not made by `sitegen import`; nothing was written",
                           path=str(folder), hint="choose another name with --slug NAME, or add --force to write "
                                                  "the imported chapters and work.toml into it (its other files stay)")
    before = (record or {}).get("toml", {})
    for key in ("source_url", "title"):            # the same work, updated? its URL (else its title) says so
        if before.get(key) and work.meta.get(key):
            if before[key] != work.meta[key] and not force:
                raise SitegenError(f"this folder holds another work ({before[key]}, not {work.meta[key]}); "
                                   "nothing was written", path=str(folder),
                                   hint="choose another name with --slug NAME, or add --force to import over it")
            break


def write_work(work: ImportedWork, folder: Path, *, force: bool = False) -> WriteResult:
    """Write (or update) the work folder; see the module's docstring for what a re-import keeps."""
    record = read_record(folder)
    check_folder(folder, record, force, work)
    result = WriteResult(folder, first=record is None)
    record = record or {"toml": {}, "files": {}}
    files = chapter_files(work, folder.name)
    new_toml = toml_data(work)
    try:
        cur, doc = current_toml(folder)
    except SitegenError:
        if not force:
            raise
        cur, doc = {}, tomlkit.document()
    folder.mkdir(parents=True, exist_ok=True)
    hashes = {}
    for name, text in files.items():
        hashes[name] = write_chapter(folder / name, text, record["files"].get(name), force, result)
    for name, old in record["files"].items():
        path = folder / name
        if name not in files and path.is_file():
            if digest(path.read_text(encoding="utf-8")) == old or force:
                path.unlink()
                result.removed.append(name)
            else:
                result.kept.append(f"{name}: the file no longer has this chapter; kept because you edited it")
    if merge_toml(new_toml, record["toml"], cur, doc, force, result) or not (folder / "work.toml").is_file():
        (folder / "work.toml").write_text(tomlkit.dumps(doc), encoding="utf-8")
        result.written.append("work.toml")
    (folder / RECORD).write_text(json.dumps({"format": work.format, "toml": new_toml, "files": hashes},
                                            ensure_ascii=False, indent=1), encoding="utf-8")
    return result


def write_chapter(path: Path, text: str, recorded: str | None, force: bool, result: WriteResult) -> str:
    """Write one chapter file unless the author edited it since the last import; its new hash."""
    if path.is_file():
        now = path.read_text(encoding="utf-8")
        if now == text:
            return digest(text)
        if not force and (recorded is None or digest(now) != recorded):
            result.kept.append(f"{path.name}: you edited it since the last import; kept "
                               "(add --force to replace it with the file's text)")
            return recorded or ""
    path.write_text(text, encoding="utf-8")
    result.written.append(path.name)
    return digest(text)
