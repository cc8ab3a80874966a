"""Recognise the lines authors use as chapter headings, scene breaks and scene starts."""
from __future__ import annotations

import re
from . import sentences

_NUMBER_WORDS = (r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
                 r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|"
                 r"eighty|ninety|hundred|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|"
                 r"tenth|last|final")
_NUMBER = rf"(?:\d+|[ivxlcdm]+|(?:(?:{_NUMBER_WORDS})[\s-]*)+)"
_TITLE_TAIL = r"(?:\s*(?P<sep>[:.\-–—|]+\s*|\s+)(?P<rest>.*))?"

# The words a heading opens with, in the languages sitegen reads (English, French, German, Spanish,
# Italian, Portuguese, Polish, Russian): "Chapter 3", "Chapitre 3", "Kapitel 3", "Capítulo 3",
# "Rozdział 3", "Глава 3"; then parts and books; then the unnumbered ones.
_CHAPTER_WORDS = r"chapter|chap|ch|chapitre|kapitel|cap[ií]tulo|capitolo|rozdzia[łl]|глава"
_PART_WORDS = r"part|partie|teil|parte|cz[ęe][śs][ćc]|часть"
_BOOK_WORDS = r"book|livre|buch|libro|livro|ksi[ęe]ga|книга|volume"
_UNNUMBERED = r"prologue|prolog|pr[óo]logo|пролог|epilogue|[ée]pilogue|epilog|ep[íi]logo|эпилог|interlude"
# What a chapter page the author gave no title is called, in the same languages ("Chapitre 3").
CHAPTER_NAMES = {"en": "Chapter", "fr": "Chapitre", "de": "Kapitel", "es": "Capítulo", "it": "Capitolo",
                 "pt": "Capítulo", "pl": "Rozdział", "ru": "Глава"}
_NOT_A_LETTER = r"(?![^\W\d_])"        # "Ch.3" and "Chapter3" are headings, "Chapterhouse" is not
CHAPTER_HEADING = re.compile(
    rf"^(?:#{{1,6}}\s*)?(?:(?:{_CHAPTER_WORDS}){_NOT_A_LETTER}\.?\s*{_NUMBER}\b"
    rf"|(?:{_PART_WORDS}|{_BOOK_WORDS})\s+{_NUMBER}\b"
    rf"|(?:{_UNNUMBERED})\b|afterword\b(?=\s*$)|foreword\b(?=\s*$)){_TITLE_TAIL}$",
    re.I)
NUMBERED_CHAPTER = re.compile(rf"^(?:#{{1,6}}\s*)?(?:{_CHAPTER_WORDS}|{_PART_WORDS}){_NOT_A_LETTER}\.?\s*{_NUMBER}\b",
                              re.I)   # "Chapter 12"
MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+(?P<rest>\S.*?)\s*#*\s*$")

SCENE_BREAK = re.compile(
    r"^\s*(?:(?:[*~\-_=#+•·∙◦○●◆◇❖§¤°※⁂†✦✧❀☆★<>]\s*){1,12}"   # ***, * * *, ---, ~~~, <>, ⁂
    r"|[oO0](?:[oO0]){2,}|[xX]{3,}|(?:[-~=*]+\s*)?[oOxX](?:[-~=*]+\s*)?"  # oOo, xXx, -x-, ~o~
    r"|(?:[-~=*_]\s*)*(?:line\s*break|scene\s*break|break)(?:\s*[-~=*_])*)\s*$",
    re.I)

