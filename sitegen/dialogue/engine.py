"""The dialogue engine's entry points: find_quotes and analyse run its stages (listed in the package's docstring) on one text."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..model import Character, Diagnostic, Quote, SourceText
from ..text.spans import blank
from .around import Around, split_mentions
from .convention import CONVENTIONS, detect_convention, marks_for
from .dashes import dash_spans, opens_with_dash, split_incises
from .discover import discover_cast
from .kinds import is_written, kind_of, tag_says_thought
from .languages import detect_language, language
from .marks import DASH, GUILLEMET, MarkProblem, Span, italic_thoughts, pair_marks
from ..text.names import Mention, NameIndex, build_index, find_mentions
from .overrides import find_overrides
from .plain import is_plain
from .scorer import DEFAULT, decide, load_model
from .split import speakers

__all__ = ["DialogueResult", "find_quotes", "analyse", "Analysis", "CONVENTIONS"]


@dataclass(frozen=True)
class DialogueResult:
    """Everything the engine found in one source text."""
    quotes: tuple[Quote, ...]            # reading order
    diagnostics: tuple[Diagnostic, ...]  # broken quote marks, with where and how to fix
    convention: str                      # fic | british | american
    discovered: tuple[Character, ...]    # candidate cast found in the text (only without a cast)
    hidden: tuple[tuple[int, int], ...]  # override markers the renderer drops
    language: str = "en"                 # the language table used for tags and pronouns


@dataclass(frozen=True)
class Analysis:
    """The engine's working state for one text: spans, kinds, names, and the rules' votes."""
    text: str                            # the source with overrides and skipped spans blanked
    paragraphs: tuple[tuple[int, int], ...]
    spans: tuple[Span, ...]
    kinds: tuple[str, ...]
    index: NameIndex
    mentions: tuple[Mention, ...]
    votes: tuple[tuple[str | None, float], ...]   # the ordered rules' (speaker, confidence) per span
    around: tuple[Around, ...]           # what the narration around each span says (around.read_around)
    overrides: dict                      # span index -> speaker named by a marker
    convention: str
    discovered: tuple[Character, ...]
    problems: tuple
    markers: tuple
    language: str = "en"


def analyse(source: SourceText, paragraphs: Sequence[tuple[int, int]], cast: Sequence[Character],
            *, convention: str | None = None, skip: Sequence[tuple[int, int]] = (), lang: str | None = None,
            marks: tuple[str, bool] | None = None) -> Analysis:
    """Quotes, kinds, mentions and the rules' speaker votes for `source` (before the learned scorer)."""
    raw = source.text
    markers = find_overrides(raw)
    text = blank(raw, [*skip, *((o.start, o.end) for o in markers)], keep_lines=True)
    lang = language(lang or detect_language(text)).code
    style, dash = marks or marks_for(convention, text)
    spans, problems = scan_paragraphs(text, paragraphs, style, dash, lang)
    spans = [s for s in spans if not is_plain(text, s, paragraphs[s.paragraph][0])]
    conv = convention if convention in CONVENTIONS else detect_convention(spans)
    cast = tuple(cast)
    discovered = () if cast else discover_cast(text, spans, lang)
    index = build_index(cast or discovered)
    by_end = {o.start: o for o in markers}
    overrides = {k: by_end[s.end] for k, s in enumerate(spans) if s.end in by_end}
    kinds = [overrides[k].kind if k in overrides and overrides[k].kind else
             "written" if is_written(text, s, paragraphs, lang) else
             kind_of(s, conv, text, paragraphs[s.paragraph][0], tag_says_thought(text, s, paragraphs, lang), lang)
             for k, s in enumerate(spans)]
    mentions = find_mentions(index, text)
    named = {k: o.speaker for k, o in overrides.items()}
    narration, quoted = split_mentions(mentions, spans)
    around, votes = speakers(text, paragraphs, spans, kinds, index, narration, quoted, named, lang)
    return Analysis(text, tuple(paragraphs), tuple(spans), tuple(kinds), index, tuple(mentions), tuple(votes),
                    tuple(around), named, conv, discovered, tuple(problems), tuple(markers), lang)


