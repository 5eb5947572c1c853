"""Deeper networks: any number of hidden layers, a chosen activation, a softmax output.

The weights are stored as in the first part: Θ(l) has shape (s_{l+1}, s_l + 1),
column 0 the bias.  Writing W(l) = Θ(l)[:, 1:] for the weights and b(l) = Θ(l)[:, 0]
for the bias, the product [1, a(l)] Θ(l)ᵀ of the first part is a(l) W(l)ᵀ + b(l),
which is how it is computed here: no column of ones is built, which saves a copy of
every layer's activations in every step.

Forward pass, for m examples (rows) at once::

    a(1) = X
    z(l+1) = a(l) W(l)ᵀ + b(l)                     (m, s_{l+1})
    a(l+1) = g(z(l+1)) ⊙ M(l+1)                    hidden layers, M = dropout mask
    h = softmax(z(L))                              (m, K)

g is the hidden activation (sigmoid, tanh or relu); without dropout M = 1.

Cost: the categorical cross-entropy plus, as in chapter 4, λ/(2m) times the sum
of the squared weights with the bias column left out::

    J = (1/m) Σ_i -log h_i,y_i + λ/(2m) Σ_l Σ_{j, k>=1} Θ(l)_jk²

Backpropagation::

    δ(L) = (h - Y) / m
    D(l)[:, 1:] = δ(l+1)ᵀ a(l) + (λ/m) W(l),   D(l)[:, 0] = Σ_i δ(l+1)_i
    δ(l) = (δ(l+1) W(l)) ⊙ g'(z(l)) ⊙ M(l)

(Dividing δ(L) by m once divides every D(l) by m: each step is linear in δ.)

The functions compute in the floating type of the weights: float32 weights (the
default of :func:`nnlib.init_he` and :func:`nnlib.train_sgd`) give float32 results;
float64 weights, as the gradient checker uses, give float64.
"""
import numpy as np
from scipy.special import expit

from . import _validate, _validate_deep
from .network import Forward
from .softmax import _softmax, _softmax_cross_entropy

# Unchecked versions of nnlib.sigmoid_gradient, tanh_gradient and relu_gradient:
# the training loop calls them thousands of times on arrays it built itself.


def _sigmoid_prime(z):
    g = expit(z)
    return g * (1 - g)                       # g'(z) = g(z) (1 - g(z))


def _tanh_prime(z):
    g = np.tanh(z)
    return 1 - g * g                         # g'(z) = 1 - tanh(z)²


def _relu_prime(z):
    return z > 0                             # a boolean array multiplies as 0/1


#: g(z) and g'(z) of each hidden activation, from the pre-activation z (new arrays).
_G = {"sigmoid": expit, "tanh": np.tanh, "relu": lambda z: np.maximum(z, 0)}
_G_PRIME = {"sigmoid": _sigmoid_prime, "tanh": _tanh_prime, "relu": _relu_prime}


# --- Unchecked internals (the training loop calls these) ------------------------------

def _feedforward(thetas, X, activation, masks=None):
    """Activations [a(1), ..., a(L-1)] (a(1) = X, no bias columns) and
    pre-activations [z(2), ..., z(L)] (z(L) are the logits of the softmax)."""
    g = _G[activation]
    a, z = [X], []
    for l, theta in enumerate(thetas):
        z_next = a[-1] @ theta[:, 1:].T            # a(l) W(l)ᵀ ...
        z_next += theta[:, 0]                      # ... + b(l)
        z.append(z_next)
        if l < len(thetas) - 1:                    # hidden layer: activation, dropout
            a_next = g(z_next)
            if masks is not None and masks[l] is not None:
                a_next *= masks[l]
            a.append(a_next)
    return a, z


def _backprop(thetas, a, z, delta, activation, masks=None, decay=0.0, grads=None):
    """Gradients D(l) from δ(L) = (h - Y)/m (overwritten); ``decay`` = λ/m.

    ``grads``, if given, is a list of arrays shaped like ``thetas`` to write into.
    """
    g_prime = _G_PRIME[activation]
    if grads is None:
        grads = [np.empty_like(theta) for theta in thetas]
    for l in range(len(thetas) - 1, -1, -1):
        D = grads[l]
        np.matmul(delta.T, a[l], out=D[:, 1:])     # δ(l+1)ᵀ a(l)
        np.sum(delta, axis=0, out=D[:, 0])         # the bias "sees" an input of 1
        if decay:
            D[:, 1:] += decay * thetas[l][:, 1:]   # (λ/m) W(l), bias left out
        if l > 0:                                  # δ(l); no δ for the input layer
            delta = delta @ thetas[l][:, 1:]
            delta *= g_prime(z[l - 1])
            if masks is not None and masks[l - 1] is not None:
                delta *= masks[l - 1]
    return grads


