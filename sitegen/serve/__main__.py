"""Run the dev server directly: `python -m sitegen.serve [SITE] [--port 8000] [--host 127.0.0.1] [--open]`."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import serve


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sitegen.serve",
                                     description="Serve a sitegen site with live reload.")
    parser.add_argument("site", nargs="?", default=".", type=Path, help="the site folder (default: .)")
    parser.add_argument("--port", type=int, default=8000, help="port (0 picks a free one; default 8000)")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--open", action="store_true", help="open the site in a browser")
    parser.add_argument("--theme", default=None, help="theme name (default: sitegen.toml's)")
    args = parser.parse_args(argv)
    return serve(args.site, host=args.host, port=args.port, open_browser=args.open, theme=args.theme)


if __name__ == "__main__":
    sys.exit(main())
