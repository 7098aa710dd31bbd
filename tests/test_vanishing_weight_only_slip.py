"""The slip `weight_only_verdict`: the verdict judged from |W_hh| alone (its spectral norm ‖W_hh‖₂
for a matrix), as if hidden'(z) were 1, against 1 ± tolerance. The verdicts below are worked by
hand from W_hh; the slip is the vanilla RNN's only."""

from __future__ import annotations

import pytest

from rnnquiz.teaching.slip_search import diagnose, value_of
from rnnquiz.teaching.slips import variants_for
from rnnquiz.types import from_dict


def _problem(W_hh, hidden="logistic", tolerance=None, **extra):
    h = [0] * len(W_hh) if isinstance(W_hh, list) else 0
    doc = {"type": "vanishing", "inputs": [1, 0, 0, 0],
           "network": {"hidden": hidden, "output": "linear", "W_hh": W_hh, "h_init": h, **extra}}
    if tolerance is not None:
        doc["tolerance"] = tolerance
    return from_dict(doc)


def _weight_only(p):
    (v,) = [v for v in variants_for(p) if v.slip == "weight_only_verdict"]
    return value_of(p, v)[0]


@pytest.mark.parametrize("W_hh, tolerance, verdict", [
    (0.5, None, "vanishing"),
    (1, None, "neither"),                    # |1 - 1| = 0
    (1.5, None, "exploding"),
    (-3, None, "exploding"),                 # |W_hh| = 3
    (1.5, 0.5, "neither"),                   # |1.5 - 1| = 0.5: on the band's edge is inside
    ([[0.8, 0], [0, 0.8]], None, "vanishing"),     # ‖W‖₂ = 0.8 (its Frobenius norm is 1.13)
    ([[0.5, 0], [0, 1.5]], None, "exploding"),     # ‖W‖₂ = 1.5 (its first entry is 0.5)
])
def test_the_weight_only_verdict_reads_the_norm_of_W_hh_alone(W_hh, tolerance, verdict):
    assert _weight_only(_problem(W_hh, tolerance=tolerance)) == verdict


def test_a_weight_only_verdict_that_differs_from_the_right_one_is_named():
    # W_hh = 1: logistic factors are at most 1/4, so the gradient vanishes; |W_hh| alone says
    # neither
    p = _problem(1)
    assert "weight_only_verdict" in {d["slip"] for d in diagnose(p, "neither", "neither")}
    # output fed back: each factor is (W_hh + W_yh·W_hy)·1 = 2.5, exploding; W_hh = 0.5 alone
    # says vanishing
    p = _problem(0.5, hidden="linear", W_xh=1, W_hy=1, W_yh=2, b_h=0, b_y=0)
    assert "weight_only_verdict" in {d["slip"] for d in diagnose(p, "vanishing", "vanishing")}


def test_only_the_vanilla_rnn_makes_the_weight_only_slip():
    p = from_dict({"type": "vanishing", "cell": "gru", "inputs": [1, 0, 0]})
    assert "weight_only_verdict" not in {v.slip for v in variants_for(p)}
