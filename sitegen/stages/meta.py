"""The work's settings and description: work.toml over front matter over what the text shows (WorkMeta)."""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Callable, Hashable, Sequence

from ..dialogue.languages import detect_language
from ..load.files import LoadedWork
from ..model import AuthorNote, ChapterInfo, SeriesPart, WorkMeta
from ..text.fields import header_fields
from .labels import labels, leading_labels, normalised


Remember = Callable[[Hashable, Callable], object]     # (key, make) -> the value kept for key, else make()'s


def work_meta(loaded: LoadedWork, detected_title: str | None, detected_author: str | None,
              remember: Remember | None = None) -> WorkMeta:
    """work.toml wins over front matter, which wins over what the text shows. (`remember` keeps the
    language guessed from the texts: work_language.)"""
    merged = {**loaded.front_matter, **{k: v for k, v in loaded.config.items() if k != "characters"}}
    title = merged.get("title") or detected_title or title_from_name(loaded.folder.name)
    convention = merged.get("quotes")
    return WorkMeta(
        title=str(title), author=listed(merged.get("author") or detected_author or ""),
        summary=str(merged.get("summary", "")), fandom=listed(merged.get("fandom", "")),
        rating=str(merged.get("rating", "")), warnings=tuple(merged.get("warnings", ())),
        tags=tuple(merged.get("tags", ())), language=work_language(loaded, remember),
        chapter_words=int(merged.get("chapter_words", 1000)),
        chapter_titles=tuple(merged.get("chapters", ()))
        or tuple(c.get("title", "") for c in loaded.config.get("chapter", ())),
        quote_convention=None if convention in (None, "auto") else convention,
        complete=bool(merged.get("complete", False)), chapters_total=merged.get("chapters_total"),
        whole_work=None if merged.get("whole_work", "auto") == "auto" else bool(merged["whole_work"]),
        **archive_meta(loaded.config))


def listed(value) -> str:
    """`author` or `fandom`: one name, or a list of them, shown as "A, B"."""
    return ", ".join(value) if isinstance(value, list) else str(value or "")


def archive_meta(config: dict) -> dict:
    """The WorkMeta fields an archive knows (work.toml written by `sitegen import`, or by hand)."""
    return dict(
        categories=tuple(config.get("categories", ())), relationships=tuple(config.get("relationships", ())),
        series=tuple(SeriesPart(s.get("title", ""), s.get("position"), s.get("url", "")) for s in config.get("series", ())),
        published=str(config.get("published", "")), updated=str(config.get("updated", "")),
        source_url=str(config.get("source_url", "")), notes=str(config.get("notes", "")),
        end_notes=str(config.get("end_notes", "")),
        chapter_info=tuple(ChapterInfo(**c) for c in config.get("chapter", ())))


def work_language(loaded: LoadedWork, remember: Remember | None = None) -> str:
    """The work's language: work.toml or front matter, else guessed from its text (a common-words
    count; kept by `remember` under the digests of the texts it read), else the site's language."""
    setting = loaded.config.get("language") or loaded.front_matter.get("language")
    if setting:
        return str(setting)
    first = loaded.sources[:3]
    def guess() -> str | None:
        return detect_language("".join(src.text[:7000] for src in first))    # (remembered by its sample)
    digests = tuple(src.digest for src in first)
    return (remember(("language", digests), guess) if remember and all(digests) else guess()) \
        or loaded.site_language


def title_from_name(name: str) -> str:
    """A work's title from its folder name: my-first-fic / MyFirstFic -> My First Fic."""
    words = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", re.sub(r"[-_]+", " ", name)).split()
    return " ".join(w[:1].upper() + w[1:] for w in words) or name


def labelled_summary(notes: Sequence[AuthorNote]) -> str:
    """The text of the work's first preface note that opens with a summary label ("Summary:"), else ""."""
    for n in notes:
        heads, text = leading_labels(n.text)
        if n.kind == "work-preface" and heads and labels().kinds.get(normalised(heads[0]), ("",))[0] == "summary":
            return text
    return ""



def header_pairs(text: str) -> list[tuple[str, str]] | None:
    """A note's (key, value) lines when every line is an archive's "Key: value" (or "Key:" with its
    value on the next line, as a browser copies AO3's header); None for any other note."""
    lines = [ln.strip().strip("*_").strip() for ln in text.splitlines() if ln.strip()]
    key_line = labels().metadata
    pairs, k = [], 0
    while k < len(lines):
        if not key_line.match(lines[k]):
            return None
        key, _, value = lines[k].partition(":") if ":" in lines[k] else lines[k].partition("：")
        if not value.strip() and k + 1 < len(lines) and not key_line.match(lines[k + 1]):
            value, k = lines[k + 1], k + 1
        pairs.append((key.strip(" *_"), value.strip(" *_")))
        k += 1
    return pairs or None


def header_meta(notes: Sequence[AuthorNote]) -> dict:
    """work.toml keys from the metadata notes on top of the work (a pasted FanFiction.net or AO3
    header: "Rated: T", "Status: Complete", ...). The notes stay where they are: the reader still
    sees the lines as the author pasted them, the fields no key holds among them."""
    meta: dict = {}
    for n in notes:
        pairs = header_pairs(n.text) if n.kind == "work-preface" else None
        if pairs:
            found, _ = header_fields(pairs)
            for key, value in found.items():
                if isinstance(value, list):
                    meta.setdefault(key, []).extend(v for v in value if v not in meta.get(key, ()))
                else:
                    meta.setdefault(key, value)
    return meta


def with_header(meta: WorkMeta, loaded: LoadedWork, header: dict) -> WorkMeta:
    """`meta` with the header's fields where neither work.toml nor front matter set them."""
    given = {**loaded.front_matter, **loaded.config}
    fields = {"author": listed, "fandom": listed, "rating": str, "tags": tuple, "warnings": tuple,
              "categories": tuple, "relationships": tuple, "published": str, "updated": str,
              "complete": bool, "chapters_total": int, "language": str}
    changes = {key: fields[key](value) for key, value in header.items()
               if key in fields and key not in given and not (key == "author" and meta.author)}
    return replace(meta, **changes)
