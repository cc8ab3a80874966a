"""sitegen serve in a real browser (Playwright + Debian's Chromium): reload on edit, scroll kept, CSS swap, error overlay."""
from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "serve"
from conftest import CHROMIUM  # noqa: E402  (the browser fixture is in conftest too)

if importlib.util.find_spec("playwright") is None:
    pytest.skip("playwright is not installed (pip install playwright)", allow_module_level=True)
if not Path(CHROMIUM).exists():
    pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)", allow_module_level=True)

from sitegen.serve import DevServer  # noqa: E402

sys.path.insert(0, str(FIXTURES))
import fakesite  # noqa: E402
from fakesite import save  # noqa: E402

HAVE_BUILD = importlib.util.find_spec("sitegen.build") is not None
LONG_TAIL = "".join(f"\n\nFiller paragraph {i} so the page is long enough to scroll." for i in range(150))
TIMEOUT_MS = 10_000


@pytest.fixture(params=["fake", pytest.param("real", marks=pytest.mark.skipif(
    not HAVE_BUILD, reason="sitegen/build.py is not written yet"))])
def served(request, tmp_path):
    site = fakesite.make_site(tmp_path / "site")
    story = site / "content" / "w" / "story.txt"
    story.write_text(story.read_text() + LONG_TAIL)
    if request.param == "fake":
        app = DevServer(site, fakesite.fake_builder(site), port=0, log=lambda m: None)
    else:
        from sitegen.serve.builder import SiteBuilder
        if (REPO / "themes").is_dir():
            shutil.copytree(REPO / "themes", site / "themes", dirs_exist_ok=True)
        app = DevServer(site, SiteBuilder(site), port=0, log=lambda m: None)
    with app:
        yield app, site


def chapter_url(app: DevServer) -> str:
    failure = app.state.snapshot.failure
    assert failure is None, f"the fixture site does not build: {failure.text}"
    keys = [k for k, v in app.state.snapshot.files.items() if k.endswith(".html") and b"MARKER-ONE" in v]
    assert keys, "no page shows the fixture's chapter"
    return app.url + sorted(keys, key=len)[-1]


def test_edit_reloads_keeps_scroll_and_errors_show_as_overlay(browser, served):
    app, site = served
    page = browser.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(chapter_url(app))
    page.wait_for_function("() => document.body.innerText.includes('MARKER-ONE')")
    _wait_connected(app)
    page.evaluate("() => { window.scrollTo(0, 1200); window.__before = 1; }")
    page.wait_for_function("() => window.scrollY >= 1200")

    story = site / "content" / "w" / "story.txt"
    save(story, story.read_text().replace("MARKER-ONE", "MARKER-TWO"))
    page.wait_for_function("() => !window.__before && document.body.innerText.includes('MARKER-TWO')")
    page.wait_for_function("() => Math.abs(window.scrollY - 1200) < 50")

    toml = site / "content" / "w" / "work.toml"
    good = toml.read_text()
    save(toml, 'title = "unterminated\n')
    overlay = page.wait_for_selector("#__sitegen-overlay", state="visible")
    assert "work.toml" in overlay.inner_text()
    assert "MARKER-TWO" in page.inner_text("body"), "the last good page stays underneath"

    save(toml, good)
    page.wait_for_selector("#__sitegen-overlay", state="detached")
    page.close()


def test_a_stylesheet_change_swaps_it_without_reloading(browser, served):
    app, site = served
    css = sorted((site / "themes").rglob("*.css"))
    if not css:
        pytest.skip("the theme has no stylesheet")
    page = browser.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(chapter_url(app))
    _wait_connected(app)
    page.evaluate("() => { window.__before = 1; }")
    for f in css:
        save(f, f.read_text() + "\nhtml body { outline: 3px solid rgb(1, 2, 3) !important; }\n")
    page.wait_for_function("() => getComputedStyle(document.body).outlineColor === 'rgb(1, 2, 3)'")
    assert page.evaluate("() => window.__before") == 1, "the page reloaded instead of swapping the CSS"
    page.close()


def test_a_page_opened_during_a_failure_shows_the_overlay(browser, served):
    app, site = served
    toml = site / "content" / "w" / "work.toml"
    good = toml.read_text()
    save(toml, "title = [\n")
    fakesite.wait_for(lambda: app.state.snapshot.failure)
    page = browser.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(app.url)
    page.wait_for_selector("#__sitegen-overlay", state="visible")
    save(toml, good)
    page.wait_for_selector("#__sitegen-overlay", state="detached")
    page.close()


def _wait_connected(app: DevServer) -> None:
    """The page's EventSource is open, so no save is missed."""
    fakesite.wait_for(lambda: app.broadcaster.client_count >= 1)
