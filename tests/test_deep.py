"""The deeper networks: activations, softmax, initializations, dropout, backprop, SGD.

Every gradient is checked against central differences (nnlib.numerical_gradient) in
float64.  The error of a central difference is about ε²/6 times the third
derivative of J.  With the lab's ε = 1e-4 a correct gradient of these small networks
agrees to 4e-10 .. 2.3e-8 (the largest for ReLU networks with dropout, whose
logits are large); with ε = 1e-5 the difference drops a hundredfold, to 2e-11 ..
2.3e-10 (test_the_remaining_difference_is_truncation_error checks this ε²
behaviour), and round-off, about 1e-16 / ε = 1e-11, is still far below.  So we use
ε = 1e-5 and require a relative difference < 1e-9, a hundred times stricter than
the 1e-7 often quoted; a real bug (a missing term, a forgotten mask, a regularized
bias) gives 1e-3 or more.
"""
import warnings

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

import nnlib
from nnlib.sgd import _momentum_step

ACTIVATIONS = ["sigmoid", "tanh", "relu"]
GRADCHECK_TOL = 1e-9
EPS = 1e-5


def make_problem(sizes, m=6, seed=0):
    """Random float64 weights (bias included, non-zero), inputs and labels."""
    rng = np.random.default_rng(seed)
    thetas = [rng.normal(scale=0.7, size=s) for s in nnlib.shapes(sizes)]
    X = rng.normal(size=(m, sizes[0]))
    y = rng.integers(0, sizes[-1], size=m)
    return thetas, X, y


def check(sizes, thetas, X, y, activation, lam=0.0, masks=None, eps=EPS):
    """Relative difference between backprop and central differences of deep_loss."""
    def J(vector):
        return nnlib.deep_loss(nnlib.roll(vector, sizes), X, y, activation, lam, masks)
    numerical = nnlib.numerical_gradient(J, nnlib.unroll(thetas), eps)
    analytical = nnlib.unroll(nnlib.deep_gradient(thetas, X, y, activation, lam, masks))
    return nnlib.relative_difference(numerical, analytical)


def hidden_z(thetas, X, activation):
    fwd = nnlib.deep_forward(thetas, X, activation)
    return np.concatenate([z.ravel() for z in fwd.z[2:-1]])


# --- activations --------------------------------------------------------------------

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


def test_activations_are_safe_for_huge_inputs():
    z = np.array([-1e4, -800.0, 800.0, 1e4])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert_array_equal(nnlib.tanh(z), [-1, -1, 1, 1])
        assert_array_equal(nnlib.tanh_gradient(z), [0, 0, 0, 0])
        assert_array_equal(nnlib.relu(z), [0, 0, 800, 1e4])
        assert_array_equal(nnlib.relu_gradient(z), [0, 0, 1, 1])


def test_activations_keep_float32():
    z = np.linspace(-3, 3, 7, dtype=np.float32)
    for fn in (nnlib.tanh, nnlib.tanh_gradient, nnlib.relu, nnlib.relu_gradient):
        assert fn(z).dtype == np.float32


# --- softmax and cross-entropy ---------------------------------------------------------

