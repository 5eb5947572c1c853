import numpy as np
import pytest
from numpy.testing import assert_allclose

import nnlib


@pytest.fixture(scope="module")
def subset(digits):
    X, y = digits
    return X[::5], y[::5]                               # 1000 digits, 100 per class


@pytest.mark.parametrize("method", ["L-BFGS-B", "CG", "TNC"])
def test_fit_lowers_the_cost_and_learns(subset, method):
    X, y = subset
    result = nnlib.fit(X, y, [400, 25, 10], lam=1.0, maxiter=60, method=method)
    assert result.method == method
    assert result.history.shape == (result.n_iterations + 1,)
    assert result.history[0] > 6.0                       # small random weights: about 10·log 2
    assert result.cost < 1.0
    # the history ends with the cost of the weights returned
    assert_allclose(result.cost, nnlib.cost(result.thetas, X, y, 1.0), rtol=1e-12)
    assert nnlib.accuracy(result.thetas, X, y) > 0.85
    assert result.n_evaluations >= result.n_iterations


def test_lbfgs_history_never_goes_up(subset):
    X, y = subset
    history = nnlib.fit(X, y, [400, 25, 10], maxiter=40).history
    assert np.all(np.diff(history) <= 1e-12)


def test_fit_is_deterministic_and_seeded(subset):
    X, y = subset
    a = nnlib.fit(X, y, [400, 25, 10], maxiter=20, seed=1)
    b = nnlib.fit(X, y, [400, 25, 10], maxiter=20, seed=1)
    c = nnlib.fit(X, y, [400, 25, 10], maxiter=20, seed=2)
    assert np.array_equal(nnlib.unroll(a.thetas), nnlib.unroll(b.thetas))
    assert not np.allclose(nnlib.unroll(a.thetas), nnlib.unroll(c.thetas))


def test_fit_from_given_weights(subset, reference):
    X, y = subset
    start = nnlib.cost(reference, X, y, 1.0)
    result = nnlib.fit(X, y, [400, 25, 10], maxiter=5, initial_thetas=reference)
    assert result.history[0] == pytest.approx(start, rel=1e-14)
    assert result.cost < start


def test_tnc_counts_cost_evaluations_against_maxiter(subset):
    X, y = subset
    result = nnlib.fit(X, y, [400, 25, 10], maxiter=30, method="TNC")
    assert result.n_evaluations <= 30 + 2                # TNC's limit, plus fit's first evaluation


def test_deeper_network_trains(subset):
    X, y = subset
    result = nnlib.fit(X, y, [400, 30, 20, 10], maxiter=80)
    assert nnlib.accuracy(result.thetas, X, y) > 0.85
