"""Hidden-layer activations g(z) and their derivatives g'(z).

The lab's network uses the sigmoid, g(z) = 1 / (1 + e^(-z)); the deeper networks
of the second part also use tanh and the ReLU (rectified linear unit).  Each comes
as a pair (g, g') in :data:`ACTIVATIONS`, which the forward pass and
backpropagation look up by name.  The derivatives take the pre-activation z, as in
the book's δ(l) = δ(l+1) Θ(l) ⊙ g'(z(l)).

The public functions check their argument and keep float32 as float32 (anything
else becomes float64).  :func:`scipy.special.expit` and :func:`numpy.tanh` never
overflow: g(-1e4) is exactly 0 and g(1e4) exactly 1, with no warning.
"""
import numpy as np
from scipy.special import expit

from . import _validate


def _sigmoid_gradient(z):
    g = expit(z)
    return g * (1 - g)                       # g'(z) = g(z) (1 - g(z))


def _tanh_gradient(z):
    g = np.tanh(z)
    return 1 - g * g                         # g'(z) = 1 - tanh(z)²


def _relu(z):
    return np.maximum(z, 0)


def _relu_gradient(z):
    return (z > 0).astype(z.dtype)           # 1 where z > 0, else 0


#: name -> (g, g'), both functions of the pre-activation z (unchecked).
ACTIVATIONS = {
    "sigmoid": (expit, _sigmoid_gradient),
    "tanh": (np.tanh, _tanh_gradient),
    "relu": (_relu, _relu_gradient),
}


def _z(z):
    """z as a float array: float32 stays float32, anything else becomes float64."""
    dtype = np.float32 if getattr(z, "dtype", None) == np.float32 else np.float64
    return _validate.finite_array(z, "z", dtype=dtype)


def sigmoid(z):
    """Sigmoid (logistic) function, element-wise: g(z) = 1 / (1 + e^(-z)).

    Parameters
    ----------
    z : float or array, any shape
        Pre-activations.

    Returns
    -------
    a : float or array, same shape as ``z``
        Each value in [0, 1].
    """
    return expit(_z(z))


def sigmoid_gradient(z):
    """Derivative of the sigmoid, g'(z) = g(z) (1 - g(z)), element-wise.

    It takes the pre-activation ``z``, not the activation ``a = g(z)``; passing
    ``a`` is a classic mistake (it computes g'(g(z)) instead).  g'(0) = 0.25, the
    largest value, and g'(z) -> 0 as z moves away from 0: a saturated unit barely learns.

    Parameters
    ----------
    z : float or array, any shape
        Pre-activations.

    Returns
    -------
    g_prime : float or array, same shape as ``z``
        Values in [0, 0.25].
    """
    return _sigmoid_gradient(_z(z))


def tanh(z):
    """Hyperbolic tangent, element-wise: (e^z - e^(-z)) / (e^z + e^(-z)).

    A rescaled sigmoid, tanh(z) = 2 g(2z) - 1, with values in [-1, 1] centred on 0.

    Parameters
    ----------
    z : float or array, any shape
        Pre-activations.

    Returns
    -------
    a : float or array, same shape as ``z``
        Values in [-1, 1].
    """
    return np.tanh(_z(z))


def tanh_gradient(z):
    """Derivative of tanh, 1 - tanh(z)², element-wise.

    It takes the pre-activation ``z`` (like :func:`sigmoid_gradient`).  The largest
    value is 1 at z = 0, four times the sigmoid's 0.25, and it falls to 0 when the
    unit saturates at ±1.

    Parameters
    ----------
    z : float or array, any shape
        Pre-activations.

    Returns
    -------
    g_prime : float or array, same shape as ``z``
        Values in [0, 1].
    """
    return _tanh_gradient(_z(z))


def relu(z):
    """Rectified linear unit, element-wise: max(z, 0).

    Parameters
    ----------
    z : float or array, any shape
        Pre-activations.

    Returns
    -------
    a : float or array, same shape as ``z``
        ``z`` where z > 0, else 0.
    """
    return _relu(_z(z))


def relu_gradient(z):
    """Derivative of the ReLU, element-wise: 1 where z > 0, 0 where z < 0.

    At z = 0 the ReLU has a corner and no derivative; like most libraries we use
    0 there (any value in [0, 1] would do, and z is almost never exactly 0).  The
    gradient does not shrink for large z, which is why deep ReLU networks suffer
    less from vanishing gradients than sigmoid ones; a unit with z < 0 for every
    example gets no gradient at all (a "dead" unit).

    Parameters
    ----------
    z : float or array, any shape
        Pre-activations.

    Returns
    -------
    g_prime : float or array, same shape and floating type as ``z``
        0.0 or 1.0.
    """
    return _relu_gradient(_z(z))
