"""The two output layers and their costs.

An output layer turns the last pre-activations z(L), shape (m, K), into the
network's output h = a(L) and, with the one-hot targets Y, into the cost J.

- ``"sigmoid"``, the lab's: K independent sigmoid units, h_k = g(z_k), each a
  yes/no detector of one class, and the cross-entropy summed over the K units::

      J = (1/m) Σ_i Σ_k [-y_k log h_k - (1 - y_k) log(1 - h_k)]

- ``"softmax"``, the second part's: probabilities that sum to 1 over the classes,
  h_k = e^(z_k) / Σ_j e^(z_j), and the categorical cross-entropy::

      J = (1/m) Σ_i -log h_(i, y_i)

Each cost is the one that makes the output error of backpropagation the same
simple expression, δ(L) = ∂(m J)/∂z(L) = h - Y, which is why the two layers can
share one backpropagation (:func:`nnlib.gradient`).

Both costs are computed from z, never from log h: once an output saturates, h is
exactly 0 or 1 in floating point and log h is -inf (chapter 3).  From z they are

    sigmoid: -y log g(z) - (1 - y) log(1 - g(z)) = log(1 + e^z) - y z
    softmax: -log h_y = log Σ_j e^(z_j) - z_y = c + log Σ_j e^(z_j - c) - z_y

with c the largest z of the row, so that no exponential overflows.
"""
import numpy as np
from scipy.special import expit

from . import _validate
from .data import _one_hot


class OutputLayer:
    """What every output layer gives backpropagation: h, J and δ(L)."""

    def h(self, z):
        """The output a(L) for the pre-activations z(L), both (m, K)."""
        raise NotImplementedError

    def cost(self, z, Y):
        """J without regularization: the mean over the m rows of the cost of each example."""
        raise NotImplementedError

    def delta(self, h, Y):
        """δ(L) = h - Y, shape (m, K): the derivative of the cost of each example by z(L)."""
        return h - Y


class SigmoidOutput(OutputLayer):
    """K sigmoid units with the cross-entropy of each, summed (the lab's output)."""

    def h(self, z):
        return expit(z)

    def cost(self, z, Y):
        return np.sum(np.logaddexp(0, z) - Y * z) / z.shape[0]


class SoftmaxOutput(OutputLayer):
    """A softmax over the K units with the categorical cross-entropy."""

    def h(self, z):
        e = np.exp(z - z.max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True)

    def cost(self, z, Y):
        c = z.max(axis=1, keepdims=True)
        log_sum = c + np.log(np.sum(np.exp(z - c), axis=1, keepdims=True))   # log Σ_j e^(z_j)
        return (np.sum(log_sum) - np.sum(Y * z)) / z.shape[0]


#: name -> output layer, for the ``output`` argument of the network functions.
OUTPUTS = {"sigmoid": SigmoidOutput(), "softmax": SoftmaxOutput()}


def _logits_and_labels(z, y):
    dtype = np.float32 if getattr(z, "dtype", None) == np.float32 else np.float64
    z = _validate.finite_array(z, "z", ndim=2, dtype=dtype)
    if z.shape[1] < 2:
        raise ValueError(f"z must have one column per class, at least 2; got shape {z.shape}")
    return z, _validate.labels(y, z.shape[0], z.shape[1])


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
    dtype = np.float32 if getattr(z, "dtype", None) == np.float32 else np.float64
    z = _validate.finite_array(z, "z", dtype=dtype)
    if z.ndim == 0:
        raise ValueError("z must be an array of logits (K,) or (m, K); got a single number")
    return OUTPUTS["softmax"].h(z)


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
    z, y = _logits_and_labels(z, y)
    return float(OUTPUTS["softmax"].cost(z, _one_hot(y, z.shape[1]).astype(z.dtype, copy=False)))


def cross_entropy_gradient(z, y):
    """Gradient of :func:`cross_entropy` with respect to the logits: (h - Y) / m.

    Parameters
    ----------
    z : array of shape (m, K)
        Logits z(L).
    y : int array of shape (m,), labels 0..K-1

    Returns
    -------
    array of shape (m, K), same floating type as ``z``
        δ(L) / m: each row sums to 0.
    """
    z, y = _logits_and_labels(z, y)
    softmax_layer = OUTPUTS["softmax"]
    Y = _one_hot(y, z.shape[1]).astype(z.dtype, copy=False)
    return softmax_layer.delta(softmax_layer.h(z), Y) / z.shape[0]
