"""Rebuild nnlib/reference_weights.npz: ``python -m nnlib.make_reference [PATH]``."""
import sys

import numpy as np

from .reference import PATH, train_reference


def main(path=PATH):
    """Train the reference weights and save them as Theta1 and Theta2 in ``path``."""
    thetas = train_reference()
    np.savez(path, Theta1=thetas[0], Theta2=thetas[1])
    print(f"wrote {path}")


if __name__ == "__main__":
    main(*sys.argv[1:])
