"""The HTML book builds with warnings treated as errors, and every chapter page has its figures."""
import json
import pathlib
import re
import subprocess
import sys

import pytest
import yaml

ROOT = pathlib.Path(__file__).resolve().parents[1]


def toc_files():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]
    for part in toc.get("parts", []):
        files += [chapter["file"] for chapter in part["chapters"]]
    return files


@pytest.fixture(scope="module")
def html(tmp_path_factory):
    out = tmp_path_factory.mktemp("book")
    jupyter_book = pathlib.Path(sys.executable).with_name("jupyter-book")
    run = subprocess.run([str(jupyter_book), "build", str(ROOT), "--path-output", str(out),
                          "--warningiserror", "--nitpick", "--keep-going"],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    return out / "_build" / "html"


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
