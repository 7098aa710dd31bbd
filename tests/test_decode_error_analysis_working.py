"""The working of decode's error analysis (SPEC 1.15): each sequence's P(·|x) factor by factor
(written out up to 8 factors, as a product sign beyond), its log P and score with alpha, and
the verdict line comparing the two; ties and scores that underflow to 0 under a huge alpha
blame the RNN unless y* is closer to 0. Values by hand."""

from __future__ import annotations

import math

import pytest

import rnnquiz

# y* = a a <eos>: P = 0.5³ = 0.125; ŷ = b <eos>: P = 0.4·0.5 = 0.2
DOC = {"type": "decode", "vocabulary": ["a", "b", "<eos>"], "method": "error_analysis",
       "tables": {"": [0.5, 0.4, 0.1], "a": [0.5, 0.0, 0.5], "a a": [0.25, 0.25, 0.5],
                  "b": [0.25, 0.25, 0.5]},
       "sequence": ["a", "a", "<eos>"], "output": ["b", "<eos>"]}
LN2, LN04 = math.log(0.5), math.log(0.4)


def _rows(doc):
    return [(s["symbol"], s["equation"], s["working"], s["value"], s["phase"], s.get("note"))
            for s in rnnquiz.solve(doc).to_json()["steps"]]


def test_without_alpha_the_probabilities_are_compared():
    assert _rows(DOC) == [
        ("P(y*|x)", "P(a)·P(a | a)·P(<eos> | a a)", "0.5·0.5·0.5", 0.125, "y* = a a <eos>", None),
        ("P(ŷ|x)", "P(b)·P(<eos> | b)", "0.4·0.5", 0.2, "ŷ = b <eos>", None),
        ("at_fault", "beam_search if P(y*|x) > P(ŷ|x) else rnn", "0.125 vs 0.2", "rnn",
         "verdict", "not P(y*|x) > P(ŷ|x): the model itself ranks the wrong output at least "
                    "as high, so the RNN is at fault"),
    ]


def test_with_alpha_each_log_p_and_score_is_worked():
    rows = _rows({**DOC, "alpha": 1})
    assert [r[:3] + r[4:] for r in rows] == [
        ("P(y*|x)", "P(a)·P(a | a)·P(<eos> | a a)", "0.5·0.5·0.5", "y* = a a <eos>", None),
        ("log P(y*|x)", "Σ_t log P(y_t | y_<t)", "(-0.693147) + (-0.693147) + (-0.693147)",
         "y* = a a <eos>", None),
        ("score(y*)", "(1/L^α)·log P", "(1/3^1)·(-2.079442)", "y* = a a <eos>",
         "L = 3 tokens with <eos>, α = 1"),
        ("P(ŷ|x)", "P(b)·P(<eos> | b)", "0.4·0.5", "ŷ = b <eos>", None),
        ("log P(ŷ|x)", "Σ_t log P(y_t | y_<t)", "(-0.916291) + (-0.693147)", "ŷ = b <eos>",
         None),
        ("score(ŷ)", "(1/L^α)·log P", "(1/2^1)·(-1.609438)", "ŷ = b <eos>",
         "L = 2 tokens with <eos>, α = 1"),
        ("at_fault", "beam_search if score(y*) > score(ŷ) else rnn", "(-0.693147) vs (-0.804719)",
         "verdict", "score(y*) > score(ŷ): the model prefers the human's sequence, so the "
                    "search failed to find it"),
    ]
    values = [r[3] for r in rows]
    assert values[:3] == pytest.approx([0.125, 3 * LN2, LN2], rel=1e-15)
    assert values[3:6] == pytest.approx([0.2, LN04 + LN2, (LN04 + LN2) / 2], rel=1e-15)
    assert values[6] == "beam_search"


def _chain(n):
    """a … a <eos> with n a's, every factor 0.5: P = 0.5^(n+1)."""
    tables = {" ".join(["a"] * k): [0.5, 0.0, 0.5] for k in range(n + 1)}
    return {**DOC, "tables": {**DOC["tables"], **tables},
            "sequence": ["a"] * n + ["<eos>"]}


def test_eight_factors_are_written_out_nine_are_a_product():
    eight = _rows({**_chain(7), "alpha": 0})
    assert eight[0][2] == "·".join(["0.5"] * 8)
    assert eight[1][2] == " + ".join(["(-0.693147)"] * 8)
    nine = _rows({**_chain(8), "alpha": 0})
    assert nine[0][1:4] == ("Π_t P(y_t | y_<t)", "", 0.5 ** 9)
    assert nine[1][1:4] == ("Σ_t log P(y_t | y_<t)", "", pytest.approx(9 * LN2, rel=1e-15))


def test_equal_scores_blame_the_rnn():
    # y* = a <eos> and ŷ = b <eos>, both 0.5·0.5 = 0.25: score(y*) = score(ŷ) = ln(0.25)/2
    doc = {**DOC, "tables": {"": [0.5, 0.5, 0.0], "a": [0.0, 0.5, 0.5], "b": [0.5, 0.0, 0.5]},
           "sequence": ["a", "<eos>"], "output": ["b", "<eos>"]}
    assert rnnquiz.solve({**doc, "alpha": 1}).answer == "rnn"
    assert rnnquiz.solve({**doc, "alpha": 1e308}).answer == "rnn"      # both underflow to -0


@pytest.mark.parametrize("star, hat, fault", [
    (["a", "a", "<eos>"], ["b", "<eos>"], "beam_search"),      # L = 3: 1/3^α the smaller
    (["b", "<eos>"], ["a", "a", "<eos>"], "rnn"),
])
def test_scores_that_underflow_to_zero_are_ordered_by_length(star, hat, fault):
    """α = 1e308: L^α overflows and both scores are -0.0; the longer sequence's would be the
    closer to 0 (log|score| = log(-log P) - α·log L)."""
    r = rnnquiz.solve({**DOC, "alpha": 1e308, "sequence": star, "output": hat})
    assert r.answer == fault
    assert [s.value for s in r.steps if s.symbol.startswith("score")] == [0.0, 0.0]


def test_a_table_not_summing_to_1_is_said():
    doc = {**DOC, "tables": {**DOC["tables"], "b": [0.25, 0.25, 0.4]}}
    assert rnnquiz.solve(doc).notes == [
        "the table for the prefix 'b' sums to 0.9, not 1; it is used as written"]
