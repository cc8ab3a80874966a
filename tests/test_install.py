"""sitegen installed the way users install it: a wheel built from this checkout, put into a fresh
virtual environment, used in a folder outside the repository (new, build, theme copy, serve).

Nothing here can pass through the checkout: the wheel is built from a copy, the commands run from a
temporary folder with PYTHONPATH unset, and the test checks that `sitegen` is imported from the venv.
One wheel and one venv serve the whole test session (the venv gets the wheel's dependencies from
the package index, through pip's cache)."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import REPO

# What a build never needs from the checkout (and what may be big: virtual environments, outputs).
NOT_COPIED = shutil.ignore_patterns(".git", ".venv", "venv", ".tox", "build", "dist", "public", "*.egg-info",
                                    "__pycache__", ".pytest_cache", ".public.*", "node_modules")


@dataclass(frozen=True)
class Installed:
    root: Path          # a temporary folder outside the repository
    wheel: Path
    venv: Path

    @property
    def sitegen(self) -> str:
        return str(self.venv / "bin" / "sitegen")

    @property
    def python(self) -> str:
        return str(self.venv / "bin" / "python")


def clean_env() -> dict[str, str]:
    """The environment without anything that could point Python at the checkout or another venv."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSTARTUP", "PYTHONSAFEPATH")}
    env["PYTHONUNBUFFERED"] = "1"
    return env


def run(args: list, cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess:
    result = subprocess.run([str(a) for a in args], cwd=cwd, env=clean_env(), capture_output=True, text=True,
                            timeout=timeout)
    assert result.returncode == 0, f"{' '.join(map(str, args))} failed ({result.returncode}):\n" \
                                   f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


@pytest.fixture(scope="session")
def installed(tmp_path_factory) -> Installed:
    root = tmp_path_factory.mktemp("installed").resolve()
    assert not root.is_relative_to(REPO)
    source = root / "source"
    shutil.copytree(REPO, source, ignore=NOT_COPIED)
    run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", root / "dist", source], root)
    wheels = sorted((root / "dist").glob("sitegen-*.whl"))
    assert len(wheels) == 1, wheels
    shutil.rmtree(source)                   # the venv must not be able to use it
    # A venv of its own; this test's pip installs into it (--python), which saves unpacking a pip into it.
    run([sys.executable, "-m", "venv", "--without-pip", root / "venv"], root)
    run([sys.executable, "-m", "pip", "--python", root / "venv" / "bin" / "python", "install", "--quiet",
         wheels[0]], root)
    return Installed(root, wheels[0], root / "venv")


def packaged(path: Path) -> bool:
    """A file the wheel must carry: everything but Python's caches and the editors' leftovers."""
    return path.is_file() and "__pycache__" not in path.parts and not path.name.startswith(".") \
        and path.suffix not in (".pyc", ".swp", ".orig", ".rej") and not path.name.endswith("~")


def test_the_wheel_carries_the_themes_and_every_data_file(installed):
    names = set(zipfile.ZipFile(installed.wheel).namelist())
    wanted = {"sitegen/" + p.relative_to(REPO).as_posix() for p in (REPO / "sitegen").rglob("*") if packaged(p)}
    wanted |= {"sitegen/themes/" + p.relative_to(REPO / "themes").as_posix()
               for p in (REPO / "themes").rglob("*") if packaged(p)}
    wanted = {n.replace("sitegen/sitegen/", "sitegen/", 1) for n in wanted}
    missing = sorted(wanted - names)
    assert not missing, ("the wheel lacks these files; add their kind (e.g. \"*.dat\") to "
                         f"[tool.setuptools.package-data] in pyproject.toml: {missing}")
    assert "sitegen/themes/default/templates/chapter.html" in names
    assert "sitegen/serve/devscript.js" in names
    assert not any("tests/" in n or n.startswith("content/") for n in names)


def test_the_installed_sitegen_is_the_venvs_not_the_checkout(installed):
    code = "import sitegen, sitegen.render.theme; print(sitegen.__file__); print(sitegen.render.theme.builtin_themes())"
    module, themes = run([installed.python, "-c", code], installed.root).stdout.split()
    for path in (Path(module), Path(themes)):
        assert path.resolve().is_relative_to(installed.venv.resolve()), path
        assert not path.resolve().is_relative_to(REPO)
    version = run([installed.sitegen, "--version"], installed.root).stdout
    assert version.strip() == f"sitegen {installed.wheel.name.split('-')[1]}"
    assert "examples:" in run([installed.sitegen, "build", "--help"], installed.root).stdout


def test_new_then_build_publishes_the_example_with_the_default_theme(installed):
    site = installed.root / "first-site"
    run([installed.sitegen, "new", site], installed.root)
    r = run([installed.sitegen, "build"], site)
    assert "built 1 work(s)" in r.stdout and "warning" not in r.stderr
    out = site / "public"
    chapter = (out / "my-first-story" / "chapter-1.html").read_text(encoding="utf-8")
    assert "The Storm" in chapter and 'data-speaker="theo"' in chapter and 'href="../static/style.css"' in chapter
    shipped = installed.venv / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}" / \
        "site-packages" / "sitegen" / "themes" / "default" / "static"
    for css in ("style.css", "notes.css"):
        assert (out / "static" / css).read_bytes() == (shipped / css).read_bytes()


def test_a_copied_chapter_template_changes_the_built_page(installed):
    site = installed.root / "themed-site"
    run([installed.sitegen, "new", site], installed.root)
    run([installed.sitegen, "theme", "copy", "--only", "chapter.html"], site)
    template = site / "templates" / "chapter.html"
    template.write_text(template.read_text(encoding="utf-8").replace(
        "<article", '<p class="from-my-template">My own chapter template</p>\n<article', 1), encoding="utf-8")
    run([installed.sitegen, "build"], site)
    assert "My own chapter template" in (site / "public" / "my-first-story" / "chapter-2.html").read_text()


def test_the_installed_sitegen_serves_the_site(installed):
    site = installed.root / "served-site"
    run([installed.sitegen, "new", site], installed.root)
    proc = subprocess.Popen([installed.sitegen, "serve", "--port", "0"], cwd=site, env=clean_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        url = served_url(proc)
        with urllib.request.urlopen(url + "my-first-story/chapter-1.html", timeout=30) as page:
            assert page.status == 200
            html = page.read().decode("utf-8")
        assert "The Storm" in html and "Mara" in html
        with urllib.request.urlopen(url + "static/style.css", timeout=30) as css:
            assert css.status == 200
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def served_url(proc: subprocess.Popen) -> str:
    """The address `sitegen serve --port 0` prints once its first build is done."""
    seen = []
    for line in proc.stdout:
        seen.append(line)
        if " at http://" in line:
            return line.split(" at ", 1)[1].split()[0].rstrip("/") + "/"
    raise AssertionError(f"sitegen serve never printed its address (exit {proc.wait()}):\n{''.join(seen)}")
