"""The dialogue engine: find the quotes of a text, speech or thought, and who says them.

Stages, each a plain function over plain data:
    convention.detect_marks which marks open quotes (« », „ “, » «, dashes), per work
    text.spans.pair_marks  quote marks -> quoted spans (+ problems with broken marks)
    dashes                 dash dialogue, and incises ("dit-il") inside a speech
    convention.detect      fic | british | american, from how the marks pair
    discover.discover_cast candidate characters, when no cast is given (describe: descriptions in
                           tags; wordindex: where each word of the text stands)
    text.names.find_mentions where cast members are named
    kinds.kind_of          speech, thought or written (a letter, a note, a text message)
    languages              per-language tables (verbs, pronouns) in languages/<code>.toml
    tags                   speech tags, beats and vocatives around and inside a quote
    rules                  the ordered named rules (anchors, then fallbacks), each a function
                           of one quote's frozen Line returning a Vote(speaker, confidence, rule)
    attribute.attribute    the walk that runs the rules on every quote (salience.py keeps
                           who was mentioned and who spoke; turns.py re-decides exchanges)
    split.speakers         the walk of a long text in units that start at chapter headings,
                           shared between cores (the same votes as one walk)
    plain.is_plain         scare quotes, quoted titles and code stay plain text
    features, scorer       candidates and features per quote; the learned scorer decides
                           the quotes no rule of the model's `alone` list decided
    sequence               exchanges decoded as sequences: a beam search over the scorer's
                           candidates with learned transition weights (A-B-A, a third
                           speaker, a continued speech)
    export                 JSON Lines for `sitegen quotes` / `python -m sitegen.dialogue`

Override a wrong guess with a marker right after the closing quote mark; it is
removed from the rendered page:

    "Hello,"{=naruto} she said.          the speaker is the cast member `naruto`
    'Run!'{=sakura thought}              speaker and kind (speech | thought | written)
    "Who's there?"{=?}                    the speaker is unknown
"""
from __future__ import annotations

# The engine is imported when first used, not with the package: a build whose files are all in the
# kept cache needs only light parts of it (the quote-mark convention), and compiling the engine's
# patterns costs about half a second.
_ENGINE = frozenset({"Analysis", "DialogueResult", "analyse", "find_quotes", "run_on_problems", "scan_paragraphs"})


def load_engine() -> None:
    """Import the engine now: a process about to fork workers compiles its patterns once, for all of them."""
    from . import engine  # noqa: F401


def __getattr__(name: str):
    if name in _ENGINE:
        from . import engine
        return getattr(engine, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
