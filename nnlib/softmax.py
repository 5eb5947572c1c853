"""The softmax output layer and its cost, the categorical cross-entropy.

The lab's network gives each class its own sigmoid score; a softmax output turns
the K pre-activations z(L) of an example ("logits") into probabilities that sum to 1::

    h_k = e^(z_k) / Σ_j e^(z_j)

and the cost of an example whose class is y is -log h_y.  Averaged over the m
examples this is the categorical cross-entropy::

    J = (1/m) Σ_i [ log Σ_j e^(z_ij) - z_i,y_i ].

Computed as written, e^z overflows for z above about 88 in float32 (709 in float64).
Subtracting the row's largest logit c first changes nothing mathematically,
e^(z_k - c) / Σ_j e^(z_j - c) = h_k, but every exponent is then <= 0, so nothing
overflows; and log Σ_j e^(z_j) = c + log Σ_j e^(z_j - c) (the "log-sum-exp" trick)
gives the cost without ever computing log of an underflowed 0.

The gradient of J with respect to z is strikingly simple::

    ∂J/∂z = (h - Y) / m,   Y the one-hot codes of y,

the same δ(L) = h - y as the lab's sigmoid outputs with their cross-entropy.
"""
import numpy as np

from . import _validate, _validate_deep


def _softmax(z):
    """Unchecked softmax along the last axis; overwrites and returns ``z``."""
    z -= z.max(axis=-1, keepdims=True)
    np.exp(z, out=z)
    z /= z.sum(axis=-1, keepdims=True)
    return z


def _softmax_cross_entropy(z, y):
    """Unchecked: turn the logits ``z`` (m, K) into h in place; return the mean cost.

    One pass serves both the cost and the gradient of a minibatch.
    """
    m = z.shape[0]
    z -= z.max(axis=1, keepdims=True)          # now every z_ik <= 0 and max_k z_ik = 0
    correct = z[np.arange(m), y].sum()         # Σ_i z_i,y_i (shifted)
    np.exp(z, out=z)
    total = z.sum(axis=1, keepdims=True)       # Σ_j e^(z_ij - c_i), between 1 and K
    J = (np.log(total).sum() - correct) / m
    z /= total
    return float(J), z


def _check_logits_and_labels(z, y):
    z = _validate_deep.float_array(z, "z", ndim=2)
    if z.shape[1] < 2:
        raise ValueError(f"z must have one column per class, at least 2; got shape {z.shape}")
    y = _validate.labels(y, z.shape[0], z.shape[1])
    return z, y


def softmax(z):
    """Softmax along the last axis: probabilities h_k = e^(z_k) / Σ_j e^(z_j).

    Stable for any logits: the largest logit of each row is subtracted before
    exponentiating, so ``softmax([1000, 0])`` is ``[1, 0]`` with no overflow.

    Parameters
    ----------
    z : array of shape (m, K) or (K,)
        Logits, one row per example.

    Returns
    -------
    h : array, same shape and floating type as ``z``
        Every row is >= 0 and sums to 1.
    """
    z = _validate_deep.float_array(z, "z")
    if z.ndim == 0:
        raise ValueError("z must be an array of logits (K,) or (m, K); got a single number")
    return _softmax(z.copy())


def cross_entropy(z, y):
    """Categorical cross-entropy of softmax(z) against the labels y, mean over m.

    J = (1/m) Σ_i -log h_i,y_i, computed from the logits with the log-sum-exp
    trick: -log h_y = log Σ_j e^(z_j - c) - (z_y - c), c the largest logit.

    Parameters
    ----------
    z : array of shape (m, K)
        Logits z(L), before the softmax.
    y : int array of shape (m,), labels 0..K-1

    Returns
    -------
    float
        log K for all-equal logits (a uniform guess); 0 for a sure, right answer.
    """
    z, y = _check_logits_and_labels(z, y)
    return _softmax_cross_entropy(z.copy(), y)[0]


def cross_entropy_gradient(z, y):
    """Gradient of :func:`cross_entropy` with respect to the logits: (h - Y) / m.

    Parameters
    ----------
    z : array of shape (m, K)
        Logits z(L).
    y : int array of shape (m,), labels 0..K-1

    Returns
    -------
    delta : array of shape (m, K), same floating type as ``z``
        δ(L): each row sums to 0.
    """
    z, y = _check_logits_and_labels(z, y)
    m = z.shape[0]
    delta = _softmax(z.copy())
    delta[np.arange(m), y] -= 1
    delta /= m
    return delta
