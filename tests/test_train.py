"""nnlib.train: fit, minimizing J(Θ) with scipy.optimize."""
import numpy as np
import pytest
from helpers import loop_cost
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
    assert_allclose(result.cost, loop_cost(result.thetas, X, y, 1.0), rtol=1e-10)
    assert nnlib.accuracy(result.thetas, X, y) > 0.85


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


def test_fit_a_relu_softmax_network(subset):
    X, y = subset
    result = nnlib.fit(X, y, [400, 25, 10], lam=1.0, maxiter=60, activation="relu",
                       output="softmax", initial_thetas=nnlib.init_he([400, 25, 10]))
    assert result.history[0] > 1.5                        # about log 10 = 2.3 at the start
    assert_allclose(result.cost, loop_cost(result.thetas, X, y, 1.0, "relu", "softmax"),
                    rtol=1e-10)
    assert nnlib.accuracy(result.thetas, X, y, activation="relu") > 0.9


def test_fit_leaves_the_starting_weights_alone(subset, reference):
    X, y = subset
    before = [t.copy() for t in reference]
    nnlib.fit(X, y, [400, 25, 10], maxiter=3, initial_thetas=reference)
    assert all(np.array_equal(a, b) for a, b in zip(reference, before))


def test_fit_bad_arguments(digits):
    X, y = digits
    with pytest.raises(ValueError, match=r"method must be one of .* got 'SGD'"):
        nnlib.fit(X, y, [400, 25, 10], method="SGD")
    with pytest.raises(ValueError, match="maxiter must be an integer >= 1; got int 0"):
        nnlib.fit(X, y, [400, 25, 10], maxiter=0)
    with pytest.raises(ValueError, match="X has 400 columns; the network expects 399"):
        nnlib.fit(X, y, [399, 25, 10])
    with pytest.raises(ValueError, match="initial_thetas have shapes"):
        nnlib.fit(X, y, [400, 25, 10], initial_thetas=nnlib.init_weights([400, 20, 10]))
    with pytest.raises(ValueError, match="lam must be a finite number >= 0; got -1"):
        nnlib.fit(X, y, [400, 25, 10], lam=-1.0)
    with pytest.raises(ValueError, match="activation must be one of"):
        nnlib.fit(X, y, [400, 25, 10], activation="elu")


def test_fit_trains_with_your_cost_and_gradient(subset):
    """The lab trains with the student's functions: fit must call them and follow them."""
    X, y = subset
    calls = {"cost": 0, "gradient": 0}

    def my_cost(thetas, X, y, lam):
        calls["cost"] += 1
        return loop_cost(thetas, X[:50], y[:50], lam)       # a different problem on purpose

    def my_gradient(thetas, X, y, lam):
        calls["gradient"] += 1
        return nnlib.unroll(nnlib.gradient(thetas, X[:50], y[:50], lam))   # a vector is fine

    result = nnlib.fit(X, y, [400, 25, 10], lam=1.0, maxiter=15, cost=my_cost,
                       gradient=my_gradient)
    assert calls["cost"] == calls["gradient"] == result.n_evaluations > 15
    # it minimized the cost of the 50 examples the functions see, not nnlib's on all 1000
    assert_allclose(result.cost, loop_cost(result.thetas, X[:50], y[:50], 1.0), rtol=1e-10)
    same = nnlib.fit(X[:50], y[:50], [400, 25, 10], lam=1.0, maxiter=15)
    assert_allclose(nnlib.unroll(result.thetas), nnlib.unroll(same.thetas), rtol=1e-6, atol=1e-9)


def test_fit_stops_a_function_that_changes_its_arguments(subset):
    X, y = subset

    def zeroes_the_bias(thetas, X, y, lam):
        grads = nnlib.gradient(thetas, X, y, lam)
        thetas[0][:, 0] = 0                  # a real slip: "leave the bias out" done on Θ itself
        return grads

    with pytest.raises(ValueError, match=r"your gradient modified thetas in place: Θ\(1\)\[:, 0\]"):
        nnlib.fit(X, y, [400, 25, 10], maxiter=3, gradient=zeroes_the_bias)


@pytest.mark.parametrize("kwargs, message", [
    ({"cost": lambda t, X, y, lam: None}, "cost returned None; is a `return` missing?"),
    ({"gradient": lambda t, X, y, lam: [np.zeros(3)]}, "gradient must return a list of 2 arrays"),
    ({"cost": 3.0}, "cost must be a function"),
    ({"cost": lambda t, X, y, lam: 1.0, "activation": "relu"}, "with your own cost and gradient"),
])
def test_fit_with_bad_functions(subset, kwargs, message):
    X, y = subset
    with pytest.raises(ValueError, match=message):
        nnlib.fit(X, y, [400, 25, 10], maxiter=3, **kwargs)
