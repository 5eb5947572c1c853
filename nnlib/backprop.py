"""Backpropagation: the gradient of J(Θ) with respect to every weight.

After a forward pass (:mod:`nnlib.network`), the error of each layer is passed
backwards, from the output to the first hidden layer::

    δ(L) = h - Y                                         (m, K)
    δ(l) = δ(l+1) Θ(l)[:, 1:] ⊙ g'(z(l)) ⊙ M(l)          (m, s_l),  l = L-1, ..., 2
    Δ(l) = δ(l+1)ᵀ a(l)                                  (s_{l+1}, s_l + 1)
    D(l) = Δ(l) / m + (λ/m) Θ(l), column 0 left out of the λ term

D(l) = ∂J/∂Θ(l).  δ(L) = h - Y holds for both output layers (:mod:`nnlib.outputs`);
Θ(l)[:, 1:] drops the bias column, because the bias unit of layer l has no input
and so no error; M(l) is the dropout mask of the forward pass (M = 1 without).

As in :mod:`nnlib.network`, the lists are padded in front so that the code's
numbers are the book's: delta[l] is δ(l), Theta[l] is Θ(l).
"""
import numpy as np

from .activations import ACTIVATIONS
from .network import _cost, _forward, _padded, check_problem
from .outputs import OUTPUTS
from .regularization import _l2_gradient


def _backprop(thetas, forward, Y, lam, activation="sigmoid", output="sigmoid", masks=None):
    """Unchecked gradients [D(1), ..., D(L-1)] from a forward pass; see the module's equations."""
    g_prime = ACTIVATIONS[activation][1]
    L, m = len(thetas) + 1, Y.shape[0]
    Theta, M = [None] + list(thetas), _padded(masks, L)
    a, z = forward.a, forward.z
    delta = [None] * (L + 1)
    delta[L] = OUTPUTS[output].delta(a[L], Y)
    for l in range(L - 1, 1, -1):
        delta[l] = (delta[l + 1] @ Theta[l][:, 1:]) * g_prime(z[l])
        if M[l] is not None:
            delta[l] *= M[l]
    return [delta[l + 1].T @ a[l] / m + _l2_gradient(Theta[l], lam, m) for l in range(1, L)]


def _cost_and_gradient(thetas, a1, Y, lam, activation="sigmoid", output="sigmoid", masks=None):
    """Unchecked J(Θ) and [D(1), ..., D(L-1)] in one forward and one backward pass."""
    forward = _forward(thetas, a1, activation, output, masks)
    J = _cost(thetas, forward, Y, lam, output)
    return J, _backprop(thetas, forward, Y, lam, activation, output, masks)


def cost_and_gradient(thetas, X, y, lam=0.0, activation="sigmoid", output="sigmoid", masks=None):
    """J(Θ) and its gradient in one forward and one backward pass.

    Parameters
    ----------
    thetas : list of arrays, Θ(l) of shape (s_{l+1}, s_l + 1)
    X : array of shape (m, s_1)
    y : int array of shape (m,), labels 0..K-1
    lam : float >= 0, default 0
        Regularization strength λ.
    activation : {"sigmoid", "tanh", "relu"}, default "sigmoid"
        The activation of every hidden layer.
    output : {"sigmoid", "softmax"}, default "sigmoid"
        The output layer and its cost.
    masks : list of arrays, optional
        Fixed dropout masks, one (m, s_l) array per hidden layer.

    Returns
    -------
    J : float
        As :func:`nnlib.cost`.
    grads : list of arrays
        D(l) = ∂J/∂Θ(l), the same shapes (and floating type) as ``thetas``.
    """
    problem = check_problem(thetas, X, y, lam, activation, output, masks)
    return _cost_and_gradient(*problem)


def gradient(thetas, X, y, lam=0.0, activation="sigmoid", output="sigmoid", masks=None):
    """The gradient of J(Θ) by backpropagation.

    Parameters
    ----------
    thetas, X, y, lam, activation, output, masks
        As in :func:`cost_and_gradient`.

    Returns
    -------
    grads : list of arrays
        D(l) = ∂J/∂Θ(l), the same shapes as ``thetas``.
    """
    thetas, a1, Y, lam, activation, output, masks = check_problem(
        thetas, X, y, lam, activation, output, masks)
    forward = _forward(thetas, a1, activation, output, masks)
    return _backprop(thetas, forward, Y, lam, activation, output, masks)


def layer_gradient_norms(thetas, X, y, lam=0.0, activation="sigmoid", output="sigmoid",
                         masks=None):
    """Size of the gradient of each layer: ‖D(l)‖ = √(Σ_jk D(l)_jk²).

    In a deep sigmoid network these norms typically shrink from the last layer to
    the first (vanishing gradients): g'(z) <= 1/4 multiplies δ once per layer.

    Parameters
    ----------
    thetas, X, y, lam, activation, output, masks
        As in :func:`cost_and_gradient`.

    Returns
    -------
    norms : float64 array of shape (L - 1,)
        norms[l - 1] is ‖D(l)‖, for l = 1..L-1.
    """
    grads = gradient(thetas, X, y, lam, activation, output, masks)
    return np.array([np.linalg.norm(D) for D in grads], dtype=np.float64)
