"""nnlib.checks for chapters 10 and 11: right versions pass; each classic slip is caught and named.

As in tests/test_checks.py, the buggy functions are written the way a student
would write each step, with one deliberate slip.  A check must raise an
AssertionError whose message names that slip (asserted on a keyword of the
message), and a slip it does not know must still fail, with the generic message.
"""
import numpy as np
import pytest

import nnlib
from nnlib import checks
from nnlib.checks import _core

GENERIC = "matches none of the known mistakes"


def raises(check, fn, keyword):
    with pytest.raises(AssertionError, match=keyword) as info:
        check(fn)
    return str(info.value)


# --- a student's versions of the second part's steps ----------------------------------------

def softmax_ce(z, y, shift="row", axis=1, J_over="m", grad_over_m=True, sign=1.0,
               offset=0, J_from_h=False, subtract_Y=True, two_term=False):
    """(J, ∂J/∂z) of the softmax cost, with switches for the classic slips."""
    with np.errstate(all="ignore"):
        m, K = z.shape
        c = {"row": z.max(axis=axis, keepdims=True), "none": 0.0, "global": z.max()}[shift]
        e = np.exp(z - c)
        h = e / e.sum(axis=axis, keepdims=True)
        Y = np.eye(K)[(y + offset) % K]
        if J_from_h or two_term or axis != 1:       # a softmax over axis 0 is used through h
            terms = -Y * np.log(h)
            if two_term:
                terms = terms - (1 - Y) * np.log(1 - h)
            total = terms.sum()
        else:
            log_sum = np.log(e.sum(axis=1)) + np.ravel(c) * np.ones(m)   # log Σ e^z
            total = np.sum(log_sum - z[np.arange(m), (y + offset) % K])
        J = total / {"m": m, "1": 1, "mK": m * K}[J_over]
        grad = sign * (h - (Y if subtract_Y else 0)) / (m if grad_over_m else 1)
    return J, grad


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def g_prime(z, activation):
    if activation == "relu":
        return (z > 0).astype(float)
    if activation == "tanh":
        return 1 - np.tanh(z) ** 2
    return sigmoid(z) * (1 - sigmoid(z))


def hidden_delta(delta_next, theta, z, activation, drop="first", transpose=False, slope=None,
                 over_m=False):
    """δ(l) = δ(l+1) Θ(l)[:, 1:] ⊙ g'(z(l)), with switches for the classic slips."""
    W = {"first": theta[:, 1:], "last": theta[:, :-1]}[drop]
    back = delta_next @ (W.T if transpose else W)
    factor = g_prime(z, activation) if slope is None else slope(z, activation)
    return back * factor / (delta_next.shape[0] if over_m else 1)


def init_he(layer_sizes, seed, scale=None, bias="zero", dist="normal", offset=0):
    """He initialization; `scale(s_in, s_out)` replaces √(2/s_in) for the slips."""
    rng = np.random.default_rng(seed + offset)
    thetas = []
    for s_in, s_out in zip(layer_sizes[:-1], layer_sizes[1:]):
        sigma = np.sqrt(2 / s_in) if scale is None else scale(s_in, s_out)
        if dist == "normal":
            W = rng.normal(0.0, sigma, size=(s_out, s_in))
        elif dist == "he-uniform":
            W = rng.uniform(-np.sqrt(3) * sigma, np.sqrt(3) * sigma, size=(s_out, s_in))
        else:                                                   # "rand": [0, 1)
            W = sigma * rng.random((s_out, s_in))
        b = rng.normal(0.0, sigma, size=(s_out, 1)) if bias == "drawn" else np.zeros((s_out, 1))
        thetas.append(np.hstack([b, W]))
    return thetas


def momentum_step(theta, v, D, lr, momentum):
    v_new = momentum * v - lr * D
    return theta + v_new, v_new


def dropout_forward(a, rate, rng, keep=None, scale=None, same_rows=False):
    q = 1 - rate
    shape = (1, a.shape[1]) if same_rows else a.shape
    kept = rng.random(shape) < (q if keep is None else keep(rate))
    mask = kept * ((1 / q) if scale is None else scale(rate))
    mask = np.broadcast_to(mask, a.shape).copy()
    return a * mask, mask


