"""nnlib.outputs: the softmax output layer and the categorical cross-entropy."""
import warnings

import numpy as np
import pytest
from helpers import EPS, GRADCHECK_TOL
from numpy.testing import assert_allclose, assert_array_equal

import nnlib


def test_softmax_rows_sum_to_one_and_keep_order():
    z = np.random.default_rng(0).normal(scale=5, size=(50, 10))
    h = nnlib.softmax(z)
    assert_allclose(h.sum(axis=1), 1.0, rtol=1e-14)
    assert np.all(h >= 0)
    assert_array_equal(np.argmax(h, axis=1), np.argmax(z, axis=1))
    assert_allclose(nnlib.softmax(z + 123.0), h, rtol=1e-12)    # adding a constant changes nothing
    assert_allclose(nnlib.softmax(z[0]), h[0], rtol=1e-15)       # one example, shape (K,)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_softmax_and_cross_entropy_are_stable_for_huge_logits(dtype):
    z = np.array([[1000.0, 0.0, -1000.0], [-1000.0, -1000.0, -1000.0], [1000.0, 1000.0, 0.0]],
                 dtype=dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")                      # no overflow, no log(0)
        h = nnlib.softmax(z)
        J = nnlib.cross_entropy(z, [2, 0, 0])
        delta = nnlib.cross_entropy_gradient(z, [2, 0, 0])
    assert h.dtype == dtype and delta.dtype == dtype
    assert_allclose(h, [[1, 0, 0], [1 / 3, 1 / 3, 1 / 3], [0.5, 0.5, 0]], atol=1e-7)
    # -log h: 2000 for the first row (log-sum-exp, no overflow), log 3, log 2
    assert_allclose(J, (2000 + np.log(3) + np.log(2)) / 3, rtol=1e-6)
    assert np.all(np.isfinite(delta))


def test_cross_entropy_hand_example():
    z = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]])
    # row 1, class 0: -log(e^1 / (e^1 + e^2 + e^3)); row 2, uniform: log 3
    row1 = -np.log(np.exp(1) / (np.exp(1) + np.exp(2) + np.exp(3)))
    assert_allclose(row1, 2.40760596444438, rtol=1e-13)
    assert_allclose(nnlib.cross_entropy(z, [0, 1]), (row1 + np.log(3)) / 2, rtol=1e-14)
    assert_allclose(nnlib.cross_entropy(z[:1], [2]), -np.log(nnlib.softmax(z[0])[2]), rtol=1e-14)


def test_cross_entropy_gradient_is_softmax_minus_one_hot_over_m():
    z = np.random.default_rng(1).normal(size=(4, 5))
    y = np.array([0, 3, 3, 1])
    expected = (nnlib.softmax(z) - nnlib.one_hot(y, 5)) / 4
    assert_allclose(nnlib.cross_entropy_gradient(z, y), expected, rtol=1e-14)
    numerical = nnlib.numerical_gradient(
        lambda v: nnlib.cross_entropy(v.reshape(4, 5), y), z.ravel(), EPS)
    assert nnlib.relative_difference(numerical, expected.ravel()) < GRADCHECK_TOL


def test_both_output_layers_give_delta_h_minus_y():
    """δ(L) = h − Y is the derivative of each layer's per-example cost by z(L)."""
    from nnlib.outputs import OUTPUTS
    rng = np.random.default_rng(2)
    z, y = rng.normal(size=(3, 4)), np.array([1, 0, 3])
    Y = nnlib.one_hot(y, 4)
    for name, layer in OUTPUTS.items():
        def total_cost(v, layer=layer):
            return layer.cost(v.reshape(3, 4), Y) * 3          # m J: the sum over examples
        numerical = nnlib.numerical_gradient(total_cost, z.ravel(), EPS)
        analytical = layer.delta(layer.h(z), Y).ravel()
        assert nnlib.relative_difference(numerical, analytical) < GRADCHECK_TOL, name


def test_the_callers_logits_are_not_changed():
    z = np.array([[1.0, 2.0, 3.0]])
    nnlib.softmax(z), nnlib.cross_entropy(z, [1]), nnlib.cross_entropy_gradient(z, [1])
    assert_array_equal(z, [[1.0, 2.0, 3.0]])


def test_bad_arguments():
    with pytest.raises(ValueError, match="z must contain only finite numbers"):
        nnlib.softmax([[0.0, np.nan]])
    with pytest.raises(ValueError, match="got a single number"):
        nnlib.softmax(3.0)
    with pytest.raises(ValueError, match=r"y must hold labels 0..2 .* found 3"):
        nnlib.cross_entropy(np.zeros((2, 3)), [0, 3])
    with pytest.raises(ValueError, match="one column per class, at least 2"):
        nnlib.cross_entropy_gradient(np.zeros((2, 1)), [0, 0])
