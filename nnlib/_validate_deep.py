"""Argument checks for the deeper networks (softmax, dropout, SGD).

The same rules as :mod:`nnlib._validate`: check once at the public boundary and
raise ``ValueError`` naming the argument, what was expected and what was given.
The difference is the floating-point type: the deeper networks work in float32 by
default, so these helpers keep float32 arrays as float32 instead of turning every
array into float64.
"""
import numbers

import numpy as np

from . import _validate
from ._validate import _describe

#: The hidden activations a deep network may use.
ACTIVATIONS = ("sigmoid", "tanh", "relu")

#: The floating-point types the deep networks compute in.
DTYPES = (np.float32, np.float64)


def float_array(value, name, ndim=None):
    """Return ``value`` as a finite float array, keeping float32 as float32.

    Any other input (ints, lists, float16...) becomes float64.
    """
    dtype = getattr(value, "dtype", None)
    if dtype not in (np.float32, np.float64):
        return _validate.finite_array(value, name, ndim)
    arr = np.asarray(value)
    if ndim is not None and arr.ndim != ndim:
        shape = " (m, n)" if ndim == 2 else ""
        raise ValueError(f"{name} must be a {ndim}-D array{shape}; got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        bad = np.argwhere(~np.isfinite(arr))[0]
        raise ValueError(f"{name} must contain only finite numbers; "
                         f"found {arr[tuple(bad)]} at index {tuple(int(i) for i in bad)}")
    return arr


def dtype(value, name="dtype"):
    """Return ``np.float32`` or ``np.float64``; refuse every other type."""
    try:
        dt = np.dtype(value)
    except TypeError:
        dt = None
    if value is None or dt not in DTYPES:
        raise ValueError(f"{name} must be np.float32 or np.float64; got {_describe(value)}")
    return dt.type


def activation(value, name="activation"):
    """Return the name of a hidden activation, one of :data:`ACTIVATIONS`."""
    if value not in ACTIVATIONS:
        raise ValueError(f"{name} must be one of {ACTIVATIONS}; got {_describe(value)}")
    return value


def fraction(value, name, upper_open=True):
    """Return a number in [0, 1) (or [0, 1] when ``upper_open`` is False) as a float."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a number in [0, 1); got {_describe(value)}")
    value = float(value)
    if not (0.0 <= value < 1.0 or (not upper_open and value == 1.0)):
        interval = "[0, 1)" if upper_open else "[0, 1]"
        raise ValueError(f"{name} must be a number in {interval}; got {value}")
    return value


def positive(value, name):
    """Return a finite number > 0 as a float."""
    value = _validate.nonnegative(value, name)
    if value == 0:
        raise ValueError(f"{name} must be > 0; got 0")
    return value


def seed(value, name="seed"):
    """Return an integer >= 0 (a seed of numpy's random generator)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 0:
        raise ValueError(f"{name} must be an integer >= 0; got {_describe(value)}")
    return int(value)


def thetas(value, dtype_=None, name="thetas"):
    """Check a chain of weight matrices; return them in ``dtype_``.

    ``dtype_=None`` picks float32 if every Θ(l) is float32 and float64 otherwise.
    """
    checked = _validate.thetas(value, name)        # shapes and finiteness; float64 copies
    if dtype_ is None:
        all32 = all(getattr(t, "dtype", None) == np.float32 for t in value)
        dtype_ = np.float32 if all32 else np.float64
    return [t.astype(dtype_, copy=False) for t in checked], dtype_


def inputs(X, thetas_, dtype_, name="X"):
    """Check X against Θ(1) (as :func:`nnlib._validate.inputs`); return it in ``dtype_``."""
    return _validate.inputs(X, thetas_, name).astype(dtype_, copy=False)


def masks(value, m, hidden_sizes, dtype_, name="masks"):
    """Check dropout masks: one (m, s_l) array (or None) per hidden layer."""
    if value is None:
        return None
    if isinstance(value, np.ndarray) or not isinstance(value, (list, tuple)):
        raise ValueError(f"{name} must be a list with one mask per hidden layer "
                         f"(make them with nnlib.dropout_masks); got {_describe(value)}")
    if len(value) != len(hidden_sizes):
        raise ValueError(f"{name} must hold {len(hidden_sizes)} masks, one per hidden layer "
                         f"of widths {list(hidden_sizes)}; got {len(value)}")
    out = []
    for i, (mask, s) in enumerate(zip(value, hidden_sizes)):
        if mask is None:
            out.append(None)
            continue
        mask = float_array(mask, f"{name}[{i}]", ndim=2)
        if mask.shape != (m, s):
            raise ValueError(f"{name}[{i}] (layer {i + 2}) must have shape ({m}, {s}), one "
                             f"entry per example and hidden unit; got {mask.shape}")
        if np.any(mask < 0):
            raise ValueError(f"{name}[{i}] must hold values >= 0 (0 for a dropped unit, "
                             f"1/keep for a kept one); found {mask.min()}")
        out.append(mask.astype(dtype_, copy=False))
    return out