def test_softmax_rows_sum_to_one_and_keep_order():
    z = np.random.default_rng(0).normal(scale=5, size=(50, 10))
    h = nnlib.softmax(z)
    assert_allclose(h.sum(axis=1), 1.0, rtol=1e-14)
    assert np.all(h >= 0)
    assert_array_equal(np.argmax(h, axis=1), np.argmax(z, axis=1))
    assert_allclose(nnlib.softmax(z + 123.0), h, rtol=1e-12)    # adding a constant changes nothing


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_softmax_and_cross_entropy_are_stable_for_huge_logits(dtype):
    z = np.array([[1000.0, 0.0, -1000.0], [-1000.0, -1000.0, -1000.0], [1000.0, 1000.0, 0.0]],
                 dtype=dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")                      # no overflow, no log(0)
        h = nnlib.softmax(z)
        J = nnlib.cross_entropy(z, [2, 0, 0])
        delta = nnlib.cross_entropy_gradient(z, [2, 0, 0])
    assert h.dtype == dtype
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


# --- initializations -----------------------------------------------------------------

def test_he_and_glorot_variances_match_their_formulas():
    # 256 × 784 = 200 704 weights.  The sample variance of n draws has a relative
    # standard deviation of √(2/n) = 0.32 % (normal) and 0.9/√n = 0.2 % (uniform);
    # rtol = 2 % is more than 6 of them, and a wrong formula (1/s_l instead of 2/s_l,
    # or fan-out instead of fan-in) is off by 35 % or more.
    sizes = [784, 256, 10]
    he = nnlib.init_he(sizes, seed=0)[0]
    glorot = nnlib.init_glorot(sizes, seed=0)[0]
    for theta in (he, glorot):
        assert theta.shape == (256, 785) and theta.dtype == np.float32
        assert_array_equal(theta[:, 0], 0)                   # bias column starts at 0
    w_he, w_gl = he[:, 1:].astype(np.float64), glorot[:, 1:].astype(np.float64)
    assert_allclose(w_he.var(), 2 / 784, rtol=0.02)
    assert_allclose(w_gl.var(), 2 / (784 + 256), rtol=0.02)
    assert abs(w_he.mean()) < 5 * np.sqrt(2 / 784 / w_he.size)      # mean 0 within 5 σ
    assert np.abs(w_gl).max() <= np.sqrt(6 / (784 + 256))
    assert np.abs(w_gl).max() > 0.999 * np.sqrt(6 / (784 + 256))


def test_initializations_are_seeded_and_fit_the_activation():
    a = nnlib.init_he([5, 4, 3], seed=7)
    assert all(np.array_equal(s, t) for s, t in zip(a, nnlib.init_he([5, 4, 3], seed=7)))
    assert not np.array_equal(a[0], nnlib.init_he([5, 4, 3], seed=8)[0])
    b = nnlib.init_he([5, 4, 3], seed=7, dtype=np.float64)
    assert b[0].dtype == np.float64
    assert_allclose(a[0], b[0], rtol=1e-7)                  # the same numbers, rounded
    assert_array_equal(nnlib.init_for("relu", [5, 4, 3])[0], nnlib.init_he([5, 4, 3])[0])
    assert_array_equal(nnlib.init_for("tanh", [5, 4, 3])[0], nnlib.init_glorot([5, 4, 3])[0])


# --- gradient checks of the deep network ----------------------------------------------

@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_gradient_of_each_activation(activation):
    sizes = [4, 5, 3]
    thetas, X, y = make_problem(sizes)
    if activation == "relu":     # central differences need every z away from the kink at 0
        assert np.abs(hidden_z(thetas, X, activation)).min() > 1e-3
    assert check(sizes, thetas, X, y, activation) < GRADCHECK_TOL


def test_gradient_of_softmax_regression_without_hidden_layer():
    sizes = [6, 4]
    thetas, X, y = make_problem(sizes)
    assert check(sizes, thetas, X, y, "relu") < GRADCHECK_TOL


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_gradient_with_l2(activation):
    sizes = [4, 5, 3]
    thetas, X, y = make_problem(sizes, seed=1)
    assert check(sizes, thetas, X, y, activation, lam=3.0) < GRADCHECK_TOL
    # the λ term: J grows by λ/(2m) Σ W², bias excluded
    penalty = 3.0 / (2 * X.shape[0]) * sum((t[:, 1:] ** 2).sum() for t in thetas)
    assert_allclose(nnlib.deep_loss(thetas, X, y, activation, lam=3.0),
                    nnlib.deep_loss(thetas, X, y, activation) + penalty, rtol=1e-14)


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_gradient_with_a_fixed_dropout_mask(activation):
    sizes = [4, 6, 5, 3]
    thetas, X, y = make_problem(sizes, seed=2)
    masks = nnlib.dropout_masks(sizes, X.shape[0], rate=0.5, seed=3, dtype=np.float64)
    assert {0.0, 2.0} == set(np.unique(np.concatenate([mk.ravel() for mk in masks])))
    assert check(sizes, thetas, X, y, activation, lam=0.5, masks=masks) < GRADCHECK_TOL


def test_the_remaining_difference_is_truncation_error():
    """Ten times smaller ε, a hundred times smaller difference: the ε² of central differences."""
    sizes = [4, 6, 5, 3]
    thetas, X, y = make_problem(sizes, seed=2)
    masks = nnlib.dropout_masks(sizes, X.shape[0], rate=0.5, seed=3, dtype=np.float64)
    coarse = check(sizes, thetas, X, y, "relu", lam=0.5, masks=masks, eps=1e-4)
    fine = check(sizes, thetas, X, y, "relu", lam=0.5, masks=masks, eps=1e-5)
    assert 1e-9 < coarse < 1e-7
    assert 30 < coarse / fine < 300


def test_gradient_check_catches_a_dropout_bug():
    """Forgetting the mask in the backward pass must fail the check."""
    sizes = [4, 6, 3]
    thetas, X, y = make_problem(sizes, seed=2)
    masks = nnlib.dropout_masks(sizes, X.shape[0], rate=0.5, seed=3, dtype=np.float64)
    numerical = nnlib.numerical_gradient(
        lambda v: nnlib.deep_loss(nnlib.roll(v, sizes), X, y, "tanh", masks=masks),
        nnlib.unroll(thetas), EPS)
    # a buggy backprop: the forward pass drops units, the backward pass does not
    fwd = nnlib.deep_forward(thetas, X, "tanh", masks=masks)
    delta3 = (fwd.h - nnlib.one_hot(y, 3)) / X.shape[0]
    delta2 = delta3 @ thetas[1][:, 1:] * nnlib.tanh_gradient(fwd.z[2])        # mask missing
    buggy = [delta2.T @ fwd.a[1], delta3.T @ fwd.a[2]]
    assert nnlib.relative_difference(numerical, nnlib.unroll(buggy)) > 1e-2
    delta2 = delta2 * masks[0]                                                 # fixed
    fixed = [delta2.T @ fwd.a[1], delta3.T @ fwd.a[2]]
    assert nnlib.relative_difference(numerical, nnlib.unroll(fixed)) < GRADCHECK_TOL


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_gradient_of_a_deep_network(activation):
    sizes = [5, 6, 5, 4, 4, 3]                   # 5 weight matrices, 4 hidden layers
    thetas, X, y = make_problem(sizes, m=7, seed=4)
    if activation == "relu":
        assert np.abs(hidden_z(thetas, X, activation)).min() > 1e-3
    masks = nnlib.dropout_masks(sizes, 7, rate=0.2, seed=5, dtype=np.float64)
    assert check(sizes, thetas, X, y, activation) < GRADCHECK_TOL
    assert check(sizes, thetas, X, y, activation, lam=1.0, masks=masks) < GRADCHECK_TOL


def test_float32_gradient_agrees_with_float64():
    sizes = [784, 32, 16, 10]
    X, y = np.random.default_rng(0).random((64, 784)), np.arange(64) % 10
    thetas = nnlib.init_he(sizes)
    g32 = nnlib.deep_gradient(thetas, X, y, "relu", lam=1.0)
    g64 = nnlib.deep_gradient(thetas, X, y, "relu", lam=1.0, dtype=np.float64)
    assert all(g.dtype == np.float32 for g in g32) and all(g.dtype == np.float64 for g in g64)
    # float32 keeps ~7 digits; sums of a few hundred terms lose one or two
    assert nnlib.relative_difference(nnlib.unroll(g64), nnlib.unroll(g32)) < 1e-5


def test_layer_gradient_norms_and_vanishing_sigmoid_gradients():
    X, y = np.random.default_rng(0).random((100, 20)), np.arange(100) % 4
    sizes = [20, 30, 30, 30, 30, 4]
    thetas = nnlib.init_glorot(sizes, dtype=np.float64)
    norms = nnlib.layer_gradient_norms(thetas, X, y, "sigmoid")
    grads = nnlib.deep_gradient(thetas, X, y, "sigmoid")
    assert_allclose(norms, [np.sqrt((g ** 2).sum()) for g in grads], rtol=1e-12)
    # g' <= 1/4 shrinks δ at every sigmoid layer: the first layer learns slowest
    assert np.all(np.diff(norms[:-1]) > 0) and norms[0] < norms[-2] / 10


# --- forward pass, prediction, dtypes ------------------------------------------------------

def test_forward_shapes_and_softmax_output():
    sizes = [6, 5, 4, 3]
    thetas, X, _ = make_problem(sizes, m=8)
    fwd = nnlib.deep_forward(thetas, X, "tanh")
    assert [a.shape for a in fwd.a[1:]] == [(8, 7), (8, 6), (8, 5), (8, 3)]
    assert [z.shape for z in fwd.z[2:]] == [(8, 5), (8, 4), (8, 3)]
    assert_array_equal(fwd.a[2][:, 0], 1)
    assert_allclose(fwd.a[2][:, 1:], np.tanh(fwd.z[2]), rtol=1e-15)
    assert_allclose(fwd.h, nnlib.softmax(fwd.z[4]), rtol=1e-15)
    # z(l+1) = [1, a(l)] Θ(l)ᵀ, the first part's formula
    for l in (1, 2, 3):
        assert_allclose(fwd.z[l + 1], fwd.a[l] @ thetas[l - 1].T, rtol=1e-12)
    assert_array_equal(nnlib.deep_predict(thetas, X, "tanh"), np.argmax(fwd.h, axis=1))


def test_float32_by_default_and_float64_on_request():
    X, y = np.random.default_rng(0).random((20, 6)), np.arange(20) % 3
    thetas = nnlib.init_he([6, 5, 3])
    assert all(t.dtype == np.float32 for t in thetas)
    fwd = nnlib.deep_forward(thetas, X, "relu")
    assert all(arr.dtype == np.float32 for arr in fwd.a[1:] + fwd.z[2:])
    assert nnlib.softmax(np.zeros((2, 3), dtype=np.float32)).dtype == np.float32
    result = nnlib.train_sgd(X, y, [6, 5, 3], epochs=1)
    assert all(t.dtype == np.float32 for t in result.thetas)
    result = nnlib.train_sgd(X, y, [6, 5, 3], epochs=1, dtype=np.float64)
    assert all(t.dtype == np.float64 for t in result.thetas)
    assert nnlib.deep_forward(thetas, X, "relu", dtype=np.float64).h.dtype == np.float64


# --- dropout ---------------------------------------------------------------------------

def test_inverted_dropout_keeps_the_expected_activation():
    masks = nnlib.dropout_masks([10, 500, 400, 3], m=2000, rate=0.3, seed=0)
    assert [mk.shape for mk in masks] == [(2000, 500), (2000, 400)]
    entries = np.concatenate([mk.ravel() for mk in masks]).astype(np.float64)
    assert set(np.unique(entries)) == {0.0, np.float32(1 / 0.7)}
    # 1.8 million entries of variance 1/q - 1 = 0.43: the mean is 1 within 0.0005 (1 σ);
    # 0.003 is 6 σ.  A mask without the 1/q factor would have mean 0.7.
    assert abs(entries.mean() - 1) < 0.003
    assert abs(np.mean(entries == 0) - 0.3) < 0.003      # σ = 0.00034


def test_dropout_is_off_at_test_time():
    rng = np.random.default_rng(0)
    X, y = rng.random((60, 8)), np.arange(60) % 3
    result = nnlib.train_sgd(X, y, [8, 16, 3], epochs=3, dropout=0.5, X_val=X[:20], y_val=y[:20])
    # validation and prediction use the network as it is: deterministic, no masks
    assert_allclose(result.history.val_loss[-1], nnlib.deep_loss(result.thetas, X[:20], y[:20],
                                                                 "relu"), rtol=1e-6)
    fwd = nnlib.deep_forward(result.thetas, X, "relu")
    assert_array_equal(result.predict(X), np.argmax(fwd.h, axis=1))
    assert_array_equal(result.predict(X), result.predict(X))


# --- schedules ---------------------------------------------------------------------------

def test_each_schedule_follows_its_formula():
    lr = 0.1
    t = np.array([0, 1, 5, 9, 10, 25])
    cases = [
        (nnlib.constant_rate(), lr * np.ones(6)),
        (nnlib.step_decay(factor=0.5, every=10), lr * 0.5 ** np.array([0, 0, 0, 0, 1, 2])),
        (nnlib.exponential_decay(rate=0.9), lr * 0.9 ** t),
        (nnlib.time_decay(decay=0.2), lr / (1 + 0.2 * t)),
        (nnlib.cosine_decay(epochs=20, min_lr=0.001),
         0.001 + (lr - 0.001) * (1 + np.cos(np.pi * np.minimum(t, 20) / 20)) / 2),
    ]
    for schedule, expected in cases:
        assert_allclose([schedule(int(k), lr) for k in t], expected, rtol=1e-14,
                        err_msg=schedule.__name__)
    cosine = nnlib.cosine_decay(epochs=20, min_lr=0.001)
    assert cosine(0, lr) == lr
    assert cosine(20, lr) == pytest.approx(0.001) and cosine(30, lr) == pytest.approx(0.001)
    assert cosine(10, lr) == pytest.approx((lr + 0.001) / 2)


def test_training_uses_the_schedule_once_per_epoch():
    X, y = np.random.default_rng(0).random((30, 4)), np.arange(30) % 2
    result = nnlib.train_sgd(X, y, [4, 2], epochs=4, lr=0.5, schedule=nnlib.time_decay(1.0))
    assert_allclose(result.history.lr, [0.5, 0.25, 0.5 / 3, 0.125], rtol=1e-15)


# --- SGD ---------------------------------------------------------------------------------

def test_momentum_update_hand_computed():
    # Θ0 = 1; D = 0.5 then 0.3; η = 0.1, μ = 0.9
    # step 1: v = -0.05,                  Θ = 0.95
    # step 2: v = 0.9·(-0.05) - 0.03 = -0.075, Θ = 0.875
    theta, v = [np.array([1.0])], [np.array([0.0])]
    _momentum_step(theta, [np.array([0.5])], v, 0.1, 0.9, nesterov=False)
    assert_allclose([theta[0][0], v[0][0]], [0.95, -0.05], rtol=1e-15)
    _momentum_step(theta, [np.array([0.3])], v, 0.1, 0.9, nesterov=False)
    assert_allclose([theta[0][0], v[0][0]], [0.875, -0.075], rtol=1e-15)
    # Nesterov: Θ ← Θ + μ v - η D with the new v
    # step 1: v = -0.05, Θ = 1 - 0.045 - 0.05 = 0.905
    # step 2: v = -0.075, Θ = 0.905 - 0.0675 - 0.03 = 0.8075
    theta, v = [np.array([1.0])], [np.array([0.0])]
    _momentum_step(theta, [np.array([0.5])], v, 0.1, 0.9, nesterov=True)
    assert_allclose(theta[0][0], 0.905, rtol=1e-15)
    _momentum_step(theta, [np.array([0.3])], v, 0.1, 0.9, nesterov=True)
    assert_allclose(theta[0][0], 0.8075, rtol=1e-15)


@pytest.mark.parametrize("nesterov", [False, True])
def test_train_sgd_takes_momentum_steps_on_the_gradient(nesterov):
    """Two full-batch epochs = two momentum steps with deep_gradient, written out."""
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(10, 3)), np.arange(10) % 3
    sizes, lr, mu, lam = [3, 4, 3], 0.3, 0.8, 0.5
    start = nnlib.init_he(sizes, dtype=np.float64)
    result = nnlib.train_sgd(X, y, sizes, "tanh", epochs=2, batch_size=10, lr=lr, momentum=mu,
                             nesterov=nesterov, lam=lam, initial_thetas=start, dtype=np.float64)
    thetas, v = [t.copy() for t in start], [np.zeros_like(t) for t in start]
    for _ in range(2):
        D = nnlib.deep_gradient(thetas, X, y, "tanh", lam=lam)
        v = [mu * vl - lr * Dl for vl, Dl in zip(v, D)]
        thetas = [t + mu * vl - lr * Dl if nesterov else t + vl for t, vl, Dl in zip(thetas, v, D)]
    for ours, expected in zip(result.thetas, thetas):
        assert_allclose(ours, expected, rtol=1e-12, atol=1e-14)
    assert_array_equal(start[0], nnlib.init_he(sizes, dtype=np.float64)[0])   # not changed


