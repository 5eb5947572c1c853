"""The network's forward pass, its predictions and the lab's cost J(Θ).

Notation (as in the book): m examples, K classes, layers l = 1..L with s_l units.
a(1) is the input with a bias column of ones; z(l+1) = a(l) Θ(l)ᵀ; a(l+1) = g(z(l+1)),
with a bias column added for every layer but the last; h = a(L) is the output.
"""
from dataclasses import dataclass

import numpy as np
from scipy.special import expit

from . import _validate
from .data import _one_hot


@dataclass
class Forward:
    """Everything the forward pass computes, indexed by layer number as in the book.

    ``a[l]`` is a(l) and ``z[l]`` is z(l) for l = 1..L; index 0 is unused (None) and
    z[1] is None because the input layer has no pre-activation.  Hidden and input
    activations include the bias column: a[1] is (m, s_1 + 1); a[L] = h is (m, K).
    """

    a: list
    z: list

    @property
    def h(self):
        """The output layer a(L), shape (m, K): one score in [0, 1] per class."""
        return self.a[-1]


def _add_bias(a):
    """(m, s) -> (m, s + 1) with a first column of ones."""
    out = np.empty((a.shape[0], a.shape[1] + 1))
    out[:, 0] = 1.0
    out[:, 1:] = a
    return out


class _Workspace:
    """Arrays for the m-row intermediate results of an evaluation, made once and reused.

    The optimizer evaluates J and its gradient hundreds of times on the same examples.
    New (m, s) arrays at every evaluation cost more than their arithmetic: when a few MB
    of arrays are freed, the C library may hand the memory back to the operating system,
    and the next evaluation then takes a page fault for every 4 KiB it writes (measured:
    about 1,000 faults, 3 ms of an 11 ms evaluation of the 400-25-10 network).
    :func:`nnlib.fit` therefore keeps one workspace for all its evaluations; each
    evaluation overwrites the arrays of the one before.
    """

    def __init__(self):
        self._arrays = {}

    def array(self, name, shape, order="C"):
        """The array called ``name``: new the first time (or for a new shape), then the same."""
        arr = self._arrays.get(name)
        if arr is None or arr.shape != shape:
            arr = self._arrays[name] = np.empty(shape, order=order)
        return arr


def _feedforward(thetas, a1, work=None):
    """Unchecked forward pass from a(1) (bias included).

    Returns the activations [a(1), ..., a(L-1)] (each with its bias column) and the
    pre-activations [z(2), ..., z(L)].  The output h = g(z(L)) is left to the caller.
    With a :class:`_Workspace` ``work`` the results are written into its arrays (and
    overwritten by the next call that uses it); by default they are new arrays.
    """
    work = _Workspace() if work is None else work
    m = a1.shape[0]
    a, z = [a1], []
    for l, theta in enumerate(thetas[:-1], start=1):
        s = theta.shape[0]
        # z(l+1) = a(l) Θ(l)ᵀ, asked of BLAS as its transpose Θ(l) a(l)ᵀ: the same sums
        # (the last bit of rounding may differ), but for the 5000×401 digits OpenBLAS is
        # about 10% faster writing 25 long rows than 5000 short ones.  .T turns the result
        # back into the book's (m, s) shape, stored column by column.
        z_T = np.matmul(theta, a[-1].T, out=work.array(f"z({l + 1})ᵀ", (s, m)))
        z.append(z_T.T)
        a_next = work.array(f"a({l + 1})", (m, s + 1), order="F")   # column by column, like z
        a_next[:, 0] = 1.0
        expit(z[-1], out=a_next[:, 1:])
        a.append(a_next)
    # z(L), (m, K), stored row by row like Y
    z.append(np.matmul(a[-1], thetas[-1].T, out=work.array("z(L)", (m, thetas[-1].shape[0]))))
    return a, z


def _output_and_cost(z_L, Y):
    """The output h = g(z(L)) and the unregularized cost, stable for any size of z.

    With h = g(z): -y log h - (1 - y) log(1 - h) = log(1 + e^z) - y z.  Both log(1 + e^z)
    and g(z) come from e = exp(-abs(z)), which lies in (0, 1] and never overflows:

        log(1 + e^z) = max(z, 0) + log1p(e)          (the formula of np.logaddexp(0, z))
        g(z)         = 1 / (1 + e) if z >= 0,  e / (1 + e) if z < 0

    so J stays finite even when an output saturates at exactly 0 or 1.  The exponential
    is most of the work on this layer, and the cost and h share it.
    """
    m = Y.shape[0]
    e = np.exp(-np.abs(z_L))
    J = ((np.maximum(z_L, 0.0) + np.log1p(e)).sum() - np.vdot(Y, z_L)) / m
    h = np.where(z_L >= 0.0, 1.0, e) / (1.0 + e)
    return h, J


