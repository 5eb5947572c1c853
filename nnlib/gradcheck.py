"""Gradient checking: compare backpropagation with central differences.

(J(θ + ε eᵢ) - J(θ - ε eᵢ)) / (2ε) approximates ∂J/∂θᵢ with an error of order ε².
Each parameter costs two cost evaluations, so the full check runs on the lab's small
debug network (3 inputs, 5 hidden units, 3 classes, 5 examples).
"""
import numpy as np

from . import _validate
from .backprop import gradient as _nnlib_gradient
from .network import cost as _nnlib_cost
from .parameters import roll, unroll


def numerical_gradient(f, theta, eps=1e-4):
    """Central-difference estimate of the gradient of ``f`` at ``theta``.

    Parameters
    ----------
    f : callable
        ``f(theta) -> float`` for a vector ``theta``.
    theta : array of shape (n,)
    eps : float > 0, default 1e-4
        Step ε.

    Returns
    -------
    array of shape (n,)
        Entry i is (f(θ + ε eᵢ) - f(θ - ε eᵢ)) / (2ε); 2n calls of ``f`` in all.
    """
    if not callable(f):
        raise ValueError(f"f must be a function of a parameter vector; got {type(f).__name__}")
    theta = _validate.finite_array(theta, "theta", ndim=1).copy()
    eps = _validate.nonnegative(eps, "eps")
    if eps == 0:
        raise ValueError("eps must be > 0; got 0")
    grad = np.empty_like(theta)
    for i in range(theta.size):
        old = theta[i]
        theta[i] = old + eps
        f_plus = f(theta)
        theta[i] = old - eps
        f_minus = f(theta)
        theta[i] = old
        grad[i] = (f_plus - f_minus) / (2 * eps)
    return grad


def relative_difference(numerical, analytical):
    """‖numerical − analytical‖ / ‖numerical + analytical‖: below 1e-9 when backprop is right.

    Parameters
    ----------
    numerical, analytical : arrays of the same shape

    Returns
    -------
    float
    """
    numerical = _validate.finite_array(numerical, "numerical")
    analytical = _validate.finite_array(analytical, "analytical")
    if numerical.shape != analytical.shape:
        raise ValueError(f"numerical has shape {numerical.shape}; analytical must match, "
                         f"got {analytical.shape}")
    denominator = np.linalg.norm(numerical + analytical)
    if denominator == 0:
        return 0.0 if not np.any(numerical) else float("inf")
    return float(np.linalg.norm(numerical - analytical) / denominator)


def _sin_weights(rows, cols):
    """The lab's deterministic 'random' matrix: sin(1), sin(2), ... / 10, row by row."""
    return np.sin(np.arange(1, rows * cols + 1)).reshape(rows, cols) / 10


def debug_network():
    """The lab's small network for gradient checking: 3-5-3 and 5 examples.

    Weights and inputs come from sin(index)/10, so they are the same on every
    machine; the labels are i mod 3 for i = 1..5.

    Returns
    -------
    thetas : list of 2 arrays, shapes (5, 4) and (3, 6)
    X : array of shape (5, 3)
    y : int array of shape (5,), values in 0..2
    """
    thetas = [_sin_weights(5, 4), _sin_weights(3, 6)]
    X = _sin_weights(5, 3)
    y = np.arange(1, 6) % 3
    return thetas, X, y


def check_gradients(lam=0.0, gradient=None, cost=None, eps=1e-4):
    """Compare a backprop gradient with central differences on :func:`debug_network`.

    Parameters
    ----------
    lam : float >= 0, default 0
        Regularization strength λ.
    gradient : callable, optional
        ``gradient(thetas, X, y, lam) -> list of arrays``; nnlib's by default.
        Pass your own to check it.
    cost : callable, optional
        ``cost(thetas, X, y, lam) -> float``; nnlib's by default.
    eps : float > 0, default 1e-4

    Returns
    -------
    float
        The relative difference; below 1e-9 for a correct gradient.
    """
    lam = _validate.nonnegative(lam, "lam")
    gradient = _nnlib_gradient if gradient is None else gradient
    cost = _nnlib_cost if cost is None else cost
    for fn, name in ((gradient, "gradient"), (cost, "cost")):
        if not callable(fn):
            raise ValueError(f"{name} must be a function (thetas, X, y, lam); "
                             f"got {type(fn).__name__}")
    thetas, X, y = debug_network()
    sizes = [X.shape[1]] + [t.shape[0] for t in thetas]
    numerical = numerical_gradient(lambda v: cost(roll(v, sizes), X, y, lam), unroll(thetas), eps)
    analytical = unroll([np.asarray(g, dtype=float) for g in gradient(thetas, X, y, lam)])
    return relative_difference(numerical, analytical)
