"""The courses' rounding modes (SPEC 1.4), with hand-worked values."""

import math
from pathlib import Path

import pytest

import rnnquiz
from rnnquiz.trace.rounding import Rounding, round_half_even

PROBLEMS = Path(__file__).resolve().parent.parent / "problems"

P3 = {"type": "forward", "inputs": [9, 4, -2],
      "network": {"W_xh": 0.5, "W_hh": -1.0, "W_hy": -0.7, "b_h": -1.0},
      "ask": {"quantity": "y", "t": 1}}


def sig(x):
    return 1 / (1 + math.exp(-x))


def test_k_decimals_round_every_named_quantity():
    # z_0 = 3.5; h_0 = σ(3.5) = 0.9707 -> 0.97; z_1 = 2 - 0.97 - 1 = 0.03;
    # h_1 = σ(0.03) = 0.5075 -> 0.51; y_1 = -0.7·0.51 = -0.357 -> -0.36
    r = rnnquiz.solve({**P3, "round": 2})
    assert r.answer == -0.36
    steps = {s.symbol: s for s in r.steps}
    assert steps["h_0"].value == 0.97 and steps["h_0"].raw == pytest.approx(sig(3.5))
    assert steps["z_1"].value == pytest.approx(0.03)
    # the working sets each rounded step beside exact arithmetic
    assert steps["y_1"].exact == pytest.approx(-0.7 * sig(2 - sig(3.5) - 1))


def test_none_is_exact():
    r = rnnquiz.solve({**P3, "round": "none"})
    assert r.answer == pytest.approx(-0.7 * sig(2 - sig(3.5) - 1), rel=1e-15)
    assert all(s.raw is None and s.exact is None for s in r.steps)


def test_state_rounds_h_not_z():
    r = rnnquiz.solve({**P3, "round": "state"})
    steps = {s.symbol: s for s in r.steps}
    assert steps["h_0"].value == 1.0            # σ(3.5) = 0.97 -> 1
    assert steps["z_1"].value == pytest.approx(2 - 1 - 1)   # computed from the rounded h_0
    assert steps["z_0"].raw is None              # pre-activations are not rounded
    assert r.answer == pytest.approx(-0.7 * 0.0)  # h_1 = σ(0) = 0.5 -> 0 (a tie, to even)
    assert steps["h_1"].tie


def test_activations_round_sigmoid_and_tanh_only():
    r = rnnquiz.solve({**P3, "round": "activations", "network": {**P3["network"],
                                                                  "hidden": "tanh"}})
    steps = {s.symbol: s for s in r.steps}
    assert steps["h_0"].value == 1.0 and steps["z_1"].value == pytest.approx(2 - 1 - 1)
    assert steps["y_0"].value == pytest.approx(-0.7)   # a linear output is never rounded


@pytest.mark.parametrize("v, k, out, tie", [
    (0.5, 0, 0.0, True), (1.5, 0, 2.0, True), (2.5, 0, 2.0, True), (-0.5, 0, 0.0, True),
    (0.125, 2, 0.12, True), (0.7616, 0, 1.0, False), (-0.38, 0, 0.0, False),
])
def test_ties_go_to_even(v, k, out, tie):
    got, was_tie = round_half_even(v, k)
    assert got == out and was_tie is tie
    assert math.copysign(1, got) == 1 or got != 0     # never -0.0


def test_mit_lstm_calculation_rounds_activations():
    (p,) = rnnquiz.load(str(PROBLEMS / "mit_lstm_calculation.yaml"))
    r = rnnquiz.solve(p)
    steps = {s.symbol: s for s in r.steps}
    # f = σ(1·1 + 1·5) = σ(6) -> 1; c = 1·1 + 1·tanh(6)->1 = 2; h = 1·tanh(2) -> 1
    assert steps["f_0"].value == 1 and steps["g_0"].value == 1
    assert steps["c_0"].value == 2 and steps["tanh(c_0)"].value == 1
    assert r.answer == 1


def test_lstm_defaults_to_exact_and_state_rounding_is_asked_for():
    (p,) = rnnquiz.load(PROBLEMS / "mit_lstm_states_1.yaml")
    doc = dict(p.data)
    doc.pop("round")
    doc.pop("answer")
    exact = rnnquiz.solve(doc).answer
    assert exact[2] == pytest.approx(math.tanh(1.0) * sig(100), rel=1e-9)
    assert rnnquiz.solve({**doc, "round": "state"}).answer == [0, 0, 1, -1, 1, 0]


def test_rounding_describe_names_the_mode():
    assert "2 decimals" in Rounding(2).describe()
    assert Rounding("none").exact
