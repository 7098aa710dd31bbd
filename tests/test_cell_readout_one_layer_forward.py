"""A one-layer, one-way LSTM that reads its cell state out (y_c = W_cy c_t + b_cy at every
step, SPEC 1.15), asked as an LSTM exercise asks it (the forward pass, no loss): torch's
nn.LSTM cell states through nn.Linear, on the working path and on the vectorised one."""

from __future__ import annotations

import numpy as np
import pytest

import rnnquiz


@pytest.mark.parametrize("steps", [True, False], ids=["working", "scan"])
def test_y_c_at_every_step_is_torchs(steps):
    torch = pytest.importorskip("torch")
    torch.manual_seed(11)
    cell = torch.nn.LSTMCell(2, 3).double()
    proj = torch.nn.Linear(3, 2).double()
    X = torch.randn(4, 2, dtype=torch.float64)
    h = c = torch.zeros(1, 3, dtype=torch.float64)
    want = []
    for x in X:
        h, c = cell(x[None], (h, c))
        want.append(proj(c)[0].detach().numpy())
    net = {"weight_ih": cell.weight_ih.tolist(), "weight_hh": cell.weight_hh.tolist(),
           "bias_ih": cell.bias_ih.tolist(), "bias_hh": cell.bias_hh.tolist(),
           "W_cy": proj.weight.tolist(), "b_cy": proj.bias.tolist()}
    doc = {"type": "lstm", "notation": "pytorch", "network": net, "inputs": X.tolist(),
           "ask": {"quantity": "y_c"}}
    got = rnnquiz.solve(doc, steps=steps).answer
    np.testing.assert_allclose(np.reshape(got, (4, 2)), np.array(want), rtol=1e-12, atol=1e-14)


def test_the_working_writes_each_steps_y_c_with_its_numbers():
    torch = pytest.importorskip("torch")
    torch.manual_seed(11)
    cell = torch.nn.LSTMCell(2, 3).double()
    X = torch.randn(2, 2, dtype=torch.float64)
    W, b = [[0.5, -1.0, 0.25], [1.0, 0.0, -0.5]], [0.1, -0.2]
    net = {"weight_ih": cell.weight_ih.tolist(), "weight_hh": cell.weight_hh.tolist(),
           "bias_ih": cell.bias_ih.tolist(), "bias_hh": cell.bias_hh.tolist(),
           "W_cy": W, "b_cy": b}
    doc = {"type": "lstm", "notation": "pytorch", "network": net, "inputs": X.tolist(),
           "ask": {"quantity": "y_c"}}
    lines = [s for s in rnnquiz.solve(doc).steps if s.equation.startswith("W_cy·")]
    assert [s.t for s in lines] == [0, 1]
    for s in lines:
        assert s.equation.endswith(" + b_cy") and s.formula == "{}·{} + {}"
        W_, c, b_ = s.operands
        np.testing.assert_allclose(np.ravel(s.value), np.array(W) @ c + np.array(b), atol=1e-15)
