"""nnlib.checks: nnlib's own functions pass; each classic mistake is caught and named.

The buggy functions below are written the way a student would write the lab's steps,
each with one deliberate slip.  A check must raise AssertionError whose message names
that slip (asserted on a keyword), and a slip it does not know must still fail, with
the generic message.
"""
import numpy as np
import pytest

import nnlib
from nnlib import checks

GENERIC = "matches none of the known mistakes"


# --- a student's version of the lab, with switches for the classic slips ---------------

def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def feedforward(thetas, X):
    """Activations with bias [a(1), a(2), ...], pre-activations [z(2), ...] and h."""
    a, acts, zs = X, [], []
    for theta in thetas:
        a = np.column_stack([np.ones(a.shape[0]), a])
        acts.append(a)
        zs.append(a @ theta.T)
        a = sigmoid(zs[-1])
    return acts, zs, a


def one_hot(y, K, offset=0):
    """offset=-1 is the MATLAB port's np.eye(K)[y - 1] (labels read as 1..K)."""
    return np.eye(K)[(np.asarray(y) + offset) % K]


def student_cost(thetas, X, y, lam=0.0, offset=0, mean=True, minus=True, both_terms=True,
                 penalty=True, bias=False, penalty_over=None):
    m, K = X.shape[0], thetas[-1].shape[0]
    h = feedforward(thetas, X)[2]
    Y = one_hot(y, K, offset)
    terms = Y * np.log(h)
    if both_terms:
        terms = terms + (1 - Y) * np.log(1 - h)
    J = (-1.0 if minus else 1.0) * terms.sum() / (m if mean else 1)
    first = 0 if bias else 1
    squares = sum(np.sum(t[:, first:] ** 2) for t in thetas)
    if not penalty:
        return J
    return J + lam * squares / (2 * m if penalty_over is None else penalty_over(m))


def student_gradient(thetas, X, y, lam=0.0, offset=0, over_m=True, g_prime_of_a=False,
                     sign=1.0, bias=False, reg_scale=1.0):
    m, K = X.shape[0], thetas[-1].shape[0]
    acts, zs, h = feedforward(thetas, X)
    delta = sign * (h - one_hot(y, K, offset))
    grads = [None] * len(thetas)
    for l in range(len(thetas) - 1, -1, -1):
        Delta = delta.T @ acts[l]
        reg = reg_scale * lam / m * thetas[l]
        if not bias:
            reg[:, 0] = 0.0
        grads[l] = (Delta / m if over_m else Delta) + reg
        if l > 0:
            arg = acts[l][:, 1:] if g_prime_of_a else zs[l - 1]
            delta = (delta @ thetas[l][:, 1:]) * sigmoid(arg) * (1 - sigmoid(arg))
    return grads


def student_predict(thetas, X):
    return np.argmax(feedforward(thetas, X)[2], axis=1)


def central(f, theta, eps=1e-4, over=None, restore=True):
    theta, grad = np.array(theta, dtype=float), np.zeros(len(theta))
    for i in range(theta.size):
        old = theta[i]
        theta[i] = old + eps
        f_plus = f(theta)
        theta[i] = old - eps
        f_minus = f(theta)
        if restore:
            theta[i] = old
        grad[i] = (f_plus - f_minus) / (2 * eps if over is None else over)
    return grad


def raises(check, fn, keyword):
    with pytest.raises(AssertionError, match=keyword) as info:
        check(fn)
    return str(info.value)


# --- every check, the lab's and the deeper ones: refuses non-functions, reports a student ----
# --- function that raises (tests/test_checks_deeper.py relies on these two) ---------------

ALL_CHECKS = [getattr(checks, name) for name in checks.__all__ if name.startswith("check_")]


@pytest.mark.parametrize("check", ALL_CHECKS, ids=lambda c: c.__name__)
def test_non_callable_is_a_value_error_naming_fn(check):
    with pytest.raises(ValueError, match=r"fn must be a function .*; got an array of shape \(3,\)"):
        check(np.zeros(3))


@pytest.mark.parametrize("check", ALL_CHECKS, ids=lambda c: c.__name__)
def test_a_function_that_raises_keeps_its_own_error_with_a_note_on_the_case(check):
    def broken(*args):
        raise KeyError("no such layer")

    with pytest.raises(KeyError, match="no such layer") as info:
        check(broken)
    note = " ".join(info.value.__notes__)
    assert "raised by your" in note and "case 1 of" in note
    assert "nnlib.checks.inputs(" in note