def time_decay_rate(t, lr, decay):
    return lr / (1 + decay * t)


# --- every check: a missing return is named (non-functions and raising functions: test_checks.py)

ALL_CHECKS = [checks.check_softmax_cross_entropy, checks.check_hidden_delta, checks.check_init_he,
              checks.check_momentum_step, checks.check_dropout_forward,
              checks.check_dropout_backward, checks.check_time_decay_rate]
RIGHT = {
    "softmax_cross_entropy": softmax_ce, "hidden_delta": hidden_delta, "init_he": init_he,
    "momentum_step": momentum_step, "dropout_forward": dropout_forward,
    "dropout_backward": lambda delta, mask: delta * mask, "time_decay_rate": time_decay_rate,
}


@pytest.mark.parametrize("check", ALL_CHECKS, ids=lambda c: c.__name__)
def test_none_returned_says_a_return_is_missing(check):
    with pytest.raises(AssertionError, match="returned None .*`return` missing"):
        check(lambda *args: None)


@pytest.mark.parametrize("name", sorted(RIGHT))
def test_right_versions_and_nnlibs_fallbacks_pass(name, capsys):
    check, _, nnlib_version = _core.REGISTRY[name]
    check(RIGHT[name])
    check(nnlib_version)                          # what use() hands out must pass its own check
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 2 and all(line.startswith(f"✓ {name}: ") for line in out)


@pytest.mark.parametrize("name", sorted(RIGHT))
def test_inputs_reproduce_the_arguments_of_every_case(name):
    cases = _core.REGISTRY[name][1]()
    for i in range(1, len(cases) + 1):
        args = checks.inputs(name, i)
        assert len(args) == len(cases[i - 1][1])
    with pytest.raises(ValueError, match="case must be an integer from 1 to"):
        checks.inputs(name, len(cases) + 1)


def test_use_falls_back_to_nnlib_with_a_note(capsys):
    wrong = lambda t, lr, decay: lr                               # noqa: E731
    fallback = checks.use("time_decay_rate", wrong)
    assert fallback is not wrong and fallback(2, 0.1, 0.5) == pytest.approx(0.05)
    assert "does not pass its check yet" in capsys.readouterr().out
    assert checks.use("time_decay_rate", time_decay_rate) is time_decay_rate


def test_the_time_limit_applies(monkeypatch):
    monkeypatch.setattr(_core, "TIME_LIMIT", 0.2)

    def endless(t, lr, decay):
        while True:
            pass

    with pytest.raises(AssertionError, match="did not finish within 0.2 s"):
        checks.check_time_decay_rate(endless)


def test_the_exports():
    for check in ALL_CHECKS:
        assert check.__name__ in checks.__all__ and getattr(checks, check.__name__) is check


# --- the softmax and its cross-entropy ----------------------------------------------------

@pytest.mark.parametrize("fn, keyword", [
    (lambda z, y: softmax_ce(z, y, axis=0), "wrong axis"),
    (lambda z, y: softmax_ce(z, y, J_over="1"), "missing 1/m in J"),
    (lambda z, y: softmax_ce(z, y, J_over="mK"), "divided by m·K"),
    (lambda z, y: softmax_ce(z, y, grad_over_m=False), "gradient lacks the 1/m"),
    (lambda z, y: softmax_ce(z, y, sign=-1.0), "wrong sign of the gradient"),
    (lambda z, y: softmax_ce(z, y, sign=-1.0, grad_over_m=False), "wrong sign of the gradient"),
    (lambda z, y: softmax_ce(z, y, subtract_Y=False), "Y is not subtracted"),
    (lambda z, y: softmax_ce(z, y, offset=1), "labels shifted by one"),
    (lambda z, y: softmax_ce(z, y, offset=-1), "labels shifted by one"),
    (lambda z, y: softmax_ce(z, y, two_term=True), "two-term cost"),
    (lambda z, y: softmax_ce(z, y, shift="none"), "no max-shift"),
    (lambda z, y: softmax_ce(z, y, shift="none", J_from_h=True), "no max-shift"),
    (lambda z, y: softmax_ce(z, y, shift="global"), "largest logit of the whole matrix"),
    (lambda z, y: softmax_ce(z, y, J_from_h=True), "computed from h"),
])
def test_softmax_cross_entropy_names_the_mistake(fn, keyword):
    message = raises(checks.check_softmax_cross_entropy, fn, keyword)
    assert 'nnlib.checks.inputs("softmax_cross_entropy", ' in message


