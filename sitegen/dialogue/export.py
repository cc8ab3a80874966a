"""JSON Lines export of a file's quotes: the `sitegen quotes FILE [--cast CAST]` command."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TextIO

from ..load.cast import load_cast
from ..errors import SitegenError
from ..model import Quote, SourceText
from ..text.paragraphs import split_paragraphs
from . import find_quotes
from .explain import evidence_lines, sureness


def read_source(file: Path) -> SourceText:
    """The file decoded as UTF-8, exactly (\\r kept, so offsets match the bytes decoded)."""
    try:
        with open(file, encoding="utf-8", newline="") as f:
            text = f.read()
    except UnicodeDecodeError as e:
        raise SitegenError(f"this file is not UTF-8 text ({e.reason} at byte {e.start})", path=str(file),
                           hint="save the file as UTF-8") from None
    except OSError as e:
        raise SitegenError(f"cannot read the file: {e.strerror}", path=str(file)) from None
    return SourceText.from_text(file, text, str(file))


def quote_record(q: Quote) -> dict:
    """The exported fields of one quote."""
    return {"start": q.start, "end": q.end, "kind": q.kind, "speaker": q.speaker,
            "confidence": q.confidence, "text": q.text}


def explain_lines(source: SourceText, paragraphs, quotes, names: dict[str, str], lang: str = "en") -> list[str]:
    """For each quote, `file:line:col: kind by Name, how sure (confidence): “text”` and, indented,
    the evidence for its speaker in the text's own words."""
    out = []
    for i, q in enumerate(quotes):
        who = names.get(q.speaker, q.speaker) if q.speaker else "unknown"
        excerpt = " ".join(q.text.split())
        excerpt = excerpt if len(excerpt) <= 70 else excerpt[:67] + "…"
        out.append(f"{source.locate(q.start)}: {q.kind} by {who}, {sureness(q.confidence, q.speaker)} "
                   f"({q.confidence:.2f}): {excerpt}")
        out += ["    " + line for line in evidence_lines(source.text, paragraphs, quotes, i, names, lang)]
    return out


def quotes_command(file: Path, cast_path: Path | None, out: TextIO, explain: bool = False) -> int:
    """Print the quotes of FILE as JSON Lines (with --explain: one readable line each, with the
    evidence for its speaker); diagnostics go to stderr. Returns 0."""
    source = read_source(Path(file))
    cast = load_cast(Path(cast_path)) if cast_path else ()
    paragraphs = split_paragraphs(source.text)
    result = find_quotes(source, paragraphs, cast)
    if explain:
        names = {c.id: c.name for c in (cast or result.discovered)}
        for line in explain_lines(source, paragraphs, result.quotes, names, result.language):
            out.write(line + "\n")
    else:
        for q in result.quotes:
            out.write(json.dumps(quote_record(q), ensure_ascii=False) + "\n")
    for d in result.diagnostics:
        print(f"{d.location}: {d.severity}: {d.message}", file=sys.stderr)
    return 0
