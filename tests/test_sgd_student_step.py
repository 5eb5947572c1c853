"""nnlib.train_sgd(step=...): training with a student's own momentum update (chapter 10).

The step is called once per layer and minibatch; a right one must give the very
run nnlib's own update gives, a wrong one a different run, and a step that returns
the wrong thing a ValueError that says what is off.
"""
import numpy as np
import pytest
from numpy.testing import assert_array_equal

import nnlib
from nnlib.checks import deeper


@pytest.fixture
def problem():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(60, 6))
    y = rng.integers(0, 3, size=60)
    return X, y, [6, 5, 4, 3]


def student_step(theta, v, D, lr, momentum):
    v_new = momentum * v - lr * D
    return theta + v_new, v_new


def train(problem, **kwargs):
    X, y, sizes = problem
    settings = dict(epochs=3, batch_size=16, lr=0.05, momentum=0.9, lam=0.5, dropout=0.2,
                    X_val=X[:20], y_val=y[:20], eval_train=True)
    return nnlib.train_sgd(X, y, sizes, **{**settings, **kwargs})


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("step", [student_step, deeper._momentum_step], ids=["student", "fallback"])
def test_a_right_step_gives_the_very_run_of_nnlibs_update(problem, step, dtype):
    ours, theirs = train(problem, dtype=dtype), train(problem, dtype=dtype, step=step)
    for a, b in zip(ours.thetas, theirs.thetas):
        assert_array_equal(a, b)
    for key in ("loss", "val_loss", "train_loss", "grad_norm", "lr"):
        assert_array_equal(getattr(ours.history, key), getattr(theirs.history, key))


def test_the_step_gets_each_layer_with_its_velocity_learning_rate_and_momentum(problem):
    seen = []

    def recording(theta, v, D, lr, momentum):
        seen.append((theta.shape, v.shape, D.shape, lr, momentum))
        return student_step(theta, v, D, lr, momentum)

    train(problem, epochs=2, schedule=nnlib.step_decay(0.5, 1), momentum=0.8, step=recording)
    shapes = [s for s in nnlib.shapes(problem[2])]
    steps_per_epoch = 60 // 16 + 1
    assert len(seen) == 2 * steps_per_epoch * len(shapes)
    assert [s[0] for s in seen[:3]] == shapes and all(s[0] == s[1] == s[2] for s in seen)
    assert {s[3] for s in seen[:3 * steps_per_epoch]} == {0.05}
    assert {s[3] for s in seen[3 * steps_per_epoch:]} == {0.025}
    assert {s[4] for s in seen} == {0.8}


def test_a_wrong_step_trains_differently(problem):
    def plain_sgd(theta, v, D, lr, momentum):
        return theta - lr * D, v

    ours, theirs = train(problem), train(problem, step=plain_sgd)
    assert not np.allclose(ours.thetas[0], theirs.thetas[0])
    assert_array_equal(ours.history.lr, theirs.history.lr)


def test_a_step_that_works_in_place_or_changes_D_is_fine(problem):
    def in_place(theta, v, D, lr, momentum):
        D *= lr                       # changes the gradient it was given
        v *= momentum
        v -= D
        theta += v
        return theta, v

    ours, theirs = train(problem), train(problem, step=in_place)
    for a, b in zip(ours.thetas, theirs.thetas):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-15)
    # the recorded gradient norms are those of D before the step
    np.testing.assert_allclose(ours.history.grad_norm, theirs.history.grad_norm, rtol=1e-12)


def test_the_default_path_is_nnlibs_own_update(problem, monkeypatch):
    calls = []
    original = nnlib.sgd._momentum_step

    def counting(*args):
        calls.append(1)
        return original(*args)

    monkeypatch.setattr(nnlib.sgd, "_momentum_step", counting)
    train(problem, epochs=1)
    assert len(calls) == 4            # one per minibatch, all layers at once


@pytest.mark.parametrize("step, message", [
    (np.zeros(3), r"step must be None or a function step\(theta, v, D, lr, momentum\)"),
    (lambda theta, v, D, lr, momentum: None, r"return a pair \(theta_new, v_new\).*`return` missing"),
    (lambda theta, v, D, lr, momentum: theta + v, r"return a pair .* an array of shape \(5, 7\)"),
    (lambda theta, v, D, lr, momentum: (theta, v, D), "return a pair"),
    (lambda theta, v, D, lr, momentum: (theta.T, v), r"theta_new of shape \(7, 5\) for Θ\(1\)"),
    (lambda theta, v, D, lr, momentum: (theta, v[:, 1:]), r"v_new of shape \(5, 6\) for Θ\(1\)"),
    (lambda theta, v, D, lr, momentum: (theta, "fast"), "arrays of numbers; .* its v_new is str"),
    (lambda theta, v, D, lr, momentum: (theta / v, v), "NaN or inf in theta_new for Θ.* first step"),
])
def test_a_step_that_returns_the_wrong_thing_is_a_clear_value_error(problem, step, message):
    with np.errstate(all="ignore"), pytest.raises(ValueError, match=message):
        train(problem, step=step)


def test_step_and_nesterov_cannot_be_combined(problem):
    with pytest.raises(ValueError, match="step and nesterov=True cannot be combined"):
        train(problem, step=student_step, nesterov=True)


def test_an_error_in_the_step_keeps_its_type_with_a_note(problem):
    def broken(theta, v, D, lr, momentum):
        raise ZeroDivisionError("oops")

    with pytest.raises(ZeroDivisionError, match="oops") as info:
        train(problem, step=broken)
    assert "raised by your step, called by train_sgd for Θ(1)" in " ".join(info.value.__notes__)


def test_a_step_that_diverges_later_is_reported_like_nnlibs(problem):
    def explodes(theta, v, D, lr, momentum):
        return theta * 1e200, v

    with np.errstate(all="ignore"):
        result = train(problem, epochs=3, step=explodes)
    assert result.diverged and "NaN or infinite" in result.message
    assert all(np.all(np.isfinite(t)) for t in result.thetas)
