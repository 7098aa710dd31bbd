"""BPTT through a two-layer LSTM stack that also reads its top cell state out (y_c = W_cy c_t,
SPEC 1.15): the loss is on the top states, so E is torch's over nn.LSTM(num_layers=2) and
dE/dW_cy is zero, on the working path and on the vectorised one alike."""

from __future__ import annotations

import numpy as np
import pytest

import rnnquiz
from oracles.lstm import stack_with_cell_readout

TARGET = [0.1, 0.2, -0.1]


def _doc_and_torch_E(torch):
    enc, _, X, net = stack_with_cell_readout(torch)
    out, _ = enc(X)
    E = 0.5 * ((out[:, 0] - torch.tensor(TARGET, dtype=torch.float64)) ** 2).sum()
    doc = {"type": "backprop", "cell": "lstm", "notation": "pytorch", "network": net,
           "inputs": X[:, 0].tolist(), "targets": [TARGET] * 4}
    return doc, float(E.detach())


@pytest.mark.parametrize("steps", [True, False], ids=["working", "scan"])
def test_the_loss_is_torchs_and_the_cell_read_outs_gradient_is_zero(steps):
    torch = pytest.importorskip("torch")
    doc, E = _doc_and_torch_E(torch)
    assert rnnquiz.solve({**doc, "ask": {"quantity": "E"}}, steps=steps).answer == \
        pytest.approx(E, abs=1e-12)
    dW = rnnquiz.solve({**doc, "ask": {"quantity": "dE/dW_cy"}}, steps=steps).answer
    assert np.size(dW) == 6 and not np.any(dW)      # W_cy is 2 x 3
