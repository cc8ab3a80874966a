"""Prove a change keeps the output: build the same sites with the code at a git revision and with the working tree, compare.

    python3 bench/same_output.py REV [--shared ../shared] [--keep]

The sites: the sample (this repository's content/, built in place with --out elsewhere, so both
builds read the same files and the same git dates) and each PDNC dev novel in
../shared/pdnc-dev/ as a one-work site (its .txt and .cast.toml in a work folder of a temporary
site, made once and built by both). The revision's code is checked out with `git worktree add`
into a temporary folder and run with that folder first on the import path; its themes are
registered as `sitegen.themes` by hand (the editable install would otherwise lend it this tree's).
Every build runs with --no-cache and SITEGEN_JOBS=1.

Every output file is compared byte for byte; a file only one side wrote counts as differing.
Nothing is ignored: every difference is listed and the exit status is 1 if there is any.
(Neither side writes a generator-version stamp today; if one ever must differ, it is listed
like any other file, and whoever reads the report decides.)
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

LAUNCH = """
import importlib.util, sys
code = sys.argv[1]
sys.path.insert(0, code)
import sitegen
assert sitegen.__file__.startswith(code), sitegen.__file__
spec = importlib.util.spec_from_file_location("sitegen.themes", code + "/themes/__init__.py",
                                              submodule_search_locations=[code + "/themes"])
themes = importlib.util.module_from_spec(spec)
sys.modules["sitegen.themes"] = themes
spec.loader.exec_module(themes)
from sitegen.cli import main
sys.exit(main(["build", "--quiet", "--no-cache", "--site", sys.argv[2], "--out", sys.argv[3]]))
"""


def build(code: Path, site: Path, out: Path) -> None:
    """Build `site` into `out` with the sitegen source tree at `code`."""
    env = {**os.environ, "PYTHONPATH": str(code), "SITEGEN_JOBS": "1"}
    run = subprocess.run([sys.executable, "-c", LAUNCH, str(code), str(site), str(out)], env=env,
                         capture_output=True, text=True)
    if run.returncode != 0:
        raise SystemExit(f"same_output: the build of {site} with {code} failed:\n{run.stdout}{run.stderr}")


def novel_sites(shared: Path, root: Path) -> list[tuple[str, Path]]:
    """One site a PDNC dev novel: content/<name>/<name>.txt, its cast file and a work.toml naming it."""
    sites = []
    for text in sorted((shared / "pdnc-dev").glob("*.txt")):
        site = root / "sites" / text.stem
        work = site / "content" / text.stem
        work.mkdir(parents=True)
        shutil.copy2(text, work / text.name)
        cast = text.with_suffix("").with_suffix(".cast.toml")
        if cast.is_file():
            shutil.copy2(cast, work / cast.name)
            (work / "work.toml").write_text(f'cast = "{cast.name}"\n', encoding="utf-8")
        sites.append((f"pdnc/{text.stem}", site))
    return sites


def compare(a: Path, b: Path) -> list[str]:
    """Every relative path whose bytes differ, or that only one of the two folders has."""
    files_a = {p.relative_to(a).as_posix() for p in a.rglob("*") if p.is_file()}
    files_b = {p.relative_to(b).as_posix() for p in b.rglob("*") if p.is_file()}
    differ = [f"only in the revision's output: {f}" for f in sorted(files_a - files_b)]
    differ += [f"only in the working tree's output: {f}" for f in sorted(files_b - files_a)]
    differ += [f"differs: {f}" for f in sorted(files_a & files_b) if (a / f).read_bytes() != (b / f).read_bytes()]
    return differ


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("rev", help="the git revision to compare the working tree with (e.g. main, 92fc69e)")
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared", help="the shared dev data folder")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder and print it")
    args = ap.parse_args()
    root = Path(tempfile.mkdtemp(prefix="same-output-"))
    old = root / "rev"
    subprocess.run(["git", "-C", str(REPO), "worktree", "add", "--quiet", "--detach", str(old), args.rev], check=True)
    try:
        sites = [("sample", REPO)]
        if (args.shared / "pdnc-dev").is_dir():
            sites += novel_sites(args.shared, root)
        else:
            print(f"same_output: {args.shared / 'pdnc-dev'} is absent: only the sample is compared")
        total = 0
        for name, site in sites:
            out_old, out_new = root / "out" / name / "rev", root / "out" / name / "tree"
            build(old, site, out_old)
            build(REPO, site, out_new)
            differ = compare(out_old, out_new)
            files = sum(1 for p in out_new.rglob("*") if p.is_file())
            print(f"{name}: {files} files, {len(differ)} differ")
            for line in differ:
                print(f"  {line}")
            total += len(differ)
        print(f"same_output: {total} differing file(s) against {args.rev}")
        return 1 if total else 0
    finally:
        subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(old)], check=False)
        if args.keep:
            print(f"kept {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
