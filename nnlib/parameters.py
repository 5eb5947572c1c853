"""Weights: random initialization, and unrolling a list of Θ into one vector and back.

Θ(l) has shape (s_{l+1}, s_l + 1); row j holds the weights into unit j of layer
l + 1 and column 0 the bias.  The optimizers of :mod:`scipy.optimize` see one long
vector, so the matrices are unrolled row by row (C order) and put end to end.
"""
import numpy as np

from . import _validate


def shapes(layer_sizes):
    """Shapes of the weight matrices for the given layer widths.

    Parameters
    ----------
    layer_sizes : list of int, length L
        Units per layer, input first, without bias units, e.g. ``[400, 25, 10]``.

    Returns
    -------
    list of tuple
        ``[(s_2, s_1 + 1), (s_3, s_2 + 1), ...]``, e.g. ``[(25, 401), (10, 26)]``.
    """
    sizes = _validate.layer_sizes(layer_sizes)
    return [(s_out, s_in + 1) for s_in, s_out in zip(sizes[:-1], sizes[1:])]


def init_weights(layer_sizes, seed=0, eps=0.12):
    """Random weights, uniform in [-ε, ε], that break the symmetry between units.

    If every weight started equal, every hidden unit would compute the same
    function and receive the same gradient, and they would stay identical forever.

    Parameters
    ----------
    layer_sizes : list of int, length L
        Units per layer, input first, e.g. ``[400, 25, 10]``.
    seed : int, default 0
        Seed of the random generator; the same seed gives the same weights.
    eps : float > 0 or None, default 0.12
        Half-width of the interval (the lab's value).  ``None`` picks, per layer,
        ε = √6 / √(s_l + s_{l+1}), which keeps the size of the signals steady from
        layer to layer.

    Returns
    -------
    thetas : list of arrays, Θ(l) of shape (s_{l+1}, s_l + 1)
    """
    layer_shapes = shapes(layer_sizes)
    if eps is not None:
        eps = _validate.nonnegative(eps, "eps")
        if eps == 0:
            raise ValueError("eps must be > 0 (ε = 0 gives all-equal weights, which never "
                             "break the symmetry); got 0")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be an integer >= 0; got {seed!r}")
    rng = np.random.default_rng(seed)
    thetas = []
    for s_out, s_in_plus_bias in layer_shapes:
        e = eps if eps is not None else np.sqrt(6.0) / np.sqrt(s_in_plus_bias - 1 + s_out)
        thetas.append(rng.uniform(-e, e, size=(s_out, s_in_plus_bias)))
    return thetas


def unroll(thetas):
    """Put the weight matrices end to end in one vector, each row by row.

    Parameters
    ----------
    thetas : list of arrays, Θ(l) of shape (s_{l+1}, s_l + 1)

    Returns
    -------
    theta : array of shape (Σ_l s_{l+1} (s_l + 1),)
        10 285 numbers for the 400-25-10 network.
    """
    thetas = _validate.thetas(thetas)
    return np.concatenate([theta.ravel() for theta in thetas])


def roll(theta, layer_sizes):
    """Cut a vector made by :func:`unroll` back into the weight matrices.

    Parameters
    ----------
    theta : array of shape (Σ_l s_{l+1} (s_l + 1),)
    layer_sizes : list of int, length L

    Returns
    -------
    thetas : list of arrays, Θ(l) of shape (s_{l+1}, s_l + 1)
        Views into ``theta`` (no copy): changing one changes the other.
    """
    layer_shapes = shapes(layer_sizes)
    theta = _validate.finite_array(theta, "theta")
    if theta.ndim != 1:
        raise ValueError(f"theta must be a 1-D vector; got shape {theta.shape} "
                         "(use nnlib.unroll to turn a list of matrices into a vector)")
    n = sum(r * c for r, c in layer_shapes)
    if theta.size != n:
        raise ValueError(f"theta has {theta.size} numbers; layer_sizes {list(layer_sizes)} "
                         f"need {n} ({' + '.join(f'{r}·{c}' for r, c in layer_shapes)})")
    return _roll(theta, layer_shapes)


def _roll(theta, layer_shapes):
    thetas, start = [], 0
    for r, c in layer_shapes:
        thetas.append(theta[start:start + r * c].reshape(r, c))
        start += r * c
    return thetas
