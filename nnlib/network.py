"""The network's forward pass, its predictions and its cost J(Θ).

Notation (the book's): m examples, K classes, layers l = 1..L with s_l units.
Θ(l), of shape (s_{l+1}, s_l + 1), carries layer l to layer l + 1; its column 0
holds the bias weights.  For the m examples at once, one per row::

    a(1)   = [1, X]                              (m, s_1 + 1)
    z(l+1) = a(l) Θ(l)ᵀ                          (m, s_{l+1})
    a(l+1) = [1, g(z(l+1)) ⊙ M(l+1)]             for the hidden layers l + 1 = 2..L-1
    h      = a(L) = output(z(L))                 (m, K)

[1, ·] puts a column of ones (the bias unit) in front; g is the hidden activation
(the lab's sigmoid, or tanh or relu, from :mod:`nnlib.activations`); M(l) is a
dropout mask (chapter 11; without masks M = 1); the output layer is the lab's K
sigmoids or a softmax (:mod:`nnlib.outputs`).  The cost is the output layer's
cross-entropy plus the L2 penalty of :mod:`nnlib.regularization`.

Python counts from 0 and the book from 1.  The code keeps the book's numbers: the
lists ``a``, ``z``, ``Theta`` and ``M`` have an unused entry in front, so that a[l]
is a(l), z[l] is z(l), Theta[l] is Θ(l) and M[l] is M(l).
"""
from dataclasses import dataclass

import numpy as np

from . import _validate
from .activations import ACTIVATIONS
from .data import _one_hot
from .outputs import OUTPUTS
from .regularization import _l2_penalty


@dataclass
class Forward:
    """Everything the forward pass computes, indexed by layer number as in the book.

    ``a[l]`` is a(l) and ``z[l]`` is z(l) for l = 1..L; index 0 is unused (None) and
    so is z[1], because the input layer has no pre-activation.  a(1)..a(L-1) include
    the bias column of ones: a[1] is (m, s_1 + 1).  a[L] = h is the output, (m, K).
    """

    a: list
    z: list

    @property
    def h(self):
        """The output a(L), shape (m, K)."""
        return self.a[-1]


def _add_bias(a):
    """[1, a]: (m, s) -> (m, s + 1) with a first column of ones."""
    return np.hstack([np.ones((a.shape[0], 1), dtype=a.dtype), a])


def _padded(masks, L):
    """[None, None, M(2), ..., M(L-1), None]: M[l] is the mask of layer l, or None."""
    return [None, None] + list(masks) + [None] if masks is not None else [None] * (L + 1)


def _forward(thetas, a1, activation="sigmoid", output="sigmoid", masks=None):
    """Unchecked forward pass from a(1) = [1, X]; see the module's equations."""
    g = ACTIVATIONS[activation][0]
    L = len(thetas) + 1
    Theta, M = [None] + list(thetas), _padded(masks, L)
    a, z = [None] * (L + 1), [None] * (L + 1)
    a[1] = a1
    for l in range(1, L):
        z[l + 1] = a[l] @ Theta[l].T
        if l + 1 < L:                                  # a hidden layer
            g_z = g(z[l + 1]) if M[l + 1] is None else g(z[l + 1]) * M[l + 1]
            a[l + 1] = _add_bias(g_z)
    a[L] = OUTPUTS[output].h(z[L])
    return Forward(a=a, z=z)


def _cost(thetas, forward, Y, lam, output="sigmoid"):
    """Unchecked J(Θ) from a forward pass and the one-hot targets Y (m, K)."""
    m = Y.shape[0]
    return float(OUTPUTS[output].cost(forward.z[-1], Y) + _l2_penalty(thetas, lam, m))


def _predict(thetas, a1, activation="sigmoid", output="sigmoid"):
    """Unchecked predictions from a(1): the index of the largest output, shape (m,)."""
    return np.argmax(_forward(thetas, a1, activation, output).h, axis=1)


def check_network(thetas, X, activation="sigmoid", output="sigmoid", masks=None):
    """Validate a network and its inputs; return (thetas, a(1), activation, output, masks)."""
    thetas = _validate.thetas(thetas)
    X = _validate.inputs(X, thetas)
    activation = _validate.choice(activation, "activation", ACTIVATIONS)
    output = _validate.choice(output, "output", OUTPUTS)
    hidden = [theta.shape[0] for theta in thetas[:-1]]
    masks = _validate.masks(masks, X.shape[0], hidden, thetas[0].dtype)
    return thetas, _add_bias(X), activation, output, masks


