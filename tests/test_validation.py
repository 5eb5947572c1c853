"""Bad input gets a ValueError that names the argument, what was expected and what came."""
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


def test_fit_bad_arguments(digits):
    X, y = digits
    with pytest.raises(ValueError, match=r"method must be one of .* got 'SGD'"):
        nnlib.fit(X, y, [400, 25, 10], method="SGD")
    with pytest.raises(ValueError, match="maxiter must be an integer >= 1; got int 0"):
        nnlib.fit(X, y, [400, 25, 10], maxiter=0)
    with pytest.raises(ValueError, match="X has 400 columns; the network expects 399"):
        nnlib.fit(X, y, [399, 25, 10])
    with pytest.raises(ValueError, match="initial_thetas have shapes"):
        nnlib.fit(X, y, [400, 25, 10], initial_thetas=nnlib.init_weights([400, 20, 10]))
    with pytest.raises(ValueError, match="lam must be a finite number >= 0; got -1"):
        nnlib.fit(X, y, [400, 25, 10], lam=-1.0)


def test_gradcheck_bad_arguments():
    with pytest.raises(ValueError, match="f must be a function"):
        nnlib.numerical_gradient(3.0, np.zeros(2))
    with pytest.raises(ValueError, match="eps must be > 0"):
        nnlib.numerical_gradient(np.sum, np.zeros(2), eps=0.0)
    with pytest.raises(ValueError, match="gradient must be a function"):
        nnlib.check_gradients(gradient="backprop")
    with pytest.raises(ValueError, match=r"analytical must match, got \(3,\)"):
        nnlib.relative_difference(np.zeros(2), np.zeros(3))


def test_show_images_bad_shape():
    with pytest.raises(ValueError, match=r"images must have shape \(n, p²\)"):
        nnlib.show_images(np.zeros((3, 399)))
