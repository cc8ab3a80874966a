"""The `sitegen` command: new, build, serve, theme, quotes, check, cast, import."""
from __future__ import annotations

import argparse
import gc
import os
import signal
import sys
import time
from pathlib import Path

from .errors import SitegenError

# The collector's thresholds in a build, and in the other one-shot commands that run the dialogue engine
# over whole texts (quotes, check): such a process keeps most of what it makes to the end, so full
# collections would scan those millions of objects again and again (12.6 s of an 87 s build at 10M
# words; 0.2-0.3 s of the engine's 2 s over six novels). Young cycles are still collected; the rest goes
# when the process ends. (bench/engine_compare.py --gc build measures the engine under this setting.)
BUILD_GC_THRESHOLDS = (50_000, 50, 1000)

# An example for each command's --help (tests/test_cli_help.py checks every command has one).
EXAMPLES = {
    "new": """examples:
  sitegen new my-site        a new site with an example work, hosting files and settings
  cd my-site && sitegen build""",
    "build": """examples:
  sitegen build                       content/ -> public/
  sitegen build --out /tmp/preview    somewhere else
  sitegen build --site ~/my-site      a site in another folder""",
    "serve": """examples:
  sitegen serve                 http://127.0.0.1:8000/, rebuilt and reloaded when you save
  sitegen serve --port 8080 --open""",
    "theme": """examples:
  sitegen theme copy                          the theme's templates into templates/, to edit
  sitegen theme copy --only chapter.html      just one template
  sitegen theme copy --to themes/mine --static   a theme of your own (theme = "mine" in sitegen.toml)
  sitegen theme list""",
    "quotes": """examples:
  sitegen quotes content/my-fic/story.txt
  sitegen quotes story.txt --cast content/my-fic/work.toml
  sitegen quotes story.txt --explain    each speaker with the rule and features that chose it""",
    "cast": """examples:
  sitegen cast content/my-fic/story.txt     the characters found in a text, as a work.toml block
  sitegen cast --site ~/my-site             each work's cast, with how many lines each speaks""",
    "check": """examples:
  sitegen check          what sitegen is unsure of, with file:line:col
  sitegen check --all    every quote and its speaker""",
    "import": """examples:
  sitegen import ~/Downloads/The_Lantern_Road.html    an AO3 download -> content/the-lantern-road/
  sitegen import draft.docx --slug my-story           a Word or Google Docs file
  sitegen import The_Lantern_Road.epub                again later: updates what you have not edited""",
}


def installed_version() -> str:
    from importlib import metadata          # (here: importing it costs every command 0.03-0.08 s)
    try:
        return metadata.version("sitegen")
    except metadata.PackageNotFoundError:
        return "unknown (not installed)"


class ShowVersion(argparse.Action):
    """--version: the installed version, looked up only when asked for."""

    def __init__(self, option_strings, dest=argparse.SUPPRESS, **kwargs):
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS,
                         help="show sitegen's version and exit")

    def __call__(self, parser, namespace, values, option_string=None):
        print(f"{parser.prog} {installed_version()}")
        parser.exit()


SITE_HELP = "the site folder (default: this folder, or the nearest one above it with content/ or sitegen.toml)"


def is_site(folder: Path) -> bool:
    return (folder / "sitegen.toml").is_file() or (folder / "content").is_dir()


