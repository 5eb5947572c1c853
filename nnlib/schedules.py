"""Learning-rate schedules: how the step size η changes from epoch to epoch.

A large η makes fast progress early but keeps jumping around a minimum; a small
η settles but crawls.  A schedule starts large and shrinks.  Each function below
returns a schedule: a function ``schedule(t, lr)`` giving the learning rate of
epoch t = 0, 1, 2, ... when training started with ``lr``.  :func:`nnlib.train_sgd`
calls it once per epoch (the rate is constant within an epoch) and records the
rates in ``history.lr``.

========================  ==================================================
``constant_rate()``       η_t = η_0
``step_decay(f, k)``      η_t = η_0 · f^⌊t / k⌋ (multiply by f every k epochs)
``exponential_decay(r)``  η_t = η_0 · r^t
``time_decay(d)``         η_t = η_0 / (1 + d·t)
``cosine_decay(T)``       η_t = η_min + (η_0 - η_min) · (1 + cos(π t / T)) / 2
========================  ==================================================

Keras's old ``SGD(decay=d)`` (used by the source lab with d = lr/epochs) is
``time_decay`` with t counting minibatch steps instead of epochs; with n steps per
epoch, ``time_decay(d * n)`` follows the same curve, one value per epoch.
"""
import math

from . import _validate


def _named(schedule, text):
    schedule.__name__ = schedule.__qualname__ = text
    return schedule


def constant_rate():
    """The same learning rate in every epoch: η_t = η_0.

    Returns
    -------
    schedule : function (t, lr) -> float
    """
    return _named(lambda t, lr: lr, "constant_rate()")


def step_decay(factor=0.5, every=10):
    """Multiply the rate by ``factor`` every ``every`` epochs: η_t = η_0 · factor^⌊t/every⌋.

    Parameters
    ----------
    factor : float in (0, 1], default 0.5
    every : int >= 1, default 10

    Returns
    -------
    schedule : function (t, lr) -> float
    """
    factor = _validate.fraction(factor, "factor", closed=True)
    if factor == 0:
        raise ValueError("factor must be > 0 (0 would stop learning after the first step); got 0")
    every = _validate.positive_int(every, "every")
    return _named(lambda t, lr: lr * factor ** (t // every),
                  f"step_decay(factor={factor:g}, every={every})")


def exponential_decay(rate=0.95):
    """Shrink the rate by the same factor every epoch: η_t = η_0 · rate^t.

    Parameters
    ----------
    rate : float in (0, 1], default 0.95

    Returns
    -------
    schedule : function (t, lr) -> float
    """
    rate = _validate.fraction(rate, "rate", closed=True)
    if rate == 0:
        raise ValueError("rate must be > 0; got 0")
    return _named(lambda t, lr: lr * rate ** t, f"exponential_decay(rate={rate:g})")


def time_decay(decay):
    """Time-based decay: η_t = η_0 / (1 + decay · t).

    Parameters
    ----------
    decay : float >= 0
        0 keeps the rate constant.  (Keras's old per-step ``decay`` d, with n
        minibatches per epoch, corresponds to ``decay = d * n`` here.)

    Returns
    -------
    schedule : function (t, lr) -> float
    """
    decay = _validate.nonnegative(decay, "decay")
    return _named(lambda t, lr: lr / (1 + decay * t), f"time_decay(decay={decay:g})")


def cosine_decay(epochs, min_lr=0.0):
    """Half a cosine from η_0 down to ``min_lr`` over ``epochs`` epochs, then flat.

    η_t = min_lr + (η_0 - min_lr) · (1 + cos(π t / epochs)) / 2 for t <= epochs.

    Parameters
    ----------
    epochs : int >= 1
        Epoch T at which the rate reaches ``min_lr`` (usually the training length).
    min_lr : float >= 0, default 0

    Returns
    -------
    schedule : function (t, lr) -> float
    """
    epochs = _validate.positive_int(epochs, "epochs")
    min_lr = _validate.nonnegative(min_lr, "min_lr")

    def schedule(t, lr):
        t = min(t, epochs)
        return min_lr + (lr - min_lr) * (1 + math.cos(math.pi * t / epochs)) / 2

    return _named(schedule, f"cosine_decay(epochs={epochs}, min_lr={min_lr:g})")
