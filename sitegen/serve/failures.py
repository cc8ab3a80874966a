"""Turn a failed build's exception into the overlay's BuildFailure: user mistake, template error or bug."""
from __future__ import annotations

import traceback
from pathlib import Path

from ..errors import SitegenError
from .state import BuildFailure

_TEMPLATE_SUFFIXES = (".html", ".htm", ".xml", ".j2", ".jinja", ".jinja2", ".txt", ".css")


def describe_failure(exc: BaseException, site_dir: Path) -> tuple[BuildFailure, bool]:
    """(failure, is_bug): is_bug is True when the terminal should get the traceback."""
    if isinstance(exc, SitegenError):
        where = str(exc.location) if exc.location else (exc.path or "")
        return BuildFailure("the build failed", exc.message, _relative(where, site_dir),
                            exc.hint, str(exc)), False
    template = _template_frame(exc)
    if template is not None:
        name = type(exc).__name__
        where = _relative(template, site_dir)
        hint = "fix the template at the line named above; the page keeps its last good version meanwhile"
        message = f"{name}: {exc}"
        return BuildFailure("a template failed", message, where, hint,
                            f"{where}: error: {message}\n  hint: {hint}"), False
    message = f"{type(exc).__name__}: {exc}"
    hint = "this is a bug in sitegen, not in your files: the traceback is in the terminal; please report it"
    return BuildFailure("unexpected error in the builder", message, "", hint,
                        f"error: {message}\n  hint: {hint}"), True


def _template_frame(exc: BaseException) -> str | None:
    """"file:line" of the innermost template frame of a Jinja error, or None if no template is involved."""
    lineno = getattr(exc, "lineno", None)
    filename = getattr(exc, "filename", None) or getattr(exc, "name", None)
    if type(exc).__module__.startswith("jinja2") and filename and lineno:
        return f"{filename}:{lineno}"       # TemplateSyntaxError knows where it is
    frames = [f for f in traceback.extract_tb(exc.__traceback__)
              if f.filename.endswith(_TEMPLATE_SUFFIXES)]
    if frames:
        return f"{frames[-1].filename}:{frames[-1].lineno}"
    if type(exc).__module__.startswith("jinja2"):
        return filename or "a template"
    return None


def _relative(where: str, site_dir: Path) -> str:
    """A location with the site folder stripped, as the user would type it."""
    prefix = str(site_dir.resolve()) + "/"
    return where[len(prefix):] if where.startswith(prefix) else where
