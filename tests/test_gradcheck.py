"""nnlib.gradcheck: central differences, the checkers, and what they do with a user's functions.

check_gradient_directions checks the gradient of the full 400-25-10 problem cheaply.
Thresholds, from measurements with the default ε = 5e-4 (seeds 0..19, 1 and 2 BLAS
threads): a correct gradient gives at most 4e-9 on the reference problem (rounding
in J, a sum over 50 000 terms, dominates) and at most 4e-9 on the debug network
(truncation, of order ε², dominates).  The lab's mistakes give 3e-2 or more.  So a
correct gradient must stay below 1e-7 (25× the worst measured) and a wrong one must
exceed 1e-3.
"""
import os
import pathlib
import tempfile

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.configuration import set_hypothesis_home_dir
from hypothesis.extra import numpy as hnp
from numpy.testing import assert_allclose, assert_array_equal
from scipy.special import expit

import nnlib
from nnlib import check_gradient_directions, check_gradients, numerical_gradient

# No example database, and Hypothesis's other files in the temporary folder: the tests
# must not write into the repository.
settings.register_profile("nnlib", database=None, deadline=None, max_examples=60)
settings.load_profile("nnlib")
if not os.environ.get("HYPOTHESIS_STORAGE_DIRECTORY"):
    set_hypothesis_home_dir(pathlib.Path(tempfile.gettempdir()) / "nnlib-hypothesis")

CORRECT_BELOW = 1e-7
WRONG_ABOVE = 1e-3


@pytest.fixture(scope="module")
def problem(digits, reference):
    """The lab's full problem: the reference weights on the 5000 digits."""
    X, y = digits
    return reference, X, y


# --- planted bugs ----------------------------------------------------------------

def g_prime_of_a(thetas, X, y, lam):
    """Backprop that feeds the activations a, not z, to g'."""
    m, K = X.shape[0], thetas[-1].shape[0]
    a1 = np.column_stack([np.ones(m), X])
    a2 = np.column_stack([np.ones(m), expit(a1 @ thetas[0].T)])
    delta3 = expit(a2 @ thetas[1].T) - np.eye(K)[y]
    g = expit(a2[:, 1:])
    delta2 = (delta3 @ thetas[1][:, 1:]) * g * (1 - g)
    grads = [delta2.T @ a1 / m, delta3.T @ a2 / m]
    for grad, theta in zip(grads, thetas):
        grad[:, 1:] += lam / m * theta[:, 1:]
    return grads


def bias_regularized(thetas, X, y, lam):
    m = X.shape[0]
    return [g + np.column_stack([lam / m * t[:, 0], np.zeros((t.shape[0], t.shape[1] - 1))])
            for g, t in zip(nnlib.gradient(thetas, X, y, lam), thetas)]


def without_1_over_m(thetas, X, y, lam):
    return [X.shape[0] * g for g in nnlib.gradient(thetas, X, y, lam)]


def label_shift(thetas, X, y, lam):
    return nnlib.gradient(thetas, X, (y - 1) % thetas[-1].shape[0], lam)


def fortran_rolled(thetas, X, y, lam):
    return [g.ravel().reshape(g.shape, order="F") for g in nnlib.gradient(thetas, X, y, lam)]


def wrong_sign(thetas, X, y, lam):
    return [-g for g in nnlib.gradient(thetas, X, y, lam)]


def no_regularization(thetas, X, y, lam):
    return nnlib.gradient(thetas, X, y, 0.0)


# --- tests -----------------------------------------------------------------------

@pytest.mark.parametrize("lam", [0.0, 1.0])
def test_correct_gradient_is_tiny_on_the_full_reference_problem(problem, lam):
    assert check_gradient_directions(*problem, lam=lam) < CORRECT_BELOW


def test_correct_gradient_is_tiny_on_small_networks(small_problem):
    assert check_gradient_directions(*nnlib.debug_network(), lam=1.0) < CORRECT_BELOW
    assert check_gradient_directions(*small_problem, lam=2.0, n_directions=25) < CORRECT_BELOW


@pytest.mark.parametrize("bug, lam", [
    (g_prime_of_a, 0.0), (bias_regularized, 1.0), (without_1_over_m, 0.0), (label_shift, 0.0),
    (fortran_rolled, 0.0), (wrong_sign, 0.0), (no_regularization, 1.0),
])
def test_planted_bugs_are_large_on_the_full_reference_problem(problem, bug, lam):
    # Five directions are plenty: each gives 3e-2 or more on its own.
    assert check_gradient_directions(*problem, lam=lam, n_directions=5, gradient=bug) > WRONG_ABOVE


