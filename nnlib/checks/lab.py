"""Checks of the functions students write in the lab (chapters 2–7).

Each ``check_*`` function takes *your* function, runs it on several cases (the lab's
debug network, random networks of odd sizes, λ > 0, edge values) and compares what
it returns with nnlib's own version of the step; see :mod:`nnlib.checks`.
"""
import numpy as np
from scipy.special import expit

from .. import _validate
from ..backprop import gradient as _gradient
from ..data import _one_hot
from ..gradcheck import debug_network, numerical_gradient as _numerical_gradient
from ..network import cost as _cost, forward as _forward, predict as _predict
from ..parameters import roll, shapes, unroll
from ._core import (CheckFailure, as_array, as_number, call, describe_array, describe_number, fail,
                    index, not_none, register, require_callable, run, worst)

LABEL_SHIFT = ("labels shifted by one class (the 10 ↔ 0 mix-up): the one-hot row of label k "
               "must have its 1 in column k, for k = 0..K-1 (the lab's files use 1..K)")


# --- the problems the network checks run on ----------------------------------------

def _random_network(sizes, m, seed, scale):
    """Weights uniform in [-scale, scale], inputs uniform in [-1, 1], labels 0..K-1."""
    rng = np.random.default_rng(seed)
    thetas = [rng.uniform(-scale, scale, size=shape) for shape in shapes(sizes)]
    X = rng.uniform(-1.0, 1.0, size=(m, sizes[0]))
    y = rng.integers(0, sizes[-1], size=m)
    return thetas, X, y


def _networks():
    """(label, (thetas, X, y)): the lab's debug network and four random ones of odd sizes."""
    return [
        ("the debug network 3-5-3, 5 examples", debug_network()),
        ("a random 400-25-10 network, 20 examples", _random_network([400, 25, 10], 20, 1, 0.12)),
        ("a random 7-4-2 network, 9 examples", _random_network([7, 4, 2], 9, 2, 1.0)),
        ("a random 2-1-3 network, 1 example", _random_network([2, 1, 3], 1, 3, 2.0)),
        ("a random 5-8-4 network, 13 examples", _random_network([5, 8, 4], 13, 4, 1.0)),
    ]


def _with_lams(networks, lams):
    return [(f"{label}, λ = {lam:g}", (*problem, lam))
            for (label, problem), lam in zip(networks, lams)]


def _shifted(y, K, step):
    return (np.asarray(y) + step) % K


def _output(thetas, X):
    """h = a(L), shape (m, K)."""
    return _forward(thetas, X).h


# --- sigmoid gradient --------------------------------------------------------------

def check_sigmoid_gradient(fn):
    """Check ``fn(z) -> g'(z)``, the derivative of the sigmoid, element-wise.

    Parameters
    ----------
    fn : callable
        ``fn(z)`` takes pre-activations ``z`` (a number or an array of any shape)
        and returns g'(z) = g(z)(1 - g(z)) with the same shape.

    Raises
    ------
    ValueError
        If ``fn`` is not callable.
    AssertionError
        If ``fn`` raises or returns a wrong value on one of the cases: z = 0, a
        range of z, a random 2-D array, large values of z.
    """
    __tracebackhide__ = True
    require_callable(fn, "fn(z) -> g'(z)")
    mistakes = [
        ("g' applied to activations: your function computes z(1 − z), the formula a(1 − a) "
         "meant for a = g(z); it takes z, so compute g(z)(1 − g(z))", lambda z: z * (1 - z)),
        ("wrong sign: g'(z) = g(z)(1 − g(z)) is never negative",
         lambda z: -expit(z) * (1 - expit(z))),
        ("it returns the sigmoid g(z) itself, not its derivative", lambda z: expit(z)),
    ]

    def reference(z):
        g = expit(z)
        return g * (1.0 - g)

    def describe(expected, got, args):
        z = np.asarray(args[0])
        if got.shape != expected.shape:
            return f"expected shape {expected.shape} (the shape of z), got {got.shape}"
        i = worst(expected, got)
        return (f"at z = {z[i]:.6g}: expected {expected[i]:.6g}, got {got[i]:.6g}")

    run("sigmoid_gradient", fn, _sigmoid_gradient_cases(), reference, mistakes, describe, ["z"],
        convert=as_array)


