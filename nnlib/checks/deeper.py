"""Checks of the functions students write in the second part (chapters 10 and 11).

The steps of a deeper network: the softmax output with its cost and gradient, the
backward step through a relu / tanh / sigmoid layer, He initialization, one
momentum update, inverted dropout forward and backward, and a learning-rate
schedule.  Each ``check_*`` takes *your* function and works like the checks of the
lab (:mod:`nnlib.checks`): several cases, fresh copies of the inputs, a time
limit, the likely mistake named, ``nnlib.checks.inputs(name, i)`` to get a case.

Two of them draw random numbers (He initialization and the dropout mask); they
cannot compare with one expected array, so they test what the numbers must
satisfy, exactly where that is possible (shapes, zeros, the mask's two values,
a ⊙ mask) and statistically otherwise (spread, kept fraction).  Each statistical
test allows six standard errors, so that a correct function fails one of them
with probability below 1e-6 in all; the bounds are worked out next to the tests.
"""
import re

import numpy as np

from .. import _validate
from ..activations import ACTIVATIONS
from ..data import _one_hot
from ..dropout import _masks
from ..outputs import OUTPUTS, cross_entropy, cross_entropy_gradient
from ..parameters import init_he as _init_he
from ._core import (CheckFailure, as_array, as_number, call, changed_input, close,
                    describe_array, describe_number, fail, index, likely_mistake, not_none,
                    register, require_callable, run, worst, _copy)

LABEL_SHIFT = ("labels shifted by one class: the one-hot row of label k must have its 1 in "
               "column k, for k = 0..K-1")


def _case_number(where):
    """The case number i in a `where` text "case i of n (...)" made by nnlib.checks.run."""
    return int(re.match(r"case (\d+)", where).group(1))


def _same_or_both_nonfinite(got, expected):
    """Like :func:`close`, but NaN and ±inf count as equal to each other at the same places.

    (Whether an overflow ends as NaN, inf or −inf depends on how the formula is
    written, e.g. -log(h[y]) or -Σ Y log h; where it happens depends on the mistake.)
    """
    if isinstance(expected, (list, tuple)):
        return (isinstance(got, (list, tuple)) and len(got) == len(expected)
                and all(_same_or_both_nonfinite(g, e) for g, e in zip(got, expected)))
    got, expected = np.asarray(got, dtype=np.float64), np.asarray(expected, dtype=np.float64)
    if got.shape != expected.shape:
        return False
    finite = np.isfinite(got)
    return bool(np.array_equal(finite, np.isfinite(expected))
                and np.allclose(got[finite], expected[finite], rtol=1e-6, atol=1e-10))


# --- the softmax and its cross-entropy ---------------------------------------------------

def _softmax_cross_entropy(z, y):
    """nnlib's (J, ∂J/∂z): the mean categorical cross-entropy of softmax(z) and (h - Y)/m."""
    return cross_entropy(z, y), cross_entropy_gradient(z, y)


def _softmax_rows(z, c):
    """e^(z - c) / Σ_j e^(z_j - c), row by row, for a given shift c (unchecked, may overflow)."""
    e = np.exp(z - c)
    return e / e.sum(axis=1, keepdims=True)


def _with_h(z, y, h, J):
    """(J, (h - Y)/m) for a softmax output h computed some (maybe wrong) way."""
    m, K = z.shape
    return J, (h - _one_hot(y, K)) / m


def _naive(z, y):
    """No shift: e^z overflows to inf for z > 709, and inf/inf is NaN."""
    h = _softmax_rows(z, 0.0)
    return _with_h(z, y, h, float(np.mean(-np.log(h[np.arange(len(y)), y]))))


def _naive_log_sum_exp(z, y):
    """No shift, but the cost written as log Σ e^z - z_y: log(inf) = inf."""
    J = float(np.mean(np.log(np.exp(z).sum(axis=1)) - z[np.arange(len(y)), y]))
    return _with_h(z, y, _softmax_rows(z, 0.0), J)


def _global_shift(z, y):
    """log-sum-exp shifted by the largest logit of the whole matrix, not of each row."""
    c = z.max()
    J = float(np.mean(c + np.log(np.exp(z - c).sum(axis=1)) - z[np.arange(len(y)), y]))
    return _with_h(z, y, _softmax_rows(z, c), J)


def _log_of_h(z, y):
    """The right, stable h, but J = mean(-log h_y): log 0 = -inf once h_y underflows."""
    h = _softmax_rows(z, z.max(axis=1, keepdims=True))
    return _with_h(z, y, h, float(np.mean(-np.log(h[np.arange(len(y)), y]))))


def _log_of_h_one_hot(z, y):
    """The same, written -Σ Y log h / m: 0 · log 0 is NaN where h underflows."""
    h = _softmax_rows(z, z.max(axis=1, keepdims=True))
    Y = _one_hot(y, z.shape[1])
    return _with_h(z, y, h, float(-np.sum(Y * np.log(h)) / len(y)))


def _wrong_axis(z, y):
    """The softmax over the examples (axis 0) instead of the classes (axis 1)."""
    e = np.exp(z - z.max(axis=0, keepdims=True))
    h = e / e.sum(axis=0, keepdims=True)
    return _with_h(z, y, h, float(np.mean(-np.log(h[np.arange(len(y)), y]))))


def _two_term_cost(z, y):
    """The lab's sigmoid cost, -y log h - (1 - y) log(1 - h) summed over k, on the softmax's h."""
    h = _softmax_rows(z, z.max(axis=1, keepdims=True))
    Y = _one_hot(y, z.shape[1])
    return _with_h(z, y, h, float(np.sum(-Y * np.log(h) - (1 - Y) * np.log(1 - h)) / len(y)))


def _sigmoid_outputs(z, y):
    """The lab's K sigmoids and their cost instead of a softmax."""
    Y = _one_hot(y, z.shape[1])
    layer = OUTPUTS["sigmoid"]
    return float(layer.cost(z, Y)), layer.delta(layer.h(z), Y) / z.shape[0]


