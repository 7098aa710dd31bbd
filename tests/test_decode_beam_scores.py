"""Beam search's final scores (d2l 10.8, SPEC 1.15): log P itself without alpha, the first of
equal scores wins, a hypothesis of probability 1 scores 0; and the slip no_length_norm is a
beam's (or an asked score's) with alpha, redone with α = 0. Values by hand."""

from __future__ import annotations

import math

import pytest

import rnnquiz
from rnnquiz.teaching.slips import variants_for
from rnnquiz.types import from_dict

# t = 1 keeps a (0.35) and <eos> (0.35, finished); t = 2 (max_length) keeps a <eos> (0.35²)
# and a a (0.35·0.33): three finished hypotheses
BEAM = {"type": "decode", "vocabulary": ["a", "b", "<eos>"], "method": "beam", "beam": 2,
        "max_length": 2, "tables": {"": [0.35, 0.3, 0.35], "a": [0.33, 0.32, 0.35]}}
L35, L33 = math.log(0.35), math.log(0.33)


def _scores(r):
    return {s.symbol: s for s in r.steps if s.phase == "final scores"}


def test_without_alpha_a_beams_score_is_log_p():
    r = rnnquiz.solve(BEAM)
    s = _scores(r)
    assert [s[k].value for k in ("score(<eos>)", "score(a <eos>)", "score(a a)")] == \
        pytest.approx([L35, 2 * L35, L35 + L33], rel=1e-15)
    assert {s[k].equation for k in s if k != "best"} == {"log P"}
    assert s["score(<eos>)"].note == "no length normalisation"
    assert r.answer == ["<eos>"]


def test_a_greedy_score_without_alpha_is_log_p():
    r = rnnquiz.solve({**BEAM, "method": "greedy", "beam": None})
    assert r.answer == ["a", "<eos>"]                       # 0.35 before 0.3; then 0.35
    assert [s.value for s in r.steps if s.symbol == "score"] == \
        pytest.approx([2 * L35], rel=1e-15)


def test_the_first_of_equal_scores_is_the_best():
    """α = 1: score(<eos>) = ln 0.35 / 1 and score(a <eos>) = 2 ln 0.35 / 2, the same double;
    <eos> was finished first."""
    r = rnnquiz.solve({**BEAM, "alpha": 1})
    s = _scores(r)
    assert s["score(<eos>)"].value == s["score(a <eos>)"].value == pytest.approx(L35, rel=1e-15)
    assert r.answer == ["<eos>"]


def test_a_hypothesis_of_probability_1_scores_0():
    for alpha in (None, 0.7):
        r = rnnquiz.solve({**BEAM, "alpha": alpha, "tables": {"": [0.0, 0.0, 1.0]}})
        assert r.answer == ["<eos>"]
        assert _scores(r)["score(<eos>)"].value == 0.0


@pytest.mark.parametrize("change, slipped", [
    ({"alpha": 0.7}, True),                                       # a beam with alpha
    ({}, False),                                                  # a beam without: log P already
    ({"alpha": 0}, False),
    ({"method": "score", "beam": None, "sequence": "a <eos>", "alpha": 0.7,
      "ask": {"quantity": "score"}}, True),                      # an asked score with alpha
    ({"method": "score", "beam": None, "sequence": "a <eos>", "alpha": 0.7,
      "ask": {"quantity": "probability"}}, False),
    ({"method": "greedy", "beam": None, "alpha": 0.7}, False),
])
def test_no_length_norm_is_the_file_with_alpha_0(change, slipped):
    doc = {**BEAM, **change}
    found = [v for v in variants_for(from_dict(doc)) if v.slip == "no_length_norm"]
    assert [v.doc(doc)["alpha"] for v in found] == ([0] if slipped else [])
