"""How the working writes the read-out y_t = W_hy h_t + b_y and what it sends back to h_t
(rnnquiz/cells/readout.py): a column W_hy·h_t, a PyTorch batch's rows h_t·W_hyᵀ (the examples
are rows in its code, a column notation's batch keeps W_hy·h_t), each with its operands, and
dE/dh_t = W_hy·dE/dy_t at the last step. Numbers worked by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest

import rnnquiz


def _sigmoid(z):
    return 1 / (1 + np.exp(-np.asarray(z, dtype=float)))


def _steps(doc):
    return {s.symbol: s for s in rnnquiz.solve(doc).steps}


def test_a_column_read_out_and_what_it_sends_back():
    doc = {"type": "backprop", "inputs": [1.0, 2.0], "targets": [0.5, 0.25],
           "network": {"hidden": "logistic", "W_xh": 0.5, "W_hh": -1.0, "W_hy": 2.0, "b_y": 0.5}}
    h0 = 1 / (1 + math.exp(-0.5))
    h1 = 1 / (1 + math.exp(-(1.0 - h0)))
    steps = _steps(doc)
    for t, h in ((0, h0), (1, h1)):
        y = steps[f"y_{t}"]
        assert (y.phase, y.equation, y.formula) == ("forward", f"W_hy·h_{t} + b_y", "{}·{} + {}")
        assert y.operands == pytest.approx((2.0, h, 0.5), abs=1e-12)
        assert y.value == pytest.approx(2 * h + 0.5, abs=1e-12)
    back = steps["dE/dh_1"]          # the last step: the read-out's term alone
    dy = 2 * h1 + 0.5 - 0.25
    assert (back.equation, back.formula) == ("W_hy·dE/dy_1", "{}·{}")
    assert back.operands == pytest.approx((2.0, dy), abs=1e-12)
    assert back.value == pytest.approx(2 * dy, abs=1e-12)


def test_a_column_notations_batch_keeps_w_hy_h_t():
    doc = {"type": "backprop", "batch": True, "inputs": [[1.0, 2.0], [0.5, -1.0]],
           "targets": [[0.5, 0.25], [0.1, 0.2]],
           "network": {"hidden": "logistic", "W_xh": 0.5, "W_hh": -1.0, "W_hy": 2.0, "b_y": 0.5}}
    y = _steps(doc)["y_0"]
    assert (y.equation, y.formula) == ("W_hy·h_0 + b_y", "{}·{} + {}")
    np.testing.assert_allclose(np.ravel(y.value), 2 * _sigmoid([0.5, 0.25]) + 0.5, atol=1e-12)


def test_a_pytorch_batch_reads_out_its_rows():
    doc = {"type": "backprop", "notation": "pytorch", "batch": True,
           "inputs": [[[1.0], [2.0]], [[0.5], [-1.0]]], "targets": [[[0.5], [0.25]], [[0.1], [0.2]]],
           "network": {"weight_ih": [[0.5]], "weight_hh": [[0.2]], "W_hy": [[2.0]], "b_y": [0.5]}}
    steps = _steps(doc)
    h0 = np.tanh([[0.5], [0.25]])              # h_0 = tanh(x_0·W_ihᵀ), one row per example
    h1 = np.tanh(np.array([[2.0], [-1.0]]) * 0.5 + 0.2 * h0)
    for t, h in ((0, h0), (1, h1)):
        y = steps[f"y_{t}"]
        assert (y.phase, y.equation, y.formula) == ("forward", f"h_{t}·W_hyᵀ + b_y", "{}·{} + {}")
        H, W, b = y.operands
        np.testing.assert_allclose(H, h, atol=1e-12)
        np.testing.assert_allclose(W, [[2.0]])
        np.testing.assert_allclose(b, [0.5])
        np.testing.assert_allclose(y.value, 2 * h + 0.5, atol=1e-12)


def test_without_a_read_out_the_state_takes_de_dy_as_it_is():
    doc = {"type": "backprop", "cell": "lstm", "inputs": [1, -1], "targets": [0.5, -0.5],
           "network": {"W_fh": 0.5, "W_fx": 1, "b_f": 0.1, "W_ih": -0.5, "W_ix": 1, "W_oh": 1,
                       "W_ox": 0.5, "W_ch": 0.2, "W_cx": 1}}
    steps = _steps(doc)
    back = steps["dE/dh_1"]
    assert (back.equation, back.formula) == ("dE/dy_1", "{}")
    assert back.value == pytest.approx(steps["h_1"].value + 0.5, abs=1e-12)   # h_1 - target_1