def _softmax_cross_entropy_mistakes():
    """Wrong versions of softmax_cross_entropy(z, y) -> (J, dJ_dz)."""
    def J_times(c):
        return lambda z, y: (c(z) * cross_entropy(z, y), cross_entropy_gradient(z, y))

    def grad_times(c):
        return lambda z, y: (cross_entropy(z, y), c(z) * cross_entropy_gradient(z, y))

    def shifted(step):
        return lambda z, y: _softmax_cross_entropy(z, (np.asarray(y) + step) % z.shape[1])

    wrong_sign = ("wrong sign of the gradient: ∂J/∂z = (h − Y)/m, which is positive for the "
                  "wrong classes (raising their logits raises J)")
    return [
        ("the softmax is taken over the wrong axis: axis=0 runs over the examples; each "
         "row (one example) must sum to 1 over the K classes, axis=1", _wrong_axis),
        ("missing 1/m in J: the cost is the mean over the m examples, not their sum",
         J_times(lambda z: z.shape[0])),
        ("J is divided by m·K: np.mean over the whole (m, K) matrix of −Y log h also divides "
         "by the K classes; sum over k, then average over the m examples",
         J_times(lambda z: 1.0 / z.shape[1])),
        ("the gradient lacks the 1/m: J is a mean, so ∂J/∂z = (h − Y)/m (the book's δ(L) = "
         "h − Y, divided by m)", grad_times(lambda z: z.shape[0])),
        (wrong_sign, grad_times(lambda z: -1.0)),
        (wrong_sign, grad_times(lambda z: -z.shape[0])),
        ("the gradient is h/m: the one-hot Y is not subtracted, ∂J/∂z = (h − Y)/m",
         lambda z, y: (cross_entropy(z, y),
                       cross_entropy_gradient(z, y) + _one_hot(y, z.shape[1]) / z.shape[0])),
        (LABEL_SHIFT, shifted(-1)),
        (LABEL_SHIFT, shifted(+1)),
        ("the lab's two-term cost: with a softmax, J = −(1/m) Σ_i log h_(i, y_i); the term "
         "(1 − y) log(1 − h) belongs to K separate sigmoid outputs", _two_term_cost),
        ("the lab's K sigmoid outputs instead of a softmax: h = e^(z_k) / Σ_j e^(z_j)",
         _sigmoid_outputs),
    ] + _overflow_mistakes()


def _overflow_mistakes():
    """Wrong versions that are right on moderate logits and give NaN or inf on large ones."""
    no_shift = ("no max-shift: e^z overflows for a logit above about 709 (float64), and "
                "inf/inf = NaN; subtract each row's largest logit first, "
                "c = z.max(axis=1, keepdims=True) — it changes nothing mathematically")
    log_of_h = ("−log h_y is computed from h: once h_y rounds to 0 (a very confident wrong "
                "answer) log 0 = −inf; compute it from the logits, log Σ_j e^(z_j − c) − (z_y − c)")
    return [
        (no_shift, _naive),
        (no_shift, _naive_log_sum_exp),
        ("the shift uses the largest logit of the whole matrix, z.max(), not of each row: a "
         "row far below it underflows to 0/0; use z.max(axis=1, keepdims=True)", _global_shift),
        (log_of_h, _log_of_h),
        (log_of_h, _log_of_h_one_hot),
    ]


def _softmax_cross_entropy_cases():
    rng = np.random.default_rng(10)
    wide = rng.normal(0.0, 3.0, size=(5, 10))
    big = np.array([[900.0, -40.0, 10.0, 300.0, 0.0],
                    [5.0, 720.0, -800.0, 0.0, 1.0],
                    [-1000.0, 0.0, 1000.0, 2.0, -3.0]])
    scales = np.array([[1000.0, 999.0, 998.0], [-1000.0, -1002.0, -999.0]])
    return [
        ("one example, K = 3, z = [2, 1, −1], label 0",
         (np.array([[2.0, 1.0, -1.0]]), np.array([0]))),
        ("5 examples, K = 10, logits N(0, 3²)", (wide, rng.integers(0, 10, size=5))),
        ("4 examples, K = 2", (rng.normal(0.0, 1.0, size=(4, 2)), np.array([1, 0, 1, 1]))),
        ("6 examples, K = 4, every row's logits equal (J = log 4)",
         (np.tile(rng.normal(size=(6, 1)), (1, 4)), np.array([0, 1, 2, 3, 0, 1]))),
        ("3 examples, K = 5, logits up to ±1000 with the right class far behind",
         (big, np.array([1, 2, 0]))),
        ("2 examples on very different scales: logits near +1000 and near −1000",
         (scales, np.array([2, 0]))),
    ]


def _pair_of_arrays(got, args, name, where, pair):
    """The two arrays of a function that must return a pair, named ``pair`` in the message."""
    __tracebackhide__ = True
    not_none(got, name, where)
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        raise CheckFailure(f"{name} must return a pair {pair}; on {where} it returned "
                           f"{_validate._describe(got)}")
    return tuple(as_array(g, args, name, where) for g in got)


def _as_cost_and_gradient(got, args, name, where):
    """(J, ∂J/∂z) from what the student returned; NaN or inf fails at once, with its likely cause."""
    __tracebackhide__ = True
    J, grad = _pair_of_arrays(got, args, name, where, "(J, dJ_dz)")
    if J.size != 1:
        raise CheckFailure(f"{name}'s J must be one number; on {where} it is an array of shape "
                           f"{J.shape} (is the sum over the examples and the K classes missing?)")
    J = float(J.reshape(()))
    if not (np.isfinite(J) and np.all(np.isfinite(grad))):
        # the mistakes that only large logits reveal first, then the others
        mistake = (likely_mistake((J, grad), args, _overflow_mistakes(),
                                  same=_same_or_both_nonfinite)
                   or likely_mistake((J, grad), args, _softmax_cross_entropy_mistakes(),
                                     same=_same_or_both_nonfinite))
        what = "J" if not np.isfinite(J) else "dJ_dz"
        value = J if not np.isfinite(J) else grad[~np.isfinite(grad)][0]
        fail(name, where, f"{what} contains {value} for finite logits (the largest |z| is "
             f"{np.abs(args[0]).max():g})", mistake, _case_number(where))
    return J, grad