def find_site(given: Path | None, start: Path | None = None) -> Path:
    """The site folder: --site when given, else here, else the nearest folder above with content/ or
    sitegen.toml (as git finds its repository), so `sitegen build` works from inside content/<work>/."""
    if given is not None:
        return given
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if is_site(folder):
            if folder != here:
                print(f"sitegen: using the site at {folder}", file=sys.stderr)
            return folder
    return Path(".")


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="sitegen", description="Publish fan fiction as a static site.",
                                 epilog="examples:\n  sitegen new my-site && cd my-site && sitegen serve\n"
                                        "  sitegen build --help       each command's options and examples",
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--version", action=ShowVersion)
    sub = ap.add_subparsers(dest="command", required=True, metavar="COMMAND")
    n = sub.add_parser("new", help="start a new site in a new folder: an example work, settings, hosting files")
    n.add_argument("folder", type=Path, help="the folder to create (or an empty one)")
    b = sub.add_parser("build", help="build the site in this folder (content/ → public/)")
    b.add_argument("--out", type=Path, help="output folder (default: public/, or `output` in sitegen.toml)")
    b.add_argument("--theme", help="theme name (default: `theme` in sitegen.toml, else default)")
    b.add_argument("--site", type=Path, help=SITE_HELP)
    b.add_argument("--quiet", action="store_true", help="print only warnings and errors")
    b.add_argument("--no-cache", action="store_true", help="ignore (neither read nor write) .sitegen-cache/")
    s = sub.add_parser("serve", help="build, serve on 127.0.0.1 and rebuild on save")
    s.add_argument("--port", type=int, default=8000)
    s.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)")
    s.add_argument("--open", action="store_true", help="open the site in a browser")
    s.add_argument("--theme")
    s.add_argument("--site", type=Path, help=SITE_HELP)
    q = sub.add_parser("quotes", help="print every quote of a text file as JSON Lines")
    q.add_argument("file", type=Path)
    q.add_argument("--cast", type=Path, help="a cast file with [characters.<id>] tables")
    q.add_argument("--explain", action="store_true", help="print each quote's speaker with the evidence for it")
    k = sub.add_parser("cast", help="print the characters found in a text (or a site's works) as a work.toml block")
    k.add_argument("file", type=Path, nargs="?", help="a text file (default: the works of --site)")
    k.add_argument("--site", type=Path, help=SITE_HELP)
    c = sub.add_parser("check", help="list what sitegen is unsure of: quotes, speakers, notes, broken marks")
    c.add_argument("--site", type=Path, help=SITE_HELP)
    c.add_argument("--all", action="store_true", help="list every quote, not only the unsure ones")
    t = sub.add_parser("theme", help="copy a theme's templates into your site to change them; list themes")
    t.add_argument("action", choices=["copy", "list"])
    t.add_argument("name", nargs="?", help="the theme to copy (default: the site's, else default)")
    t.add_argument("--to", default="templates", metavar="templates|themes/NAME",
                   help="templates (default: the site's own, which win over any theme) or themes/NAME")
    t.add_argument("--static", action="store_true", help="copy the static files (CSS, scripts) too")
    t.add_argument("--only", action="append", default=[], metavar="FILE",
                   help="copy just this file (chapter.html, static/style.css); may be repeated")
    t.add_argument("--site", type=Path, help=SITE_HELP)
    i = sub.add_parser("import", help="turn an AO3 download (HTML, EPUB), a .docx or a saved page into a work folder")
    i.add_argument("file", type=Path)
    i.add_argument("--into", type=Path, default=Path("content"), help="where work folders go (default: content/)")
    i.add_argument("--slug", help="the work folder's name (default: from the title)")
    i.add_argument("--force", action="store_true",
                   help="write over your edits to the imported chapters and work.toml keys")
    for name, command in sub.choices.items():
        command.epilog = EXAMPLES.get(name)
        command.formatter_class = argparse.RawDescriptionHelpFormatter
    return ap


def stop_cleanly_on_signals() -> None:
    """`kill` (SIGTERM) or a closed terminal (SIGHUP) ends a build as Ctrl-C does: its unfinished folder removed."""
    def stop(signum, frame):
        raise SystemExit(128 + signum)
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, stop)


def print_diagnostics(diagnostics, limit: int = 20) -> None:
    """Each warning, at most `limit` per file, then how many more (a hostile file can hold 100,000)."""
    shown: dict[str, int] = {}
    for d in diagnostics:
        where = d.location.path
        shown[where] = shown.get(where, 0) + 1
        if shown[where] <= limit:
            print(d, file=sys.stderr)
    for where, count in shown.items():
        if count > limit:
            print(f"{where}: ... and {count - limit} more warnings in this file (all of them: sitegen check)",
                  file=sys.stderr)


def run_new(args) -> int:
    from .scaffold import PLACEHOLDER, new_site
    written = new_site(args.folder)
    print(f"Made a new site in {args.folder}/: " + ", ".join(written))
    print(f"Next:\n  cd {args.folder}\n  sitegen build     # the example work, into public/\n"
          "  sitegen serve     # see it at http://127.0.0.1:8000/ while you write")
    if PLACEHOLDER in (args.folder / "requirements.txt").read_text(encoding="utf-8"):
        print("Before you publish (Netlify, GitHub Pages), edit requirements.txt: it must say where to get sitegen.")
    return 0


