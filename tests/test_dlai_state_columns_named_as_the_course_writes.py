"""deeplearning.ai's weights act on the concatenation [a<t-1>; x<t>] (W_c has no W_ch of its
own): a backward line that takes the state columns alone names them as the course's backward
pass does, `Wc[:, :n_a]`, with the file's key W_c."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import yaml

import rnnquiz

ROOT = Path(__file__).resolve().parent.parent

GRU = {"type": "backprop", "cell": "gru", "notation": "deeplearning_ai",
       "network": {"W_u": [[0.1, 0.2, 0.3], [0.0, -0.1, 0.2]],
                   "W_r": [[0.3, -0.2, 0.1], [0.2, 0.1, -0.3]],
                   "W_c": [[0.5, 0.4, -0.6], [0.1, -0.7, 0.2]],
                   "b_u": [0, 0], "b_r": [0, 0], "b_c": [0, 0], "c_init": [0.1, -0.2]},
       "inputs": [[1.0], [0.5]], "targets": [[0.2, 0.0], [0.1, 0.3]]}


def test_the_gru_reset_line_names_the_state_columns_of_W_c():
    steps = {s.symbol: s for s in rnnquiz.solve(GRU).steps}
    W_c = np.asarray(GRU["network"]["W_c"])
    for t, prev in ((1, "c<0>"), (2, "c<1>")):
        line = steps[f"dE/dz^Γ_r<{t}>"]
        assert line.equation == (f"(W_c[:, :n_a]ᵀ·dE/dz^c̃<{t}>)⊙{prev}⊙Γ_r<{t}>"
                                 f"(1 - Γ_r<{t}>)")
        dz_c = np.asarray(steps[f"dE/dz^c̃<{t}>"].value, dtype=float)
        # the operand shown is the state columns' product: n_a = 2 of W_c's 3 columns
        np.testing.assert_allclose(line.operands[0], W_c[:, :2].T @ dz_c, rtol=1e-12)


def test_no_line_of_the_courses_working_names_a_key_the_file_has_not():
    """The GRU, and CS230's LSTM with a relevance gate trained on targets of ours."""
    cs230 = yaml.safe_load((ROOT / "problems" / "cs230_lstm_relevance_gate.yaml").read_text())
    cs230 = {**{k: v for k, v in cs230.items() if k not in ("answer", "ask")},
             "type": "backprop", "cell": "lstm", "targets": [[0.1, 0.2], [0.3, -0.1]]}
    for doc in (GRU, cs230):
        lines = [s.equation or "" for s in rnnquiz.solve(doc).steps]
        assert not [e for e in lines if "W_ch" in e]
        assert [e for e in lines if e.startswith("W_c[:, :n_a]ᵀ·dE/dz^c̃<")] or doc is GRU
