"""The `sitegen` command: build, serve, quotes, check."""
from __future__ import annotations

import argparse
import os
import signal
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


def run_build(args) -> int:
    from .build import build
    stop_cleanly_on_signals()
    started = time.perf_counter()
    result = build(args.site, out=args.out, theme=args.theme)
    print_diagnostics(result.diagnostics)
    pages = sum(1 for name in result.files if name.endswith(".html"))
    out = args.out or "public"
    print(f"built {len(result.works)} work(s), {pages} pages into {out}/ in {time.perf_counter() - started:.2f}s"
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