def test_sgd_separates_a_separable_problem():
    rng = np.random.default_rng(0)
    centres = np.array([[0.0, 4.0], [4.0, -3.0], [-4.0, -3.0]])
    y = np.repeat(np.arange(3), 40)
    X = centres[y] + rng.normal(size=(120, 2))          # clusters 5 σ apart
    for sizes, activation in (([2, 8, 3], "relu"), ([2, 8, 8, 3], "tanh"), ([2, 3], "relu")):
        result = nnlib.train_sgd(X, y, sizes, activation, epochs=30, batch_size=16, lr=0.05)
        assert result.accuracy(X, y) == 1.0, (sizes, activation)
        assert result.history.loss[-1] < result.history.loss[0] / 5


def test_same_seed_same_history_and_weights():
    rng = np.random.default_rng(0)
    X, y = rng.random((90, 10)), np.arange(90) % 3
    kwargs = dict(epochs=3, batch_size=16, dropout=0.2, X_val=X[:30], y_val=y[:30])
    a = nnlib.train_sgd(X, y, [10, 12, 3], seed=5, **kwargs)
    b = nnlib.train_sgd(X, y, [10, 12, 3], seed=5, **kwargs)
    c = nnlib.train_sgd(X, y, [10, 12, 3], seed=6, **kwargs)
    for key in ("loss", "accuracy", "val_loss", "val_accuracy", "grad_norm"):
        assert_array_equal(getattr(a.history, key), getattr(b.history, key))
    assert_array_equal(nnlib.unroll(a.thetas), nnlib.unroll(b.thetas))
    assert not np.array_equal(a.history.loss, c.history.loss)


