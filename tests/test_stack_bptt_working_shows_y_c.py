"""BPTT through a two-layer LSTM stack that reads its top cell state out (y_c = W_cy c_t,
SPEC 1.15) writes the y_c lines in its working, as the forward working of the same stack
does: y_c_t = W_cy·c_t of the top layer at every step, the values torch's (c_t of the top
layer is nn.LSTM's last c_n run over the first t + 1 inputs)."""

from __future__ import annotations

import pytest

import rnnquiz
from oracles.lstm import stack_with_cell_readout

TARGET = [0.1, 0.2, -0.1]


def _doc_and_torch_y_c(torch):
    enc, W, X, net = stack_with_cell_readout(torch)
    y_c = []
    with torch.no_grad():
        for t in range(4):
            _, (_, c_n) = enc(X[: t + 1])
            y_c.append((W @ c_n[-1, 0]).tolist())
    doc = {"type": "backprop", "cell": "lstm", "notation": "pytorch", "network": net,
           "inputs": X[:, 0].tolist(), "targets": [TARGET] * 4}
    return doc, y_c


def _y_c_lines(result) -> dict:
    return {s.symbol: s for s in result.steps if s.symbol.startswith("y_c_")}


def test_the_bptt_working_writes_each_steps_y_c():
    torch = pytest.importorskip("torch")
    doc, y_c = _doc_and_torch_y_c(torch)
    lines = _y_c_lines(rnnquiz.solve({**doc, "ask": {"quantity": "dE/dW_cy"}}))
    assert sorted(lines) == [f"y_c_{t}" for t in range(4)]
    for t in range(4):
        assert lines[f"y_c_{t}"].equation == f"W_cy·c_{t}"
        assert list(lines[f"y_c_{t}"].value) == pytest.approx(y_c[t], abs=1e-12)


def test_the_same_lines_as_the_forward_working():
    torch = pytest.importorskip("torch")
    doc, y_c = _doc_and_torch_y_c(torch)
    forward = {k: v for k, v in doc.items() if k not in ("targets", "cell")}
    ahead = _y_c_lines(rnnquiz.solve({**forward, "type": "lstm", "ask": {"quantity": "y_c"}}))
    back = _y_c_lines(rnnquiz.solve({**doc, "ask": {"quantity": "dE/dW_cy"}}))
    assert sorted(ahead) == sorted(back) == [f"y_c_{t}" for t in range(4)]
    for sym, s in ahead.items():
        assert back[sym].equation == s.equation
        assert list(back[sym].value) == pytest.approx(list(s.value), abs=1e-12)
