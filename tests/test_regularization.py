"""nnlib.regularization: the L2 penalty and its gradient, bias column left out."""
import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

import nnlib


def test_penalty_by_hand():
    thetas = [np.array([[5.0, 1.0, 2.0]]), np.array([[-7.0, 3.0], [9.0, -1.0]])]
    # bias column (5, -7, 9) left out: 1 + 4 + 9 + 1 = 15
    assert nnlib.l2_penalty(thetas, lam=2.0, m=5) == pytest.approx(2.0 / 10 * 15, rel=1e-15)
    assert nnlib.l2_penalty(thetas, lam=0.0, m=5) == 0.0


def test_gradient_by_hand_and_bias_column_zero():
    theta = np.array([[5.0, 1.0, -2.0], [3.0, 0.5, 4.0]])
    D = nnlib.l2_gradient(theta, lam=3.0, m=6)
    assert_array_equal(D, [[0.0, 0.5, -1.0], [0.0, 0.25, 2.0]])
    assert_array_equal(theta[:, 0], [5.0, 3.0])                    # the caller's Θ is untouched


def test_gradient_is_the_derivative_of_the_penalty():
    rng = np.random.default_rng(0)
    thetas = [rng.normal(size=(3, 4)), rng.normal(size=(2, 4))]
    sizes = [3, 3, 2]
    numerical = nnlib.numerical_gradient(
        lambda v: nnlib.l2_penalty(nnlib.roll(v, sizes), 1.5, 7), nnlib.unroll(thetas))
    analytical = nnlib.unroll([nnlib.l2_gradient(t, 1.5, 7) for t in thetas])
    assert nnlib.relative_difference(numerical, analytical) < 1e-9


def test_the_cost_adds_the_penalty(small_problem):
    thetas, X, y = small_problem
    assert_allclose(nnlib.cost(thetas, X, y, 2.5) - nnlib.cost(thetas, X, y),
                    nnlib.l2_penalty(thetas, 2.5, X.shape[0]), rtol=1e-12)
    moved = [t.copy() for t in thetas]
    for t in moved:
        t[:, 0] += 10                           # only the biases change: the penalty does not
    assert nnlib.l2_penalty(moved, 2.5, 7) == pytest.approx(nnlib.l2_penalty(thetas, 2.5, 7))


@pytest.mark.parametrize("args, message", [
    (([np.ones((2, 3))], -1.0, 5), "lam must be a finite number >= 0"),
    (([np.ones((2, 3))], 1.0, 0), "m must be an integer >= 1"),
    ((np.ones((2, 3)), 1.0, 5), "thetas must be a list of weight matrices"),
])
def test_bad_arguments(args, message):
    with pytest.raises(ValueError, match=message):
        nnlib.l2_penalty(*args)
