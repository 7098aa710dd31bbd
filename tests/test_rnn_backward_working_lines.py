"""The simple RNN's backward working as a student reads it, line by line: hidden'(z_t) (its
formula, the numbers substituted, the threshold unit's note), dE/dz_t = dE/dh_t·hidden'(z_t),
and dE/dh_t gaining what is carried back from z_{t+1}, written W_hh·dE/dz_{t+1} in a column
layout and dE/dz_{t+1}·W_hh where a batch's examples are rows (PyTorch). Every value is
worked by hand here (math and numpy, not the solver)."""

from __future__ import annotations

import math

import numpy as np
import pytest

import rnnquiz


def _lines(doc) -> dict:
    steps = rnnquiz.solve(doc).to_json()["steps"]
    return {(s["symbol"], s["t"]): s for s in steps if s.get("phase") == "backward"}


def _sig(z):
    return 1.0 / (1.0 + math.exp(-z))


def test_a_logistic_units_backward_lines():
    doc = {"type": "backprop", "notation": "hinton",
           "network": {"hidden": "logistic", "W_xh": [[0.5]], "W_hh": [[-1.0]], "W_hy": [[2.0]]},
           "inputs": [[1.0], [2.0]], "targets": [[0.5], [0.25]],
           "ask": {"quantity": "dE/dW_hh"}}
    h0 = _sig(0.5)
    h1 = _sig(1.0 - h0)
    dy0, dy1 = 2 * h0 - 0.5, 2 * h1 - 0.25
    dh1 = 2 * dy1
    s1 = h1 * (1 - h1)
    dz1 = dh1 * s1
    dh0 = 2 * dy0 - dz1
    s0 = h0 * (1 - h0)
    want = {  # (symbol, t): (equation, working, note, value)
        ("dE/dh_1", 1): ("W_hy·dE/dy_1", "[2]·0.93656", None, dh1),
        ("σ'(z_1)", 1): ("σ(z_1)(1 - σ(z_1))", "0.59328·(1 - 0.59328)", None, s1),
        ("dE/dz_1", 1): ("dE/dh_1·σ'(z_1)", "1.873119·0.241299", None, dz1),
        ("dE/dh_0", 0): ("W_hy·dE/dy_0 + W_hh·dE/dz_1", "[2]·0.744919 + [-1]·0.451982",
                         "from the output at step 0 + carried back from z_1", dh0),
        ("σ'(z_0)", 0): ("σ(z_0)(1 - σ(z_0))", "0.622459·(1 - 0.622459)", None, s0),
        ("dE/dz_0", 0): ("dE/dh_0·σ'(z_0)", "1.037856·0.235004", None, dh0 * s0),
    }
    lines = _lines(doc)
    for key, (eq, working, note, value) in want.items():
        s = lines[key]
        assert (s["equation"], s["working"], s.get("note")) == (eq, working, note), key
        assert s["value"] == [pytest.approx(value, rel=1e-12, abs=0)], key
    assert [k for k in lines if k[0].endswith("'(z_1)")] == [("σ'(z_1)", 1)]


def test_a_threshold_units_slope_is_0_with_its_note():
    doc = {"type": "backprop", "notation": "hinton",
           "network": {"hidden": "step", "W_xh": [[0.5]], "W_hh": [[-1.0]], "W_hy": [[2.0]]},
           "inputs": [[1.0], [2.0]], "targets": [[0.5], [0.25]],
           "ask": {"quantity": "dE/dW_hh"}}
    lines = _lines(doc)
    s = lines[("step'(z_1)", 1)]
    assert (s["equation"], s["working"], s["value"]) == ("0 (a threshold unit)", "0", [0])
    assert s["note"] == ("a threshold unit's derivative is taken as 0: no gradient flows "
                         "through it")
    s = lines[("dE/dz_1", 1)]              # h_1 = step(0.5·2 - 1·1) = 1, y_1 = 2
    assert (s["equation"], s["working"], s["value"]) == ("dE/dh_1·step'(z_1)", "3.5·0", [0])


def test_a_batch_in_rows_carries_back_dE_dz_times_W_hh():
    """PyTorch's examples are rows: dE/dh_0 = dE/dy_0 + dE/dz_1·weight_hh (no read-out)."""
    X = np.array([[1.0, 2.0], [0.5, -1.0]])             # (examples, steps)
    TG = np.array([[0.5, 0.25], [0.1, 0.2]])
    doc = {"type": "backprop", "notation": "pytorch", "batch": True,
           "network": {"weight_ih_l0": [[0.5]], "weight_hh_l0": [[-1.0]],
                       "bias_ih_l0": [0.0], "bias_hh_l0": [0.0]},
           "inputs": X[..., None].tolist(), "targets": TG[..., None].tolist(),
           "ask": {"quantity": "dE/dweight_hh_l0"}}
    h0 = np.tanh(0.5 * X[:, 0])
    h1 = np.tanh(0.5 * X[:, 1] - h0)
    dz1 = (h1 - TG[:, 1]) * (1 - h1 ** 2)
    dh0 = (h0 - TG[:, 0]) - dz1
    lines = _lines(doc)
    s = lines[("dE/dh_0", 0)]
    assert s["equation"] == "dE/dy_0 + dE/dz_1·weight_hh"
    assert s["working"] == "[-0.037883, 0.144919] + [0.1831, -0.499631]·[-1]"
    assert s["note"] == "from the output at step 0 + carried back from z_1"
    np.testing.assert_allclose(np.ravel(s["value"]), dh0, rtol=1e-12, atol=0)
    s = lines[("dE/dz_0", 0)]
    assert s["equation"] == "dE/dh_0·tanh'(z_0)"
    np.testing.assert_allclose(np.ravel(s["value"]), dh0 * (1 - h0 ** 2), rtol=1e-12, atol=0)
