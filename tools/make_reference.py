"""Rebuild the course's reference weights: ``python tools/make_reference.py [PATH]``.

Trains the 400-25-10 network with :data:`nnlib.reference.SETTINGS` (seed 0, one BLAS
thread) and writes Theta1 and Theta2 to PATH, by default nnlib/reference_weights.npz,
the file :func:`nnlib.reference_weights` reads.
"""
import sys

import numpy as np

from nnlib.reference import PATH, train_reference


def main(path=PATH):
    """Train the reference weights and save them as Theta1 and Theta2 in ``path``."""
    thetas = train_reference()
    np.savez(path, Theta1=thetas[0], Theta2=thetas[1])
    print(f"wrote {path}")


if __name__ == "__main__":
    main(*sys.argv[1:])
