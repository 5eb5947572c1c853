"""nnlib.reference: the shipped weights, and tools/make_reference.py that rebuilds them."""
import subprocess
import sys

import numpy as np
import pytest
from conftest import ROOT
from numpy.testing import assert_allclose

import nnlib


@pytest.mark.slow
def test_shipped_weights_are_what_the_script_produces(tmp_path):
    target = tmp_path / "weights.npz"
    run = subprocess.run([sys.executable, str(ROOT / "tools" / "make_reference.py"), str(target)],
                         capture_output=True, text=True, check=True)
    assert f"wrote {target}" in run.stdout
    with np.load(target) as fresh:
        shipped = nnlib.reference_weights()
        # 50 L-BFGS-B iterations from seed 0 on one BLAS thread.  Another CPU (or another
        # order of the same sums) changes the last bits; measured: 7e-12 between two
        # implementations of the forward pass.  A stale file or changed settings: 1e-2 or more.
        assert_allclose(fresh["Theta1"], shipped[0], rtol=0, atol=1e-9)
        assert_allclose(fresh["Theta2"], shipped[1], rtol=0, atol=1e-9)


def test_each_call_gives_fresh_arrays():
    first = nnlib.reference_weights()
    first[0][:] = 0
    second = nnlib.reference_weights()
    assert [t.shape for t in second] == [(25, 401), (10, 26)]
    assert np.abs(second[0]).max() > 1                    # not the zeros written above
