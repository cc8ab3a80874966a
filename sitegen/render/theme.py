"""Find templates and static files: the site's own → the chosen theme → its parents → the built-in default."""
from __future__ import annotations

import contextlib
import re
import tomllib
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path
from typing import Iterable, Mapping

import jinja2

from ..load.boundary import resolved_inside
from ..load.config import read_toml
from ..errors import SitegenError

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")

@lru_cache(maxsize=1)
def builtin_themes() -> Path:
    """The folder of the themes sitegen ships: the package `sitegen.themes` (the repository's themes/,
    mapped into the wheel and the editable install by setup.py), found wherever sitegen is installed."""
    try:
        folder = resources.files("sitegen.themes")
    except ModuleNotFoundError:
        folder = None
    if not isinstance(folder, Path) or not folder.is_dir():
        raise SitegenError("sitegen's built-in themes are missing from this installation",
                           hint="install sitegen with pip from its folder (pip install . or pip install -e .), "
                                "which puts themes/ inside the package; an editable install made before "
                                "sitegen.themes existed needs `pip install -e .` once more")
    return folder


@dataclass(frozen=True)
class Theme:
    """The ordered folders a site's look is assembled from, most specific first."""
    name: str
    template_dirs: tuple[Path, ...]
    static_dirs: tuple[Path, ...]
    site_dir: Path | None = None          # files are read only inside it (or the built-in themes)


def theme_folders(site_dir: Path, name: str, where: str = "sitegen.toml") -> list[Path]:
    """The site's own themes/<name> and the built-in one of that name (either may be missing, not both)."""
    if not isinstance(name, str) or not _NAME.match(name):
        raise SitegenError(f"a theme name is a folder name under themes/, not {name!r}", path=where,
                           hint='for example: theme = "default" (or extends = "default" in theme.toml)')
    bases = (site_dir / "themes", builtin_themes())
    found = [base / name for base in bases if (base / name).is_dir() and not name.startswith(("_", "."))]
    if found:
        return list(dict.fromkeys(resolved_inside(p, (site_dir, bases[1]), str(p)) for p in found))
    known = theme_names(site_dir)
    raise SitegenError(f"no theme named {name!r}", path=str(site_dir / "themes"),
                       hint=f"available themes: {', '.join(known) or 'default'}; or create themes/{name}/templates/")


def theme_names(site_dir: Path) -> list[str]:
    """Every theme a site can name: its own themes/<name>/ and the built-in ones."""
    return sorted({p.name for base in (site_dir / "themes", builtin_themes()) if base.is_dir()
                   for p in base.iterdir() if p.is_dir() and not p.name.startswith(("_", "."))})


def resolve_theme(site_dir: Path, name: str) -> Theme:
    """The theme chain: a theme may name a parent in theme.toml (`extends = "default"`)."""
    chain, seen = [], set()
    current: str | None = name
    where = "sitegen.toml"
    while current and current not in seen:
        seen.add(current)
        folders = theme_folders(site_dir, current, where)
        chain += folders
        parent = None
        for meta in (f / "theme.toml" for f in folders):
            if meta.is_file() and parent is None:
                parent, where = read_toml(meta).get("extends"), str(meta)
                if parent is not None:
                    theme_folders(site_dir, parent, where)          # a name, of a theme that exists
        current = parent or ("default" if current != "default" else None)
    template_dirs = [site_dir / "templates"] + [f / "templates" for f in chain]
    static_dirs = [site_dir / "static"] + [f / "static" for f in chain]
    return Theme(name, tuple(d for d in template_dirs if d.is_dir()), tuple(d for d in static_dirs if d.is_dir()),
                 site_dir)


class KeptTemplates(jinja2.FileSystemBytecodeCache):
    """Compiled templates kept on disk (store.py) by each template's path and text; a damaged file
    is compiled again, not an error."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:
            bucket.reset()


def make_environment(theme: Theme, compiled: jinja2.BytecodeCache | None = None) -> jinja2.Environment:
    """Jinja2 with autoescape on and StrictUndefined: a typo in a template is an error, not an empty string.
    Templates translate their words with `t("Reading settings")` (see `translate`). `compiled` keeps
    the compiled templates between runs (store.py)."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader([str(d) for d in theme.template_dirs]),
                             autoescape=True, undefined=jinja2.StrictUndefined, bytecode_cache=compiled,
                             trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    return with_strings(env)


def compile_templates(env: jinja2.Environment) -> None:
    """Every page template of the environment compiled now, into its bytecode cache if it has one (the
    kept cache, store.py: a helper process does this while the analysis runs, and the build's own
    process then loads them compiled instead of compiling them after it). A template with a mistake is
    skipped: the page that uses it reports it when it is rendered."""
    for name in env.list_templates(filter_func=lambda n: n.endswith((".html", ".xml"))):
        with contextlib.suppress(jinja2.TemplateError):
            env.get_template(name)


def with_strings(env: jinja2.Environment) -> jinja2.Environment:
    """`env` with the `t` global that translates a page's words (see `translate`) and the `number` filter."""
    env.globals["t"] = translate
    env.filters["number"] = number
    env.extend(strings_tables={})                  # language code -> the theme's table, read once
    return env