def test_the_planted_g_prime_bug_changes_only_what_it_should(problem):
    # g' enters only δ(2), so only D(1) may differ from nnlib's: the planted
    # backprop is otherwise right.
    thetas, X, y = problem
    X, y = X[::50], y[::50]
    buggy = g_prime_of_a(thetas, X, y, 1.0)
    right = nnlib.gradient(thetas, X, y, 1.0)
    assert not np.allclose(buggy[0], right[0], rtol=1e-3)
    np.testing.assert_allclose(buggy[1], right[1], rtol=1e-12, atol=1e-15)


def test_a_wrong_cost_is_caught_too():
    thetas, X, y = nnlib.debug_network()
    result = check_gradient_directions(thetas, X, y, cost=lambda *a: 2 * nnlib.cost(*a))
    np.testing.assert_allclose(result, 1 / 3, rtol=1e-6)     # |2g - g| / |2g + g|


def test_same_seed_same_result_other_seed_other_directions():
    thetas, X, y = nnlib.debug_network()
    first = check_gradient_directions(thetas, X, y, seed=4, gradient=label_shift)
    again = check_gradient_directions(thetas, X, y, seed=4, gradient=label_shift)
    other = check_gradient_directions(thetas, X, y, seed=5, gradient=label_shift)
    assert first == again
    assert other != first


@pytest.mark.parametrize("kwargs, message", [
    (dict(lam=-1.0), "lam must be a finite number >= 0; got -1.0"),
    (dict(n_directions=0), "n_directions must be an integer >= 1; got int 0"),
    (dict(n_directions=2.5), "n_directions must be an integer >= 1; got float 2.5"),
    (dict(seed=-1), "seed must be an integer >= 0; got int -1"),
    (dict(seed="a"), "seed must be an integer >= 0; got str 'a'"),
    (dict(eps=0.0), "eps must be > 0; got 0"),
    (dict(eps=-1e-4), "eps must be a finite number >= 0; got -0.0001"),
    (dict(gradient="backprop"), "gradient must be a function"),
    (dict(cost=3), "cost must be a function"),
    (dict(gradient=lambda t, X, y, lam: nnlib.unroll(nnlib.gradient(t, X, y, lam))),
     r"gradient must return a list of 2 arrays shaped like thetas \[\(5, 4\), \(3, 6\)\]"),
    (dict(gradient=lambda t, X, y, lam: [g.T for g in nnlib.gradient(t, X, y, lam)]),
     r"got shapes \[\(4, 5\), \(6, 3\)\]"),
], ids=["lam", "n0", "nfloat", "seed-neg", "seed-str", "eps0", "eps-neg", "gradient",
        "cost", "vector", "transposed"])
def test_bad_arguments_raise_value_errors_naming_them(kwargs, message):
    with pytest.raises(ValueError, match=message):
        check_gradient_directions(*nnlib.debug_network(), **kwargs)


def test_bad_problem_raises_value_errors_naming_it():
    thetas, X, y = nnlib.debug_network()
    with pytest.raises(ValueError, match="X has 2 columns; the network expects 3"):
        check_gradient_directions(thetas, X[:, :2], y)
    with pytest.raises(ValueError, match="y has 4 labels; X has 5 rows"):
        check_gradient_directions(thetas, X, y[:4])
    with pytest.raises(ValueError, match="thetas must be a list of weight matrices"):
        check_gradient_directions(nnlib.unroll(thetas), X, y)


# --- the user's functions get fresh copies, and a function that changes them is named --

def zeroes_bias_in_place(thetas, X, y, lam):
    """A real bug from a lab write-up: 'exclude the bias' by zeroing it in the caller's weights."""
    grads = nnlib.gradient(thetas, X, y, lam)
    thetas[0][:, 0] = 0
    return grads


def scales_X_in_place(thetas, X, y, lam):
    X *= 2                                 # each call sees a different X unless it gets a copy
    return nnlib.cost(thetas, X / 2, y, lam)


def test_check_gradients_names_a_gradient_that_modifies_thetas():
    # Today's checker passes the weights themselves and reports 2e-11: "correct".
    with pytest.raises(ValueError, match=r"your gradient modified thetas in place: "
                                         r"Θ\(1\)\[:, 0\] changed"):
        check_gradients(gradient=zeroes_bias_in_place)


