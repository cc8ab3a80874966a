"""The layout keeps its shape: imports go one way, modules stay small and say their job, each idea is written once.

Every module under sitegen/ is parsed with `ast` (nothing is imported). An import anywhere in a
module counts, also inside a function or under `if TYPE_CHECKING:`: a late import still ties two
modules together. The map these tests enforce is README's Architecture section.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "sitegen"
MAX_LINES = 500

# Layers, lowest first: a module may import its own layer or a lower one, never a higher one.
LAYERS = [
    {"sitegen", "model", "packed", "errors", "progress", "parallel"},    # plain data and helpers everyone may use
    {"text"},                   # paragraphs, markers, names, slugs, sentences (and spans): text in, offsets out
    {"importers"},              # other formats (AO3, EPUB, .docx, saved pages) read as Markdown
    {"load"},                   # a site's files, config, casts, front matter, dates
    {"cache"},                  # the one BuildCache (each stage's results, by their inputs)
    {"dialogue"},               # quotes, their kinds and speakers
    {"stages"},                 # structure, notes, per-file analysis, meta, scenes, pages
    {"timeline"},               # story clock, places, presence, overrides, facts, fold
    {"render"},                 # markdown, bodies, views, pages, themes, chart, EPUB
    {"output", "store"},        # writing the site, the cache on disk
    {"sitekey"},                # the start of a build: what it reads, digested; the last output reused
    {"build"},                  # the pipeline: build_site
    {"cli", "__main__", "castlist", "check", "scaffold", "serve"},   # commands and the dev server
]

# Imports that break the layer order today, each with the reason and who removes it. The test fails
# when one of them is gone, so this list only shrinks.
LAYER_EXCEPTIONS: dict[tuple[str, str], str] = {}


def modules() -> dict[str, tuple[Path, bool]]:
    """Dotted module name -> (its file, whether it is a package's __init__)."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        found[".".join(parts[:-1] if is_package else parts)] = (path, is_package)
    return found


MODULES = modules()
TREES = {name: ast.parse(path.read_text(encoding="utf-8"), str(path)) for name, (path, _) in MODULES.items()}


def imports_of(name: str) -> set[str]:
    """The sitegen modules `name` imports, anywhere in it (`from x import y` counts y when y is a module)."""
    _, is_package = MODULES[name]
    out = set()
    for node in ast.walk(TREES[name]):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if is_package else name.split(".")[:-1]
                base = base[:len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:
                out.add(f"{target}.{alias.name}" if f"{target}.{alias.name}" in MODULES else target)
        elif isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
    return {m for m in out if m in MODULES and m != name}


GRAPH = {name: imports_of(name) for name in MODULES}


def layer(name: str) -> int:
    parts = name.split(".")
    key = parts[1] if len(parts) > 1 else parts[0]
    for k, names in enumerate(LAYERS):
        if key in names:
            return k
    raise AssertionError(f"{name} is in no layer: add it to LAYERS in tests/test_architecture.py "
                         "and to README's Architecture section")


def test_the_graph_sees_imports():
    """The parser finds what is plainly there (else every other test here passes vacuously)."""
    assert "sitegen.cache" in GRAPH["sitegen.build"] and "sitegen.load.files" in GRAPH["sitegen.cache"]
    assert len(MODULES) > 80


def test_no_import_cycles():
    cycles, state = [], {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = "open"
        for nxt in sorted(GRAPH[node]):
            if state.get(nxt) == "open":
                cycles.append(path[path.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, path + [nxt])
        state[node] = "done"
    for name in sorted(GRAPH):
        if name not in state:
            visit(name, [name])
    assert not cycles, "import cycles: " + "; ".join(" -> ".join(c) for c in cycles)


def test_imports_follow_the_layer_order():
    upward = {(a, b) for a in GRAPH for b in GRAPH[a]
              if layer(b) > layer(a) and not b.startswith(a + ".")}      # a package may import its own modules
    unexplained = sorted(upward - set(LAYER_EXCEPTIONS))
    assert not unexplained, "imports against the layer order (see LAYERS):\n" + "\n".join(
        f"  {a} imports {b}" for a, b in unexplained)
    stale = sorted(set(LAYER_EXCEPTIONS) - upward)
    assert not stale, f"remove these from LAYER_EXCEPTIONS, they are gone: {stale}"


@pytest.mark.parametrize("name", sorted(MODULES))
def test_module_is_small_and_says_its_job(name):
    path, _ = MODULES[name]
    lines = path.read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{path.relative_to(ROOT)} has {lines} lines: split it (at most {MAX_LINES})"
    doc = ast.get_docstring(TREES[name])
    assert doc and doc.splitlines()[0].strip(), f"{path.relative_to(ROOT)}: open it with a docstring whose " \
                                                "first line says the module's one job"


# ---------------------------------------------------------------- each idea written once

def string_constants(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node


NAME_WORDS = {"name", "names", "alias", "aliases", "form", "forms"}


def calls(node: ast.AST, module: str, function: str) -> bool:
    return any(isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == function
               and isinstance(n.func.value, ast.Name) and n.func.value.id == module for n in ast.walk(node))


def name_regex_builders(tree: ast.AST):
    """Functions that escape strings into a regex they compile, working on name forms (a parameter
    or variable called name, names, alias, aliases, form or forms): a name alternation being built."""
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            words = {a.arg for a in node.args.args + node.args.kwonlyargs}
            words |= {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
            if words & NAME_WORDS and calls(node, "re", "escape") and calls(node, "re", "compile"):
                yield node.name


def test_one_name_regex_builder():
    """Only text/names.py turns name forms into a regex (build_index for the whole cast,
    forms_pattern for a few forms); every other module calls it."""
    builders = sorted({(name, f) for name in MODULES for f in name_regex_builders(TREES[name])})
    assert builders and all(name == "sitegen.text.names" for name, _ in builders), \
        f"name regexes built outside text/names.py (call text.names.forms_pattern): {builders}"


# A sentence boundary: a stop (a class with . ! ?) then white space that goes on ("\s+", "(?=\s"),
# written in a string. Checks that a text ends with a stop ("[.!?]\s*$") are not boundaries.
_BOUNDARY = re.compile(r"\[(?!\^)[^\]]*\.[^\]]*\].{0,40}?(?:\\s\+|\(\?=\\s)")

# Modules still splitting sentences their own way (each with why); this list only shrinks.
SENTENCE_PENDING: dict[str, str] = {}     # every module splits sentences with text/sentences.py


def sentence_splitters() -> set[str]:
    return {name for name in MODULES for node in string_constants(TREES[name])
            if "!" in node.value and "?" in node.value and _BOUNDARY.search(node.value)}


def test_the_boundary_finder_finds_boundaries():
    assert _BOUNDARY.search(r"[.!?]['\"]*\s+") and _BOUNDARY.search(r"[.!?\u2026]+[\"']?(?=\s)")
    assert not _BOUNDARY.search(r"[.!?\u2026]['\"]?\s*$") and not _BOUNDARY.search(r"[^.!?;]{0,40}$")


def test_one_sentence_splitter():
    found = sentence_splitters() - {"sitegen.text.sentences"}
    unexplained = sorted(found - set(SENTENCE_PENDING))
    assert not unexplained, f"sentence-boundary regexes outside text/sentences.py: {unexplained}; " \
                            "use sitegen.text.sentences"
    stale = sorted(set(SENTENCE_PENDING) - found)
    assert not stale, f"remove these from SENTENCE_PENDING, they no longer split sentences: {stale}"
    assert "sitegen.text.sentences" in sentence_splitters()


# The quote/bracket scanner and blanker: text/spans.py, nowhere else.
QUOTE_SCANNER_NAMES = {"pair_marks", "quote_spans", "bracket_spans", "blank", "blank_spans", "blank_out"}
QUOTE_PENDING: set[tuple[str, str]] = set()      # every scanner and blanker now lives in text/spans.py


def test_one_quote_scanner():
    defined = {(name, node.name) for name in MODULES for node in ast.walk(TREES[name])
               if isinstance(node, ast.FunctionDef) and node.name in QUOTE_SCANNER_NAMES}
    elsewhere = {d for d in defined if d[0] != "sitegen.text.spans"}
    assert not sorted(elsewhere - QUOTE_PENDING), "quote scanners outside text/spans.py: " \
                                                   f"{sorted(elsewhere - QUOTE_PENDING)}"
    assert not sorted(QUOTE_PENDING - elsewhere), "remove these from QUOTE_PENDING, they are gone: " \
                                                   f"{sorted(QUOTE_PENDING - elsewhere)}"
