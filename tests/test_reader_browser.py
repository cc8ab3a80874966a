"""The sample site as a reader uses it, in Chromium (Playwright + Debian's Chromium): copying text,
name labels, the colour toggle, settings that persist, resume, arrow keys, tap targets, layout, axe-core."""
from __future__ import annotations

import functools
import http.server
import importlib.util
import threading
from pathlib import Path

import pytest

from sitegen.build import build

from conftest import CHROMIUM, REPO

if importlib.util.find_spec("playwright") is None:
    pytest.skip("playwright is not installed (pip install playwright)", allow_module_level=True)
if not Path(CHROMIUM).exists():
    pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)", allow_module_level=True)


WORK = "change-of-plans"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """serve(theme): the sample built once per theme and served over HTTP on 127.0.0.1
    (localStorage needs an origin); returns (the work's URL, the work)."""
    sites, servers = {}, []

    def serve(theme: str = "default"):
        if theme not in sites:
            out = tmp_path_factory.mktemp(theme) / "public"
            result = build(REPO, out=out, theme=theme)
            handler = functools.partial(_QuietHandler, directory=str(out))
            server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
            threading.Thread(target=server.serve_forever, daemon=True).start()
            servers.append(server)
            sites[theme] = (f"http://127.0.0.1:{server.server_address[1]}/{WORK}/", result.works[0])
        return sites[theme]
    yield serve
    for server in servers:
        server.shutdown()


@pytest.fixture(scope="module")
def site_url(served):
    return served("default")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(10_000)
    yield pg
    context.close()


def test_copied_text_has_no_speaker_names(page, site_url):
    url, work = site_url
    page.goto(url + "chapter-1.html")
    copied = page.evaluate("""() => {
        const p = [...document.querySelectorAll('.prose p')].find(p => p.querySelectorAll('.q').length >= 2);
        const range = document.createRange();
        range.selectNodeContents(p);
        const sel = window.getSelection();
        sel.removeAllRanges();
        sel.addRange(range);
        return sel.toString();
    }""")
    assert copied.count("\\u201c") + copied.count('"') + copied.count("'") >= 2
    for c in work.cast:
        assert f"{c.name}:" not in copied and f"{c.name}, " not in copied
    assert "Unknown speaker" not in copied and "speaking" not in copied
    # the name is there for screen readers: generated content before each quote
    first = page.evaluate("""() => {
        const q = document.querySelector('.prose .q:not(.c-unknown)');
        const id = [...q.classList].find(c => c.startsWith('c-')).slice(2);
        return [id, getComputedStyle(q, '::before').content];
    }""")
    name = next(c.name for c in work.cast if c.id == first[0])
    assert first[1].startswith(f'"{name}')


def test_show_names_puts_a_visible_label_before_each_line(page, site_url):
    url, _ = site_url
    page.goto(url + "chapter-1.html")
    width = "() => document.querySelector('.prose .q').getBoundingClientRect().width"
    hidden = "() => getComputedStyle(document.querySelector('.prose .q'), '::before').position"
    before = page.evaluate(width)
    assert page.evaluate(hidden) == "absolute"
    page.click("label[for=show-names]")
    assert page.evaluate(hidden) == "static"
    assert page.evaluate(width) > before + 20
    assert not page.query_selector(".prose .q[title]"), "no hover-only tooltips"


def test_colour_toggle_makes_quotes_plain(page, site_url):
    url, _ = site_url
    page.goto(url + "chapter-1.html")
    colour = "() => getComputedStyle(document.querySelector('.prose .q:not(.c-unknown)')).color"
    body = page.evaluate("() => getComputedStyle(document.body).color")
    assert page.evaluate(colour) != body
    page.click("label[for=plain-dialogue]")
    assert page.evaluate(colour) == body


def test_settings_persist_across_pages_and_reloads(page, site_url):
    url, _ = site_url
    page.goto(url + "chapter-1.html")
    size = "() => parseFloat(getComputedStyle(document.body).fontSize)"
    background = "() => getComputedStyle(document.body).backgroundColor"
    normal = page.evaluate(size)
    page.click(".settings > summary")
    page.check("#size-xl")
    page.check("#theme-sepia")
    page.check("#font-dyslexic")
    assert page.evaluate(size) > normal * 1.2
    assert page.evaluate(background) == "rgb(244, 236, 216)"
    for target in ("chapter-2.html", "index.html", "timeline.html"):
        page.goto(url + target)
        assert page.evaluate(background) == "rgb(244, 236, 216)", target
    page.reload()
    assert page.evaluate(size) > normal * 1.2
    assert "Dyslexic" in page.evaluate("() => getComputedStyle(document.body).fontFamily")
    page.click(".settings > summary")
    page.check("#theme-dark")
    page.goto(url + "chapter-2.html")
    assert page.evaluate(background) == "rgb(23, 23, 28)"


