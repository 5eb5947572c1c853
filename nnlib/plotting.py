"""Figures of digits and weights: many small grey-scale images in a grid."""
import numpy as np

from . import _validate


def show_images(images, ncols=10, labels=None, ax=None, cmap="gray_r", symmetric=False,
                pad=2):
    """Draw square images side by side in one grid, as one picture.

    Parameters
    ----------
    images : array of shape (n, p²)
        One image per row, stored row by row (a digit from X, or a row of Θ(1)
        without its bias).
    ncols : int, default 10
        Images per row of the grid.
    labels : sequence of str, optional
        A short label drawn in the corner of each image.
    ax : matplotlib Axes, optional
        Where to draw; a new figure when omitted.
    cmap : str, default "gray_r"
        Colour map: dark ink on white paper for digits.
    symmetric : bool, default False
        Scale each image to its own [-max abs(w), max abs(w)] (for weights, so that 0 is
        always the middle grey) instead of one shared [min, max].
    pad : int, default 2
        Pixels of background between images.

    Returns
    -------
    matplotlib AxesImage
    """
    import matplotlib.pyplot as plt
    images = _validate.finite_array(images, "images", ndim=2)
    n, npix = images.shape
    p = int(round(np.sqrt(npix)))
    if p * p != npix or n == 0:
        raise ValueError(f"images must have shape (n, p²) with n >= 1; got {images.shape}")
    ncols = min(_validate.positive_int(ncols, "ncols"), n)
    if labels is not None and len(labels) != n:
        raise ValueError(f"labels must have one entry per image ({n}); got {len(labels)}")
    nrows = -(-n // ncols)
    if symmetric:
        scale = np.abs(images).max(axis=1, keepdims=True)
        images = images / np.where(scale == 0, 1, scale)
        background, vmin, vmax = 0.0, -1.0, 1.0
    else:
        vmin, vmax = images.min(), images.max()
        background = vmin
    canvas = np.full((nrows * (p + pad) + pad, ncols * (p + pad) + pad), background)
    for i, img in enumerate(images):
        r, c = divmod(i, ncols)
        canvas[pad + r * (p + pad):pad + r * (p + pad) + p,
               pad + c * (p + pad):pad + c * (p + pad) + p] = img.reshape(p, p)
    if ax is None:
        _, ax = plt.subplots(figsize=(ncols * 0.6 + 0.4, nrows * 0.6 + 0.4))
    shown = ax.imshow(canvas, cmap=cmap, vmin=vmin, vmax=vmax, interpolation="nearest")
    ax.set_xticks([])
    ax.set_yticks([])
    if labels is not None:
        for i, text in enumerate(labels):
            r, c = divmod(i, ncols)
            ax.text(pad + c * (p + pad), pad + r * (p + pad), str(text),
                    color="tab:red", fontsize=7, va="top", ha="left",
                    bbox={"facecolor": "white", "alpha": 0.7, "pad": 0.5, "linewidth": 0})
    return shown
