"""`sitegen new`: a site an author can start from, that builds and publishes as it is."""
from __future__ import annotations

import re
import subprocess
import sys
import tomllib

import yaml

from conftest import missing_words, page_text
from sitegen.load.config import SITE_KEYS, WORK_KEYS, SiteConfig
from sitegen.scaffold import PLACEHOLDER, requirement_from, requirements_text

EXAMPLE = "content/my-first-story"


def sitegen(*args, cwd):
    return subprocess.run([sys.executable, "-m", "sitegen", *map(str, args)], cwd=cwd, capture_output=True,
                          text=True, timeout=120)


def new_site(tmp_path, name="site"):
    r = sitegen("new", name, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    return tmp_path / name


def test_new_writes_a_site_and_build_publishes_the_example(tmp_path):
    site = new_site(tmp_path)
    written = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    assert written == {"sitegen.toml", "netlify.toml", "requirements.txt", ".gitignore", "README.md",
                       ".github/workflows/pages.yml", f"{EXAMPLE}/story.txt", f"{EXAMPLE}/work.toml"}
    r = sitegen("build", cwd=site)
    assert r.returncode == 0 and r.stderr == "", r.stderr
    out = site / "public" / "my-first-story"
    assert {"index.html", "chapter-1.html", "chapter-2.html", "all.html", "timeline.html", "feed.xml"} <= \
        {p.name for p in out.iterdir()}
    whole = (out / "all.html").read_text(encoding="utf-8")
    story = (site / EXAMPLE / "story.txt").read_text(encoding="utf-8")
    assert not missing_words(story, whole), "every word of the example reaches the page"
    assert 'data-speaker="mara"' in whole and 'data-speaker="theo"' in whole
    assert "The Storm" in page_text((out / "chapter-1.html").read_text(encoding="utf-8"))


def test_the_settings_files_explain_every_key(tmp_path):
    site = new_site(tmp_path)
    for path, keys in (("sitegen.toml", SITE_KEYS), (f"{EXAMPLE}/work.toml", WORK_KEYS)):
        text = (site / path).read_text(encoding="utf-8")
        tomllib.loads(text)
        for key in keys:
            assert re.search(rf"^#? ?\[*{key}[\].= ]", text, re.M), \
                f"{path} of sitegen/starter/ should show `{key}` with a comment saying what it does"
    assert sum(line.startswith("#") for line in (site / "sitegen.toml").read_text().splitlines()) >= len(SITE_KEYS)


def test_the_hosting_files_install_sitegen_and_publish_the_output(tmp_path):
    site = new_site(tmp_path)
    output = str(SiteConfig().output)
    netlify = tomllib.loads((site / "netlify.toml").read_text(encoding="utf-8"))["build"]
    assert netlify["publish"] == output
    assert "pip install -r requirements.txt" in netlify["command"] and "sitegen build" in netlify["command"]
    workflow = yaml.safe_load((site / ".github/workflows/pages.yml").read_text(encoding="utf-8"))
    steps = [s for job in workflow["jobs"].values() for s in job["steps"]]
    uses = {s["uses"].split("@")[0]: s for s in steps if "uses" in s}
    assert {"actions/configure-pages", "actions/upload-pages-artifact", "actions/deploy-pages"} <= set(uses)
    assert uses["actions/upload-pages-artifact"]["with"]["path"] == output
    runs = [s["run"] for s in steps if "run" in s]
    assert "pip install -r requirements.txt" in runs and "sitegen build" in runs
    assert (site / ".gitignore").read_text().splitlines().count(f"/{output}/") == 1


def test_requirements_name_where_sitegen_came_from_or_a_placeholder_to_edit():
    text = requirements_text(None)
    assert text.rstrip().splitlines()[-1] == PLACEHOLDER and "EDIT" in text
    git = {"url": "https://example.org/me/sitegen.git", "vcs_info": {"vcs": "git", "commit_id": "abc123"}}
    assert requirement_from(git) == "sitegen @ git+https://example.org/me/sitegen.git@abc123"
    assert requirement_from({"url": "https://example.org/sitegen-0.1.0-py3-none-any.whl",
                             "archive_info": {}}) == "sitegen @ https://example.org/sitegen-0.1.0-py3-none-any.whl"
    assert requirement_from({"url": "file:///home/me/sitegen", "dir_info": {"editable": True}}) is None
    assert requirements_text("sitegen @ git+https://x/y@1").rstrip().endswith("sitegen @ git+https://x/y@1")


def test_new_refuses_a_folder_that_is_not_empty_and_writes_nothing(tmp_path):
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("my own", encoding="utf-8")
    r = sitegen("new", "mine", cwd=tmp_path)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert "not empty" in r.stderr and "notes.txt" in r.stderr and "hint:" in r.stderr
    assert [p.name for p in (tmp_path / "mine").iterdir()] == ["notes.txt"]
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    r = sitegen("new", "afile", cwd=tmp_path)
    assert r.returncode == 1 and "not a folder" in r.stderr


def test_new_accepts_an_empty_folder_or_one_holding_only_git(tmp_path):
    (tmp_path / "empty").mkdir()
    assert sitegen("new", "empty", cwd=tmp_path).returncode == 0
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    r = sitegen("new", ".", cwd=tmp_path / "repo")
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "repo" / "sitegen.toml").is_file() and "cd ." in r.stdout