def _sigmoid_gradient_cases():
    rng = np.random.default_rng(0)
    return [
        ("z = 0, a single number", (np.float64(0.0),)),
        ("z = -5, -4, ..., 5", (np.arange(-5.0, 6.0),)),
        ("a 4×3 array of random z", (rng.normal(0.0, 3.0, size=(4, 3)),)),
        ("large |z|: ±20 and ±35", (np.array([-35.0, -20.0, 20.0, 35.0]),)),
    ]


# --- cost ----------------------------------------------------------------------------

def _cost_without_second_term(thetas, X, y):
    h = _output(thetas, X)
    Y = _one_hot(y, h.shape[1])
    return float(-np.sum(Y * np.log(h)) / X.shape[0])


def _cost_mistakes():
    """Wrong versions of the unregularized cost J(thetas, X, y)."""
    return [
        (LABEL_SHIFT, lambda t, X, y: _cost(t, X, _shifted(y, t[-1].shape[0], -1))),
        (LABEL_SHIFT, lambda t, X, y: _cost(t, X, _shifted(y, t[-1].shape[0], +1))),
        ("missing 1/m: the sum over the examples is not divided by m (J is their mean)",
         lambda t, X, y: X.shape[0] * _cost(t, X, y)),
        ("wrong sign: J = -(1/m) Σ Σ [y log h + (1 − y) log(1 − h)] is positive",
         lambda t, X, y: -_cost(t, X, y)),
        ("the (1 − y) log(1 − h) term is missing: outputs that should be 0 cost something too",
         _cost_without_second_term),
    ]


def check_cost(fn):
    """Check ``fn(thetas, X, y) -> J``, the unregularized cost.

    J = (1/m) Σ_i Σ_k [-y_k log h_k - (1 - y_k) log(1 - h_k)], with y one-hot coded.

    Parameters
    ----------
    fn : callable
        ``fn(thetas, X, y)`` with ``thetas`` a list [Θ(1), Θ(2)] of shapes
        (s_2, s_1 + 1) and (K, s_2 + 1), ``X`` of shape (m, s_1) and ``y`` int
        labels 0..K-1 of shape (m,); returns one number.

    Raises
    ------
    ValueError
        If ``fn`` is not callable.
    AssertionError
        If ``fn`` raises or returns a wrong value on one of 5 networks (the debug
        network, random ones of sizes 400-25-10, 7-4-2, 2-1-3 with one example, 5-8-4).
    """
    __tracebackhide__ = True
    require_callable(fn, "fn(thetas, X, y) -> J")
    run("cost", fn, _networks(), lambda t, X, y: _cost(t, X, y), _cost_mistakes(),
        describe_number, ["thetas", "X", "y"], convert=as_number)


def _penalty(thetas, lam, m, factor=1.0, bias=False):
    """factor · λ/(2m) Σ Θ², over every column (bias=True) or all but column 0."""
    first = 0 if bias else 1
    return factor * lam / (2 * m) * sum(np.sum(t[:, first:] ** 2) for t in thetas)


def _regularized_cost_mistakes():
    """Wrong versions of the regularized cost J(thetas, X, y, lam)."""
    def with_penalty(J0, **kw):
        return lambda t, X, y, lam: J0(t, X, y) + _penalty(t, lam, X.shape[0], **kw)

    def J0(t, X, y):
        return _cost(t, X, y)

    return [
        ("the bias column is regularized: leave column 0 of every Θ out of the penalty",
         with_penalty(J0, bias=True)),
        ("missing 1/m in the penalty: it is λ/(2m) Σ Θ², not λ/2 Σ Θ²",
         lambda t, X, y, lam: J0(t, X, y) + _penalty(t, lam, X.shape[0], factor=X.shape[0])),
        ("the penalty uses λ/m instead of λ/(2m)", with_penalty(J0, factor=2.0)),
        ("the penalty is missing: J does not grow with λ", lambda t, X, y, lam: J0(t, X, y)),
        ("missing 1/m: neither the sum over the examples nor the penalty is divided by m",
         lambda t, X, y, lam: X.shape[0] * with_penalty(J0)(t, X, y, lam)),
    ] + [(description, with_penalty(wrong)) for description, wrong in _cost_mistakes()]


