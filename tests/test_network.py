"""nnlib.network: the forward pass, predictions, accuracy and the cost J(Θ)."""
import numpy as np
import pytest
from helpers import loop_cost, loop_forward, make_problem
from numpy.testing import assert_allclose, assert_array_equal

import nnlib

ACTIVATIONS = ["sigmoid", "tanh", "relu"]


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
    z3 = np.array([-1.0 + 2 * hidden, 1.0 - 2 * hidden])
    assert_allclose(nnlib.forward([theta1, theta2], X).h[0], 1 / (1 + np.exp(-z3)), rtol=1e-14)
    softmax = nnlib.forward([theta1, theta2], X, output="softmax").h[0]
    assert_allclose(softmax, np.exp(z3) / np.exp(z3).sum(), rtol=1e-14)
    relu = nnlib.forward([theta1, theta2], X, activation="relu").z[3][0]
    assert_allclose(relu, [-1.0 + 2 * 1.5, 1.0 - 2 * 1.5], rtol=1e-15)
    assert nnlib.predict([theta1, theta2], X).tolist() == [0]


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("output", ["sigmoid", "softmax"])
def test_forward_matches_the_per_example_loop(activation, output):
    sizes = [6, 5, 4, 3]
    thetas, X, _ = make_problem(sizes, m=8)
    masks = nnlib.dropout_masks(sizes, 8, rate=0.4, seed=1)
    fwd = nnlib.forward(thetas, X, activation, output, masks)
    assert [a.shape for a in fwd.a[1:]] == [(8, 7), (8, 6), (8, 5), (8, 3)]
    assert [z.shape for z in fwd.z[2:]] == [(8, 5), (8, 4), (8, 3)]
    for i in range(8):
        a, z = loop_forward(thetas, X[i], activation, output, [M[i] for M in masks])
        for l in range(1, 5):
            assert_allclose(fwd.a[l][i], a[l], rtol=1e-13, atol=1e-15)
        for l in range(2, 5):
            assert_allclose(fwd.z[l][i], z[l], rtol=1e-13, atol=1e-15)


def test_predict_is_the_index_of_the_largest_output(reference, digits):
    X, y = digits
    y_pred = nnlib.predict(reference, X)
    h = nnlib.forward(reference, X).h
    assert y_pred.shape == (5000,) and y_pred.dtype.kind == "i"
    for i in range(0, 5000, 97):            # per example, against the output values
        assert h[i, y_pred[i]] == h[i].max()
    assert nnlib.accuracy(reference, X, y) == pytest.approx(0.982)   # the shipped weights


def test_accuracy_counts_the_right_answers():
    # two examples, both outputs known: the first is right, the second wrong
    theta = np.array([[0.0, 1.0], [0.0, -1.0]])
    X = np.array([[2.0], [3.0]])                  # z = (2, -2) and (3, -3): class 0 both times
    assert nnlib.accuracy([theta], X, [0, 1]) == 0.5
    assert nnlib.accuracy([theta], X, [0, 0]) == 1.0
    assert nnlib.accuracy([theta], X, [1, 1], activation="relu", output="softmax") == 0.0


@pytest.mark.parametrize("lam", [0.0, 1.0, 3.0])
def test_cost_equals_the_loop_over_examples_and_classes(small_problem, lam):
    thetas, X, y = small_problem
    assert_allclose(nnlib.cost(thetas, X, y, lam), loop_cost(thetas, X, y, lam), rtol=1e-12)


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_softmax_cost_with_dropout_equals_the_loop(activation):
    sizes = [5, 6, 4, 3]
    thetas, X, y = make_problem(sizes, m=9, seed=3)
    masks = nnlib.dropout_masks(sizes, 9, rate=0.5, seed=2)
    ours = nnlib.cost(thetas, X, y, 0.7, activation, "softmax", masks)
    assert_allclose(ours, loop_cost(thetas, X, y, 0.7, activation, "softmax", masks), rtol=1e-12)