def _describe_cost_and_gradient(expected, got, args):
    lines = []
    if not close(got[0], expected[0]):
        lines.append(f"J: expected {expected[0]:.6g}, got {got[0]:.6g}")
    if got[1].shape != expected[1].shape:
        hint = " (transposed? one row per example)" if got[1].shape == expected[1].shape[::-1] else ""
        lines.append(f"dJ_dz: expected shape {expected[1].shape} (m, K), got {got[1].shape}{hint}")
    elif not close(got[1], expected[1]):
        lines.append("dJ_dz: " + describe_array(expected[1], got[1], args, "dJ_dz"))
    return "\n  ".join(lines)


def check_softmax_cross_entropy(fn):
    """Check ``fn(z, y) -> (J, dJ_dz)``: the softmax's cost and its gradient by the logits.

    J = (1/m) Σ_i -log h_(i, y_i) with h = softmax(z) row by row, and
    dJ_dz = (h - Y)/m, the book's δ(L) = h - Y divided by m.

    Parameters
    ----------
    fn : callable
        ``fn(z, y)`` with logits ``z`` of shape (m, K) (float64) and int labels
        ``y`` of shape (m,) in 0..K-1; returns the number J and an array of shape
        (m, K).

    Raises
    ------
    ValueError
        If ``fn`` is not callable.
    AssertionError
        If ``fn`` raises, changes its inputs, or returns a wrong value on one of 6
        cases (among them logits up to ±1000, where the naive formulas overflow).
    """
    __tracebackhide__ = True
    require_callable(fn, "fn(z, y) -> (J, dJ_dz)")
    run("softmax_cross_entropy", fn, _softmax_cross_entropy_cases(), _softmax_cross_entropy,
        _softmax_cross_entropy_mistakes(), _describe_cost_and_gradient, ["z", "y"],
        convert=_as_cost_and_gradient)


# --- the backward step through a hidden layer --------------------------------------------

def _hidden_delta(delta_next, theta, z, activation):
    """nnlib's δ(l) = δ(l+1) Θ(l)[:, 1:] ⊙ g'(z(l))."""
    return (delta_next @ theta[:, 1:]) * ACTIVATIONS[activation][1](z)


def _hidden_delta_mistakes():
    """Wrong versions of hidden_delta(delta_next, theta, z, activation)."""
    def g(activation):
        return ACTIVATIONS[activation][0]

    def g_prime(activation):
        return ACTIVATIONS[activation][1]

    def times(factor):
        """δ(l+1) Θ(l)[:, 1:] ⊙ factor(z, activation, m)."""
        return lambda d, t, z, act: (d @ t[:, 1:]) * factor(z, act, d.shape[0])

    def a_formula(z, act):
        """The derivative written for a = g(z), fed with z."""
        return {"sigmoid": z * (1 - z), "tanh": 1 - z ** 2}.get(act)

    return [
        ("the wrong column is dropped: column 0 of Θ(l) is the bias, which has no error to "
         "pass back; use Θ(l)[:, 1:], not Θ(l)[:, :-1]",
         lambda d, t, z, act: (d @ t[:, :-1]) * g_prime(act)(z)),
        ("Θ(l)[:, 1:] is transposed: with one example per row, δ(l) = δ(l+1) Θ(l)[:, 1:] "
         "(the column form of the derivation, Θᵀδ, becomes δ Θ)",
         lambda d, t, z, act: (d @ t[:, 1:].T) * g_prime(act)(z)),
        ("g' applied to the activation a = g(z) instead of z: this function gets z, so compute "
         "g'(z) directly", times(lambda z, act, m: g_prime(act)(g(act)(z)))),
        ("the derivative written for a = g(z) (a(1 − a) for the sigmoid, 1 − a² for tanh) "
         "applied to z: with z, use g(z)(1 − g(z)) and 1 − tanh²(z)",
         times(lambda z, act, m: a_formula(z, act))),
        ("g(z) instead of g'(z): backpropagation multiplies by the derivative of the activation",
         times(lambda z, act, m: g(act)(z))),
        ("the sigmoid's g' for every activation: use the derivative of the activation asked for",
         times(lambda z, act, m: g_prime("sigmoid")(z))),
        ("1 − tanh(z) instead of 1 − tanh²(z): the square is missing",
         times(lambda z, act, m: 1 - np.tanh(z) if act == "tanh" else None)),
        ("g'(z) is missing: δ(l) = δ(l+1) Θ(l)[:, 1:] ⊙ g'(z(l))",
         lambda d, t, z, act: d @ t[:, 1:]),
        ("divided by m: δ(l) carries no 1/m; it enters once, in D(l) = Δ(l)/m",
         times(lambda z, act, m: g_prime(act)(z) / m)),
    ]


def _hidden_delta_cases():
    rng = np.random.default_rng(20)

    def case(m, s, s_next, activation, zeros=False):
        z = rng.normal(0.0, 2.0, size=(m, s))
        if zeros:
            z[rng.random((m, s)) < 0.3] = 0.0
        return (rng.normal(size=(m, s_next)), rng.normal(size=(s_next, s + 1)), z, activation)

    # square Θ(l)[:, 1:] first: there a transposed Θ still multiplies, and can be named
    return [
        ("relu, m = 8, s_l = 5, s_(l+1) = 5", case(8, 5, 5, "relu")),
        ("tanh, m = 6, s_l = 4, s_(l+1) = 4", case(6, 4, 4, "tanh")),
        ("sigmoid, m = 3, s_l = 7, s_(l+1) = 2", case(3, 7, 2, "sigmoid")),
        ("relu, m = 5, s_l = 6, s_(l+1) = 3, with z exactly 0 at the corner",
         case(5, 6, 3, "relu", zeros=True)),
        ("tanh, one example, s_l = 3, s_(l+1) = 10", case(1, 3, 10, "tanh")),
        ("relu, m = 4, s_l = 5, s_(l+1) = 3", case(4, 5, 3, "relu")),
    ]


