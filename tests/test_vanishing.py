"""`vanishing`: the verdict from the product of the Jacobians (SPEC 1.1).

References: numpy's matrix_power and explicit matrix products, and hand-worked factors.
"""

import math
import tracemalloc
from pathlib import Path

import numpy as np
import pytest

import rnnquiz
from rnnquiz.types import from_dict
from rnnquiz.types.vanishing.verdict import verdict
from rnnquiz.trace import Work

PROBLEMS = Path(__file__).resolve().parent.parent / "problems"


def linear(W, steps, **extra):
    """A linear vector RNN with `steps` factors (steps + 1 inputs)."""
    W = np.asarray(W, dtype=float)
    H = W.shape[0]
    doc = {"type": "vanishing", "inputs": [[1.0]] + [[0.0]] * steps,
           "network": {"hidden": "linear", "W_hh": W.tolist(), "W_xh": [[1.0]] * H}, **extra}
    return doc


def step(r, symbol):
    return next(s for s in r.steps if s.symbol == symbol)


@pytest.mark.parametrize("W, steps, word", [
    ([[0.5, 2], [0, 0.5]], 20, "vanishing"),     # issue 14: ‖W‖ = 2.118, ‖W^20‖ = 7.6e-5
    ([[0.9, 0.3], [0, 0.9]], 30, "vanishing"),   # the shear: ‖W‖ = 1.062, ‖W^30‖ = 0.43
])
def test_non_normal_matrices_vanish_although_each_step_norm_exceeds_1(W, steps, word):
    r = rnnquiz.solve(linear(W, steps))
    assert r.answer == word
    g = np.linalg.norm(np.linalg.matrix_power(np.array(W), steps), 2) ** (1 / steps)
    assert r.values["g"] == pytest.approx(g, rel=1e-12)
    per_step = step(r, "‖dz_1/dz_0‖").value
    assert per_step == pytest.approx(np.linalg.norm(W, 2), rel=1e-12) and per_step > 1
    assert step(r, "g_step").value == pytest.approx(per_step, rel=1e-12)
    assert "not normal" in step(r, "why they differ").note
    assert r.extra["per_step_geometric_mean"] > 1 > r.extra["geometric_mean"]


def test_the_shear_over_20_steps_is_within_the_default_tolerance():
    # ‖W^20‖^(1/20) = 0.99063: 0.0094 from 1, inside 0.01; a tighter tolerance says vanishing
    W = [[0.9, 0.3], [0, 0.9]]
    assert rnnquiz.solve(linear(W, 20)).answer == "neither"
    assert rnnquiz.solve(linear(W, 20, tolerance=0.001)).answer == "vanishing"


@pytest.mark.parametrize("steps_wanted", [True, False])
def test_2I_over_1100_steps_explodes_without_overflowing(steps_wanted):
    r = rnnquiz.solve(linear(2 * np.eye(2), 1100), steps=steps_wanted)
    assert r.answer == "exploding"
    assert r.values["g"] == pytest.approx(2.0, rel=1e-15)
    last = r.values["product"][-1]            # 2^1100 is beyond float64: written as text
    assert isinstance(last, str) and last.startswith("1.35") and last.endswith("e+331")


def test_verdict_consumes_an_iterable_once_and_keeps_no_matrix():
    p = from_dict(linear(np.eye(2), 60))
    rng = np.random.default_rng(1)
    Q = np.linalg.qr(rng.normal(size=(200, 200)))[0]   # orthogonal: every factor has norm 0.9

    def factors():
        for _ in range(60):
            yield 0.9 * Q

    labels = [f"J_{t}" for t in range(60)]
    tracemalloc.start()
    out = verdict(p, Work(record=True), factors(), labels)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert out.values["verdict"] == "vanishing"
    assert out.values["g"] == pytest.approx(0.9, rel=1e-12)
    assert peak < 8 * 2 ** 20            # 60 matrices of 200x200 kept would be 19 MB


def test_lists_and_iterables_give_the_same_working():
    p = from_dict(linear([[0.5, 2], [0, 0.5]], 6))
    rng = np.random.default_rng(2)
    jac = [rng.normal(size=(2, 2)) for _ in range(6)]
    labels = [f"dz_{t + 1}/dz_{t}" for t in range(6)]
    a, b = Work(), Work()
    va, vb = verdict(p, a, jac, labels).values, verdict(p, b, iter(jac), labels).values
    assert va == vb
    assert [s.value for s in a.steps] == [s.value for s in b.steps]


def test_hand_worked_scalar_geometric_mean():
    # Hinton's problem 5: z_0 = 1, z_t = 2 h_{t-1}; factors 2·σ'(z_t) for t = 0, 1, 2
    sigma = lambda z: 1 / (1 + math.exp(-z))   # noqa: E731
    z, factors = 1.0, []
    for _ in range(3):
        h = sigma(z)
        factors.append(2 * h * (1 - h))
        z = 2 * h
    (p,) = rnnquiz.load(PROBLEMS / "hinton_p5.yaml")
    r = rnnquiz.solve(p)
    g = (factors[0] * factors[1] * factors[2]) ** (1 / 3)
    assert r.values["g"] == pytest.approx(g, rel=1e-12)
    assert round(g, 5) == 0.32092
    assert step(r, "bound").value == 0.5             # σ' <= 1/4: |W_hh|/4 = 2/4
    assert r.values["product"] == pytest.approx(
        [factors[0], factors[0] * factors[1], factors[0] * factors[1] * factors[2]], rel=1e-12)