def check_regularized_cost(fn):
    """Check ``fn(thetas, X, y, lam) -> J``, the cost with L2 regularization.

    J = (unregularized cost) + λ/(2m) Σ_l Σ_j Σ_{k≥1} Θ(l)_jk², the bias column
    (k = 0) left out.

    Parameters
    ----------
    fn : callable
        ``fn(thetas, X, y, lam)``; arguments as for :func:`check_cost`, plus
        ``lam`` (λ >= 0, a float).  Returns one number.

    Raises
    ------
    ValueError
        If ``fn`` is not callable.
    AssertionError
        If ``fn`` raises or returns a wrong value on one of 5 networks with λ from
        0 to 100.
    """
    __tracebackhide__ = True
    require_callable(fn, "fn(thetas, X, y, lam) -> J")
    run("regularized_cost", fn, _regularized_cost_cases(), lambda t, X, y, lam: _cost(t, X, y, lam),
        _regularized_cost_mistakes(), describe_number, ["thetas", "X", "y", "lam"],
        convert=as_number)


def _regularized_cost_cases():
    return _with_lams(_networks(), [1.0, 0.0, 3.0, 1.0, 100.0])


# --- gradient ------------------------------------------------------------------------

def _penalty_gradient(thetas, lam, m, factor=1.0, bias=False):
    """factor · (λ/m) Θ(l) for each l, with column 0 set to 0 unless bias=True."""
    out = []
    for t in thetas:
        r = factor * lam / m * t
        if not bias:
            r[:, 0] = 0.0
        out.append(r)
    return out


def _plus(*grad_lists):
    return [sum(parts) for parts in zip(*grad_lists)]


def _gradient_with_g_prime_of_a(thetas, X, y, lam):
    """Backprop with g'(a) = g(a)(1 - g(a)) where g'(z) belongs."""
    m, K, L = X.shape[0], thetas[-1].shape[0], len(thetas) + 1
    a = _forward(thetas, X).a                            # a[l] is a(l), as in the book
    delta = a[L] - _one_hot(y, K)                        # δ(L)
    grads = [None] * len(thetas)
    for l in range(L - 1, 0, -1):
        grads[l - 1] = delta.T @ a[l] / m                # D(l), without λ
        if l > 1:
            g_of_a = expit(a[l][:, 1:])
            delta = (delta @ thetas[l - 1][:, 1:]) * g_of_a * (1.0 - g_of_a)
    return _plus(grads, _penalty_gradient(thetas, lam, m))


def _gradient_mistakes():
    """Wrong versions of gradient(thetas, X, y, lam)."""
    def D0(t, X, y):
        return _gradient(t, X, y, 0.0)

    def R(t, X, lam, **kw):
        return _penalty_gradient(t, lam, X.shape[0], **kw)

    def scaled(c, grads):
        return [c * g for g in grads]

    unrolling = ("row/column-major unrolling mix-up: the numbers are right but in the wrong "
                 "places, as when a vector unrolled in one order (C, row by row) is rolled back "
                 "in the other (Fortran, column by column); use the same order both ways")
    missing_m = "missing 1/m: D(l) = Δ(l)/m"
    sign = "wrong sign: δ(L) = h − y, and the gradient points uphill (no minus in front)"
    return [
        ("the bias column is regularized: add (λ/m)Θ to every column except column 0",
         lambda t, X, y, lam: _plus(D0(t, X, y), R(t, X, lam, bias=True))),
        (missing_m, lambda t, X, y, lam: _plus(scaled(X.shape[0], D0(t, X, y)), R(t, X, lam))),
        (missing_m, lambda t, X, y, lam: scaled(X.shape[0], _gradient(t, X, y, lam))),
        ("g' applied to activations: g'(a) = g(a)(1 − g(a)) was used where g'(z) = "
         "g(z)(1 − g(z)) = a(1 − a) is needed", _gradient_with_g_prime_of_a),
        (unrolling, lambda t, X, y, lam: [g.ravel().reshape(g.shape, order="F")
                                          for g in _gradient(t, X, y, lam)]),
        (unrolling, lambda t, X, y, lam: [g.ravel(order="F").reshape(g.shape)
                                          for g in _gradient(t, X, y, lam)]),
        (sign, lambda t, X, y, lam: scaled(-1.0, _gradient(t, X, y, lam))),
        (sign, lambda t, X, y, lam: _plus(scaled(-1.0, D0(t, X, y)), R(t, X, lam))),
        ("the regularization term is missing from the gradient: add (λ/m)Θ, column 0 excluded",
         lambda t, X, y, lam: D0(t, X, y)),
        ("(λ/(2m))Θ instead of (λ/m)Θ: the derivative of λ/(2m) Θ² is (λ/m)Θ",
         lambda t, X, y, lam: _plus(D0(t, X, y), R(t, X, lam, factor=0.5))),
        (LABEL_SHIFT, lambda t, X, y, lam: _gradient(t, X, _shifted(y, t[-1].shape[0], -1), lam)),
        (LABEL_SHIFT, lambda t, X, y, lam: _gradient(t, X, _shifted(y, t[-1].shape[0], +1), lam)),
    ]


