"""method: rtrl (SPEC 1.17) by hand and as a key: Hagan's sensitivities and gradient worked by
hand, the working's recursion, the slip of not carrying the sensitivities, the key's errors,
schema, limits and advice, the question in words, Hagan's tapped delay lines
(tests/test_rtrl_oracles.py checks against torch autograd and finite differences)."""

from __future__ import annotations

import numpy as np
import pytest

import rnnquiz
from conftest import run
from rnnquiz.errors import ProblemError

# ---------------------------------------------------------------- by hand

HAGAN = {"type": "forward", "method": "rtrl",
         "network": {"hidden": "linear", "output": "linear", "W_xh": 0.5, "W_hh": 0.2,
                     "W_hy": 1, "h_init": 0},
         "inputs": [1, -1, 2]}


def test_scalar_sensitivities_by_hand():
    # a(t) = 0.2 a(t-1) + 0.5 p(t): a = 0.5, -0.4, 0.92
    # da/dlw: a(t-1) + lw·da(t-1)/dlw = 0, 0.5, -0.4 + 0.2·0.5 = -0.3
    # da/diw: p(t) + lw·da(t-1)/diw = 1, -1 + 0.2 = -0.8, 2 - 0.16 = 1.84
    r = rnnquiz.solve({**HAGAN, "ask": {"quantity": "dh/dW_hh"}})
    assert r.answer == pytest.approx([0, 0.5, -0.3])
    r = rnnquiz.solve({**HAGAN, "ask": {"quantity": "dh/dW_xh", "t": 2}})
    assert r.answer == pytest.approx(1.84)
    assert isinstance(r.answer, float)          # a number for a scalar network
    r = rnnquiz.solve({**HAGAN, "ask": {"quantity": "dh/dh_init", "t": 2}})
    assert r.answer == pytest.approx(0.2 ** 3)


def test_the_working_shows_the_recursion_with_numbers():
    r = rnnquiz.solve({**HAGAN, "ask": {"quantity": "dh/dW_hh", "t": 2}})
    line = next(s for s in r.steps if s.symbol == "dh_2/dW_hh")
    assert line.equation == "linear'(z_2)·(∂z_2/∂W_hh + W_hh·dh_1/dW_hh)"
    assert line.to_json()["working"] == "1·((-0.4) + 0.2·0.5)"


def test_hagan_sse_gradient_by_rtrl_by_hand():
    # F = Σ e², e = t - a: dF/dlw = Σ_t -2 e(t) da(t)/dlw = -0.8·0.5 + (-0.16)(-0.3) = -0.352
    doc = {**HAGAN, "type": "backprop", "targets": [0.5, 0, 1], "loss": "sse",
           "ask": {"quantity": "dE/dW_hh"}}
    assert rnnquiz.solve(doc).answer == pytest.approx(-0.352)
    assert rnnquiz.solve({**doc, "ask": {"quantity": "dE/dW_xh"}}).answer == \
        pytest.approx(0.3456)


def test_the_slip_of_not_carrying_the_sensitivities_is_diagnosed():
    # dropped W_hh·dh_1/dW_hh: dh_2/dW_hh = h_1 = -0.4 instead of -0.3
    doc = {**HAGAN, "ask": {"quantity": "dh/dW_hh", "t": 2, "digits": 2}}
    from rnnquiz.teaching.slip_search import diagnose
    from rnnquiz.types import from_dict
    found = diagnose(from_dict(doc), -0.4, "-0.4")
    assert [d["slip"] for d in found] == ["rtrl_not_carried"]


# ---------------------------------------------------------------- the key itself


def test_method_is_validated_with_its_key_path():
    with pytest.raises(ProblemError) as err:
        rnnquiz.solve({**HAGAN, "method": "forward_mode"})
    assert err.value.keys == ("method",)
    assert "bptt, rtrl" in str(err.value)
    stack = {"type": "forward", "method": "rtrl", "inputs": [1, 2],
             "network": [{"W_xh": 1, "W_hh": 0.5}, {"W_xh": 1, "W_hh": 0.5}]}
    with pytest.raises(ProblemError) as err:
        rnnquiz.solve(stack)
    assert err.value.keys == ("method",)


def test_bad_method_exits_2_naming_the_key(tmp_path):
    f = tmp_path / "p.yaml"
    f.write_text("type: backprop\nnetwork: {W_xh: 1, W_hh: 0.5, W_hy: 1}\ninputs: [1]\n"
                 "targets: [1]\nmethod: rtlr\n")
    r = run("solve", str(f))
    assert r.exit_code == 2
    assert "p.yaml:5: method: expected one of bptt, rtrl" in r.stderr