def _accept_any_relu_slope_at_0(got, args, name, where):
    """The student's δ(l), with g'(0) of the relu taken as nnlib's 0 wherever z = 0.

    The relu has no derivative at its corner; any slope in [0, 1] there is a fine
    choice (0 in nnlib, 1 for z >= 0, 0.5 for np.heaviside(z, 0.5)).  Where z = 0
    and the student's entry is c times δ(l+1) Θ(l)[:, 1:] with 0 <= c <= 1, it is
    replaced by nnlib's (c = 0), so that only the other entries are compared.
    """
    __tracebackhide__ = True
    got = as_array(got, args, name, where)
    delta_next, theta, z, activation = args
    if activation != "relu" or got.shape != z.shape:
        return got
    at_corner = z == 0
    if not at_corner.any():
        return got
    P = (delta_next @ theta[:, 1:])[at_corner]
    g = got[at_corner]
    slope = g / np.where(P != 0, P, 1.0)           # the student's g'(0) at each such entry
    slope_ok = np.where(P != 0, (slope >= -1e-6) & (slope <= 1 + 1e-6), np.abs(g) <= 1e-10)
    if np.all(slope_ok):
        got = got.copy()
        got[at_corner] = 0.0
    return got


def _describe_hidden_delta(expected, got, args):
    if got.shape != expected.shape:
        m, s = expected.shape
        known = {(m, s + 1): "the bias column of Θ(l) is not dropped: use Θ(l)[:, 1:]",
                 (s, m): "transposed: δ(l) has one row per example, shape (m, s_l)"}
        hint = known.get(got.shape)
        return (f"expected shape {expected.shape} (m, s_l), got {got.shape}"
                + (f": {hint}" if hint else ""))
    return describe_array(expected, got, args, "δ(l)")


def check_hidden_delta(fn):
    """Check ``fn(delta_next, theta, z, activation) -> delta``, one backward step.

    δ(l) = δ(l+1) Θ(l)[:, 1:] ⊙ g'(z(l)), one row per example.  At z = 0 the relu
    has no derivative: any g'(0) in [0, 1] is accepted there (nnlib uses 0).

    Parameters
    ----------
    fn : callable
        ``fn(delta_next, theta, z, activation)`` with δ(l+1) of shape
        (m, s_{l+1}), Θ(l) of shape (s_{l+1}, s_l + 1), z(l) of shape (m, s_l)
        and ``activation`` one of "relu", "tanh", "sigmoid"; returns δ(l) of
        shape (m, s_l).

    Raises
    ------
    ValueError
        If ``fn`` is not callable.
    AssertionError
        If ``fn`` raises, changes its inputs, or returns a wrong shape or value on
        one of 6 cases (relu, tanh and sigmoid layers; z exactly 0; one example).
    """
    __tracebackhide__ = True
    require_callable(fn, "fn(delta_next, theta, z, activation) -> delta of shape (m, s_l)")
    run("hidden_delta", fn, _hidden_delta_cases(), _hidden_delta, _hidden_delta_mistakes(),
        _describe_hidden_delta, ["delta_next", "theta", "z", "activation"],
        convert=_accept_any_relu_slope_at_0)


# --- He initialization ---------------------------------------------------------------------

SYMMETRY = ("the symmetry is not broken: units that start with equal weights get equal "
            "gradients and stay identical; draw every weight at random")

# The statistical tests below run only on layers with at least MIN_N weights, and
# each allows SIGMAS standard errors.  For a correct function (weights i.i.d.
# N(0, σ²) with σ² = 2/s_l):
# - the mean of n weights is N(0, σ²/n): |mean| > 6σ/√n has probability 2e-9;
# - the sample standard deviation s has relative standard error 1/√(2n) and is
#   close to normal for n >= 1000: |s/σ − 1| > 6/√(2n) has probability about 2e-9;
# - a normal weight exceeds 2.2σ in size with probability 0.0278, so all n >= 1000
#   stay below 2.2σ with probability <= 0.9722^1000 = 6e-13 (uniform weights of the
#   same variance never exceed √3 σ = 1.73σ).
# The cases below test 5 layers, so a correct function fails with probability
# below 5 × (2e-9 + 2e-9 + 1e-12) = 2e-8.
SIGMAS, MIN_N, NORMAL_REACH = 6.0, 1000, 2.2


def _he_std_mistakes(s_in, s_out):
    """(description, σ_wrong / σ) for the usual wrong scales of He's rule."""
    return [
        ("fan-out instead of fan-in: σ = √(2/s_l) with s_l the layer's inputs (columns − 1), "
         "not its outputs", np.sqrt(s_in / s_out)),
        ("σ² = 2/s_l passed as the standard deviation: np.random's normal(loc, scale) takes "
         "σ = √(2/s_l)", np.sqrt(2.0 / s_in)),
        ("Glorot's variance 2/(s_l + s_(l+1)): He's is 2/s_l", np.sqrt(s_in / (s_in + s_out))),
        ("the factor 2 is missing: σ² = 2/s_l (a relu zeroes half of its inputs)",
         np.sqrt(0.5)),
        ("uniform in [−σ, σ]: its standard deviation is σ/√3; He draws from the normal "
         "N(0, 2/s_l)", np.sqrt(1.0 / 3.0)),
        ("unscaled: standard normal weights, σ = 1; multiply by √(2/s_l)",
         1.0 / np.sqrt(2.0 / s_in)),
        ("the lab's uniform [−0.12, 0.12]: He's rule is the normal N(0, 2/s_l)",
         0.12 / np.sqrt(3.0) / np.sqrt(2.0 / s_in)),
    ]


