"""A sequence longer than 200 steps, solved by its scan, shows its first three and last two
steps with a line between them saying which steps are left out (docs/limits.md). The last
steps are worked from the real previous state, under their real step numbers: their values
are checked against the answer's (every step, from the scan) and against recurrences written
here in numpy. One unit, T = 201 to 301: each solve takes milliseconds."""

from __future__ import annotations

import math

import numpy as np
import pytest

import rnnquiz
from rnnquiz.render.table import table_text

NET = {"W_xh": 0.8, "W_hh": -0.6, "b_h": 0.1, "W_hy": 1.5, "b_y": -0.2, "h_init": 0.3,
       "hidden": "tanh"}
END = "every value is in the answer (--json), or ask one step with ask.t"


def inputs(T: int) -> list[float]:
    return [round(math.sin(0.7 * t), 3) for t in range(T)]


def targets(T: int) -> list[float]:
    return [round(0.5 * math.cos(0.3 * t), 3) for t in range(T)]


def rnn_states(x: list[float]) -> np.ndarray:
    """h_t = tanh(W_xh x_t + W_hh h_{t-1} + b_h), from h_init."""
    h, out = NET["h_init"], []
    for x_t in x:
        h = math.tanh(NET["W_xh"] * x_t + NET["W_hh"] * h + NET["b_h"])
        out.append(h)
    return np.array(out)


def rnn_dE_dz(x: list[float], tg: list[float]) -> np.ndarray:
    """BPTT of E = 1/2 Σ_t (y_t - target_t)², y_t = W_hy h_t + b_y, step by step from the last."""
    H = rnn_states(x)
    dz, carried = np.zeros(len(x)), 0.0
    for t in reversed(range(len(x))):
        y = NET["W_hy"] * H[t] + NET["b_y"]
        dh = NET["W_hy"] * (y - tg[t]) + NET["W_hh"] * carried
        dz[t] = carried = dh * (1 - H[t] ** 2)
    return dz


def shown(r, lo: int) -> list:
    return [s for s in r.steps if s.t is not None and s.t >= lo]


def gap(r):
    (line,) = [s for s in r.steps if s.symbol == "…"]
    return line


def test_forward_shows_its_last_two_steps_from_the_real_previous_state():
    T = 301
    r = rnnquiz.solve({"type": "forward", "network": NET, "inputs": inputs(T),
                       "ask": {"quantity": "y"}})
    H = rnn_states(inputs(T))
    last = shown(r, 3)
    assert [(s.t, s.symbol) for s in last] == [(t, f"{q}_{t}") for t in (299, 300)
                                               for q in "zhy"]
    z = last[0]
    assert z.equation == "W_xh·x_299 + W_hh·h_298 + b_h"
    assert z.operands[3] == pytest.approx(H[298], rel=1e-12, abs=0)      # the scan's h_298
    assert z.value == pytest.approx(0.8 * inputs(T)[299] - 0.6 * H[298] + 0.1, rel=1e-12, abs=0)
    for s in last:
        if s.symbol[0] in "hy":
            assert s.value == pytest.approx(r.values[s.symbol[0]][s.t], rel=1e-12, abs=0)
    assert [s.value for s in last if s.symbol[0] == "h"] == pytest.approx(H[-2:], rel=1e-12, abs=0)
    # the JSON: the same steps, numbered as they are, beside the answer's values
    js = r.to_json()
    steps = [s for s in js["steps"] if s["t"] is not None and s["t"] >= 3]
    assert [(s["t"], s["symbol"]) for s in steps] == [(s.t, s.symbol) for s in last]
    assert [s["value"] for s in steps if s["symbol"][0] == "y"] == \
        pytest.approx(js["answer"][-2:], rel=1e-12, abs=0)
    note = f"steps 3 … 298 are not shown (T = 301); {END}"
    assert gap(r).value == "296 steps" and gap(r).note == note
    assert {"t": None, "symbol": "…", "equation": "", "working": "", "value": "296 steps",
            "note": note} in js["steps"]
    text = table_text(r, width=200)
    assert "296 steps" in text and "steps 3 … 298 are not shown (T = 301)" in text
    assert "z_299 = W_xh·x_299 + W_hh·h_298 + b_h" in text
    assert f"0.8·{inputs(T)[299]:g} + (-0.6)·{H[298]:.6f} + 0.1" in text    # h_298 = 0.543564