def test_softmax_cross_entropy_names_the_lab_sigmoids():
    def lab_outputs(z, y):
        h, Y = sigmoid(z), np.eye(z.shape[1])[y]
        J = np.sum(-Y * np.log(h) - (1 - Y) * np.log(1 - h)) / z.shape[0]
        return J, (h - Y) / z.shape[0]

    with np.errstate(all="ignore"):
        raises(checks.check_softmax_cross_entropy, lab_outputs, "K sigmoid outputs")


def test_softmax_cross_entropy_overflow_fails_on_the_large_logits_case():
    message = raises(checks.check_softmax_cross_entropy,
                     lambda z, y: softmax_ce(z, y, shift="none"), "no max-shift")
    assert "case 5 of 6" in message and "for finite logits" in message


def test_softmax_cross_entropy_unknown_slip_and_bad_returns():
    message = raises(checks.check_softmax_cross_entropy,
                     lambda z, y: (softmax_ce(z, y)[0] + 0.01, softmax_ce(z, y)[1]), GENERIC)
    assert "J: expected" in message
    raises(checks.check_softmax_cross_entropy, lambda z, y: softmax_ce(z, y)[0],
           r"must return a pair \(J, dJ_dz\)")
    raises(checks.check_softmax_cross_entropy,
           lambda z, y: (np.full(2, 1.0), softmax_ce(z, y)[1]), "must be one number")
    raises(checks.check_softmax_cross_entropy,
           lambda z, y: (softmax_ce(z, y)[0], softmax_ce(z, y)[1].T), r"transposed")


def test_softmax_cross_entropy_refuses_a_function_that_changes_z():
    def shifts_in_place(z, y):
        z -= z.max(axis=1, keepdims=True)
        return softmax_ce(z, y)

    raises(checks.check_softmax_cross_entropy, shifts_in_place, "changed its input in place: z")


# --- the hidden layer's backward step -------------------------------------------------

def a_formula(z, activation):
    """The derivative written for a = g(z), fed with z."""
    return {"relu": (z > 0).astype(float), "tanh": 1 - z ** 2, "sigmoid": z * (1 - z)}[activation]


def g(z, activation):
    return {"relu": np.maximum(z, 0), "tanh": np.tanh(z), "sigmoid": sigmoid(z)}[activation]


@pytest.mark.parametrize("fn, keyword", [
    (lambda d, t, z, act: hidden_delta(d, t, z, act, drop="last"), "wrong column is dropped"),
    (lambda d, t, z, act: hidden_delta(d, t, z, act, transpose=True), "transposed"),
    (lambda d, t, z, act: hidden_delta(d, t, z, act, slope=lambda z, a: g_prime(g(z, a), a)),
     "applied to the activation"),
    (lambda d, t, z, act: hidden_delta(d, t, z, act, slope=a_formula), "written for a = g"),
    (lambda d, t, z, act: hidden_delta(d, t, z, act, slope=g), r"g\(z\) instead of g'\(z\)"),
    (lambda d, t, z, act: hidden_delta(d, t, z, act, slope=lambda z, a: g_prime(z, "sigmoid")),
     "sigmoid's g' for every activation"),
    (lambda d, t, z, act: hidden_delta(
        d, t, z, act, slope=lambda z, a: 1 - np.tanh(z) if a == "tanh" else g_prime(z, a)),
     "the square is missing"),
    (lambda d, t, z, act: hidden_delta(d, t, z, act, slope=lambda z, a: 1.0), "is missing"),
    (lambda d, t, z, act: hidden_delta(d, t, z, act, over_m=True), "divided by m"),
])
def test_hidden_delta_names_the_mistake(fn, keyword):
    raises(checks.check_hidden_delta, fn, keyword)


