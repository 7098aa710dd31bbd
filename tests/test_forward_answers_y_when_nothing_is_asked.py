"""A forward file that asks nothing is answered with every output y_t (SPEC 1.6: the type asks y
first), on the working path and the vectorised one alike; worked by hand."""

from __future__ import annotations

import math

import pytest

import rnnquiz


def _sigmoid(z: float) -> float:
    return 1 / (1 + math.exp(-z))


@pytest.mark.parametrize("steps", [True, False], ids=["working", "scan"])
def test_every_y_t_is_the_answer(steps):
    doc = {"type": "forward", "inputs": [1.0, 2.0],
           "network": {"hidden": "logistic", "W_xh": 0.5, "W_hh": -1.0, "W_hy": 2.0, "h_init": 0.0}}
    # h_0 = σ(0.5·1), h_1 = σ(0.5·2 - h_0), y_t = 2 h_t (a linear read-out)
    h0 = _sigmoid(0.5)
    h1 = _sigmoid(1.0 - h0)
    r = rnnquiz.solve(doc, steps=steps)
    assert r.question == "every y_t"
    assert r.answer == pytest.approx([2 * h0, 2 * h1], abs=1e-12)
