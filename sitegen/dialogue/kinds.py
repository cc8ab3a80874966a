"""Speech, thought or written words: from the quote marks, the work's convention and the verbs.

Written words (a letter, a note, a sign, a text message) are told by their frame: a verb of
writing next to the quote ("she texted", "he wrote:"), or a written thing that says or reads
it ("the note read:", "read the sign"). English only; other languages keep speech and thought."""
from __future__ import annotations

import re
from functools import lru_cache

from . import langtags
from .languages import language
from .marks import DOUBLE, ITALIC, SINGLE, SPEECH_FAMILIES, Span

def kind_of(span: Span, convention: str, text: str, para_start: int, tag_thought: bool, lang: str = "en") -> str:
    """speech | thought for one span; `tag_thought` says its tag uses a verb of thinking."""
    if span.family == ITALIC:
        return "thought"
    if convention == "fic" or (convention == "american" and span.family == SINGLE):
        if span.family == DOUBLE:
            return "speech"
        if span.family in SPEECH_FAMILIES:       # « », 「 」, dashes: speech unless a verb of thinking
            return "thought" if tag_thought else "speech"
        said_before = _say_before(lang).search(text, max(para_start, span.start - 40), span.start)
        return "speech" if said_before else "thought"
    return "thought" if tag_thought else "speech"


_THINK_AFTER = re.compile(r"[\s,;\u2014-]*(?:[\w'-]+\s+){0,3}?(?:thought|thinks|wondered|wonders|mused|"
                          r"pondered|reflected)\b|[\s,]*\w+(?:\s+\w+)?\s+(?:asked|told|said\s+to)\s+"
                          r"(?:him|her|my|them)sel(?:f|ves)\b")
_THINK_BEFORE = re.compile(r"\b(?:thought|wondered|mused|pondered)\b[^.!?\"']{0,30}[,:]?\s*$")


@lru_cache(maxsize=None)
def _say_before(lang: str) -> re.Pattern:
    """A word for "said" / "asked" (the language's `said_words`) ending the narration before a quote."""
    words = "|".join(sorted(map(re.escape, language(lang).said_words), key=len, reverse=True))
    return re.compile(r"(?<!\w)(?:%s)\s*[,:]?\s*$" % words, re.I)


def tag_says_thought(text: str, span: Span, paragraphs, lang: str = "en") -> bool:
    """True when a verb of thinking tags the span ("thought Alice", "she wondered, ...")."""
    ps, pe = paragraphs[span.paragraph]
    if lang != "en":
        after = langtags.find_after(text[span.end:min(pe, span.end + 60)], lang)
        before = langtags.find_before(text[max(ps, span.start - 60):span.start], lang)
        return bool(after and after[4] or before and before[4])
    return bool(_THINK_AFTER.match(text, span.end, min(pe, span.end + 60)) or
                _THINK_BEFORE.search(text, max(ps, span.start - 60), span.start))


_WRITTEN_THING = (r"(?:note|letter|sign|message|text|card|screen|paper|page|headline|banner|label|postcard|"
                  r"e-?mail|telegram|memo|notice|poster|caption|inscription|plaque|scroll|slip|envelope|"
                  r"display|notification|board|placard)s?")
_WRITES = r"(?:wrote|writes|scribbled|scrawled|typed|texted|messaged|printed|engraved|inscribed|signed off)"
_WRITTEN_BEFORE = re.compile(
    rf"(?:\b{_WRITES}\b|\b{_WRITTEN_THING}\s+(?:said|says|read|reads|ran|runs)\b|\bread(?:s|ing)?(?:\s+aloud)?\s*[,:])"
    r"(?:[^.!?\"\u201c\u201d]{0,40}?[,:])?\s*$")
_WRITTEN_AFTER = re.compile(
    rf"[\s,]*(?:(?:[\w'-]+\s+){{0,3}}?{_WRITES}\b|(?:read|reads|said|says)\s+the\s+(?:\w+\s+)?{_WRITTEN_THING}\b"
    rf"|the\s+(?:\w+\s+)?{_WRITTEN_THING}\s+(?:said|read)\b)")


def is_written(text: str, span: Span, paragraphs, lang: str = "en") -> bool:
    """True when the frame of the quote says it is written words (a letter, a note, a text)."""
    if lang != "en" or span.family == ITALIC:
        return False
    ps, pe = paragraphs[span.paragraph]
    return bool(_WRITTEN_AFTER.match(text, span.end, min(pe, span.end + 60)) or
                _WRITTEN_BEFORE.search(text, max(ps, span.start - 80), span.start))