def test_cost_of_the_reference_weights(reference, digits):
    X, y = digits
    assert_allclose(nnlib.cost(reference, X[::50], y[::50], 1.0),
                    loop_cost(reference, X[::50], y[::50], 1.0), rtol=1e-12)
    # the values the chapters quote, from the shipped weights (see test_reference.py)
    assert nnlib.cost(reference, X, y) == pytest.approx(0.211250, abs=5e-7)
    assert nnlib.cost(reference, X, y, 1.0) == pytest.approx(0.377940, abs=5e-7)


def test_outputs_at_one_half_cost_K_log_2_and_uniform_softmax_log_K():
    thetas = [np.zeros((4, 4)), np.zeros((3, 5))]
    X, y = np.ones((6, 3)), np.arange(6) % 3
    assert_allclose(nnlib.cost(thetas, X, y), 3 * np.log(2), rtol=1e-15)
    assert_allclose(nnlib.cost(thetas, X, y, output="softmax"), np.log(3), rtol=1e-15)


def test_cost_stays_finite_when_outputs_saturate():
    # z(2) = ±40 makes h round to exactly 1.0 or about 4e-18: log(1 - h) would be -inf.
    theta = np.array([[0.0, 40.0], [0.0, -40.0]])
    X = np.array([[1.0]])
    J = nnlib.cost([theta], X, np.array([1]))
    # y = (0, 1): unit 0 outputs g(40) but should be 0, costing log(1 + e^40);
    # unit 1 outputs g(-40) but should be 1, costing log(1 + e^40) as well.
    assert_allclose(J, 2 * (40 + np.log1p(np.exp(-40))), rtol=1e-15)
    # softmax: -log h_1 = log(e^40 + e^-40) + 40 = 80 + log(1 + e^-80)
    assert_allclose(nnlib.cost([theta], X, np.array([1]), output="softmax"), 80.0, rtol=1e-15)


def test_float64_unless_the_weights_are_float32():
    X = np.random.default_rng(0).random((20, 6))
    thetas64 = nnlib.init_he([6, 5, 3])
    assert all(t.dtype == np.float64 for t in thetas64)
    fwd = nnlib.forward(thetas64, X.astype(np.float32), "relu")
    assert all(arr.dtype == np.float64 for arr in fwd.a[1:] + fwd.z[2:])
    thetas32 = nnlib.init_he([6, 5, 3], dtype=np.float32)
    fwd32 = nnlib.forward(thetas32, X, "relu", "softmax")
    assert all(arr.dtype == np.float32 for arr in fwd32.a[1:] + fwd32.z[2:])
    # float32 keeps about 7 digits; a sum of 6 products loses about one
    fwd64 = nnlib.forward([t.astype(np.float64) for t in thetas32], X, "relu", "softmax")
    assert_allclose(fwd32.h, fwd64.h, rtol=1e-5)


def test_the_callers_arrays_are_not_changed(small_problem):
    thetas, X, y = small_problem
    before = [t.copy() for t in thetas], X.copy(), y.copy()
    nnlib.cost(thetas, X, y, 1.0)
    nnlib.forward(thetas, X, "relu", "softmax")
    nnlib.accuracy(thetas, X, y)
    for t, b in zip(thetas, before[0]):
        assert_array_equal(t, b)
    assert_array_equal(X, before[1]) and assert_array_equal(y, before[2])


@pytest.mark.parametrize("kwargs, message", [
    ({"activation": "softplus"},
     r"activation must be one of \('sigmoid', 'tanh', 'relu'\); got str 'softplus'"),
    ({"output": "linear"}, r"output must be one of \('sigmoid', 'softmax'\)"),
    ({"masks": [np.ones((12, 5))] * 2}, "masks must hold 1 masks, one per hidden layer"),
    ({"masks": [np.ones((12, 4))]}, r"masks\[0\] \(layer 2\) must have shape \(12, 5\)"),
    ({"masks": [-np.ones((12, 5))]}, r"masks\[0\] must hold values >= 0"),
    ({"lam": np.nan}, "lam must be"),
])
def test_bad_arguments_are_named(kwargs, message):
    X, y = np.random.default_rng(0).random((12, 4)), np.arange(12) % 3
    thetas = nnlib.init_he([4, 5, 3])
    with pytest.raises(ValueError, match=message):
        nnlib.cost(thetas, X, y, **kwargs)
