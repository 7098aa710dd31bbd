"""In a stack, the candidate's r_t ⊙ h_{t-1} writes r_t with its layer (or direction) mark, as
r_t's own line and every other gate write it: r^(2)_1⊙h^(2)_0, not r_1⊙h^(2)_0 (the LSTM's
relevance gate, SPEC 1.15; the GRU's reset gate, the same line)."""

import pytest

import rnnquiz

LSTM = {"relevance_gate": True, "W_fh": 0.5, "W_fx": 0.2, "b_f": 0.1, "W_ih": 0.3,
        "W_ix": -0.2, "b_i": 0, "W_oh": 0.1, "W_ox": 0.4, "b_o": 0, "W_ch": 0.7, "W_cx": 0.3,
        "b_c": 0, "W_rh": 0.4, "W_rx": -0.6, "b_r": 0.3}
GRU = {"W_uh": 0.5, "W_ux": 0.2, "b_u": 0.1, "W_rh": 0.4, "W_rx": -0.6, "b_r": 0.3,
       "W_ch": 0.7, "W_cx": 0.3, "b_c": 0}


def _equations(cell, network, **more):
    p = {"type": cell, "notation": "mit", "network": network, "inputs": [1, -1],
         "ask": {"quantity": "h"}, **more}
    return [s.get("equation", "") for s in rnnquiz.solve(p).to_json()["steps"]]


@pytest.mark.parametrize("cell, net, z", [("lstm", LSTM, "z^g"), ("gru", GRU, "z^c")])
def test_candidate_marks_r_with_its_layer(cell, net, z):
    eqs = _equations(cell, [net, net])
    # mit steps from 0: layer 2 at step 1 reads its own h at step 0
    assert "W_ch^(2)·(r^(2)_1⊙h^(2)_0) + W_cx^(2)·h^(1)_1 + b_c^(2)" in eqs
    assert "W_ch^(1)·(r^(1)_0⊙h^(1)_{-1}) + W_cx^(1)·x_0 + b_c^(1)" in eqs
    assert not any("(r_" in e for e in eqs)


def test_candidate_marks_r_with_its_direction():
    eqs = _equations("lstm", [{"forward": LSTM, "backward": LSTM}], bidirectional=True)
    # the backward direction at step 0 reads its state of step 1 (it runs from the last step)
    assert "W_ch^(←)·(r^(←)_0⊙h^(←)_1) + W_cx^(←)·x_0 + b_c^(←)" in eqs
    assert "W_ch^(→)·(r^(→)_1⊙h^(→)_0) + W_cx^(→)·x_1 + b_c^(→)" in eqs


def test_deeplearning_ai_relevance_gate_marked_in_the_candidate():
    net = {"relevance_gate": True, "W_f": [[0.5, 0.2]], "W_u": [[0.3, -0.2]],
           "W_o": [[0.1, 0.4]], "W_c": [[0.7, 0.3]], "W_r": [[0.4, -0.6]],
           "b_f": [0.1], "b_u": [0.0], "b_o": [0.0], "b_c": [0.0], "b_r": [0.3]}
    p = {"type": "lstm", "notation": "deeplearning_ai", "network": [net, net],
         "inputs": [[1.0], [-1.0]], "ask": {"quantity": "a"}}
    eqs = [s.get("equation", "") for s in rnnquiz.solve(p).to_json()["steps"]]
    assert "W_c^(2)·[Γ_r^(2)<2>*a^(2)<1>; a^(1)<2>] + b_c^(2)" in eqs
