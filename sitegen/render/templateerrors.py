"""Say where a theme's template went wrong: the template file and line, what is missing, what it can use."""
from __future__ import annotations

import dataclasses
import os
import re
import traceback

import jinja2

from . import views
from ..errors import SitegenError
from ..model import Location

README_SECTION = 'the "Themes" section of sitegen\'s README ("What each template receives")'


def template_line(error: BaseException, name: str) -> Location:
    """The template file and line an error was raised at (Jinja puts template lines into the
    traceback); the innermost template wins, so a mistake in an included partial names the partial."""
    found = Location(name, 1, 1)
    for entry in traceback.extract_tb(error.__traceback__):
        if not entry.filename.endswith(".py") and not entry.filename.startswith("<") and entry.lineno:
            found = Location(shown_path(entry.filename), entry.lineno, 1)
    return found


def shown_path(path: str) -> str:
    """A template's path, relative to the current folder when it is inside it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return path
    return path if rel.startswith("..") else rel


def undefined_error(error: jinja2.UndefinedError, name: str, context: dict) -> SitegenError:
    """StrictUndefined's error, with the fields of the object it was looked up on or the
    template's variables, and where they are all listed."""
    missing = re.search(r"'(?:[\w.]+\.)?(\w+) object' has no attribute '(\w+)'", error.message or "")
    cls = getattr(views, missing.group(1), None) if missing else None
    if cls is not None and dataclasses.is_dataclass(cls):
        usable = f"a {cls.__name__} has: {', '.join(f.name for f in dataclasses.fields(cls))}"
    else:
        usable = f"{name} receives: {', '.join(sorted(context))}"
    return SitegenError(f"template {name} uses something that does not exist: {error.message}",
                        location=template_line(error, name),
                        hint=f"{usable}; every template's variables, field by field, are in {README_SECTION}")