def _he_layer_problem(W, s_in, s_out, l):
    """(what is off, likely mistake or None) for Θ(l), or None when it looks right."""
    want = (s_out, s_in + 1)
    if W.shape != want:
        known = {(s_in + 1, s_out): "transposed: Θ(l) has one row per unit it feeds",
                 (s_out, s_in): "the bias column is missing: Θ(l) needs s_l + 1 columns",
                 (s_in, s_out): "transposed, and the bias column is missing"}
        return (f"Θ({l}) has shape {W.shape}; expected (s_(l+1), s_l + 1) = {want}",
                known.get(W.shape))
    if not np.all(np.isfinite(W)):
        return f"Θ({l}) contains NaN or inf", None
    sigma = np.sqrt(2.0 / s_in)
    bias, weights = W[:, 0], W[:, 1:]
    if np.any(bias != 0):
        drawn = bias.size >= 2 and np.std(bias) > 0.2 * sigma
        return (f"the bias column of Θ({l}) is not 0 (it holds values up to "
                f"{np.abs(bias).max():.3g})",
                "the bias column is drawn too: He's rule draws the weights; the biases start "
                "at 0 (the random weights already break the symmetry)" if drawn else None)
    if np.ptp(weights) == 0:
        return f"all weights of Θ({l}) equal {weights.flat[0]:.3g}", SYMMETRY
    if s_out > 1 and np.unique(weights, axis=0).shape[0] < s_out:
        return f"two or more rows (units) of Θ({l}) have identical weights", SYMMETRY
    n = weights.size
    if n < MIN_N:
        return None
    mean, std = float(weights.mean()), float(weights.std())
    if abs(mean) > SIGMAS * sigma / np.sqrt(n):
        return (f"the weights of Θ({l}) have mean {mean:.3g}; they should be centred on 0 "
                f"(within {SIGMAS * sigma / np.sqrt(n):.2g} for {n} weights)",
                "no negative weights: rng.random gives [0, 1); He draws from a normal centred "
                "on 0" if weights.min() >= 0 else None)
    tol = SIGMAS / np.sqrt(2 * n)
    if abs(std / sigma - 1) > tol:
        mistake = None
        for description, ratio in _he_std_mistakes(s_in, s_out):
            if abs(std / sigma / ratio - 1) <= tol and abs(ratio - 1) > tol:
                mistake = description
                break
        return (f"the weights of Θ({l}) (s_l = {s_in} inputs, s_(l+1) = {s_out} units) have "
                f"standard deviation {std:.4g}; He's rule gives √(2/s_l) = {sigma:.4g}", mistake)
    reach = float(np.abs(weights).max())
    if reach < NORMAL_REACH * sigma:
        return (f"no weight of Θ({l}) goes beyond {reach / sigma:.2f} σ; {n} normal weights "
                f"reach well past {NORMAL_REACH} σ",
                "uniform with the right variance (He-uniform): this exercise asks for the normal "
                "distribution, rng.normal(0, np.sqrt(2 / s_l), size=(s_(l+1), s_l))")
    return None


def _init_he_cases():
    return [(f"layer_sizes = {sizes}, seed = {seed}", (sizes, seed))
            for sizes, seed in [([784, 128, 10], 0), ([3, 5, 2], 1), ([100, 400, 50], 2),
                                ([2000, 20, 3], 3)]]


def _as_thetas(got, sizes, name, where):
    __tracebackhide__ = True
    not_none(got, name, where)
    want = len(sizes) - 1
    if isinstance(got, np.ndarray) or not isinstance(got, (list, tuple)):
        raise CheckFailure(f"{name} must return a list of {want} weight matrices "
                           f"[Θ(1), ..., Θ({want})]; on {where} it returned "
                           f"{_validate._describe(got)}")
    if len(got) != want:
        raise CheckFailure(f"{name} returned {len(got)} matrices on {where}; layer_sizes "
                           f"{sizes} has {len(sizes)} layers, so {want} are expected (one per "
                           f"pair of neighbouring layers)")
    return [as_array(W, None, name, where) for W in got]


def check_init_he(fn):
    """Check ``fn(layer_sizes, seed) -> thetas``, He initialization for relu networks.

    Θ(l) of shape (s_{l+1}, s_l + 1): column 0 (the bias) all 0, every other entry
    drawn from the normal N(0, 2/s_l), with s_l the number of inputs of the layer.
    The same seed must give the same weights, another seed other ones.

    Parameters
    ----------
    fn : callable
        ``fn(layer_sizes, seed)`` with ``layer_sizes`` a list of int such as
        [784, 128, 10] and ``seed`` an int >= 0; returns a list of arrays.

    Raises
    ------
    ValueError
        If ``fn`` is not callable.
    AssertionError
        If ``fn`` raises, returns wrong shapes, a non-zero bias column, equal
        weights, a wrong spread, a non-normal distribution, or ignores the seed.
        The statistical tests fail a correct function with probability below 1e-6.
    """
    __tracebackhide__ = True
    name = "init_he"
    require_callable(fn, "fn(layer_sizes, seed) -> list of arrays Θ(l)")
    cases = _init_he_cases()
    for i, (label, args) in enumerate(cases, start=1):
        where = f"case {i} of {len(cases)} ({label})"
        given = _copy(args)
        thetas = _as_thetas(call(fn, given, name, where, i), args[0], name, where)
        if list(given[0]) != list(args[0]):
            fail(name, where, f"it changed layer_sizes from {args[0]} to {given[0]}",
                 "work on a copy of the list you are given", i)
        sizes = args[0]
        for l, W in enumerate(thetas, start=1):
            problem = _he_layer_problem(W, sizes[l - 1], sizes[l], l)
            if problem is not None:
                fail(name, where, *problem, i)
    # the seed: the same one gives the same weights, another one other weights
    sizes = [50, 20, 10]
    i = len(cases) + 1
    where = f"case {i} (layer_sizes = {sizes}, called with seed 7, seed 7 again, then seed 8)"
    first, again, other = (_as_thetas(call(fn, ([*sizes], seed), name, where, i), sizes, name,
                                      where) for seed in (7, 7, 8))
    if not all(np.array_equal(a, b) for a, b in zip(first, again)):
        fail(name, where, "two calls with the same seed gave different weights",
             "the seed is not used: make the generator from it, rng = np.random.default_rng(seed), "
             "and draw every weight from rng (not from np.random)", i)
    if all(np.array_equal(a, b) for a, b in zip(first, other)):
        fail(name, where, "seeds 7 and 8 gave the same weights",
             "the seed is not used: a fixed seed inside the function? use the seed argument", i)
    print(f"✓ {name}: shapes, zero biases, spread √(2/s_l) and a normal shape on {len(cases)} "
          f"cases; the seed is used")


def _init_he_inputs():
    """The cases of :func:`check_init_he`, with the seed test's call last (for ``inputs``)."""
    return _init_he_cases() + [("layer_sizes = [50, 20, 10], seed 7", ([50, 20, 10], 7))]


# --- one momentum step -----------------------------------------------------------------

def _momentum_step(theta, v, D, lr, momentum):
    """nnlib's update: v ← μ v − η D, then Θ ← Θ + v (new arrays)."""
    v_new = momentum * v - lr * D
    return theta + v_new, v_new