def run_theme(args) -> int:
    from .render.themecopy import copy_theme, theme_listing
    if args.action == "list":
        print("\n".join(theme_listing(args.site)))
        return 0
    copied = copy_theme(args.site, args.name, to=args.to, static=args.static, only=tuple(args.only))
    folders = sorted({str(p.parent) for p in copied})
    print(f"copied {len(copied)} file(s) into {', '.join(folders)}: edit them and build; delete the ones "
          "you leave unchanged, so they keep following sitegen's own updates.")
    return 0


def run_build(args) -> int:
    from .progress import showing
    from .sitekey import start_build          # (build.py, the pipeline, is imported only when needed)
    stop_cleanly_on_signals()
    gc.set_threshold(*BUILD_GC_THRESHOLDS)
    started = time.perf_counter()
    with showing(sys.stderr, enabled=not args.quiet):
        begun = start_build(args.site, out=args.out, theme=args.theme, keep=not args.no_cache)
        result = begun.result
        if result is None:                    # something changed since the last output (or no cache)
            from .build import finish_build
            result = finish_build(begun)
    print_diagnostics(result.diagnostics)
    pages = sum(1 for name in result.files if name.endswith(".html"))
    out = args.out or (args.site / "public" if args.site != Path(".") else "public")
    if not args.quiet:
        print(f"built {result.work_count} work(s), {pages} pages, {result.words:,} words into {out}/ "
              f"in {time.perf_counter() - started:.2f}s"
              + (f" with {len(result.diagnostics)} warning(s)" if result.diagnostics else ""))
    return 0


def run_serve(args) -> int:
    try:
        from .serve import serve
        return serve(args.site, host=args.host, port=args.port, open_browser=args.open, theme=args.theme)
    except KeyboardInterrupt:             # Ctrl-C is how a server is stopped: at any moment, exit 0
        return 0


def run_quotes(args) -> int:
    from .dialogue.export import quotes_command
    gc.set_threshold(*BUILD_GC_THRESHOLDS)
    return quotes_command(args.file, args.cast, sys.stdout, explain=args.explain)


def run_cast(args) -> int:
    from .castlist import cast_command
    return cast_command(args.file, args.site, sys.stdout)


def run_check(args) -> int:
    from .check import check_site
    gc.set_threshold(*BUILD_GC_THRESHOLDS)
    return check_site(args.site, sys.stdout, everything=args.all)


def run_import(args) -> int:
    from .importers import import_file, report
    work, result = import_file(args.file, args.into, args.slug, args.force)
    print(report(work, result))
    return 0


COMMANDS = {"build": run_build, "serve": run_serve, "quotes": run_quotes, "check": run_check,
            "new": run_new, "theme": run_theme, "cast": run_cast, "import": run_import}


def main(argv: list[str] | None = None) -> int:
    """Run the command in `argv`. Without `argv` (the `sitegen` command itself) a build, check or quotes
    then ends the process at once (`ended`)."""
    args = parser().parse_args(argv)
    code = run(args)
    if argv is None and args.command in ("build", "check", "quotes"):
        ended(code)
    return code


def ended(code: int) -> None:
    """End the process with `code` once its output is flushed, without the interpreter's teardown: a
    build keeps what it made to the end, and freeing it all object by object is work for nothing
    (0.11 s CPU at 1M words, serial, after the site is written). Nothing is left to run: the output is
    written and closed, the worker processes ended and joined, and these commands start no thread."""
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):           # a closed pipe: the interpreter's own exit would not print either
        code = code or 1
    os._exit(code)


def run(args: argparse.Namespace) -> int:
    """The parsed command run; its exit code (a user's mistake printed, 1)."""
    if hasattr(args, "site"):
        args.site = find_site(args.site)
    try:
        return COMMANDS[args.command](args)
    except SitegenError as e:
        print(e, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as e:                     # a bug in sitegen, not the user's mistake
        if os.environ.get("SITEGEN_DEBUG"):
            raise
        print(f"sitegen: internal error: {type(e).__name__}: {e}\n"
              "  this is a bug in sitegen, not in your files; nothing was written.\n"
              "  hint: run again with SITEGEN_DEBUG=1 for the details, and report them", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
