"""Printable handouts: one PDF per page of the built book, and one of the whole book.

Usage, from the repository's top folder, after building the book::

    .venv/bin/python tools/handouts.py [--html _build/html] [--out handouts]
                                       [--paper a4|letter] [--no-solutions]
                                       [--pages NAME ...] [--force]

It serves the built HTML on 127.0.0.1, opens every page of the table of contents in the
headless Chromium the browser tests use (Debian's ``chromium`` and ``chromium-driver``), and
prints it with Chromium's own PDF printer (``Page.printToPDF``).  The book's print style
(``book/_static/course.css``) hides the navigation, wraps long code and output lines and keeps
figures, equations and table rows whole; before printing, this tool lays the page out at the
paper's width and shrinks any equation or table still wider than the paper to fit it, and
warns about anything else that would be cut.  Each page gets a footer with the chapter's title
and "page n of N".  The exercises' worked solutions print open, as when a reader prints a
page from the browser (someone studying on paper cannot unfold them); ``--no-solutions``
leaves them out, for a handout given to a class.

The PDFs go to ``--out`` (default ``handouts/``): ``01_data.pdf`` ... and ``whole-book.pdf``,
whose page numbers run through the book.  The tool never writes into ``book/``, into a folder
reached through a symbolic link into the repository, or over a file it did not write (a
folder's files are listed in its ``.nnlib-output`` manifest, see ``tools/safe_paths.py``)
unless ``--force`` is given.
"""
import argparse
import base64
import functools
import http.server
import os
import pathlib
import posixpath
import re
import shutil
import sys
import tempfile
import threading
import time
import urllib.parse

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import safe_paths  # noqa: E402  (tools/ is not a package; safe_paths sits beside this file)

ROOT = pathlib.Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
WHOLE_BOOK = "whole-book.pdf"
VIRTUAL_PAGE = "__whole_book__.html"         # served from memory, never written to disk

# paper: (width, height) in inches, margins (top, right, bottom, left) in inches
PAPERS = {"a4": (8.27, 11.69), "letter": (8.5, 11.0)}
MARGINS = (0.55, 0.6, 0.7, 0.6)              # the bottom one leaves room for the footer
CSS_PX_PER_INCH = 96

FOOTER = """<div style="width: 100%; margin: 0 0.6in; font: 8px sans-serif; color: #555;
  display: flex; justify-content: space-between;">
  <span class="title"></span><span>page <span class="pageNumber"></span>
  of <span class="totalPages"></span></span></div>"""

# Run in the page laid out at the paper's width with print styles: shrink each display
# equation and table that is still too wide so it fits, open (or drop) the solutions, and
# return what would still be cut at the right margin.
FIT_TO_PAPER = """
const withSolutions = arguments[0];
if (withSolutions) {
  // open them now, so that they are measured as they will print (the toggle extension
  // would open them only when printing starts)
  document.querySelectorAll('.admonition.toggle-hidden').forEach(e => e.classList.remove('toggle-hidden'));
} else {
  document.querySelectorAll('div.solution').forEach(e => e.remove());
}
const shrunk = [], cut = [];
const boxes = document.querySelectorAll(
  'article mjx-container[display="true"], article .pst-scrollable-table-container, ' +
  'article .cell_output .output.text_html');
for (const box of boxes) {
  box.style.zoom = '';
  const inner = box.scrollWidth, room = box.clientWidth;
  if (room > 0 && inner > room + 1) {
    box.style.zoom = (room / inner).toFixed(4);
    shrunk.push((box.textContent || '').trim().slice(0, 50));
  }
}
const page = document.documentElement.clientWidth;
const say = e => e.tagName.toLowerCase() + ': ' + (e.textContent || '').trim().slice(0, 60);
for (const e of document.querySelectorAll('article *')) {
  if (e.closest('mjx-assistive-mml')) continue;      // MathJax's hidden copy for screen readers
  const r = e.getBoundingClientRect();
  if (r.width > 0 && r.right > page + 1) cut.push(say(e));
}
// boxes whose hidden part is text (a few pixels of a glyph's overhang are not)
for (const e of document.querySelectorAll('article pre, article .output, article table, ' +
                                          'article mjx-container[display="true"]')) {
  if (e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 4
      && getComputedStyle(e).overflowX !== 'visible') cut.push(say(e));
}
return {shrunk: shrunk, cut: cut.slice(0, 20)};
"""

WAIT_FOR_PAGE = """
const done = arguments[arguments.length - 1];
const images = () => Promise.all(Array.from(document.images).map(i => i.complete ? null
    : new Promise(r => { i.addEventListener('load', r); i.addEventListener('error', r); })));
const math = () => (window.MathJax && MathJax.startup && MathJax.startup.promise)
    ? MathJax.startup.promise : new Promise(r => setTimeout(() => r(math()), 50));
(document.querySelector('.math') ? math() : Promise.resolve())
    .then(images).then(() => document.fonts.ready).then(() => done(true));
"""


