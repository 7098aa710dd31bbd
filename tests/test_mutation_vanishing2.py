"""`vanishing` (rnnquiz/solvers/vanishing.py), the whole module: steps numbered from 1, the
spectral norm of Jacobians above 64 units, the compensated sum of the logs, values beyond
float64 written as text, the tolerance's edge, and `verdict` given factors directly. Every
expected value is worked here: numpy's SVD, exact rational products, plain math."""

from __future__ import annotations

import math

import numpy as np
import pytest

import rnnquiz
from rnnquiz.problem import from_dict
from rnnquiz.solvers.vanishing import _exp, verdict
from rnnquiz.trace import Work


def scalar_doc(W_hh, T, hidden="linear", **extra):
    """Inputs all 0: every z_t = 0, so each factor is W_hh·hidden'(0)."""
    return {"type": "vanishing", "inputs": [0.0] * T,
            "network": {"hidden": hidden, "W_xh": 1.0, "W_hh": W_hh}, **extra}


def test_steps_numbered_from_1_name_the_slopes_jacobians_and_norms():
    """deeplearning_ai counts from 1: tanh'(z<1>), dz<2>/dz<1> and its norm at step 1."""
    dlai_from_1_to_3()


def dlai_from_1_to_3():
    Waa = np.array([[0.5, 0.2], [0.1, 0.3]])
    Wax = np.array([0.5, 1.0])
    xs = [1.0, 0.5, -1.0]
    r = rnnquiz.solve({"type": "vanishing", "notation": "deeplearning_ai",
                       "inputs": [[x] for x in xs],
                       "network": {"Wax": Wax[:, None].tolist(), "Waa": Waa.tolist(),
                                   "hidden": "tanh"}, "ask": {"from": 1, "to": 3}})
    a, J = np.zeros(2), []
    for x in xs:
        a = np.tanh(Wax * x + Waa @ a)
        J.append(Waa * (1 - a ** 2)[None, :])
    lines = [(s.symbol, s.t) for s in r.steps if s.phase == "factor"]
    assert lines == [("tanh'(z<1>)", 1), ("dz<2>/dz<1>", 1), ("‖dz<2>/dz<1>‖", 1),
                     ("‖dz<2>/dz<1>‖", 1),
                     ("tanh'(z<2>)", 2), ("dz<3>/dz<2>", 2), ("‖dz<3>/dz<2>‖", 2),
                     ("‖dz<3>/dz<1>‖", 2)]
    jac = [s for s in r.steps if s.symbol == "dz<3>/dz<2>"][0]
    np.testing.assert_allclose(jac.value, J[1], rtol=1e-14)
    g = np.linalg.norm(J[1] @ J[0], 2) ** 0.5
    assert r.values["g"] == pytest.approx(g, rel=1e-13)
    (g_step,) = [s for s in r.steps if s.symbol == "g_step"]
    assert g_step.equation == "(‖dz<2>/dz<1>‖·‖dz<3>/dz<2>‖)^(1/2)"
    return r


def test_the_span_in_the_notes_is_numbered_as_the_notation_numbers_steps():
    """ask from 1 to 3 in deeplearning_ai's numbering is not "from step 0 to step 2"."""
    r = dlai_from_1_to_3()
    (g_step,) = [s for s in r.steps if s.symbol == "g_step"]
    assert g_step.note.startswith("the geometric mean of the per-step norms from step 1 to "
                                  "step 3: ")
    (g_line,) = [s for s in r.steps if s.symbol == "g"]
    assert g_line.note.startswith("the n-th root of the product's norm, from step 1 to step 3;")


def test_a_span_from_step_1_writes_two_norms_under_the_square_root():
    W = np.array([[0.5, 0.2], [0.1, 0.3]])
    r = rnnquiz.solve({"type": "vanishing", "inputs": [[1.0]] + [[0.0]] * 3,
                       "network": {"hidden": "linear", "W_hh": W.tolist(),
                                   "W_xh": [[1.0], [1.0]]}, "ask": {"from": 1, "to": 3}})
    (g_step,) = [s for s in r.steps if s.symbol == "g_step"]
    assert g_step.equation == "(‖dz_2/dz_1‖·‖dz_3/dz_2‖)^(1/2)"
    assert g_step.value == pytest.approx(np.linalg.norm(W, 2), rel=1e-13)
    first = [s for s in r.steps if s.symbol == "‖dz_2/dz_1‖" and s.note.startswith("the running")]
    assert [s.equation for s in first] == ["‖dz_2/dz_1‖₂"]
    assert r.values["g"] == pytest.approx(np.linalg.norm(W @ W, 2) ** 0.5, rel=1e-13)


