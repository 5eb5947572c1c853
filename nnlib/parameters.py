"""Weights: random initialization, and unrolling a list of Θ into one vector and back.

Θ(l) has shape (s_{l+1}, s_l + 1); row j holds the weights into unit j of layer
l + 1 and column 0 the bias.  The optimizers of :mod:`scipy.optimize` see one long
vector, so the matrices are unrolled row by row (C order) and put end to end.
"""
import numpy as np

from . import _validate
from .activations import ACTIVATIONS


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
    rng = np.random.default_rng(_validate.seed(seed))
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


# --- Initializations for deeper networks --------------------------------------------
# With many layers the scale of the first weights matters: too small and the signal
# (and the gradient) shrinks layer after layer, too large and it explodes.  Both
# rules below choose the variance of Θ(l) from the widths so that the variance of
# the activations stays about the same from one layer to the next.  The bias column
# starts at 0 (the random weights already break the symmetry).


def _layer_shapes_and_rng(layer_sizes, seed, dtype):
    layer_shapes = shapes(layer_sizes)
    seed = _validate.seed(seed)
    dtype = _validate.dtype(dtype)
    return layer_shapes, np.random.default_rng(seed), dtype


def init_he(layer_sizes, seed=0, dtype=np.float64):
    """He initialization, for ReLU layers: weights from N(0, 2 / s_l), bias 0.

    A ReLU zeroes about half of its inputs, which halves the variance of the
    signal; the factor 2 (He et al., 2015) makes up for it.

    Parameters
    ----------
    layer_sizes : list of int, length L
        Units per layer, input first, e.g. ``[784, 128, 10]``.
    seed : int >= 0, default 0
        Seed of the random generator; the same seed gives the same weights (in
        float32 and float64, up to rounding).
    dtype : np.float32 or np.float64, default np.float64

    Returns
    -------
    thetas : list of arrays, Θ(l) of shape (s_{l+1}, s_l + 1)
        Column 0 (the bias) is 0; the other entries of Θ(l) are normal with mean 0
        and standard deviation √(2 / s_l), s_l the number of inputs of the layer.

    References
    ----------
    K. He, X. Zhang, S. Ren, J. Sun, "Delving deep into rectifiers", ICCV 2015.
    """
    layer_shapes, rng, dtype = _layer_shapes_and_rng(layer_sizes, seed, dtype)
    thetas = []
    for s_out, s_in_plus_bias in layer_shapes:
        s_in = s_in_plus_bias - 1
        theta = np.zeros((s_out, s_in_plus_bias), dtype=dtype)
        theta[:, 1:] = rng.normal(0.0, np.sqrt(2.0 / s_in), size=(s_out, s_in))
        thetas.append(theta)
    return thetas


def init_glorot(layer_sizes, seed=0, dtype=np.float64):
    """Glorot (Xavier) initialization, for tanh and sigmoid layers; bias 0.

    Weights uniform in [-r, r] with r = √(6 / (s_l + s_{l+1})), so their variance is
    r²/3 = 2 / (s_l + s_{l+1}): a compromise between keeping the forward signal
    (variance 1/s_l) and the backward gradient (variance 1/s_{l+1}) steady.  It is
    the ε = None option of :func:`init_weights`, with a zero bias column.

    Parameters
    ----------
    layer_sizes : list of int, length L
        Units per layer, input first, e.g. ``[784, 128, 10]``.
    seed : int >= 0, default 0
    dtype : np.float32 or np.float64, default np.float64

    Returns
    -------
    thetas : list of arrays, Θ(l) of shape (s_{l+1}, s_l + 1)
        Column 0 (the bias) is 0.

    References
    ----------
    X. Glorot, Y. Bengio, "Understanding the difficulty of training deep feedforward
    neural networks", AISTATS 2010.
    """
    layer_shapes, rng, dtype = _layer_shapes_and_rng(layer_sizes, seed, dtype)
    thetas = []
    for s_out, s_in_plus_bias in layer_shapes:
        s_in = s_in_plus_bias - 1
        r = np.sqrt(6.0 / (s_in + s_out))
        theta = np.zeros((s_out, s_in_plus_bias), dtype=dtype)
        theta[:, 1:] = rng.uniform(-r, r, size=(s_out, s_in))
        thetas.append(theta)
    return thetas


def init_for(activation, layer_sizes, seed=0, dtype=np.float64):
    """The initialization that fits a hidden activation: He for "relu", Glorot otherwise.

    Parameters
    ----------
    activation : {"relu", "tanh", "sigmoid"}
    layer_sizes, seed, dtype
        As in :func:`init_he`.

    Returns
    -------
    thetas : list of arrays, Θ(l) of shape (s_{l+1}, s_l + 1)
    """
    activation = _validate.choice(activation, "activation", ACTIVATIONS)
    init = init_he if activation == "relu" else init_glorot
    return init(layer_sizes, seed=seed, dtype=dtype)
