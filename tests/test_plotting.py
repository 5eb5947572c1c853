"""nnlib.plotting: many small images in one grid."""
import matplotlib
import numpy as np
import pytest

import nnlib

matplotlib.use("Agg")


def test_images_are_placed_row_by_row_with_padding():
    images = np.arange(6 * 4, dtype=float).reshape(6, 4)        # six 2×2 images
    shown = nnlib.show_images(images, ncols=4, pad=1)
    canvas = shown.get_array()
    assert canvas.shape == (2 * 3 + 1, 4 * 3 + 1)               # 2 rows and 4 columns of 2+1 px
    np.testing.assert_array_equal(canvas[1:3, 1:3], [[0, 1], [2, 3]])          # image 0
    np.testing.assert_array_equal(canvas[4:6, 1:3], [[16, 17], [18, 19]])      # image 4
    assert canvas[0, 0] == images.min()                          # the padding is background
    matplotlib.pyplot.close("all")


def test_symmetric_scaling_keeps_zero_in_the_middle():
    shown = nnlib.show_images(np.array([[-2.0, 0.0, 1.0, 2.0]]), symmetric=True)
    assert shown.get_clim() == (-1.0, 1.0)
    np.testing.assert_allclose(shown.get_array()[2:4, 2:4], [[-1.0, 0.0], [0.5, 1.0]])
    matplotlib.pyplot.close("all")


@pytest.mark.parametrize("kwargs, message", [
    ({"images": np.zeros((3, 399))}, r"images must have shape \(n, p²\)"),
    ({"images": np.zeros((3, 4)), "labels": ["a"]}, "labels must have one entry per image"),
    ({"images": np.zeros((3, 4)), "ncols": 0}, "ncols must be an integer >= 1"),
])
def test_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        nnlib.show_images(**kwargs)
