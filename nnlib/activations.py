"""The sigmoid activation g(z) = 1 / (1 + e^(-z)) and its derivative.

Both are computed with :func:`scipy.special.expit`, which never overflows: g(-1e4)
is exactly 0 and g(1e4) exactly 1, with no warning.
"""
from scipy.special import expit

from . import _validate


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
    largest value, and g'(z) -> 0 as |z| grows: a saturated unit barely learns.

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
