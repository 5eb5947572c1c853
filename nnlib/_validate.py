"""Argument checks shared by every public function of nnlib.

Every public function checks what it is given once, at the boundary, and raises
``ValueError`` with a message that names the argument, what was expected and what
was received.  Training loops call the private, unchecked versions.

Floating-point type: nnlib computes in float64.  float32 is used only when asked
for, by passing float32 weights (for example from ``nnlib.init_he(...,
dtype=np.float32)``) or ``dtype=np.float32`` to a trainer; the data then follow the
weights.
"""
import numbers

import numpy as np

#: The floating-point types nnlib computes in.
DTYPES = (np.float32, np.float64)


def _describe(value):
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    return f"{type(value).__name__} {value!r}"


def _brief(value):
    """:func:`_describe`, cut to a length that fits in an error message."""
    text = " ".join(_describe(value).split())
    return text if len(text) <= 120 else text[:117] + "..."


def _where(label, changed):
    """The entries marked in ``changed`` as a short index: 'Θ(1)[:, 0]', 'y[3]', 'X[:, :]'."""
    index = np.argwhere(changed)
    if changed.all():
        return f"{label}[{', '.join(':' * changed.ndim)}]"
    if changed.ndim == 2:
        rows, cols = np.unique(index[:, 0]), np.unique(index[:, 1])
        if cols.size == 1 and changed[:, cols[0]].all():
            return f"{label}[:, {cols[0]}]"
        if rows.size == 1 and changed[rows[0]].all():
            return f"{label}[{rows[0]}, :]"
    more = f" and {len(index) - 1} other entries" if len(index) > 1 else ""
    return f"{label}[{', '.join(map(str, index[0]))}]{more}"


def change(label, before, after, rtol=0.0):
    """How the array ``after`` differs from ``before``, in words; None if it does not.

    Used to tell a user that their function changed an argument it was given.  With
    ``rtol`` > 0, differences of rounding size (θᵢ + ε − ε) do not count.
    """
    if not isinstance(after, np.ndarray):
        return f"{label} was replaced by {_brief(after)}"
    if after.shape != before.shape:
        return f"{label} changed shape from {before.shape} to {after.shape}"
    if before.dtype.kind == "f" and rtol:
        changed = ~np.isclose(after, before, rtol=rtol, atol=0.0, equal_nan=True)
    else:
        changed = ~((before == after) | (np.isnan(before) & np.isnan(after))
                    if before.dtype.kind == "f" else before == after)
    if not changed.any():
        return None
    first = tuple(int(i) for i in np.argwhere(changed)[0])
    was, now = before[first], after[first]
    where = _where(label, changed)
    if changed.sum() == 1:
        return f"{where} changed from {was:.6g} to {now:.6g}"
    return f"{where} changed ({label}[{', '.join(map(str, first))}]: {was:.6g} -> {now:.6g})"