def test_check_gradients_names_a_cost_that_modifies_X():
    with pytest.raises(ValueError, match=r"your cost modified X in place: X\[:, :\] changed"):
        check_gradients(cost=scales_X_in_place)


def test_check_gradient_directions_leaves_the_callers_arrays_alone():
    thetas, X, y = nnlib.debug_network()
    saved = [t.copy() for t in thetas], X.copy(), y.copy()
    with pytest.raises(ValueError, match=r"your gradient modified thetas in place: "
                                         r"Θ\(1\)\[:, 0\] changed \(Θ\(1\)\[0, 0\]: 0.0841.* -> 0"):
        check_gradient_directions(thetas, X, y, gradient=zeroes_bias_in_place)
    with pytest.raises(ValueError, match="your cost modified X in place"):
        check_gradient_directions(thetas, X, y, cost=scales_X_in_place)
    for t, s in zip(thetas, saved[0]):
        assert_array_equal(t, s)
    assert_array_equal(X, saved[1])
    assert_array_equal(y, saved[2])


def test_check_gradient_directions_names_a_changed_label_and_a_changed_list():
    def relabels(thetas, X, y, lam):
        y[3] = 0
        return nnlib.gradient(thetas, X, y, lam)

    def swaps_in_a_new_matrix(thetas, X, y, lam):
        grads = nnlib.gradient(thetas, X, y, lam)
        thetas[1] = thetas[1] * 0
        return grads
    with pytest.raises(ValueError, match=r"your gradient modified y in place: y\[3\] changed"):
        check_gradient_directions(*nnlib.debug_network(), gradient=relabels)
    with pytest.raises(ValueError, match=r"your gradient modified thetas in place: Θ\(2\)"):
        check_gradient_directions(*nnlib.debug_network(), gradient=swaps_in_a_new_matrix)


    def appends(thetas, X, y, lam):
        grads = nnlib.gradient(thetas, X, y, lam)
        thetas.append(thetas[-1])
        return grads

    def lists(thetas, X, y, lam):
        thetas[0] = thetas[0].tolist()
        return nnlib.gradient(thetas, X, y, lam)
    with pytest.raises(ValueError, match=r"modified thetas in place: the list of 2 matrices "
                                         r"now holds 3"):
        check_gradients(gradient=appends)
    with pytest.raises(ValueError, match=r"modified thetas in place: Θ\(1\) was replaced by list"):
        check_gradients(gradient=lists)


def test_every_call_gets_its_own_fresh_copies():
    thetas, X, y = nnlib.debug_network()
    seen = []

    def recording_cost(t, X_, y_, lam):
        seen.append((t, t[0], X_, y_))
        return nnlib.cost(t, X_, y_, lam)

    def recording_gradient(t, X_, y_, lam):
        seen.append((t, t[0], X_, y_))
        return nnlib.gradient(t, X_, y_, lam)
    check_gradient_directions(thetas, X, y, n_directions=3, cost=recording_cost,
                              gradient=recording_gradient)
    assert len(seen) == 1 + 2 * 3
    for arrays in zip(*seen):                           # no object handed out twice...
        assert len({id(a) for a in arrays}) == len(seen)
    for t, t0, X_, y_ in seen:                          # ...and none of them is the caller's
        assert t is not thetas and t0 is not thetas[0] and X_ is not X and y_ is not y
        assert not np.shares_memory(X_, X) and not np.shares_memory(t0, thetas[0])


def test_the_default_functions_still_pass():
    assert check_gradients(lam=1.0) < 1e-9
    assert check_gradient_directions(*nnlib.debug_network(), lam=1.0) < CORRECT_BELOW


# --- numerical_gradient and the values a user's function returns -----------------

def test_numerical_gradient_gives_f_a_fresh_copy_and_says_when_f_changed_it():
    def square_sum_that_zeroes(t):
        value = float(t @ t)
        t[0] = 0.0
        return value
    theta = np.array([1.0, 2.0, 3.0])
    # Today every call shares one working array: the gradient comes out [0, 4, 6].
    with pytest.warns(UserWarning, match=r"f modified its argument in place: theta\[0\] "
                                         r"changed from 1(\.0)? to 0"):
        grad = numerical_gradient(square_sum_that_zeroes, theta)
    assert_allclose(grad, [2.0, 4.0, 6.0], rtol=1e-9)
    assert theta.tolist() == [1.0, 2.0, 3.0]


