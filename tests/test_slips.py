"""Diagnosing wrong answers: each slip's own result is recognised as that slip."""

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

import rnnquiz
from rnnquiz.cli import cli
from rnnquiz.slips import SLIPS, _value, diagnose, variants_for

PROBLEMS = Path(__file__).resolve().parent.parent / "problems"
NUMERIC = [p for p in sorted(PROBLEMS.glob("*.yaml"))
           if "type: choice" not in p.read_text()]


def as_text(value, digits):
    """The answer as a student would type it, at the problem's digits (or 6 decimals)."""
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return ",".join(value)            # a sequence of tokens (decode)
    d = 6 if digits is None else digits
    arr = np.round(np.asarray(value, dtype=float).reshape(-1), d)
    return ",".join(f"{v:.{d}f}" for v in arr)


CASES = []
for path in NUMERIC:
    for i, prob in enumerate(rnnquiz.load(path)):
        for v in variants_for(prob):
            CASES.append((path.stem, i, v.slip, v.detail))


@pytest.mark.parametrize("name, doc, slip, detail", CASES)
def test_each_slip_is_diagnosed_as_itself(name, doc, slip, detail):
    p = rnnquiz.load(PROBLEMS / f"{name}.yaml")[doc]
    v = next(v for v in variants_for(p) if v.slip == slip and v.detail == detail)
    value, _ = _value(p, v)
    text = as_text(value, p.ask.digits)
    r = CliRunner().invoke(cli, ["check", str(PROBLEMS / f"{name}.yaml"), "--answer", text,
                                 "--json"], catch_exceptions=False) if doc == 0 else None
    right = rnnquiz.solve(p).answer
    if rnnquiz.answers.is_words(value):
        same = value == right
    else:
        d = 6 if p.ask.digits is None else p.ask.digits
        same = np.array_equal(np.round(np.asarray(value, float).reshape(-1), d),
                              np.round(np.asarray(right, float).reshape(-1), d))
    if same:
        assert diagnose(p, value, text) == []          # coincides with the right answer
        if r is not None:
            assert r.exit_code == 0
        return
    found = diagnose(p, rnnquiz.answers.parse_answer(text), text)
    assert slip in {d["slip"] for d in found}, (text, found)
    if r is not None:
        o = json.loads(r.stdout)
        assert r.exit_code == 1 and o["agrees"] is False
        assert slip in {d["slip"] for d in o["diagnosis"]}


def test_a_right_answer_is_never_diagnosed():
    (p,) = rnnquiz.load(PROBLEMS / "hinton_p3.yaml")
    assert diagnose(p, -0.36, "-0.36") == []
    r = CliRunner().invoke(cli, ["check", str(PROBLEMS / "hinton_p3.yaml"), "--answer", "-0.36",
                                 "--json"])
    assert r.exit_code == 0 and json.loads(r.stdout)["diagnosis"] == []


def test_a_random_answer_gets_an_empty_diagnosis():
    (p,) = rnnquiz.load(PROBLEMS / "hinton_p3.yaml")
    assert diagnose(p, 0.77, "0.77") == []
    r = CliRunner().invoke(cli, ["check", str(PROBLEMS / "hinton_p3.yaml"), "--answer", "0.77"])
    assert r.exit_code == 1 and "no known slip reproduces this answer" in r.stdout


def test_the_classic_slips_of_the_seeds():
    (p4,) = rnnquiz.load(PROBLEMS / "hinton_p4.yaml")
    d = diagnose(p4, 0.012, "0.0120")
    assert d[0]["slip"] == "direct_term_only" and d[0]["departs_at"] == "dE/dh_1"
    (p3,) = rnnquiz.load(PROBLEMS / "hinton_p3.yaml")
    assert diagnose(p3, -0.51, "-0.51")[0]["slip"] in ("no_bias", "initial_state_as_input")
    (p1,) = rnnquiz.load(PROBLEMS / "hinton_p1.yaml")
    assert diagnose(p1, 16.0, "16")[0]["slip"] == "states_not_bits"
    (p5,) = rnnquiz.load(PROBLEMS / "hinton_p5.yaml")
    assert diagnose(p5, "exploding", "exploding")[0]["slip"] == "weight_only_verdict"


def test_pairs_are_searched_when_no_single_slip_matches():
    (p4,) = rnnquiz.load(PROBLEMS / "hinton_p4.yaml")
    # the direct term only, with the 1/2 of the loss missing: 2 x 0.012013
    d = diagnose(p4, 0.024, "0.0240")
    assert any(set(x["slip"].split("+")) == {"direct_term_only", "half_missing"} for x in d)


def test_every_listed_slip_exists():
    assert {"no_bias", "activation_swapped", "off_by_one_step", "initial_state_as_input",
            "direct_term_only", "no_derivative", "derivative_of_given", "half_missing",
            "sign_flipped", "no_rounding", "rounded_early", "forget_on_h", "tanh_missing",
            "weight_only_verdict", "states_not_bits"} <= set(SLIPS)