def _as_gradient(got, args, name, where):
    """The student's gradient as a list of arrays shaped like thetas.

    A list (or tuple) of arrays with the shapes of thetas is taken as it is; one
    1-D vector of the right length is cut up as :func:`nnlib.roll` would (row by row).
    """
    thetas = args[0]
    want = [t.shape for t in thetas]
    n = sum(t.size for t in thetas)
    not_none(got, name, where)
    if isinstance(got, np.ndarray) and got.ndim == 1 and got.size == n:
        return [g.copy() for g in roll(got, [thetas[0].shape[1] - 1] + [s[0] for s in want])]
    if isinstance(got, (list, tuple)) and len(got) == len(thetas):
        got_shapes = [_shape(g) for g in got]
        if got_shapes == want:
            return [as_array(g, args, name, where) for g in got]
        mistake = None
        if got_shapes == [s[::-1] for s in want]:
            mistake = "transposed: Δ(l) = δ(l+1)ᵀ a(l) has the shape of Θ(l)"
        elif len(got) == 2 and np.size(got[0]) == 1:
            mistake = ("it returns (J, gradient); check a function that returns only the "
                       "gradient, e.g. lambda *args: fn(*args)[1]")
        fail(name, where, f"returned arrays of shapes {got_shapes}; expected the shapes of "
              f"thetas {want}", mistake)
    fail(name, where, f"returned {_validate._describe(got)}; expected a list of "
          f"{len(thetas)} arrays of shapes {want}, or one vector of {n} numbers", None)


def _shape(value):
    """The shape of an array-like, or None for a ragged or non-numeric value."""
    try:
        return np.shape(value)
    except ValueError:
        return None


def _describe_gradient(expected, got, args):
    l = max(range(len(expected)),
            key=lambda k: np.nan_to_num(np.abs(got[k] - expected[k]), nan=np.inf).max())
    i = worst(expected[l], got[l])
    return (f"largest difference in D({l + 1}) = ∂J/∂Θ({l + 1}) at {index(i)}: "
            f"expected {expected[l][i]:.6g}, got {got[l][i]:.6g}")


def check_gradient(fn):
    """Check ``fn(thetas, X, y) -> gradient``, backpropagation without regularization.

    D(l) = Δ(l)/m with Δ(l) = δ(l+1)ᵀ a(l), δ(L) = h - Y and
    δ(l) = δ(l+1) Θ(l)[:, 1:] ⊙ g'(z(l)).

    Parameters
    ----------
    fn : callable
        ``fn(thetas, X, y)``; arguments as for :func:`check_cost`.  Returns a list
        [D(1), D(2), ...] of arrays shaped like ``thetas``, or one vector with all of
        them unrolled row by row (as :func:`nnlib.unroll` does, and as
        :func:`scipy.optimize.minimize` wants).

    Raises
    ------
    ValueError
        If ``fn`` is not callable.
    AssertionError
        If ``fn`` raises, changes its inputs, returns arrays of the wrong shapes, or
        wrong values on one of 5 networks.
    """
    __tracebackhide__ = True
    require_callable(fn, "fn(thetas, X, y) -> list of arrays shaped like thetas")
    mistakes = [(text, lambda t, X, y, wrong=wrong: wrong(t, X, y, 0.0))
                for text, wrong in _gradient_mistakes()]
    run("gradient", fn, _networks(), lambda t, X, y: _gradient(t, X, y), mistakes,
        _describe_gradient, ["thetas", "X", "y"], convert=_as_gradient)


