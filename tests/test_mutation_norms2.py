"""A squared loss has no perplexity (rnnquiz/solvers/gradient_norms.py): only
`loss: cross_entropy` adds one. E by numpy."""

from __future__ import annotations

import numpy as np
import pytest

import rnnquiz
from rnnquiz.errors import ProblemError


def test_a_squared_loss_has_no_perplexity():
    doc = {"type": "backprop", "inputs": [[1.0], [2.0]], "targets": {0: 0.1, 1: 0.2},
           "network": {"W_xh": [[0.5]], "W_hh": [[0.5]], "W_hy": [[2.0]], "hidden": "tanh"}}
    h0 = np.tanh(0.5)
    h1 = np.tanh(1.0 + 0.5 * h0)
    r = rnnquiz.solve(doc)
    assert r.values["E"] == pytest.approx(0.5 * ((2 * h0 - 0.1) ** 2 + (2 * h1 - 0.2) ** 2),
                                          rel=1e-12)
    assert "perplexity" not in r.values
    assert not [s for s in r.steps if s.symbol == "perplexity"]
    with pytest.raises(ProblemError) as e:
        rnnquiz.solve({**doc, "ask": {"quantity": "perplexity"}})
    assert e.value.keys == ("ask", "quantity") and "perplexity" not in str(e.value).split(";")[1]