class HandoutError(Exception):
    """Something the user can fix: a wrong folder, a missing build, a missing browser."""


# ---- which pages, in which order --------------------------------------------------------------

def _bs4(path):
    from bs4 import BeautifulSoup
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def book_pages(html):
    """The pages of the book in reading order, as paths relative to ``html`` ("book/05_backprop.html").

    Read from the built book itself: the start page (``index.html``, or the page it redirects
    to) and the links of its navigation sidebar.
    """
    index = html / "index.html"
    if not index.is_file():
        raise HandoutError(f"{html} has no index.html: build the book first "
                           "(.venv/bin/jupyter-book build .) or name its HTML folder with --html")
    start = "index.html"
    refresh = re.search(r'http-equiv="Refresh"\s+content="\d+;\s*url=([^"]+)"',
                        index.read_text(encoding="utf-8"), re.IGNORECASE)
    if refresh:
        start = posixpath.normpath(refresh.group(1))
    soup = _bs4(html / start)
    nav = soup.select_one(".bd-sidebar-primary nav.bd-docs-nav") or soup.select_one("nav.bd-docs-nav")
    pages = [start]
    folder = posixpath.dirname(start)
    for link in nav.select("a.reference.internal") if nav else []:
        target = urllib.parse.urlsplit(link.get("href", "")).path
        if not target:
            continue                                       # "#": the start page itself
        page = posixpath.normpath(posixpath.join(folder, target))
        if page not in pages and (html / page).is_file():
            pages.append(page)
    return pages


def pdf_name(page, pages):
    """``book/05_backprop.html`` -> ``05_backprop.pdf`` (the folder kept only if names clash)."""
    stem = posixpath.splitext(posixpath.basename(page))[0]
    clash = sum(posixpath.splitext(posixpath.basename(p))[0] == stem for p in pages) > 1
    return (posixpath.splitext(page)[0].replace("/", "-") if clash else stem) + ".pdf"


def whole_book_html(html, pages):
    """One HTML page holding every page's article, each starting on a new sheet.

    The first page is the frame (its head loads the styles and MathJax); the articles of the
    others are appended to it.  Their relative links are made absolute (``/_images/...``) so
    they load whatever folder the pages came from.  Returns the text of the page, to be
    served at ``<first page's folder>/__whole_book__.html``.
    """
    frame = _bs4(html / pages[0])
    article = frame.select_one("article.bd-article")
    if article is None:
        raise HandoutError(f"{pages[0]} has no <article class='bd-article'>: not a Jupyter Book page")
    for page in pages[1:]:
        other = _bs4(html / page).select_one("article.bd-article")
        if other is None:
            continue
        folder = "/" + posixpath.dirname(page)
        for element in other.find_all(True):
            for attribute in ("src", "href"):
                value = element.get(attribute)
                if value and not re.match(r"^([a-z][a-z0-9+.-]*:|/|#|data:)", value, re.IGNORECASE):
                    element[attribute] = posixpath.normpath(posixpath.join(folder, value))
        chapter = frame.new_tag("div", attrs={"class": "course-handout-chapter",
                                              "style": "break-before: page"})
        chapter.extend(list(other.contents))
        article.append(chapter)
    if frame.title:
        frame.title.string = frame.title.get_text().split(" — ")[-1]
    return str(frame)


# ---- where the PDFs go ------------------------------------------------------------------------

def output_folder(out, force):
    """The output folder, checked: never book/, never a link into the repository."""
    given = pathlib.Path(os.path.abspath(out))
    resolved = given.resolve()
    repo = ROOT.resolve()
    if given != resolved and (resolved == repo or repo in resolved.parents):
        raise HandoutError(f"--out {out} leads into the repository ({resolved}) through a "
                           "symbolic link; name the real folder instead")
    try:
        return safe_paths.output_dir(out, ROOT, force=force)
    except ValueError as error:
        raise HandoutError(str(error)) from None


def check_targets(folder, names, force):
    """Refuse, before any printing, to replace a link or a file the tools did not write."""
    ours = safe_paths.manifest(folder)
    for name in names:
        target = folder / name
        if target.is_symlink():
            raise HandoutError(f"{target} is a symbolic link; remove it first")
        if target.exists() and name not in ours and not force:
            raise HandoutError(f"{target} exists and was not written by this tool; "
                               "pass --force to replace it")


# ---- the browser --------------------------------------------------------------------------------

class _Server(http.server.SimpleHTTPRequestHandler):
    virtual = {}                                  # URL path -> bytes, set per server

    def log_message(self, *args):
        pass

    def do_GET(self):
        path = urllib.parse.urlsplit(self.path).path
        if path in self.virtual:
            body = self.virtual[path]
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        else:
            super().do_GET()


def serve(html, virtual):
    handler = type("Handler", (_Server,), {"virtual": virtual})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             functools.partial(handler, directory=str(html)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def chromium_options(profile):
    """Options for a quiet headless Chromium with its profile in the folder ``profile``.

    This tool and the browser tests (tests/test_browser.py) start Chromium the same way.
    """
    from selenium import webdriver
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", f"--user-data-dir={profile}",
                 "--window-size=1280,900"]:
        options.add_argument(flag)
    return options