def check_regularized_gradient(fn):
    """Check ``fn(thetas, X, y, lam) -> gradient``, backpropagation with regularization.

    D(l) = Δ(l)/m + (λ/m)Θ(l), the bias column (column 0) left out of the λ term.

    Parameters
    ----------
    fn : callable
        ``fn(thetas, X, y, lam)``; arguments as for :func:`check_regularized_cost`,
        result as for :func:`check_gradient`.

    Raises
    ------
    ValueError
        If ``fn`` is not callable.
    AssertionError
        If ``fn`` raises, changes its inputs, returns arrays of the wrong shapes, or
        wrong values on one of 6 cases (λ = 0 first, then λ = 1, 3 and 100).
    """
    __tracebackhide__ = True
    require_callable(fn, "fn(thetas, X, y, lam) -> list of arrays shaped like thetas")
    run("regularized_gradient", fn, _regularized_gradient_cases(),
        lambda t, X, y, lam: _gradient(t, X, y, lam), _gradient_mistakes(), _describe_gradient,
        ["thetas", "X", "y", "lam"], convert=_as_gradient)


def _regularized_gradient_cases():
    nets = _networks()
    return _with_lams([nets[0], nets[1], nets[2], nets[0], nets[3], nets[4]],
                      [0.0, 0.0, 0.0, 1.0, 3.0, 100.0])


# --- random initialization -------------------------------------------------------------

SYMMETRY = ("the symmetry is not broken: units that start with equal weights get equal "
            "gradients and stay identical; draw every weight at random")


def _init_problem(W, L_in, L_out, eps):
    """(what is off, likely mistake or None) for a weight matrix, or None when it looks right."""
    want = (L_out, L_in + 1)
    if W.shape != want:
        known = {(L_in, L_out): "transposed, and the bias column is missing",
                 (L_in + 1, L_out): "transposed: Θ has one row per unit it feeds (L_out rows)",
                 (L_out, L_in): "the bias column is missing: Θ needs L_in + 1 columns"}
        return f"expected shape {want} = (L_out, L_in + 1), got {W.shape}", known.get(W.shape)
    if not np.all(np.isfinite(W)):
        return "it contains NaN or inf", None
    if np.ptp(W) == 0:
        return f"all {W.size} weights equal {W.flat[0]:.3g}", SYMMETRY
    if W.shape[0] > 1 and np.unique(W, axis=0).shape[0] < W.shape[0]:
        return "two or more rows (units) have identical weights", SYMMETRY
    top = np.abs(W).max()
    if top > eps * (1 + 1e-9):
        return (f"values reach {top:.3g}, outside [−ε, ε] = [−{eps:.3g}, {eps:.3g}]",
                "ε too large, or not uniform in [−ε, ε] (randn is not bounded)")
    if W.size >= 20 and W.min() >= 0:
        return (f"no value is negative (they span [{W.min():.3g}, {W.max():.3g}])",
                "the range is not symmetric: uniform in [0, ε) instead of [−ε, ε] "
                "(rand gives [0, 1); use rng.uniform(-eps, eps, size) or 2ε·rand − ε)")
    # n values uniform in [−ε, ε] all miss the top tenth with probability 0.95^n,
    # below 1e-5 for n >= 200.
    if W.size >= 200 and (W.max() < 0.9 * eps or W.min() > -0.9 * eps):
        too_small = W.max() < 0.9 * eps and W.min() > -0.9 * eps
        return (f"values span only [{W.min():.3g}, {W.max():.3g}]; {W.size} values uniform in "
                f"[−{eps:.3g}, {eps:.3g}] come close to both ends",
                "ε too small" if too_small else "the range is not symmetric about 0")
    # For n >= 10 000 the mean is within 5 standard errors of 0 and the standard
    # deviation within 5 % of ε/√3 (its standard error is 0.5 %).
    if W.size >= 10_000:
        mean_limit = 5 * eps / np.sqrt(3 * W.size)
        if abs(W.mean()) > mean_limit or abs(W.std() * np.sqrt(3) / eps - 1) > 0.05:
            return (f"mean {W.mean():.3g} and standard deviation {W.std():.3g}; uniform in "
                    f"[−ε, ε] gives 0 and ε/√3 = {eps / np.sqrt(3):.3g}",
                    "not uniform in [−ε, ε]")
    return None