@pytest.mark.parametrize("scale", [0.4, 3.0])
def test_65_units_take_the_largest_singular_value(scale):
    """Above 64 units the norm comes from the eigenvalues of MᵀM: the largest, and below 1
    when it is below 1. Reference: numpy's SVD of W_hh and of W_hh²."""
    rng = np.random.default_rng(5)
    W = rng.normal(size=(65, 65))
    W *= scale / np.linalg.norm(W, 2)
    r = rnnquiz.solve({"type": "vanishing", "inputs": [[1.0], [0.0], [0.0]],
                       "network": {"hidden": "tanh", "W_hh": W.tolist(),
                                   "W_xh": [[0.0]] * 65}})
    # inputs and W_xh 0: every z is 0, tanh'(0) = 1, each factor is W_hh itself
    assert r.values["g"] == pytest.approx(np.linalg.norm(W @ W, 2) ** 0.5, rel=1e-12)
    assert r.values["factors"] == pytest.approx([scale, scale], rel=1e-12)
    (bound,) = [s for s in r.steps if s.symbol == "bound"]
    assert bound.value == pytest.approx(scale, rel=1e-12)


def test_the_bound_of_a_scalar_w_hh_is_its_magnitude_exactly():
    """|W_hh| itself, to the last bit (an SVD of 1e-300 gives 9.999999999999999e-301)."""
    r = rnnquiz.solve(scalar_doc(-1e-300, 3, hidden="tanh"))
    (bound,) = [s for s in r.steps if s.symbol == "bound"]
    assert bound.value == 1e-300


def test_a_bound_of_exactly_1_is_not_below_1():
    r = rnnquiz.solve(scalar_doc(1.0, 3, hidden="tanh"))
    (bound,) = [s for s in r.steps if s.symbol == "bound"]
    assert bound.value == 1.0
    assert bound.note == "tanh'(z) = 1 - tanh(z)² ≤ 1, so no factor exceeds |W_hh|"


def test_g_exactly_1_with_tolerance_0_is_neither():
    """|g - 1| = 0 <= 0: neither, and the note says so."""
    r = rnnquiz.solve(scalar_doc(1.0, 3, tolerance=0))
    assert r.answer == "neither" and r.values["g"] == 1.0
    (g,) = [s for s in r.steps if s.symbol == "g"]
    assert g.note.endswith("; |g - 1| <= tolerance 0.0: neither")
    assert r.extra["tolerance"] == 0.0


def test_negative_products_beyond_float64_keep_their_sign():
    """W_hh = -1e200, linear: the products are -1e200, 1e400, -1e600; the last two are text,
    with the factors past e^700."""
    r = rnnquiz.solve(scalar_doc(-1e200, 4))
    p = r.values["product"]
    assert p[0] == pytest.approx(-1e200, rel=1e-13)
    assert p[1:] == ["1e+400", "-1e+600"]
    assert r.extra["factors"] == pytest.approx([1e200] * 3, rel=1e-13)
    assert r.extra["tolerance"] == 0.01
    r = rnnquiz.solve(scalar_doc(1e300, 3, tolerance=0.5))
    assert r.values["factors"] == pytest.approx([1e300, 1e300], rel=1e-12)
    # ‖[[a, a], [b, b]]‖ = √2·a for a = 1e308: text past e^700, null in the data (JSON has
    # no such number)
    big = {"type": "vanishing", "inputs": [[0.0]] * 3,
           "network": {"hidden": "linear", "W_xh": [[1.0], [1.0]],
                       "W_hh": [[1e308, 1e308], [1e-300, 1e-300]]}, "ask": {"to": 1}}
    r = rnnquiz.solve(big)
    assert r.values["factors"] == ["1.41421e+308"] * 2 and r.extra["factors"] == [None, None]
    assert r.values["g"] == pytest.approx(math.sqrt(2) * 1e308, rel=1e-12)


