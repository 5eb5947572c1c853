"""The sigmoid activation g(z) = 1 / (1 + e^(-z)) and its derivative.

Both are computed with :func:`scipy.special.expit`, which never overflows: g(-1e4)
is exactly 0 and g(1e4) exactly 1, with no warning.

The deeper networks of the second part also use tanh and the ReLU (rectified
linear unit), defined at the end of this module with their derivatives.
"""
import numpy as np
from scipy.special import expit

from . import _validate, _validate_deep


def sigmoid(z):
    """Sigmoid (logistic) function, element-wise.

    Parameters
    ----------
    z : float or array, any shape
        Pre-activations.

    Returns
    -------
    g : float or array, same shape as ``z``
        ``1 / (1 + exp(-z))``, each value in [0, 1].
    """
    return expit(_validate.finite_array(z, "z"))


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
    g = expit(_validate.finite_array(z, "z"))
    return g * (1.0 - g)


# --- Activations for deeper networks ------------------------------------------------
# The functions below keep the floating-point type they are given (float32 stays
# float32), because the deeper networks compute in float32 by default.


def tanh(z):
    """Hyperbolic tangent, element-wise: (e^z - e^(-z)) / (e^z + e^(-z)).

    A rescaled sigmoid, tanh(z) = 2 g(2z) - 1, with values in [-1, 1] centred on
    0.  :func:`numpy.tanh` never overflows: tanh(±1e4) is exactly ±1.

    Parameters
    ----------
    z : float or array, any shape
        Pre-activations.

    Returns
    -------
    a : float or array, same shape as ``z``
        Values in [-1, 1]; float32 stays float32, anything else becomes float64.
    """
    return np.tanh(_validate_deep.float_array(z, "z"))


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
    a = np.tanh(_validate_deep.float_array(z, "z"))
    return 1 - a * a


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
    return np.maximum(_validate_deep.float_array(z, "z"), 0)


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
    z = _validate_deep.float_array(z, "z")
    return (z > 0).astype(z.dtype)
