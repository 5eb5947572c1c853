"""nnlib.sgd: minibatch SGD with momentum, L2, dropout, schedules and early stopping."""
import warnings

import numpy as np
import pytest
from helpers import loop_cost, loop_gradient
from numpy.testing import assert_allclose, assert_array_equal

import nnlib
from nnlib.sgd import _momentum_step


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
    """Two full-batch epochs = two momentum steps on the per-example loop's gradient."""
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(10, 3)), np.arange(10) % 3
    sizes, lr, mu, lam = [3, 4, 3], 0.3, 0.8, 0.5
    start = nnlib.init_he(sizes)
    result = nnlib.train_sgd(X, y, sizes, "tanh", epochs=2, batch_size=10, lr=lr, momentum=mu,
                             nesterov=nesterov, lam=lam, initial_thetas=start)
    thetas, v = [t.copy() for t in start], [np.zeros_like(t) for t in start]
    for _ in range(2):
        D = loop_gradient(thetas, X, y, lam, "tanh", "softmax")
        v = [mu * vl - lr * Dl for vl, Dl in zip(v, D)]
        thetas = [t + mu * vl - lr * Dl if nesterov else t + vl for t, vl, Dl in zip(thetas, v, D)]
    for ours, expected in zip(result.thetas, thetas):
        assert_allclose(ours, expected, rtol=1e-12, atol=1e-14)
    assert_array_equal(start[0], nnlib.init_he(sizes)[0])   # not changed


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
    assert_allclose(loop_cost(result.thetas, X[40:], y[40:], 0.0, "relu", "softmax"),
                    h.val_loss[result.best_epoch - 1], rtol=1e-10)
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
    assert_allclose(h.train_loss[-1], loop_cost(result.thetas, X, y, 0.0, "sigmoid", "softmax"),
                    rtol=1e-10)
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
        results = [nnlib.train_sgd(X, y, [5, 50, 50, 2], epochs=20, lr=1e200),
                   nnlib.train_sgd(X, y, [5, 50, 50, 2], epochs=20, lr=1e8, dtype=np.float32)]
    for result in results:
        assert result.diverged and "NaN or infinite" in result.message
        assert all(np.all(np.isfinite(t)) for t in result.thetas)


# --- bad arguments ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def tiny():
    X = np.random.default_rng(0).random((12, 4))
    return X, np.arange(12) % 3


def test_dropout_is_off_at_test_time():
    rng = np.random.default_rng(0)
    X, y = rng.random((60, 8)), np.arange(60) % 3
    result = nnlib.train_sgd(X, y, [8, 16, 3], epochs=3, dropout=0.5, X_val=X[:20], y_val=y[:20])
    # validation and prediction use the network as it is: no masks
    assert_allclose(result.history.val_loss[-1],
                    loop_cost(result.thetas, X[:20], y[:20], 0.0, "relu", "softmax"), rtol=1e-10)
    fwd = nnlib.forward(result.thetas, X, "relu", "softmax")
    assert_array_equal(result.predict(X), np.argmax(fwd.h, axis=1))


def test_the_lab_network_trains_with_sgd_too():
    """activation="sigmoid", output="sigmoid": chapter 5's network and cost, trained by SGD."""
    rng = np.random.default_rng(1)
    X, y = rng.normal(size=(12, 3)), np.arange(12) % 2
    start = nnlib.init_weights([3, 4, 2], seed=0)
    result = nnlib.train_sgd(X, y, [3, 4, 2], "sigmoid", epochs=1, batch_size=12, lr=0.5,
                             momentum=0.0, lam=1.0, initial_thetas=start, output="sigmoid")
    D = loop_gradient(start, X, y, 1.0, "sigmoid", "sigmoid")
    for ours, t, Dl in zip(result.thetas, start, D):
        assert_allclose(ours, t - 0.5 * Dl, rtol=1e-12, atol=1e-15)
    assert_allclose(result.history.loss[0], loop_cost(start, X, y), rtol=1e-12)


def test_minibatch_weight_decay_uses_m_not_b():
    """With λ > 0 and batches of b < m, each step's λ term is (λ/m) Θ, as in J's gradient."""
    rng = np.random.default_rng(2)
    X, y = rng.normal(size=(8, 3)), np.arange(8) % 2
    start = nnlib.init_he([3, 2])
    run = nnlib.train_sgd(X, y, [3, 2], epochs=1, batch_size=8, lr=0.1, momentum=0.0, lam=4.0,
                          initial_thetas=start)
    expected = start[0] - 0.1 * loop_gradient(start, X, y, 4.0, "relu", "softmax")[0]
    assert_allclose(run.thetas[0], expected, rtol=1e-12)
    halves = nnlib.train_sgd(X, y, [3, 2], epochs=1, batch_size=4, lr=0.1, momentum=0.0,
                             lam=4.0, initial_thetas=start)
    order = np.random.default_rng([0, 1]).permutation(8)          # the trainer's shuffle
    theta = start[0]
    for batch in (order[:4], order[4:]):
        D = loop_gradient([theta], X[batch], y[batch], 0.0, "relu", "softmax")[0]
        D[:, 1:] += 4.0 / 8 * theta[:, 1:]                         # λ/m with m = 8, not b = 4
        theta = theta - 0.1 * D
    assert_allclose(halves.thetas[0], theta, rtol=1e-12)




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
    ({"output": "tanh"}, r"output must be one of \('sigmoid', 'softmax'\)"),
    ({"X_val": np.full((2, 4), 1e39), "y_val": [0, 1], "dtype": np.float32},
     "X_val holds 1e\\+39 at index \\(0, 0\\), too large for float32"),
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
