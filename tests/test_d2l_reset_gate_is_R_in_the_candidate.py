"""d2l writes the GRU's reset gate R_t (and the update gate Z_t): its candidate is
H̃_t = tanh(X_t W_xh + (R_t ⊙ H_{t-1}) W_hh + b_h), and the working's candidate line names
R_t as the gate's own line does, not r_t; likewise the LSTM's relevance gate R_t (SPEC 1.15)
in d2l's keys, and in a stack each layer's R^(k)_t."""

from __future__ import annotations

import rnnquiz

GRU = {"W_xz": [[0.1]], "W_hz": [[0.2]], "b_z": [0.0], "W_xr": [[0.3]], "W_hr": [[-0.4]],
       "b_r": [0.1], "W_xh": [[0.5]], "W_hh": [[0.6]], "b_h": [0.0]}
LSTM = {"relevance_gate": True, "W_xi": [[0.1]], "W_hi": [[0.2]], "b_i": [0.0],
        "W_xf": [[0.3]], "W_hf": [[0.1]], "b_f": [0.0], "W_xo": [[0.2]], "W_ho": [[0.4]],
        "b_o": [0.0], "W_xc": [[0.5]], "W_hc": [[0.6]], "b_c": [0.0], "W_xr": [[0.3]],
        "W_hr": [[-0.4]], "b_r": [0.1]}


def _lines(cell, network, **more):
    doc = {"type": cell, "notation": "d2l", "network": network, "inputs": [[1.0], [-0.5]],
           **more}
    return {s.symbol: s.equation for s in rnnquiz.solve(doc).steps}


def test_the_gru_candidate_reads_R_t():
    lines = _lines("gru", GRU)
    assert lines["R_1"] == "σ(z^R_1)"
    assert lines["z^H̃_1"] == "X_1·W_xh + (R_1⊙H_0)·W_hh + b_h"
    assert lines["z^H̃_2"] == "X_2·W_xh + (R_2⊙H_1)·W_hh + b_h"


def test_the_lstm_relevance_gate_is_R_t_in_the_candidate():
    assert _lines("lstm", LSTM)["z^C̃_1"] == "X_1·W_xc + (R_1⊙H_0)·W_hc + b_c"


def test_a_stack_marks_R_t_with_its_layer():
    lines = _lines("gru", [GRU, GRU])
    assert lines["z^H̃_2^(2)"] == "H^(1)_2·W_xh^(2) + (R^(2)_2⊙H^(2)_1)·W_hh^(2) + b_h^(2)"
