"""tests/nbval_tolerance.py: numbers within the tolerance pass, all else fails, unmarked cells stay exact."""
import os
import re
import subprocess
import sys

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

from conftest import ROOT
from nbval_tolerance import close, tolerance

TOL = {"nbval": {"rtol": 1e-3}}


def test_close_compares_numbers_within_the_tolerance_and_text_exactly():
    assert close("cost 0.2876 after 50 iterations", "cost 0.2877 after 50 iterations", 1e-3, 0)
    assert not close("cost 0.2876 after 50 iterations", "cost 0.2896 after 50 iterations", 1e-3, 0)
    assert not close("cost 0.2876 after 50 iterations", "cost 0.2876 after 50 steps", 1e-3, 0)
    assert not close("cost 0.2876", "cost 0.2876 0.1", 1, 1)  # another count of numbers
    assert not close("cost  0.2876", "cost 0.2876", 1, 1)  # spacing is text
    assert close("-1.5e-03 and 42", "-1.5004e-03 and 42", 1e-3, 0)
    assert close("0.0", "1e-10", 0, 1e-9) and not close("0.0", "1e-8", 0, 1e-9)
    assert close("400-25-10", "400-25-10", 0, 0)
    assert not close("nan", "inf", 1, 1)


def test_tolerance_reads_the_metadata_and_refuses_a_bad_one():
    assert tolerance({}) is None
    assert tolerance({"nbval": {"rtol": 1e-3}}) == (1e-3, 0.0)
    assert tolerance({"nbval": {"atol": 1, "rtol": 0}}) == (0.0, 1.0)
    for bad in [{"rtol": -1}, {"rtol": "1e-3"}, {"rtl": 1e-3}, {}, [1e-3], {"atol": float("inf")},
                {"rtol": True}]:
        with pytest.raises(ValueError, match="nbval"):
            tolerance({"nbval": bad})


def cell(stored, printed, metadata=None):
    """A code cell whose stored output is `stored` and which prints `printed` when run."""
    return new_code_cell(f"print({printed!r})", metadata=metadata or {}, execution_count=1,
                         outputs=[new_output("stream", name="stdout", text=stored + "\n")])


CELLS = {  # name: (cell, expected outcome under nbval with the plugin)
    "within": (cell("loss 0.5000 after 10 steps", "loss 0.5004 after 10 steps", TOL), "PASSED"),
    "outside": (cell("loss 0.5000 after 10 steps", "loss 0.5100 after 10 steps", TOL), "FAILED"),
    "words": (cell("loss 0.5000 after 10 steps", "loss 0.5000 after 10 epochs", TOL), "FAILED"),
    "count": (cell("loss 0.5000 after 10 steps", "loss 0.5000 after 10 steps 1", TOL), "FAILED"),
    "unmarked": (cell("loss 0.5000 after 10 steps", "loss 0.5004 after 10 steps"), "FAILED"),
    "unmarked_same": (cell("loss 0.5000 after 10 steps", "loss 0.5000 after 10 steps"), "PASSED"),
    "bad_metadata": (cell("loss 0.5", "loss 0.5", {"nbval": {"rtol": "big"}}), "FAILED"),
    "result": (new_code_cell("0.1 + 0.2", metadata={"nbval": {"atol": 1e-9}}, execution_count=1,
                             outputs=[new_output("execute_result", data={"text/plain": "0.3"},
                                                 execution_count=1)]), "PASSED"),
}


def run_pytest(path, *args):
    pythonpath = os.pathsep.join([str(ROOT / "tests"), os.environ.get("PYTHONPATH", "")])
    env = dict(os.environ, PYTHONPATH=pythonpath)
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "nbval_tolerance", "--nbval",
                           "--nbval-current-env", "-p", "no:cacheprovider", "-o", "addopts=", "-v",
                           "--rootdir", str(path.parent), *args, str(path)],
                          cwd=path.parent, env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture
def notebook(tmp_path):
    path = tmp_path / "tiny.ipynb"
    nbformat.write(new_notebook(cells=[c for c, _ in CELLS.values()]), path)
    return path


@pytest.mark.slow
def test_nbval_with_the_plugin_passes_and_fails_the_right_cells(notebook):
    run = run_pytest(notebook)
    outcome = dict(re.findall(r"::Cell (\d+) (PASSED|FAILED)", run.stdout))
    assert {name: outcome.get(str(i)) for i, name in enumerate(CELLS)} == \
        {name: expected for name, (_, expected) in CELLS.items()}, run.stdout[-3000:]
    assert 'rtol must be a finite number >= 0' in run.stdout


def test_every_nbval_cell_is_marked_slow(notebook):
    run = run_pytest(notebook, "-m", "not slow", "--collect-only")
    assert f"no tests collected ({len(CELLS)} deselected)" in run.stdout, run.stdout[-2000:]