def check_init_weights(fn, eps=0.12):
    """Check ``fn(L_in, L_out) -> Θ``, random initialization uniform in [-ε, ε].

    Parameters
    ----------
    fn : callable
        ``fn(L_in, L_out)`` returns the weights of a layer with ``L_in`` inputs and
        ``L_out`` units: an array of shape (L_out, L_in + 1), column 0 for the bias,
        values uniform in [-ε, ε].
    eps : float > 0 or None, default 0.12
        The ε your function uses: 0.12 in the lab.  ``None`` for
        ε = √6 / √(L_in + L_out), the rule one write-up used.

    Raises
    ------
    ValueError
        If ``fn`` is not callable or ``eps`` is not > 0.
    AssertionError
        If ``fn`` raises or returns a wrong shape, equal weights, values outside
        [-ε, ε], or values that do not fill [-ε, ε] evenly.  The statistical tests
        fail a correct function with probability below 1e-5.
    """
    __tracebackhide__ = True
    require_callable(fn, "fn(L_in, L_out) -> array of shape (L_out, L_in + 1)")
    if eps is not None:
        eps = _validate.nonnegative(eps, "eps")
        if eps == 0:
            raise ValueError("eps must be > 0 (or None for √6/√(L_in + L_out)); got 0")
    cases = _init_weights_cases()
    for i, (label, (L_in, L_out)) in enumerate(cases, start=1):
        where = f"case {i} of {len(cases)} ({label})"
        e = eps if eps is not None else np.sqrt(6.0) / np.sqrt(L_in + L_out)
        W = as_array(call(fn, (L_in, L_out), "init_weights", where, i), None, "init_weights",
                     where)
        problem = _init_problem(W, L_in, L_out, e)
        if problem is not None:
            fail("init_weights", where, *problem, i)
    rule = f"ε = {eps:g}" if eps is not None else "ε = √6/√(L_in + L_out)"
    print(f"✓ init_weights: right shapes, values spread over [−ε, ε] on {len(cases)} cases "
          f"({rule})")


def _init_weights_cases():
    return [(f"L_in = {L_in}, L_out = {L_out}", (L_in, L_out))
            for L_in, L_out in [(3, 5), (400, 25), (25, 10), (1, 1), (7, 2)]]


# --- numerical gradient ------------------------------------------------------------------

EPS = 1e-4


def _step(theta, i, h):
    out = theta.copy()
    out[i] += h
    return out


def _one_sided(f, theta, h):
    f0 = f(theta)
    return np.array([(f(_step(theta, i, h)) - f0) / h for i in range(theta.size)])


def _not_restored(f, theta):
    """Central differences that leave θᵢ at θᵢ - ε before moving on to θᵢ₊₁."""
    theta, grad = theta.copy(), np.empty(theta.size)
    for i in range(theta.size):
        theta[i] += EPS
        f_plus = f(theta)
        theta[i] -= 2 * EPS
        grad[i] = (f_plus - f(theta)) / (2 * EPS)
    return grad


def _numerical_gradient_cases():
    thetas, X, y = debug_network()
    sizes = [X.shape[1]] + [t.shape[0] for t in thetas]
    rng = np.random.default_rng(0)

    def J(lam):
        return lambda theta: _cost(roll(theta, sizes), X, y, lam)

    def wavy(theta):
        return float(np.sum(np.sin(np.arange(1, theta.size + 1) * theta)) + np.sum(theta) ** 3 / 6)

    return [
        ("f = J(θ) of the debug network, 38 parameters", (J(0.0), unroll(thetas))),
        ("f = Σ sin(i θᵢ) + (Σ θᵢ)³/6, 6 parameters", (wavy, rng.uniform(-1, 1, 6))),
        ("f = exp(θ₀), 1 parameter", (lambda theta: float(np.exp(theta[0])), np.array([0.5]))),
        ("f = J(θ) with λ = 1, debug network at random weights",
         (J(1.0), rng.uniform(-1, 1, unroll(thetas).size))),
    ]


