"""`sitegen --help`, each command's --help with an example, `--version`, and the README's first commands."""
from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from importlib import metadata

import pytest

from conftest import REPO
from sitegen.cli import parser


def sitegen(*args):
    return subprocess.run([sys.executable, "-m", "sitegen", *args], capture_output=True, text=True, timeout=60)


COMMANDS = sorted(next(a for a in parser()._actions if a.dest == "command").choices)


def test_version():
    r = sitegen("--version")
    assert r.returncode == 0 and r.stdout.strip() == f"sitegen {metadata.version('sitegen')}"


def test_help_lists_every_command_with_an_example():
    r = sitegen("--help")
    assert r.returncode == 0 and "examples:" in r.stdout
    for name in COMMANDS:
        assert re.search(rf"^    {name}\b", r.stdout, re.M), name


@pytest.mark.parametrize("name", COMMANDS)
def test_each_commands_help_has_an_example(name):
    r = sitegen(name, "--help")
    assert r.returncode == 0, r.stderr
    examples = r.stdout.split("examples:", 1)
    assert len(examples) == 2, f"add an example for `sitegen {name}` to EXAMPLES in sitegen/cli.py"
    assert f"sitegen {name}" in examples[1]


def readme_commands() -> list[str]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```sh\n(.*?)\n```", readme, re.S)[:2]


def test_the_readmes_first_commands_make_a_venv_and_ci_runs_the_test_command_exactly():
    setup, tests = readme_commands()
    assert setup.startswith("python3 -m venv .venv && ") and "[test]" not in setup and "sitegen build" in setup
    assert tests.startswith(".venv/bin/") and "pytest" in tests
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert tests in ci.splitlines(), ".ci/run must run the README's test command as written"
    assert "python3 -m venv .venv" in ci


def test_building_needs_no_test_extras():
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime = " ".join(project["dependencies"]).lower()
    assert "playwright" not in runtime and "pytest" not in runtime
    assert any(d.startswith("playwright") for d in project["optional-dependencies"]["test"])