def test_settings_work_without_javascript(browser, site_url):
    url, _ = site_url
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(url + "chapter-1.html")
    page.click(".settings > summary")
    page.check("#theme-dark")
    page.click(".settings > summary")
    assert page.locator("body").evaluate("b => getComputedStyle(b).backgroundColor") == "rgb(23, 23, 28)"
    page.click("label[for=hide-notes]")
    assert not page.locator(".work-notes").first.is_visible()
    context.close()


def test_resume_offers_the_last_chapter_and_marks_chapters_read(page, site_url):
    url, _ = site_url
    page.goto(url + "index.html")
    assert page.locator("#continue-reading").is_hidden()
    page.goto(url + "chapter-1.html")
    page.evaluate("() => window.scrollTo(0, document.documentElement.scrollHeight)")
    page.wait_for_timeout(400)
    page.goto(url + "chapter-2.html")
    page.evaluate("() => window.scrollTo(0, (document.documentElement.scrollHeight - innerHeight) / 2)")
    page.wait_for_timeout(400)
    page.goto(url + "index.html")
    link = page.locator("#continue-reading")
    assert link.is_visible() and "Continue reading: Chapter 2" in link.inner_text()
    assert "read" in page.get_attribute('.chapter-list li[data-chapter="chapter-1.html"]', "class")
    assert "read" not in (page.get_attribute('.chapter-list li[data-chapter="chapter-2.html"]', "class") or "")
    link.click()
    page.wait_for_url("**/chapter-2.html#resume")
    half = page.evaluate("() => window.scrollY / (document.documentElement.scrollHeight - innerHeight)")
    assert 0.4 < half < 0.6


def test_arrow_keys_go_to_the_previous_and_next_chapter(page, site_url):
    url, _ = site_url
    page.goto(url + "chapter-2.html")
    page.keyboard.press("ArrowRight")
    page.wait_for_url("**/chapter-3.html")
    page.keyboard.press("ArrowLeft")
    page.wait_for_url("**/chapter-2.html")


def test_tap_targets_are_at_least_44px_on_a_phone(browser, site_url):
    """Controls and navigation links: 44 x 44 px. Tag links in a comma-separated list, like links
    in running text, at least 24 px tall (WCAG 2.5.8)."""
    url, _ = site_url
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    page = context.new_page()
    small = []
    for target in ("chapter-1.html", "index.html", "../tags/index.html"):
        page.goto(url + target)
        small += page.evaluate("""() => [...document.querySelectorAll(
              'main a:not(.prose a), main summary, main label, .site-header a, .site-header summary')]
            .filter(e => e.offsetParent !== null)
            .map(e => [e, e.textContent.trim().slice(0, 30), e.getBoundingClientRect()])
            .filter(([e, , r]) => e.matches('a.tag') ? r.height < 24 : (r.height < 44 || r.width < 44))
            .map(([, t, r]) => `${t} ${Math.round(r.width)}x${Math.round(r.height)}`)""")
    context.close()
    assert not small


@pytest.mark.parametrize("theme", ["default", "archive"])
def test_a_phones_first_screen_of_a_chapter_shows_its_title_and_prose(browser, served, theme):
    """360 x 740: the chapter's title and the first lines of its prose are on the first screen (the work's
    details fold into one "About this work" line); the folded menus are drawn as controls (a border)
    and open on a tap."""
    url, _ = served(theme)
    context = browser.new_context(viewport={"width": 360, "height": 740}, has_touch=True, is_mobile=True)
    page = context.new_page()
    for target in ("chapter-1.html", "chapter-2.html"):
        page.goto(url + target)
        title = page.locator("h1").bounding_box()
        prose = page.locator(".prose p").first.bounding_box()
        assert title["y"] + title["height"] < 740 and prose["y"] + 2 * 24 < 740, (target, title, prose)
        assert not page.locator(".work-header").is_visible()
        for menu in (".work-about", ".chapter-index", ".legend"):
            summary = page.locator(f"main {menu} > summary").first
            assert summary.evaluate("s => getComputedStyle(s).borderTopStyle") == "solid", menu
        page.locator(".work-about > summary").tap()
        assert page.locator(".work-header").is_visible()
    context.close()


@pytest.mark.parametrize("target", ["chapter-1.html", "index.html", "all.html"])
def test_the_reading_column_is_centred_on_a_desktop(page, site_url, target):
    url, _ = site_url
    page.goto(url + target)
    box = page.evaluate("() => document.querySelector('main > article, main > .prose, article').getBoundingClientRect().toJSON()")
    assert abs((box["left"] + box["right"]) / 2 - 640) < 12, box