def test_signed_scalar_factors_and_a_zero_factor():
    p = from_dict({"type": "vanishing", "inputs": [1, 0, 0, 0], "network": {"W_hh": 1}})
    out = verdict(p, Work(), [np.array([[0.5]]), np.array([[-2.0]]), np.array([[4.0]])],
                  ["a", "b", "c"])
    assert out.values["g"] == pytest.approx(4 ** (1 / 3), rel=1e-12)   # |0.5·(-2)·4|^(1/3)
    assert out.values["product"] == pytest.approx([0.5, -1.0, -4.0])
    assert out.values["verdict"] == "exploding"
    out = verdict(p, Work(), [np.array([[3.0]]), np.array([[0.0]]), np.array([[3.0]])],
                  ["a", "b", "c"])
    assert out.values["g"] == 0.0 and out.values["verdict"] == "vanishing"


def test_against_numpy_matrix_power_with_from_and_to():
    rng = np.random.default_rng(3)
    W = rng.normal(size=(4, 4)) * 0.6
    r = rnnquiz.solve(linear(W, 12))
    assert r.values["g"] == pytest.approx(
        np.linalg.norm(np.linalg.matrix_power(W, 12), 2) ** (1 / 12), rel=1e-10)
    r = rnnquiz.solve(linear(W, 12, ask={"from": 3, "to": 10}))
    assert r.extra["span"] == [3, 10]
    assert r.values["g"] == pytest.approx(
        np.linalg.norm(np.linalg.matrix_power(W, 7), 2) ** (1 / 7), rel=1e-10)


def test_the_product_is_taken_in_order():
    # J_2 J_1 J_0, not J_0 J_1 J_2: for these matrices the two orders differ by far
    p = from_dict(linear(np.eye(2), 3))
    J = [np.array([[0.0, 3.0], [0.0, 0.1]]), np.array([[0.1, 0.0], [3.0, 0.0]]),
         np.array([[1.0, 0.0], [0.0, 0.01]])]
    out = verdict(p, Work(), J, ["a", "b", "c"])
    right = np.linalg.norm(J[2] @ J[1] @ J[0], 2)
    wrong = np.linalg.norm(J[0] @ J[1] @ J[2], 2)
    assert abs(right - wrong) > 1            # 0.313 against 9.005
    assert out.values["product"][-1] == pytest.approx(right, rel=1e-12)


@pytest.mark.parametrize("ask, key", [({"from": 2, "to": 2}, "from"), ({"to": 9}, "to"),
                                      ({"from": 5}, "from")])
def test_bad_spans_are_named(ask, key):
    with pytest.raises(rnnquiz.ProblemError, match=f"ask.{key}"):
        rnnquiz.solve(linear(np.eye(2), 4, ask=ask))


def test_tanh_bound_is_the_norm_of_W_hh():
    doc = linear([[0.5, 2], [0, 0.5]], 5)
    doc["network"]["hidden"] = "tanh"
    r = rnnquiz.solve(doc)
    assert step(r, "bound").value == pytest.approx(np.linalg.norm([[0.5, 2], [0, 0.5]], 2))


def test_every_bundled_problem_keeps_its_published_answer():
    solved = 0
    for path in sorted(PROBLEMS.glob("*.yaml")):
        for p in rnnquiz.load(path):
            r = rnnquiz.solve(p)
            if p.answer is not None:
                assert r.agrees, path.name
                solved += 1
    assert solved >= 25


def test_from_and_to_are_steps_in_the_notations_numbering():
    """SPEC 1.5: ask.from and ask.to number steps as the notation does (from 1 in
    deeplearning.ai), so the same span gives the same g in Hinton's numbering shifted by one."""
    dlai = {"type": "vanishing", "notation": "deeplearning_ai", "inputs": [1, 2, 3, 4],
            "network": {"Waa": 0.5, "Wax": 1}, "ask": {"from": 2, "to": 4}}
    hinton = {"type": "vanishing", "inputs": [1, 2, 3, 4],
              "network": {"W_hh": 0.5, "W_xh": 1, "hidden": "tanh"}, "ask": {"from": 1, "to": 3}}
    assert rnnquiz.solve(dlai).extra["geometric_mean"] == \
        pytest.approx(rnnquiz.solve(hinton).extra["geometric_mean"], rel=1e-15)
    with pytest.raises(rnnquiz.ProblemError, match=r"ask.from: expected steps 1 <= from < to <= 4"):
        rnnquiz.solve({**dlai, "ask": {"from": 0, "to": 2}})