def _momentum_step_mistakes():
    """Wrong versions of momentum_step(theta, v, D, lr, momentum) -> (theta_new, v_new)."""
    def wrong(theta_of, v_of):
        return lambda t, v, D, lr, mu: (theta_of(t, v, D, lr, mu), v_of(t, v, D, lr, mu))

    def right_v(t, v, D, lr, mu):
        return mu * v - lr * D

    return [
        ("wrong sign: v ← μ v − η D steps downhill, against the gradient",
         wrong(lambda t, v, D, lr, mu: t + mu * v + lr * D, lambda t, v, D, lr, mu: mu * v + lr * D)),
        ("wrong sign in the update of Θ: Θ ← Θ + v, since v already points downhill",
         wrong(lambda t, v, D, lr, mu: t - right_v(t, v, D, lr, mu), right_v)),
        ("Θ moves by the old velocity: update v first, v ← μ v − η D, then Θ ← Θ + v with the "
         "new v", wrong(lambda t, v, D, lr, mu: t + v, right_v)),
        ("Θ moves by −η D (plain SGD): with momentum, Θ ← Θ + v",
         wrong(lambda t, v, D, lr, mu: t - lr * D, right_v)),
        ("the momentum multiplies the gradient too: v ← μ v − η D, not μ (v − η D)",
         wrong(lambda t, v, D, lr, mu: t + mu * (v - lr * D),
               lambda t, v, D, lr, mu: mu * (v - lr * D))),
        ("v is not updated: the returned v must be the new velocity μ v − η D",
         wrong(lambda t, v, D, lr, mu: t + right_v(t, v, D, lr, mu), lambda t, v, D, lr, mu: v)),
        ("η and μ swapped: v ← μ v − η D with μ = momentum and η = lr",
         wrong(lambda t, v, D, lr, mu: t + lr * v - mu * D, lambda t, v, D, lr, mu: lr * v - mu * D)),
        ("an average instead of a sum: v ← μ v − (1 − μ) η D damps the step; here it is "
         "v ← μ v − η D", wrong(lambda t, v, D, lr, mu: t + mu * v - (1 - mu) * lr * D,
                                lambda t, v, D, lr, mu: mu * v - (1 - mu) * lr * D)),
        ("PyTorch's form v ← μ v + D, Θ ← Θ − η v keeps another velocity (−v/η of this one); "
         "use v ← μ v − η D, Θ ← Θ + v",
         wrong(lambda t, v, D, lr, mu: t - lr * (mu * v + D), lambda t, v, D, lr, mu: mu * v + D)),
        ("Nesterov's update Θ ← Θ + μ v − η D: this step is plain momentum, Θ ← Θ + v",
         wrong(lambda t, v, D, lr, mu: t + mu * right_v(t, v, D, lr, mu) - lr * D, right_v)),
        ("the pair is returned in the wrong order: return (theta_new, v_new)",
         lambda t, v, D, lr, mu: _momentum_step(t, v, D, lr, mu)[::-1]),
    ]


def _momentum_step_cases():
    rng = np.random.default_rng(30)

    def case(shape, lr, momentum, v_scale=0.1):
        return (rng.normal(size=shape), rng.normal(0.0, v_scale, size=shape),
                rng.normal(size=shape), lr, momentum)

    return [
        ("Θ of shape (3, 4), η = 0.1, μ = 0.9", case((3, 4), 0.1, 0.9)),
        ("Θ of shape (25, 401), η = 0.05, μ = 0.5", case((25, 401), 0.05, 0.5)),
        ("the first step: v = 0, η = 0.3, μ = 0.9", case((1, 2), 0.3, 0.9, v_scale=0.0)),
        ("plain SGD: μ = 0, η = 0.01", case((10, 6), 0.01, 0.0)),
        ("Θ of shape (4, 3), η = 1, μ = 0.99", case((4, 3), 1.0, 0.99)),
    ]




def _describe_momentum_step(expected, got, args):
    lines = []
    for k, what in enumerate(("theta_new", "v_new")):
        if got[k].shape != expected[k].shape:
            lines.append(f"{what}: expected shape {expected[k].shape} (the shape of theta), "
                         f"got {got[k].shape}")
        elif not close(got[k], expected[k]):
            i = worst(expected[k], got[k])
            lines.append(f"{what}: largest difference at {index(i)}: expected "
                         f"{expected[k][i]:.6g}, got {got[k][i]:.6g}")
    return "\n  ".join(lines)


def check_momentum_step(fn):
    """Check ``fn(theta, v, D, lr, momentum) -> (theta_new, v_new)``, one momentum update.

    v_new = μ v − η D and theta_new = Θ + v_new, with η = ``lr`` and μ = ``momentum``.

    Parameters
    ----------
    fn : callable
        ``fn(theta, v, D, lr, momentum)`` with Θ, v and D arrays of one shape and
        ``lr``, ``momentum`` floats; returns two new arrays of that shape and leaves
        its inputs unchanged.

    Raises
    ------
    ValueError
        If ``fn`` is not callable.
    AssertionError
        If ``fn`` raises, changes its inputs, or returns wrong values on one of 5
        cases (μ = 0.9, 0.5, 0 and 0.99; the first step with v = 0).
    """
    __tracebackhide__ = True
    require_callable(fn, "fn(theta, v, D, lr, momentum) -> (theta_new, v_new)")
    run("momentum_step", fn, _momentum_step_cases(), _momentum_step, _momentum_step_mistakes(),
        _describe_momentum_step, ["theta", "v", "D", "lr", "momentum"],
        convert=lambda got, args, name, where: _pair_of_arrays(got, args, name, where,
                                                               "(theta_new, v_new)"),
        inplace_hint="return new arrays (v_new = momentum * v - lr * D, theta_new = theta + "
                     "v_new) instead of changing theta or v with += or *=; the trainer stores "
                     "them for you")


# --- inverted dropout ----------------------------------------------------------------

def _dropout_forward(a, rate, rng):
    """nnlib's inverted dropout: a mask of 0 and 1/q (q = 1 − rate), and a ⊙ mask."""
    mask = _masks(rng, a.shape[0], [a.shape[1]], rate, np.float64)[0]
    return a * mask, mask