@jinja2.pass_context
def translate(context, text: str, **values) -> str:
    """The page's words in its language: `t("Chapter {n} of {count}", n=2, count=5)`.

    The page's language is its work's (`language` in work.toml, or detected), else the site's.
    A theme's strings are tables, one per language, in `templates/strings/<code>.toml`
    ("Reading settings" = "Réglages de lecture"), merged along the template folders (the site's own
    templates/strings/ over the theme's, over its parents', over the default's); English, or a
    string no table has, is the text itself. A string with a count may be given a form per plural
    category, `"{n} scenes" = { one = "{n} scène", other = "{n} scènes" }`: the form is chosen by
    the value of `n` (or `count`) in the page's language (`plural_category`)."""
    language = page_language(context)
    return said(strings(context.environment, language).get(text, text), language, values)


def said(found: str | Mapping, language: str, values: Mapping) -> str:
    """A strings table's entry for a text (the text itself where the table has none) with its values
    filled in, in the plural form the count (`n`, else `count`) takes in `language`."""
    if isinstance(found, Mapping):
        count = values.get("n", values.get("count"))
        found = found.get(plural_category(language, count), found["other"])
    return found.format(**values) if values else found


@dataclass(frozen=True)
class Words:
    """The strings table's entries for some texts, for words written outside the templates (the EPUB's,
    the chart's, characters.css): `words("{n} scenes", n=3)` says what `t` would on the work's pages.
    Hashable, so a page or a memo that uses them is keyed by them; English (the texts themselves) by default."""
    language: str = "en"
    entries: tuple[tuple[str, str | tuple[tuple[str, str], ...]], ...] = ()

    def __call__(self, text: str, **values) -> str:
        found = self._table.get(text, text)
        return said(dict(found) if isinstance(found, tuple) else found, self.language, values)

    @cached_property
    def _table(self) -> dict:
        return dict(self.entries)


def words_of(env: jinja2.Environment, language: str, texts: Iterable[str]) -> Words:
    """The Words of the theme's strings table for `language` (a work's or site's) for these texts."""
    code = language_code(language or "en")
    table = strings(env, code)
    return Words(code, tuple((t, v if isinstance(v, str) else tuple(sorted(v.items())))
                             for t in texts if (v := table.get(t)) is not None))


@jinja2.pass_context
def number(context, value: int) -> str:
    """`{{ work.words|number }}`: a count with its thousands grouped the page language's way (8,803;
    8 803 in French): the strings table's "thousands separator", else a comma."""
    separator = strings(context.environment, page_language(context)).get("thousands separator", ",")
    return f"{value:,}".replace(",", separator) if isinstance(separator, str) else f"{value:,}"


def page_language(context) -> str:
    """The language code of the page being rendered: its work's, else the site's, else English."""
    work = context.get("work")
    language = getattr(work, "language", "") if work is not None else ""
    if not language:
        language = getattr(context.get("site"), "language", "") or "en"
    return language_code(str(language))


@lru_cache(maxsize=64)
def language_code(language: str) -> str:
    """"fr" of "fr-CA" or "FR_fr": the part the strings tables are named by (asked on every `t`)."""
    return re.split(r"[-_]", language.lower())[0]


# Languages whose "one" form also takes 0 (CLDR); elsewhere "one" is exactly 1 (the rest are "other").
_ONE_INCLUDES_ZERO = frozenset({"fr", "pt", "hy", "kab"})


def plural_category(language: str, count) -> str:
    """"one" or "other": which form of a string a count takes in `language`."""
    if not isinstance(count, int):
        return "other"
    return "one" if count == 1 or (count == 0 and language in _ONE_INCLUDES_ZERO) else "other"


def strings(env: jinja2.Environment, code: str) -> dict:
    """The theme's strings table for a language code ({} for a language with none)."""
    kept = env.strings_tables
    if code not in kept:
        kept[code] = _read_strings(env, code) if _NAME.match(code) else {}
    return kept[code]


def _read_strings(env: jinja2.Environment, code: str) -> dict[str, str]:
    """Every templates/strings/<code>.toml of the theme chain, the default first: a theme's or the
    site's table changes only the strings it names."""
    table: dict[str, str] = {}
    for folder in reversed(getattr(env.loader, "searchpath", ())):
        path = Path(folder) / "strings" / f"{code}.toml"
        if path.is_file():
            table.update(_strings_file(path))
    return table


def _strings_file(path: Path) -> dict:
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise SitegenError(f"the strings table is not valid TOML: {e}", path=str(path),
                           hint='write one line per string: "Reading settings" = "Réglages de lecture"') from None
    bad = [k for k, v in table.items() if not _a_string(v)]
    if bad:
        raise SitegenError(f"the strings table gives {bad[0]!r} a value that is neither text nor plural forms",
                           path=str(path),
                           hint='write one line per string: "Reading settings" = "Réglages de lecture", or its '
                                'plural forms: "{n} scenes" = { one = "{n} scène", other = "{n} scènes" }')
    return table


def _a_string(value) -> bool:
    """Text, or a table of plural forms with at least `other` (and maybe `one`), each text."""
    if isinstance(value, dict):
        return "other" in value and set(value) <= {"one", "other"} and all(isinstance(v, str) for v in value.values())
    return isinstance(value, str)


def static_files(theme: Theme) -> dict[str, Path]:
    """Relative path under static/ -> the file that wins (most specific folder first)."""
    found: dict[str, Path] = {}
    roots = (theme.site_dir, builtin_themes()) if theme.site_dir else (builtin_themes(),)
    for folder in theme.static_dirs:
        for path in sorted(folder.rglob("*")):
            if not path.name.startswith(".") and (path.is_file() or path.is_symlink()):
                resolved_inside(path, roots, str(path))              # links only within the site
                if path.is_file():
                    found.setdefault(path.relative_to(folder).as_posix(), path)
    return found
