"""Read a work's cast: [characters.<id>] tables from work.toml or a cast file."""
from __future__ import annotations

import re
from pathlib import Path

from .config import check_keys, key_location, read_toml
from ..errors import SitegenError
from ..model import Character

PRONOUNS = ("she", "he", "they", "it", "i")
CHARACTER_KEYS = {"name", "aliases", "pronouns", "colour", "color", "narrator"}
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")


def load_cast(path: Path) -> tuple[Character, ...]:
    """The cast in a TOML file with [characters.<id>] tables (a work.toml may hold other keys:
    the build checks them)."""
    data = read_toml(path)
    if Path(path).name != "work.toml":
        check_keys(data, {"characters"}, path, "the cast file")
    return cast_from_tables(data.get("characters", {}), str(path))


def cast_from_tables(tables: dict, where: str, file: Path | None = None) -> tuple[Character, ...]:
    """Characters from the parsed `characters` table of a TOML document (`where` names it in messages;
    `file`, when given, is read again only to point a message at its line)."""
    file = Path(where) if file is None else file
    if not isinstance(tables, dict):
        raise SitegenError("`characters` must be a table of tables", path=where,
                           hint='write each character as [characters.<id>] with name = "..."')
    cast = []
    for cid, t in tables.items():
        if not _ID.match(cid):
            raise SitegenError(f"[characters.{cid}]: a character id may use only letters, digits, - and _",
                               path=where, hint="for example [characters.sakura] or [characters.mr-darcy]")
        if not isinstance(t, dict):
            raise SitegenError(f"[characters.{cid}] must be a table", path=where,
                               hint=f'write [characters.{cid}] followed by name = "..."')
        check_keys(t, CHARACTER_KEYS, file, f"[characters.{cid}]")
        name = t.get("name", cid)
        aliases = t.get("aliases", [])
        pronouns = str(t.get("pronouns", "they")).lower().split("/")[0]
        colour = t.get("colour", t.get("color"))
        if not isinstance(name, str) or not isinstance(aliases, list) or \
                not all(isinstance(a, str) for a in aliases):
            raise SitegenError(f"[characters.{cid}]: name must be a string and aliases a list of strings",
                               path=where, hint='for example: aliases = ["Sakura", "Sakura-chan"]')
        if pronouns not in PRONOUNS:
            raise SitegenError(f"[characters.{cid}]: unknown pronouns {t.get('pronouns')!r}", path=where,
                               location=key_location(file, "pronouns", f"characters.{cid}", shown_as=where),
                               hint="use one of: she, he, they, it (or i for a first-person narrator)")
        if colour is not None and not (isinstance(colour, str) and _COLOUR.match(colour)):
            raise SitegenError(f"[characters.{cid}]: colour {colour!r} is not a #rrggbb colour", path=where,
                               location=key_location(file, "colour" if "colour" in t else "color",
                                                     f"characters.{cid}", shown_as=where),
                               hint='for example: colour = "#b03060"')
        narrator = bool(t.get("narrator", pronouns == "i"))
        cast.append(Character(id=str(cid), name=name, aliases=tuple(aliases),
                              pronouns=pronouns, colour=colour, narrator=narrator))
    return tuple(cast)
