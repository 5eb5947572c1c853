"""The built book in a real browser: headless Chromium, driven by Selenium, pages served on 127.0.0.1.

Needs Debian's ``chromium`` and ``chromium-driver`` (``apt-get install chromium chromium-driver``);
without them these tests skip and say so.  Every page is also opened at three sizes, a desktop
(1280 × 900), a tablet (800 × 1000) and a phone (390 × 844; both emulated as mobile devices),
and a full-page screenshot of each goes to ``_build/screenshots/<size>/`` (or
``$BOOK_SCREENSHOTS/<size>/``) for a person to look at.

Every check that follows a click waits for the state it checks (``WebDriverWait``): asserting
right after a click races the page's own scripts, and a test that does so is flaky.
"""
import functools
import http.server
import io
import os
import pathlib
import shutil
import sys
import tempfile
import threading

import pytest

from conftest import ROOT, toc_files

sys.path.insert(0, str(ROOT / "tools"))
from handouts import CHROMEDRIVER, CHROMIUM, chromium_options  # noqa: E402  (tools/ is not a package)

SCREENSHOTS = pathlib.Path(os.environ.get("BOOK_SCREENSHOTS", ROOT / "_build" / "screenshots"))
WAIT = 15                                    # seconds a page gets to reach a state we wait for

# name: (width, height, mobile).  "mobile" makes Chromium lay the page out as a phone's or
# tablet's browser does: the layout viewport widens if the page is too wide (so a sideways
# page shows), scrollbars overlay the content and vanish (so only a drawn cue shows that a
# box scrolls).
SIZES = {"desktop": (1280, 900, False), "tablet": (800, 1000, True), "phone": (390, 844, True)}
PAGES = toc_files()
NOTEBOOK_PAGES = [p for p in PAGES if (ROOT / f"{p}.ipynb").exists()]

pytestmark = [
    pytest.mark.skipif(
        not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)),
        reason="no Chromium: install it with `apt-get install chromium chromium-driver` "
               "(Debian) to run the browser tests"),
    pytest.mark.slow,                        # every test here needs the built book
]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site(html):
    handler = functools.partial(_QuietHandler, directory=str(html))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="module")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    profile = tempfile.mkdtemp(prefix="chromium-profile-")
    options = chromium_options(profile)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def set_size(browser, size, height=None):
    width, default_height, mobile = SIZES[size]
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": height or default_height, "deviceScaleFactor": 1,
        "mobile": mobile})


@pytest.fixture
def sized(browser, request):
    """The browser at the size the test is parametrized with, and back at desktop size after."""
    set_size(browser, request.param)
    yield request.param
    browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def wait_for(browser, condition, message):
    from selenium.webdriver.support.ui import WebDriverWait
    return WebDriverWait(browser, WAIT).until(condition, message)


def open_page(browser, url):
    """Load a page, wait for MathJax to finish, and return the console messages it logged."""
    browser.get_log("browser")                             # forget the previous page's messages
    browser.get(url)
    browser.execute_async_script("""
        const done = arguments[arguments.length - 1];
        const wait = () => (window.MathJax && MathJax.startup && MathJax.startup.promise)
            ? MathJax.startup.promise.then(() => done(true)) : setTimeout(wait, 50);
        if (document.querySelector('.math')) { wait(); } else { done(true); }""")
    return browser.get_log("browser")


def screenshot(browser, size, page):
    """Save a full-page screenshot of the current page at ``size`` for a person to look at."""
    folder = SCREENSHOTS / size
    folder.mkdir(parents=True, exist_ok=True)
    height = browser.execute_script("return document.documentElement.scrollHeight")
    set_size(browser, size, height=min(max(height, SIZES[size][1]), 16000))
    try:
        browser.save_screenshot(str(folder / f"{page.replace('/', '_')}.png"))
    finally:
        set_size(browser, size)


