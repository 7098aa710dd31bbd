"""A stack without a read-out is trained on its top layer's states: the loss's dE/dy_t line
names that state as the top layer's own lines write it (d2l's H^(2)_t, deeplearning.ai's
a^(2)<t>), not the bare h_t of no layer."""

from __future__ import annotations

import numpy as np
import pytest

import rnnquiz

D2L = {"W_xh": [[0.5, -0.3]], "W_hh": [[0.2, 0.1], [-0.4, 0.3]], "b_h": [0.1, 0.0]}
DLAI = {"Wax": [[0.5], [-0.3]], "Waa": [[0.2, 0.1], [-0.4, 0.3]], "ba": [0.1, 0.0]}
TARGETS = [[0.5, -0.5], [0.25, 0.0]]


@pytest.mark.parametrize("notation, layer, top", [
    ("d2l", D2L, "H^(2)_{t}"),
    ("deeplearning_ai", DLAI, "a^(2)<{t}>"),
])
def test_the_loss_line_names_the_top_layers_state(notation, layer, top):
    second = {**layer, **({"W_xh": [[0.1, 0.2], [0.3, -0.1]]} if notation == "d2l"
                          else {"Wax": [[0.1, 0.2], [0.3, -0.1]]})}
    doc = {"type": "backprop", "notation": notation, "network": [layer, second],
           "inputs": [[1.0], [-1.0]], "targets": TARGETS}
    lines = {s.symbol: s for s in rnnquiz.solve(doc).steps}
    for t in (1, 2):
        line, state = lines[f"dE/dy_{t}"], lines[top.format(t=t)]
        assert line.equation == f"{top.format(t=t)} - target_{t}"
        # the squared loss's dE/dy_t = h_t - target_t, of the top layer's state
        np.testing.assert_allclose(line.value, np.asarray(state.value) - TARGETS[t - 1],
                                   rtol=1e-12)