def _l2_penalty(thetas, lam, m):
    """λ/(2m) Σ W², bias columns excluded."""
    if lam == 0:
        return 0.0
    return lam / (2 * m) * sum(float(np.vdot(t[:, 1:], t[:, 1:])) for t in thetas)


def _loss_and_gradient(thetas, X, y, activation, lam=0.0, masks=None, grads=None):
    """Unchecked J(Θ) and its gradient for one batch (X, y)."""
    m = X.shape[0]
    a, z = _feedforward(thetas, X, activation, masks)
    J, h = _softmax_cross_entropy(z[-1], y)        # z(L) becomes h, in place
    h[np.arange(m), y] -= 1                        # h - Y
    h /= m
    grads = _backprop(thetas, a, z, h, activation, masks, lam / m, grads)
    return J + _l2_penalty(thetas, lam, m), grads


def _logits(thetas, X, activation, batch_size=2048):
    """z(L) for many examples, a block of rows at a time (dropout off)."""
    return np.concatenate([_feedforward(thetas, X[i:i + batch_size], activation)[1][-1]
                           for i in range(0, X.shape[0], batch_size)])


def _evaluate(thetas, X, y, activation):
    """Mean cross-entropy (no penalty) and accuracy on (X, y), dropout off."""
    z = _logits(thetas, X, activation)
    correct = np.argmax(z, axis=1) == y
    return _softmax_cross_entropy(z, y)[0], float(np.mean(correct))


# --- Checking the arguments of the public functions ------------------------------------

def _check(thetas, X, y=None, activation="relu", lam=0.0, masks=None, dtype=None):
    if dtype is not None:
        dtype = _validate_deep.dtype(dtype)
    thetas, dtype = _validate_deep.thetas(thetas, dtype)
    X = _validate_deep.inputs(X, thetas, dtype)
    if y is not None:
        y = _validate.labels(y, X.shape[0], thetas[-1].shape[0])
    activation = _validate_deep.activation(activation)
    lam = _validate.nonnegative(lam, "lam")
    hidden = [t.shape[0] for t in thetas[:-1]]
    masks = _validate_deep.masks(masks, X.shape[0], hidden, dtype)
    return thetas, X, y, activation, lam, masks


def _with_bias(a):
    out = np.empty((a.shape[0], a.shape[1] + 1), dtype=a.dtype)
    out[:, 0] = 1
    out[:, 1:] = a
    return out


# --- Public functions --------------------------------------------------------------------

def deep_forward(thetas, X, activation, masks=None, dtype=None):
    """Forward propagation, keeping every layer's a and z (for teaching and plots).

    Parameters
    ----------
    thetas : list of arrays, Θ(l) of shape (s_{l+1}, s_l + 1)
    X : array of shape (m, s_1)
    activation : {"relu", "tanh", "sigmoid"}
        The activation g of every hidden layer (ignored without hidden layers).
    masks : list of arrays, optional
        Dropout masks from :func:`nnlib.dropout_masks`, one (m, s_l) array per
        hidden layer; None (the default, and always at test time) for no dropout.
    dtype : np.float32 or np.float64, optional
        Type to compute in; by default float32 if the weights are float32, else float64.

    Returns
    -------
    Forward
        As for :func:`nnlib.forward`: ``.a[l]`` and ``.z[l]`` for l = 1..L, index 0
        (and z[1]) unused; a[1..L-1] include the bias column of ones and a[l] is
        g(z(l)) ⊙ M(l), after dropout; ``.h = a[L]`` is the softmax output (m, K),
        each row summing to 1.
    """
    thetas, X, _, activation, _, masks = _check(thetas, X, None, activation, 0.0, masks, dtype)
    a, z = _feedforward(thetas, X, activation, masks)
    a = [_with_bias(a_l) for a_l in a] + [_softmax(z[-1].copy())]
    return Forward(a=[None] + a, z=[None, None] + z)


