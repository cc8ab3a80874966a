"""The theme's markup inside the prose: a quote's span and a sidenote, from its macros (templates/macros/).

A quote's markup is rendered once per kind, speaker and certainty (with a
stand-in for the words) and cut in two, so a million words of dialogue cost a
few macro calls; a sidenote is rendered per note. A site overrides either macro
like any template (its own templates/macros/quote.html).
"""
from __future__ import annotations

from functools import lru_cache

import jinja2
from markupsafe import Markup

from ..errors import SitegenError
from ..model import Location

QUOTE, SIDENOTE = "macros/quote.html", "macros/sidenote.html"
_WORDS = Markup("\x00sitegen-words\x00")          # no text reaches a macro with a NUL in it


class ProseMarkup:
    """`quote(kind, speaker, sure)` -> (html before, html after) a quote's words; `sidenote(number, id, html)`.
    `key` changes when either macro's source does (chapter bodies are kept by it)."""

    def __init__(self, env: jinja2.Environment):
        self.key = tuple(_source(env, name) for name in (QUOTE, SIDENOTE))
        self._quote = _macro(env, QUOTE, "quote")
        self._sidenote = _macro(env, SIDENOTE, "sidenote")
        self.quote = lru_cache(maxsize=None)(self._quote_parts)

    def _quote_parts(self, kind: str, speaker: str, sure: bool) -> tuple[str, str]:
        html = _call(self._quote, QUOTE, kind=kind, speaker=speaker, sure=sure, text=_WORDS)
        before, found, after = html.partition(_WORDS)
        if not found or _WORDS in after:
            raise SitegenError(f"the macro quote() in {QUOTE} must show its `text` once, as {{{{ text }}}}",
                               path=QUOTE, hint="put {{ text }} between the opening and closing tag")
        return str(before), str(after)

    def sidenote(self, number: int, note_id: str, note_html: str) -> str:
        return str(_call(self._sidenote, SIDENOTE, number=number, id=note_id, text=Markup(note_html)))


def _source(env: jinja2.Environment, name: str) -> str:
    try:
        return env.loader.get_source(env, name)[0]
    except jinja2.TemplateNotFound:
        raise SitegenError(f"template not found: {name}", path=name,
                           hint="sitegen's default theme has it; copy it with `sitegen theme copy`") from None


def _macro(env: jinja2.Environment, name: str, macro: str):
    try:
        found = getattr(env.get_template(name).module, macro, None)
    except jinja2.TemplateSyntaxError as e:
        raise SitegenError(f"template syntax error: {e.message}", location=Location(e.filename or name, e.lineno, 1),
                           hint="fix the template at that line") from None
    if found is None:
        raise SitegenError(f"{name} defines no macro {macro}()", path=name,
                           hint=f"define {{% macro {macro}(...) %}} as the default theme's {name} does")
    return found


def _call(macro, name: str, **args) -> str:
    try:
        return macro(**args)
    except (jinja2.UndefinedError, TypeError) as e:
        raise SitegenError(f"{name}: {e}", path=name,
                           hint=f"the macro receives {', '.join(args)}; see README, Themes") from None


@lru_cache(maxsize=1)
def default_prose() -> ProseMarkup:
    """The built-in default theme's markup (for callers with no site, such as tests and the EPUB alone)."""
    from .theme import Theme, builtin_themes, make_environment
    return ProseMarkup(make_environment(Theme("default", (builtin_themes() / "default" / "templates",), ())))
