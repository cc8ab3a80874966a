"""An archive's header fields ("Rated: T", "Status: Complete", FanFiction.net's stat line) as work.toml keys.

`sitegen import` reads them from a saved page; the structure stage from the "Key: value" lines a
pasted page keeps on top of the story. Both turn them into the keys work.toml would hold. A field
that has no key (reviews, favourites, a word count: sitegen counts the words itself) is returned
among the fields not used, so the caller can say so; the lines themselves stay visible as a note.
"""
from __future__ import annotations

import re
from datetime import datetime

# Archives name their languages; the site needs their codes (for <html lang>). Others are reported, not guessed.
LANGUAGES = {"english": "en", "español": "es", "spanish": "es", "français": "fr", "french": "fr",
             "deutsch": "de", "german": "de", "italiano": "it", "italian": "it",
             "português brasileiro": "pt-BR", "português europeu": "pt-PT", "portuguese": "pt",
             "polski": "pl", "polish": "pl", "nederlands": "nl", "dutch": "nl", "русский": "ru", "russian": "ru",
             "українська": "uk", "日本語": "ja", "japanese": "ja", "한국어": "ko", "中文-普通话 國語": "zh",
             "chinese": "zh", "中文-广东话 粵語": "yue", "bahasa indonesia": "id", "indonesian": "id",
             "tiếng việt": "vi", "vietnamese": "vi", "türkçe": "tr", "turkish": "tr", "svenska": "sv",
             "swedish": "sv", "suomi": "fi", "finnish": "fi", "dansk": "da", "danish": "da", "norsk": "no",
             "norwegian": "no", "čeština": "cs", "czech": "cs", "magyar": "hu", "hungarian": "hu",
             "العربية": "ar", "arabic": "ar", "עברית": "he", "hebrew": "he", "ελληνικά": "el", "greek": "el",
             "català": "ca", "catalan": "ca", "română": "ro", "romanian": "ro", "filipino": "fil",
             "tagalog": "fil"}
# AO3's categories: a "Category:" with one of these is one (else an archive's category is a fandom).
CATEGORIES = {"gen": "Gen", "f/m": "F/M", "m/m": "M/M", "f/f": "F/F", "multi": "Multi", "other": "Other",
              "het": "F/M", "slash": "M/M", "femslash": "F/F"}
# Header keys (lower case, in any language the label table knows) -> the work.toml key they fill.
KEYS = {"author": "author", "authors": "author", "by": "author", "auteur": "author", "autrice": "author",
        "autor": "author", "autora": "author", "автор": "author",
        "rating": "rating", "rated": "rating", "bewertung": "rating", "clasificación": "rating", "рейтинг": "rating",
        "fandom": "fandom", "fandoms": "fandom", "фэндом": "fandom", "фандом": "fandom",
        "category": "category", "categories": "category", "catégorie": "category",
        "genre": "tags", "genres": "tags", "géneros": "tags", "жанры": "tags", "tags": "tags",
        "additional tags": "tags", "теги": "tags", "тег": "tags",
        "warning": "warnings", "warnings": "warnings", "archive warning": "warnings",
        "archive warnings": "warnings", "предупреждения": "warnings",
        "pairing": "relationships", "pairings": "relationships", "relationship": "relationships",
        "relationships": "relationships", "пэйринг": "relationships", "пейринг": "relationships",
        "language": "language", "status": "status", "статус": "status",
        "published": "published", "posted": "published", "updated": "updated", "last updated": "updated",
        "chapters": "chapters"}
_DONE = re.compile(r"^(?:complete(?:d)?|finished|done|terminée?|terminado|abgeschlossen|закончен|завершён)\b", re.I)
_DATES = ("%Y-%m-%d", "%b %d, %Y", "%B %d, %Y", "%d %b %Y", "%d %B %Y", "%m/%d/%Y", "%Y/%m/%d", "%d.%m.%Y")


def language_code(name: str, meta: dict, unread: list[str]) -> None:
    """meta["language"] from a language's name ("English", "Français"); an unknown one is reported."""
    code = LANGUAGES.get(name.strip().lower())
    if code:
        meta["language"] = code
    elif name:
        unread.append(f"language {name}: set `language` in work.toml to its code (en, fr, ...)")


