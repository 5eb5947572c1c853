"""check_gradient_directions: the gradient of the full 400-25-10 problem, checked cheaply.

Thresholds, from measurements with the default ε = 5e-4 (seeds 0..19, 1 and 2 BLAS
threads): a correct gradient gives at most 4e-9 on the reference problem (rounding
in J, a sum over 50 000 terms, dominates) and at most 4e-9 on the debug network
(truncation, of order ε², dominates).  The lab's mistakes give 3e-2 or more.  So a
correct gradient must stay below 1e-7 (25× the worst measured) and a wrong one must
exceed 1e-3.
"""
import numpy as np
import pytest
from scipy.special import expit

import nnlib
from nnlib import check_gradient_directions

CORRECT_BELOW = 1e-7
WRONG_ABOVE = 1e-3


@pytest.fixture(scope="module")
def problem(digits, reference):
    """The lab's full problem: the reference weights on the 5000 digits."""
    X, y = digits
    return reference, X, y


# --- planted bugs ----------------------------------------------------------------

def g_prime_of_a(thetas, X, y, lam):
    """Backprop that feeds the activations a, not z, to g'."""
    m, K = X.shape[0], thetas[-1].shape[0]
    a1 = np.column_stack([np.ones(m), X])
    a2 = np.column_stack([np.ones(m), expit(a1 @ thetas[0].T)])
    delta3 = expit(a2 @ thetas[1].T) - np.eye(K)[y]
    g = expit(a2[:, 1:])
    delta2 = (delta3 @ thetas[1][:, 1:]) * g * (1 - g)
    grads = [delta2.T @ a1 / m, delta3.T @ a2 / m]
    for grad, theta in zip(grads, thetas):
        grad[:, 1:] += lam / m * theta[:, 1:]
    return grads


def bias_regularized(thetas, X, y, lam):
    m = X.shape[0]
    return [g + np.column_stack([lam / m * t[:, 0], np.zeros((t.shape[0], t.shape[1] - 1))])
            for g, t in zip(nnlib.gradient(thetas, X, y, lam), thetas)]


def without_1_over_m(thetas, X, y, lam):
    return [X.shape[0] * g for g in nnlib.gradient(thetas, X, y, lam)]


def label_shift(thetas, X, y, lam):
    return nnlib.gradient(thetas, X, (y - 1) % thetas[-1].shape[0], lam)


def fortran_rolled(thetas, X, y, lam):
    return [g.ravel().reshape(g.shape, order="F") for g in nnlib.gradient(thetas, X, y, lam)]


def wrong_sign(thetas, X, y, lam):
    return [-g for g in nnlib.gradient(thetas, X, y, lam)]


def no_regularization(thetas, X, y, lam):
    return nnlib.gradient(thetas, X, y, 0.0)


# --- tests -----------------------------------------------------------------------

@pytest.mark.parametrize("lam", [0.0, 1.0])
def test_correct_gradient_is_tiny_on_the_full_reference_problem(problem, lam):
    assert check_gradient_directions(*problem, lam=lam) < CORRECT_BELOW


def test_correct_gradient_is_tiny_on_small_networks(small_problem):
    assert check_gradient_directions(*nnlib.debug_network(), lam=1.0) < CORRECT_BELOW
    assert check_gradient_directions(*small_problem, lam=2.0, n_directions=25) < CORRECT_BELOW


@pytest.mark.parametrize("bug, lam", [
    (g_prime_of_a, 0.0), (bias_regularized, 1.0), (without_1_over_m, 0.0), (label_shift, 0.0),
    (fortran_rolled, 0.0), (wrong_sign, 0.0), (no_regularization, 1.0),
])
def test_planted_bugs_are_large_on_the_full_reference_problem(problem, bug, lam):
    # Five directions are plenty: each gives 3e-2 or more on its own.
    assert check_gradient_directions(*problem, lam=lam, n_directions=5, gradient=bug) > WRONG_ABOVE


def test_the_planted_g_prime_bug_changes_only_what_it_should(problem):
    # g' enters only δ(2), so only D(1) may differ from nnlib's: the planted
    # backprop is otherwise right.
    thetas, X, y = problem
    X, y = X[::50], y[::50]
    buggy = g_prime_of_a(thetas, X, y, 1.0)
    right = nnlib.gradient(thetas, X, y, 1.0)
    assert not np.allclose(buggy[0], right[0], rtol=1e-3)
    np.testing.assert_allclose(buggy[1], right[1], rtol=1e-12, atol=1e-15)


def test_a_wrong_cost_is_caught_too():
    thetas, X, y = nnlib.debug_network()
    result = check_gradient_directions(thetas, X, y, cost=lambda *a: 2 * nnlib.cost(*a))
    np.testing.assert_allclose(result, 1 / 3, rtol=1e-6)     # |2g - g| / |2g + g|


def test_same_seed_same_result_other_seed_other_directions():
    thetas, X, y = nnlib.debug_network()
    first = check_gradient_directions(thetas, X, y, seed=4, gradient=label_shift)
    again = check_gradient_directions(thetas, X, y, seed=4, gradient=label_shift)
    other = check_gradient_directions(thetas, X, y, seed=5, gradient=label_shift)
    assert first == again
    assert other != first


@pytest.mark.parametrize("kwargs, message", [
    (dict(lam=-1.0), "lam must be a finite number >= 0; got -1.0"),
    (dict(n_directions=0), "n_directions must be an integer >= 1; got int 0"),
    (dict(n_directions=2.5), "n_directions must be an integer >= 1; got float 2.5"),
    (dict(seed=-1), "seed must be an integer >= 0; got int -1"),
    (dict(seed="a"), "seed must be an integer >= 0; got str 'a'"),
    (dict(eps=0.0), "eps must be > 0; got 0"),
    (dict(eps=-1e-4), "eps must be a finite number >= 0; got -0.0001"),
    (dict(gradient="backprop"), "gradient must be a function"),
    (dict(cost=3), "cost must be a function"),
    (dict(gradient=lambda t, X, y, lam: nnlib.unroll(nnlib.gradient(t, X, y, lam))),
     r"gradient must return a list of 2 arrays shaped like thetas \[\(5, 4\), \(3, 6\)\]"),
    (dict(gradient=lambda t, X, y, lam: [g.T for g in nnlib.gradient(t, X, y, lam)]),
     r"got shapes \[\(4, 5\), \(6, 3\)\]"),
], ids=["lam", "n0", "nfloat", "seed-neg", "seed-str", "eps0", "eps-neg", "gradient",
        "cost", "vector", "transposed"])
def test_bad_arguments_raise_value_errors_naming_them(kwargs, message):
    with pytest.raises(ValueError, match=message):
        check_gradient_directions(*nnlib.debug_network(), **kwargs)


def test_bad_problem_raises_value_errors_naming_it():
    thetas, X, y = nnlib.debug_network()
    with pytest.raises(ValueError, match="X has 2 columns; the network expects 3"):
        check_gradient_directions(thetas, X[:, :2], y)
    with pytest.raises(ValueError, match="y has 4 labels; X has 5 rows"):
        check_gradient_directions(thetas, X, y[:4])
    with pytest.raises(ValueError, match="thetas must be a list of weight matrices"):
        check_gradient_directions(nnlib.unroll(thetas), X, y)
