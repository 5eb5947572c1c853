import warnings

import numpy as np
import pytest
from numpy.testing import assert_allclose

import nnlib


def loop_cost(thetas, X, y, lam=0.0):
    """The lab's formula, one example and one class at a time, straight from the equation."""
    m, K = X.shape[0], thetas[-1].shape[0]
    total = 0.0
    for i in range(m):
        a = X[i]
        for theta in thetas:
            a = 1 / (1 + np.exp(-(theta[:, 0] + theta[:, 1:] @ a)))
        for k in range(K):
            y_k = 1.0 if y[i] == k else 0.0
            total += -y_k * np.log(a[k]) - (1 - y_k) * np.log(1 - a[k])
    penalty = sum((theta[:, 1:] ** 2).sum() for theta in thetas)
    return total / m + lam / (2 * m) * penalty


def test_forward_shapes_follow_the_book(reference, digits):
    X, _ = digits
    fwd = nnlib.forward(reference, X[:7])
    assert fwd.a[0] is None and fwd.z[0] is None and fwd.z[1] is None
    assert fwd.a[1].shape == (7, 401) and fwd.z[2].shape == (7, 25)
    assert fwd.a[2].shape == (7, 26) and fwd.z[3].shape == (7, 10) and fwd.h.shape == (7, 10)
    assert np.all(fwd.a[1][:, 0] == 1) and np.all(fwd.a[2][:, 0] == 1)
    assert_allclose(fwd.a[2][:, 1:], nnlib.sigmoid(fwd.z[2]), rtol=1e-15)


def test_forward_by_hand_on_a_tiny_network():
    theta1 = np.array([[0.5, 1.0, -1.0]])            # one hidden unit, two inputs
    theta2 = np.array([[-1.0, 2.0], [1.0, -2.0]])     # two outputs
    X = np.array([[2.0, 1.0]])
    hidden = 1 / (1 + np.exp(-(0.5 + 2.0 - 1.0)))
    expected = 1 / (1 + np.exp(-np.array([-1.0 + 2 * hidden, 1.0 - 2 * hidden])))
    assert_allclose(nnlib.forward([theta1, theta2], X).h[0], expected, rtol=1e-14)
    assert nnlib.predict([theta1, theta2], X).tolist() == [int(np.argmax(expected))]


def test_predict_and_accuracy_agree(reference, digits):
    X, y = digits
    y_pred = nnlib.predict(reference, X)
    assert y_pred.shape == (5000,) and y_pred.dtype.kind == "i"
    assert np.array_equal(y_pred, np.argmax(nnlib.forward(reference, X).h, axis=1))
    assert nnlib.accuracy(reference, X, y) == np.mean(y_pred == y)
    assert nnlib.accuracy(reference, X, y) > 0.95        # trained weights, training data


@pytest.mark.parametrize("lam", [0.0, 1.0, 3.0])
def test_loop_cost_equals_vectorized_cost(small_problem, lam):
    thetas, X, y = small_problem
    assert_allclose(nnlib.cost(thetas, X, y, lam), loop_cost(thetas, X, y, lam), rtol=1e-12)


def test_cost_of_the_reference_weights_matches_the_loop(reference, digits):
    X, y = digits
    assert_allclose(nnlib.cost(reference, X[::50], y[::50], 1.0),
                    loop_cost(reference, X[::50], y[::50], 1.0), rtol=1e-12)


def test_outputs_at_one_half_cost_K_log_2():
    thetas = [np.zeros((4, 4)), np.zeros((3, 5))]
    X = np.ones((6, 3))
    assert_allclose(nnlib.cost(thetas, X, np.arange(6) % 3), 3 * np.log(2), rtol=1e-15)


def test_cost_stays_finite_when_outputs_saturate():
    # z(2) = ±40 makes h round to exactly 1.0 or about 4e-18: log(1 - h) would be -inf.
    theta = np.array([[0.0, 40.0], [0.0, -40.0]])
    X = np.array([[1.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        J = nnlib.cost([theta], X, np.array([1]))
    # y = (0, 1): unit 0 outputs g(40) but should be 0, costing log(1 + e^40);
    # unit 1 outputs g(-40) but should be 1, costing log(1 + e^40) as well.
    assert_allclose(J, 2 * (40 + np.log1p(np.exp(-40))), rtol=1e-15)


def test_regularization_skips_the_bias_column(small_problem):
    thetas, X, y = small_problem
    lam = 2.5
    penalty = sum((t[:, 1:] ** 2).sum() for t in thetas)
    assert_allclose(nnlib.cost(thetas, X, y, lam) - nnlib.cost(thetas, X, y),
                    lam / (2 * X.shape[0]) * penalty, rtol=1e-12)
    # Changing only the bias weights must not change the penalty.
    moved = [t.copy() for t in thetas]
    for t in moved:
        t[:, 0] += 10
    assert_allclose(nnlib.cost(moved, X, y, lam) - nnlib.cost(moved, X, y),
                    lam / (2 * X.shape[0]) * penalty, rtol=1e-12)


def test_one_hot():
    Y = nnlib.one_hot(np.array([0, 9, 3]))
    assert Y.shape == (3, 10) and Y.sum() == 3
    assert Y[0, 0] == Y[1, 9] == Y[2, 3] == 1
    assert nnlib.one_hot([2, 0], K=3).tolist() == [[0, 0, 1], [1, 0, 0]]
