"""nnlib.parameters: random initializations, and unrolling Θ into a vector and back."""
import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

import nnlib


def test_shapes_of_the_lab_network():
    assert nnlib.shapes([400, 25, 10]) == [(25, 401), (10, 26)]


def test_init_weights_shapes_range_and_seed():
    thetas = nnlib.init_weights([400, 25, 10], seed=3)
    assert [t.shape for t in thetas] == [(25, 401), (10, 26)]
    for t in thetas:
        assert -0.12 <= t.min() < -0.11 and 0.11 < t.max() <= 0.12   # fills [-ε, ε]
        assert len(np.unique(t)) == t.size                            # symmetry broken
    again = nnlib.init_weights([400, 25, 10], seed=3)
    other = nnlib.init_weights([400, 25, 10], seed=4)
    assert all(np.array_equal(a, b) for a, b in zip(thetas, again))
    assert not np.array_equal(thetas[0], other[0])


def test_init_weights_glorot_range():
    theta1, theta2 = nnlib.init_weights([400, 25, 10], eps=None)
    assert np.abs(theta1).max() <= np.sqrt(6) / np.sqrt(425)
    assert np.abs(theta1).max() > 0.95 * np.sqrt(6) / np.sqrt(425)
    assert np.abs(theta2).max() <= np.sqrt(6) / np.sqrt(35)


def test_roll_unroll_round_trip():
    thetas = nnlib.init_weights([6, 5, 4, 3], seed=1)
    vector = nnlib.unroll(thetas)
    assert vector.shape == (5 * 7 + 4 * 6 + 3 * 5,)
    back = nnlib.roll(vector, [6, 5, 4, 3])
    for a, b in zip(thetas, back):
        assert_array_equal(a, b)
    assert_array_equal(nnlib.unroll(back), vector)


def test_unroll_is_row_major():
    theta1 = np.arange(6.0).reshape(2, 3)
    theta2 = np.arange(6.0, 9.0).reshape(1, 3)
    assert nnlib.unroll([theta1, theta2]).tolist() == [0, 1, 2, 3, 4, 5, 6, 7, 8]


def test_lab_network_has_10285_parameters():
    assert nnlib.unroll(nnlib.init_weights([400, 25, 10])).size == 10285


def test_roll_wrong_length_says_what_is_needed():
    with pytest.raises(ValueError, match=r"theta has 10284 numbers.*need 10285"):
        nnlib.roll(np.zeros(10284), [400, 25, 10])


@pytest.mark.parametrize("kwargs, message", [
    ({"layer_sizes": [400]}, "at least 2 layers"),
    ({"layer_sizes": [400, 0, 10]}, r"layer_sizes\[1\] must be an integer >= 1"),
    ({"layer_sizes": [400, 25, 10], "eps": -0.1}, "eps must be"),
    ({"layer_sizes": [400, 25, 10], "eps": 0}, "eps must be > 0"),
    ({"layer_sizes": [400, 25, 10], "seed": -1}, "seed must be"),
])
def test_init_weights_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        nnlib.init_weights(**kwargs)


def test_unroll_refuses_matrices_that_do_not_chain():
    with pytest.raises(ValueError, match=r"Θ\(2\)\) has 25 columns; it must have 26"):
        nnlib.unroll([np.zeros((25, 401)), np.zeros((10, 25))])


def test_he_and_glorot_variances_match_their_formulas():
    # 256 × 784 = 200 704 weights.  The sample variance of n draws has a relative
    # standard deviation of √(2/n) = 0.32 % (normal) and 0.9/√n = 0.2 % (uniform);
    # rtol = 2 % is more than 6 of them, and a wrong formula (1/s_l instead of 2/s_l,
    # or fan-out instead of fan-in) is off by 35 % or more.
    sizes = [784, 256, 10]
    he = nnlib.init_he(sizes, seed=0)[0]
    glorot = nnlib.init_glorot(sizes, seed=0)[0]
    for theta in (he, glorot):
        assert theta.shape == (256, 785) and theta.dtype == np.float64
        assert_array_equal(theta[:, 0], 0)                   # bias column starts at 0
    w_he, w_gl = he[:, 1:], glorot[:, 1:]
    assert_allclose(w_he.var(), 2 / 784, rtol=0.02)
    assert_allclose(w_gl.var(), 2 / (784 + 256), rtol=0.02)
    assert abs(w_he.mean()) < 5 * np.sqrt(2 / 784 / w_he.size)      # mean 0 within 5 σ
    assert np.abs(w_gl).max() <= np.sqrt(6 / (784 + 256))
    assert np.abs(w_gl).max() > 0.999 * np.sqrt(6 / (784 + 256))


def test_initializations_are_seeded_and_fit_the_activation():
    a = nnlib.init_he([5, 4, 3], seed=7)
    assert all(np.array_equal(s, t) for s, t in zip(a, nnlib.init_he([5, 4, 3], seed=7)))
    assert not np.array_equal(a[0], nnlib.init_he([5, 4, 3], seed=8)[0])
    b = nnlib.init_he([5, 4, 3], seed=7, dtype=np.float32)
    assert b[0].dtype == np.float32
    assert_allclose(a[0], b[0], rtol=1e-7)                  # the same numbers, rounded
    assert_array_equal(nnlib.init_for("relu", [5, 4, 3])[0], nnlib.init_he([5, 4, 3])[0])
    assert_array_equal(nnlib.init_for("tanh", [5, 4, 3])[0], nnlib.init_glorot([5, 4, 3])[0])
    assert_array_equal(nnlib.init_for("sigmoid", [5, 4, 3])[0], nnlib.init_glorot([5, 4, 3])[0])


@pytest.mark.parametrize("call, message", [
    (lambda: nnlib.init_he([4, 3], seed=1.5), "seed must be an integer >= 0"),
    (lambda: nnlib.init_glorot([4, 3], dtype="int8"), "dtype must be np.float32 or np.float64"),
    (lambda: nnlib.init_glorot([4, 3], dtype=np.float16), "dtype must be np.float32 or np.float64"),
    (lambda: nnlib.init_for("elu", [4, 3]), "activation must be one of"),
])
def test_deep_initializations_bad_arguments(call, message):
    with pytest.raises(ValueError, match=message):
        call()
