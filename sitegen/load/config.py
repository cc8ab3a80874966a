"""Read sitegen.toml, work.toml and Markdown front matter into plain settings."""
from __future__ import annotations

import datetime
import difflib
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path


from ..errors import SitegenError
from ..model import Location

SITE_KEYS = {"title", "base_url", "theme", "output", "language"}
WORK_KEYS = {"title", "author", "summary", "fandom", "rating", "warnings", "tags", "language",
             "characters", "cast", "chapter_words", "chapters", "quotes", "timeline", "split",
             # what an archive knows of a work (written by `sitegen import`, shown on the work page)
             "categories", "relationships", "series", "published", "updated", "word_count", "source_url",
             "notes", "end_notes", "chapter", "whole_work",
             # the work's status: "4/4" when complete, "3/?" or "3/12" while in progress
             "complete", "chapters_total"}
CHAPTER_KEYS = {"title", "summary", "notes", "end_notes", "updated"}
SERIES_KEYS = {"title", "position", "url"}
FRONT_MATTER_KEYS = {"title", "author", "summary", "tags", "fandom", "rating", "warnings", "language"}
# How speech is marked: "fic" / "british" / "american" say what double and single quotes mean;
# the others name the marks (dialogue.convention.MARK_CONVENTIONS).
QUOTE_CONVENTIONS = ("auto", "fic", "british", "american", "guillemets", "german", "polish", "reversed",
                     "cjk", "dash")
SPLIT_MODES = ("auto", "markers", "scenes", "none")


@dataclass(frozen=True)
class SiteConfig:
    title: str = "Stories"
    base_url: str = ""          # e.g. "https://example.org/fic/"; empty = relative links only
    theme: str = "default"
    output: Path = Path("public")
    language: str = "en"


def read_toml(path: Path) -> dict:
    """Parse a TOML file; a syntax error becomes a SitegenError at its line and column."""
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise SitegenError(f"cannot read the file: {e.strerror}", path=str(path),
                           hint="check the file's permissions (sitegen needs to read it)") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise SitegenError("not UTF-8 text", location=byte_location(str(path), raw, e.start), path=str(path),
                           hint="save the file as UTF-8 in your editor (Save As → Encoding → UTF-8)") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(e))
        message = re.sub(r"\s*\(at line.*\)", "", str(e)) or "invalid TOML"
        loc = Location(str(path), int(m.group(1)), int(m.group(2))) if m else None
        raise SitegenError(f"invalid TOML: {message}", location=loc, path=str(path),
                           hint='check quotes and brackets on that line: strings need "double quotes", '
                                'lists look like ["a", "b"]') from None


def byte_location(path: str, raw: bytes, offset: int) -> Location:
    """The line and column (in characters) of byte `offset` of a file's bytes."""
    line_start = raw.rfind(b"\n", 0, offset) + 1
    column = len(raw[line_start:offset].decode("utf-8", "replace")) + 1
    return Location(path, raw.count(b"\n", 0, offset) + 1, column)


def shown(path: Path | str) -> str:
    """A path as messages show it: relative to the current folder when it is inside it."""
    path = Path(path)
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve())) if path.is_absolute() else str(path)
    except (ValueError, OSError):
        return str(path)


def key_location(path: Path | str, key: str, table: str | None = None, shown_as: str | None = None) -> Location | None:
    """Where a settings file sets `key` (inside the `[table]` when given): its line and column, for
    messages; None when the file cannot be read or the key is not written plainly."""
    try:
        lines = Path(path).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    start = 0
    if table is not None:
        header = re.compile(r"\s*\[\s*%s\s*\]" % re.escape(table))
        start = next((n for n, text in enumerate(lines) if header.match(text)), 0)
    setting = re.compile(r"(\s*)[\"']?%s[\"']?\s*[=:]" % re.escape(key))
    for n in range(start, len(lines)):
        m = setting.match(lines[n])
        if m:
            return Location(shown_as or shown(path), n + 1, len(m.group(1)) + 1)
    return None


class Problems(list):
    """The mistakes found in one settings file, reported together (not one per run)."""

    def add(self, message: str, path: Path | str, hint: str = "", key: str | None = None,
            table: str | None = None) -> None:
        where = key_location(path, key, table) if key is not None else None
        self.append(SitegenError(message, location=where, path=shown(path), hint=hint))

    def raise_all(self) -> None:
        if len(self) == 1:
            raise self[0]
        if self:
            raise SitegenError(f"{len(self)} mistakes in {self[0].path}", path=self[0].path, problems=tuple(self))


