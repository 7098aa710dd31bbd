"""The GRU's backward line for the reset gate reads the candidate as the candidate's own
forward line writes it: the file's keys (Keras' recurrent_kernel and bias[1], CMU 11-785's Wnh
and bnh, not W_ch or b_hn), its layout (d2l's and Keras' rows: dz·Wᵀ; a batch's rows:
h_{t-1}·W_hnᵀ), and a stack layer's marks (W_ch^(2))."""

from __future__ import annotations

import numpy as np
import pytest

import rnnquiz
from conftest import random_network


def _lines(notation, batch=False, stack=False, **more):
    rng = np.random.default_rng(3)
    net = random_network(rng, "gru", notation, 2, 2, False)
    X = rng.normal(size=(2, 2, 2) if batch else (2, 2)).round(2).tolist()
    doc = {"type": "backprop", "cell": "gru", "notation": notation, "batch": batch,
           "network": [net, net] if stack else {**net, **more}, "inputs": X,
           "targets": np.zeros((2, 2, 2) if batch else (2, 2)).tolist()}
    return doc, {s.symbol: s for s in rnnquiz.solve(doc).steps}


@pytest.mark.parametrize("notation, batch, stack, symbol, equation", [
    # reset after the product: the term r_t multiplies, in the file's keys
    ("keras", False, False, "dE/da^r_1",
     "dE/da^ĥ_1⊙(h_0·recurrent_kernel_h + bias[1]_h)⊙r_1(1 - r_1)"),
    ("cmu11785", False, False, "dE/da^r_1", "dE/da^n_1⊙(Wnh·h_0 + bnh)⊙r_1(1 - r_1)"),
    ("cmu11785", True, False, "dE/da^r_1", "dE/da^n_1⊙(h_0·Wnhᵀ + bnh)⊙r_1(1 - r_1)"),
    ("pytorch", True, False, "dE/da^r_1", "dE/da^n_1⊙(h_0·W_hnᵀ + b_hn)⊙r_1(1 - r_1)"),
    # reset before it: the recurrent matrix's transpose, on the row layout's side in d2l
    ("d2l", False, False, "dE/dz^R_1", "(dE/dz^H̃_1·W_hhᵀ)⊙H_0⊙R_1(1 - R_1)"),
    ("mit", False, True, "dE/dz^r^(2)_1",
     "(W_ch^(2)ᵀ·dE/dz^c^(2)_1)⊙h^(2)_0⊙r^(2)_1(1 - r^(2)_1)"),
])
def test_the_reset_line_in_the_files_keys_layout_and_marks(notation, batch, stack, symbol,
                                                          equation):
    _, lines = _lines(notation, batch, stack)
    assert lines[symbol].equation == equation


def test_keras_reset_after_multiplies_the_recurrent_term_the_forward_line_adds():
    """Keras' h-block: recurrent_kernel[:, 2h:] and bias[1][2h:] (gate order z, r, h)."""
    doc, lines = _lines("keras")
    net = doc["network"]
    h0 = np.asarray(lines["h_0"].value, dtype=float)
    term = h0 @ np.asarray(net["recurrent_kernel"])[:, 4:] + np.asarray(net["bias"])[1][4:]
    np.testing.assert_allclose(lines["dE/da^r_1"].operands[1], term, rtol=1e-12)


def test_the_lstm_relevance_gates_line_marks_its_layer_in_a_stack():
    """The LSTM's relevance gate (SPEC 1.15) reads the candidate the same way: W_ch^(2)."""
    from test_lstm_variants import RELEVANCE, _doc
    doc = _doc("mit", RELEVANCE, T=1, n_h=2, n_x=2)
    doc["network"] = [doc["network"], dict(doc["network"])]
    lines = {s.symbol: s.equation for s in rnnquiz.solve(doc).steps}
    assert lines["dE/d(r^(2)_0⊙h^(2)_{-1})"] == "W_ch^(2)ᵀ·dE/dz^g^(2)_0"
    assert lines["dE/d(r^(1)_0⊙h^(1)_{-1})"] == "W_ch^(1)ᵀ·dE/dz^g^(1)_0"