def check_problem(thetas, X, y, lam, activation="sigmoid", output="sigmoid", masks=None):
    """Validate a whole problem; return (thetas, a(1), Y one-hot, λ, activation, output, masks)."""
    thetas, a1, activation, output, masks = check_network(thetas, X, activation, output, masks)
    K = thetas[-1].shape[0]
    y = _validate.labels(y, a1.shape[0], K)
    lam = _validate.nonnegative(lam, "lam")
    Y = _one_hot(y, K).astype(a1.dtype, copy=False)
    return thetas, a1, Y, lam, activation, output, masks


def forward(thetas, X, activation="sigmoid", output="sigmoid", masks=None):
    """Forward propagation, keeping every layer's a and z.

    Parameters
    ----------
    thetas : list of arrays, Θ(l) of shape (s_{l+1}, s_l + 1)
    X : array of shape (m, s_1)
        One example per row, without the bias column.
    activation : {"sigmoid", "tanh", "relu"}, default "sigmoid"
        The activation g of every hidden layer.
    output : {"sigmoid", "softmax"}, default "sigmoid"
        The output layer: K sigmoids (the lab's) or a softmax.
    masks : list of arrays, optional
        Dropout masks (:func:`nnlib.dropout_masks`), one (m, s_l) array per hidden
        layer l = 2..L-1; None (the default, and always at test time) for none.

    Returns
    -------
    Forward
        ``.a[l]`` and ``.z[l]`` for l = 1..L (see :class:`Forward`); ``.h`` is the
        output, shape (m, K).  Computed in float32 if every Θ(l) is float32, else
        in float64.
    """
    thetas, a1, activation, output, masks = check_network(thetas, X, activation, output, masks)
    return _forward(thetas, a1, activation, output, masks)


def predict(thetas, X, activation="sigmoid", output="sigmoid"):
    """Predicted class of each example: the output unit with the largest value.

    Parameters
    ----------
    thetas : list of arrays, Θ(l) of shape (s_{l+1}, s_l + 1)
    X : array of shape (m, s_1)
    activation : {"sigmoid", "tanh", "relu"}, default "sigmoid"
    output : {"sigmoid", "softmax"}, default "sigmoid"
        Both output layers are increasing in each z(L)_k, so the largest h is the
        largest z(L) and the prediction does not depend on it; it is accepted so
        that one set of keyword arguments describes a network everywhere.

    Returns
    -------
    y_pred : int array of shape (m,), values in 0..K-1
    """
    thetas, a1, activation, output, _ = check_network(thetas, X, activation, output)
    return _predict(thetas, a1, activation, output)


def accuracy(thetas, X, y, activation="sigmoid", output="sigmoid"):
    """Fraction of the examples whose predicted class equals the label.

    Parameters
    ----------
    thetas : list of arrays, Θ(l) of shape (s_{l+1}, s_l + 1)
    X : array of shape (m, s_1)
    y : int array of shape (m,), labels 0..K-1
    activation, output
        As in :func:`predict`.

    Returns
    -------
    float in [0, 1]
    """
    thetas, a1, activation, output, _ = check_network(thetas, X, activation, output)
    y = _validate.labels(y, a1.shape[0], thetas[-1].shape[0])
    return float(np.mean(_predict(thetas, a1, activation, output) == y))


def cost(thetas, X, y, lam=0.0, activation="sigmoid", output="sigmoid", masks=None):
    """The cost J(Θ): the output layer's cross-entropy plus L2 regularization.

    With the lab's sigmoid output::

        J = (1/m) Σ_i Σ_k [-y_k log h_k - (1 - y_k) log(1 - h_k)]
            + λ/(2m) Σ_l Σ_j Σ_{k≥1} Θ(l)_jk²

    with a softmax output the first line is (1/m) Σ_i -log h_(i, y_i).  The
    regularization skips column 0 of every Θ (the bias weights).

    Parameters
    ----------
    thetas : list of arrays, Θ(l) of shape (s_{l+1}, s_l + 1)
    X : array of shape (m, s_1)
    y : int array of shape (m,), labels 0..K-1
    lam : float >= 0, default 0
        Regularization strength λ.
    activation : {"sigmoid", "tanh", "relu"}, default "sigmoid"
    output : {"sigmoid", "softmax"}, default "sigmoid"
    masks : list of arrays, optional
        Fixed dropout masks (see :func:`forward`).

    Returns
    -------
    float
    """
    thetas, a1, Y, lam, activation, output, masks = check_problem(
        thetas, X, y, lam, activation, output, masks)
    return _cost(thetas, _forward(thetas, a1, activation, output, masks), Y, lam, output)
