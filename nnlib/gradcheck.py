"""Gradient checking: compare backpropagation with central differences.

(J(θ + ε eᵢ) - J(θ - ε eᵢ)) / (2ε) approximates ∂J/∂θᵢ with an error of order ε².
Each parameter costs two cost evaluations, so the full check runs on the lab's small
debug network (3 inputs, 5 hidden units, 3 classes, 5 examples).
"""
import numbers
import warnings

import numpy as np
from threadpoolctl import threadpool_limits

from . import _validate
from .backprop import gradient as _nnlib_gradient
from .network import cost as _nnlib_cost
from .parameters import roll, unroll


# --- what a user's function returns, and whether it changed what it was given -------

def _number(value, name, where):
    """``value`` as a float; a ValueError naming ``name`` (and ``where``) for anything else."""
    if value is None:
        raise ValueError(f"{name} returned None; is a `return` missing?")
    if isinstance(value, np.ndarray) and value.ndim > 0:
        hint = " (use float(J) or J.item() to return the number)" if value.size == 1 else ""
        raise ValueError(f"{name} must return one number; it returned an array of shape "
                         f"{value.shape}{hint}")
    if isinstance(value, np.ndarray):
        value = value[()]                           # a 0-d array: its one number
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        pair = isinstance(value, tuple) and len(value) == 2
        hint = " (a pair (J, gradient)? give it a function that returns only J)" if pair else ""
        raise ValueError(f"{name} must return one number; it returned "
                         f"{_validate._brief(value)}{hint}")
    if not np.isfinite(value):
        raise ValueError(f"{name} returned {value} at {where}; central differences need a "
                         "finite value within ε of the point (try a smaller eps, or a point "
                         "where the function is defined)")
    return float(value)


def _call(fn, name, thetas, X, y, lam):
    """``fn(thetas, X, y, lam)`` on fresh copies; a ValueError if ``fn`` changed them.

    The copies keep the caller's arrays safe whatever ``fn`` does; comparing them
    afterwards with the originals catches the function that writes into its
    arguments, which would corrupt the weights during training.
    """
    given = [t.copy() for t in thetas], X.copy(), y.copy()
    result = fn(*given, lam)
    if not isinstance(given[0], list) or len(given[0]) != len(thetas):
        raise ValueError(f"your {name} modified thetas in place: the list of {len(thetas)} "
                         f"matrices now holds {len(given[0])}")
    pairs = [("thetas", f"Θ({l})", t, g) for l, (t, g) in enumerate(zip(thetas, given[0]), 1)]
    pairs += [("X", "X", X, given[1]), ("y", "y", y, given[2])]
    for argument, label, before, after in pairs:
        change = _validate.change(label, before, after)
        if change:
            raise ValueError(
                f"your {name} modified {argument} in place: {change}. nnlib gave it a copy, "
                "so your arrays are unharmed, but wherever it gets the real ones (your own "
                f"loop, an optimizer) it would corrupt them: make {name} work on a copy "
                "(a = a.copy()) or on new arrays")
    return result


# --- central differences ----------------------------------------------------------------

def _central_differences(f, theta, eps, name="f", label="theta"):
    """(f(θ + ε eᵢ) - f(θ - ε eᵢ)) / (2ε) for every i; f gets a fresh copy of the point each call."""
    warned = []

    def value_at(point, where):
        given = point.copy()                    # f's own copy; point stays as it was
        value = _number(f(given), name, where)
        change = _validate.change(label, point, given)
        if change and not warned:
            warned.append(change)
            warnings.warn(f"{name} modified its argument in place: {change}. Each call got a "
                          "fresh copy, so the gradient is right, but a function that changes "
                          "its input is a bug waiting elsewhere: work on a copy",
                          UserWarning, stacklevel=4)
        return value

    value_at(theta, f"{label} itself")
    grad = np.empty_like(theta)
    for i in range(theta.size):
        plus, minus = theta.copy(), theta.copy()
        plus[i] += eps
        minus[i] -= eps
        f_plus = value_at(plus, f"{label}[{i}] + {eps:g} (parameter {i} shifted by +ε)")
        f_minus = value_at(minus, f"{label}[{i}] - {eps:g} (parameter {i} shifted by -ε)")
        grad[i] = (f_plus - f_minus) / (2 * eps)
    return grad


