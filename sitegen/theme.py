"""Find templates and static files: the site's own → the chosen theme → its parents → the built-in default."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

import jinja2

from .errors import SitegenError

BUILTIN_THEMES = Path(__file__).resolve().parent.parent / "themes"


@dataclass(frozen=True)
class Theme:
    """The ordered folders a site's look is assembled from, most specific first."""
    name: str
    template_dirs: tuple[Path, ...]
    static_dirs: tuple[Path, ...]


def theme_folders(site_dir: Path, name: str) -> list[Path]:
    """The site's own themes/<name> and the built-in one of that name (either may be missing, not both)."""
    found = [base / name for base in (site_dir / "themes", BUILTIN_THEMES) if (base / name).is_dir()]
    if found:
        return list(dict.fromkeys(p.resolve() for p in found))
    known = sorted({p.name for base in (site_dir / "themes", BUILTIN_THEMES) if base.is_dir()
                    for p in base.iterdir() if p.is_dir()})
    raise SitegenError(f"no theme named {name!r}", path=str(site_dir / "themes"),
                       hint=f"available themes: {', '.join(known) or 'default'}; or create themes/{name}/templates/")


def resolve_theme(site_dir: Path, name: str) -> Theme:
    """The theme chain: a theme may name a parent in theme.toml (`extends = "default"`)."""
    chain, seen = [], set()
    current: str | None = name
    while current and current not in seen:
        seen.add(current)
        folders = theme_folders(site_dir, current)
        chain += folders
        parent = None
        for meta in (f / "theme.toml" for f in folders):
            if meta.is_file() and parent is None:
                try:
                    parent = tomllib.loads(meta.read_text(encoding="utf-8")).get("extends")
                except tomllib.TOMLDecodeError as e:
                    raise SitegenError(f"invalid theme.toml: {e}", path=str(meta)) from None
        current = parent or ("default" if current != "default" else None)
    template_dirs = [site_dir / "templates"] + [f / "templates" for f in chain]
    static_dirs = [site_dir / "static"] + [f / "static" for f in chain]
    return Theme(name, tuple(d for d in template_dirs if d.is_dir()), tuple(d for d in static_dirs if d.is_dir()))


def make_environment(theme: Theme) -> jinja2.Environment:
    """Jinja2 with autoescape on and StrictUndefined: a typo in a template is an error, not an empty string."""
    return jinja2.Environment(loader=jinja2.FileSystemLoader([str(d) for d in theme.template_dirs]),
                              autoescape=True, undefined=jinja2.StrictUndefined,
                              trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


def static_files(theme: Theme) -> dict[str, Path]:
    """Relative path under static/ -> the file that wins (most specific folder first)."""
    found: dict[str, Path] = {}
    for folder in theme.static_dirs:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and not path.name.startswith("."):
                found.setdefault(path.relative_to(folder).as_posix(), path)
    return found
