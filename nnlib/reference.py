"""The course's reference weights: a 400-25-10 network trained on :func:`load_digits`.

The lab hands students trained weights to check their forward pass and cost against.
Those weights are not ours to ship, so the course trains its own, deterministically,
and ships them as ``reference_weights.npz`` next to this file.  To rebuild the file::

    python -m nnlib.make_reference

A test checks that the shipped file is what this produces.
"""
import pathlib

import numpy as np

PATH = pathlib.Path(__file__).with_name("reference_weights.npz")

#: How the reference weights are trained (the lab's network and λ).
SETTINGS = {"layer_sizes": [400, 25, 10], "lam": 1.0, "maxiter": 50,
            "method": "L-BFGS-B", "seed": 0}


def reference_weights():
    """The shipped reference weights [Θ(1), Θ(2)].

    Returns
    -------
    thetas : list of 2 arrays, shapes (25, 401) and (10, 26)
    """
    with np.load(PATH) as f:
        return [f["Theta1"], f["Theta2"]]


def train_reference():
    """Train the reference weights from scratch with :data:`SETTINGS`.

    Returns
    -------
    thetas : list of 2 arrays, shapes (25, 401) and (10, 26)
    """
    from .data import load_digits
    from .train import fit
    X, y = load_digits()
    return fit(X, y, **SETTINGS).thetas