def test_module_is_exported_without_flooding_the_namespace():
    assert nnlib.checks is checks and "checks" in nnlib.__all__
    assert not any(name.startswith("check_") and name != "check_gradients"
                   and name != "check_gradient_directions" for name in dir(nnlib))


# --- sigmoid gradient --------------------------------------------------------------------

def test_sigmoid_gradient_accepts_nnlib(capsys):
    checks.check_sigmoid_gradient(nnlib.sigmoid_gradient)
    assert capsys.readouterr().out == "✓ sigmoid_gradient: matches nnlib on 4 cases\n"


def test_sigmoid_gradient_accepts_a_hand_written_version(capsys):
    checks.check_sigmoid_gradient(lambda z: sigmoid(z) * (1 - sigmoid(z)))
    assert capsys.readouterr().out.startswith("✓")


@pytest.mark.parametrize("fn, keyword", [
    (lambda z: z * (1 - z), "applied to activations"),
    (lambda z: -sigmoid(z) * (1 - sigmoid(z)), "wrong sign"),
    (sigmoid, "the sigmoid g\\(z\\) itself"),
], ids=["activations", "sign", "sigmoid"])
def test_sigmoid_gradient_names_the_mistake(fn, keyword):
    message = raises(checks.check_sigmoid_gradient, fn, keyword)
    assert "at z = 0: expected 0.25" in message


def test_sigmoid_gradient_unknown_bug_and_wrong_shape():
    raises(checks.check_sigmoid_gradient, lambda z: 0.9 * sigmoid(z) * (1 - sigmoid(z)), GENERIC)
    message = raises(checks.check_sigmoid_gradient,
                     lambda z: np.atleast_1d(sigmoid(z) * (1 - sigmoid(z))), "shape")
    assert "expected shape ()" in message


# --- cost ------------------------------------------------------------------------------

def test_cost_accepts_nnlib_and_a_student_version(capsys):
    checks.check_cost(nnlib.cost)
    checks.check_cost(student_cost)
    assert capsys.readouterr().out == "✓ cost: matches nnlib on 5 cases\n" * 2


@pytest.mark.parametrize("bug, keyword", [
    (dict(offset=-1), "labels shifted by one class"),
    (dict(offset=+1), "labels shifted by one class"),
    (dict(mean=False), "missing 1/m"),
    (dict(minus=False), "wrong sign"),
    (dict(both_terms=False), r"\(1 − y\) log\(1 − h\) term is missing"),
], ids=["shift-1", "shift+1", "sum", "sign", "one-term"])
def test_cost_names_the_mistake(bug, keyword):
    message = raises(checks.check_cost, lambda t, X, y: student_cost(t, X, y, **bug), keyword)
    expected = nnlib.cost(*nnlib.debug_network())
    assert "case 1 of 5 (the debug network" in message and f"expected {expected:.6g}" in message


def test_cost_unknown_bug_and_non_scalar():
    raises(checks.check_cost, lambda t, X, y: student_cost(t, X, y) + 0.01, GENERIC)
    raises(checks.check_cost, lambda t, X, y: np.full(X.shape[0], student_cost(t, X, y)),
           "must return one number")
    raises(checks.check_cost, lambda t, X, y: None, "returned None")


# --- regularized cost -------------------------------------------------------------------

def test_regularized_cost_accepts_nnlib_and_a_student_version(capsys):
    checks.check_regularized_cost(nnlib.cost)
    checks.check_regularized_cost(student_cost)
    assert capsys.readouterr().out == "✓ regularized_cost: matches nnlib on 5 cases\n" * 2


@pytest.mark.parametrize("bug, keyword", [
    (dict(bias=True), "bias column is regularized"),
    (dict(penalty_over=lambda m: 2), r"missing 1/m in the penalty"),
    (dict(penalty_over=lambda m: m), r"λ/m instead of λ/\(2m\)"),
    (dict(offset=-1), "labels shifted by one class"),
    (dict(penalty=False), "penalty is missing"),
    (dict(mean=False), "missing 1/m"),
], ids=["bias", "no-m", "lam-over-m", "shift", "no-penalty", "sum"])
def test_regularized_cost_names_the_mistake(bug, keyword):
    message = raises(checks.check_regularized_cost,
                     lambda t, X, y, lam: student_cost(t, X, y, lam, **bug), keyword)
    assert "λ = 1" in message