def _step_survives_rounding(theta, eps, label="theta"):
    """A ValueError if θᵢ ± ε rounds to a step more than 1% off 2ε (θᵢ huge next to ε)."""
    with np.errstate(over="ignore", invalid="ignore"):     # a step of inf is reported below
        step = (theta + eps) - (theta - eps)
        bad = np.flatnonzero(~(np.abs(step - 2 * eps) <= 0.01 * 2 * eps))
    if bad.size:
        i = bad[0]
        raise ValueError(f"eps = {eps:g} is lost in rounding next to {label}[{i}] = "
                         f"{theta[i]:g}: θ + ε - (θ - ε) is {step[i]:g}, not 2ε; "
                         "rescale the parameters or use a larger eps")


def numerical_gradient(f, theta, eps=1e-4):
    """Central-difference estimate of the gradient of ``f`` at ``theta``.

    Parameters
    ----------
    f : callable
        ``f(theta) -> float`` for a vector ``theta``.  Each call gets a fresh copy of
        the point, so an ``f`` that writes into its argument cannot spoil the next
        call; it is reported with a ``UserWarning``.
    theta : array of shape (n,)
        The point; it is never changed.
    eps : float > 0, default 1e-4
        Step ε.

    Returns
    -------
    array of shape (n,)
        Entry i is (f(θ + ε eᵢ) - f(θ - ε eᵢ)) / (2ε); 2n + 1 calls of ``f`` in all
        (the first, at θ itself, checks what ``f`` returns).

    Raises
    ------
    ValueError
        If an argument is wrong, or ``f`` returns anything but one finite number at
        one of the points (the message names the parameter and the shift).
    """
    if not callable(f):
        raise ValueError(f"f must be a function of a parameter vector; got {type(f).__name__}")
    if isinstance(theta, (list, tuple)) and any(np.ndim(t) == 2 for t in theta):
        raise ValueError("theta must be one vector; for a list of weight matrices pass "
                         "nnlib.unroll(thetas) and have f turn it back with nnlib.roll")
    theta = _validate.finite_array(theta, "theta", ndim=1)
    if theta.size == 0:
        raise ValueError("theta must hold at least one parameter; got an empty array")
    eps = _positive_eps(eps)
    _step_survives_rounding(theta, eps)
    return _central_differences(f, theta, eps)


