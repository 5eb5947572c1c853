import numpy as np
import pytest
from numpy.testing import assert_allclose

import nnlib


def loop_gradient(thetas, X, y, lam=0.0):
    """The lab's backpropagation, one example at a time (for 3-layer networks)."""
    theta1, theta2 = thetas
    m, K = X.shape[0], theta2.shape[0]
    Delta1, Delta2 = np.zeros_like(theta1), np.zeros_like(theta2)
    for t in range(m):
        a1 = np.concatenate([[1.0], X[t]])
        z2 = theta1 @ a1
        a2 = np.concatenate([[1.0], nnlib.sigmoid(z2)])
        a3 = nnlib.sigmoid(theta2 @ a2)
        delta3 = a3 - (np.arange(K) == y[t])
        delta2 = (theta2[:, 1:].T @ delta3) * nnlib.sigmoid_gradient(z2)
        Delta2 += np.outer(delta3, a2)
        Delta1 += np.outer(delta2, a1)
    D1, D2 = Delta1 / m, Delta2 / m
    D1[:, 1:] += lam / m * theta1[:, 1:]
    D2[:, 1:] += lam / m * theta2[:, 1:]
    return [D1, D2]


@pytest.mark.parametrize("lam", [0.0, 3.0])
def test_lab_gradient_check_below_1e_9(lam):
    assert nnlib.check_gradients(lam=lam) < 1e-9


@pytest.mark.parametrize("lam", [0.0, 1.0])
def test_gradient_of_a_deeper_network_matches_central_differences(small_problem, lam):
    thetas, X, y = small_problem
    sizes = [X.shape[1]] + [t.shape[0] for t in thetas]
    numerical = nnlib.numerical_gradient(
        lambda v: nnlib.cost(nnlib.roll(v, sizes), X, y, lam), nnlib.unroll(thetas))
    analytical = nnlib.unroll(nnlib.gradient(thetas, X, y, lam))
    assert nnlib.relative_difference(numerical, analytical) < 1e-9


@pytest.mark.parametrize("lam", [0.0, 1.0])
def test_loop_backprop_equals_vectorized(reference, digits, lam):
    X, y = digits
    X, y = X[::100], y[::100]
    for loop, vec in zip(loop_gradient(reference, X, y, lam), nnlib.gradient(reference, X, y, lam)):
        assert_allclose(vec, loop, rtol=1e-10, atol=1e-15)


def test_cost_and_gradient_is_cost_plus_gradient(small_problem):
    thetas, X, y = small_problem
    J, grads = nnlib.cost_and_gradient(thetas, X, y, 0.7)
    assert J == pytest.approx(nnlib.cost(thetas, X, y, 0.7), rel=1e-14)
    for a, b in zip(grads, nnlib.gradient(thetas, X, y, 0.7)):
        assert_allclose(a, b, rtol=1e-14)


def test_regularized_gradient_leaves_the_bias_column_alone(small_problem):
    thetas, X, y = small_problem
    plain, regularized = nnlib.gradient(thetas, X, y), nnlib.gradient(thetas, X, y, 2.0)
    for t, g0, g2 in zip(thetas, plain, regularized):
        assert_allclose(g2[:, 0], g0[:, 0], rtol=1e-14)
        assert_allclose(g2[:, 1:] - g0[:, 1:], 2.0 / X.shape[0] * t[:, 1:], rtol=1e-10, atol=1e-15)


def test_check_gradients_catches_a_planted_bug():
    def forgot_one_over_m(thetas, X, y, lam):
        return [g * X.shape[0] for g in nnlib.gradient(thetas, X, y, lam)]
    assert nnlib.check_gradients(gradient=forgot_one_over_m) > 0.1


def test_numerical_gradient_of_a_quadratic():
    A = np.array([[3.0, 1.0], [1.0, 2.0]])
    theta = np.array([0.5, -1.0])
    # f(θ) = ½ θᵀAθ has gradient Aθ; central differences are exact for quadratics
    grad = nnlib.numerical_gradient(lambda v: 0.5 * v @ A @ v, theta)
    assert_allclose(grad, A @ theta, rtol=1e-9)
    assert theta.tolist() == [0.5, -1.0]                 # input left untouched


def test_relative_difference():
    assert nnlib.relative_difference(np.array([1.0, 2.0]), np.array([1.0, 2.0])) == 0.0
    assert_allclose(nnlib.relative_difference(np.array([3.0, 0.0]), np.array([1.0, 0.0])), 0.5)