def test_a_g_beyond_float64_is_an_error_not_a_traceback():
    """‖[[a, a], [a, a]]‖ = 2a = 2e308: g itself is beyond float64."""
    big = {"type": "vanishing", "inputs": [[0.0]] * 3,
           "network": {"hidden": "linear", "W_xh": [[1.0], [1.0]],
                       "W_hh": [[1e308, 1e308], [1e308, 1e308]]}, "ask": {"to": 1}}
    with pytest.raises(rnnquiz.ProblemError, match=r"g overflows float64: the factors from "
                                                   r"step 0 to step 1 have norms beyond"):
        rnnquiz.solve(big)


def test_a_power_of_ten_beyond_float64_is_written_1e_not_10e():
    """10^1000 after 1000 factors of 10 (its log a hair below 1000·ln 10) reads 1e+1000."""
    r = rnnquiz.solve(scalar_doc(10.0, 1001), steps=False)
    assert r.values["product"][-1] == "1e+1000"
    assert _exp(-4096 * math.log(10), -1.0) == "-1e-4096"


@pytest.mark.parametrize("log", [699.5, -699.5, 700.0, 700.5, -700.0])
def test_values_from_e_to_the_700_on_are_text(log):
    """Below e^700 a float; from there on text with 6 digits, as Python writes e^log."""
    got = _exp(log)
    if abs(log) < 700:
        assert got == math.exp(log)
    else:
        assert got == f"{math.exp(log):.6g}"


@pytest.mark.parametrize("fs", [[1e13, 1.01e-13] * 500, [1.1] * 1000 + [1e-90] + [1.1] * 10])
def test_the_product_is_e_to_the_exact_sum_of_the_logs(fs):
    """The running log-norm is a compensated sum: after a thousand factors it is the
    correctly rounded sum of their logs (math.fsum), also where a log larger than the sum
    so far is added (e^30 after e^-30, 1e-90 after 1.1^1000)."""
    out = verdict(from_dict(scalar_doc(1.0, len(fs) + 1)), Work(record=False),
                  [np.array([[f]]) for f in fs], [f"J_{t}" for t in range(len(fs))])
    log = math.fsum(math.log(f) for f in fs)
    assert out.values["product"][-1] == pytest.approx(math.exp(log), rel=1e-14)
    assert out.values["g"] == pytest.approx(math.exp(log / len(fs)), rel=1e-15)


def test_verdict_takes_plain_numbers_and_a_list_of_its_own_length():
    """Factors given as numbers are 1x1 Jacobians; a list fixes the span by its length,
    here 2 factors for a 4-step problem."""
    p = from_dict(scalar_doc(1.0, 4))
    out = verdict(p, Work(), [0.5, -4.0], ["a", "b"])
    assert out.values["product"] == [0.5, -2.0]
    assert out.values["g"] == pytest.approx(math.sqrt(2), rel=1e-15)
    assert out.extra["span"] == [0, 2]


def test_an_iterable_shorter_than_the_steps_is_named():
    p = from_dict(scalar_doc(1.0, 4))     # 3 factors expected
    with pytest.raises(rnnquiz.ProblemError) as e:
        verdict(p, Work(), iter([np.array([[0.5]])]), ["a", "b", "c"])
    assert e.value.path == "ask.to" and e.value.reason == "expected 3 factors, got 1"


def test_a_factor_that_overflows_names_the_file(tmp_path):
    f = tmp_path / "boom.yaml"
    f.write_text("type: vanishing\ninputs: [1, 0, 0]\n"
                 "network: {hidden: linear, W_xh: 1, W_yh: 1.0e+200, W_hy: 1.0e+200}\n")
    (p,) = rnnquiz.load(f)
    with pytest.raises(rnnquiz.ProblemError) as e:
        rnnquiz.solve(p)
    assert e.value.file == str(f) and str(e.value).startswith(f"{f}: the factor dz_1/dz_0")