def test_numerical_gradient_calls_f_with_a_new_array_each_time():
    theta = np.array([1.0, 2.0])
    seen = []
    numerical_gradient(lambda t: seen.append(t) or float(t.sum()), theta, eps=0.5)
    assert len({id(t) for t in seen}) == len(seen) == 5
    assert not any(np.shares_memory(t, theta) for t in seen)
    assert [t.tolist() for t in seen] == [[1, 2], [1.5, 2], [0.5, 2], [1, 2.5], [1, 1.5]]


@pytest.mark.parametrize("bad, message", [
    (np.nan, r"f returned nan at theta\[1\] \+ 0.0001 \(parameter 1 shifted by \+ε\)"),
    (np.inf, r"f returned inf at theta\[1\] \+ 0.0001"),
])
def test_numerical_gradient_names_the_point_where_f_is_not_finite(bad, message):
    def f(t):
        return bad if t[1] > 2 else float(t @ t)
    with pytest.raises(ValueError, match=message):
        numerical_gradient(f, np.array([1.0, 2.0, 3.0]))


def test_numerical_gradient_names_a_minus_shift_too():
    f = lambda t: np.nan if t[2] < 3 else float(t @ t)        # noqa: E731
    with pytest.raises(ValueError, match=r"at theta\[2\] - 0.0001 \(parameter 2 shifted by -ε\)"):
        numerical_gradient(f, np.array([1.0, 2.0, 3.0]))


@pytest.mark.parametrize("returns, message", [
    (lambda t: None, r"f returned None; is a `return` missing\?"),
    (lambda t: t ** 2, r"f must return one number; it returned an array of shape \(3,\)"),
    (lambda t: np.array([[t @ t]]), r"array of shape \(1, 1\).*float\(J\)"),
    (lambda t: "14.0", r"f must return one number; it returned str '14.0'"),
    (lambda t: [1.0], r"f must return one number; it returned list"),
    (lambda t: 1 + 2j, r"f must return one number; it returned complex"),
    (lambda t: np.nan, r"f returned nan at theta itself"),
])
def test_numerical_gradient_explains_a_bad_return_value(returns, message):
    with pytest.raises(ValueError, match=message):
        numerical_gradient(returns, np.array([1.0, 2.0, 3.0]))


def test_the_checkers_explain_a_cost_that_forgets_return():
    def no_return(thetas, X, y, lam):
        nnlib.cost(thetas, X, y, lam)
    with pytest.raises(ValueError, match=r"cost returned None; is a `return` missing\?"):
        check_gradients(cost=no_return)
    with pytest.raises(ValueError, match=r"cost returned None; is a `return` missing\?"):
        check_gradient_directions(*nnlib.debug_network(), cost=no_return)
    with pytest.raises(ValueError, match=r"gradient returned None; is a `return` missing\?"):
        check_gradient_directions(*nnlib.debug_network(),
                                  gradient=lambda *a: no_return(*a))


def test_the_checkers_explain_a_matrix_valued_cost():
    def matrix_cost(thetas, X, y, lam):                  # J as y' log h: a (1, 1) matrix
        return np.array([[nnlib.cost(thetas, X, y, lam)]])
    with pytest.raises(ValueError, match=r"cost must return one number; it returned an array "
                                         r"of shape \(1, 1\)"):
        check_gradients(cost=matrix_cost)
    with pytest.raises(ValueError, match=r"cost must return one number"):
        check_gradient_directions(*nnlib.debug_network(), cost=matrix_cost)


def test_check_gradient_directions_names_the_direction_of_a_nan_cost():
    def nan_far_out(thetas, X, y, lam):
        J = nnlib.cost(thetas, X, y, lam)
        return J if abs(thetas[0][0, 0] - np.sin(1) / 10) < 1e-12 else float("nan")
    with pytest.raises(ValueError, match=r"cost returned nan at thetas \+ ε·d \(direction 0, "
                                         r"ε = 0.0005\)"):
        check_gradient_directions(*nnlib.debug_network(), cost=nan_far_out)


@pytest.mark.parametrize("bad, message", [
    (dict(theta=np.zeros((2, 2))), r"theta must be a 1-D array"),
    (dict(theta=[np.nan]), r"theta must contain only finite numbers"),
    (dict(theta=np.zeros(0)), r"theta must hold at least one parameter"),
    (dict(eps=np.inf), r"eps must be a finite number"),
    (dict(eps="1e-4"), r"eps must be a real number"),
    (dict(eps=1.0, theta=[1e17]), r"eps = 1 is lost in rounding next to theta\[0\] = 1e\+17"),
    (dict(eps=1e308, theta=[1e308]), r"eps = 1e\+308 is lost in rounding .* is inf"),
])
def test_numerical_gradient_bad_arguments(bad, message):
    args = dict(f=lambda t: float(t @ t), theta=np.ones(3))
    args.update(bad)
    with pytest.raises(ValueError, match=message):
        numerical_gradient(**args)


