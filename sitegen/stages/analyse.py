"""Analyse a work, stage by stage: structure → notes → scenes → dialogue per file, then chapters → timeline."""
from __future__ import annotations

import bisect
import hashlib
import re
from collections import Counter
from itertools import accumulate, chain
from dataclasses import dataclass, replace
from typing import MutableMapping, Sequence

from ..dialogue import find_quotes
from ..dialogue.convention import marks_for
from ..dialogue.languages import detect_language
from ..load.files import LoadedWork
from ..model import (AuthorNote, Chapter, Character, ChapterInfo, Diagnostic, Paragraph, Quote, Scene, SeriesPart, SourceText,
                    Work, WorkMeta)
from .blocks import heading_text
from .labels import labels, leading_labels, normalised
from ..text.markers import heading_title
from .notes import find_notes
from .paginate import make_chapters
from ..parallel import run_all
from ..progress import report
from ..render.markdown import in_attributes
from .structure import FileStructure, file_structure, scene_starts
from ..timeline import SceneFacts, TimelineFolder, fold_timeline, scene_facts


@dataclass(frozen=True)
class FileAnalysis:
    """Everything found in one file; paragraph indexes local to the file. Reused while the file is unchanged."""
    structure: FileStructure
    paragraphs: tuple[Paragraph, ...]
    words: tuple[int, ...]                        # word count of each paragraph
    notes: tuple[AuthorNote, ...]
    scene_starts: tuple[tuple[int, str, bool], ...]
    quotes: tuple[Quote, ...]
    diagnostics: tuple[Diagnostic, ...]
    hidden: tuple[tuple[int, int], ...]
    discovered: tuple[Character, ...]
    line_counts: Counter                          # (speaker, kind) -> quotes


def analyse_file(src: SourceText, source_index: int, body_start: int, whole_work: bool,
                 cast: Sequence[Character], convention: str | None, lang: str = "en",
                 marks: tuple[str, bool] = ("", False), keep_notes: bool = False) -> FileAnalysis:
    """Structure, notes, scene starts and dialogue of one file (`lang` and `marks`: the work's
    language and quote marks, see work_language and dialogue.convention.marks_for; `keep_notes`:
    see file_structure)."""
    found = {}

    def lift_notes(spans):
        found["notes"] = find_notes(src, spans, source_index=source_index, is_chapter_file=not whole_work)
        return found["notes"].paragraphs

    fs = file_structure(src, source_index, body_start, whole_work, prose_filter=lift_notes,
                        keep_notes=keep_notes or whole_work)
    notes = found["notes"]
    all_notes = tuple(sorted(fs.matter_notes + notes.notes, key=lambda n: n.start))
    skip = [(n.start, n.end) for n in all_notes]
    if src.path.suffix != ".txt":           # no quote inside a Markdown image or a link's target and title
        skip += [(s + a, s + b) for s, e in fs.paragraphs for a, b in in_attributes(src.text[s:e])]
    dialogue = find_quotes(src, fs.paragraphs, cast, source_index=source_index, convention=convention,
                           skip=skip, lang=lang, marks=marks)
    paragraphs = tuple(Paragraph(source_index, s, e) for s, e in fs.paragraphs)
    words = tuple(len(src.text[s:e].split()) for s, e in fs.paragraphs)
    starts = scene_starts(src, fs, cast, dialogue.quotes)
    return FileAnalysis(fs, paragraphs, words, chapter_note_kinds(src.text, all_notes, fs), starts, dialogue.quotes,
                        notes.diagnostics + dialogue.diagnostics, notes.hidden + dialogue.hidden,
                        dialogue.discovered, Counter((q.speaker, q.kind) for q in dialogue.quotes if q.speaker))


def chapter_note_kinds(text: str, notes: Sequence[AuthorNote], fs: FileStructure) -> tuple[AuthorNote, ...]:
    """A note standing between paragraphs right after a chapter heading (or at the file's start) is a
    chapter-start note; one right before a heading (or at the file's end) is a chapter-end note."""
    starts = [s for s, _ in fs.paragraphs]
    out = []
    for n in notes:
        i = bisect.bisect_right(starts, n.start)          # the prose paragraph after the note
        if n.kind == "inline" and not (i > 0 and n.end <= fs.paragraphs[i - 1][1]):
            gap = text[n.end:starts[i]] if i < len(starts) else ""
            heading_follows = i in fs.headings and any(_heading_words(block) == fs.headings[i]
                                                       for block in gap.split("\n\n") if block.strip())
            if i == len(starts) or heading_follows:
                n = replace(n, kind="chapter-end")
            elif i == 0 or i in fs.headings:
                n = replace(n, kind="chapter-start")
        out.append(n)
    return tuple(out)


