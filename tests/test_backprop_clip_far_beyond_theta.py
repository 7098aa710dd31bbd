"""backprop's `clip: {norm: θ}` when ‖g‖ is so far beyond θ that θ/‖g‖ is subnormal: each
gradient is still θ·g/‖g‖ to the last digits (SPEC 1.11). Worked by hand: a linear cell with
W_hh = 0, inputs 3 and 4, and dE/dh_t = 1e300 from above, so dE/dz_t = 1e300 and
dE/dW_xh = 7e300, dE/dW_hh = 1e300·h_0 = 3e300, dE/db_h = 2e300: ‖g‖ = sqrt(62)·1e300."""

from __future__ import annotations

import math

import pytest

import rnnquiz


def test_clipping_by_a_subnormal_factor_keeps_every_digit():
    theta = 1e-15
    doc = {"type": "backprop", "inputs": [3, 4], "upstream": {"h": [1e300, 1e300]},
           "network": {"hidden": "linear", "W_xh": 1, "W_hh": 0, "b_h": 0, "h_init": 0},
           "clip": {"norm": theta}, "ask": {"quantity": "dE/dW_xh"}}
    r = rnnquiz.solve(doc)
    steps = {s.symbol: s.value for s in r.steps}
    norm = math.sqrt(62) * 1e300
    assert steps["‖g‖"] == pytest.approx(norm, rel=1e-14, abs=0)
    assert steps["scale"] < 2.2250738585072014e-308          # θ/‖g‖ is subnormal
    for key, g in (("W_xh", 7), ("W_hh", 3), ("b_h", 2)):
        assert steps[f"dE/d{key} (clipped)"] == pytest.approx(theta * g / math.sqrt(62),
                                                              rel=1e-14, abs=0), key
    assert r.answer == pytest.approx(theta * 7 / math.sqrt(62), rel=1e-14, abs=0)