def test_regularized_cost_unknown_bug():
    raises(checks.check_regularized_cost,
           lambda t, X, y, lam: student_cost(t, X, y, lam) * 1.001, GENERIC)


# --- gradient --------------------------------------------------------------------------

def test_gradient_accepts_lists_and_unrolled_vectors(capsys):
    checks.check_regularized_gradient(nnlib.gradient)
    checks.check_regularized_gradient(student_gradient)
    checks.check_regularized_gradient(lambda *args: nnlib.unroll(student_gradient(*args)))
    checks.check_gradient(lambda t, X, y: student_gradient(t, X, y))
    assert capsys.readouterr().out == ("✓ regularized_gradient: matches nnlib on 6 cases\n" * 3
                                       + "✓ gradient: matches nnlib on 5 cases\n")


@pytest.mark.parametrize("bug, keyword", [
    (dict(over_m=False), "missing 1/m"),
    (dict(g_prime_of_a=True), "g' applied to activations"),
    (dict(offset=-1), "labels shifted by one class"),
    (dict(sign=-1.0), "wrong sign"),
])
def test_unregularized_gradient_names_the_mistake(bug, keyword):
    message = raises(checks.check_gradient, lambda t, X, y: student_gradient(t, X, y, **bug),
                     keyword)
    assert "case 1 of 5" in message


def fortran_rolled(t, X, y, lam):
    """Unrolled row by row, rolled back column by column."""
    vector = np.concatenate([g.ravel() for g in student_gradient(t, X, y, lam)])
    out, start = [], 0
    for theta in t:
        out.append(vector[start:start + theta.size].reshape(theta.shape, order="F"))
        start += theta.size
    return out


def fortran_unrolled(t, X, y, lam):
    """One vector unrolled column by column, as MATLAB's grad(:) would."""
    return np.concatenate([g.ravel(order="F") for g in student_gradient(t, X, y, lam)])


@pytest.mark.parametrize("fn, keyword, case", [
    (lambda *a: student_gradient(*a, bias=True), "bias column is regularized", 4),
    (lambda *a: student_gradient(*a, over_m=False), "missing 1/m", 1),
    (lambda *a: student_gradient(*a, g_prime_of_a=True), "g' applied to activations", 1),
    (fortran_rolled, "row/column-major unrolling", 1),
    (fortran_unrolled, "row/column-major unrolling", 1),
    (lambda *a: student_gradient(*a, sign=-1.0), "wrong sign", 1),
    (lambda *a: [-g for g in student_gradient(*a)], "wrong sign", 1),
    (lambda *a: student_gradient(*a, offset=-1), "labels shifted by one class", 1),
    (lambda *a: student_gradient(*a, reg_scale=0.0), "regularization term is missing", 4),
    (lambda *a: student_gradient(*a, reg_scale=0.5), r"\(λ/\(2m\)\)Θ instead of", 4),
], ids=["bias", "no-m", "g-of-a", "F-rolled", "F-unrolled", "delta-sign", "descent-step",
        "shift", "no-reg", "half-reg"])
def test_gradient_names_the_mistake(fn, keyword, case):
    message = raises(checks.check_regularized_gradient, fn, keyword)
    assert f"case {case} of 6" in message and "largest difference in D(" in message


def test_gradient_unknown_bug():
    raises(checks.check_regularized_gradient, lambda *a: [1.1 * g for g in student_gradient(*a)],
           GENERIC)


def test_gradient_with_wrong_shapes_says_what_it_expected():
    message = raises(checks.check_regularized_gradient,
                     lambda *a: [g.T for g in student_gradient(*a)], "transposed")
    assert "shapes [(4, 5), (6, 3)]; expected the shapes of thetas [(5, 4), (3, 6)]" in message
    raises(checks.check_regularized_gradient,
           lambda *a: (student_cost(*a), student_gradient(*a)), r"returns \(J, gradient\)")
    message = raises(checks.check_regularized_gradient,
                     lambda *a: nnlib.unroll(student_gradient(*a))[:-1], "one vector of 38 numbers")
    assert "array of shape (37,)" in message


