"""Keep what sitegen reads inside the site folder (or the installed themes): links are followed only within it."""
from __future__ import annotations

import errno
import os
from pathlib import Path

from ..errors import SitegenError


def resolved_inside(path: Path, roots: tuple[Path, ...], shown: str) -> Path:
    """`path` with every link resolved; a SitegenError when it loops or leads outside all of `roots`.

    A path that does not exist is returned as it is (the caller says what is missing)."""
    try:
        real = Path(os.path.realpath(path, strict=True))
    except FileNotFoundError:
        if os.path.islink(path):
            raise SitegenError(f"{shown} is a link to something that does not exist", path=shown,
                               hint="fix or remove the link") from None
        return path
    except OSError as e:
        if e.errno == errno.ELOOP:
            raise SitegenError(f"{shown} is a symbolic link that loops back on itself", path=shown,
                               hint="remove the link, or point it at a real file inside the site") from None
        raise SitegenError(f"cannot read {shown}: {e.strerror}", path=shown,
                           hint="check the file's permissions (sitegen needs to read it)") from None
    if not any(real.is_relative_to(Path(os.path.realpath(root))) for root in roots):
        raise SitegenError(f"{shown} leads outside the site folder (to {real}); sitegen reads only files "
                           "inside the site", path=shown,
                           hint="copy the file into the site instead of linking to it, or remove the link")
    return real


def display(path: Path, site_dir: Path) -> str:
    """The path as messages show it: relative to the site when it is inside it."""
    try:
        return str(Path(path).relative_to(site_dir))
    except ValueError:
        return str(path)