def deep_predict(thetas, X, activation, dtype=None):
    """Predicted class of each example: the largest output (dropout off).

    Parameters
    ----------
    thetas : list of arrays, Θ(l) of shape (s_{l+1}, s_l + 1)
    X : array of shape (m, s_1)
    activation : {"relu", "tanh", "sigmoid"}
    dtype : np.float32 or np.float64, optional

    Returns
    -------
    y_pred : int array of shape (m,), values in 0..K-1
    """
    thetas, X, _, activation, _, _ = _check(thetas, X, None, activation, dtype=dtype)
    # softmax is increasing in each logit, so the largest z(L) is the largest h
    return np.argmax(_logits(thetas, X, activation), axis=1)


def deep_accuracy(thetas, X, y, activation, dtype=None):
    """Fraction of the examples whose predicted class is the label (dropout off).

    Parameters
    ----------
    thetas : list of arrays, Θ(l) of shape (s_{l+1}, s_l + 1)
    X : array of shape (m, s_1)
    y : int array of shape (m,), labels 0..K-1
    activation : {"relu", "tanh", "sigmoid"}
    dtype : np.float32 or np.float64, optional

    Returns
    -------
    float in [0, 1]
    """
    thetas, X, y, activation, _, _ = _check(thetas, X, y, activation, dtype=dtype)
    return _evaluate(thetas, X, y, activation)[1]


def deep_loss(thetas, X, y, activation, lam=0.0, masks=None, dtype=None):
    """The cost J(Θ): mean cross-entropy of the softmax output plus L2 on the weights.

    J = (1/m) Σ_i -log h_i,y_i + λ/(2m) Σ_l Σ_{j, k>=1} Θ(l)_jk²  (bias column excluded,
    the convention of chapter 4).

    Parameters
    ----------
    thetas : list of arrays, Θ(l) of shape (s_{l+1}, s_l + 1)
    X : array of shape (m, s_1)
    y : int array of shape (m,), labels 0..K-1
    activation : {"relu", "tanh", "sigmoid"}
    lam : float >= 0, default 0
        Regularization strength λ.
    masks : list of arrays, optional
        Fixed dropout masks (see :func:`nnlib.dropout_masks`).
    dtype : np.float32 or np.float64, optional

    Returns
    -------
    float
    """
    thetas, X, y, activation, lam, masks = _check(thetas, X, y, activation, lam, masks, dtype)
    z = _feedforward(thetas, X, activation, masks)[1]
    return _softmax_cross_entropy(z[-1], y)[0] + _l2_penalty(thetas, lam, X.shape[0])


def deep_loss_and_gradient(thetas, X, y, activation, lam=0.0, masks=None, dtype=None):
    """J(Θ) (as :func:`deep_loss`) and its gradient, in one forward and one backward pass.

    Parameters
    ----------
    thetas, X, y, activation, lam, masks, dtype
        As in :func:`deep_loss`.

    Returns
    -------
    J : float
    grads : list of arrays, D(l) = ∂J/∂Θ(l), same shapes as ``thetas``
    """
    thetas, X, y, activation, lam, masks = _check(thetas, X, y, activation, lam, masks, dtype)
    return _loss_and_gradient(thetas, X, y, activation, lam, masks)


def deep_gradient(thetas, X, y, activation, lam=0.0, masks=None, dtype=None):
    """The gradient of :func:`deep_loss` by backpropagation.

    Parameters
    ----------
    thetas, X, y, activation, lam, masks, dtype
        As in :func:`deep_loss`.

    Returns
    -------
    grads : list of arrays, D(l) = ∂J/∂Θ(l), same shapes (and floating type) as ``thetas``
    """
    return deep_loss_and_gradient(thetas, X, y, activation, lam, masks, dtype)[1]


def layer_gradient_norms(thetas, X, y, activation, lam=0.0, masks=None, dtype=None):
    """Size of the gradient of each layer: ‖D(l)‖ = √(Σ_jk D(l)_jk²).

    In a deep sigmoid network these norms typically shrink from the last layer to
    the first (vanishing gradients): g'(z) <= 1/4 multiplies δ once per layer.

    Parameters
    ----------
    thetas, X, y, activation, lam, masks, dtype
        As in :func:`deep_loss`.

    Returns
    -------
    norms : float64 array of shape (L - 1,)
        norms[l - 1] is the norm of D(l), the gradient of Θ(l), for l = 1..L-1.
    """
    grads = deep_gradient(thetas, X, y, activation, lam, masks, dtype)
    return np.array([np.linalg.norm(D) for D in grads], dtype=np.float64)
