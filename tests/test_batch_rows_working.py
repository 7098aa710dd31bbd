"""A minibatch in PyTorch's and CMU 11-785's notations is written as their code computes it, the
examples as rows: x_t·Wᵀ, and the GRU's candidate with the reset after the recurrent product,
r_t⊙(h_{t-1}·W_hnᵀ + b_hn) (rnnquiz/cells/batch_form.py), also inside a stack's marked
symbols. Every operand and value against torch's nn.GRUCell and nn.GRU."""

from __future__ import annotations

import numpy as np
import pytest

import rnnquiz


def _by_symbol(steps):
    return {line.symbol: line for line in steps}


def test_cmu_gru_candidate_in_rows_with_the_reset_after_the_product():
    torch = pytest.importorskip("torch")
    torch.manual_seed(0)
    cell = torch.nn.GRUCell(2, 2).double()
    Wi, Wh, bi, bh = (t.detach() for t in (cell.weight_ih, cell.weight_hh, cell.bias_ih,
                                           cell.bias_hh))
    net = {"h_init": [[0.1, -0.2], [0.3, 0.4]]}
    for k, g in enumerate("rzn"):           # PyTorch's blocks: reset, update, new
        rows = slice(2 * k, 2 * k + 2)
        net[f"W{g}x"], net[f"W{g}h"] = Wi[rows].tolist(), Wh[rows].tolist()
        net[f"b{g}x"], net[f"b{g}h"] = bi[rows].tolist(), bh[rows].tolist()
    X = torch.randn(2, 1, 2, dtype=torch.float64)       # 2 examples of one step
    doc = {"type": "gru", "notation": "cmu11785", "batch": True, "network": net,
           "inputs": X.tolist()}
    lines = _by_symbol(rnnquiz.solve(doc).steps)
    x, h = X[:, 0], torch.tensor(net["h_init"], dtype=torch.float64)
    r = torch.sigmoid(x @ Wi[:2].T + bi[:2] + h @ Wh[:2].T + bh[:2])
    a_n = x @ Wi[4:].T + bi[4:] + r * (h @ Wh[4:].T + bh[4:])
    line = lines["a^n_0"]
    # CMU's GRUCell.forward: tanh(x·Wnxᵀ + bnx + r⊙(h·Wnhᵀ + bnh))
    assert line.equation == "x_0·Wnxᵀ + bnx + r_0⊙(h_{-1}·Wnhᵀ + bnh)"
    assert line.formula == "{}·{} + {} + {}⊙({}·{} + {})"
    want = (x, Wi[4:].T, bi[4:], r, h, Wh[4:].T, bh[4:])
    assert len(line.operands) == len(want)
    for got, w in zip(line.operands, want):
        np.testing.assert_allclose(got, w.numpy(), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(line.value, a_n.numpy(), rtol=1e-12, atol=1e-14)
    assert lines["a^r_0"].equation == "x_0·Wrxᵀ + h_{-1}·Wrhᵀ + brx + brh"


def test_a_gru_stacks_marked_candidate_is_written_in_rows():
    """The stack's marks put parentheses inside the reset's, h^(2)_{-1}: the terms are still
    told apart at the top level."""
    torch = pytest.importorskip("torch")
    torch.manual_seed(0)
    gru = torch.nn.GRU(2, 2, num_layers=2, batch_first=True).double()
    X = torch.randn(2, 2, 2, dtype=torch.float64)       # (examples, steps, inputs)
    out, _ = gru(X)
    doc = {"type": "gru", "notation": "pytorch", "batch": True, "inputs": X.tolist(),
           "network": {k: v.tolist() for k, v in gru.state_dict().items()}}
    lines = _by_symbol(rnnquiz.solve(doc).steps)
    for layer, below in ((1, "x_0"), (2, "h^(1)_0")):
        line = lines[f"a^n_0^({layer})"]
        assert line.equation.startswith(f"{below}·W_inᵀ + b_in + ")
        assert line.equation.endswith(f"⊙(h^({layer})_{{-1}}·W_hnᵀ + b_hn)")
        assert line.formula == "{}·{} + {} + {}⊙({}·{} + {})"
    # layer 2's input is layer 1's first state, the reset acts on a zero h^(2)_{-1}
    sd = gru.state_dict()
    h1 = lines["h^(1)_0"].value
    np.testing.assert_allclose(lines["a^n_0^(2)"].operands[0], h1, rtol=1e-12)
    a_n = h1 @ sd["weight_ih_l1"][4:].numpy().T + sd["bias_ih_l1"][4:].numpy() \
        + lines["r^(2)_0"].value * sd["bias_hh_l1"][4:].numpy()
    np.testing.assert_allclose(lines["a^n_0^(2)"].value, a_n, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(lines["h^(2)_1"].value, out[:, 1].detach().numpy(),
                               rtol=1e-12, atol=1e-14)
