"""Inverted dropout: switch hidden units off at random while training.

With drop rate p, every hidden unit of every example is dropped (set to 0) with
probability p and kept with probability q = 1 - p, independently, anew for each
minibatch.  The units that are kept are multiplied by 1/q ("inverted" dropout)::

    a(l) = g(z(l)) ⊙ M(l),   M(l)_ik = 1/q with probability q, else 0,

so E[a(l)] = g(z(l)): on average each unit sends the same signal as without
dropout.  That is why, at test time, the network is used as it is, with every unit
on and no rescaling.  Backpropagation multiplies δ(l) by the same mask, because a
dropped unit had no effect on the cost.

A mask is an ordinary array, so a fixed mask makes the cost an ordinary,
deterministic function of Θ, and the gradient checker can verify the dropout
gradient (:func:`nnlib.gradient` takes the masks as an argument).

The drop rate p is what Keras's ``Dropout(p)`` and PyTorch's ``nn.Dropout(p)`` take
(the source lab used p = 0.1).
"""
import numpy as np

from . import _validate


def _masks(rng, m, hidden_sizes, rate, dtype):
    """Unchecked: one (m, s_l) mask per hidden layer, entries 0 or 1/q."""
    keep = 1.0 - rate
    masks = []
    for s in hidden_sizes:
        kept = rng.random((m, s), dtype=dtype) < keep
        masks.append(np.multiply(kept, dtype(1.0 / keep), dtype=dtype))
    return masks


def dropout_masks(layer_sizes, m, rate, seed=0, dtype=np.float64):
    """Random inverted-dropout masks for the hidden layers of a network.

    Parameters
    ----------
    layer_sizes : list of int, length L
        Units per layer, input first, e.g. ``[784, 128, 64, 10]``.  The input and
        the output layer get no mask.
    m : int >= 1
        Number of examples (rows of X).
    rate : float in [0, 1)
        Drop rate p: the probability that a unit is switched off.
    seed : int >= 0, default 0
    dtype : np.float32 or np.float64, default np.float64

    Returns
    -------
    masks : list of L - 2 arrays, masks[l - 2] of shape (m, s_l) for l = 2..L-1
        Entries are 0 (dropped) or 1/(1 - p) (kept); pass them to
        :func:`nnlib.forward`, :func:`nnlib.cost` or :func:`nnlib.gradient`.
    """
    sizes = _validate.layer_sizes(layer_sizes)
    m = _validate.positive_int(m, "m")
    rate = _validate.fraction(rate, "rate")
    seed = _validate.seed(seed)
    dtype = _validate.dtype(dtype)
    return _masks(np.random.default_rng(seed), m, sizes[1:-1], rate, dtype)