TIME_SKIP = re.compile(
    r"^(?:[\"'“‘]?\s*)?(?:later(?:\s+that\s+(?:day|night|evening|morning|afternoon|week))?\b"
    r"|(?:the\s+)?(?:next|following)\s+(?:day|morning|night|evening|afternoon|week|month|year)\b"
    r"|that\s+(?:night|evening|morning|afternoon)\b"
    r"|(?:a|one|two|three|four|five|six|seven|several|a\s+few|a\s+couple\s+of|some|many|\d+)\s+"
    r"(?:hours?|days?|weeks?|months?|years?|minutes?)\s+(?:later|after|earlier|ago|passed|went\s+by)\b"
    r"|(?:hours|days|weeks|months|years)\s+(?:later|passed|went\s+by)\b"
    r"|meanwhile\b|in\s+the\s+meantime\b|elsewhere\b"
    r"|(?:early|late)\s+(?:the\s+next|that|the\s+following)\s+\w+"
    r"|the\s+(?:day|night|morning|week)\s+(?:after|before)\b"
    r"|(?:on\s+)?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)(?:\s+morning|\s+night)?\s*,"
    r")", re.I)

WAKING = re.compile(
    r"^(?:[A-Z][\w'’-]*|the\s+\w+|she|he|they|i)(?:\s+[A-Z][\w'’-]*)?\s+"
    r"(?:soon\s+|finally\s+|slowly\s+|then\s+|eventually\s+|suddenly\s+)?"
    r"(?:woke|awoke|awakened|awoken|wakes|awakes|came\s+to)\b", re.I)

TRAVEL = re.compile(
    r"\b(?:made\s+(?:her|his|their|my|our)\s+way|headed\s+(?:straight\s+)?(?:to|towards?|for|back|off|over)"
    r"|set\s+off|arrived\s+(?:at|in)|walked\s+into|entered\s+the|left\s+for)\b", re.I)

def numbered_chapter(number: int, language: str | None) -> str:
    """The title of a chapter page the author gave none: "Chapter 3" in the work's language
    ("fr", "fr-CA": "Chapitre 3"); English for a language not in CHAPTER_NAMES."""
    code = re.split(r"[-_]", (language or "en").strip().lower())[0]
    return f"{CHAPTER_NAMES.get(code, CHAPTER_NAMES['en'])} {number}"


def heading_title(line: str) -> str | None:
    """The chapter title a heading gives ("Chapter 12: The Bridge"), or None.

    A heading may run over up to three short lines ("CHAPTER I." / "Down the Rabbit-Hole").
    """
    lines = [part.strip() for part in line.strip().splitlines()]
    if len(lines) > 3:
        return None
    line = " ".join(part for part in lines if part)
    if len(line) > 90:
        return None
    m = CHAPTER_HEADING.match(line)
    if m:
        rest, sep = m.group("rest") or "", (m.group("sep") or "").strip()
        if not sep and len(rest.split()) > 3 and rest.rstrip().endswith((".", "!", "?", ",")):
            return None                  # "Chapter two was the hardest to write." is a sentence
        return line.lstrip("#").strip()
    m = MARKDOWN_HEADING.match(line)
    return _unwrapped(m.group("rest")) if m else None


def _unwrapped(words: str) -> str:
    """A heading's words without the emphasis round them ("**Prologue**" -> "Prologue")."""
    for _ in range(3):
        m = re.fullmatch(r"([*_]{1,3})(.*?)\1", words.strip(), re.S)
        if not m:
            break
        words = m.group(2).strip()
    return words


MARKUP_ESCAPE = re.compile(r"\\(?=[^\w\s])")          # Markdown's backslash escapes: "\----" is "----"
_SILENCE = set(".?!…\"'“”‘’()[] ")                    # "...", "?!", "(...)": a speechless line, not a break