def finite_array(value, name, ndim=None, dtype=np.float64):
    """Return ``value`` as an array of ``dtype``, refusing NaN, inf and non-numbers.

    The finiteness check is done after the conversion, so a number too large for
    float32 is refused with that reason instead of turning into inf.
    """
    try:
        with np.errstate(over="ignore"):
            arr = np.asarray(value, dtype=dtype)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be numeric; got {_describe(value)}") from None
    if ndim is not None and arr.ndim != ndim:
        shape = " (m, n)" if ndim == 2 else ""
        raise ValueError(f"{name} must be a {ndim}-D array{shape}; got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        index = tuple(int(i) for i in np.argwhere(~np.isfinite(arr))[0])
        original = np.asarray(value, dtype=np.float64)[index]
        if np.isfinite(original):
            raise ValueError(f"{name} holds {original:g} at index {index}, too large for "
                             f"{np.dtype(dtype).name} (largest {np.finfo(dtype).max:.3g}); "
                             f"rescale it or use float64")
        raise ValueError(f"{name} must contain only finite numbers; "
                         f"found {original} at index {index}")
    return arr


def nonnegative(value, name):
    """Return ``value`` as a float, refusing negative, NaN and infinite values."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a real number >= 0; got {_describe(value)}")
    if not np.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be a finite number >= 0; got {value}")
    return float(value)


def positive(value, name):
    """Return a finite number > 0 as a float."""
    value = nonnegative(value, name)
    if value == 0:
        raise ValueError(f"{name} must be > 0; got 0")
    return value


def fraction(value, name, closed=False):
    """Return a number in [0, 1) (in [0, 1] when ``closed``) as a float."""
    interval = "[0, 1]" if closed else "[0, 1)"
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a number in {interval}; got {_describe(value)}")
    value = float(value)
    if not (0.0 <= value < 1.0 or (closed and value == 1.0)):
        raise ValueError(f"{name} must be a number in {interval}; got {value}")
    return value


def positive_int(value, name):
    """Return ``value`` as an int, refusing anything but integers >= 1."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"{name} must be an integer >= 1; got {_describe(value)}")
    return int(value)


def seed(value, name="seed"):
    """Return an integer >= 0 (a seed of numpy's random generator)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 0:
        raise ValueError(f"{name} must be an integer >= 0; got {_describe(value)}")
    return int(value)


def flag(value, name):
    """Return ``value`` if it is True or False."""
    if not isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name} must be True or False; got {_describe(value)}")
    return bool(value)


def dtype(value, name="dtype"):
    """Return ``np.float32`` or ``np.float64``; refuse every other type."""
    try:
        dt = np.dtype(value) if value is not None else None
    except TypeError:
        dt = None
    if dt not in DTYPES:
        raise ValueError(f"{name} must be np.float32 or np.float64; got {_describe(value)}")
    return dt.type


def choice(value, name, options):
    """Return ``value`` if it is one of ``options`` (names such as "relu")."""
    if not isinstance(value, str) or value not in options:
        raise ValueError(f"{name} must be one of {tuple(options)}; got {_describe(value)}")
    return value


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


def thetas(value, name="thetas", dtype_=None):
    """Check a list of weight matrices that chain; return them as arrays of one type.

    Θ(l) must have shape (s_{l+1}, s_l + 1): column 0 holds the bias weights, so
    the number of columns of Θ(l+1) is one more than the number of rows of Θ(l).
    ``dtype_=None`` keeps float32 if every Θ(l) is float32 and uses float64 otherwise.
    The arrays returned may be the caller's own (no copy when no conversion is needed):
    never write into them.
    """
    if isinstance(value, np.ndarray) or not isinstance(value, (list, tuple)):
        raise ValueError(f"{name} must be a list of weight matrices [Θ(1), Θ(2), ...]; "
                         f"got {_describe(value)} (use nnlib.roll to turn a vector into a list)")
    if len(value) == 0:
        raise ValueError(f"{name} must hold at least one weight matrix; got an empty list")
    if dtype_ is None:
        all32 = all(getattr(t, "dtype", None) == np.float32 for t in value)
        dtype_ = np.float32 if all32 else np.float64
    out = []
    for l, theta in enumerate(value, start=1):
        theta = finite_array(theta, f"{name}[{l - 1}] (Θ({l}))", ndim=2, dtype=dtype_)
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
    """Check that ``X`` is a finite (m, n) array with the width Θ(1) expects.

    Returns it in the floating type of ``thetas_``.
    """
    if np.ndim(X) == 1:
        raise ValueError(f"{name} must be 2-D (m, n) with one example per row; got shape "
                         f"{np.shape(X)} (for a single example use {name}[None, :])")
    X = finite_array(X, name, ndim=2, dtype=thetas_[0].dtype)
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
        mask = finite_array(mask, f"{name}[{i}]", ndim=2, dtype=dtype_)
        if mask.shape != (m, s):
            raise ValueError(f"{name}[{i}] (layer {i + 2}) must have shape ({m}, {s}), one "
                             f"entry per example and hidden unit; got {mask.shape}")
        if np.any(mask < 0):
            raise ValueError(f"{name}[{i}] must hold values >= 0 (0 for a dropped unit, "
                             f"1/keep for a kept one); found {mask.min()}")
        out.append(mask)
    return out