def start_chromium():
    if not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)):
        raise HandoutError("no Chromium: install it with `apt-get install chromium chromium-driver`")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    profile = tempfile.mkdtemp(prefix="handouts-chromium-")
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=chromium_options(profile))
    driver.set_page_load_timeout(120)
    driver.set_script_timeout(120)
    # the light colours whatever the machine prefers: the handout is for paper
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {
        "features": [{"name": "prefers-color-scheme", "value": "light"}]})
    return driver, profile


def print_page(driver, url, paper, solutions):
    """Load ``url``, fit it to the paper, and return (PDF bytes, what was shrunk, what is cut)."""
    width, height = PAPERS[paper]
    top, right, bottom, left = MARGINS
    driver.get(url)
    driver.execute_async_script(WAIT_FOR_PAGE)
    room = round((width - left - right) * CSS_PX_PER_INCH)
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": room, "height": round((height - top - bottom) * CSS_PX_PER_INCH),
        "deviceScaleFactor": 1, "mobile": False})
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {
        "media": "print", "features": [{"name": "prefers-color-scheme", "value": "light"}]})
    try:
        found = driver.execute_script(FIT_TO_PAPER, solutions)
    finally:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {
            "media": "", "features": [{"name": "prefers-color-scheme", "value": "light"}]})
    result = driver.execute_cdp_cmd("Page.printToPDF", {
        "paperWidth": width, "paperHeight": height, "marginTop": top, "marginRight": right,
        "marginBottom": bottom, "marginLeft": left, "printBackground": True,
        "displayHeaderFooter": True, "headerTemplate": "<span></span>", "footerTemplate": FOOTER,
        "preferCSSPageSize": False})
    return base64.b64decode(result["data"]), found["shrunk"], found["cut"]


def count_pages(pdf):
    """The number of pages of a PDF written by Chromium (its page objects are not compressed)."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


# ---- the command --------------------------------------------------------------------------------

def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--html", default=str(ROOT / "_build" / "html"),
                        help="the built book's HTML folder (default: _build/html)")
    parser.add_argument("--out", default="handouts", help="folder for the PDFs (default: handouts)")
    parser.add_argument("--paper", choices=sorted(PAPERS), default="a4")
    parser.add_argument("--no-solutions", dest="solutions", action="store_false",
                        help="leave the exercises' worked solutions out (a class handout)")
    parser.add_argument("--pages", nargs="+", metavar="NAME",
                        help="print only these pages (e.g. 05_backprop); no whole-book PDF then")
    parser.add_argument("--force", action="store_true",
                        help="write into a folder, or over files, this tool did not write")
    args = parser.parse_args(argv)
    try:
        html = pathlib.Path(args.html).resolve()
        pages = book_pages(html)
        names = [pdf_name(p, pages) for p in pages] + [WHOLE_BOOK]
        if args.pages:
            wanted = {name.removesuffix(".pdf") for name in args.pages}
            unknown = wanted - {n.removesuffix(".pdf") for n in names[:-1]}
            if unknown:
                raise HandoutError(f"no page named {', '.join(sorted(unknown))}; the book has "
                                   f"{', '.join(n.removesuffix('.pdf') for n in names[:-1])}")
            chosen = [(p, n) for p, n in zip(pages, names) if n.removesuffix(".pdf") in wanted]
        else:
            chosen = list(zip(pages, names))
        out = output_folder(args.out, args.force)
        virtual_path = "/" + posixpath.join(posixpath.dirname(pages[0]), VIRTUAL_PAGE)
        if not args.pages:
            chosen.append((virtual_path.lstrip("/"), WHOLE_BOOK))
        check_targets(out, [name for _, name in chosen], args.force)
        whole = whole_book_html(html, pages) if not args.pages else ""
        server = serve(html, {virtual_path: whole.encode("utf-8")})
        driver, profile = start_chromium()
    except HandoutError as error:
        print(f"handouts: {error}", file=sys.stderr)
        return 2
    base = f"http://127.0.0.1:{server.server_port}"
    problems = 0
    started = time.perf_counter()
    try:
        for page, name in chosen:
            pdf, shrunk, cut = print_page(driver, f"{base}/{page}", args.paper, args.solutions)
            safe_paths.write_bytes(out / name, pdf, force=args.force)
            note = f"; {len(shrunk)} wide equation(s)/table(s) shrunk to fit" if shrunk else ""
            print(f"wrote {out / name} ({count_pages(pdf)} pages{note})")
            for item in cut:
                problems += 1
                print(f"  warning: {name}: may be cut at the right margin: {item}", file=sys.stderr)
    finally:
        driver.quit()
        server.shutdown()
        shutil.rmtree(profile, ignore_errors=True)
    print(f"{len(chosen)} PDFs in {time.perf_counter() - started:.0f} s"
          + (f"; {problems} warning(s)" if problems else ""))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