def test_hidden_delta_shape_slips_are_described():
    message = raises(checks.check_hidden_delta,
                     lambda d, t, z, act: (d @ t) * np.hstack([np.ones((z.shape[0], 1)),
                                                               g_prime(z, act)]),
                     "bias column of Θ.* is not dropped")
    assert "expected shape (8, 5)" in message
    raises(checks.check_hidden_delta,
           lambda d, t, z, act: hidden_delta(d, t, z, act).T, "transposed: δ.* one row per example")


@pytest.mark.parametrize("slope_at_0", [0.0, 0.5, 1.0])
def test_hidden_delta_accepts_any_relu_slope_in_0_1_at_the_corner(slope_at_0, capsys):
    def heaviside(z, activation):
        return np.heaviside(z, slope_at_0) if activation == "relu" else g_prime(z, activation)

    checks.check_hidden_delta(lambda d, t, z, act: hidden_delta(d, t, z, act, slope=heaviside))
    assert capsys.readouterr().out.startswith("✓ hidden_delta")


def test_hidden_delta_refuses_a_slope_outside_0_1_at_the_corner():
    def slope(z, activation):
        return np.heaviside(z, 2.0) if activation == "relu" else g_prime(z, activation)

    message = raises(checks.check_hidden_delta,
                     lambda d, t, z, act: hidden_delta(d, t, z, act, slope=slope), GENERIC)
    assert "case 4 of 6" in message


def test_hidden_delta_unknown_slip():
    raises(checks.check_hidden_delta, lambda d, t, z, act: 1.01 * hidden_delta(d, t, z, act),
           GENERIC)


# --- He initialization ------------------------------------------------------------------

@pytest.mark.parametrize("fn, keyword", [
    (lambda s, seed: init_he(s, seed, scale=lambda i, o: np.sqrt(2 / o)), "fan-out instead of fan-in"),
    (lambda s, seed: init_he(s, seed, scale=lambda i, o: 2 / i), "passed as the standard deviation"),
    (lambda s, seed: init_he(s, seed, scale=lambda i, o: np.sqrt(2 / (i + o))), "Glorot's variance"),
    (lambda s, seed: init_he(s, seed, scale=lambda i, o: np.sqrt(1 / i)), "factor 2 is missing"),
    (lambda s, seed: init_he(s, seed, scale=lambda i, o: 1.0), "unscaled"),
    (lambda s, seed: [np.hstack([np.zeros((W.shape[0], 1)), W[:, 1:]])
                      for W in nnlib.init_weights(s, seed, eps=0.12)], "the lab's uniform"),
    (lambda s, seed: init_he(s, seed, dist="he-uniform"), "He-uniform"),
    (lambda s, seed: init_he(s, seed, dist="rand"), "no negative weights"),
    (lambda s, seed: init_he(s, seed, bias="drawn"), "bias column is drawn too"),
    (lambda s, seed: [W.T for W in init_he(s, seed)], "transposed"),
    (lambda s, seed: [W[:, 1:] for W in init_he(s, seed)], "bias column is missing"),
    (lambda s, seed: [np.full(W.shape, 0.01) * (np.arange(W.shape[1]) > 0)
                      for W in init_he(s, seed)], "symmetry is not broken"),
    (lambda s, seed: [np.tile(W[:1], (W.shape[0], 1)) for W in init_he(s, seed)],
     "symmetry is not broken"),
    (lambda s, seed: init_he(s, np.random.randint(1000)), "the seed is not used: make the generator"),
    (lambda s, seed: init_he(s, 0), "a fixed seed inside"),
])
def test_init_he_names_the_mistake(fn, keyword):
    raises(checks.check_init_he, fn, keyword)


def test_init_he_unknown_slip_and_bad_returns():
    raises(checks.check_init_he, lambda s, seed: init_he(s, seed, scale=lambda i, o: 1.6 / np.sqrt(i)),
           GENERIC)
    raises(checks.check_init_he, lambda s, seed: init_he(s, seed)[0], "must return a list")
    raises(checks.check_init_he, lambda s, seed: init_he(s, seed)[:-1], "returned 1 matrices")

    def changes_sizes(sizes, seed):
        thetas = init_he(sizes, seed)
        sizes.append(1)
        return thetas

    raises(checks.check_init_he, changes_sizes, "changed layer_sizes")


