"""Stacks (SPEC 1.9) where the whole-module mutation run left a wrong number unseen: a Hinton
stack that gives no read-out keys still reads out (y_t = W_hy h_t + b_y with both zero), on
the vectorised path too, in a batch whose sizes all differ (benchmarks/MUTATION.md)."""

from __future__ import annotations

import numpy as np
import pytest

import rnnquiz


@pytest.mark.parametrize("steps", [True, False])
def test_a_hinton_stack_without_read_out_keys_reads_out_zeros_in_a_batch(steps):
    # N = 3 examples, T = 4 steps, 2 units a layer, 1 input: every size differs, so the
    # width of the zero read-out must be the top layer's units (the last axis of the states)
    rng = np.random.default_rng(1)
    x = rng.normal(size=(3, 4, 1)).round(2)
    W1, U1, b1 = np.array([[0.5], [-0.4]]), np.array([[0.1, 0.2], [-0.3, 0.2]]), np.array([0.1, 0.0])
    W2, U2 = np.array([[0.8, 0.1], [0.3, -0.2]]), np.array([[0.2, 0.0], [0.1, 0.3]])
    net = [{"hidden": "tanh", "W_xh": W1.tolist(), "W_hh": U1.tolist(), "b_h": b1.tolist()},
           {"hidden": "tanh", "W_xh": W2.tolist(), "W_hh": U2.tolist()}]
    doc = {"type": "forward", "notation": "hinton", "network": net, "inputs": x.tolist(),
           "batch": True}
    y = rnnquiz.solve({**doc, "ask": {"quantity": "y"}}, steps=steps).answer
    assert np.asarray(y, dtype=float).shape == (3, 4, 1)
    assert not np.any(np.asarray(y, dtype=float))
    # the top layer's states, numpy written here
    h1, h2 = np.zeros((3, 2)), np.zeros((3, 2))
    want = []
    for t in range(4):
        h1 = np.tanh(x[:, t] @ W1.T + h1 @ U1.T + b1)
        h2 = np.tanh(h1 @ W2.T + h2 @ U2.T)
        want.append(h2)
    got = rnnquiz.solve({**doc, "ask": {"quantity": "h"}}, steps=steps).answer
    np.testing.assert_allclose(np.asarray(got, dtype=float), np.stack(want, axis=1),
                               rtol=1e-13, atol=1e-15)