# --- properties ---------------------------------------------------------------------

@given(data=st.data(), n=st.integers(1, 6))
def test_central_differences_are_exact_for_quadratics(data, n):
    # f(θ) = ½ θᵀAθ + bᵀθ + c: the central difference has no truncation error for a
    # quadratic, so only the rounding of f is left, about |f| · 2⁻⁵² / ε ≈ |f| · 2e-12
    # per entry for ε = 1e-4; 1e-8 · (1 + |f|) leaves a margin of over 1000.
    floats = st.floats(-5, 5, allow_nan=False, allow_infinity=False)
    A = data.draw(hnp.arrays(np.float64, (n, n), elements=floats))
    b = data.draw(hnp.arrays(np.float64, n, elements=floats))
    theta = data.draw(hnp.arrays(np.float64, n, elements=floats))
    c = data.draw(floats)
    f = lambda t: 0.5 * t @ A @ t + b @ t + c                # noqa: E731
    before = theta.copy()
    grad = numerical_gradient(f, theta)
    assert_allclose(grad, 0.5 * (A + A.T) @ theta + b, rtol=0, atol=1e-8 * (1 + abs(f(theta))))
    assert_array_equal(theta, before)


# Normal numbers from 1e-200 to 1e290 (and 0): today's relative_difference returned inf
# for equal vectors near 1e-200 (the norms underflow) and nan near 1e300 (they overflow).
wide = st.floats(-1e290, 1e290).filter(lambda x: x == 0 or abs(x) > 1e-200)


@settings(max_examples=100)
@given(v=hnp.arrays(np.float64, st.integers(1, 8), elements=wide),
       w=hnp.arrays(np.float64, 8, elements=wide), k=st.integers(-30, 30))
def test_relative_difference_properties(v, w, k):
    w = w[:v.size]
    assert nnlib.relative_difference(v, v) == 0.0
    assert nnlib.relative_difference(v, w) == nnlib.relative_difference(w, v)
    r = nnlib.relative_difference(v, w)
    assert r >= 0 and not np.isnan(r)
    # Scaling both by a power of two changes no rounding, so it must not change the result.
    assert nnlib.relative_difference(2.0**k * v, 2.0**k * w) == r


# --- more mistakes a student makes ---------------------------------------------------

def test_passing_cost_and_gradient_where_one_of_them_is_expected_is_explained():
    with pytest.raises(ValueError, match=r"gradient returned a pair \(J, gradient\)\?.*only the "
                                         r"gradient"):
        check_gradients(gradient=nnlib.cost_and_gradient)
    with pytest.raises(ValueError, match=r"cost must return one number; it returned tuple .*"
                                         r"\(J, gradient\)\?.*only J"):
        check_gradients(cost=nnlib.cost_and_gradient)


def test_error_messages_stay_short_when_the_value_is_big():
    with pytest.raises(ValueError) as info:
        check_gradients(cost=lambda *a: [np.full(8, 0.123456789)] * 40)
    assert len(str(info.value)) < 400


def test_numerical_gradient_of_a_list_of_matrices_points_to_unroll():
    thetas, _, _ = nnlib.debug_network()
    with pytest.raises(ValueError, match=r"theta must be one vector.*nnlib.unroll\(thetas\)"):
        numerical_gradient(lambda v: 0.0, thetas)


def test_check_gradient_directions_checks_float32_weights_in_float64():
    # float32 weights are checked at their values but computed in float64: central
    # differences in float32 would make a correct gradient look wrong.
    thetas, X, y = nnlib.debug_network()
    thetas32 = [t.astype(np.float32) for t in thetas]
    assert check_gradient_directions(thetas32, X, y, lam=1.0) < CORRECT_BELOW
    assert all(t.dtype == np.float32 for t in thetas32)


def test_a_ragged_gradient_is_a_clear_error():
    def ragged(thetas, X, y, lam):
        return [[1.0, 2.0], [3.0]]
    with pytest.raises(ValueError, match=r"gradient\(...\)\[0\] must be numeric|shaped like thetas"):
        check_gradients(gradient=ragged)