def test_early_stopping_restores_the_best_epoch():
    # random labels: the net memorizes the 40 training examples and the validation
    # loss soon rises, so training stops early
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(80, 10)), rng.integers(0, 3, size=80)
    result = nnlib.train_sgd(X[:40], y[:40], [10, 64, 3], epochs=200, batch_size=8, lr=0.05,
                             X_val=X[40:], y_val=y[40:], patience=3)
    h = result.history
    assert result.stopped_early and len(h.epoch) < 200
    assert result.best_epoch == int(np.argmin(h.val_loss)) + 1
    assert len(h.epoch) == result.best_epoch + 3                   # patience epochs after the best
    assert_allclose(nnlib.deep_loss(result.thetas, X[40:], y[40:], "relu"),
                    h.val_loss[result.best_epoch - 1], rtol=1e-6)
    assert h.val_loss[-1] > h.val_loss[result.best_epoch - 1]


def test_history_has_one_entry_per_epoch_and_eval_train_matches():
    rng = np.random.default_rng(0)
    X, y = rng.random((50, 6)), np.arange(50) % 2
    result = nnlib.train_sgd(X, y, [6, 7, 5, 2], "sigmoid", epochs=4, eval_train=True)
    h = result.history
    assert_array_equal(h.epoch, [1, 2, 3, 4])
    for key in ("lr", "loss", "accuracy", "train_loss", "train_accuracy", "seconds"):
        assert getattr(h, key).shape == (4,)
    assert h.grad_norm.shape == (4, 3) and h.val_loss is None
    assert_allclose(h.train_loss[-1], result.loss(X, y), rtol=1e-6)
    assert h.train_accuracy[-1] == result.accuracy(X, y)


