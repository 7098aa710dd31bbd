"""decode with method: error_analysis (SPEC 1.15, deeplearning.ai's error analysis of beam
search): beam_search at fault when P(y*|x) > P(ŷ|x), else rnn; by the normalised score when
alpha is given. Hand-worked tables."""

from __future__ import annotations

import json
import math

import pytest

import rnnquiz
from conftest import PROBLEMS, run


def test_the_jane_example_both_cases():
    r = run("solve", str(PROBLEMS / "dlai_error_analysis.yaml"), "--json")
    assert r.exit_code == 0, r.output
    results = [json.loads(line) for line in r.stdout.splitlines() if line.strip()]
    assert [x["answer"] for x in results] == ["beam_search", "rnn"]
    assert all(x["agrees"] is True for x in results)
    # P(y*|x) = 0.6·0.3·0.7·0.6·0.5·0.9 and P(ŷ|x) = 0.6·0.4·0.6·0.3·0.7·0.8, by hand
    steps = {s["symbol"]: s["value"] for s in results[0]["steps"]}
    assert steps["P(y*|x)"] == pytest.approx(0.03402, abs=1e-15)
    assert steps["P(ŷ|x)"] == pytest.approx(0.024192, abs=1e-15)


# y* = a a <eos>: P = 0.5³ = 0.125; ŷ = b <eos>: P = 0.4·0.5 = 0.2. By probability the model
# prefers ŷ (rnn at fault); with alpha 1 the scores are ln(0.125)/3 = -0.693 and
# ln(0.2)/2 = -0.805, so the model prefers y* (beam search at fault)
DOC = {"type": "decode", "vocabulary": ["a", "b", "<eos>"], "method": "error_analysis",
       "tables": {"": [0.5, 0.4, 0.1], "a": [0.5, 0.0, 0.5], "a a": [0.25, 0.25, 0.5],
                  "b": [0.25, 0.25, 0.5]},
       "sequence": ["a", "a", "<eos>"], "output": ["b", "<eos>"]}


def test_by_probability_without_alpha():
    r = rnnquiz.solve(DOC)
    assert r.answer == "rnn"
    assert rnnquiz.solve({**DOC, "ask": {"quantity": "probability"}}).answer == \
        pytest.approx([0.125, 0.2], abs=1e-15)


def test_by_the_normalised_score_with_alpha():
    r = rnnquiz.solve({**DOC, "alpha": 1})
    assert r.answer == "beam_search"
    scores = {s.symbol: s.value for s in r.steps}
    assert scores["score(y*)"] == pytest.approx(math.log(0.125) / 3, abs=1e-15)
    assert scores["score(ŷ)"] == pytest.approx(math.log(0.2) / 2, abs=1e-15)


def test_equal_probabilities_blame_the_rnn():
    # P(y*) = 0.25·1·1 = 0.25 = 0.5·0.5 = P(ŷ): a tie, and the rule is a strict >
    doc = {**DOC, "tables": {"": [0.25, 0.5, 0.25], "a": [1.0, 0.0, 0.0],
                             "a a": [0.0, 0.0, 1.0], "b": [0.25, 0.25, 0.5]}}
    assert rnnquiz.solve(doc).answer == "rnn"       # not P(y*|x) > P(ŷ|x)


@pytest.mark.parametrize("change, message", [
    ({"output": None}, r"output: missing; method error_analysis needs ŷ"),
    ({"sequence": None}, r"sequence: missing; method error_analysis needs y\*"),
    ({"output": ["b", "c"]}, r"output\[1\]: 'c' is not in the vocabulary"),
    ({"method": "greedy"}, r"output: is ŷ of method error_analysis"),
    ({"output": ["a", "b", "<eos>"]}, r"tables: no table for the prefix 'a b'"),
])
def test_errors_name_the_key(change, message):
    doc = {k: v for k, v in {**DOC, **change}.items() if v is not None}
    with pytest.raises(rnnquiz.ProblemError, match=message):
        rnnquiz.solve(doc)