@pytest.mark.parametrize("offset", range(1, 13))
def test_init_he_passes_right_versions_on_other_random_streams(offset, capsys):
    # Twelve other samples of a right He initialization (one with the bias column
    # drawn last, one through standard_normal): the statistical tests must not
    # fail them (the check's bound: below 1e-6 for a right function).
    def standard_normal(sizes, seed):
        rng = np.random.default_rng([seed, offset])
        return [np.hstack([np.zeros((o, 1)), rng.standard_normal((o, i)) * np.sqrt(2 / i)])
                for i, o in zip(sizes[:-1], sizes[1:])]

    checks.check_init_he(lambda s, seed: init_he(s, seed, offset=1000 * offset))
    checks.check_init_he(standard_normal)
    assert capsys.readouterr().out.count("✓ init_he") == 2


# --- one momentum step -------------------------------------------------------------------

@pytest.mark.parametrize("fn, keyword", [
    (lambda t, v, D, lr, mu: (t + mu * v + lr * D, mu * v + lr * D), "wrong sign: v"),
    (lambda t, v, D, lr, mu: (t - (mu * v - lr * D), mu * v - lr * D), "wrong sign in the update of Θ"),
    (lambda t, v, D, lr, mu: (t + v, mu * v - lr * D), "old velocity"),
    (lambda t, v, D, lr, mu: (t - lr * D, mu * v - lr * D), "plain SGD"),
    (lambda t, v, D, lr, mu: (t + mu * (v - lr * D), mu * (v - lr * D)), "multiplies the gradient"),
    (lambda t, v, D, lr, mu: (t + mu * v - lr * D, v), "v is not updated"),
    (lambda t, v, D, lr, mu: momentum_step(t, v, D, mu, lr), "swapped"),
    (lambda t, v, D, lr, mu: (t + mu * v - (1 - mu) * lr * D, mu * v - (1 - mu) * lr * D),
     "average instead of a sum"),
    (lambda t, v, D, lr, mu: (t - lr * (mu * v + D), mu * v + D), "PyTorch's form"),
    (lambda t, v, D, lr, mu: (t + mu * (mu * v - lr * D) - lr * D, mu * v - lr * D), "Nesterov"),
    (lambda t, v, D, lr, mu: momentum_step(t, v, D, lr, mu)[::-1], "wrong order"),
])
def test_momentum_step_names_the_mistake(fn, keyword):
    raises(checks.check_momentum_step, fn, keyword)


def test_momentum_step_in_place_updates_are_refused_with_advice():
    def in_place(theta, v, D, lr, momentum):
        v *= momentum
        v -= lr * D
        theta += v
        return theta, v

    message = raises(checks.check_momentum_step, in_place, "changed its input in place")
    assert "return new arrays" in message


def test_momentum_step_unknown_slip_and_bad_returns():
    message = raises(checks.check_momentum_step,
                     lambda t, v, D, lr, mu: (t + 0.5 * (mu * v - lr * D), mu * v - lr * D), GENERIC)
    assert "theta_new: largest difference" in message
    raises(checks.check_momentum_step, lambda t, v, D, lr, mu: momentum_step(t, v, D, lr, mu)[0],
           r"must return a pair \(theta_new, v_new\)")


# --- inverted dropout -------------------------------------------------------------------

@pytest.mark.parametrize("fn, keyword", [
    (lambda a, p, rng: dropout_forward(a, p, rng, scale=lambda p: 1.0), "no 1/q scaling"),
    (lambda a, p, rng: dropout_forward(a, p, rng, scale=lambda p: 1 / p), "scaled by 1/p"),
    (lambda a, p, rng: dropout_forward(a, p, rng, scale=lambda p: 1 - p), "multiplied by q"),
    (lambda a, p, rng: dropout_forward(a, p, rng, keep=lambda p: p), "kept with probability p"),
    (lambda a, p, rng: dropout_forward(a, p, rng, keep=lambda p: 0.0), "every unit is dropped"),
    (lambda a, p, rng: dropout_forward(a, p, rng, same_rows=True), "one mask row for every example"),
    (lambda a, p, rng: (dropout_forward(a, p, rng)[0], dropout_forward(a, p, rng)[1]),
     "not the one applied"),
    (lambda a, p, rng: dropout_forward(a, p, np.random.default_rng(np.random.randint(10**6))),
     "generator rng is not used"),
    (lambda a, p, rng: dropout_forward(a, p, np.random.default_rng(0)), "new generator is made inside"),
    (lambda a, p, rng: (lambda ad, m: (ad, m * (1 - p)))(*dropout_forward(a, p, rng)),
     "the mask returned holds 0 and 1"),
])
def test_dropout_forward_names_the_mistake(fn, keyword):
    raises(checks.check_dropout_forward, fn, keyword)


