"""Where a scene happens: a place phrase in its narration ("at the bridge", "to the Hokage tower")."""
from __future__ import annotations

import re

_PLACE_NOUNS = frozenset("""
roof rooftop rooftops bridge hospital clinic ward gate gates tower towers forest woods wood jungle valley river lake
pond stream waterfall falls bench road path trail street alley lane room office house home kitchen bedroom
bathroom hallway hall corridor classroom school academy library village city town park garden field fields
meadow clearing grounds market shop store restaurant cafe café bar pub inn hotel castle palace temple shrine
church chapel station beach shore coast sea ocean mountain mountains hill hills cave cliff camp base ship boat
apartment flat compound estate mansion manor tent cemetery graveyard stadium arena gym dojo courtyard yard
square plaza island desert border headquarters prison cell dungeon laboratory lab doorway porch balcony
attic basement cellar barn stable stables farm harbour harbor dock docks pier train bus car carriage
tavern parlour parlor lounge study theatre theater cinema mall canyon ridge plains swamp marsh
""".split())
_DETERMINERS = r"(?:the|a|an|her|his|their|its|our|my|your|this|that|[A-Z][\w-]*(?:'s|\u2019s))"
_PLACE_PREPS = r"(?:in|inside|at|on|onto|into|to|towards|toward|near|outside|beside|across|through|" \
               r"up|down|over|from|under|atop|reached|entered|arrived at)"
_PLACE_START = re.compile(r"\b" + _PLACE_PREPS + r"\s+(" + _DETERMINERS + r")\s+")
_PROPER_PLACE = re.compile(r"\b(?:in|inside|outside|near)\s+([A-Z][a-z]{2,}(?:\s+[A-Z][a-z]+)?)\b(?!['\u2019])")
# Words that name a person by rank or role, never a place ("in King Arthur's court" is not at "King").
_PERSON_TITLES = frozenset("""
king queen prince princess lord lady sir dame master mistress professor doctor captain cadet general sergeant
lieutenant commander colonel major admiral officer agent detective inspector father mother brother sister
uncle aunt grandma grandpa mr mrs ms miss madam mister saint emperor empress duke duchess count countess
baron baroness chief elder sensei teacher headmaster headmistress
""".split())
_FUNCTION = frozenset("""
a an the and or but nor so yet for with without of in on at to from by as than that which who whom whose
when where while if then though although because since until he she it they we you i him her them us me
his its their our your my this these those was were is are am be been being had has have did does do
would could should will can may might must not no just only very too also there here before after
""".split())
_NP_END = re.compile(r"[,.;:!?\"()\[\]\u201c\u201d\u2014\u2026\n]|\s['\u2018\u2019]|['\u2018\u2019]\s")


def _is_place_noun(word: str) -> bool:
    w = word.lower().rstrip("'\u2019")
    return w in _PLACE_NOUNS or (w.endswith("s") and w[:-1] in _PLACE_NOUNS)


def _place_phrase(text: str, det_start: int, words_start: int) -> str | None:
    """The noun phrase from its determiner to a place noun at its head, or None."""
    stop = _NP_END.search(text, words_start, words_start + 80)
    words = text[words_start:stop.start() if stop else words_start + 80].split()[:5]
    for k, word in enumerate(words[:4]):
        if word.lower() in _FUNCTION:
            return None
        if _is_place_noun(word) and not (k + 1 < len(words) and _is_place_noun(words[k + 1])):
            phrase = text[det_start:words_start] + " ".join(words[:k + 1])
            tail = re.match(r"\s+of\s+(" + _DETERMINERS + r")\s+", text[words_start:].split(words[k], 1)[1])
            if tail:                                  # "the doorway of the roof": the roof is the place
                at = text.index(words[k], words_start) + len(words[k]) + tail.start(1)
                inner = _place_phrase(text, at, at + len(tail.group(1)) + 1)
                return inner or phrase
            return phrase
    return None


def find_place(narration: str, names: frozenset[str] = frozenset()) -> tuple[str | None, str | None]:
    """The first place a stretch of narration names: (phrase, the words it came from)."""
    best: tuple[int, str, str] | None = None
    for m in _PLACE_START.finditer(narration):
        phrase = _place_phrase(narration, m.start(1), m.end())
        if phrase:
            best = (m.start(), phrase, m.group(0) + phrase[len(m.group(1)) + 1:])
            break
    for m in _PROPER_PLACE.finditer(narration):
        word = m.group(1)
        if best and m.start() > best[0]:
            break
        if not set(word.split()) & names and word.lower() not in _FUNCTION \
                and word.split()[0].lower() not in _PERSON_TITLES:
            best = (m.start(), word, m.group(0))
            break
    return (best[1], best[2].strip()) if best else (None, None)
