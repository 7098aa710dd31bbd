"""The working of the CTC core (rnnquiz/types/ctc/working.py): the quantities by SPEC 1.12's names,
and the steps with their numbers substituted, against values worked by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest

from rnnquiz.types.ctc.working import CTCDetail, work
from rnnquiz.trace import Work

Y = np.array([[0.5, 0.3, 0.2], [0.4, 0.4, 0.2], [0.3, 0.2, 0.5], [0.6, 0.1, 0.3]])
P = 0.3066       # α_4(5) + α_4(4) = 0.1608 + 0.1458, worked by hand


def solve(**kw):
    w = Work()
    values, default, per_step = work(CTCDetail(**{"symbols": ["a", "b"], **kw}), w)
    return values, default, per_step, w.steps


def step(steps, symbol):
    (s,) = [s for s in steps if s.symbol == symbol]
    return s


def test_the_spec_example_step_by_step():
    values, default, per_step, steps = solve(probabilities=Y, target=["a", "b"])
    assert default == "loss" and "alpha" in per_step and "dE/du" in per_step
    assert values["extended"] == "-a-b-" and values["skip_connect"] == [0, 0, 0, 1, 0]
    assert values["probability"] == pytest.approx(P, rel=1e-12)
    assert values["loss"] == pytest.approx(-math.log(P), rel=1e-12)
    a22 = step(steps, "α_2(2)")
    assert (a22.equation, a22.formula, a22.operands) == (
        "(α_1(2) + α_1(1))·y_2(a)", "({} + {})·{}", (0.3, 0.5, 0.4))
    assert a22.value == pytest.approx(0.32)
    a24 = step(steps, "α_2(4)")      # the skip from a into b
    assert a24.equation == "(α_1(4) + α_1(3) + α_1(2))·y_2(b)" and a24.value == pytest.approx(0.06)
    b34 = step(steps, "β_3(4)")      # Graves: β includes y_3(b)
    assert b34.operands == pytest.approx((0.3, 0.6, 0.5)) and b34.value == pytest.approx(0.45)
    p = step(steps, "p(z|x)")
    assert p.operands == pytest.approx((0.1608, 0.1458))
    g = step(steps, "γ_3(4)")        # 0.25·0.45/(0.5·0.3066)
    assert g.value == pytest.approx(0.25 * 0.45 / (0.5 * P))
    np.testing.assert_allclose(np.asarray(values["gamma"]).sum(axis=1), 1)
    assert step(steps, "dE/dy_1(b)").value == 0.0 and step(steps, "dE/du_1(b)").value == 0.2


def test_the_gradients_agree_with_torch():
    torch = pytest.importorskip("torch")
    values = solve(probabilities=Y, target=["a", "b"], reduction="mean")[0]
    u = torch.tensor(np.log(Y), requires_grad=True)
    E = torch.nn.functional.ctc_loss(torch.log_softmax(u, 1)[:, None, :], torch.tensor([[1, 2]]),
                                     [4], [2], reduction="mean")
    E.backward()
    assert values["loss"] == pytest.approx(float(E.detach()), rel=1e-12)
    np.testing.assert_allclose(values["dE/du"], u.grad.numpy(), atol=1e-14)


def test_cmu11785_numbers_from_0_and_its_beta_leaves_out_y():
    values, _, _, steps = solve(probabilities=Y, target=["a", "b"], notation="cmu11785")
    assert step(steps, "α_0(0)").value == 0.5
    assert step(steps, "β_3(4)").equation == "1"
    b23 = step(steps, "β_2(3)")      # β̂_2(3) = β̂_3(3) y_3(b) + β̂_3(4) y_3(-) = 1·0.3 + 1·0.6
    assert b23.formula == "{}·{} + {}·{}" and b23.value == pytest.approx(0.9)
    np.testing.assert_allclose(values["beta"][-1], [0, 0, 0, 1, 1])
    assert step(steps, "γ_3(4)").formula == "{}·{}/{}"


def test_the_decoders_on_graves_example():
    y = np.array([[0.6, 0.4], [0.6, 0.4]])
    values, default, _, steps = solve(symbols=["a"], probabilities=y, method="greedy")
    assert default == "sequence"
    assert (values["path"], values["sequence"], values["probability"]) == ("--", "", 0.36)
    values = solve(symbols=["a"], probabilities=y, method="beam", beam=2)[0]
    assert values["sequence"] == "a" and values["probability"] == pytest.approx(0.64)
    values, default, _, _ = solve(symbols=["a"], probabilities=y, sequence=["a"])
    assert default == "probability" and values["probability"] == pytest.approx(0.64)


def test_collapse_a_path():
    values, default, _, steps = solve(symbols=list("cokb"), blank="_",
                                      path=list("c_oo_o_kk___b_ooooo__oo__kkk"))
    assert default == "collapse" and values["collapse"] == "cookbook"
    assert step(steps, "merge repeats").value == "c_o_o_k_b_o_o_k"


def test_symbols_of_several_characters_come_back_as_lists():
    values = solve(symbols=["sil", "ah"], probabilities=Y, target=["ah", "sil"])[0]
    assert values["extended"] == ["-", "ah", "-", "sil", "-"]


def test_a_long_input_is_shown_by_its_first_and_last_frames():
    rng = np.random.default_rng(0)
    T = 1000
    u = rng.normal(0, 1, (T, 3))
    values, _, _, steps = solve(logits=u, target=list("ab" * 50))
    assert np.shape(values["gamma"]) == (T, 201) and np.shape(values["dE/du"]) == (T, 3)
    assert len(steps) < 60
    assert [s.t for s in steps if s.symbol.startswith("ln α_")] == [1, 2, 3, 999, 1000]
    assert values["_underflow"] == ("alpha", "beta")       # e^-1100: asking is an error
    assert "alpha" not in values and np.isfinite(values["log_alpha"][-1, -1])
