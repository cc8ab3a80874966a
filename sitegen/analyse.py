"""Analyse one work, stage by stage: structure → notes → scenes → dialogue → chapters → timeline."""
from __future__ import annotations

from .dialogue import find_quotes
from .load import LoadedWork
from .model import AuthorNote, Diagnostic, Work, WorkMeta
from .notes import find_notes
from .paginate import make_chapters
from .structure import find_scenes, find_structure
from .timeline import build_timeline


def work_meta(loaded: LoadedWork, detected_title: str | None, detected_author: str | None) -> WorkMeta:
    """work.toml wins over front matter, which wins over what the text shows."""
    merged = {**loaded.front_matter, **{k: v for k, v in loaded.config.items() if k != "characters"}}
    title = merged.get("title") or detected_title or loaded.folder.name.replace("-", " ").replace("_", " ").title()
    convention = merged.get("quotes")
    return WorkMeta(
        title=str(title), author=str(merged.get("author") or detected_author or ""),
        summary=str(merged.get("summary", "")), fandom=str(merged.get("fandom", "")),
        rating=str(merged.get("rating", "")), warnings=tuple(merged.get("warnings", ())),
        tags=tuple(merged.get("tags", ())), language=str(merged.get("language", "en")),
        chapter_words=int(merged.get("chapter_words", 1000)),
        chapter_titles=tuple(merged.get("chapters", ())),
        quote_convention=None if convention in (None, "auto") else convention)


def analyse_work(loaded: LoadedWork) -> Work:
    """Every stage over one loaded work; returns the finished, plain Work."""
    sources = loaded.sources
    notes: list[AuthorNote] = []
    diagnostics: list[Diagnostic] = []
    hidden: list[tuple[int, int, int]] = []

    def lift_notes(source_index: int, spans):
        found = find_notes(sources[source_index], spans, source_index=source_index,
                           is_chapter_file=len(sources) > 1)
        notes.extend(found.notes)
        diagnostics.extend(found.diagnostics)
        hidden.extend((source_index, s, e) for s, e in found.hidden)
        return found.paragraphs

    structure = find_structure(sources, loaded.body_starts, prose_filter=lift_notes)
    meta = work_meta(loaded, structure.title, structure.author)
    cast = loaded.cast
    scenes = find_scenes(sources, structure, cast)
    quotes, discovered = [], []
    for si, src in enumerate(sources):
        spans = [(p.start, p.end) for p in structure.paragraphs if p.source == si]
        skip = [(n.start, n.end) for n in notes if n.source == si]
        result = find_quotes(src, spans, cast, source_index=si, convention=meta.quote_convention, skip=skip)
        quotes.extend(result.quotes)
        diagnostics.extend(result.diagnostics)
        hidden.extend((si, s, e) for s, e in result.hidden)
        discovered.extend(c for c in result.discovered if c.id not in {d.id for d in discovered})
    cast = cast or tuple(discovered)
    chapters = make_chapters(sources, structure.paragraphs, structure.headings, structure.file_starts, scenes,
                             target=meta.chapter_words, split=loaded.config.get("split", "auto"),
                             titles=meta.chapter_titles)
    timeline = build_timeline(sources, structure.paragraphs, scenes, quotes, cast,
                              loaded.config.get("timeline", ()))
    return Work(slug=loaded.slug, meta=meta, sources=sources, paragraphs=structure.paragraphs,
                headings=structure.headings, scenes=scenes, chapters=chapters,
                notes=tuple(sorted((*structure.work_notes, *notes), key=lambda n: (n.source, n.start))),
                cast=tuple(cast), quotes=tuple(quotes), timeline=timeline,
                diagnostics=tuple(diagnostics), hidden=tuple(hidden),
                title_span=structure.title_span, breaks=structure.breaks)
