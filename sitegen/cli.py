"""The `sitegen` command: build, serve, quotes, check."""
from __future__ import annotations

import argparse
import gc
import os
import sys
import time
from pathlib import Path

from .errors import SitegenError


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="sitegen", description="Publish fan fiction as a static site.")
    sub = ap.add_subparsers(dest="command", required=True, metavar="COMMAND")
    b = sub.add_parser("build", help="build the site in this folder (content/ → public/)")
    b.add_argument("--out", type=Path, help="output folder (default: public/, or `output` in sitegen.toml)")
    b.add_argument("--theme", help="theme name (default: `theme` in sitegen.toml, else default)")
    b.add_argument("--site", type=Path, default=Path("."), help="the site folder (default: here)")
    b.add_argument("--quiet", action="store_true", help="print only warnings and errors")
    b.add_argument("--no-cache", action="store_true", help="ignore (neither read nor write) .sitegen-cache/")
    s = sub.add_parser("serve", help="build, serve on 127.0.0.1 and rebuild on save")
    s.add_argument("--port", type=int, default=8000)
    s.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)")
    s.add_argument("--open", action="store_true", help="open the site in a browser")
    s.add_argument("--theme")
    s.add_argument("--site", type=Path, default=Path("."))
    q = sub.add_parser("quotes", help="print every quote of a text file as JSON Lines")
    q.add_argument("file", type=Path)
    q.add_argument("--cast", type=Path, help="a cast file with [characters.<id>] tables")
    c = sub.add_parser("check", help="list what sitegen is unsure of: quotes, speakers, notes, broken marks")
    c.add_argument("--site", type=Path, default=Path("."))
    c.add_argument("--all", action="store_true", help="list every quote, not only the unsure ones")
    return ap


def run_build(args) -> int:
    from .build import build
    from .progress import showing
    # A build is one short process that keeps most of what it makes to the end: full collections would
    # scan those millions of objects again and again (12.6 s of an 87 s build at 10M words). Young
    # cycles are still collected; the rest goes when the process ends.
    gc.set_threshold(50_000, 50, 1000)
    started = time.perf_counter()
    with showing(sys.stderr, enabled=not args.quiet):
        result = build(args.site, out=args.out, theme=args.theme, keep=not args.no_cache)
    for d in result.diagnostics:
        print(d, file=sys.stderr)
    pages = sum(1 for name in result.files if name.endswith(".html"))
    out = args.out or "public"
    if not args.quiet:
        print(f"built {result.work_count} work(s), {pages} pages, {result.words:,} words into {out}/ "
              f"in {time.perf_counter() - started:.2f}s"
              + (f" with {len(result.diagnostics)} warning(s)" if result.diagnostics else ""))
    return 0


def run_serve(args) -> int:
    from .serve import serve
    return serve(args.site, host=args.host, port=args.port, open_browser=args.open, theme=args.theme)


def run_quotes(args) -> int:
    from .dialogue.export import quotes_command
    return quotes_command(args.file, args.cast, sys.stdout)


def run_check(args) -> int:
    from .check import check_site
    return check_site(args.site, sys.stdout, everything=args.all)


COMMANDS = {"build": run_build, "serve": run_serve, "quotes": run_quotes, "check": run_check}


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
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