def test_progress_bar_advances_once_per_epoch(capsys):
    X, y = np.random.default_rng(0).random((20, 3)), np.arange(20) % 2
    nnlib.train_sgd(X, y, [3, 2], epochs=3, progress=True, X_val=X, y_val=y)
    err = capsys.readouterr().err
    assert "3/3" in err and "val_loss" in err


def test_divergence_stops_training_with_a_message():
    X, y = np.random.default_rng(0).normal(size=(40, 5)) * 100, np.arange(40) % 2
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = nnlib.train_sgd(X, y, [5, 50, 50, 2], epochs=20, lr=1e8)
    assert result.diverged and "NaN or infinite" in result.message
    assert all(np.all(np.isfinite(t)) for t in result.thetas)


# --- bad arguments ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def tiny():
    X = np.random.default_rng(0).random((12, 4))
    return X, np.arange(12) % 3


@pytest.mark.parametrize("kwargs, message", [
    ({"activation": "softplus"},
     r"activation must be one of \('sigmoid', 'tanh', 'relu'\); got str 'softplus'"),
    ({"epochs": 0}, "epochs must be an integer >= 1; got int 0"),
    ({"batch_size": 2.5}, "batch_size must be an integer >= 1"),
    ({"lr": 0.0}, "lr must be > 0; got 0"),
    ({"lr": -1.0}, "lr must be a finite number >= 0; got -1"),
    ({"momentum": 1.0}, r"momentum must be a number in \[0, 1\); got 1.0"),
    ({"nesterov": "yes"}, "nesterov must be True or False"),
    ({"schedule": 0.5}, "schedule must be None or a function"),
    ({"schedule": lambda t, lr: -lr}, "schedule must give a finite learning rate > 0"),
    ({"lam": -1.0}, "lam must be a finite number >= 0; got -1"),
    ({"dropout": 1.0}, r"dropout must be a number in \[0, 1\); got 1.0"),
    ({"patience": 2}, "patience .* needs a validation set"),
    ({"patience": 0, "X_val": np.zeros((2, 4)), "y_val": [0, 1]},
     "patience must be an integer >= 1"),
    ({"X_val": np.zeros((2, 4))}, "X_val and y_val must be given together"),
    ({"X_val": np.zeros((2, 5)), "y_val": [0, 1]}, "X_val has 5 columns; the network expects 4"),
    ({"X_val": np.zeros((2, 4)), "y_val": [0, 3]}, "y_val must hold labels 0..2"),
    ({"seed": -1}, "seed must be an integer >= 0"),
    ({"dtype": np.int32}, "dtype must be np.float32 or np.float64"),
    ({"dtype": np.float16}, "dtype must be np.float32 or np.float64"),
    ({"initial_thetas": nnlib.init_he([4, 6, 3])}, "initial_thetas have shapes"),
    ({"threads": 0}, "threads must be an integer >= 1"),
    ({"eval_train": "no"}, "eval_train must be True or False"),
    ({"progress": 1}, "progress must be True or False"),
])
def test_train_sgd_bad_arguments(tiny, kwargs, message):
    X, y = tiny
    with pytest.raises(ValueError, match=message):
        nnlib.train_sgd(X, y, [4, 5, 3], **kwargs)


