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


def test_a_keras_gru_stack_writes_its_candidate_reset_after():
    # Keras' GRU (reset_after): ĥ's pre-activation x k_h + b0_h + r ⊙ (h rk_h + b1_h), z and
    # h = z h_prev + (1 - z) ĥ, numpy written here; the working of layer 1 at step 1
    k, rk = np.array([0.5, -0.3, 0.2]), np.array([0.1, 0.4, -0.6])
    b0, b1 = np.array([0.1, 0.2, 0.3]), np.array([0.0, -0.1, 0.25])
    l1 = {"kernel": [k.tolist()], "recurrent_kernel": [rk.tolist()],
          "bias": [b0.tolist(), b1.tolist()]}
    l2 = {"kernel": [[0.3, 0.2, -0.4]], "recurrent_kernel": [[0.2, -0.1, 0.5]],
          "bias": [[0.0, 0.1, -0.2], [0.3, 0.0, 0.15]]}
    doc = {"type": "gru", "notation": "keras", "network": [l1, l2], "inputs": [[1.0], [0.5]]}
    sig = lambda v: 1 / (1 + np.exp(-v))   # noqa: E731
    h, pre = 0.0, None
    for x in (1.0, 0.5):
        z = sig(x * k[0] + b0[0] + h * rk[0] + b1[0])
        r = sig(x * k[1] + b0[1] + h * rk[1] + b1[1])
        pre = x * k[2] + b0[2] + r * (h * rk[2] + b1[2])
        h = z * h + (1 - z) * np.tanh(pre)
    line = next(s for s in rnnquiz.solve(doc).to_json()["steps"] if s["symbol"] == "a^ĥ_1^(1)")
    assert line["equation"] == ("x_1·kernel^(1)_h + bias^(1)[0]_h + "
                                "r_1⊙(h^(1)_0·recurrent_kernel^(1)_h + bias^(1)[1]_h)")
    np.testing.assert_allclose(line["value"], [pre], rtol=1e-14)