def test_dropout_forward_refuses_changing_a_and_wrong_shapes():
    def in_place(a, rate, rng):
        mask = (rng.random(a.shape) < 1 - rate) / (1 - rate)
        a *= mask
        return a, mask

    raises(checks.check_dropout_forward, in_place, "changed its input in place")
    raises(checks.check_dropout_forward, lambda a, p, rng: dropout_forward(a, p, rng)[1],
           r"must return a pair \(a_dropped, mask\)")
    raises(checks.check_dropout_forward,
           lambda a, p, rng: (lambda ad, m: (ad, m[:-1]))(*dropout_forward(a, p, rng)),
           "the mask has shape")


def test_dropout_forward_unknown_value_slip():
    raises(checks.check_dropout_forward,
           lambda a, p, rng: dropout_forward(a, p, rng, scale=lambda p: 1.1 / (1 - p)), GENERIC)


@pytest.mark.parametrize("draw", ["uniform", "greater_equal", "choice"])
def test_dropout_forward_passes_other_right_ways_to_draw(draw, capsys):
    def other(a, rate, rng):
        if draw == "uniform":
            kept = rng.uniform(0, 1, a.shape) < 1 - rate
        elif draw == "greater_equal":
            kept = rng.random(a.shape) >= rate
        else:
            kept = rng.choice([False, True], size=a.shape, p=[rate, 1 - rate])
        mask = kept / (1 - rate)
        return a * mask, mask

    checks.check_dropout_forward(other)
    assert capsys.readouterr().out.startswith("✓ dropout_forward")


@pytest.mark.parametrize("fn, keyword", [
    (lambda d, M: d, "not applied"),
    (lambda d, M: d * (M > 0), "1/q is missing"),
    (lambda d, M: d * M * M, "applied twice"),
    (lambda d, M: d * (M == 0), "mask is inverted"),
])
def test_dropout_backward_names_the_mistake(fn, keyword):
    raises(checks.check_dropout_backward, fn, keyword)


def test_dropout_backward_names_division_and_unknown_slips():
    def divided(d, M):
        with np.errstate(divide="ignore", invalid="ignore"):
            return d / M

    raises(checks.check_dropout_backward, divided, "divided by the mask")
    raises(checks.check_dropout_backward, lambda d, M: 0.9 * d * M, GENERIC)


def test_dropout_backward_refuses_changing_delta():
    def in_place(delta, mask):
        delta *= mask
        return delta

    raises(checks.check_dropout_backward, in_place, "changed its input in place: delta")


# --- the learning-rate schedule ------------------------------------------------------------

@pytest.mark.parametrize("fn, keyword", [
    (lambda t, lr, d: lr / (1 + d * (t + 1)), "counted from 1"),
    (lambda t, lr, d: lr / 1 + d * t, "operator precedence"),
    (lambda t, lr, d: lr * (1 + d * t), "the rate grows"),
    (lambda t, lr, d: lr / (1 + d) ** t, "exponential decay"),
    (lambda t, lr, d: lr * (1 - d * t), "linear decay"),
    (lambda t, lr, d: lr / (1 + d) * t, "brackets must hold"),
])
def test_time_decay_rate_names_the_mistake(fn, keyword):
    raises(checks.check_time_decay_rate, fn, keyword)


def test_time_decay_rate_unknown_slip_and_arrays():
    raises(checks.check_time_decay_rate, lambda t, lr, d: lr / (1 + d * t) ** 0.5, GENERIC)
    raises(checks.check_time_decay_rate, lambda t, lr, d: np.full(3, lr / (1 + d * t)),
           "must return one number")