def ffn_meta_line(text: str, unread: list[str]) -> tuple[dict, list[str]]:
    """FanFiction.net's "Rated: Fiction T - English - Romance/Drama - Naruto U., Sakura H. - Words: 1,234 - ..." line:
    work.toml keys, and the characters it names."""
    meta: dict = {}
    parts = [p.strip() for p in text.split(" - ")]
    plain = [p for p in parts if ":" not in p]          # language, then genres, then characters
    characters: list[str] = []
    if plain:
        language_code(plain[0], meta, unread)
    if len(plain) >= 3:
        meta["tags"] = [g for g in plain[1].split("/") if g]
    if len(plain) >= 2:
        names = plain[-1].replace("[", ",").replace("]", ",")
        characters = [n.strip() for n in names.split(",") if n.strip()]
    for part in parts:
        key, _, value = part.partition(":")
        key = key.strip().lower()
        if key == "rated":
            meta["rating"] = value.replace("Fiction", "").strip()
        elif key == "words" and value.strip().replace(",", "").isdigit():
            meta["word_count"] = int(value.strip().replace(",", ""))
        elif key in ("published", "updated"):
            meta[key] = value.strip()
        elif key == "status":
            meta["complete"] = bool(_DONE.match(value.strip()))
        elif key == "chapters":
            _chapters(value, meta)
    return meta, characters


def iso_date(value: str) -> str | None:
    """"2012-01-05", "Jan 5, 2012", "1/5/2012" (FanFiction.net's month/day/year) ... as 2012-01-05."""
    value = value.strip()
    for form in _DATES:
        try:
            return datetime.strptime(value, form).date().isoformat()
        except ValueError:
            continue
    return None


def header_fields(pairs: list[tuple[str, str]]) -> tuple[dict, list[str]]:
    """work.toml keys from a header's (key, value) lines, and the keys it did not use.

    "Category/Rating: GEN/T" is two fields; FanFiction.net's stat line ("Rated: Fiction T - English
    - ...") is read whole; dates are kept only when they read as a date."""
    meta: dict = {}
    unused: list[str] = []
    for key, value in pairs:
        value = value.strip()
        if key.strip().lower() in ("rated", "rating") and " - " in value:
            found, _ = ffn_meta_line(f"{key}: {value}", unused)
            meta.update({k: v for k, v in found.items() if k != "word_count"})
            for date in ("published", "updated"):
                if date in meta and not iso_date(meta[date]):
                    del meta[date]
                elif date in meta:
                    meta[date] = iso_date(meta[date])
            continue
        keys = [k.strip().lower() for k in re.split(r"\s*[/&,+]\s*", key)]
        values = re.split(r"\s*/\s*", value) if len(keys) > 1 else [value]
        if len(keys) > 1 and len(values) != len(keys):
            unused.append(key)
            continue
        for k, v in zip(keys, values):
            if not _field(KEYS.get(k), v, meta, unused):
                unused.append(k)
    return meta, unused


def _field(key: str | None, value: str, meta: dict, unread: list[str]) -> bool:
    """Put one field into `meta`; False when it has no work.toml key or a value sitegen cannot read."""
    if not key or not value:
        return False
    if key in ("author", "fandom"):
        meta.setdefault(key, []).extend(v for v in re.split(r"\s*,\s*|\s+&\s+", value) if v)
    elif key == "rating":
        meta["rating"] = re.sub(r"^Fiction\s+", "", value)
    elif key == "category":
        found = [CATEGORIES.get(v.lower()) for v in re.split(r"\s*,\s*", value)]
        if all(found):
            meta.setdefault("categories", []).extend(found)
        else:
            meta.setdefault("fandom", []).append(value)
    elif key in ("tags", "warnings", "relationships"):
        meta.setdefault(key, []).extend(v for v in re.split(r"\s*,\s*" if key != "tags" else r"\s*[,/]\s*", value) if v)
    elif key == "language":
        language_code(value, meta, unread)
        return "language" in meta
    elif key == "status":
        meta["complete"] = bool(_DONE.match(value))
    elif key in ("published", "updated"):
        date = iso_date(value)
        if date is None:
            return False
        meta[key] = date
    elif key == "chapters":
        return _chapters(value, meta)
    return True


def _chapters(value: str, meta: dict) -> bool:
    """"20", "2/10" (10 planned), "3/?" (not known)."""
    m = re.fullmatch(r"\s*(\d+)\s*(?:/\s*(\d+|\?)\s*)?", value)
    if not m:
        return False
    total = m.group(2) if m.group(2) else m.group(1)
    if total.isdigit():
        meta["chapters_total"] = int(total)
    return True