def lstm_states(x, v):
    sig = lambda z: 1 / (1 + math.exp(-z))   # noqa: E731
    h, c, H, C = v["h_init"], v["c_init"], [], []
    for x_t in x:
        f = sig(v["W_fh"] * h + v["W_fx"] * x_t + v["b_f"])
        i = sig(v["W_ih"] * h + v["W_ix"] * x_t + v["b_i"])
        o = sig(v["W_oh"] * h + v["W_ox"] * x_t + v["b_o"])
        c = f * c + i * math.tanh(v["W_ch"] * h + v["W_cx"] * x_t + v["b_c"])
        h = o * math.tanh(c)
        H.append(h)
        C.append(c)
    return np.array(H), np.array(C)


def test_an_lstm_shows_its_last_two_steps_from_the_real_h_and_c():
    T = 250
    v = {"W_fh": 0.3, "W_fx": 0.5, "b_f": 0.1, "W_ih": -0.2, "W_ix": 0.4, "b_i": 0.0,
         "W_oh": 0.1, "W_ox": -0.3, "b_o": 0.2, "W_ch": 0.6, "W_cx": 0.7, "b_c": -0.1,
         "h_init": 0.1, "c_init": -0.2}
    r = rnnquiz.solve({"type": "lstm", "network": v, "inputs": inputs(T),
                       "ask": {"quantity": "c"}})
    H, C = lstm_states(inputs(T), v)
    last = {s.symbol: s for s in shown(r, 3)}
    assert {s.t for s in last.values()} == {248, 249}
    c = last["c_248"]
    assert c.equation == "f_248⊙c_247 + i_248⊙g_248"
    assert c.operands[1] == pytest.approx(C[247], rel=1e-12, abs=0)      # the scan's c_247
    # the roles are named at step 0 only, as in a short sequence's working
    assert [s.note for s in r.steps if s.symbol in ("c_0", "c_248")] == ["memory cell", ""]
    assert last["z^f_248"].equation == "W_fh·h_247 + W_fx·x_248 + b_f"
    assert last["z^f_248"].operands[1] == pytest.approx(H[247], rel=1e-12, abs=0)
    for t in (248, 249):
        assert last[f"c_{t}"].value == pytest.approx(r.answer[t], rel=1e-12, abs=0)
        assert last[f"c_{t}"].value == pytest.approx(C[t], rel=1e-12, abs=0)
        assert last[f"h_{t}"].value == pytest.approx(H[t], rel=1e-12, abs=0)
    js = r.to_json()
    assert [s["value"] for s in js["steps"] if s["symbol"] in ("c_248", "c_249")] == \
        pytest.approx(js["answer"][-2:], rel=1e-12, abs=0)
    assert gap(r).value == "245 steps"
    assert gap(r).note == f"steps 3 … 247 are not shown (T = 250); {END}"


