"""nnlib.schedules: learning rates that change from epoch to epoch."""
import numpy as np
import pytest
from numpy.testing import assert_allclose

import nnlib


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


def test_schedules_say_what_they_are():
    assert nnlib.step_decay(0.5, 10).__name__ == "step_decay(factor=0.5, every=10)"
    assert nnlib.time_decay(0.2).__name__ == "time_decay(decay=0.2)"


def test_training_uses_the_schedule_once_per_epoch():
    X, y = np.random.default_rng(0).random((30, 4)), np.arange(30) % 2
    result = nnlib.train_sgd(X, y, [4, 2], epochs=4, lr=0.5, schedule=nnlib.time_decay(1.0))
    assert_allclose(result.history.lr, [0.5, 0.25, 0.5 / 3, 0.125], rtol=1e-15)


@pytest.mark.parametrize("call, message", [
    (lambda: nnlib.step_decay(factor=0.0), "factor must be > 0"),
    (lambda: nnlib.step_decay(every=0), "every must be an integer >= 1"),
    (lambda: nnlib.exponential_decay(rate=1.5), r"rate must be a number in \[0, 1\]; got 1.5"),
    (lambda: nnlib.exponential_decay(rate=0.0), "rate must be > 0"),
    (lambda: nnlib.time_decay(decay=-0.1), "decay must be a finite number >= 0"),
    (lambda: nnlib.cosine_decay(epochs=0), "epochs must be an integer >= 1"),
    (lambda: nnlib.cosine_decay(epochs=5, min_lr=-1.0), "min_lr must be a finite number >= 0"),
])
def test_bad_arguments(call, message):
    with pytest.raises(ValueError, match=message):
        call()