@pytest.mark.parametrize("page", PAGES)
def test_page_loads_cleanly_with_images_and_math(browser, site, page):
    messages = open_page(browser, f"{site}/{page}.html")
    severe = [m["message"] for m in messages if m["level"] == "SEVERE"]
    assert not severe, severe
    images = browser.execute_script("""return Array.from(document.images).map(
        i => [i.currentSrc, i.complete && i.naturalWidth > 0, (i.getAttribute('alt') || '').trim()])""")
    for src, loaded, alt in images:
        assert loaded, f"image did not load: {src}"
        assert alt, f"image without alt text: {src}"
    n_math = browser.execute_script("return document.querySelectorAll('.math').length")
    n_typeset = browser.execute_script("return document.querySelectorAll('mjx-container').length")
    assert n_typeset >= n_math, f"{n_math} formulas, {n_typeset} typeset"
    errors = browser.execute_script(
        "return Array.from(document.querySelectorAll('mjx-merror')).map(e => e.textContent)")
    assert not errors, f"MathJax could not typeset: {errors}"


# ---- layout at three sizes ------------------------------------------------------------------

# For the current page: how wide the page is, and every display equation, table and code/output
# block with its own width, its box's width and how its box scrolls.
MEASURE = """
const column = document.querySelector('article.bd-article');
const style = getComputedStyle(column);
const columnWidth = column.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
const columnRight = column.getBoundingClientRect().right - parseFloat(style.paddingRight);
const describe = (kind, element, box) => {
  const s = getComputedStyle(box);
  return {kind: kind, text: (element.textContent || '').trim().slice(0, 60),
          width: element.scrollWidth, boxWidth: box.clientWidth,
          boxRight: box.getBoundingClientRect().right, overflowX: s.overflowX,
          background: s.backgroundImage, attachment: s.backgroundAttachment};
};
const scroller = e => {
  for (let a = e; a && a !== column; a = a.parentElement) {
    if (['auto', 'scroll'].includes(getComputedStyle(a).overflowX)) return a;
  }
  return e;
};
const boxes = [];
column.querySelectorAll('mjx-container[display="true"]').forEach(
  e => boxes.push(describe('equation', e, e)));
column.querySelectorAll('table').forEach(t => boxes.push(describe('table', t, scroller(t))));
column.querySelectorAll('div.highlight > pre, .cell_output pre').forEach(
  e => boxes.push(describe('code', e, e)));
// a figure against the width its cell (or, outside a cell, its figure's container) gives it:
// inside a folded solution or a note that is a little less than the column
const figures = Array.from(column.querySelectorAll('figure img, .cell_output img'))
  .filter(i => !i.closest('.animation') && i.getBoundingClientRect().width > 0)
  .map(i => {
    const room = i.closest('.cell_output') || i.closest('figure').parentElement;
    const s = getComputedStyle(room);
    return {src: i.getAttribute('src'), width: i.getBoundingClientRect().width,
            room: room.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight)};
  });
return {pageWidth: document.documentElement.scrollWidth, columnWidth: columnWidth,
        columnRight: columnRight, boxes: boxes, figures: figures};
"""