def check_keys(data: dict, allowed: set[str], path: Path, what: str, problems: Problems | None = None) -> None:
    """Refuse unknown keys, naming the closest known one (all of them, into `problems` when given)."""
    found = Problems()
    for key in data:
        if key not in allowed:
            close = difflib.get_close_matches(str(key), sorted(allowed), n=1)
            hint = f"did you mean `{close[0]}`?" if close else f"known keys: {', '.join(sorted(allowed))}"
            table = what[1:-1] if what.startswith("[") and not what.startswith("[[") else None
            found.add(f"unknown key `{key}` in {what}", path, hint, key=str(key), table=table)
    if problems is None:
        found.raise_all()
    else:
        problems += found


def expect(data: dict, key: str, kind: type | tuple, path: Path, example: str, problems: Problems | None = None):
    """data[key] when it has the right type (or is missing); a wrong type is a mistake (added to `problems`)."""
    value = data.get(key)
    if value is not None and not isinstance(value, kind):
        message, hint = f"`{key}` has the wrong type ({type(value).__name__})", f"write it like: {example}"
        if problems is None:
            raise SitegenError(message, path=str(path), hint=hint)
        problems.add(message, path, hint, key=key)
        return None
    return value


def check_tables(data: dict, key: str, allowed: set[str], path: Path, example: str) -> None:
    """An array of tables ([[chapter]], [[series]]) whose keys are known and whose values are of their type."""
    tables = expect(data, key, list, path, example)
    for n, table in enumerate(tables or (), 1):
        if not isinstance(table, dict):
            raise SitegenError(f"`{key}` must be [[{key}]] tables", path=str(path), hint=example)
        check_keys(table, allowed, path, f"[[{key}]] number {n}")
        for k, v in table.items():
            kind = int if k == "position" else str
            if not isinstance(v, kind):
                raise SitegenError(f"[[{key}]] number {n}: `{k}` has the wrong type ({type(v).__name__})",
                                   path=str(path), hint=example)


def load_site_config(site_dir: Path) -> SiteConfig:
    """The site's sitegen.toml, or defaults when there is none. Every mistake in it is reported at once."""
    path = site_dir / "sitegen.toml"
    if not path.is_file():
        return SiteConfig()
    data = read_toml(path)
    problems = Problems()
    check_keys(data, SITE_KEYS, path, "sitegen.toml", problems)
    values = {key: expect(data, key, str, path, f'{key} = "..."', problems)
              for key in ("title", "base_url", "theme", "output", "language")}
    base_url = values["base_url"] or ""
    if base_url and not re.match(r"https?://[^/\s]+", base_url, re.I):
        problems.add(f"`base_url` must be a full http:// or https:// address, not {base_url!r}", path,
                     'for example: base_url = "https://example.org/my-fics/" (or leave it out)')
        base_url = ""
    problems.raise_all()
    if base_url and not base_url.endswith("/"):
        base_url += "/"
    return SiteConfig(title=values["title"] or "Stories", base_url=base_url,
                      theme=values["theme"] or "default", output=Path(values["output"] or "public"),
                      language=values["language"] or "en")


def load_work_config(path: Path) -> dict:
    """work.toml as a checked dict (missing file: empty). Every mistake in it is reported at once."""
    if not path.is_file():
        return {}
    data = read_toml(path)
    problems = Problems()
    check_keys(data, WORK_KEYS, path, "work.toml", problems)
    for key in ("title", "summary", "rating", "language", "cast", "source_url", "notes", "end_notes"):
        expect(data, key, str, path, f'{key} = "..."', problems)
    check_dates(data, path, problems)                  # a bare TOML date is fine too
    for key in ("author", "fandom"):                   # one, or a list (several authors or fandoms)
        if isinstance(data.get(key), list) and all(isinstance(v, str) for v in data[key]):
            continue
        expect(data, key, str, path, f'{key} = "..." or {key} = ["first", "second"]', problems)
    expect(data, "word_count", int, path, "word_count = 1234", problems)
    check_tables(data, "chapter", CHAPTER_KEYS, path, 'write [[chapter]] then title = "...", summary = "...", '
                                                      'notes = "...", end_notes = "..."')
    check_tables(data, "series", SERIES_KEYS, path, 'write [[series]] then title = "...", position = 2')
    for key in ("warnings", "tags", "chapters", "categories", "relationships"):
        value = expect(data, key, list, path, f'{key} = ["first", "second"]', problems)
        if value is not None and not all(isinstance(v, str) for v in value):
            problems.add(f"`{key}` must be a list of strings", path, f'write it like: {key} = ["first", "second"]',
                         key=key)
    words = expect(data, "chapter_words", int, path, "chapter_words = 1500", problems)
    if words is not None and words < 100:
        problems.add("`chapter_words` is too small", path, "use at least 100", key="chapter_words")
    for key, allowed in (("quotes", QUOTE_CONVENTIONS), ("split", SPLIT_MODES)):
        value = data.get(key)
        if value is not None and value not in allowed:
            close = difflib.get_close_matches(str(value).lower(), allowed, n=1)
            problems.add(f"`{key}` must be one of {', '.join(allowed)}", path,
                         f'did you mean {key} = "{close[0]}"?' if close else f'for example: {key} = "{allowed[0]}"',
                         key=key)
    timeline = expect(data, "timeline", list, path, "[[timeline]] tables", problems)
    whole = data.get("whole_work")
    if whole is not None and not isinstance(whole, bool) and whole != "auto":
        problems.add("`whole_work` must be true, false or \"auto\"", path,
                     'write whole_work = false (no entire-work page), true, or "auto"', key="whole_work")
    if timeline is not None and not all(isinstance(t, dict) for t in timeline):
        problems.add("`timeline` must be [[timeline]] tables", path,
                     'write [[timeline]] then scene = 2 and time = "Day 3"')
    problems.raise_all()
    return data


