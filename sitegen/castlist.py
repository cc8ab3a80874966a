"""`sitegen cast`: the characters a text's dialogue names, printed as a work.toml block to correct."""
from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from .model import Character, Quote


def cast_block(cast: Iterable[Character], quotes: Iterable[Quote], where: str) -> list[str]:
    """The cast as `[characters.<id>]` tables, with how many lines each speaks and thinks."""
    lines = Counter((q.speaker, q.kind) for q in quotes if q.speaker)
    cast = sorted(cast, key=lambda c: -sum(n for (who, _), n in lines.items() if who == c.id))
    out = [f"# Characters found in {where}: {len(cast)}. Check names, aliases and pronouns",
           "# (she | he | they | i), delete who is not a character, and save this in work.toml."]
    for c in cast:
        counts = ", ".join(f"{n} {kind}" for (who, kind), n in sorted(lines.items()) if who == c.id) or "no lines"
        out += ["", f"[characters.{_key(c.id)}]", f"name = {json.dumps(c.name, ensure_ascii=False)}",
                f"aliases = {json.dumps(list(c.aliases), ensure_ascii=False)}",
                f"pronouns = {json.dumps(c.pronouns)}", f"# {counts}"]
    return out


def _key(cid: str) -> str:
    """A TOML key: bare when it can be, else quoted."""
    return cid if cid.replace("-", "").replace("_", "").isalnum() and cid.isascii() else json.dumps(cid)


def cast_command(target: Path | None, site: Path | None, out: TextIO) -> int:
    """Print the cast of FILE (found in its text) or of each work of a site."""
    if target is not None:
        from .text.paragraphs import split_paragraphs
        from .dialogue import find_quotes
        from .dialogue.export import read_source
        source = read_source(Path(target))
        result = find_quotes(source, split_paragraphs(source.text), ())
        print("\n".join(cast_block(result.discovered, result.quotes, str(target))), file=out)
        return 0
    from .build import build_site
    for work in build_site(Path(site or ".")).works:
        where = f"content/{work.slug}" + ("" if work.cast_discovered else " (its cast file, as given)")
        print("\n".join(cast_block(work.cast, work.quotes, where)) + "\n", file=out)
    return 0
