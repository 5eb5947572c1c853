"""Backpropagation: the gradient of J(Θ) with respect to every weight.

δ(L) = h - y;  δ(l) = δ(l+1) Θ(l)[:, 1:] ⊙ g'(z(l));  Δ(l) = δ(l+1)ᵀ a(l);
D(l) = Δ(l)/m + (λ/m) Θ(l) with the bias column left out of the λ term.
"""
import numpy as np

from .network import (_Workspace, _feedforward, _output_and_cost, _regularization,
                      check_problem)


def _cost_and_gradient(thetas, a1, Y, lam, work=None):
    """Unchecked J(Θ) and its gradient; a1 has the bias column, Y is one-hot (m, K).

    ``work``: a :class:`~nnlib.network._Workspace` for the m-row arrays, which
    :func:`nnlib.fit` reuses for all its evaluations; by default new arrays.
    """
    work = _Workspace() if work is None else work
    m = a1.shape[0]
    a, z = _feedforward(thetas, a1, work)
    h, J = _output_and_cost(z[-1], Y)
    J += _regularization(thetas, lam, m)
    # δ(L) = h - y.  Dividing it by m once divides every Δ(l) by m, because each
    # step of the recursion is linear in δ.
    delta = (h - Y) / m
    grads = [None] * len(thetas)
    for l in range(len(thetas) - 1, -1, -1):
        grads[l] = delta.T @ a[l]                      # Δ(l)/m, shape of Θ(l)
        if l > 0:
            a_l = a[l][:, 1:]                          # g(z(l)) without the bias
            # δ(l) = δ(l+1) Θ(l)[:, 1:] ⊙ g'(z(l)) with g'(z) = g(z)(1 - g(z)), written into
            # the workspace column by column like a(l), so that ⊙ runs along both in step.
            g_prime = np.subtract(1.0, a_l, out=work.array(f"g'(z({l + 1}))", a_l.shape, "F"))
            g_prime *= a_l
            delta = np.matmul(delta, thetas[l][:, 1:],
                              out=work.array(f"δ({l + 1})", a_l.shape, "F"))
            delta *= g_prime
        if lam:
            grads[l][:, 1:] += (lam / m) * thetas[l][:, 1:]
    return float(J), grads


def cost_and_gradient(thetas, X, y, lam=0.0):
    """J(Θ) and its gradient in one forward and one backward pass.

    Parameters
    ----------
    thetas : list of arrays, Θ(l) of shape (s_{l+1}, s_l + 1)
    X : array of shape (m, s_1)
    y : int array of shape (m,), labels 0..K-1
    lam : float >= 0, default 0

    Returns
    -------
    J : float
    grads : list of arrays, D(l) of the same shape as Θ(l)
    """
    thetas, a1, Y, lam = check_problem(thetas, X, y, lam)
    return _cost_and_gradient(thetas, a1, Y, lam)


def gradient(thetas, X, y, lam=0.0):
    """The gradient of J(Θ) by vectorized backpropagation.

    Parameters
    ----------
    thetas : list of arrays, Θ(l) of shape (s_{l+1}, s_l + 1)
    X : array of shape (m, s_1)
    y : int array of shape (m,), labels 0..K-1
    lam : float >= 0, default 0

    Returns
    -------
    grads : list of arrays, D(l) = ∂J/∂Θ(l), same shapes as ``thetas``
    """
    return cost_and_gradient(thetas, X, y, lam)[1]