def test_train_sgd_bad_data(tiny):
    X, y = tiny
    with pytest.raises(ValueError, match="X has 4 columns; the network expects 5"):
        nnlib.train_sgd(X, y, [5, 5, 3])
    with pytest.raises(ValueError, match="y must hold labels 0..1 .* found 2"):
        nnlib.train_sgd(X, y, [4, 5, 2])
    with pytest.raises(ValueError, match="layer_sizes needs at least 2 layers"):
        nnlib.train_sgd(X, y, [4])


def test_deep_functions_bad_arguments(tiny):
    X, y = tiny
    thetas = nnlib.init_he([4, 5, 3])
    with pytest.raises(ValueError, match="activation must be one of"):
        nnlib.deep_loss(thetas, X, y, "Relu")
    with pytest.raises(ValueError, match=r"masks must hold 1 masks, one per hidden layer"):
        nnlib.deep_gradient(thetas, X, y, "relu", masks=[np.ones((12, 5))] * 2)
    with pytest.raises(ValueError, match=r"masks\[0\] \(layer 2\) must have shape \(12, 5\)"):
        nnlib.deep_gradient(thetas, X, y, "relu", masks=[np.ones((12, 4))])
    with pytest.raises(ValueError, match="lam must be"):
        nnlib.deep_loss_and_gradient(thetas, X, y, "relu", lam=np.nan)
    with pytest.raises(ValueError, match="X has 3 columns; the network expects 4"):
        nnlib.deep_predict(thetas, X[:, :3], "relu")
    with pytest.raises(ValueError, match=r"thetas\[1\] \(Θ\(2\)\) has 5 columns; it must have 6"):
        nnlib.deep_forward([thetas[0], thetas[1][:, 1:]], X, "relu")


