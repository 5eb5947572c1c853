"""Argument checks shared by the public functions of nnlib.

Every public function checks what it is given once, at the boundary, and raises
``ValueError`` with a message that names the argument, what was expected and what
was received.  The optimizer's inner loop calls the private, unchecked versions.
"""
import numbers

import numpy as np


def _describe(value):
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    return f"{type(value).__name__} {value!r}"


def finite_array(value, name, ndim=None):
    """Return ``value`` as a float64 array, refusing NaN, inf and non-numbers."""
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be numeric; got {_describe(value)}") from None
    if ndim is not None and arr.ndim != ndim:
        shape = " (m, n)" if ndim == 2 else ""
        raise ValueError(f"{name} must be a {ndim}-D array{shape}; got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        bad = np.argwhere(~np.isfinite(arr))[0]
        raise ValueError(
            f"{name} must contain only finite numbers; "
            f"found {arr[tuple(bad)]} at index {tuple(int(i) for i in bad)}"
        )
    return arr


def nonnegative(value, name):
    """Return ``value`` as a float, refusing negative, NaN and infinite values."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a real number >= 0; got {_describe(value)}")
    if not np.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be a finite number >= 0; got {value}")
    return float(value)


def positive_int(value, name):
    """Return ``value`` as an int, refusing anything but integers >= 1."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"{name} must be an integer >= 1; got {_describe(value)}")
    return int(value)


def layer_sizes(sizes, name="layer_sizes"):
    """Return ``sizes`` as a list of ints: at least an input and an output layer."""
    try:
        sizes = list(sizes)
    except TypeError:
        raise ValueError(f"{name} must be a list of layer widths such as [400, 25, 10]; "
                         f"got {_describe(sizes)}") from None
    if len(sizes) < 2:
        raise ValueError(f"{name} needs at least 2 layers (input and output); got {sizes}")
    return [positive_int(s, f"{name}[{i}]") for i, s in enumerate(sizes)]


def thetas(value, name="thetas"):
    """Check a list of weight matrices that chain; return it as float64 arrays.

    Θ(l) must have shape (s_{l+1}, s_l + 1): column 0 holds the bias weights, so
    the number of columns of Θ(l+1) is one more than the number of rows of Θ(l).
    """
    if isinstance(value, np.ndarray) or not isinstance(value, (list, tuple)):
        raise ValueError(f"{name} must be a list of weight matrices [Θ(1), Θ(2), ...]; "
                         f"got {_describe(value)} (use nnlib.roll to turn a vector into a list)")
    if len(value) == 0:
        raise ValueError(f"{name} must hold at least one weight matrix; got an empty list")
    out = []
    for l, theta in enumerate(value, start=1):
        theta = finite_array(theta, f"{name}[{l - 1}] (Θ({l}))", ndim=2)
        if theta.shape[1] < 2:
            raise ValueError(f"{name}[{l - 1}] (Θ({l})) must have a bias column and at least one "
                             f"weight column; got shape {theta.shape}")
        if out and theta.shape[1] != out[-1].shape[0] + 1:
            raise ValueError(
                f"{name}[{l - 1}] (Θ({l})) has {theta.shape[1]} columns; it must have "
                f"{out[-1].shape[0] + 1} (the {out[-1].shape[0]} units of layer {l} plus the bias), "
                f"because Θ({l - 1}) has shape {out[-1].shape}"
            )
        out.append(theta)
    return out


def inputs(X, thetas_, name="X"):
    """Check that ``X`` is a finite (m, n) array with the width Θ(1) expects."""
    if np.ndim(X) == 1:
        raise ValueError(f"{name} must be 2-D (m, n) with one example per row; got shape "
                         f"{np.shape(X)} (for a single example use {name}[None, :])")
    X = finite_array(X, name, ndim=2)
    n = thetas_[0].shape[1] - 1
    if X.shape[1] != n:
        raise ValueError(f"{name} has {X.shape[1]} columns; the network expects {n} "
                         f"(Θ(1) has {n + 1} columns including the bias)")
    if X.shape[0] == 0:
        raise ValueError(f"{name} must hold at least one example; got shape {X.shape}")
    return X


def labels(y, m, K, name="y"):
    """Check that ``y`` holds m integer labels in 0..K-1; return an int array."""
    arr = np.asarray(y)
    if arr.ndim != 1:
        hint = f" (use {name}.ravel())" if arr.ndim == 2 and 1 in arr.shape else ""
        raise ValueError(f"{name} must be 1-D with shape ({m},); got shape {arr.shape}{hint}")
    if arr.shape[0] != m:
        raise ValueError(f"{name} has {arr.shape[0]} labels; X has {m} rows, so {m} are expected")
    if arr.dtype.kind not in "iu":
        if arr.dtype.kind != "f" or not np.all(np.isfinite(arr)) or np.any(arr != np.round(arr)):
            raise ValueError(f"{name} must hold integer class labels 0..{K - 1}; "
                             f"got dtype {arr.dtype} with values like {arr[:3].tolist()}")
    arr = arr.astype(np.int64)
    if arr.size and (arr.min() < 0 or arr.max() >= K):
        bad = arr[(arr < 0) | (arr >= K)][0]
        hint = ""
        if bad == K:
            hint = (f"; the Coursera files label the digit 0 as {K} — nnlib.load_mat converts "
                    f"them, or use {name} % {K}")
        raise ValueError(f"{name} must hold labels 0..{K - 1} (the network has {K} outputs); "
                         f"found {bad}{hint}")
    return arr