def check_numerical_gradient(fn):
    """Check ``fn(f, theta) -> gradient``, central differences with ε = 1e-4.

    Entry i of the result is (f(θ + ε eᵢ) - f(θ - ε eᵢ)) / (2ε), like
    :func:`nnlib.numerical_gradient`.

    Parameters
    ----------
    fn : callable
        ``fn(f, theta)`` with ``f(theta) -> float`` and ``theta`` a 1-D float array
        of shape (n,); returns an array of shape (n,).  It must leave ``theta`` as it
        found it.

    Raises
    ------
    ValueError
        If ``fn`` is not callable.
    AssertionError
        If ``fn`` raises, returns wrong values on one of 4 functions (the debug
        network's cost among them), or changes the ``theta`` it is given.
    """
    __tracebackhide__ = True
    require_callable(fn, "fn(f, theta) -> gradient vector")
    restore = "θᵢ is not restored after perturbing it: put back its old value before moving on"
    mistakes = [
        ("one-sided difference (f(θ + ε eᵢ) − f(θ))/ε: its error is of order ε, "
         "the central difference's of order ε²", lambda f, t: _one_sided(f, t, EPS)),
        ("one-sided difference (f(θ) − f(θ − ε eᵢ))/ε: its error is of order ε, "
         "the central difference's of order ε²", lambda f, t: _one_sided(f, t, -EPS)),
        ("divided by ε instead of 2ε (the result is twice too large)",
         lambda f, t: 2 * _numerical_gradient(f, t, EPS)),
        ("not divided by 2ε", lambda f, t: 2 * EPS * _numerical_gradient(f, t, EPS)),
        (restore, _not_restored),
        ("every difference is 0: θ + εeᵢ and θ − εeᵢ are the same array "
         "(assigning an array does not copy it; use theta.copy())", lambda f, t: np.zeros(t.size)),
    ]

    run("numerical_gradient", fn, _numerical_gradient_cases(),
        lambda f, t: _numerical_gradient(f, t, EPS), mistakes,
        lambda e, g, a: describe_array(e, g, a, "θ"), ["f", "theta"], convert=as_array,
        inplace_hint=restore)


# --- prediction ----------------------------------------------------------------------------

def check_predict(fn):
    """Check ``fn(thetas, X) -> labels``, the class with the largest output.

    Parameters
    ----------
    fn : callable
        ``fn(thetas, X)``; arguments as for :func:`check_cost`.  Returns integer
        labels 0..K-1, shape (m,): for each example the index of the output unit
        with the largest value.

    Raises
    ------
    ValueError
        If ``fn`` is not callable.
    AssertionError
        If ``fn`` raises or returns wrong labels, a wrong shape or non-integers on
        one of 5 networks.
    """
    __tracebackhide__ = True
    require_callable(fn, "fn(thetas, X) -> labels of shape (m,)")
    mistakes = [
        ("labels shifted by one: it returns 1..K (the lab's convention) instead of 0..K-1",
         lambda t, X: _predict(t, X) + 1),
        ("it returns the largest output value instead of its index: use argmax, not max",
         lambda t, X: _output(t, X).max(axis=1)),
        ("it returns the largest output value instead of its index: use argmax, not max",
         lambda t, X: _forward(t, X).z[-1].max(axis=1)),
        ("argmax over the wrong axis: axis=0 runs over the examples; "
         "use axis=1 for the class of each example", lambda t, X: _output(t, X).argmax(axis=0)),
        ("it returns a column of shape (m, 1); return shape (m,), e.g. with .ravel()",
         lambda t, X: _predict(t, X)[:, None]),
    ]

    def describe(expected, got, args):
        if got.shape != expected.shape:
            return f"expected labels of shape {expected.shape}, got shape {got.shape}"
        wrong = np.flatnonzero(~np.isclose(got, expected))
        i = wrong[0]
        return (f"{wrong.size} of {expected.size} labels differ; the first at example {i}: "
                f"expected {expected[i]}, got {got[i]:.6g}")

    def as_labels(got, args, name, where):
        __tracebackhide__ = True
        not_none(got, name, where)
        arr = np.asarray(got)
        if arr.dtype.kind not in "biuf":
            raise CheckFailure(f"{name} must return numbers; on {where} it returned "
                                 f"{_validate._describe(got)}")
        return arr

    def integers(got, given, args, name, where):
        __tracebackhide__ = True
        if got.dtype.kind not in "iu":
            fail(name, where, f"the labels are right but have dtype {got.dtype}",
                  "float labels: return the integers np.argmax gives "
                  "(they index arrays; floats do not)" if got.dtype.kind == "f" else None)

    run("predict", fn, _predict_cases(), lambda t, X: _predict(t, X), mistakes, describe,
        ["thetas", "X"], convert=as_labels, after=integers)


