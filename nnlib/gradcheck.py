"""Gradient checking: compare backpropagation with central differences.

(J(θ + ε eᵢ) - J(θ - ε eᵢ)) / (2ε) approximates ∂J/∂θᵢ with an error of order ε².
Each parameter costs two cost evaluations, so the full check runs on the lab's small
debug network (3 inputs, 5 hidden units, 3 classes, 5 examples).
"""
import numpy as np
from threadpoolctl import threadpool_limits

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
    value = f(theta)
    if np.ndim(value) != 0 or not np.isfinite(value):
        raise ValueError(f"f must return one finite number; f(theta) returned {value!r}")
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


def _functions(gradient, cost):
    """nnlib's gradient and cost where none are given; a ValueError for non-functions."""
    gradient = _nnlib_gradient if gradient is None else gradient
    cost = _nnlib_cost if cost is None else cost
    for fn, name in ((gradient, "gradient"), (cost, "cost")):
        if not callable(fn):
            raise ValueError(f"{name} must be a function (thetas, X, y, lam); "
                             f"got {_validate._describe(fn)}")
    return gradient, cost


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
    gradient, cost = _functions(gradient, cost)
    thetas, X, y = debug_network()
    sizes = [X.shape[1]] + [t.shape[0] for t in thetas]
    numerical = numerical_gradient(lambda v: cost(roll(v, sizes), X, y, lam), unroll(thetas), eps)
    analytical = _gradient_as_vector(gradient(thetas, X, y, lam), thetas)
    return relative_difference(numerical, analytical)


#: Default step of :func:`check_gradient_directions`, chosen on the 400-25-10 reference
#: problem: the truncation error of a central difference grows like ε², the rounding
#: error of J (a sum over m·K terms) like 1/ε, and ε = 5e-4 balances the two — a
#: correct gradient gives a relative difference of a few 1e-9 there and on the debug
#: network.
DIRECTION_EPS = 5e-4


def _random_directions(n_directions, n, seed):
    """(n_directions, n) array whose rows are random unit vectors, spread evenly over the sphere."""
    rng = np.random.default_rng(seed)
    D = rng.standard_normal((n_directions, n))
    return D / np.linalg.norm(D, axis=1, keepdims=True)


def _gradient_as_vector(grads, thetas):
    """Check that ``grads`` is a list of arrays shaped like ``thetas``; unroll it."""
    expected = [t.shape for t in thetas]
    if isinstance(grads, np.ndarray) or not isinstance(grads, (list, tuple)) \
            or len(grads) != len(thetas):
        raise ValueError(f"gradient must return a list of {len(thetas)} arrays shaped like "
                         f"thetas {expected}; got {_validate._describe(grads)}")
    got = [np.shape(g) for g in grads]
    if got != expected:
        raise ValueError(f"gradient must return arrays shaped like thetas {expected}; "
                         f"got shapes {got}")
    return np.concatenate([_validate.finite_array(g, f"gradient(...)[{l}]").ravel()
                           for l, g in enumerate(grads)])


def check_gradient_directions(thetas, X, y, lam=0.0, n_directions=10, seed=0,
                              eps=DIRECTION_EPS, gradient=None, cost=None):
    """Check a backprop gradient on a full network along a few random directions.

    For a unit vector d, the directional derivative ∇J·d is approximated by the
    central difference (J(θ + εd) − J(θ − εd)) / (2ε).  That costs two evaluations
    of J per direction instead of two per parameter (2 × 10 285 for the lab's
    network), so the gradient can be checked on the real problem, not only on the
    debug network.  A wrong gradient agrees with the differences along random
    directions only by accident; a mistake confined to a few weights shows up
    weakened by their share of the gradient, so keep :func:`check_gradients` for
    those.

    Parameters
    ----------
    thetas : list of arrays, Θ(l) of shape (s_{l+1}, s_l + 1)
    X : array of shape (m, s_1)
    y : int array of shape (m,), labels 0..K-1
    lam : float >= 0, default 0
        Regularization strength λ.
    n_directions : int >= 1, default 10
        Number of random directions d.
    seed : int >= 0, default 0
        Seed of the directions; the same seed gives the same directions.
    eps : float > 0, default 5e-4
        Step ε.  On the 400-25-10 reference problem a smaller ε loses accuracy to
        rounding (J sums 50 000 terms) and a larger one to truncation.
    gradient : callable, optional
        ``gradient(thetas, X, y, lam) -> list of arrays`` shaped like ``thetas``;
        nnlib's by default.  Pass your own to check it.
    cost : callable, optional
        ``cost(thetas, X, y, lam) -> float``; nnlib's by default.

    Returns
    -------
    float
        ‖num − ana‖ / ‖num + ana‖ over the vectors of the n_directions directional
        derivatives (see :func:`relative_difference`).  A correct gradient gives a
        few 1e-9 on the reference problem; the lab's mistakes give 1e-3 or more.
    """
    thetas = _validate.thetas(thetas)
    X = _validate.inputs(X, thetas)
    y = _validate.labels(y, X.shape[0], thetas[-1].shape[0])
    lam = _validate.nonnegative(lam, "lam")
    n_directions = _validate.positive_int(n_directions, "n_directions")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be an integer >= 0; got {_validate._describe(seed)}")
    eps = _validate.nonnegative(eps, "eps")
    if eps == 0:
        raise ValueError("eps must be > 0; got 0")
    gradient, cost = _functions(gradient, cost)

    sizes = [X.shape[1]] + [t.shape[0] for t in thetas]
    theta = unroll(thetas)
    D = _random_directions(n_directions, theta.size, seed)

    def J(v):
        return float(cost(roll(v, sizes), X, y, lam))

    # One BLAS thread, as in nnlib.fit: faster at this size, and the rounding (which
    # sets the leading digits of a tiny result) no longer depends on the thread count.
    with threadpool_limits(limits=1, user_api="blas"):
        analytical_grad = _gradient_as_vector(gradient(thetas, X, y, lam), thetas)
        numerical = np.array([(J(theta + eps * d) - J(theta - eps * d)) / (2 * eps) for d in D])
    return relative_difference(numerical, D @ analytical_grad)