def test_backprop_shows_the_backward_pass_at_its_last_two_steps_only():
    T = 301
    x, tg = inputs(T), targets(T)
    r = rnnquiz.solve({"type": "backprop", "network": NET, "inputs": x, "targets": tg,
                       "ask": {"quantity": "dE/dz"}})
    dz = rnn_dE_dz(x, tg)
    assert r.answer == pytest.approx(dz, rel=1e-9, abs=0)
    back = [s for s in shown(r, 3) if s.phase == "backward"]
    assert [(s.t, s.symbol) for s in back if s.symbol.startswith("dE/dz")] == \
        [(300, "dE/dz_300"), (299, "dE/dz_299")]
    got = {s.symbol: s for s in back}
    assert got["dE/dz_300"].value == pytest.approx(dz[300], rel=1e-12, abs=0)
    assert got["dE/dz_299"].value == pytest.approx(dz[299], rel=1e-12, abs=0)
    assert got["dE/dz_299"].value == pytest.approx(r.answer[299], rel=1e-12, abs=0)
    h299 = got["dE/dh_299"]
    assert h299.equation == "W_hy·dE/dy_299 + W_hh·dE/dz_300"
    # the forward pass's first and last steps; no total of the last steps alone (E, dE/dW)
    assert sorted({s.t for s in r.steps if s.t is not None}) == [0, 1, 2, 299, 300]
    assert not [s for s in r.steps if s.t is None and s.symbol != "…"]
    assert {s.phase for s in r.steps if s.t is not None and s.t < 3} == {"forward"}
    note = ("steps 3 … 298 are not shown (T = 301), nor the backward pass's steps 298 … 0: "
            f"each carries back the gradient of every later step; {END}")
    assert gap(r).value == "296 steps" and gap(r).note == note
    js = r.to_json()
    steps = [s for s in js["steps"] if s["symbol"] in ("dE/dz_300", "dE/dz_299")]
    assert [(s["t"], s["value"]) for s in steps] == \
        [(300, pytest.approx(js["answer"][300], rel=1e-12, abs=0)),
         (299, pytest.approx(js["answer"][299], rel=1e-12, abs=0))]
    text = table_text(r, width=200)
    assert "dE/dh_299 = W_hy·dE/dy_299 + W_hh·dE/dz_300" in text and note[:40] in text


def test_vanishing_shows_its_first_and_last_factors_and_the_whole_verdict():
    T = 301
    x = inputs(T)
    r = rnnquiz.solve({"type": "vanishing", "network": NET, "inputs": x,
                       "targets": {300: 0.5}})
    H = rnn_states(x)
    factors = np.abs(-0.6 * (1 - H[:-1] ** 2))       # |dz_{t+1}/dz_t|, t = 0 … 299
    got = {s.symbol: s for s in r.steps if s.phase == "factor"}
    assert sorted(got) == ["dz_1/dz_0", "dz_2/dz_1", "dz_300/dz_299", "tanh'(z_0)",
                           "tanh'(z_1)", "tanh'(z_299)"]
    assert abs(got["dz_300/dz_299"].value) == pytest.approx(factors[299], rel=1e-12, abs=0)
    (g,) = [s for s in r.steps if s.symbol == "g"]
    assert g.value == pytest.approx(math.exp(np.mean(np.log(factors))), rel=1e-9, abs=0)
    assert r.steps[-1].symbol == "verdict" and r.answer == "vanishing"
    assert gap(r).note == ("steps 3 … 298 are not shown (T = 301), nor the factors of steps "
                           "2 … 298, nor the backward pass's steps 298 … 0: each carries back "
                           f"the gradient of every later step; {END}")


def test_output_feedback_shows_the_first_steps_and_says_why_not_the_last():
    T = 201
    r = rnnquiz.solve({"type": "forward", "network": {**NET, "W_yh": 0.2}, "inputs": inputs(T)})
    assert sorted({s.t for s in r.steps if s.t is not None}) == [0, 1, 2]
    assert gap(r).value == "198 steps"
    assert gap(r).note == ("steps 3 … 200 are not shown (T = 201); the last steps of a network "
                           f"that feeds back its output are not worked either; {END}")


def test_a_mean_over_the_steps_is_not_worked_at_the_last_steps_alone():
    """reduction: mean divides by the sequence's count of loss terms, which the last two
    steps alone do not know."""
    T = 201
    r = rnnquiz.solve({"type": "backprop", "network": NET, "inputs": inputs(T),
                       "targets": targets(T), "reduction": "mean"})
    assert sorted({s.t for s in r.steps if s.t is not None}) == [0, 1, 2]
    assert "reduction mean scales each step's gradient by the whole sequence's count" in \
        gap(r).note


def test_two_hundred_steps_are_all_shown():
    r = rnnquiz.solve({"type": "forward", "network": NET, "inputs": inputs(200)})
    assert [s.t for s in r.steps] == [t for t in range(200) for _ in "zhy"]