def _dropout_forward_cases():
    """(label, (a, rate, rng)); a fresh generator per call, so that inputs() reproduces a case."""
    def case(m, s, rate, seed):
        rng = np.random.default_rng([40, seed])
        return (rng.uniform(0.1, 2.0, size=(m, s)), rate, np.random.default_rng(seed))

    return [
        ("a of shape (200, 50), rate p = 0.1", case(200, 50, 0.1, 0)),
        ("a of shape (50, 400), rate p = 0.3", case(50, 400, 0.3, 1)),
        ("a of shape (100, 128), rate p = 0.5", case(100, 128, 0.5, 2)),
        ("a of shape (400, 64), rate p = 0.8", case(400, 64, 0.8, 3)),
        ("a of shape (3, 4), rate p = 0 (nothing dropped)", case(3, 4, 0.0, 4)),
    ]


def _mask_values_problem(values, rate):
    """(what is off, likely mistake) if the mask holds other values than 0 and 1/q, else None."""
    q = 1.0 - rate
    kept = values[values != 0]
    if kept.size == 0:
        return (f"every entry of the mask is 0 (rate p = {rate:g})",
                "every unit is dropped: keep a unit with probability q = 1 − p")
    if np.allclose(kept, 1.0 / q, rtol=1e-6):
        return None
    found = np.unique(np.round(values, 12))
    what = f"the mask holds {found[:5].tolist()}{' ...' if found.size > 5 else ''}"
    known = [(1.0, "no 1/q scaling: inverted dropout multiplies the kept units by 1/q = "
                   "1/(1 − p), so that each unit's expected value stays the same"),
             (q, "the kept units are multiplied by q = 1 − p; inverted dropout divides by it")]
    if rate > 0:
        known.append((1.0 / rate, "scaled by 1/p (the drop rate) instead of 1/q = 1/(1 − p) "
                                  "(the keep probability)"))
    for value, mistake in known:
        if np.allclose(kept, value, rtol=1e-6):
            return f"{what}; expected 0 and 1/q = {1.0 / q:.6g}", mistake
    return f"{what}; expected only 0 and 1/q = {1.0 / q:.6g}", None


def check_dropout_forward(fn):
    """Check ``fn(a, rate, rng) -> (a_dropped, mask)``, inverted dropout of one layer.

    mask has the shape of ``a``; each entry is 0 with probability p = ``rate`` and
    1/q with probability q = 1 − p, independently, drawn from the generator
    ``rng``; a_dropped = a ⊙ mask.

    Exact tests: shapes, the mask's two values, a_dropped = a ⊙ mask, the same
    generator state giving the same mask, a new mask on the next call, other
    masks for other examples.  Statistical test: the fraction of kept entries is
    within 6 standard errors, 6 √(q (1 − q) / n), of q on each of 4 cases with
    n >= 6400 entries; a correct function fails it with probability about
    4 × 2e-9 = 8e-9.

    Parameters
    ----------
    fn : callable
        ``fn(a, rate, rng)`` with activations ``a`` of shape (m, s), the drop rate
        ``rate`` in [0, 1) and a ``numpy.random.Generator``; returns two arrays of
        shape (m, s).

    Raises
    ------
    ValueError
        If ``fn`` is not callable.
    AssertionError
        If ``fn`` raises, changes ``a``, or breaks one of the tests above.
    """
    __tracebackhide__ = True
    name = "dropout_forward"
    require_callable(fn, "fn(a, rate, rng) -> (a_dropped, mask)")
    cases, twins = _dropout_forward_cases(), _dropout_forward_cases()
    for i, ((label, args), (_, twin)) in enumerate(zip(cases, twins), start=1):
        where = f"case {i} of {len(cases)} ({label})"
        a, rate, rng = args
        given = (a.copy(), rate, rng)
        a_dropped, mask = _pair_of_arrays(call(fn, given, name, where, i), args, name, where,
                                          "(a_dropped, mask)")
        change = changed_input([a], [given[0]], ["a"])
        if change is not None:
            fail(name, where, f"it changed its input in place: {change}",
                 "a_dropped must be a new array, a * mask; leave a as it was", i)
        if mask.shape != a.shape:
            mistake = ("one mask row for every example: draw one number per entry, "
                       "rng.random(a.shape)" if mask.size == a.shape[1] else None)
            fail(name, where, f"the mask has shape {mask.shape}; expected the shape of a, "
                 f"{a.shape}", mistake, i)
        if a_dropped.shape != a.shape:
            fail(name, where, f"a_dropped has shape {a_dropped.shape}; expected {a.shape}", None, i)
        if (0 < rate and np.all((mask == 0) | (mask == 1)) and np.any(mask == 1)
                and np.allclose(a_dropped, a * mask / (1.0 - rate), rtol=1e-12, atol=0)):
            fail(name, where, "a_dropped is scaled by 1/q, but the mask returned holds 0 and 1",
                 "return the mask with its 1/q (0 or 1/q): the backward step multiplies δ by "
                 "the very same mask", i)
        problem = _mask_values_problem(mask, rate)
        if problem is not None:
            fail(name, where, *problem, i)
        if not np.allclose(a_dropped, a * mask, rtol=1e-12, atol=0):
            k = worst(a * mask, a_dropped)
            fail(name, where, f"a_dropped is not a ⊙ mask: at {index(k)} a = {a[k]:.6g}, mask = "
                 f"{mask[k]:.6g}, a_dropped = {a_dropped[k]:.6g}",
                 "the mask returned is not the one applied: draw the mask once and use it "
                 "for a_dropped too", i)
        q, n = 1.0 - rate, mask.size
        kept = np.count_nonzero(mask) / n
        if n >= 1000 and 0 < rate:
            tol = SIGMAS * np.sqrt(q * (1 - q) / n)
            if abs(kept - q) > tol:
                fail(name, where, f"{100 * kept:.1f} % of the entries are kept; with drop rate "
                     f"p = {rate:g} about {100 * q:.1f} % (q = 1 − p) should be",
                     "units are kept with probability p, the drop rate, instead of q = 1 − p: "
                     "keep an entry where rng.random(a.shape) < 1 - rate"
                     if abs(kept - rate) <= tol else None, i)
            if a.shape[0] > 1 and np.all(mask == mask[:1]):
                fail(name, where, "every example (row) has the same mask",
                     "one mask row for every example: draw one number per entry, "
                     "rng.random(a.shape)", i)
        # the generator decides: the same state again gives the same mask ...
        twin_mask = _pair_of_arrays(call(fn, twin, name, where, i), twin, name, where,
                                    "(a_dropped, mask)")[1]
        if not np.array_equal(twin_mask, mask):
            fail(name, where, "two calls with generators in the same state gave different masks",
                 "the generator rng is not used: draw from it, rng.random(a.shape), not from "
                 "np.random", i)
        # ... and the next call on the same generator a new one
        next_mask = _pair_of_arrays(call(fn, (a.copy(), rate, rng), name, where, i), args,
                                    name, where, "(a_dropped, mask)")[1]
        if 0 < rate and np.array_equal(next_mask, mask):
            fail(name, where, "a second call with the same generator gave the same mask again",
                 "a new generator is made inside (np.random.default_rng(0)?): use the rng "
                 "passed in, so that every minibatch gets a new mask", i)
    print(f"✓ {name}: masks of 0 and 1/q, a ⊙ mask, the kept fraction and the generator on "
          f"{len(cases)} cases")


