"""The regression test still bites: nbval fails on the chapters that use nnlib when nnlib is slightly wrong.

Each mutant is one small wrong edit of one nnlib file.  The test copies nnlib to a temporary folder, makes
the edit there, puts the copy first on the import path (PYTHONPATH; it comes before the editable install's
finder, and a probe notebook proves that the kernel imports the copy) and runs nbval, with the project's
settings, on the chapters listed for the mutant.  It asserts that some of their cells fail and prints how
many (``pytest tests/test_mutations.py -rP`` shows the counts).  Every cell is run: no ``-x``.

After a change to nnlib, update MUTANTS: a mutant whose ``old`` text is not found exactly once fails.
"""
import os
import re
import shutil
import subprocess
import sys
from typing import NamedTuple

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

from conftest import ROOT


class Mutant(NamedTuple):
    name: str
    file: str  # under nnlib/
    old: str  # must occur exactly once in the file
    new: str
    chapters: tuple  # notebooks in book/, without .ipynb


MUTANTS = [
    Mutant("L2 term doubled", "regularization.py",
           "return lam / (2 * m) * sum(", "return lam / m * sum(",
           ("04_regularization", "06_gradient_checking")),
    Mutant("sigmoid gradient x1.01", "activations.py",
           "return g * (1 - g)", "return 1.01 * g * (1 - g)",
           ("05_backprop", "06_gradient_checking")),
    Mutant("softmax cross-entropy gradient x1.01", "outputs.py",
           "    def cost(self, z, Y):\n        c = z.max(axis=1, keepdims=True)",
           "    def delta(self, h, Y):\n        return 1.01 * (h - Y)\n\n"
           "    def cost(self, z, Y):\n        c = z.max(axis=1, keepdims=True)",
           ("10_deeper_networks",)),
    Mutant("momentum forgets 1% more", "sgd.py",
           "v *= momentum", "v *= 0.99 * momentum",
           ("11_overfitting_and_learning_rate",)),
]


def mutate(mutant, folder):
    """A copy of nnlib in folder/nnlib with the mutant's edit made; the path of the copy."""
    copy = folder / "nnlib"
    shutil.copytree(ROOT / "nnlib", copy, ignore=shutil.ignore_patterns("__pycache__"))
    path = copy / mutant.file
    text = path.read_text()
    assert text.count(mutant.old) == 1, (
        f"mutant {mutant.name!r}: nnlib/{mutant.file} holds {text.count(mutant.old)} copies of "
        f"{mutant.old!r}, not 1: nnlib has changed, update MUTANTS in tests/test_mutations.py")
    path.write_text(text.replace(mutant.old, mutant.new))
    return copy


def probe(folder, expected):
    """A notebook whose one cell passes only if its kernel imports nnlib from `expected`."""
    path = folder / "probe.ipynb"
    nbformat.write(new_notebook(cells=[new_code_cell(
        "import nnlib\nprint(nnlib.__file__)", execution_count=1,
        outputs=[new_output("stream", name="stdout", text=f"{expected}\n")])]), path)
    return path


def nbval(notebooks, pythonpath):
    """Run nbval with the project's settings; {notebook name: {cell number: outcome}} and the output."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(pythonpath), os.environ.get("PYTHONPATH", "")]))
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-rA", "-c", str(ROOT / "pyproject.toml"),
                          "--rootdir", str(ROOT), *map(str, notebooks)],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800)
    outcomes = {}  # from the short summary (-rA); nbval names a notebook outside the repository ""
    for outcome, notebook, cell in re.findall(r"^(PASSED|FAILED|ERROR) (?:\S*?([\w.-]+)\.ipynb)?::Cell (\d+)",
                                              run.stdout, re.MULTILINE):
        outcomes.setdefault(notebook or "probe", {})[int(cell)] = outcome
    return outcomes, run.stdout + run.stderr


@pytest.mark.slow
@pytest.mark.parametrize("mutant", MUTANTS, ids=[m.name.replace(" ", "-") for m in MUTANTS])
def test_nbval_fails_on_every_mutant(mutant, tmp_path):
    copy = mutate(mutant, tmp_path)
    chapters = [ROOT / "book" / f"{name}.ipynb" for name in mutant.chapters]
    outcomes, output = nbval([probe(tmp_path, copy / "__init__.py"), *chapters], pythonpath=tmp_path)
    assert outcomes.get("probe") == {0: "PASSED"}, f"the kernel did not import the mutant:\n{output[-3000:]}"
    failing = {name: sum(o != "PASSED" for o in outcomes.get(name, {}).values())
               for name in mutant.chapters}
    assert all(outcomes.get(name) for name in mutant.chapters), f"a chapter did not run:\n{output[-3000:]}"
    print(f"{mutant.name}: {sum(failing.values())} failing cells "
          f"({', '.join(f'{name} {n} of {len(outcomes[name])}' for name, n in failing.items())})")
    assert sum(failing.values()) > 0, f"nbval passes with the mutant {mutant.name!r}: the outputs miss it"
