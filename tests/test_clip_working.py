"""The working of `clip`, line by line, as a student reads it: each gradient's squares, the
global norm, θ/‖g‖ and every clipped gradient (d2l 9.5: g ← min(1, θ/‖g‖)·g), clipping by
value (deeplearning.ai's clip(): each entry to [-θ, θ]), the scaled norm of gradients whose
squares leave float64 (s = max |g|, LAPACK's dnrm2), and the own-norm slip. Values by hand:
‖[3, 4], [12]‖ = sqrt(25 + 144) = 13."""

from __future__ import annotations

from fractions import Fraction
import math
import warnings

import pytest

import rnnquiz
from rnnquiz.types import from_dict, solve

GRADS = {"dW": [[3, 4]], "db": [12]}
NOTE = "the L2 norm of all the gradients stacked into one vector"
TORCH = ("PyTorch's clip_grad_norm_ divides by ‖g‖ + 1e-6: its clipped values are smaller "
         "than these by a relative 1e-6/‖g‖")


def lines(r):
    return [(s.symbol, s.equation, s.formula, s.operands, s.phase, s.note) for s in r.steps]


def test_norm_clipping_scales_every_gradient_by_theta_over_the_norm():
    """θ = 5 < ‖g‖ = 13: the one factor 5/13, dW → [15/13, 20/13], db → [60/13]."""
    r = rnnquiz.solve({"type": "clip", "gradients": GRADS, "norm": 5})
    assert lines(r)[2:] == [
        ("‖dW‖²", "Σ dW²", "{}² + {}²", (3.0, 4.0), "global norm", ""),
        ("‖db‖²", "Σ db²", "{}²", (12.0,), "global norm", ""),
        ("‖g‖", "sqrt(‖dW‖² + ‖db‖²)", "sqrt({} + {})", (25.0, 144.0), "global norm", NOTE),
        ("θ/‖g‖", "θ/‖g‖", "{}/{}", (5.0, 13.0), "clipped gradients",
         "‖g‖ > θ = 5: every gradient is scaled by this one factor"),
        ("clipped dW", "(θ/‖g‖)·dW", "{}·dW", (5 / 13,), "clipped gradients", ""),
        ("clipped db", "(θ/‖g‖)·db", "{}·db", (5 / 13,), "clipped gradients", "")]
    assert [s.value for s in r.steps[2:6]] == [25.0, 144.0, 13.0, 5 / 13]
    assert r.values["dW"][0] == pytest.approx([15 / 13, 20 / 13], rel=1e-15)
    assert r.values["db"] == pytest.approx([60 / 13], rel=1e-15)
    assert r.values["norm"] == 13.0
    assert r.notes == [TORCH]


def test_a_norm_within_theta_leaves_every_gradient_unchanged():
    r = rnnquiz.solve({"type": "clip", "gradients": GRADS, "norm": 20})
    (last,) = [s for s in r.steps if s.phase == "clipped gradients"]
    assert (last.symbol, last.value, last.equation, last.note) == (
        "θ/‖g‖", "no clipping", "min(1, θ/‖g‖) = 1", "‖g‖ = 13 ≤ θ = 20: every gradient is unchanged")
    assert r.values["clipped"] == {"dW": [[3.0, 4.0]], "db": [12.0]} and r.notes == []


def test_a_norm_equal_to_theta_is_not_clipped():
    """‖g‖ = 13 = θ: min(1, θ/‖g‖) = 1, nothing to say about PyTorch's 1e-6."""
    r = rnnquiz.solve({"type": "clip", "gradients": GRADS, "norm": 13})
    assert [s.value for s in r.steps if s.phase == "clipped gradients"] == ["no clipping"]
    assert r.notes == []


def test_value_clipping_sets_each_entry_beyond_theta_to_the_bound():
    """θ = 2: [3, -4] → [2, -2] (2 of 2 entries), [1] unchanged; norm asked: sqrt(26)."""
    r = rnnquiz.solve({"type": "clip", "gradients": {"dW": [[3, -4]], "db": [1]}, "value": 2,
                       "ask": {"quantity": "norm"}})
    assert lines(r)[-2:] == [
        ("clipped dW", "clip(dW, -θ, θ)", "clip(dW, -{}, {})", (2.0, 2.0), "clipped gradients",
         "2 of 2 entries beyond ±2 set to the bound"),
        ("clipped db", "clip(db, -θ, θ)", "clip(db, -{}, {})", (2.0, 2.0), "clipped gradients",
         "every entry within ±2: unchanged")]
    assert r.answer == math.sqrt(26) and r.values["dW"] == [[2.0, -2.0]]
    assert r.notes == []


def test_value_clipping_asks_no_norm_unless_it_is_asked():
    r = rnnquiz.solve({"type": "clip", "gradients": {"dW": [[3, -4]]}, "value": 2.5})
    assert [s.phase for s in r.steps] == ["given", "clipped gradients"]
    assert r.steps[-1].note == "2 of 2 entries beyond ±2.5 set to the bound"
    assert "norm" not in r.values and r.answer == [[2.5, -2.5]]


@pytest.mark.parametrize("g, theta, way", [(1e200, 5, "overflow"), (1e-200, 1e-300, "underflow"),
                                           (2e153, 1, "overflow"), (3e-160, 1e-170, "underflow")])
