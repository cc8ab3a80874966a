"""Standalone entry point: python -m sitegen.dialogue FILE [--cast CAST]."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import SitegenError
from .export import quotes_command


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sitegen.dialogue",
                                     description="Print a text's quotes and speakers as JSON Lines.")
    parser.add_argument("file", type=Path)
    parser.add_argument("--cast", type=Path, default=None, help="a TOML file with [characters.<id>] tables")
    args = parser.parse_args(argv)
    try:
        return quotes_command(args.file, args.cast, sys.stdout)
    except SitegenError as e:
        print(e, file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
