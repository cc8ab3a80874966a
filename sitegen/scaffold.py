"""Write a new site an author can start from (`sitegen new DIR`): an example work, settings and hosting files."""
from __future__ import annotations

import json
from importlib import metadata, resources
from importlib.resources.abc import Traversable
from pathlib import Path, PurePosixPath

from .errors import SitegenError

# The starter files live in sitegen/starter/ under names the wheel can carry: these are renamed.
RENAMED = {"gitignore.txt": ".gitignore", "github": ".github"}
PLACEHOLDER = "sitegen @ git+https://github.com/YOUR-ACCOUNT/sitegen@main"


def new_site(folder: Path) -> list[str]:
    """Write the starter site into `folder` (new, or empty but for .git); return the files written."""
    folder = Path(folder)
    refuse_non_empty(folder)
    files = dict(starter_files(resources.files("sitegen").joinpath("starter")))
    files["requirements.txt"] = requirements_text(installed_from())
    folder.mkdir(parents=True, exist_ok=True)
    for rel, text in files.items():
        target = folder / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "x", encoding="utf-8", newline="\n") as f:     # never over a file of the author's
            f.write(text)
    return sorted(files)


def refuse_non_empty(folder: Path) -> None:
    if folder.exists() and not folder.is_dir():
        raise SitegenError("there is a file of that name, not a folder", path=str(folder),
                           hint="give sitegen new the name of a new folder, e.g. sitegen new my-site")
    if folder.is_dir():
        entries = sorted(p.name for p in folder.iterdir() if p.name != ".git")
        if entries:
            shown = ", ".join(entries[:5]) + (", ..." if len(entries) > 5 else "")
            raise SitegenError(f"the folder is not empty ({shown}); sitegen new writes only into a new "
                               "or empty folder, so that it never overwrites your files", path=str(folder),
                               hint="give it the name of a new folder, e.g. sitegen new my-site")


def starter_files(root: Traversable, prefix: PurePosixPath = PurePosixPath()):
    """(relative path, text) of every starter file, with the dotted names restored."""
    for entry in sorted(root.iterdir(), key=lambda e: e.name):
        if entry.name.startswith(("_", ".")) or entry.name.endswith((".py", ".pyc")):
            continue
        rel = prefix / RENAMED.get(entry.name, entry.name)
        if entry.is_dir():
            yield from starter_files(entry, rel)
        else:
            yield rel.as_posix(), entry.read_text(encoding="utf-8")


def installed_from() -> str | None:
    """A requirement line for the sitegen running now, from what pip recorded of where it came from."""
    try:
        raw = metadata.distribution("sitegen").read_text("direct_url.json")
    except metadata.PackageNotFoundError:
        return None
    return requirement_from(json.loads(raw) if raw else {})


def requirement_from(direct_url: dict) -> str | None:
    """`sitegen @ ...` when pip's direct_url.json names a place a host can reach too (a git repository,
    a web address); None for a folder or a file on this machine."""
    url = direct_url.get("url", "")
    if not url.startswith(("https:", "http:", "ssh:", "git:")):
        return None
    if "vcs_info" in direct_url:
        vcs = direct_url["vcs_info"]
        commit = vcs.get("commit_id") or vcs.get("requested_revision")
        return f"sitegen @ {vcs['vcs']}+{url}" + (f"@{commit}" if commit else "")
    if "archive_info" in direct_url:
        return f"sitegen @ {url}"
    return None


def requirements_text(requirement: str | None) -> str:
    """requirements.txt for the hosts (Netlify, GitHub Pages): where they get sitegen."""
    head = ("# What Netlify and the GitHub Pages workflow install to build this site.\n"
            "# sitegen is not published on PyPI, so the line below says where to get it.\n")
    if requirement:
        return head + "# Written by `sitegen new` from where this copy of sitegen was installed.\n" + requirement + "\n"
    return head + (
        "# EDIT IT before you publish: this placeholder does not install anything. Use one of\n"
        "#   sitegen @ git+https://github.com/OWNER/sitegen@main   (a git repository of sitegen)\n"
        "#   sitegen @ https://example.org/sitegen-0.1.0-py3-none-any.whl   (a wheel on the web)\n"
        "#   ./sitegen-0.1.0-py3-none-any.whl   (a wheel committed to this site: `pip wheel --no-deps .`\n"
        "#                                       in sitegen's folder makes one)\n"
        f"{PLACEHOLDER}\n")