def test_the_last_chapter_ends_with_somewhere_to_go(page, site_url):
    url, work = site_url
    page.goto(url + f"{work.chapters[-1].slug}.html")
    end = page.locator(".work-end")
    assert end.is_visible()
    text = end.inner_text()
    assert "Back to the work" in text and "Entire work" in text
    page.goto(url + "chapter-2.html")
    assert page.get_by_role("link", name="Entire work").first.is_visible()


@pytest.mark.skipif(importlib.util.find_spec("axe_playwright_python") is None,
                    reason="axe-playwright-python is not installed (pip install -e '.[test]')")
@pytest.mark.parametrize("scheme", ["light", "dark", "sepia"])
@pytest.mark.parametrize("theme", ["default", "archive"])
def test_axe_finds_no_serious_or_critical_violation(browser, served, theme, scheme):
    """light and dark: the device's preference; sepia: chosen in the reading settings (remembered)."""
    from axe_playwright_python.sync_playwright import Axe
    url, _ = served(theme)
    context = browser.new_context(viewport={"width": 1280, "height": 900},
                                  color_scheme="light" if scheme == "sepia" else scheme)
    page = context.new_page()
    if scheme == "sepia":
        page.goto(url + "index.html")
        page.evaluate("() => localStorage.setItem('sitegen:settings', JSON.stringify({theme: 'sepia'}))")
    axe, found = Axe(), []
    for target in ("index.html", "chapter-1.html", "all.html", "timeline.html", "../tags/index.html"):
        page.goto(url + target)
        if scheme == "sepia":
            assert page.evaluate("() => getComputedStyle(document.body).backgroundColor") == "rgb(244, 236, 216)"
        results = axe.run(page)
        found += [f"{target}: {v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
                  for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    context.close()
    assert not found


def test_the_timeline_chart_fits_a_desktop_box_and_stays_legible_on_a_phone(browser, site_url):
    url, _ = site_url
    sizes = """() => {
        const box = document.querySelector('.chart-scroll'), svg = box.querySelector('svg');
        const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
        const px = t => parseFloat(getComputedStyle(t.closest('g')).fontSize || t.closest('g').getAttribute('font-size'));
        const name = svg.querySelector('text.name'), label = svg.querySelector('text.column-label');
        return {fits: box.scrollWidth <= box.clientWidth + 1, name: px(name) * scale, label: px(label) * scale};
    }"""
    for width, fits in ((1280, True), (390, False)):
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        page.goto(url + "timeline.html")
        found = page.evaluate(sizes)
        context.close()
        assert found["fits"] == fits, (width, found)
        assert found["name"] >= 12 and found["label"] >= 11, (width, found)


def test_at_1280px_the_chart_is_whole_in_the_window_and_no_end_name_covers_a_scene(page, site_url):
    """The chart's box is inside the window (the page does not scroll sideways, no end label is cut
    off) and a name at a line's end never lies on a later scene's box."""
    url, _ = site_url
    page.goto(url + "timeline.html")
    found = page.evaluate("""() => {
        const box = document.querySelector('.chart-scroll').getBoundingClientRect();
        const texts = [...document.querySelectorAll('.narrative-chart text')].map(t => [t, t.getBoundingClientRect()]);
        const rects = [...document.querySelectorAll('.narrative-chart .scene-box')].map(r => r.getBoundingClientRect());
        const cut = texts.filter(([t, b]) => b.left < box.left || b.right > box.right).map(([t]) => t.textContent);
        const hit = (a, b) => a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;
        const covering = texts.filter(([t, b]) => t.classList.contains('name-end'))
            .filter(([t, b]) => rects.some(r => r.left > b.left + 8 && hit(b, r))).map(([t]) => t.textContent);
        return {wide: document.documentElement.scrollWidth, window: window.innerWidth, inside: box.right <= window.innerWidth,
                cut, covering};
    }""")
    assert found["wide"] <= found["window"] and found["inside"], found
    assert not found["cut"] and not found["covering"], found


def test_dark_chosen_on_a_light_device_darkens_quotes_and_the_chart(page, site_url):
    url, _ = site_url
    page.goto(url + "chapter-1.html")
    page.click(".settings > summary")
    page.check("#theme-dark")
    quote = page.evaluate("""() => {
        const q = document.querySelector('.prose .q:not(.c-unknown)'), s = getComputedStyle(q);
        return [s.color, s.getPropertyValue('--speaker-dark').trim()];
    }""")
    assert quote[0] == _rgb(quote[1])
    page.goto(url + "timeline.html")
    stroke = page.evaluate("() => getComputedStyle(document.querySelector('.narrative-chart .nc-0')).stroke")
    light = page.get_attribute(".narrative-chart .nc-0", "stroke")
    assert stroke != _rgb(light)
    assert page.evaluate("() => getComputedStyle(document.body).backgroundColor") == "rgb(23, 23, 28)"


def _rgb(hex_colour: str) -> str:
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgb({r}, {g}, {b})"
