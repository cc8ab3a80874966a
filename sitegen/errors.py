"""The one exception a user's mistake raises: what is wrong, where, and how to fix it."""
from __future__ import annotations

from .model import Location


class SitegenError(Exception):
    """A problem in the user's files or command; the CLI prints it without a traceback."""

    def __init__(self, message: str, *, location: Location | None = None, hint: str = "",
                 path: str | None = None, problems: tuple["SitegenError", ...] = ()):
        super().__init__(message)
        self.message = message
        self.location = location
        self.path = path
        self.hint = hint
        self.problems = problems         # several mistakes reported together (then this one sums them up)

    def __str__(self) -> str:
        if self.problems:
            return "\n".join(str(p) for p in self.problems)
        where = str(self.location) if self.location else (self.path or "")
        text = f"{where}: error: {self.message}" if where else f"error: {self.message}"
        return f"{text}\n  hint: {self.hint}" if self.hint else text
