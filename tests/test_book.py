"""The HTML book builds with warnings treated as errors, and every chapter page has its figures."""
import json
import re

from conftest import ROOT, toc_files


def test_every_toc_entry_is_a_page(html):
    for name in toc_files():
        assert (html / f"{name}.html").is_file(), name


def test_every_notebook_figure_is_on_its_page_with_caption_and_alt_text(html):
    for name in toc_files():
        source = ROOT / f"{name}.ipynb"
        if not source.exists():
            continue
        nb = json.loads(source.read_text())
        figures = [c for c in nb["cells"] if c["cell_type"] == "code"
                   and any("image/png" in o.get("data", {}) for o in c.get("outputs", []))
                   and "remove-output" not in c["metadata"].get("tags", [])]
        page = (html / f"{name}.html").read_text()
        for cell in figures:
            meta = cell["metadata"].get("mystnb", {})
            assert meta.get("figure", {}).get("caption"), f"{name}: figure without caption"
            assert meta.get("image", {}).get("alt"), f"{name}: figure without alt text"
            assert f'id="{meta["figure"]["name"]}"' in page, f"{name}: {meta['figure']['name']}"
        images = re.findall(r"<img [^>]*>", page)
        assert all('alt=""' not in img for img in images), f"{name}: an image has empty alt text"


def test_no_notebook_stores_widget_state():
    # Stored widget state makes every page load the widget manager from a CDN (a dead widget
    # and console errors offline); re-execute with --ExecutePreprocessor.store_widget_state=False.
    for name in toc_files():
        source = ROOT / f"{name}.ipynb"
        if source.exists():
            assert "widgets" not in json.loads(source.read_text())["metadata"], name


def test_figures_have_an_opaque_background_for_the_dark_theme():
    # A transparent figure would draw black axes and text on the dark theme's dark page.
    import base64
    import io

    from PIL import Image
    for name in toc_files():
        source = ROOT / f"{name}.ipynb"
        if not source.exists():
            continue
        for cell in json.loads(source.read_text())["cells"]:
            for output in cell.get("outputs", []):
                png = output.get("data", {}).get("image/png")
                if png:
                    image = Image.open(io.BytesIO(base64.b64decode(png))).convert("RGBA")
                    corners = [image.getpixel((x, y)) for x in (0, image.width - 1)
                               for y in (0, image.height - 1)]
                    assert all(alpha == 255 for *_, alpha in corners), name