# --- random initialization ----------------------------------------------------------------

def uniform_init(eps=0.12, low=None, seed=0):
    rng = np.random.default_rng(seed)
    return lambda L_in, L_out: rng.uniform(-eps if low is None else low, eps,
                                           size=(L_out, L_in + 1))


def test_init_weights_accepts_nnlib_and_the_other_rule(capsys):
    checks.check_init_weights(lambda L_in, L_out: nnlib.init_weights([L_in, L_out], seed=1)[0])
    checks.check_init_weights(
        lambda L_in, L_out: nnlib.init_weights([L_in, L_out], seed=2, eps=None)[0], eps=None)
    out = capsys.readouterr().out.splitlines()
    start = "✓ init_weights: right shapes, values spread over [−ε, ε] on 5 cases"
    assert out == [f"{start} (ε = 0.12)", f"{start} (ε = √6/√(L_in + L_out))"]


def rows_alike(L_in, L_out):
    return np.tile(np.random.default_rng(0).uniform(-0.12, 0.12, L_in + 1), (L_out, 1))


@pytest.mark.parametrize("fn, keyword", [
    (lambda L_in, L_out: np.zeros((L_out, L_in + 1)), "symmetry is not broken"),
    (lambda L_in, L_out: np.full((L_out, L_in + 1), 0.05), "symmetry is not broken"),
    (rows_alike, "symmetry is not broken"),
    (lambda L_in, L_out: uniform_init()(L_in - 1, L_out), "bias column is missing"),
    (lambda L_in, L_out: uniform_init()(L_in, L_out).T, "transposed"),
    (uniform_init(low=0.0), r"not symmetric: uniform in \[0, ε\)"),
    (uniform_init(eps=1.0), "ε too large"),
    (lambda L_in, L_out: np.random.default_rng(0).standard_normal((L_out, L_in + 1)),
     "ε too large"),
    (uniform_init(eps=0.012), "ε too small"),
    (uniform_init(low=-0.06), "not symmetric about 0"),
], ids=["zeros", "equal", "equal-rows", "no-bias", "transposed", "positive", "too-large",
        "randn", "too-small", "lopsided"])
def test_init_weights_names_the_mistake(fn, keyword):
    raises(checks.check_init_weights, fn, keyword)


def test_init_weights_unknown_bug_and_bad_eps():
    message = raises(checks.check_init_weights,
                     lambda L_in, L_out: uniform_init()(L_in + 1, L_out + 1), GENERIC)
    assert "expected shape (5, 4) = (L_out, L_in + 1), got (6, 5)" in message
    with pytest.raises(ValueError, match="eps must be > 0"):
        checks.check_init_weights(uniform_init(), eps=0)


def test_init_weights_spots_a_bell_shape_inside_the_range():
    def clipped_normal(L_in, L_out):
        rng = np.random.default_rng(0)
        return np.clip(rng.normal(0, 0.04, (L_out, L_in + 1)), -0.12, 0.12)
    # 0.12 is 3 standard deviations: a few values reach the ends, most sit near 0.
    raises(checks.check_init_weights, clipped_normal, "not uniform")


# --- numerical gradient ------------------------------------------------------------------

def test_numerical_gradient_accepts_nnlib_and_a_student_version(capsys):
    checks.check_numerical_gradient(nnlib.numerical_gradient)
    checks.check_numerical_gradient(central)
    assert capsys.readouterr().out == "✓ numerical_gradient: matches nnlib on 4 cases\n" * 2


def test_numerical_gradient_accepts_in_place_steps_restored_up_to_rounding(capsys):
    def in_place(f, theta, eps=1e-4):
        grad = np.zeros(theta.size)
        for i in range(theta.size):
            theta[i] += eps
            f_plus = f(theta)
            theta[i] -= 2 * eps
            grad[i] = (f_plus - f(theta)) / (2 * eps)
            theta[i] += eps                      # back, up to one rounding
        return grad
    checks.check_numerical_gradient(in_place)
    assert capsys.readouterr().out.startswith("✓")


def forward_difference(f, theta, eps=1e-4):
    f0 = f(theta)
    return np.array([(f(theta + eps * e) - f0) / eps for e in np.eye(theta.size)])