def repeating_unit(chars: str) -> str | None:
    """The shortest unit (at most 4 characters) that `chars` repeats at least twice, else None.

    A trailing part of a unit may end it ("-x-x-x-" is "-x" three times and "-").
    """
    for size in range(1, min(4, len(chars) // 2) + 1):
        unit = chars[:size]
        if (unit * (len(chars) // size + 1)).startswith(chars):
            return unit
    return None


def is_decoration(line: str) -> bool:
    """True for a line with no word of prose, made of repeated punctuation or a repeated pattern:
    "***", "~*~", "<><><>", ".:O:.:O:.", "-x-x-x-", "oOoOo", a row of dashes.

    The general rule: no letter or digit at all (and not a speechless "..." or "?!"), or a short
    unit that repeats and mixes punctuation with at most one letter, or one letter repeated in
    alternating case ("oOoOo").
    """
    chars = MARKUP_ESCAPE.sub("", line).replace(" ", "").replace("\t", "")
    if not chars or len(chars) > 120 or "\n" in chars:
        return False
    if not any(c.isalnum() for c in chars):
        return not set(chars) <= _SILENCE
    letters = set()
    for c in chars:
        if c.isalpha():
            letters.add(c.lower())
            if len(letters) > 1:                 # prose: no need to read on
                return False
    if len(letters) != 1 or any(c.isdigit() for c in chars):
        return False
    unit = repeating_unit(chars.lower())
    if unit is None:
        return False
    if any(not c.isalpha() for c in unit):
        return True                              # "-x-x-", ".:o:.:o:."
    changes = sum(a.isupper() != b.isupper() for a, b in zip(chars, chars[1:]))
    return changes >= 2                          # "oOoOo", "xXx"; not "Zzzz" or "hahaha"


_ATX_MARKS = re.compile(r"^#{1,6}[ \t]+|[ \t]+#+[ \t]*$")
_TIDY_RULE = re.compile(r"([*_\-])(?:\1{2,}|(?:[ \t]+\1){2,})")     # "***", "* * *", "___": a rule as typed


def shown_separator(raw: str, heading: bool = False) -> str:
    """A separator line as the reader sees it: the author's visible characters, not Markdown syntax.

    Backslash escapes and a heading's `#` marks go; emphasis markup with no words in it
    (`** **`, `_ _`, a heading of `****`) is a decoration with nothing to show, so it comes
    back "" (the caller shows a plain break, or nothing next to another break). A tidy
    rule typed as `***` or `* * *` stays as typed.
    """
    line = _ATX_MARKS.sub("", MARKUP_ESCAPE.sub("", raw.strip())).strip()
    if re.fullmatch(r"[*_\s]*", line) and (heading or not _TIDY_RULE.fullmatch(line)):
        return ""
    return line


def without_empty_markup(text: str) -> str:
    """A note's text without its paragraphs of empty emphasis ("_ _", "** **"): decoration with nothing to show."""
    parts = text.split("\n\n")
    return "\n\n".join(p for p in parts if not (p.strip() and is_scene_break(p) and not shown_separator(p)))


def one_separator(lines) -> str:
    """Separator lines in a row, with only notes or markup between them, shown as one: their visible
    characters joined on one line ("" when none has any)."""
    return " ".join(x for x in lines if x)


def is_scene_break(line: str) -> bool:
    """True for a line that only marks a scene break (***, * * *, ---, ~~~, oOo, xXx, ⁂, .:O:.:O:.)."""
    text = line.strip()
    if "\n" in text or len(text) > 240:
        return False
    return (len(text) <= 40 and bool(SCENE_BREAK.match(text))) or is_decoration(text)


def first_sentence(text: str) -> str:
    """The paragraph's opening sentence, where scene-start cues are looked for. A title's full stop ends
    it here ("Mr." cuts it short): measured on the dev novels, cues read past a title come from deep
    inside long sentences (4 paragraphs of Emma, 3 of Pride and Prejudice gained weak scene starts)."""
    return sentences.first_sentence(text, abbreviations=frozenset())


def scene_start_reason(text: str) -> tuple[str, bool] | None:
    """Why a paragraph starts a new scene, and whether the sign is strong; None if it doesn't."""
    m = TIME_SKIP.match(text)
    if m:
        return f"time skip: {m.group(0).strip(' ,')}", True
    first = first_sentence(text)
    if WAKING.match(first):
        return "a character wakes", True
    m = TRAVEL.search(first)
    if m:
        return f"change of place: {m.group(0)}", False
    return None
