"""tools/handouts.py: one PDF per page of the book and one for the whole book, checked as a reader would.

The slow tests print the real book once (about three minutes) and read the PDFs back with
pypdf: the page count, the text, the paper size, every line of code and output whole, every
figure on one page.  The fast ones check what the tool refuses to do, on a one-page stand-in
for a book.  Both need Debian's ``chromium`` and ``chromium-driver``.
"""
import os
import pathlib
import re
import shutil
import subprocess
import sys
import time
import unicodedata

import pytest

from conftest import ROOT, toc_files

TOOL = ROOT / "tools" / "handouts.py"
A4_WIDTH_PT = 8.27 * 72                       # the tool's A4 paper, in PDF points
HAS_CHROMIUM = all(os.path.exists(shutil.which(name) or f"/usr/bin/{name}")
                   for name in ("chromium", "chromedriver"))

needs_chromium = pytest.mark.skipif(
    not HAS_CHROMIUM, reason="no Chromium: `apt-get install chromium chromium-driver` (Debian)")


def run_tool(*args):
    started = time.perf_counter()
    run = subprocess.run([sys.executable, str(TOOL), *map(str, args)], capture_output=True,
                         text=True, timeout=1800)
    return run, time.perf_counter() - started


def flat(text):
    """Text without any white space, ligatures undone: what survives line wrapping in a PDF."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


# ---- the real book ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def handouts(html, tmp_path_factory):
    out = tmp_path_factory.mktemp("handouts")
    run, seconds = run_tool("--html", html, "--out", out)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-3000:]
    assert "warning" not in run.stderr, run.stderr
    print(f"\nhandouts: {seconds:.0f} s\n{run.stdout}")
    return out


@pytest.fixture(scope="module")
def pdfs(handouts):
    import pypdf
    return {path.name: pypdf.PdfReader(path) for path in sorted(handouts.glob("*.pdf"))}


@pytest.fixture(scope="module")
def texts(pdfs):
    """name -> (each page's text without its footer, the footers), for every page's own PDF."""
    return {name: page_texts(reader) for name, reader in pdfs.items() if name != "whole-book.pdf"}


def pdf_name(page):
    return pathlib.PurePosixPath(page).name + ".pdf"


def page_texts(reader, pages=None):
    """Each page's text with its footer ("<title>  page n of N") taken off, and the footers."""
    bodies, footers = [], []
    for page in pages or reader.pages:
        lines = page.extract_text().splitlines()
        footer = next((i for i in range(len(lines) - 1, -1, -1)
                       if re.search(r"page \d+ of \d+\s*$", lines[i])), None)
        footers.append(lines[footer] if footer is not None else "")
        bodies.append("\n".join(lines[:footer] + lines[footer + 1:] if footer is not None else lines))
    return bodies, footers


@pytest.mark.slow
@needs_chromium
def test_one_pdf_per_page_and_one_for_the_whole_book(pdfs):
    expected = {pdf_name(p) for p in toc_files()} | {"whole-book.pdf"}
    assert set(pdfs) == expected
    counts = {name: len(reader.pages) for name, reader in pdfs.items()}
    print(counts)
    for name, count in counts.items():
        assert count >= (3 if name[:2].isdigit() else 1), f"{name}: only {count} pages"
    chapters = sum(count for name, count in counts.items() if name != "whole-book.pdf")
    # the whole book is every page one after the other, each starting on a new sheet
    assert abs(counts["whole-book.pdf"] - chapters) <= len(toc_files()), counts


@pytest.mark.slow
@needs_chromium
def test_text_is_extractable_with_the_title_and_numbered_pages(pdfs, texts, html):
    from bs4 import BeautifulSoup
    for page in toc_files():
        reader = pdfs[pdf_name(page)]
        soup = BeautifulSoup((html / f"{page}.html").read_text(), "html.parser")
        title = soup.select_one("article h1").get_text().replace("#", "").strip()
        bodies, footers = texts[pdf_name(page)]
        assert flat(title) in flat(bodies[0]), f"{page}: the title {title!r} is not on page 1"
        total = len(reader.pages)
        for number, footer in enumerate(footers, start=1):
            assert footer.endswith(f"page {number} of {total}"), f"{page}, page {number}: {footer!r}"
        assert sum(len(body) for body in bodies) > 1000, f"{page}: hardly any text"
    book = pdfs["whole-book.pdf"]
    total = len(book.pages)
    bodies, footers = page_texts(book, [book.pages[0], book.pages[total // 2], book.pages[-1]])
    assert [f.split("page ")[-1] for f in footers] == [
        f"1 of {total}", f"{total // 2 + 1} of {total}", f"{total} of {total}"], footers
    assert "How a neural network learns" in bodies[0]


@pytest.mark.slow
@needs_chromium
def test_no_page_is_wider_than_the_paper(pdfs):
    for name, reader in pdfs.items():
        for number, page in enumerate(reader.pages, start=1):
            for box in (page.mediabox, page.cropbox):
                assert float(box.width) <= A4_WIDTH_PT + 1, f"{name}, page {number}: {box.width} pt"
                assert float(box.width) < float(box.height), f"{name}, page {number}: landscape"


@pytest.mark.slow
@needs_chromium
def test_no_line_of_code_or_output_is_cut_at_the_right_margin(texts, html):
    """Every line of every code cell and text output is in the PDF to its last character.

    A line cut at the margin loses its end; a wrapped line keeps all its characters, only
    split in two, so the lines are compared without white space.  Code the chapter hides
    behind "Show code cell source" stays hidden on paper, as on screen, and is not checked.
    """
    from bs4 import BeautifulSoup
    checked = 0
    for page in toc_files():
        soup = BeautifulSoup((html / f"{page}.html").read_text(), "html.parser")
        text = flat("".join(texts[pdf_name(page)][0]))
        for pre in soup.select("article div.highlight pre, article .cell_output pre"):
            if pre.find_parent("details") is not None:
                continue
            for line in pre.get_text().splitlines():
                if flat(line):
                    checked += 1
                    assert flat(line) in text, f"{page}: this line is cut or missing: {line!r}"
    assert checked > 500, f"only {checked} lines of code and output found"


def images_drawn(resources):
    """How many pictures a page (or a form it draws) uses, without decoding any of them."""
    xobjects = resources.get_object().get("/XObject") if resources is not None else None
    count = 0
    for ref in (xobjects.get_object().values() if xobjects is not None else []):
        xobject = ref.get_object()
        if xobject.get("/Subtype") == "/Image":
            count += 1
        elif xobject.get("/Subtype") == "/Form":
            count += images_drawn(xobject.get("/Resources"))
    return count


@pytest.mark.slow
@needs_chromium
def test_every_figure_is_printed_once_and_whole(pdfs, html):
    """A figure split over two pages would be drawn on both; a lost one on none."""
    from bs4 import BeautifulSoup
    for page in toc_files():
        soup = BeautifulSoup((html / f"{page}.html").read_text(), "html.parser")
        figures = len(soup.select("article img"))
        drawn = sum(images_drawn(p.get("/Resources")) for p in pdfs[pdf_name(page)].pages)
        assert drawn == figures, f"{page}: {figures} figures on the page, {drawn} drawn in the PDF"


# ---- what the tool refuses ---------------------------------------------------------------------

@pytest.fixture
def tiny_book(tmp_path):
    """A one-page stand-in for a built book: enough for the tool to find its pages."""
    html = tmp_path / "html"
    html.mkdir()
    (html / "index.html").write_text('<meta http-equiv="Refresh" content="0; url=page.html" />')
    (html / "page.html").write_text(
        "<html><head><title>A page</title></head><body>"
        "<div class='bd-sidebar-primary'><nav class='bd-docs-nav'>"
        "<a class='reference internal' href='#'>A page</a></nav></div>"
        "<article class='bd-article'><h1>A page</h1><pre>print('a line')</pre>"
        "<div class='solution admonition'><p class='admonition-title'>Solution</p>"
        "<section><p>the worked answer</p></section></div></article>"
        "</body></html>")
    return html


def test_refuses_to_write_into_book(tiny_book):
    target = ROOT / "book" / "handouts-test-never-made"
    run, _ = run_tool("--html", tiny_book, "--out", target)
    assert run.returncode == 2 and "book" in run.stderr, run.stderr
    assert not target.exists()


def test_refuses_a_link_into_the_repository(tiny_book, tmp_path):
    for name, into in [("to-book", ROOT / "book"), ("to-repo", ROOT)]:
        link = tmp_path / name
        link.symlink_to(into, target_is_directory=True)
        for out in (link, link / "handouts-test-never-made"):
            run, _ = run_tool("--html", tiny_book, "--out", out)
            assert run.returncode == 2 and "link" in run.stderr, (out, run.stderr)
    assert not (ROOT / "book" / "handouts-test-never-made").exists()
    assert not (ROOT / "handouts-test-never-made").exists()


def test_refuses_a_folder_of_someone_elses_files(tiny_book, tmp_path):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("my notes")
    run, _ = run_tool("--html", tiny_book, "--out", out)
    assert run.returncode == 2 and "--force" in run.stderr, run.stderr
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt"]


@pytest.mark.slow                             # starts Chromium four times
@needs_chromium
def test_overwrites_only_its_own_files(tiny_book, tmp_path):
    out = tmp_path / "handouts"
    run, _ = run_tool("--html", tiny_book, "--out", out)
    assert run.returncode == 0, run.stderr
    assert {p.name for p in out.iterdir()} == {"page.pdf", "whole-book.pdf", ".nnlib-output"}
    first = (out / "page.pdf").read_bytes()
    assert first.startswith(b"%PDF")
    run, _ = run_tool("--html", tiny_book, "--out", out)   # its own files: replaced, no --force
    assert run.returncode == 0, run.stderr
    # a file of the same name that the tool did not write: refused without --force ...
    (out / "page.pdf").unlink()
    (out / "page.pdf").write_bytes(b"a reader's own PDF")
    manifest = out / ".nnlib-output"
    manifest.write_text(manifest.read_text().replace("page.pdf\n", ""))
    run, _ = run_tool("--html", tiny_book, "--out", out)
    assert run.returncode == 2 and "--force" in run.stderr, run.stderr
    assert (out / "page.pdf").read_bytes() == b"a reader's own PDF"
    # ... and a symbolic link in its place is refused even with --force
    (out / "page.pdf").unlink()
    elsewhere = tmp_path / "elsewhere.pdf"
    elsewhere.write_bytes(b"not to be touched")
    (out / "page.pdf").symlink_to(elsewhere)
    run, _ = run_tool("--html", tiny_book, "--out", out, "--force")
    assert run.returncode == 2 and "link" in run.stderr, run.stderr
    assert elsewhere.read_bytes() == b"not to be touched"


@pytest.mark.slow                             # starts Chromium twice
@needs_chromium
def test_solutions_print_open_or_not_at_all(tiny_book, tmp_path):
    import pypdf
    for flags, shown in [((), True), (("--no-solutions",), False)]:
        out = tmp_path / ("with" if shown else "without")
        run, _ = run_tool("--html", tiny_book, "--out", out, "--pages", "page", *flags)
        assert run.returncode == 0, run.stderr
        assert sorted(p.name for p in out.glob("*.pdf")) == ["page.pdf"]   # --pages: no whole book
        text = pypdf.PdfReader(out / "page.pdf").pages[0].extract_text()
        assert "print('a line')" in text
        assert ("the worked answer" in text) == shown, text