def test_other_bad_arguments():
    with pytest.raises(ValueError, match="z must contain only finite numbers"):
        nnlib.softmax([[0.0, np.nan]])
    with pytest.raises(ValueError, match="z must contain only finite numbers"):
        nnlib.relu([np.inf])
    with pytest.raises(ValueError, match=r"y must hold labels 0..2 .* found 3"):
        nnlib.cross_entropy(np.zeros((2, 3)), [0, 3])
    with pytest.raises(ValueError, match=r"rate must be a number in \[0, 1\); got 1.0"):
        nnlib.dropout_masks([4, 5, 3], 10, rate=1.0)
    with pytest.raises(ValueError, match="m must be an integer >= 1"):
        nnlib.dropout_masks([4, 5, 3], 0, rate=0.5)
    with pytest.raises(ValueError, match="seed must be an integer >= 0"):
        nnlib.init_he([4, 3], seed=1.5)
    with pytest.raises(ValueError, match="dtype must be np.float32 or np.float64"):
        nnlib.init_glorot([4, 3], dtype="int8")
    with pytest.raises(ValueError, match="activation must be one of"):
        nnlib.init_for("elu", [4, 3])
    with pytest.raises(ValueError, match="factor must be > 0"):
        nnlib.step_decay(factor=0.0)
    with pytest.raises(ValueError, match="every must be an integer >= 1"):
        nnlib.step_decay(every=0)
    with pytest.raises(ValueError, match=r"rate must be a number in \[0, 1\]; got 1.5"):
        nnlib.exponential_decay(rate=1.5)
    with pytest.raises(ValueError, match="decay must be a finite number >= 0"):
        nnlib.time_decay(decay=-0.1)
    with pytest.raises(ValueError, match="epochs must be an integer >= 1"):
        nnlib.cosine_decay(epochs=0)