DATE_FORMATS = ("%b %d, %Y", "%B %d, %Y", "%d %b %Y", "%d %B %Y", "%b %d %Y", "%B %d %Y")


def iso_date(value, key: str, path: Path) -> str:
    """A work.toml date as "YYYY-MM-DD": a TOML date or date-time, a string that starts "YYYY-MM-DD", or
    one with the month named ("Dec 1, 2019", as archives write them). Other text is kept as written:
    shown on the page, but not used to date the feeds (see is_iso_date)."""
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()[:10]
    if not isinstance(value, str):
        raise SitegenError(f"`{key}` is not a date: {value!r}", path=str(path),
                           hint=f"write it like: {key} = 2024-03-09")
    if re.match(r"\d{4}-\d{2}-\d{2}(?!\d)", value):
        try:
            return datetime.date.fromisoformat(value[:10]).isoformat()
        except ValueError:
            pass
    for form in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(value.strip(), form).date().isoformat()
        except ValueError:
            continue
    return value


def is_iso_date(text: str) -> bool:
    return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", text))


def check_dates(data: dict, path: Path, problems: Problems | None = None) -> None:
    """The dates (`published`, `updated`, and `updated` in each [[chapter]]) become "YYYY-MM-DD" strings
    in place; `complete` and `chapters_total` are checked (mistakes into `problems` when given)."""
    def date(value, key: str):
        try:
            return iso_date(value, key, path)
        except SitegenError as e:
            if problems is None:
                raise
            problems.add(e.message, path, e.hint, key=key)
            return ""
    for key in ("published", "updated"):
        if key in data:
            data[key] = date(data[key], key)
    for table in data.get("chapter", ()) if isinstance(data.get("chapter"), list) else ():
        if isinstance(table, dict) and "updated" in table:
            table["updated"] = date(table["updated"], "updated")
    expect(data, "complete", bool, path, "complete = true", problems)
    total = expect(data, "chapters_total", int, path, "chapters_total = 12", problems)
    if total is not None and total < 1:
        message, hint = "`chapters_total` must be at least 1", "chapters_total = 12"
        if problems is None:
            raise SitegenError(message, path=str(path), hint=hint)
        problems.add(message, path, hint)


_FRONT = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*\n", re.S)


def split_front_matter(text: str, path: Path) -> tuple[dict, int]:
    """YAML front matter at the top of a .md file: (fields, offset where the body starts)."""
    m = _FRONT.match(text)
    body = m.group(1) or "" if m else ""
    if not m or body.startswith(("\n", " \n")) or (body.strip() and ":" not in body):
        return {}, 0            # no front matter: a story may open with a --- scene break
    import yaml                 # (here: only a file with front matter needs it, 0.03-0.06 s to import)
    try:
        data = yaml.safe_load(m.group(1) or "") or {}
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        loc = Location(str(path), mark.line + 2, mark.column + 1) if mark else None
        raise SitegenError(f"invalid front matter: {getattr(e, 'problem', e)}", location=loc, path=str(path),
                           hint="front matter is YAML between two --- lines, e.g. title: My Story") from None
    if not isinstance(data, dict):
        raise SitegenError("front matter must be key: value lines", path=str(path),
                           hint="for example:\n---\ntitle: My Story\nauthor: Me\n---")
    check_keys(data, FRONT_MATTER_KEYS, path, "front matter")
    for key in ("tags", "warnings"):
        if isinstance(data.get(key), str):
            data[key] = [t.strip() for t in data[key].split(",") if t.strip()]
        if key in data and not (isinstance(data[key], list) and all(isinstance(t, (str, int, float)) for t in data[key])):
            raise SitegenError(f"front matter `{key}` must be a list", path=str(path),
                               hint=f"write it like: {key}: [first, second]")
        if key in data:
            data[key] = [str(t) for t in data[key]]
    for key in FRONT_MATTER_KEYS - {"tags", "warnings"}:
        if key in data and isinstance(data[key], (list, dict)):
            raise SitegenError(f"front matter `{key}` must be a single value", path=str(path),
                               hint=f"write it like: {key}: My Story")
    return data, m.end()
