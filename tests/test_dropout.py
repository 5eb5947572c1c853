"""nnlib.dropout: inverted-dropout masks."""
import numpy as np
import pytest

import nnlib


def test_inverted_dropout_keeps_the_expected_activation():
    masks = nnlib.dropout_masks([10, 500, 400, 3], m=2000, rate=0.3, seed=0)
    assert [mk.shape for mk in masks] == [(2000, 500), (2000, 400)]
    entries = np.concatenate([mk.ravel() for mk in masks])
    assert entries.dtype == np.float64
    assert set(np.unique(entries)) == {0.0, 1 / 0.7}
    # 1.8 million entries of variance 1/q - 1 = 0.43: the mean is 1 within 0.0005 (1 σ);
    # 0.003 is 6 σ.  A mask without the 1/q factor would have mean 0.7.
    assert abs(entries.mean() - 1) < 0.003
    assert abs(np.mean(entries == 0) - 0.3) < 0.003      # σ = 0.00034


def test_masks_are_seeded_and_rate_zero_keeps_everything():
    a = nnlib.dropout_masks([4, 6, 5, 2], m=9, rate=0.5, seed=3)
    b = nnlib.dropout_masks([4, 6, 5, 2], m=9, rate=0.5, seed=3)
    assert all(np.array_equal(x, y) for x, y in zip(a, b))
    assert not np.array_equal(a[0], nnlib.dropout_masks([4, 6, 5, 2], m=9, rate=0.5, seed=4)[0])
    assert all(np.all(mk == 1) for mk in nnlib.dropout_masks([4, 6, 5, 2], m=9, rate=0.0))
    assert nnlib.dropout_masks([4, 6, 2], 3, 0.5, dtype=np.float32)[0].dtype == np.float32


def test_the_network_multiplies_each_hidden_layer_by_its_mask():
    sizes = [3, 4, 2]
    thetas = nnlib.init_he(sizes, seed=1)
    X = np.random.default_rng(0).normal(size=(5, 3))
    masks = nnlib.dropout_masks(sizes, 5, rate=0.5, seed=2)
    on = nnlib.forward(thetas, X, "relu", masks=masks)
    off = nnlib.forward(thetas, X, "relu")
    np.testing.assert_allclose(on.a[2][:, 1:], off.a[2][:, 1:] * masks[0], rtol=1e-15)


@pytest.mark.parametrize("args, message", [
    (([4, 5, 3], 10, 1.0), r"rate must be a number in \[0, 1\); got 1.0"),
    (([4, 5, 3], 0, 0.5), "m must be an integer >= 1"),
    (([4, 5, 3], 10, -0.1), r"rate must be a number in \[0, 1\)"),
    (([4], 10, 0.5), "layer_sizes needs at least 2 layers"),
])
def test_bad_arguments(args, message):
    with pytest.raises(ValueError, match=message):
        nnlib.dropout_masks(*args)
