"""Shared fixtures: the digits, the reference weights and the built book, made once per session."""
import pathlib
import subprocess
import sys

import numpy as np
import pytest
import yaml

import nnlib

ROOT = pathlib.Path(__file__).resolve().parents[1]


def toc_files():
    """The pages of the book, in the order of _toc.yml (paths without suffix)."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]
    for part in toc.get("parts", []):
        files += [chapter["file"] for chapter in part["chapters"]]
    return files


@pytest.fixture(scope="session")
def html(tmp_path_factory):
    """Build the book once, warnings as errors, and return its HTML folder."""
    out = tmp_path_factory.mktemp("book")
    jupyter_book = pathlib.Path(sys.executable).with_name("jupyter-book")
    run = subprocess.run([str(jupyter_book), "build", str(ROOT), "--path-output", str(out),
                          "--warningiserror", "--keep-going"], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    return out / "_build" / "html"


@pytest.fixture(scope="session")
def digits():
    return nnlib.load_digits()


@pytest.fixture(scope="session")
def reference():
    return nnlib.reference_weights()


@pytest.fixture
def small_problem():
    """A random 4-layer network (5-4-3-3) and 7 examples: small enough for full gradient checks."""
    rng = np.random.default_rng(42)
    sizes = [5, 4, 3, 3]
    thetas = [rng.normal(scale=0.8, size=s) for s in nnlib.shapes(sizes)]
    X = rng.normal(size=(7, 5))
    y = rng.integers(0, 3, size=7)
    return thetas, X, y