def relative_difference(numerical, analytical):
    """‖numerical − analytical‖ / ‖numerical + analytical‖: below 1e-9 when backprop is right.

    Parameters
    ----------
    numerical, analytical : arrays of the same shape

    Returns
    -------
    float
        0 when the two are equal (also when both are 0); inf when they are
        opposite (``numerical == -analytical``, not 0).
    """
    numerical = _validate.finite_array(numerical, "numerical")
    analytical = _validate.finite_array(analytical, "analytical")
    if numerical.shape != analytical.shape:
        raise ValueError(f"numerical has shape {numerical.shape}; analytical must match, "
                         f"got {analytical.shape}")
    # Divide by a power of two near the largest entry first: exact, and it keeps the
    # norms from underflowing to 0 (entries near 1e-200) or overflowing to inf (1e200).
    largest = max(np.abs(numerical).max(initial=0.0), np.abs(analytical).max(initial=0.0))
    if largest == 0:
        return 0.0
    scale = np.ldexp(1.0, int(np.frexp(largest)[1]) - 1)    # 2^e <= largest < 2^(e+1)
    numerical, analytical = numerical / scale, analytical / scale
    difference = np.linalg.norm(numerical - analytical)
    if difference == 0:
        return 0.0
    denominator = np.linalg.norm(numerical + analytical)
    return float(difference / denominator) if denominator > 0 else float("inf")


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
                             f"got {_validate._brief(fn)}")
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

    Notes
    -----
    Each call of ``gradient`` and ``cost`` gets fresh copies of the weights and
    data; a function that changes them is refused with a ValueError that says
    what it changed (a gradient that zeroes its bias column in place, say).
    """
    lam = _validate.nonnegative(lam, "lam")
    eps = _positive_eps(eps)
    gradient, cost = _functions(gradient, cost)
    thetas, X, y = debug_network()
    sizes = [X.shape[1]] + [t.shape[0] for t in thetas]

    def J(v):
        return _call(cost, "cost", roll(v, sizes), X, y, lam)
    numerical = _central_differences(J, unroll(thetas), eps, "cost", "unroll(thetas)")
    analytical = _gradient_as_vector(_call(gradient, "gradient", thetas, X, y, lam), thetas)
    return relative_difference(numerical, analytical)


def _positive_eps(eps):
    eps = _validate.nonnegative(eps, "eps")
    if eps == 0:
        raise ValueError("eps must be > 0; got 0")
    return eps


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
    if grads is None:
        raise ValueError("gradient returned None; is a `return` missing?")
    if isinstance(grads, tuple) and len(grads) == 2 and np.ndim(grads[0]) == 0:
        raise ValueError("gradient returned a pair (J, gradient)? give it a function that "
                         "returns only the gradient, a list of arrays shaped like thetas")
    if isinstance(grads, np.ndarray) or not isinstance(grads, (list, tuple)) \
            or len(grads) != len(thetas):
        raise ValueError(f"gradient must return a list of {len(thetas)} arrays shaped like "
                         f"thetas {expected}; got {_validate._brief(grads)}")
    grads = [_validate.finite_array(g, f"gradient(...)[{l}]") for l, g in enumerate(grads)]
    got = [g.shape for g in grads]
    if got != expected:
        raise ValueError(f"gradient must return arrays shaped like thetas {expected}; "
                         f"got shapes {got}")
    return np.concatenate([g.ravel() for g in grads])


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
        None of the three is changed: ``gradient`` and ``cost`` get fresh copies at
        every call, and a function that changes its copies is refused with a
        ValueError that says what it changed.
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
    # Checked in float64 whatever the caller's type: central differences need it.
    thetas = [t.astype(np.float64) for t in _validate.thetas(thetas)]
    X = _validate.inputs(X, thetas)
    y = _validate.labels(y, X.shape[0], thetas[-1].shape[0])
    lam = _validate.nonnegative(lam, "lam")
    n_directions = _validate.positive_int(n_directions, "n_directions")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be an integer >= 0; got {_validate._brief(seed)}")
    eps = _positive_eps(eps)
    gradient, cost = _functions(gradient, cost)

    sizes = [X.shape[1]] + [t.shape[0] for t in thetas]
    theta = unroll(thetas)
    D = _random_directions(n_directions, theta.size, seed)

    def J(v, sign, k):
        where = f"thetas {sign} ε·d (direction {k}, ε = {eps:g})"
        return _number(_call(cost, "cost", roll(v, sizes), X, y, lam), "cost", where)

    # One BLAS thread, as in nnlib.fit: faster at this size, and the rounding (which
    # sets the leading digits of a tiny result) no longer depends on the thread count.
    with threadpool_limits(limits=1, user_api="blas"):
        grads = _call(gradient, "gradient", thetas, X, y, lam)
        analytical_grad = _gradient_as_vector(grads, thetas)
        numerical = np.array([(J(theta + eps * d, "+", k) - J(theta - eps * d, "-", k)) / (2 * eps)
                              for k, d in enumerate(D)])
    return relative_difference(numerical, D @ analytical_grad)
