import numpy as np
from numpy.testing import assert_allclose

import nnlib
from nnlib import reference


def test_shipped_weights_are_what_the_script_produces(tmp_path):
    from nnlib.make_reference import main
    main(tmp_path / "weights.npz")
    with np.load(tmp_path / "weights.npz") as fresh:
        shipped = nnlib.reference_weights()
        # Same machine kind, one BLAS thread, same seed: the same weights.  The tolerance only
        # allows for a different CPU's last-bit rounding.
        assert_allclose(fresh["Theta1"], shipped[0], rtol=1e-9, atol=1e-12)
        assert_allclose(fresh["Theta2"], shipped[1], rtol=1e-9, atol=1e-12)


def test_reference_settings_are_the_labs_network():
    assert reference.SETTINGS["layer_sizes"] == [400, 25, 10]
    assert [t.shape for t in nnlib.reference_weights()] == [(25, 401), (10, 26)]