def find_quotes(source: SourceText, paragraphs: Sequence[tuple[int, int]], cast: Sequence[Character],
                *, source_index: int = 0, convention: str | None = None,
                skip: Sequence[tuple[int, int]] = (), lang: str | None = None,
                marks: tuple[str, bool] | None = None, model=DEFAULT) -> DialogueResult:
    """The quotes of `source` within `paragraphs` (ignoring `skip`), attributed to `cast`.

    `lang` is a language code (detected from the text when None); `marks` is the work's
    (style, dash) from convention.marks_for (detected from this text when None);
    `convention` may also name a mark convention ("guillemets", "dash", ...); `model` is the
    learned scorer's weights (default: the shipped ones; None: the rules alone decide)."""
    raw = source.text
    a = analyse(source, paragraphs, cast, convention=convention, skip=skip, lang=lang, marks=marks)
    decisions = decide(a, load_model() if model is DEFAULT else model)
    quotes = tuple(Quote(source_index, s.start, s.end, kind, d.speaker, round(d.confidence, 2),
                         raw[s.start:s.end], s.broken, d.evidence)
                   for s, kind, d in zip(a.spans, a.kinds, decisions))
    diagnostics = tuple(Diagnostic(source.locate(p.offset), p.message, p.hint)
                        for p in sorted((*a.problems, *run_on_problems(a, decisions, {c.id: c.name for c in (*cast, *a.discovered)})), key=lambda p: p.offset))
    return DialogueResult(quotes, diagnostics, a.convention, a.discovered,
                          tuple((o.start, o.end) for o in a.markers), a.language)


def run_on_problems(a: Analysis, decisions, names: dict[str, str]) -> list[MarkProblem]:
    """A quote left open at its paragraph's end, read as a speech running on because the next paragraph
    opens with a quote mark, whose next paragraph is someone else's speech: the mark was probably
    not closed (else the next line would have been given to the same speaker, silently)."""
    out = []
    for k, s in enumerate(a.spans[:-1]):
        nxt, mine, theirs = a.spans[k + 1], decisions[k].speaker, decisions[k + 1].speaker
        if s.continues and nxt.paragraph == s.paragraph + 1 and mine and theirs and mine != theirs \
                and a.kinds[k] == a.kinds[k + 1] == "speech":
            out.append(MarkProblem(s.start, "this quote is probably not closed: the next paragraph opens with a "
                                            "quote mark, as a speech running on over paragraphs does, but its "
                                            f"speaker is {names.get(theirs, theirs)}, not {names.get(mine, mine)}",
                                   "add the closing mark where the speech ends (or, if the speech runs on, "
                                   "name its speaker with {=id} after the next paragraph's closing mark)"))
    return out


def scan_paragraphs(text: str, paragraphs: Sequence[tuple[int, int]], style: str = "", dash: bool = False,
                    lang: str = "en"):
    """Quoted spans of every paragraph in reading order, and the broken marks met.

    With `dash`, a paragraph opening with a dash is a line of speech (dashes.py); so is one
    inside a « that an earlier paragraph opened and a later one closes (French exchanges)."""
    spans: list[Span] = []
    problems = []
    run = False                                   # a « is open across dash paragraphs
    thinking = () if lang == "en" else language(lang).thought_verbs
    for p, (start, end) in enumerate(paragraphs):
        if (dash or run) and opens_with_dash(text, start, end):
            found, closed = dash_spans(text, start, end, p, lang, run)
            run = run and not closed
            trouble = []
        else:
            nxt = paragraphs[p + 1] if p + 1 < len(paragraphs) else None
            next_opens = _next_opens(text, nxt)
            found, trouble = pair_marks(text[start:end], start, p, next_opens, style)
            run = next_opens == DASH and bool(found) and found[-1].family == GUILLEMET and not found[-1].closed
            if lang != "en":
                found = [piece for s in found for piece in split_incises(text, s, lang)]
        found += italic_thoughts(text, start, end, p, found, thinking)
        spans.extend(sorted(found, key=lambda s: s.start))
        problems.extend(trouble)
    return spans, problems


def _next_opens(text: str, nxt: tuple[int, int] | None) -> str | None:
    """The family of the quote mark the next paragraph opens with (dash: a dash), or None."""
    if nxt is None:
        return None
    c = text[nxt[0]] if nxt[0] < len(text) else ""
    if not c:
        return None
    if c in "\"\u201c":
        return "double"
    if c in "'\u2018":
        return "single"
    if c == "\u00ab":
        return GUILLEMET
    return DASH if opens_with_dash(text, *nxt) else None
