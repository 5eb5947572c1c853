"""L2 regularization: a penalty on large weights, the bias column left out.

Chapter 4 adds to the cost

    λ/(2m) Σ_l Σ_j Σ_{k≥1} Θ(l)_jk²

and chapter 5 its derivative to the gradient, (λ/m) Θ(l) with column 0 set to 0.
Column k = 0 of every Θ(l) holds the bias weights, which only shift a unit's input
and do not make the network more complicated, so they are not penalized.
"""
import numpy as np

from . import _validate


def _l2_penalty(thetas, lam, m):
    return lam / (2 * m) * sum(np.sum(theta[:, 1:] ** 2) for theta in thetas)


def _l2_gradient(theta, lam, m):
    D = (lam / m) * theta
    D[:, 0] = 0                              # the bias is not regularized
    return D


def l2_penalty(thetas, lam, m):
    """The regularization term of the cost, λ/(2m) Σ_l Σ_j Σ_{k≥1} Θ(l)_jk².

    Parameters
    ----------
    thetas : list of arrays, Θ(l) of shape (s_{l+1}, s_l + 1)
    lam : float >= 0
        Regularization strength λ.
    m : int >= 1
        Number of examples the cost averages over.

    Returns
    -------
    float
    """
    thetas = _validate.thetas(thetas)
    lam = _validate.nonnegative(lam, "lam")
    m = _validate.positive_int(m, "m")
    return float(_l2_penalty(thetas, lam, m))


def l2_gradient(theta, lam, m):
    """The derivative of :func:`l2_penalty` by one Θ(l): (λ/m) Θ(l), column 0 set to 0.

    Parameters
    ----------
    theta : array of shape (s_{l+1}, s_l + 1)
        One weight matrix Θ(l).
    lam : float >= 0
    m : int >= 1

    Returns
    -------
    array of the shape of ``theta``
    """
    theta = _validate.thetas([theta], name="theta")[0]
    lam = _validate.nonnegative(lam, "lam")
    m = _validate.positive_int(m, "m")
    return _l2_gradient(theta, lam, m)
