"""nnlib.backprop: the gradient of J by backpropagation, for every network the book uses.

Two independent references: central differences of nnlib.cost (helpers.gradcheck_error)
and the per-example loop of helpers.loop_gradient, written from the book's equations.
"""
import numpy as np
import pytest
from helpers import (EPS, GRADCHECK_TOL, gradcheck_error, loop_forward, loop_gradient,
                     make_problem)
from numpy.testing import assert_allclose

import nnlib

ACTIVATIONS = ["sigmoid", "tanh", "relu"]


def hidden_z(thetas, X, activation):
    fwd = nnlib.forward(thetas, X, activation)
    return np.concatenate([z.ravel() for z in fwd.z[2:-1]])


@pytest.mark.parametrize("lam", [0.0, 3.0])
def test_lab_gradient_check_below_1e_9(lam):
    assert nnlib.check_gradients(lam=lam) < 1e-9


@pytest.mark.parametrize("lam", [0.0, 1.0])
def test_loop_backprop_equals_vectorized_on_the_lab_network(reference, digits, lam):
    X, y = digits
    X, y = X[::100], y[::100]
    for loop, vec in zip(loop_gradient(reference, X, y, lam), nnlib.gradient(reference, X, y, lam)):
        assert_allclose(vec, loop, rtol=1e-10, atol=1e-15)


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("output", ["sigmoid", "softmax"])
def test_loop_backprop_equals_vectorized_with_dropout(activation, output):
    sizes = [5, 6, 5, 3]
    thetas, X, y = make_problem(sizes, m=7, seed=4)
    masks = nnlib.dropout_masks(sizes, 7, rate=0.3, seed=5)
    ours = nnlib.gradient(thetas, X, y, 0.5, activation, output, masks)
    for got, expected in zip(ours, loop_gradient(thetas, X, y, 0.5, activation, output, masks)):
        assert_allclose(got, expected, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("output", ["sigmoid", "softmax"])
def test_gradient_matches_central_differences(activation, output):
    sizes = [4, 5, 3]
    thetas, X, y = make_problem(sizes)
    if activation == "relu":     # central differences need every z away from the kink at 0
        assert np.abs(hidden_z(thetas, X, activation)).min() > 1e-3
    assert gradcheck_error(sizes, thetas, X, y, activation=activation, output=output) \
        < GRADCHECK_TOL
    assert gradcheck_error(sizes, thetas, X, y, lam=3.0, activation=activation, output=output) \
        < GRADCHECK_TOL


def test_softmax_regression_without_hidden_layer():
    sizes = [6, 4]
    thetas, X, y = make_problem(sizes)
    assert gradcheck_error(sizes, thetas, X, y, output="softmax") < GRADCHECK_TOL


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_gradient_of_a_deep_network_with_dropout(activation):
    sizes = [5, 6, 5, 4, 4, 3]                   # 5 weight matrices, 4 hidden layers
    thetas, X, y = make_problem(sizes, m=7, seed=4)
    if activation == "relu":
        assert np.abs(hidden_z(thetas, X, activation)).min() > 1e-3
    masks = nnlib.dropout_masks(sizes, 7, rate=0.2, seed=5)
    network = dict(activation=activation, output="softmax")
    assert gradcheck_error(sizes, thetas, X, y, **network) < GRADCHECK_TOL
    assert gradcheck_error(sizes, thetas, X, y, lam=1.0, masks=masks, **network) < GRADCHECK_TOL


def test_the_remaining_difference_is_truncation_error():
    """Ten times smaller ε, a hundred times smaller difference: the ε² of central differences."""
    sizes = [4, 6, 5, 3]
    thetas, X, y = make_problem(sizes, seed=2)
    masks = nnlib.dropout_masks(sizes, X.shape[0], rate=0.5, seed=3)
    network = dict(lam=0.5, activation="relu", output="softmax", masks=masks)
    coarse = gradcheck_error(sizes, thetas, X, y, eps=1e-4, **network)
    fine = gradcheck_error(sizes, thetas, X, y, eps=1e-5, **network)
    assert 1e-9 < coarse < 1e-7
    assert 30 < coarse / fine < 300


def test_a_backward_pass_that_forgets_the_mask_fails_the_check():
    sizes = [4, 6, 3]
    thetas, X, y = make_problem(sizes, seed=2)
    masks = nnlib.dropout_masks(sizes, X.shape[0], rate=0.5, seed=3)
    network = dict(activation="tanh", output="softmax")
    numerical = nnlib.numerical_gradient(
        lambda v: nnlib.cost(nnlib.roll(v, sizes), X, y, masks=masks, **network),
        nnlib.unroll(thetas), EPS)
    assert nnlib.relative_difference(
        numerical, nnlib.unroll(nnlib.gradient(thetas, X, y, masks=masks, **network))) \
        < GRADCHECK_TOL
    unmasked = loop_gradient(thetas, X, y, 0.0, "tanh", "softmax",
                             masks=[np.ones_like(masks[0])])
    # the forward pass dropped units, the backward pass did not: far off
    fwd = [loop_forward(thetas, X[i], "tanh", "softmax", [masks[0][i]]) for i in range(6)]
    assert all(np.any(a[2][1:] == 0) for a, _ in fwd)
    assert nnlib.relative_difference(numerical, nnlib.unroll(unmasked)) > 1e-2


def test_cost_and_gradient_gives_both_in_one_pass(small_problem):
    thetas, X, y = small_problem
    J, grads = nnlib.cost_and_gradient(thetas, X, y, 0.7)
    assert J == pytest.approx(nnlib.cost(thetas, X, y, 0.7), rel=1e-14)
    for got, expected in zip(grads, loop_gradient(thetas, X, y, 0.7)):
        assert_allclose(got, expected, rtol=1e-12, atol=1e-15)


def test_regularized_gradient_leaves_the_bias_column_alone(small_problem):
    thetas, X, y = small_problem
    plain, regularized = nnlib.gradient(thetas, X, y), nnlib.gradient(thetas, X, y, 2.0)
    for t, g0, g2 in zip(thetas, plain, regularized):
        assert_allclose(g2[:, 0], g0[:, 0], rtol=1e-14)
        assert_allclose(g2[:, 1:] - g0[:, 1:], 2.0 / X.shape[0] * t[:, 1:], rtol=1e-10, atol=1e-15)


def test_float32_gradient_agrees_with_float64():
    sizes = [784, 32, 16, 10]
    X, y = np.random.default_rng(0).random((64, 784)), np.arange(64) % 10
    thetas = nnlib.init_he(sizes, dtype=np.float32)
    network = dict(activation="relu", output="softmax")
    g32 = nnlib.gradient(thetas, X, y, 1.0, **network)
    g64 = nnlib.gradient([t.astype(np.float64) for t in thetas], X, y, 1.0, **network)
    assert all(g.dtype == np.float32 for g in g32) and all(g.dtype == np.float64 for g in g64)
    # float32 keeps ~7 digits; sums of a few hundred terms lose one or two
    assert nnlib.relative_difference(nnlib.unroll(g64), nnlib.unroll(g32)) < 1e-5


def test_layer_gradient_norms_and_vanishing_sigmoid_gradients():
    X, y = np.random.default_rng(0).random((100, 20)), np.arange(100) % 4
    sizes = [20, 30, 30, 30, 30, 4]
    thetas = nnlib.init_glorot(sizes)
    network = dict(activation="sigmoid", output="softmax")
    norms = nnlib.layer_gradient_norms(thetas, X, y, **network)
    grads = loop_gradient(thetas, X, y, 0.0, "sigmoid", "softmax")
    assert_allclose(norms, [np.sqrt((g ** 2).sum()) for g in grads], rtol=1e-10)
    # g' <= 1/4 shrinks δ at every sigmoid layer: the first layer learns slowest
    assert np.all(np.diff(norms[:-1]) > 0) and norms[0] < norms[-2] / 10


def test_gradient_bad_arguments():
    X, y = np.random.default_rng(0).random((12, 4)), np.arange(12) % 3
    thetas = nnlib.init_he([4, 5, 3])
    with pytest.raises(ValueError, match="activation must be one of"):
        nnlib.gradient(thetas, X, y, activation="Relu")
    with pytest.raises(ValueError, match=r"masks\[0\] \(layer 2\) must have shape \(12, 5\)"):
        nnlib.cost_and_gradient(thetas, X, y, masks=[np.ones((12, 4))])
    with pytest.raises(ValueError, match=r"thetas\[1\] \(Θ\(2\)\) has 5 columns; it must have 6"):
        nnlib.layer_gradient_norms([thetas[0], thetas[1][:, 1:]], X, y)