def shadow_strength(browser, element, side):
    """How much darker than the box's own colour a thin strip at one edge of ``element`` is.

    The mean darkening (0–255) of the middle third of a 3-pixel strip just inside the left
    or right edge, against the median colour of the box.  A scroll shadow makes it clearly
    positive; a plain edge leaves it about zero.
    """
    from PIL import Image
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    image = Image.open(io.BytesIO(element.screenshot_as_png)).convert("L")
    w, h = image.size
    columns = range(1, 4) if side == "left" else range(w - 4, w - 1)
    strip = [image.getpixel((x, y)) for x in columns for y in range(h // 3, 2 * h // 3)]
    ink = sorted(image.get_flattened_data())
    box = ink[len(ink) // 2]                 # the box's colour: most pixels are background
    return sum(max(box - value, 0) for value in strip) / len(strip)


@pytest.mark.parametrize("sized", list(SIZES), indirect=True)
@pytest.mark.parametrize("page", PAGES)
def test_nothing_is_cut_off(browser, site, page, sized):
    """No sideways page; wide equations, tables and code scroll in a box that shows it does."""
    width = SIZES[sized][0]
    open_page(browser, f"{site}/{page}.html")
    screenshot(browser, sized, page)
    found = browser.execute_script(MEASURE)
    assert found["pageWidth"] <= width, (
        f"{page} at {sized} is {found['pageWidth']} px wide on a {width} px screen: "
        "the page scrolls sideways")
    for box in found["boxes"]:
        what = f"{page} at {sized}: {box['kind']} {box['text']!r}"
        assert box["boxRight"] <= found["columnRight"] + 1, f"{what} sticks out of the column"
        if box["width"] <= box["boxWidth"] + 1:
            continue                         # it fits
        assert box["overflowX"] in ("auto", "scroll"), f"{what} is cut off: its box does not scroll"
        assert "radial-gradient" in box["background"] and "local" in box["attachment"], (
            f"{what} scrolls, but nothing shows that it does (no scroll shadow)")
    small = [f for f in found["figures"] if f["width"] < 0.9 * f["room"]]
    assert not small, f"{page} at {sized}: figures narrower than 90 % of their column: {small}"
    assert all(f["room"] > 0.8 * found["columnWidth"] for f in found["figures"]), found["figures"]


@pytest.mark.parametrize("sized", ["phone"], indirect=True)
def test_a_wide_equation_shows_a_shadow_on_the_side_that_hides_more(browser, site, sized):
    """Pixels, not styles: a too-wide equation shades its right edge, then, scrolled, its left.

    The equation is typeset into chapter 5 by the book's own MathJax, so the test does not
    depend on the chapters keeping an equation wider than a phone.
    """
    page = next(p for p in PAGES if "backprop" in p)
    open_page(browser, f"{site}/{page}.html")
    widest = browser.execute_async_script("""
        const done = arguments[arguments.length - 1];
        const div = document.createElement('div');
        div.className = 'math notranslate nohighlight';
        div.textContent = '\\\\[' + Array.from({length: 40}, (_, i) => `a_{${i + 1}}`).join(' + ') + '\\\\]';
        document.querySelector('article.bd-article section').append(div);
        MathJax.typesetPromise([div]).then(() => done(div.querySelector('mjx-container')));""")
    assert browser.execute_script("return arguments[0].scrollWidth - arguments[0].clientWidth",
                                  widest) > 200, "the test equation is not wider than the phone"
    at_start = shadow_strength(browser, widest, "right"), shadow_strength(browser, widest, "left")
    browser.execute_script("arguments[0].scrollLeft = arguments[0].scrollWidth", widest)
    wait_for(browser, lambda b: b.execute_script(
        "return arguments[0].scrollLeft > 0", widest), "the equation did not scroll")
    at_end = shadow_strength(browser, widest, "right"), shadow_strength(browser, widest, "left")
    assert at_start[0] > 8 and at_start[0] > 3 * at_start[1], f"right/left shading at the start: {at_start}"
    assert at_end[1] > 8 and at_end[1] > 3 * at_end[0], f"right/left shading at the end: {at_end}"


# ---- the sidebar buttons --------------------------------------------------------------------

def click_at(browser, x, y):
    from selenium.webdriver.common.actions.action_builder import ActionBuilder
    actions = ActionBuilder(browser)
    actions.pointer_action.move_to_location(int(x), int(y))
    actions.pointer_action.click()
    actions.perform()


def visible_toggle(browser, kind):
    buttons = [b for b in browser.find_elements("css selector", f".{kind}-toggle") if b.is_displayed()]
    return buttons[0] if buttons else None


def panel_is_open(browser, kind):
    """Whether the sidebar can be read: shown in the page, or shown as a dialog over it."""
    return browser.execute_script("""
        const kind = arguments[0];
        const dialog = document.getElementById(`pst-${kind}-sidebar-modal`);
        if (dialog && dialog.open) return dialog.getBoundingClientRect().width > 100;
        const sidebar = document.getElementById(`pst-${kind}-sidebar`);
        if (!sidebar) return false;
        const r = sidebar.getBoundingClientRect();
        return getComputedStyle(sidebar).visibility !== 'hidden' && r.width > 100
            && r.right > 0 && r.left < window.innerWidth;""", kind)


@pytest.mark.parametrize("sized", list(SIZES), indirect=True)
@pytest.mark.parametrize("page", PAGES)
def test_both_sidebar_buttons_open_and_close_their_panels(browser, site, page, sized):
    browser.get(f"{site}/{page}.html")
    for kind in ("primary", "secondary"):
        button = visible_toggle(browser, kind)
        if button is None:
            # no button: the theme shows this sidebar beside the text (desktop), so it is open
            assert sized == "desktop" and kind == "secondary", f"{page} at {sized}: no {kind} button"
            assert panel_is_open(browser, kind), f"{page} at {sized}: {kind} sidebar not shown"
            continue
        was_open = panel_is_open(browser, kind)
        button.click()
        wait_for(browser, lambda b, kind=kind, was_open=was_open: panel_is_open(b, kind) != was_open,
                 f"{page} at {sized}: the {kind} button did not {'close' if was_open else 'open'} its panel")
        if sized == "desktop":
            button.click()                   # the same button brings the sidebar back
        else:
            # a dialog over the page: a tap beside it closes it, as a reader would
            rect = browser.execute_script(
                f"return document.getElementById('pst-{kind}-sidebar-modal').getBoundingClientRect()")
            width = SIZES[sized][0]
            x = (rect["right"] + width) / 2 if rect["right"] < width - 20 else rect["left"] / 2
            click_at(browser, x, SIZES[sized][1] / 2)
        wait_for(browser, lambda b, kind=kind, was_open=was_open: panel_is_open(b, kind) == was_open,
                 f"{page} at {sized}: the {kind} panel did not go back")
        if sized != "desktop":
            # the theme moves the sidebar's content back out of the dialog when it closes
            wait_for(browser, lambda b, kind=kind: b.execute_script(
                f"return document.getElementById('pst-{kind}-sidebar').children.length > 0"),
                f"{page} at {sized}: the {kind} sidebar came back empty")


# ---- the course's other interactive parts ---------------------------------------------------

@pytest.mark.parametrize("page", NOTEBOOK_PAGES)
def test_solutions_are_closed_and_open_on_click(browser, site, page):
    open_page(browser, f"{site}/{page}.html")
    solutions = browser.find_elements("css selector", "div.solution")
    assert solutions, f"{page} has no exercise solutions"
    for solution in solutions:
        body = solution.find_element("css selector", "section")
        assert "toggle-hidden" in solution.get_attribute("class")
        assert not body.is_displayed()
    first = solutions[0]
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", first)
    # a reader taps the middle of the title, where sphinx-exercise puts a link to the exercise
    first.find_element("css selector", ".admonition-title").click()
    wait_for(browser, lambda b: "toggle-hidden" not in first.get_attribute("class")
             and first.find_element("css selector", "section").is_displayed(),
             f"{page}: the first solution did not open")


@pytest.mark.parametrize("sized", list(SIZES), indirect=True)
def test_lambda_explorer_works_without_a_kernel(browser, site, sized):
    page = next(p for p in PAGES if "lambda" in p)
    open_page(browser, f"{site}/{page}.html")
    player = browser.find_element("css selector", ".cell_output .animation")
    slider = player.find_element("css selector", "input[type=range]")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", slider)
    image = player.find_element("css selector", "img")
    # the whole player, its last ("+") button included, lies inside the column
    inside = browser.execute_script("""
        const column = arguments[0].closest('.cell_output').getBoundingClientRect();
        return Array.from(arguments[0].querySelectorAll('img, input, button')).map(e => {
            const r = e.getBoundingClientRect();
            return [e.title || e.tagName, r.left >= column.left - 1 && r.right <= column.right + 1];
        });""", player)
    outside = [name for name, ok in inside if not ok]
    assert not outside, f"at {sized} these parts of the λ player stick out of its box: {outside}"
    before = image.get_attribute("src")
    browser.execute_script("""const s = arguments[0];
        s.value = s.max; s.dispatchEvent(new Event('input')); s.dispatchEvent(new Event('change'));""",
                           slider)
    wait_for(browser, lambda b: image.get_attribute("src") != before,
             "the λ slider did not change the picture")


def test_search_finds_backpropagation(browser, site):
    open_page(browser, f"{site}/search.html?q=backpropagation")
    results = wait_for(browser, lambda b: b.find_elements("css selector", "#search-results ul.search li"),
                       "no search results")
    assert any("backprop" in r.text.lower() for r in results)


@pytest.mark.parametrize("page", NOTEBOOK_PAGES)
def test_download_button_gives_the_notebook(browser, site, page):
    import json
    import urllib.request
    open_page(browser, f"{site}/{page}.html")
    browser.find_element("css selector", ".dropdown-download-buttons button").click()
    link = browser.find_element("css selector", "a.btn-download-source-button")
    wait_for(browser, lambda b: link.is_displayed(), f"{page}: the download menu did not open")
    with urllib.request.urlopen(link.get_attribute("href")) as response:
        notebook = json.loads(response.read())
    original = json.loads((ROOT / f"{page}.ipynb").read_text())
    assert [c["source"] for c in notebook["cells"]] == [c["source"] for c in original["cells"]]