def test_squares_beyond_float64_are_taken_of_g_over_s(g, theta, way):
    """g = [g, g]: s = g, ‖g/s‖² = 1² + 1² = 2, ‖g‖ = s·sqrt(2); each clips to θ/√2."""
    r = rnnquiz.solve({"type": "clip", "gradients": {"g": [g, g]}, "norm": theta})
    assert lines(r)[1:4] == [
        ("s", "max |g|", "", (), "global norm", "the largest entry: the squares of these numbers "
         f"would {way} float64, so the gradients are divided by s first"),
        ("‖g/s‖²", "Σ (g/s)²", "{}² + {}²", (1.0, 1.0), "global norm", ""),
        ("‖g‖", "s·sqrt(‖g/s‖²)", "{}·sqrt({})", (g, 2.0), "global norm", NOTE)]
    assert [s.value for s in r.steps[1:3]] == [g, 2.0]
    assert r.steps[3].value == pytest.approx(math.sqrt(2) * g, rel=1e-15, abs=0)
    assert r.answer == pytest.approx([theta / math.sqrt(2)] * 2, rel=1e-15, abs=0)


def test_a_scaled_norm_lists_every_gradient_over_s():
    r = rnnquiz.solve({"type": "clip", "gradients": {"a": [4e200], "b": [3e200]}, "norm": 1,
                       "ask": {"quantity": "norm"}})
    (n,) = [s for s in r.steps if s.symbol == "‖g‖"]
    assert (n.equation, n.formula, n.operands) == ("s·sqrt(‖a/s‖² + ‖b/s‖²)", "{}·sqrt({} + {})",
                                                   (4e200, 1.0, 0.5625))
    assert r.answer == pytest.approx(5e200, rel=1e-15)


def test_a_theta_far_below_the_norm_clips_to_the_last_subnormal_digit():
    """θ/‖g‖ = 1e-320/5 is subnormal (its digits lost); θ·(g/‖g‖) = 1e-320·[3/5, 4/5] is
    the exact product rounded once: 1214 and 1619 units of 2^-1074."""
    r = rnnquiz.solve({"type": "clip", "gradients": {"g": [3, 4]}, "norm": 1e-320})
    assert r.answer == [float(Fraction(1e-320) * 3 / 5), float(Fraction(1e-320) * 4 / 5)]
    assert r.answer == [1214 * 2.0 ** -1074, 1619 * 2.0 ** -1074]


def test_a_norm_past_float64_is_refused_without_a_warning():
    """s·sqrt(2) with s = 1.7e308 overflows: an error naming it, no numpy RuntimeWarning."""
    doc = {"type": "clip", "gradients": {"g": [1.7e308, 1.7e308]}, "norm": 5,
           "ask": {"quantity": "norm"}}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(rnnquiz.ProblemError, match="overflows float64"):
            rnnquiz.solve(doc)


def own_norm(doc):
    return solve(from_dict(doc), steps=True, variants=frozenset({"own_norm"}))


def test_the_own_norm_slip_clips_each_gradient_by_its_own_norm():
    """dW's own norm 5 > θ = 1: [3/5, 4/5]; db's 12: [1]; c's 0.5 ≤ θ: unchanged."""
    r = own_norm({"type": "clip", "gradients": {**GRADS, "c": [0.5]}, "norm": 1})
    assert lines(r)[-3:] == [
        ("clipped dW", "min(1, θ/‖dW‖)·dW", "min(1, {}/{})·dW", (1.0, 5.0), "clipped gradients", ""),
        ("clipped db", "min(1, θ/‖db‖)·db", "min(1, {}/{})·db", (1.0, 12.0), "clipped gradients",
         ""),
        ("clipped c", "min(1, θ/‖c‖)·c", "min(1, {}/{})·c", (1.0, 0.5), "clipped gradients", "")]
    assert r.values["dW"][0] == pytest.approx([0.6, 0.8], rel=1e-15)
    assert r.values["db"] == [1.0] and r.values["c"] == [0.5]


def test_the_own_norm_slip_keeps_a_zero_gradient_and_a_tiny_theta():
    """A zero gradient has no θ/‖g‖ (0/0): it stays 0. θ/‖g‖ = 1e-320/1e300 is below float64,
    θ·(g/‖g‖) is not: [1e300] clips to [1e-320]."""
    r = own_norm({"type": "clip", "gradients": {"z": [0.0, 0.0], "g": [1e300]}, "norm": 1e-320})
    assert r.values["z"] == [0.0, 0.0] and r.values["g"] == [1e-320]


def test_the_own_norm_slip_clips_a_gradient_whose_norm_is_below_one():
    """θ = 0.5: a = [0.6, 0.8] (its norm 1) → [0.3, 0.4]; b = [0.3, 0.4] (0.5 = θ) unchanged."""
    r = own_norm({"type": "clip", "gradients": {"a": [0.6, 0.8], "b": [0.3, 0.4]}, "norm": 0.5})
    assert r.values["a"] == pytest.approx([0.3, 0.4], rel=1e-15) and r.values["b"] == [0.3, 0.4]


def test_the_own_norm_slip_keeps_a_tiny_entry_beside_a_huge_one():
    """θ/‖g‖ = 1e20/1e300 is normal, so it goes first: g/‖g‖ would make 1.2345678901234567e-20
    a subnormal 1.2e-320 and lose its digits. Clipped: [θ, θ·g_2/1e300] (exact fractions)."""
    g2 = 1.2345678901234567e-20
    r = own_norm({"type": "clip", "gradients": {"g": [1e300, g2]}, "norm": 1e20})
    assert r.values["g"] == pytest.approx(
        [1e20, float(Fraction(1e20) * Fraction(g2) / Fraction(1e300))], rel=1e-15, abs=0)


def test_the_own_norm_slip_with_a_subnormal_theta_over_the_norm():
    """θ/‖g‖ = 1e-320/5e300 is 0 in float64: θ·(g/‖g‖) = 1e-320·[0.6, 0.8] instead."""
    r = own_norm({"type": "clip", "gradients": {"g": [3e300, 4e300]}, "norm": 1e-320})
    assert r.values["g"] == pytest.approx([6e-321, 8e-321], rel=1e-3, abs=0)