def _dropout_backward(delta, mask):
    """nnlib's backward step of dropout: δ ⊙ mask."""
    return delta * mask


def _dropout_backward_cases():
    rng = np.random.default_rng(50)
    cases = []
    for m, s, rate in [(6, 5, 0.5), (20, 16, 0.1), (1, 8, 0.3), (4, 3, 0.0)]:
        mask = _masks(rng, m, [s], rate, np.float64)[0]
        cases.append((f"δ of shape ({m}, {s}), a mask of rate p = {rate:g}",
                      (rng.normal(size=(m, s)), mask)))
    return cases


def check_dropout_backward(fn):
    """Check ``fn(delta, mask) -> delta``, the backward step of inverted dropout.

    A dropped unit had no effect on the cost and a kept one was scaled by 1/q, so
    δ is multiplied by the forward pass's own mask: δ ⊙ mask.

    Parameters
    ----------
    fn : callable
        ``fn(delta, mask)`` with two arrays of shape (m, s), the mask holding 0
        and 1/q; returns an array of shape (m, s).

    Raises
    ------
    ValueError
        If ``fn`` is not callable.
    AssertionError
        If ``fn`` raises, changes its inputs, or returns wrong values on one of 4
        cases.
    """
    __tracebackhide__ = True
    require_callable(fn, "fn(delta, mask) -> delta of shape (m, s)")
    mistakes = [
        ("the mask is not applied: a dropped unit had no effect on the cost, so its δ is 0",
         lambda d, M: d),
        ("the kept units' 1/q is missing: multiply by the mask itself (0 or 1/q), not by "
         "mask > 0", lambda d, M: d * (M > 0)),
        ("the mask is applied twice (δ ⊙ mask ⊙ mask)", lambda d, M: d * M * M),
        ("divided by the mask instead of multiplied", lambda d, M: d / M),
        ("the mask is inverted: the kept units must keep their δ (times 1/q), the dropped "
         "ones get 0", lambda d, M: d * (M == 0)),
    ]
    run("dropout_backward", fn, _dropout_backward_cases(), _dropout_backward, mistakes,
        lambda e, g, a: describe_array(e, g, a, "δ"), ["delta", "mask"], convert=as_array)


# --- a learning-rate schedule ------------------------------------------------------------

def _time_decay_rate(t, lr, decay):
    """nnlib's time-based decay η_t = η_0 / (1 + d t)."""
    return lr / (1.0 + decay * t)


def check_time_decay_rate(fn):
    """Check ``fn(t, lr, decay) -> rate``, the lab's time-based decay η_t = η_0 / (1 + d t).

    Parameters
    ----------
    fn : callable
        ``fn(t, lr, decay)`` with the epoch ``t`` = 0, 1, 2, ... (an int), the
        first epoch's rate η_0 = ``lr`` and the decay d >= 0; returns a number.

    Raises
    ------
    ValueError
        If ``fn`` is not callable.
    AssertionError
        If ``fn`` raises or returns a wrong value on one of 6 cases.
    """
    __tracebackhide__ = True
    require_callable(fn, "fn(t, lr, decay) -> learning rate")
    mistakes = [
        ("t counted from 1: the first epoch, t = 0, must run at η_0",
         lambda t, lr, d: lr / (1 + d * (t + 1))),
        ("operator precedence: lr / 1 + decay * t is η_0 + d t; write lr / (1 + decay * t)",
         lambda t, lr, d: lr / 1 + d * t),
        ("the rate grows: η_0 (1 + d t) multiplies where η_0 / (1 + d t) divides",
         lambda t, lr, d: lr * (1 + d * t)),
        ("exponential decay η_0 / (1 + d)^t: the time-based rule divides by 1 + d t",
         lambda t, lr, d: lr / (1 + d) ** t),
        ("linear decay η_0 (1 − d t), which turns negative: the time-based rule is "
         "η_0 / (1 + d t)", lambda t, lr, d: lr * (1 - d * t)),
        ("η_0 / (1 + d) t: the brackets must hold d t, lr / (1 + decay * t)",
         lambda t, lr, d: lr / (1 + d) * t),
    ]
    run("time_decay_rate", fn, _time_decay_rate_cases(), _time_decay_rate, mistakes,
        describe_number, ["t", "lr", "decay"], convert=as_number)


def _time_decay_rate_cases():
    return [(f"t = {t}, lr = {lr:g}, decay = {decay:g}", (t, lr, decay))
            for t, lr, decay in [(0, 0.1, 0.096), (1, 0.1, 0.096), (10, 0.1, 0.096),
                                 (24, 0.05, 0.5), (3, 1.0, 0.0), (100, 0.01, 1.0)]]


register("softmax_cross_entropy", check_softmax_cross_entropy, _softmax_cross_entropy_cases,
         _softmax_cross_entropy)
register("hidden_delta", check_hidden_delta, _hidden_delta_cases, _hidden_delta)
register("init_he", check_init_he, _init_he_inputs, lambda layer_sizes, seed: _init_he(layer_sizes, seed))
register("momentum_step", check_momentum_step, _momentum_step_cases, _momentum_step)
register("dropout_forward", check_dropout_forward, _dropout_forward_cases, _dropout_forward)
register("dropout_backward", check_dropout_backward, _dropout_backward_cases, _dropout_backward)
register("time_decay_rate", check_time_decay_rate, _time_decay_rate_cases, _time_decay_rate)
