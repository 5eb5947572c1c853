"""A pytest plugin: numbers within a tolerance for marked notebook cells under nbval; nbval's cells are slow.

nbval compares a cell's new text outputs with the stored ones character for character.  A code cell whose
metadata holds

    "nbval": {"rtol": 1e-3, "atol": 1e-9}

is compared number by number instead: each text output (stream, text/plain, text/html...) is split into
numbers and the text between them.  The text must be the same, character for character (words, spacing,
and so the count of numbers), and each new number x must lie within ``atol + rtol * |stored|`` of the
stored number at the same place.  Both keys are optional and default to 0; any other key, or a value
that is not a finite number >= 0, fails the cell and says why.  A number is an optional sign, digits with
an optional decimal point, and an optional exponent (``-1.5e-03``, ``42``, ``.5``, ``93.3``): a sign
glued to a word or digit counts (``400-25-10`` is 400, -25, -10, the same on both sides); ``nan`` and
``inf`` are text.  Cells without the key, and cells tagged ``nbval-ignore-output``, behave as nbval makes
them.

The plugin also marks ``slow`` every nbval cell and every test that uses the ``html`` fixture (it builds
the book), so ``pytest -m "not slow"`` runs no notebook and builds no book.

pyproject.toml loads it for every run (``pythonpath = ["tests"]`` and ``-p nbval_tolerance`` in addopts):
``python -m pytest``, ``pytest book/05_backprop.ipynb``.  Elsewhere: ``PYTHONPATH=tests pytest -p
nbval_tolerance --nbval ...``.  It hooks in at ``IPyNbCell.sanitize``, which nbval applies to every stored
and every new output just before it compares them with ``!=``: for a marked cell the sanitized text
becomes a ``str`` whose comparison honours the tolerance.
"""
import math
import re

import pytest
from nbval.plugin import IPyNbCell

NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
KEYS = ("rtol", "atol")


def tolerance(metadata):
    """(rtol, atol) from a cell's metadata, None if it has no "nbval" entry; ValueError if malformed."""
    spec = metadata.get("nbval")
    if spec is None:
        return None
    if not isinstance(spec, dict) or not spec or set(spec) - set(KEYS):
        raise ValueError(f'cell metadata "nbval" must be a dict with "rtol" and/or "atol", got {spec!r}')
    for key, value in spec.items():
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < math.inf:
            raise ValueError(f'cell metadata "nbval": {key} must be a finite number >= 0, got {value!r}')
    return float(spec.get("rtol", 0)), float(spec.get("atol", 0))


def close(stored, new, rtol, atol):
    """True if the texts differ only in numbers, each new one within atol + rtol * |stored|."""
    if NUMBER.split(stored) != NUMBER.split(new):
        return False  # other text, or another count of numbers
    return all(abs(float(b) - float(a)) <= atol + rtol * abs(float(a))
               for a, b in zip(NUMBER.findall(stored), NUMBER.findall(new)))


class Tolerant(str):
    """A sanitized output that nbval's ``stored != new`` compares within a tolerance."""

    def __new__(cls, text, rtol, atol):
        self = super().__new__(cls, text)
        self.rtol, self.atol = rtol, atol
        return self

    def __eq__(self, other):
        # nbval's operands are (stored, new): self is the stored one when both are Tolerant
        return isinstance(other, str) and close(str(self), str(other), self.rtol, self.atol)

    def __ne__(self, other):
        return not self == other

    __hash__ = str.__hash__


def _tolerant_sanitize(sanitize, rtol, atol):
    def wrapped(value):
        value = sanitize(value)
        return Tolerant(value, rtol, atol) if isinstance(value, str) else value
    return wrapped


def _refuse(message):
    def runtest():
        raise ValueError(message)
    return runtest


@pytest.hookimpl(tryfirst=True)  # before the `-m` deselection, which needs the slow marker
def pytest_collection_modifyitems(items):
    for item in items:
        if "html" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.slow)
        if not isinstance(item, IPyNbCell):
            continue
        item.add_marker(pytest.mark.slow)
        try:
            tol = tolerance(item.cell.metadata)
        except ValueError as err:
            item.runtest = _refuse(f"{item.nodeid}: {err}")
            continue
        if tol is not None:
            item.sanitize = _tolerant_sanitize(item.sanitize, *tol)
