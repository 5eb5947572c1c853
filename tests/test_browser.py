"""The built book in a real browser: headless Chromium, driven by Selenium, pages served on 127.0.0.1.

Needs Debian's ``chromium`` and ``chromium-driver`` (``apt-get install chromium chromium-driver``);
without them these tests skip and say so.  Screenshots of every page go to
``_build/screenshots/`` (or ``$BOOK_SCREENSHOTS``) for a person to look at.
"""
import functools
import http.server
import os
import pathlib
import shutil
import tempfile
import threading

import pytest

from conftest import ROOT, toc_files

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
SCREENSHOTS = pathlib.Path(os.environ.get("BOOK_SCREENSHOTS", ROOT / "_build" / "screenshots"))

pytestmark = pytest.mark.skipif(
    not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)),
    reason="no Chromium: install it with `apt-get install chromium chromium-driver` "
           "(Debian) to run the browser tests")


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
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tempfile.mkdtemp(prefix="chromium-profile-")
    for flag in ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", f"--user-data-dir={profile}",
                 "--window-size=1280,900"]:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


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


def screenshot(browser, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    height = browser.execute_script("return document.body.scrollHeight")
    browser.set_window_size(1280, min(max(height, 900), 16000))
    browser.save_screenshot(str(SCREENSHOTS / f"{name.replace('/', '_')}.png"))
    browser.set_window_size(1280, 900)


@pytest.mark.parametrize("page", toc_files())
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
    screenshot(browser, page)


@pytest.mark.parametrize("page", [p for p in toc_files() if (ROOT / f"{p}.ipynb").exists()])
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
    first.find_element("css selector", ".admonition-title").click()
    assert "toggle-hidden" not in first.get_attribute("class")
    assert first.find_element("css selector", "section").is_displayed()


def test_lambda_explorer_works_without_a_kernel(browser, site):
    page = next(p for p in toc_files() if "lambda" in p)
    open_page(browser, f"{site}/{page}.html")
    slider = browser.find_element("css selector", ".animation input[type=range]")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", slider)
    image = slider.find_element("xpath", "ancestor::div[contains(@class,'animation')]//img")
    before = image.get_attribute("src")
    browser.execute_script("""const s = arguments[0];
        s.value = s.max; s.dispatchEvent(new Event('input')); s.dispatchEvent(new Event('change'));""",
                           slider)
    assert image.get_attribute("src") != before, "the λ slider did not change the picture"


def test_search_finds_backpropagation(browser, site):
    open_page(browser, f"{site}/search.html?q=backpropagation")
    from selenium.webdriver.support.ui import WebDriverWait
    results = WebDriverWait(browser, 30).until(
        lambda b: b.find_elements("css selector", "#search-results ul.search li"))
    assert any("backprop" in r.text.lower() for r in results)


@pytest.mark.parametrize("page", [p for p in toc_files() if (ROOT / f"{p}.ipynb").exists()])
def test_download_button_gives_the_notebook(browser, site, page):
    import json
    import urllib.request
    open_page(browser, f"{site}/{page}.html")
    browser.find_element("css selector", ".dropdown-download-buttons button").click()
    link = browser.find_element("css selector", "a.btn-download-source-button")
    assert link.is_displayed()
    with urllib.request.urlopen(link.get_attribute("href")) as response:
        notebook = json.loads(response.read())
    original = json.loads((ROOT / f"{page}.ipynb").read_text())
    assert [c["source"] for c in notebook["cells"]] == [c["source"] for c in original["cells"]]
