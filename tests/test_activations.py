import warnings

import numpy as np
import pytest
from numpy.testing import assert_allclose

import nnlib


def test_sigmoid_known_values():
    assert nnlib.sigmoid(0.0) == 0.5
    # 1 / (1 + e^-2), written out independently of expit
    assert_allclose(nnlib.sigmoid(np.array([2.0, -2.0])), [1 / (1 + np.exp(-2)), 1 / (1 + np.exp(2))],
                    rtol=1e-15)


def test_sigmoid_gradient_at_zero_is_exactly_a_quarter():
    assert nnlib.sigmoid_gradient(0.0) == 0.25
    assert nnlib.sigmoid_gradient(np.zeros((2, 3))).tolist() == [[0.25] * 3] * 2


def test_sigmoid_gradient_matches_central_differences():
    z = np.linspace(-6, 6, 25)
    eps = 1e-5
    numerical = (nnlib.sigmoid(z + eps) - nnlib.sigmoid(z - eps)) / (2 * eps)
    # central differences are accurate to O(eps²) ≈ 1e-10 here
    assert_allclose(nnlib.sigmoid_gradient(z), numerical, atol=1e-10)


def test_extreme_inputs_saturate_without_warnings():
    z = np.array([-1e4, -800.0, 800.0, 1e4])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        g = nnlib.sigmoid(z)
        g_prime = nnlib.sigmoid_gradient(z)
    assert g.tolist() == [0.0, 0.0, 1.0, 1.0]
    assert g_prime.tolist() == [0.0, 0.0, 0.0, 0.0]


def test_symmetry():
    z = np.linspace(-30, 30, 61)
    assert_allclose(nnlib.sigmoid(-z), 1 - nnlib.sigmoid(z), atol=1e-15)


@pytest.mark.parametrize("fn", [nnlib.sigmoid, nnlib.sigmoid_gradient])
@pytest.mark.parametrize("bad", [np.nan, [1.0, np.inf], "abc"])
def test_bad_input_names_z(fn, bad):
    with pytest.raises(ValueError, match="z must"):
        fn(bad)