def labelled_summary(notes: Sequence[AuthorNote]) -> str:
    """The text of the work's first preface note that opens with a summary label ("Summary:"), else ""."""
    for n in notes:
        heads, text = leading_labels(n.text)
        if n.kind == "work-preface" and heads and labels().kinds.get(normalised(heads[0]), ("",))[0] == "summary":
            return text
    return ""


def _heading_words(block: str) -> str | None:
    return heading_text(block) if block.lstrip().startswith("#") else heading_title(block)


def file_key(src: SourceText, *parts) -> str:
    h = hashlib.blake2b(src.digest.encode(), digest_size=16)
    h.update(repr((str(src.path), *parts)).encode("utf-8"))
    return h.hexdigest()


def title_from_name(name: str) -> str:
    """A work's title from its folder name: my-first-fic / MyFirstFic -> My First Fic."""
    words = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", re.sub(r"[-_]+", " ", name)).split()
    return " ".join(w[:1].upper() + w[1:] for w in words) or name


def work_meta(loaded: LoadedWork, detected_title: str | None, detected_author: str | None) -> WorkMeta:
    """work.toml wins over front matter, which wins over what the text shows."""
    merged = {**loaded.front_matter, **{k: v for k, v in loaded.config.items() if k != "characters"}}
    title = merged.get("title") or detected_title or title_from_name(loaded.folder.name)
    convention = merged.get("quotes")
    return WorkMeta(
        title=str(title), author=listed(merged.get("author") or detected_author or ""),
        summary=str(merged.get("summary", "")), fandom=listed(merged.get("fandom", "")),
        rating=str(merged.get("rating", "")), warnings=tuple(merged.get("warnings", ())),
        tags=tuple(merged.get("tags", ())), language=work_language(loaded),
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


def work_language(loaded: LoadedWork) -> str:
    """The work's language: work.toml or front matter, else guessed from its text (a common-words
    count), else the site's language."""
    setting = loaded.config.get("language") or loaded.front_matter.get("language")
    if setting:
        return str(setting)
    sample = "".join(src.text[:7000] for src in loaded.sources[:3])     # a guess is remembered by its sample
    return detect_language(sample) or loaded.site_language


def analyse_work(loaded: LoadedWork, cache: MutableMapping | None = None) -> Work:
    """Every stage over one loaded work; returns the finished, plain Work.

    `cache` maps a hash of each file's text and settings to its FileAnalysis, so
    a rebuild after one chapter changed analyses only that chapter.
    """
    sources, whole = loaded.sources, len(loaded.sources) == 1
    meta = work_meta(loaded, None, None)
    convention, lang = meta.quote_convention, meta.language
    marks = marks_for(convention, [src.text for src in sources])
    settings = repr((loaded.cast, convention, lang, marks))          # once, not once per file
    keys = [file_key(src, si, loaded.body_starts[si], whole, settings) for si, src in enumerate(sources)]
    files = [cache.get(key) if cache is not None else None for key in keys]
    todo = [si for si, fa in enumerate(files) if fa is None]
    done = run_all(analyse_file, [(sources[si], si, loaded.body_starts[si], whole, loaded.cast, convention,
                                   lang, marks)
                                  for si in todo], work=sum(len(sources[si].text) for si in todo),
                  on_done=lambda done, total: report("analysing files", done, total))
    for si, fa in zip(todo, done):
        files[si] = fa
        if cache is not None:
            cache[keys[si]] = fa
    if not any(fa.paragraphs for fa in files):      # no prose in any file (only notes or headings):
        for si in range(len(files)):                 # each file keeps its lines as its text
            keys[si] = file_key(sources[si], si, loaded.body_starts[si], whole, settings, "keep notes")
            files[si] = (cache.get(keys[si]) if cache is not None else None) or analyse_file(
                sources[si], si, loaded.body_starts[si], whole, loaded.cast, convention, lang, marks, keep_notes=True)
            if cache is not None:
                cache[keys[si]] = files[si]
    return assemble(loaded, files, tuple(keys), cache)


def timeline_facts(src: SourceText, fa: FileAnalysis, cast: tuple[Character, ...], key: str, cast_key: str,
                   cache: MutableMapping | None) -> tuple[SceneFacts, ...]:
    """Time, place and characters of one file's scenes, reused while the file and the cast are unchanged.

    (Without a cast file the cast is discovered across all files, so it is part of the key.)
    """
    memo = ("facts", key, cast_key)
    facts = cache.get(memo) if cache is not None else None
    if facts is None:
        facts = scene_facts(src, fa.structure.paragraphs, [i for i, _, _ in fa.scene_starts], fa.quotes, cast,
                            fa.structure.headings)
        if cache is not None:
            cache[memo] = facts
    return facts


def file_scenes(fa: FileAnalysis, key: str, si: int, base: int, first_scene: int,
                cache: MutableMapping | None) -> tuple[Scene, ...]:
    """One file's scenes, numbered through the work. Every file with text opens a scene, so its
    scenes end within it; they are reused while the file and its place in the work are unchanged."""
    memo = ("scenes", key, base, first_scene)
    scenes = cache.get(memo) if cache is not None else None
    if scenes is None:
        starts = fa.scene_starts
        ends = [i for i, _, _ in starts[1:]] + [len(fa.paragraphs)]
        scenes = tuple(Scene(first_scene + n, fa.paragraphs[i].source, fa.paragraphs[i].start, base + i, base + end - 1,
                             "chapter" if si and i == 0 else reason, strong)
                       for n, ((i, reason, strong), end) in enumerate(zip(starts, ends)))
        if cache is not None:
            cache[memo] = scenes
    return scenes


def cast_digest(cast: Sequence[Character]) -> str:
    """A short key for a cast, computed once per build (hashing the cast for each file would cost more)."""
    return hashlib.blake2b(repr(tuple(cast)).encode("utf-8"), digest_size=16).hexdigest()


def folded_timeline(loaded: LoadedWork, facts: list[SceneFacts], cast: tuple[Character, ...],
                    cache: MutableMapping | None) -> tuple:
    """The story clock over every scene's facts; the last result is reused while the facts are equal
    (an edit that changes no time, place or character leaves the timeline as it was), and otherwise
    the clock restarts at the first scene that changed (TimelineFolder)."""
    overrides = loaded.config.get("timeline", ())
    where = f"content/{loaded.folder.name}/work.toml"          # which work's work.toml, in messages
    if cache is None:
        return fold_timeline(facts, cast, overrides, where=where)
    key = (tuple(facts), cast, repr(overrides))
    kept = cache.get(("fold", loaded.slug))
    if kept is not None and kept[0] == key:
        return kept[1]
    folder = kept[2] if kept is not None and kept[0][1:] == key[1:] else TimelineFolder()
    timeline = folder.fold(facts, cast, overrides, where=where)
    cache[("fold", loaded.slug)] = (key, timeline, folder)
    return timeline


def chapter_info_by_file(tables: Sequence[ChapterInfo], spans: list[tuple[int, int]],
                         chapters: Sequence[Chapter]) -> tuple[ChapterInfo, ...]:
    """Each chapter page's notes when the k-th [[chapter]] describes the k-th file: a file's summary and
    notes go to the page its first paragraph is on, its end notes to the page its last one is on (so a
    heading inside a file, or pages split at scenes, move no note to the wrong chapter)."""
    out = []
    for ch in chapters:
        def on_page(p: int) -> bool:
            return ch.first_paragraph <= p <= ch.last_paragraph
        starts = [t for (s, e), t in zip(spans, tables) if e > s and on_page(s)]
        ends = [t for (s, e), t in zip(spans, tables) if e > s and on_page(e - 1)]
        out.append(ChapterInfo("", *("\n\n".join(getattr(t, k) for t in group if getattr(t, k))
                                     for k, group in (("summary", starts), ("notes", starts), ("end_notes", ends))),
                               updated=max((t.updated for t in starts + ends), default="")))
    return tuple(out)


def assemble(loaded: LoadedWork, files: list[FileAnalysis], keys: tuple[str, ...],
             cache: MutableMapping | None = None) -> Work:
    """Join the files' findings into one work, with paragraph and scene numbers running through it."""
    paragraphs: list[Paragraph] = []
    headings: dict[int, str] = {}
    subheadings: dict[int, tuple[str, ...]] = {}
    late_subheadings: dict[int, tuple[str, ...]] = {}
    ornaments: dict[int, tuple[str, ...]] = {}
    closing: dict[int, tuple[tuple[str, str], ...]] = {}
    breaks: dict[int, str] = {}
    scenes: list[Scene] = []
    file_starts: set[int] = set()
    line_counts: Counter = Counter()
    for si, fa in enumerate(files):
        base = len(paragraphs)
        file_starts.add(base)
        paragraphs += fa.paragraphs
        headings.update({base + i: h for i, h in fa.structure.headings.items()})
        end = len(fa.paragraphs)
        for i, lines in fa.structure.ornaments.items():
            if i == end and base + i > 0:       # what closes a file is shown after its last paragraph
                closing[base + i - 1] = closing.get(base + i - 1, ()) + tuple(("ornament", x) for x in lines)
            else:
                ornaments[base + i] = ornaments.get(base + i, ()) + lines
        for i, hs in fa.structure.subheadings.items():
            if i == end and base + i > 0:
                closing[base + i - 1] = closing.get(base + i - 1, ()) + tuple(("heading", h) for h in hs)
            else:
                subheadings[base + i] = subheadings.get(base + i, ()) + hs
        late_subheadings.update({base + i: hs for i, hs in fa.structure.late_subheadings.items()})
        breaks.update({base + i: mark for i, mark in fa.structure.breaks.items()})
        scenes += file_scenes(fa, keys[si], si, base, len(scenes), cache)
        line_counts.update(fa.line_counts)
    first = files[0].structure
    meta = work_meta(loaded, first.title, first.author)
    if not meta.summary:                            # an archive's "Summary:" block on top: the work's summary
        meta = replace(meta, summary=labelled_summary(first.work_notes))
    cast = loaded.cast or tuple({c.id: c for fa in files for c in fa.discovered}.values())
    quotes = tuple(chain.from_iterable(fa.quotes for fa in files))
    words = tuple(chain.from_iterable(fa.words for fa in files))
    scenes = tuple(scenes)
    spans = [(base, base + len(fa.paragraphs)) for base, fa in zip(accumulate((len(f.paragraphs) for f in files),
                                                                           initial=0), files)]
    by_file = len(files) > 1 and len(meta.chapter_info) == len(files) and not loaded.config.get("chapters")
    if by_file:                     # the k-th [[chapter]] is the k-th file: its title heads the file's first page
        headings.update({s: info.title for (s, e), info in zip(spans, meta.chapter_info) if info.title and e > s})
    chapters = make_chapters(words, headings, frozenset(file_starts), scenes,
                             target=meta.chapter_words, split=loaded.config.get("split", "auto"),
                             titles=() if by_file else meta.chapter_titles)
    if by_file:
        meta = replace(meta, chapter_info=chapter_info_by_file(meta.chapter_info, spans, chapters))
    cast_key = cast_digest(cast)
    facts = list(chain.from_iterable(timeline_facts(loaded.sources[si], fa, cast, keys[si], cast_key, cache)
                                     for si, fa in enumerate(files)))
    timeline = folded_timeline(loaded, facts, cast, cache)
    notes = sorted(chain.from_iterable((*fa.structure.work_notes, *fa.notes) for fa in files),
                   key=lambda n: (n.source, n.start))
    return Work(slug=loaded.slug, meta=meta, sources=loaded.sources, paragraphs=tuple(paragraphs),
                headings=headings, scenes=scenes, chapters=chapters, notes=tuple(notes), cast=tuple(cast),
                quotes=quotes, timeline=timeline,
                diagnostics=tuple(chain.from_iterable(fa.diagnostics for fa in files)),
                hidden=tuple((si, s, e) for si, fa in enumerate(files) for s, e in fa.hidden),
                title_span=(0, *first.title_span) if first.title_span else None, breaks=breaks,
                words=words, source_keys=keys, cast_discovered=not loaded.cast,
                line_counts=line_counts, subheadings=subheadings, ornaments=ornaments,
                late_subheadings=late_subheadings,
                closing=closing)
