"""Independent references the tests compare nnlib with: the book's formulas, one example at a time.

Nothing here calls nnlib's network code; it is written from the equations of chapters
2–5 and 10–11 with plain numpy, so that a test comparing nnlib with it compares two
separate implementations.

Gradient-check tolerance.  The error of a central difference is about ε²/6 times the
third derivative of J.  With ε = 1e-5 a correct gradient of these small networks
agrees to 2e-11 .. 2.3e-10 and round-off (about 1e-16 / ε = 1e-11) is far below, so
the tests require a relative difference < 1e-9; a real bug (a missing term, a
forgotten mask, a regularized bias) gives 1e-3 or more.
"""
import numpy as np

import nnlib

GRADCHECK_TOL = 1e-9
EPS = 1e-5

G = {"sigmoid": lambda z: 1 / (1 + np.exp(-z)), "tanh": np.tanh, "relu": lambda z: np.maximum(z, 0)}
G_PRIME = {"sigmoid": lambda z: G["sigmoid"](z) * (1 - G["sigmoid"](z)),
           "tanh": lambda z: 1 - np.tanh(z) ** 2, "relu": lambda z: (z > 0) * 1.0}


def make_problem(sizes, m=6, seed=0, scale=0.7):
    """Random float64 weights (bias included, non-zero), inputs and labels."""
    rng = np.random.default_rng(seed)
    thetas = [rng.normal(scale=scale, size=s) for s in nnlib.shapes(sizes)]
    X = rng.normal(size=(m, sizes[0]))
    y = rng.integers(0, sizes[-1], size=m)
    return thetas, X, y


def loop_forward(thetas, x, activation="sigmoid", output="sigmoid", masks_i=None):
    """One example x (n,): the activations a(l) (with bias) and z(l), lists indexed by l."""
    L = len(thetas) + 1
    a, z = [None, np.concatenate([[1.0], x])], [None, None]
    for l in range(1, L):
        z.append(thetas[l - 1] @ a[l])                      # Θ(l) a(l), one unit per row
        if l + 1 < L:
            hidden = G[activation](z[l + 1])
            if masks_i is not None:
                hidden = hidden * masks_i[l + 1 - 2]
            a.append(np.concatenate([[1.0], hidden]))
    zL = z[L]
    if output == "sigmoid":
        a.append(1 / (1 + np.exp(-zL)))
    else:
        a.append(np.exp(zL) / np.exp(zL).sum())
    return a, z


def loop_cost(thetas, X, y, lam=0.0, activation="sigmoid", output="sigmoid", masks=None):
    """J straight from its equation, one example and one class at a time."""
    m, K = X.shape[0], thetas[-1].shape[0]
    total = 0.0
    for i in range(m):
        masks_i = None if masks is None else [M[i] for M in masks]
        h = loop_forward(thetas, X[i], activation, output, masks_i)[0][-1]
        for k in range(K):
            y_k = 1.0 if y[i] == k else 0.0
            if output == "sigmoid":
                total += -y_k * np.log(h[k]) - (1 - y_k) * np.log(1 - h[k])
            else:
                total += -y_k * np.log(h[k])
    penalty = sum((theta[:, 1:] ** 2).sum() for theta in thetas)
    return total / m + lam / (2 * m) * penalty


def loop_gradient(thetas, X, y, lam=0.0, activation="sigmoid", output="sigmoid", masks=None):
    """Backpropagation one example at a time: δ(L) = h - y, δ(l) = Θ(l)ᵀδ(l+1) ⊙ g'(z(l)) ⊙ M(l)."""
    m, K, L = X.shape[0], thetas[-1].shape[0], len(thetas) + 1
    Delta = [np.zeros_like(theta) for theta in thetas]
    for i in range(m):
        masks_i = None if masks is None else [M[i] for M in masks]
        a, z = loop_forward(thetas, X[i], activation, output, masks_i)
        delta = a[L] - (np.arange(K) == y[i])
        for l in range(L - 1, 0, -1):
            Delta[l - 1] += np.outer(delta, a[l])
            if l > 1:
                delta = (thetas[l - 1][:, 1:].T @ delta) * G_PRIME[activation](z[l])
                if masks_i is not None:
                    delta = delta * masks_i[l - 2]
    grads = [D / m for D in Delta]
    for D, theta in zip(grads, thetas):
        D[:, 1:] += lam / m * theta[:, 1:]
    return grads


def gradcheck_error(sizes, thetas, X, y, lam=0.0, eps=EPS, **network):
    """Relative difference between nnlib.gradient and central differences of nnlib.cost."""
    def J(vector):
        return nnlib.cost(nnlib.roll(vector, sizes), X, y, lam, **network)
    numerical = nnlib.numerical_gradient(J, nnlib.unroll(thetas), eps)
    analytical = nnlib.unroll(nnlib.gradient(thetas, X, y, lam, **network))
    return nnlib.relative_difference(numerical, analytical)
