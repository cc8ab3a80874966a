"""Prove a dialogue-engine change keeps its output: the quotes export of every dev text, old code and new, byte for byte.

    python3 bench/same_quotes.py REV [--shared ../shared]

For the sample (../shared/seed/change-of-plans.txt) and every text in ../shared/fanfic-dev and
../shared/pdnc-dev, with its cast file and with none (the cast discovered), it writes what
`sitegen quotes FILE [--cast CAST]` and `sitegen quotes FILE [--cast CAST] --explain` print
(stdout and the diagnostics on stderr), once with the code at the git revision REV (checked
out with `git worktree add` into a temporary folder; its outputs are kept in the temporary
directory under the revision's commit, so the next run against the same commit reuses them)
and once with this working tree. Every difference is listed; the exit status is 1 if any.
Speed work runs it before each commit; bench/same_output.py proves whole sites.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

EMIT = """
import contextlib, io, sys
from pathlib import Path
code, out = sys.argv[1], Path(sys.argv[2])
sys.path.insert(0, code)
import sitegen
assert sitegen.__file__.startswith(code), sitegen.__file__
from sitegen.dialogue.export import quotes_command
for arg in sys.argv[3:]:
    name, text, cast = arg.split("|")
    for explain in (False, True):
        stdout, stderr = io.StringIO(), io.StringIO()
        with contextlib.redirect_stderr(stderr):
            quotes_command(Path(text), Path(cast) if cast else None, stdout, explain=explain)
        stem = out / (name + (".explain" if explain else ".jsonl"))
        stem.with_name(stem.name + ".out").write_text(stdout.getvalue(), encoding="utf-8")
        stem.with_name(stem.name + ".err").write_text(stderr.getvalue(), encoding="utf-8")
"""


def cases(shared: Path) -> list[str]:
    """`name|text|cast` for each text, with its cast file and with none."""
    texts = [shared / "seed" / "change-of-plans.txt"]
    for folder in ("fanfic-dev", "pdnc-dev"):
        texts += sorted(t for t in (shared / folder).glob("*.txt") if not t.name.endswith(".SOURCE.txt"))
    out = []
    for t in texts:
        if not t.is_file():
            continue
        cast = t.with_name(t.name[:-4] + ".cast.toml")
        out.append(f"{t.parent.name}-{t.stem}.cast|{t}|{cast}")
        out.append(f"{t.parent.name}-{t.stem}.nocast|{t}|")
    return out


def emit(code: Path, out: Path, every: list[str]) -> None:
    """Write every case's exports with the sitegen source tree at `code` into `out`."""
    out.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PYTHONPATH": str(code)}
    run = subprocess.run([sys.executable, "-c", EMIT, str(code), str(out), *every], env=env,
                         capture_output=True, text=True)
    if run.returncode != 0:
        raise SystemExit(f"same_quotes: the export with {code} failed:\n{run.stdout}{run.stderr}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("rev", help="the git revision to compare the working tree with (e.g. main)")
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared", help="the shared dev data folder")
    args = ap.parse_args()
    every = cases(args.shared)
    if not every:
        print(f"same_quotes: no texts under {args.shared}: nothing to compare")
        return 1
    sha = subprocess.run(["git", "-C", str(REPO), "rev-parse", args.rev], check=True, capture_output=True,
                         text=True).stdout.strip()
    cache = Path(tempfile.gettempdir()) / "same-quotes" / sha
    if not (cache / "done").is_file():
        tree = Path(tempfile.mkdtemp(prefix="same-quotes-rev-"))
        shutil.rmtree(tree)
        subprocess.run(["git", "-C", str(REPO), "worktree", "add", "--quiet", "--detach", str(tree), sha], check=True)
        try:
            emit(tree, cache, every)
            (cache / "done").write_text("")
        finally:
            subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(tree)], check=False)
    mine = Path(tempfile.mkdtemp(prefix="same-quotes-tree-"))
    try:
        emit(REPO, mine, every)
        names = sorted(p.name for p in mine.iterdir())
        differ = [n for n in names if (mine / n).read_bytes() != (cache / n).read_bytes()]
        for n in differ:
            print(f"  differs: {n}")
        print(f"same_quotes: {len(names)} outputs ({len(every)} text/cast cases, JSON Lines and --explain, "
              f"stdout and stderr), {len(differ)} differ from {args.rev} ({sha[:10]})")
        return 1 if differ else 0
    finally:
        shutil.rmtree(mine, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