def _predict_cases():
    return [(label, (thetas, X)) for label, (thetas, X, _) in _networks()]


# --- the forward pass ----------------------------------------------------------------------

def check_forward(fn):
    """Check ``fn(thetas, X) -> h``, forward propagation through a sigmoid network.

    a(1) = [1, X], z(l+1) = a(l) Θ(l)ᵀ, a(l+1) = [1, g(z(l+1))], and h = g(z(L))
    without a bias column.

    Parameters
    ----------
    fn : callable
        ``fn(thetas, X)``; arguments as for :func:`check_cost` (any number of
        layers).  Returns the output h of shape (m, K).

    Raises
    ------
    ValueError
        If ``fn`` is not callable.
    AssertionError
        If ``fn`` raises, changes its inputs, or returns a wrong shape or wrong
        values on one of 6 networks (one of them with two hidden layers).
    """
    __tracebackhide__ = True
    require_callable(fn, "fn(thetas, X) -> h of shape (m, K)")
    mistakes = [
        ("the sigmoid is missing on the output layer: h = g(z(L)), not z(L)",
         lambda t, X: _forward(t, X).z[-1]),
        ("the sigmoid is missing on the hidden layers: a(l+1) = [1, g(z(l+1))]",
         _forward_linear_hidden),
        ("the sigmoid is applied twice on the output layer", lambda t, X: expit(_output(t, X))),
    ]

    def describe(expected, got, args):
        if got.shape == (expected.shape[0], expected.shape[1] + 1):
            return (f"expected shape {expected.shape} (m, K), got {got.shape}: the output layer "
                    f"gets no bias column")
        if got.shape == expected.shape[::-1]:
            return f"expected shape {expected.shape} (m, K), got {got.shape}: transposed"
        return describe_array(expected, got, args, "h")

    run("forward", fn, _forward_cases(), _output, mistakes, describe, ["thetas", "X"],
        convert=as_array)


def _forward_linear_hidden(thetas, X):
    a = X
    for theta in thetas[:-1]:
        a = np.hstack([np.ones((a.shape[0], 1)), a]) @ theta.T
    return expit(np.hstack([np.ones((a.shape[0], 1)), a]) @ thetas[-1].T)


def _forward_cases():
    cases = _predict_cases()
    thetas, X, _ = _random_network([6, 5, 4, 3], 8, 5, 1.0)
    return cases + [("a random 6-5-4-3 network (two hidden layers), 8 examples", (thetas, X))]



def _init_weights_reference(L_in, L_out, eps=0.12):
    return np.random.default_rng(0).uniform(-eps, eps, size=(L_out, L_in + 1))


register("forward", check_forward, _forward_cases, _output)
register("predict", check_predict, _predict_cases, _predict)
register("cost", check_cost, _networks, _cost)
register("regularized_cost", check_regularized_cost, _regularized_cost_cases, _cost)
register("sigmoid_gradient", check_sigmoid_gradient, _sigmoid_gradient_cases,
         lambda z: expit(z) * (1 - expit(z)))
register("init_weights", check_init_weights, _init_weights_cases, _init_weights_reference)
register("gradient", check_gradient, _networks, _gradient)
register("regularized_gradient", check_regularized_gradient, _regularized_gradient_cases,
         _gradient)
register("numerical_gradient", check_numerical_gradient, _numerical_gradient_cases,
         lambda f, theta: _numerical_gradient(f, theta, EPS))
