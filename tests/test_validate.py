"""nnlib._validate: bad input gets a ValueError naming the argument, what was expected and what came.

The checks run at the public boundary of every function; these tests go through the
lab's functions, the ones students call most."""
import numpy as np
import pytest

import nnlib


@pytest.fixture(scope="module")
def problem(reference, digits):
    X, y = digits
    return reference, X[:20], y[:20]


def test_x_of_the_wrong_width(problem):
    thetas, X, y = problem
    with pytest.raises(ValueError, match=r"X has 399 columns; the network expects 400 "
                                         r"\(Θ\(1\) has 401 columns including the bias\)"):
        nnlib.cost(thetas, X[:, :399], y)


def test_x_with_nan_or_inf(problem):
    thetas, X, y = problem
    X = X.copy()
    X[3, 7] = np.nan
    with pytest.raises(ValueError, match=r"X must contain only finite numbers; found nan at index \(3, 7\)"):
        nnlib.predict(thetas, X)
    X[3, 7] = np.inf
    with pytest.raises(ValueError, match="finite"):
        nnlib.forward(thetas, X)


def test_single_example_needs_two_dimensions(problem):
    thetas, X, _ = problem
    with pytest.raises(ValueError, match=r"X must be 2-D .* got shape \(400,\)"):
        nnlib.predict(thetas, X[0])


def test_labels_from_the_coursera_file(problem):
    thetas, X, y = problem
    with pytest.raises(ValueError, match=r"labels 0..9 .* found 10; the Coursera files"):
        nnlib.cost(thetas, X, np.where(y == 0, 10, y))


@pytest.mark.parametrize("bad_y, message", [
    (lambda y: y[:-1], "y has 19 labels; X has 20 rows"),
    (lambda y: y[:, None], r"y must be 1-D with shape \(20,\); got shape \(20, 1\) \(use y.ravel\(\)\)"),
    (lambda y: y - 1, "found -1"),
    (lambda y: y + 0.5, "integer class labels"),
])
def test_bad_labels(problem, bad_y, message):
    thetas, X, y = problem
    with pytest.raises(ValueError, match=message):
        nnlib.gradient(thetas, X, bad_y(y))


def test_thetas_that_do_not_chain(problem):
    thetas, X, y = problem
    with pytest.raises(ValueError, match=r"thetas\[1\] \(Θ\(2\)\) has 25 columns; it must have 26"):
        nnlib.cost([thetas[0], thetas[1][:, 1:]], X, y)
    with pytest.raises(ValueError, match="list of weight matrices"):
        nnlib.cost(nnlib.unroll(thetas), X, y)


@pytest.mark.parametrize("lam", [-1.0, np.nan, np.inf, "1", None])
def test_bad_lambda(problem, lam):
    thetas, X, y = problem
    with pytest.raises(ValueError, match="lam must be"):
        nnlib.cost_and_gradient(thetas, X, y, lam)


def test_one_hot_bad_labels():
    with pytest.raises(ValueError, match="found 3"):
        nnlib.one_hot([0, 3], K=3)
    with pytest.raises(ValueError, match="K must be an integer >= 1"):
        nnlib.one_hot([0, 1], K=0)


def test_gradcheck_bad_arguments():
    with pytest.raises(ValueError, match="f must be a function"):
        nnlib.numerical_gradient(3.0, np.zeros(2))
    with pytest.raises(ValueError, match="eps must be > 0"):
        nnlib.numerical_gradient(np.sum, np.zeros(2), eps=0.0)
    with pytest.raises(ValueError, match="gradient must be a function"):
        nnlib.check_gradients(gradient="backprop")
    with pytest.raises(ValueError, match=r"analytical must match, got \(3,\)"):
        nnlib.relative_difference(np.zeros(2), np.zeros(3))



def test_a_number_too_large_for_float32_is_named_not_turned_into_inf():
    thetas = nnlib.init_he([3, 2], dtype=np.float32)
    X = np.array([[1.0, 2.0, 5e38]])
    with pytest.raises(ValueError, match=r"X holds 5e\+38 at index \(0, 2\), too large for "
                                         r"float32 \(largest 3.4e\+38\)"):
        nnlib.forward(thetas, X)
    with pytest.raises(ValueError, match=r"initial_thetas\[0\] \(Θ\(1\)\) holds 1e\+39"):
        nnlib.train_sgd(X[:, :2], [0], [2, 3], initial_thetas=[np.full((3, 3), 1e39)],
                        dtype=np.float32)


@pytest.mark.parametrize("value, message", [
    ("float16", "dtype must be np.float32 or np.float64"),
    (None, "dtype must be np.float32 or np.float64; got NoneType None"),
    (int, "dtype must be np.float32 or np.float64"),
])
def test_dtype(value, message):
    from nnlib import _validate
    with pytest.raises(ValueError, match=message):
        _validate.dtype(value)
    assert _validate.dtype("float32") is np.float32


def test_flags_fractions_and_choices():
    from nnlib import _validate
    with pytest.raises(ValueError, match="nesterov must be True or False; got int 1"):
        _validate.flag(1, "nesterov")
    with pytest.raises(ValueError, match=r"momentum must be a number in \[0, 1\); got 1.0"):
        _validate.fraction(1.0, "momentum")
    assert _validate.fraction(1.0, "rate", closed=True) == 1.0
    with pytest.raises(ValueError, match=r"output must be one of \('a', 'b'\); got int 3"):
        _validate.choice(3, "output", ["a", "b"])