def _cost_from_output(z_L, Y):
    """Unregularized cost from the output pre-activations (see :func:`_output_and_cost`)."""
    return _output_and_cost(z_L, Y)[1]


def _regularization(thetas, lam, m):
    """λ/(2m) times the sum of the squared weights, bias column excluded."""
    if lam == 0:
        return 0.0
    return lam / (2 * m) * sum(np.vdot(t[:, 1:], t[:, 1:]) for t in thetas)


def forward(thetas, X):
    """Forward propagation, keeping every layer's a and z (for teaching and plots).

    Parameters
    ----------
    thetas : list of arrays, Θ(l) of shape (s_{l+1}, s_l + 1)
    X : array of shape (m, s_1)
        One example per row, without the bias column.

    Returns
    -------
    Forward
        ``.a[l]`` and ``.z[l]`` for l = 1..L (see :class:`Forward`); ``.h`` is the
        output, shape (m, K).
    """
    thetas = _validate.thetas(thetas)
    X = _validate.inputs(X, thetas)
    a, z = _feedforward(thetas, _add_bias(X))
    a.append(expit(z[-1]))
    return Forward(a=[None] + a, z=[None, None] + z)


def predict(thetas, X):
    """Predicted class of each example: the output unit with the largest value.

    Parameters
    ----------
    thetas : list of arrays, Θ(l) of shape (s_{l+1}, s_l + 1)
    X : array of shape (m, s_1)

    Returns
    -------
    y_pred : int array of shape (m,), values in 0..K-1
    """
    thetas = _validate.thetas(thetas)
    X = _validate.inputs(X, thetas)
    _, z = _feedforward(thetas, _add_bias(X))
    # g is increasing, so the largest z(L) is also the largest h.
    return np.argmax(z[-1], axis=1)


def accuracy(thetas, X, y):
    """Fraction of the examples whose predicted class equals the label.

    Parameters
    ----------
    thetas : list of arrays, Θ(l) of shape (s_{l+1}, s_l + 1)
    X : array of shape (m, s_1)
    y : int array of shape (m,), labels 0..K-1

    Returns
    -------
    float in [0, 1]
    """
    thetas = _validate.thetas(thetas)
    X = _validate.inputs(X, thetas)
    y = _validate.labels(y, X.shape[0], thetas[-1].shape[0])
    _, z = _feedforward(thetas, _add_bias(X))
    return float(np.mean(np.argmax(z[-1], axis=1) == y))


def check_problem(thetas, X, y, lam):
    """Validate a (thetas, X, y, λ) problem; return it with a(1) and one-hot Y built."""
    thetas = _validate.thetas(thetas)
    X = _validate.inputs(X, thetas)
    K = thetas[-1].shape[0]
    y = _validate.labels(y, X.shape[0], K)
    lam = _validate.nonnegative(lam, "lam")
    return thetas, _add_bias(X), _one_hot(y, K), lam


def cost(thetas, X, y, lam=0.0):
    """The lab's cost J(Θ): cross-entropy over the K outputs plus L2 regularization.

    J = (1/m) Σ_i Σ_k [-y_k log h_k - (1 - y_k) log(1 - h_k)] + λ/(2m) Σ_l Σ_{j, k≥1} Θ(l)_jk²

    The regularization skips column 0 of every Θ (the bias weights).

    Parameters
    ----------
    thetas : list of arrays, Θ(l) of shape (s_{l+1}, s_l + 1)
    X : array of shape (m, s_1)
    y : int array of shape (m,), labels 0..K-1
    lam : float >= 0, default 0
        Regularization strength λ.

    Returns
    -------
    float
    """
    thetas, a1, Y, lam = check_problem(thetas, X, y, lam)
    _, z = _feedforward(thetas, a1)
    return float(_cost_from_output(z[-1], Y) + _regularization(thetas, lam, a1.shape[0]))
