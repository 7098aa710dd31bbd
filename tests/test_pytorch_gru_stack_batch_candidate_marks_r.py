"""A PyTorch GRU stack's minibatch, written in rows (x_t·W_inᵀ), writes the candidate's reset
gate with its layer and direction mark as every other line of the layer does: PyTorch's
n_t = tanh(W_in x_t + b_in + r_t ⊙ (W_hn h_{t-1} + b_hn)) as r^(2)_0⊙(h^(2)_{-1}·W_hnᵀ + b_hn),
never a bare r_0."""

from __future__ import annotations

import re

import numpy as np
import pytest

import rnnquiz

BARE = re.compile(r"(?<![\w^(/])[rzn]_\{?-?\d")        # r_0, z_1, n_{-1}: no mark


def _doc(rng, layers, both):
    """nn.GRU(2, 2, num_layers=layers, bidirectional=both)'s state_dict keys, our numbers."""
    net = {}
    for k in range(layers):
        n_in = 2 if k == 0 else 2 * (1 + both)
        for sfx in [f"_l{k}"] + ([f"_l{k}_reverse"] if both else []):
            net[f"weight_ih{sfx}"] = rng.normal(0, 0.5, (6, n_in)).round(2).tolist()
            net[f"weight_hh{sfx}"] = rng.normal(0, 0.5, (6, 2)).round(2).tolist()
            net[f"bias_ih{sfx}"] = rng.normal(0, 0.5, 6).round(2).tolist()
            net[f"bias_hh{sfx}"] = rng.normal(0, 0.5, 6).round(2).tolist()
    return {"type": "gru", "notation": "pytorch", "batch": True, "bidirectional": both,
            "inputs": rng.normal(0, 1, (2, 2, 2)).round(2).tolist(), "network": net}


@pytest.mark.parametrize("both", [False, True], ids=["one-way", "bidirectional"])
def test_every_line_of_a_batch_stack_marks_its_gates(both):
    steps = rnnquiz.solve(_doc(np.random.default_rng(5), 2, both)).steps
    bare = [(s.symbol, s.equation) for s in steps if BARE.search(s.equation or "")]
    assert bare == []
    lines = {s.symbol: s.equation for s in steps}
    tag = "2→" if both else "2"
    below = "h^(1)_0"
    assert lines[f"a^n_0^({tag})"] == (f"{below}·W_inᵀ + b_in + r^({tag})_0⊙"
                                       f"(h^({tag})_{{-1}}·W_hnᵀ + b_hn)")
