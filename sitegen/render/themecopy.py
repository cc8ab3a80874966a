"""Copy a theme's templates (and static files) into a site, so its author can edit them: `sitegen theme copy`."""
from __future__ import annotations

import shutil
from pathlib import Path, PurePosixPath

from ..load.config import load_site_config
from ..errors import SitegenError
from .theme import builtin_themes, resolve_theme, theme_names


def theme_files(site_dir: Path, name: str, kind: str) -> dict[str, Path]:
    """Relative path -> the file theme `name` uses for it (kind: "templates" or "static"), the most
    specific folder of its chain winning; the site's own templates/ and static/ are not part of it."""
    theme = resolve_theme(site_dir, name)
    own = {(site_dir / kind).resolve()}
    folders = [d for d in (theme.template_dirs if kind == "templates" else theme.static_dirs)
               if d.resolve() not in own]
    found: dict[str, Path] = {}
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            rel = path.relative_to(folder)
            if path.is_file() and not any(part.startswith((".", "__pycache__")) for part in rel.parts):
                found.setdefault(rel.as_posix(), path)
    return found


def destination(site_dir: Path, to: str) -> tuple[Path, Path]:
    """Where templates and static files go: the site's templates/ and static/ (they win over any
    theme), or a theme of the site's own, themes/<name>/templates and themes/<name>/static."""
    parts = PurePosixPath(to.replace("\\", "/").strip("/")).parts
    if parts == ("templates",):
        return site_dir / "templates", site_dir / "static"
    if len(parts) == 2 and parts[0] == "themes" and not parts[1].startswith((".", "_")):
        return site_dir / "themes" / parts[1] / "templates", site_dir / "themes" / parts[1] / "static"
    raise SitegenError(f"cannot copy a theme to {to!r}",
                       hint="use --to templates (the site's own templates, which win over any theme) "
                            "or --to themes/NAME (a theme of your own; set theme = \"NAME\" in sitegen.toml)")


def copy_theme(site_dir: Path, name: str | None = None, to: str = "templates", static: bool = False,
               only: tuple[str, ...] = ()) -> list[Path]:
    """Copy theme `name` (default: the site's theme) into the site; never overwrites a file. Returns the copies."""
    site_dir = Path(site_dir)
    name = name or load_site_config(site_dir).theme
    templates_to, static_to = destination(site_dir, to)
    plan = [(src, templates_to / rel) for rel, src in theme_files(site_dir, name, "templates").items()]
    if static or only:
        plan += [(src, static_to / rel) for rel, src in theme_files(site_dir, name, "static").items()]
    if only:
        plan = chosen(plan, only, templates_to, static_to, name)
    clashes = [dst for src, dst in plan if dst.exists() and src.resolve() != dst.resolve()]
    if any(src.resolve() == dst.resolve() for src, dst in plan):
        raise SitegenError(f"theme {name!r} already lives in {templates_to.parent}", path=str(templates_to),
                           hint="edit its files there, or copy it to another folder with --to")
    if clashes:
        shown = "\n    ".join(str(p) for p in clashes[:8]) + ("\n    ..." if len(clashes) > 8 else "")
        raise SitegenError(f"{len(clashes)} file(s) are there already; nothing was copied, nothing overwritten:"
                           f"\n    {shown}",
                           hint="move them away first, or copy only the files you want with --only NAME")
    for src, dst in plan:
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dst)
    return [dst for _, dst in plan]


def chosen(plan: list[tuple[Path, Path]], only: tuple[str, ...], templates_to: Path, static_to: Path,
           name: str) -> list[tuple[Path, Path]]:
    """The part of the plan that --only names (a template such as chapter.html, or static/style.css)."""
    by_name = {dst.relative_to(templates_to).as_posix(): (src, dst) for src, dst in plan
               if dst.is_relative_to(templates_to)}
    by_name |= {"static/" + dst.relative_to(static_to).as_posix(): (src, dst) for src, dst in plan
                if dst.is_relative_to(static_to)}
    unknown = [n for n in only if n not in by_name]
    if unknown:
        raise SitegenError(f"theme {name!r} has no file {unknown[0]!r}",
                           hint="its files: " + ", ".join(sorted(by_name)))
    return [by_name[n] for n in dict.fromkeys(only)]


def theme_listing(site_dir: Path) -> list[str]:
    """Each theme a site can use, with where it is: `name  (built in)` or `name  (themes/name/)`."""
    site_dir = Path(site_dir)
    lines = []
    for name in theme_names(site_dir):
        where = [f"themes/{name}/" for _ in [0] if (site_dir / "themes" / name).is_dir()]
        if (builtin_themes() / name).is_dir():
            where.append("built in")
        lines.append(f"{name}  ({', '.join(where)})")
    return lines