def not_restored_in_place(f, theta, eps=1e-4):
    grad = np.zeros(theta.size)
    for i in range(theta.size):
        theta[i] += eps
        f_plus = f(theta)
        theta[i] -= 2 * eps
        grad[i] = (f_plus - f(theta)) / (2 * eps)
    return grad


def aliased(f, theta, eps=1e-4):
    grad = np.zeros(theta.size)
    for i in range(theta.size):
        theta_plus, theta_minus = theta, theta
        theta_plus[i] += eps
        theta_minus[i] -= eps
        grad[i] = (f(theta_plus) - f(theta_minus)) / (2 * eps)
    return grad


@pytest.mark.parametrize("fn, keyword", [
    (forward_difference, "one-sided difference"),
    (lambda f, theta: forward_difference(f, theta, -1e-4), "one-sided difference"),
    (lambda f, theta: central(f, theta, over=1e-4), "divided by ε instead of 2ε"),
    (lambda f, theta: central(f, theta, over=1.0), "not divided by 2ε"),
    (lambda f, theta: central(f, theta, restore=False), "not restored"),
    (not_restored_in_place, "not restored"),
    (aliased, "same array"),
], ids=["forward", "backward", "over-eps", "no-division", "drift", "drift-in-place", "alias"])
def test_numerical_gradient_names_the_mistake(fn, keyword):
    raises(checks.check_numerical_gradient, fn, keyword)


def test_numerical_gradient_must_leave_theta_alone():
    def right_values_but_moves_theta(f, theta):
        grad = central(f, theta)
        theta -= 1e-4
        return grad
    message = raises(checks.check_numerical_gradient, right_values_but_moves_theta,
                     "changed its input in place: theta")
    assert "not restored" in message


def test_numerical_gradient_unknown_bug():
    raises(checks.check_numerical_gradient, lambda f, theta: 1.5 * central(f, theta), GENERIC)


# --- predict ---------------------------------------------------------------------------

def test_predict_accepts_nnlib_and_a_student_version(capsys):
    checks.check_predict(nnlib.predict)
    checks.check_predict(student_predict)
    assert capsys.readouterr().out == "✓ predict: matches nnlib on 5 cases\n" * 2


@pytest.mark.parametrize("fn, keyword", [
    (lambda t, X: student_predict(t, X) + 1, "labels shifted by one"),
    (lambda t, X: feedforward(t, X)[2].max(axis=1), "largest output value instead of its index"),
    (lambda t, X: np.argmax(feedforward(t, X)[2], axis=0), "wrong axis"),
    (lambda t, X: student_predict(t, X).reshape(-1, 1), r"shape \(m, 1\)"),
    (lambda t, X: student_predict(t, X).astype(float), "float labels"),
], ids=["plus-one", "max", "axis", "column", "floats"])
def test_predict_names_the_mistake(fn, keyword):
    raises(checks.check_predict, fn, keyword)


def test_predict_unknown_bug():
    message = raises(checks.check_predict,
                     lambda t, X: np.argmin(feedforward(t, X)[2], axis=1), GENERIC)
    assert "labels differ; the first at example" in message


# --- forward pass ------------------------------------------------------------------------

def test_forward_accepts_a_student_version(capsys):
    checks.check_forward(lambda t, X: feedforward(t, X)[2])
    assert capsys.readouterr().out == "✓ forward: matches nnlib on 6 cases\n"


def forward_with(t, X, hidden=sigmoid, out=sigmoid, bias_on_output=False):
    a = X
    for theta in t[:-1]:
        a = hidden(np.column_stack([np.ones(len(a)), a]) @ theta.T)
    h = out(np.column_stack([np.ones(len(a)), a]) @ t[-1].T)
    return np.column_stack([np.ones(len(h)), h]) if bias_on_output else h


@pytest.mark.parametrize("bug, keyword", [
    (dict(out=lambda z: z), "sigmoid is missing on the output layer"),
    (dict(hidden=lambda z: z), "sigmoid is missing on the hidden layers"),
    (dict(out=lambda z: sigmoid(sigmoid(z))), "applied twice"),
    (dict(bias_on_output=True), "the output layer gets no bias column"),
])
def test_forward_names_the_mistake(bug, keyword):
    raises(checks.check_forward, lambda t, X: forward_with(t, X, **bug), keyword)