def test_schema_lists_the_method_of_the_network_types():
    import json
    schema = json.loads(run("schema").stdout)
    by_type = {v["if"]["properties"]["type"]["const"]: v["then"]["properties"]
               for v in schema["allOf"]}
    for t in ("forward", "backprop", "lstm", "gru"):
        assert by_type[t]["method"] == {"enum": ["bptt", "rtrl"]}
    assert "rtrl" not in by_type["decode"]["method"]["enum"]


def test_the_question_says_what_a_sensitivity_is():
    from rnnquiz.teaching.question import full_question
    from rnnquiz.types import from_dict
    p = from_dict({**HAGAN, "ask": {"quantity": "dh/dW_hh"}})
    assert "What are dh_0/dW_hh, …, dh_2/dW_hh" in full_question(p, rnnquiz.solve(p))
    p = from_dict({**HAGAN, "ask": {"quantity": "dh/dW_hh", "t": 1}})
    assert "What is dh_1/dW_hh?" in full_question(p, rnnquiz.solve(p))
    # before it is solved, the quantity is said in words
    assert "dh/dW_hh (the state's sensitivity to W_hh, carried forward by real-time " \
           "recurrent learning)" in full_question(p)
    p = from_dict({**HAGAN, "method": "bptt", "ask": {"quantity": "jacobian"}})
    assert "sensitivity" not in full_question(p, rnnquiz.solve(p))


def test_too_many_sensitivities_is_refused_naming_the_method():
    rng = np.random.default_rng(0)
    n, T = 40, 400
    doc = {"type": "forward", "method": "rtrl", "inputs": rng.normal(0, 1, (T, 3)).tolist(),
           "network": {"W_xh": rng.normal(0, .3, (n, 3)).tolist(),
                       "W_hh": rng.normal(0, .3, (n, n)).tolist()}}
    with pytest.raises(ProblemError) as err:
        rnnquiz.solve(doc)
    assert err.value.keys == ("method",) and "method bptt" in str(err.value)


def test_the_working_marks_the_step_asked():
    from rnnquiz.render.working import asked
    r = rnnquiz.solve({**HAGAN, "ask": {"quantity": "dh/dW_hh", "t": 1}})
    assert [s.symbol for s in r.steps if asked(r, s)] == ["dh_1/dW_hh"]


def test_a_misspelt_sensitivity_gets_the_nearest_sensitivity():
    doc = {**HAGAN, "type": "backprop", "targets": [1, 1, 1]}
    for asked, meant in (("dh/dWhh", "dh/dW_hh"), ("dL/dW_hh", "dE/dW_hh"),
                         ("dW_hh", "dE/dW_hh")):
        with pytest.raises(ProblemError) as err:
            rnnquiz.solve({**doc, "ask": {"quantity": asked}})
        assert str(err.value).endswith(f"did you mean {meant}?"), asked


def test_a_long_sequence_is_refused_for_rtrl_with_the_way_out():
    doc = {**HAGAN, "inputs": [1.0] * 2000}
    with pytest.raises(ProblemError) as err:
        rnnquiz.solve(doc)
    assert err.value.keys == ("method",) and "method bptt" in str(err.value)
    assert rnnquiz.solve({**doc, "inputs": [1.0] * 1400, "ask": {"quantity": "dh/dW_hh",
                                                                 "t": 1399}}).answer > 0


def test_hagan_tapped_delay_lines_take_method_rtrl():
    # a(t) = p(t) + 0.5 p(t-1) + 0.5 a(t-1) - 0.25 a(t-2), a(0) = 0.2, a(-1) = 0.4:
    # da(1)/dlw(d) = a(1-d) = 0.2, 0.4;  da(2)/dlw(1) = a(1) + 0.5·0.2 = 1.1,
    # da(2)/dlw(2) = a(0) + 0.5·0.4 = 0.4 (by hand)
    doc = {"type": "forward", "notation": "hagan", "method": "rtrl", "inputs": [1, 0, 2],
           "network": {"iw": {0: 1, 1: 0.5}, "lw": {1: 0.5, 2: -0.25}, "a_init": [0.2, 0.4]},
           "ask": {"quantity": "da/dlw"}}
    got = rnnquiz.solve(doc).answer
    assert got[:2] == [{"1": pytest.approx(0.2), "2": pytest.approx(0.4)},
                       {"1": pytest.approx(1.1), "2": pytest.approx(0.4)}]
    back = {**doc, "type": "backprop", "targets": [1, 1, 2], "ask": {"quantity": "dF/dlw"}}
    by_rtrl, by_bptt = rnnquiz.solve(back), rnnquiz.solve({**back, "method": "bptt"})
    assert by_rtrl.answer == pytest.approx(by_bptt.answer)
    assert by_rtrl.values["grad_norm"] == pytest.approx(by_bptt.values["grad_norm"])
