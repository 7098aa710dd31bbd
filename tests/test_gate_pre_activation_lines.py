"""Each gate's pre-activation is a line of the forward pass (rnnquiz/cells/base.py's gate_step),
written with the file's keys and worked by hand: MIT's LSTM, one unit, h_{-1} = 0.1, x_0 = 1."""

from __future__ import annotations

import pytest

import rnnquiz

NET = {"W_fh": 0.5, "W_fx": 1, "b_f": 0.1, "W_ih": -0.5, "W_ix": 1, "W_oh": 1, "W_ox": 0.5,
       "W_ch": 0.2, "W_cx": 1, "h_init": 0.1, "c_init": -0.2}


def test_every_pre_activation_is_a_forward_line():
    steps = rnnquiz.solve({"type": "lstm", "network": NET, "inputs": [1, -1]}).steps
    pre = {s.symbol: s for s in steps if s.symbol.startswith("z^")}
    assert sorted(pre) == sorted(f"z^{g}_{t}" for g in "fiog" for t in (0, 1))
    assert {s.phase for s in steps} == {"forward"}
    # z^f_0 = 0.5·0.1 + 1·1 + 0.1, z^i_0 = -0.5·0.1 + 1, z^o_0 = 0.1 + 0.5, z^g_0 = 0.02 + 1
    for gate, want in (("f", 1.15), ("i", 0.95), ("o", 0.6), ("g", 1.02)):
        assert pre[f"z^{gate}_0"].value == pytest.approx(want, abs=1e-12)
    assert pre["z^f_0"].equation == "W_fh·h_{-1} + W_fx·x_0 + b_f"