# --- what every check does for a student ----------------------------------------------------

def test_a_function_that_changes_its_inputs_fails_even_with_right_values():
    """A real lab write-up zeroed the bias column of the real weights through a view."""
    def zeroes_the_bias_through_a_view(thetas, X, y, lam):
        grads = student_gradient(thetas, X, y, lam)
        t1 = thetas[0]
        t1[:, 0] = 0                          # meant for the λ term, done on the caller's Θ(1)
        return grads
    message = raises(checks.check_regularized_gradient, zeroes_the_bias_through_a_view,
                     "changed its input in place")
    assert "thetas[0][:, 0] changed" in message and "work on a copy" in message


def test_an_endless_loop_costs_the_check_not_the_notebook(monkeypatch):
    monkeypatch.setattr(checks._core, "TIME_LIMIT", 0.5)
    def endless(z):
        while True:
            pass
    message = raises(checks.check_sigmoid_gradient, endless, "did not finish within 0.5 s")
    assert "case 1 of 4" in message


def test_a_slow_loop_that_catches_exceptions_is_still_stopped(monkeypatch):
    monkeypatch.setattr(checks._core, "TIME_LIMIT", 0.5)
    def stubborn(z):
        while True:
            try:
                sum(range(1000))
            except Exception:                 # a student's catch-all must not swallow the limit
                pass
    raises(checks.check_sigmoid_gradient, stubborn, "did not finish")


def test_the_inputs_of_a_failing_case_can_be_fetched():
    message = raises(checks.check_cost, lambda t, X, y: student_cost(t, X, y, mean=False),
                     "missing 1/m")
    assert 'nnlib.checks.inputs("cost", 1)' in message
    thetas, X, y = checks.inputs("cost", 2)
    assert [t.shape for t in thetas] == [(25, 401), (10, 26)] and X.shape == (20, 400)
    thetas[0][:] = 0                          # a fresh copy: the next call is unchanged
    assert np.abs(checks.inputs("cost", 2)[0][0]).max() > 0
    with pytest.raises(ValueError, match=r"case must be an integer from 1 to 5; got 6"):
        checks.inputs("cost", 6)
    with pytest.raises(ValueError, match="name must be one of"):
        checks.inputs("costs", 1)


def test_use_gives_yours_when_it_passes_and_nnlibs_with_a_note_when_not(capsys):
    mine = lambda t, X, y: student_cost(t, X, y)               # noqa: E731
    assert checks.use("cost", mine) is mine
    assert capsys.readouterr().out == ""
    wrong = lambda t, X, y: 2 * student_cost(t, X, y)          # noqa: E731
    fallback = checks.use("cost", wrong)
    assert fallback is not wrong
    thetas, X, y = nnlib.debug_network()
    assert fallback(thetas, X, y) == pytest.approx(nnlib.cost(thetas, X, y), rel=1e-15)
    assert capsys.readouterr().out == ("Note: your cost does not pass its check yet, so the "
                                       "cells below use nnlib's.\n")
    assert checks.use("gradient", None) is not None          # not written yet: nnlib's


@pytest.mark.slow
def test_in_a_notebook_the_traceback_ends_in_the_students_code():
    import nbformat
    from nbclient import NotebookClient
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("import nnlib\n"
                                  "def sigmoid_gradient(z):\n"
                                  "    return undefined_name * z"),
        nbformat.v4.new_code_cell("nnlib.checks.check_sigmoid_gradient(sigmoid_gradient)"),
        nbformat.v4.new_code_cell("nnlib.checks.check_cost(lambda t, X, y: 2.0)"),
    ])
    NotebookClient(nb, timeout=120, allow_errors=True,
                   kernel_name="python3").execute()
    raised, wrong = (cell.outputs[0] for cell in nb.cells[1:])
    text = "\n".join(raised["traceback"])
    assert raised["ename"] == "NameError" and "undefined_name" in text
    assert "checks/_core.py" not in text and "checks/lab.py" not in text
    assert "raised by your sigmoid_gradient on case 1 of 4" in text
    # a wrong value: the message alone, which names the case and how to get its inputs
    assert wrong["traceback"] == [f"\x1b[0;31mAssertionError\x1b[0m: {wrong['evalue']}"]
    assert "cost is wrong on case 1 of 5" in wrong["evalue"]
