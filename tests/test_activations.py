"""nnlib.activations: the sigmoid, tanh and the ReLU, and their derivatives."""
import warnings

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

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


@pytest.mark.parametrize("fn", [nnlib.sigmoid, nnlib.sigmoid_gradient, nnlib.tanh,
                                nnlib.relu_gradient])
@pytest.mark.parametrize("bad", [np.nan, [1.0, np.inf], "abc"])
def test_bad_input_names_z(fn, bad):
    with pytest.raises(ValueError, match="z must"):
        fn(bad)


def test_tanh_and_relu_values():
    z = np.array([-2.0, -0.5, 0.0, 0.5, 2.0])
    assert_allclose(nnlib.tanh(z), (np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z)), rtol=1e-15)
    assert_array_equal(nnlib.relu(z), [0, 0, 0, 0.5, 2.0])
    assert_array_equal(nnlib.relu_gradient(z), [0, 0, 0, 1, 1])     # g'(0) = 0 by convention
    assert nnlib.tanh_gradient(0.0) == 1.0


@pytest.mark.parametrize("g, g_prime", [(nnlib.tanh, nnlib.tanh_gradient),
                                        (nnlib.relu, nnlib.relu_gradient),
                                        (nnlib.sigmoid, nnlib.sigmoid_gradient)])
def test_activation_gradients_match_central_differences(g, g_prime):
    z = np.linspace(-4, 4, 40)                 # steps of 0.205: never within ε of relu's kink at 0
    eps = 1e-5
    numerical = (g(z + eps) - g(z - eps)) / (2 * eps)
    assert_allclose(g_prime(z), numerical, atol=1e-9)   # O(ε²) error, ≈ 1e-11 here


def test_tanh_and_relu_are_safe_for_huge_inputs():
    z = np.array([-1e4, -800.0, 800.0, 1e4])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert_array_equal(nnlib.tanh(z), [-1, -1, 1, 1])
        assert_array_equal(nnlib.tanh_gradient(z), [0, 0, 0, 0])
        assert_array_equal(nnlib.relu(z), [0, 0, 800, 1e4])
        assert_array_equal(nnlib.relu_gradient(z), [0, 0, 1, 1])


def test_float32_stays_float32_and_the_rest_becomes_float64():
    z = np.linspace(-3, 3, 7, dtype=np.float32)
    for fn in (nnlib.sigmoid, nnlib.sigmoid_gradient, nnlib.tanh, nnlib.tanh_gradient,
               nnlib.relu, nnlib.relu_gradient):
        assert fn(z).dtype == np.float32
        assert fn(np.arange(3)).dtype == np.float64


def test_the_table_pairs_each_activation_with_its_own_derivative():
    from nnlib.activations import ACTIVATIONS
    z = np.linspace(-3, 3, 13)
    assert set(ACTIVATIONS) == {"sigmoid", "tanh", "relu"}
    for name, (g, g_prime) in ACTIVATIONS.items():
        public_g = getattr(nnlib, name)
        assert_allclose(g(z), public_g(z), rtol=1e-15, err_msg=name)
        assert_allclose(g_prime(z), getattr(nnlib, f"{name}_gradient")(z), rtol=1e-15,
                        err_msg=name)
