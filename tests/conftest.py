"""Shared fixtures: the course's digits and reference weights, loaded once per session."""
import numpy as np
import pytest

import nnlib


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
