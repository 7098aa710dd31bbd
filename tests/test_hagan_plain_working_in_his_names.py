"""A Hagan network of plain weights (notation: hagan, iw and lw as numbers: the simple RNN's
path) writes its loss and gradients in Hagan's names, as the tapped-delay-line working does
(Neural Network Design, ch. 14: e(t) = t(t) - a(t), F = Σ_t e(t)ᵀe(t), dF/da(t) = -2e(t) + ...),
never E, y_t, target_t or dE/d…. The numbers are worked by hand."""

from __future__ import annotations

import pytest

import rnnquiz

# a(t) = lw a(t-1) + iw p(t), iw = 0.5, lw = 0.2, a(0) = 0, p = 1, -1, 2, t = 0.5, 0, 1. By hand:
#   a = 0.5, -0.4, 0.92      e = t - a = 0, 0.4, 0.08      F = 0.16 + 0.0064 = 0.1664
#   dF/da(3) = -2e(3) = -0.16      dF/da(2) = -2e(2) + lw·dF/dn(3) = -0.8 - 0.032 = -0.832
#   dF/da(1) = -2e(1) + lw·dF/dn(2) = -0.1664
#   dF/dlw = Σ dF/dn(t) a(t-1) = -0.832·0.5 + (-0.16)·(-0.4) = -0.352
PLAIN = {"type": "backprop", "notation": "hagan", "inputs": [1, -1, 2],
         "targets": [0.5, 0, 1], "network": {"iw": 0.5, "lw": 0.2, "a_init": 0}}


def _steps(doc, quantity="dF/dlw"):
    return {s.symbol: s for s in rnnquiz.solve({**doc, "ask": {"quantity": quantity}}).steps}


def test_the_loss_and_gradients_are_written_as_hagan_writes_them():
    steps = _steps(PLAIN)
    assert [steps[f"e({t})"].value for t in (1, 2, 3)] == \
        [pytest.approx(0.0, abs=1e-12), pytest.approx(0.4), pytest.approx(0.08)]
    assert steps["e(2)"].equation == "t(2) - a(2)"
    assert steps["F"].equation == "Σ_t e(t)ᵀe(t)"
    assert steps["F"].value == pytest.approx(0.1664, abs=1e-12)
    assert steps["dF/da(3)"].equation == "-2e(3)"
    assert steps["dF/da(3)"].value == pytest.approx(-0.16, abs=1e-12)
    assert steps["dF/da(2)"].equation == "-2e(2) + lw·dF/dn(3)"
    assert steps["dF/da(2)"].value == pytest.approx(-0.832, abs=1e-12)
    assert steps["dF/dlw"].value == pytest.approx(-0.352, abs=1e-12)
    for s in steps.values():
        text = " ".join((s.symbol, s.equation, s.note))
        assert "dE/" not in text and "target" not in text and "y_" not in text, text
        assert s.symbol != "E"


def test_the_same_rows_as_the_delay_line_working_of_the_same_network():
    """iw = {0: 0.5}, lw = {1: 0.2} is the same network on the LDDN's path (cells/lddn.py):
    its loss rows and its dF/da(t) are the plain network's, symbol for symbol."""
    delays = {**PLAIN, "network": {"iw": {0: 0.5}, "lw": {1: 0.2}, "a_init": 0}}
    plain, lddn = _steps(PLAIN), _steps(delays)
    for sym in ("e(1)", "e(2)", "e(3)", "F", "dF/da(3)", "dF/dn(3)", "dF/da(1)"):
        assert plain[sym].value == pytest.approx(lddn[sym].value, abs=1e-12), sym
    for sym in ("e(2)", "F", "dF/da(3)"):
        assert plain[sym].equation == lddn[sym].equation, sym


def test_the_answers_are_unchanged_by_the_names():
    for steps in (True, False):
        def solve(q, steps=steps):
            return rnnquiz.solve({**PLAIN, "ask": {"quantity": q}}, steps=steps).answer
        assert solve("dF/dlw") == pytest.approx(-0.352, abs=1e-12)
        assert solve("dE/dlw") == pytest.approx(-0.352, abs=1e-12)
        assert solve("F") == pytest.approx(0.1664, abs=1e-12)
        assert solve("E") == pytest.approx(0.1664, abs=1e-12)
        assert solve("dE/dy") == pytest.approx([0.0, -0.8, -0.16], abs=1e-12)


def test_the_squared_loss_halves_f_and_its_sensitivity():
    steps = _steps({**PLAIN, "loss": "squared"})
    assert steps["F"].equation == "1/2 Σ_t e(t)ᵀe(t)"
    assert steps["F"].value == pytest.approx(0.0832, abs=1e-12)
    assert steps["dF/da(3)"].equation == "-e(3)"
    assert steps["dF/da(3)"].value == pytest.approx(-0.08, abs=1e-12)


def test_a_stack_of_plain_layers_writes_the_top_layers_error():
    doc = {**PLAIN, "network": [{"iw": 1.0, "lw": 0.0}, {"iw": 0.5, "lw": 0.2}]}
    steps = _steps(doc, "dF/diw")
    assert steps["e(3)"].equation == "t(3) - a^(2)(3)"
    assert steps["e(3)"].value == pytest.approx(0.08, abs=1e-12)   # layer 1 passes p through
    assert steps["F"].value == pytest.approx(0.1664, abs=1e-12)
    assert not [s.symbol for s in steps.values() if "dE/" in s.symbol + s.equation]


def test_rtrl_writes_the_same_names():
    """method: rtrl: ∂F/∂a(t) = -2e(t) through the output,
    dF/dlw = Σ_t ∂F/∂a(t)·da(t)/dlw = 0·0 + (-0.8)·0.5 + (-0.16)·(-0.3) = -0.352
    (da(t)/dlw = 0, 0.5, -0.3 by hand)."""
    steps = _steps({**PLAIN, "method": "rtrl"})
    assert steps["∂F/∂a(2)"].equation == "-2e(2)"
    assert steps["∂F/∂a(2)"].value == pytest.approx(-0.8, abs=1e-12)
    assert steps["dF/dlw"].value == pytest.approx(-0.352, abs=1e-12)
    assert not [s.symbol for s in steps.values()
                if "E/" in s.symbol + s.equation or s.symbol == "E"]
