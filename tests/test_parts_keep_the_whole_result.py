"""A question in several parts (SPEC 1) keeps what the solver gave beside the parts' answers:
its notes, its values and its type's JSON keys; the JSON's quantity is the first part's, there
is no answer_rounded when no part asks for digits, each part's question is its type's words
(BLEU's p_2), the first part is the working's own value, and a part's text answer where a
number is asked is refused naming that part."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

import rnnquiz
from rnnquiz.types import from_dict, solve

PROBLEMS = Path(__file__).resolve().parent.parent / "problems"


def _sigma(z):
    return 1 / (1 + math.exp(-z))


# Hinton's lecture 7 problem 3, by hand: h_0 = σ(0.5·9 − 1), h_1 = σ(0.5·4 − h_0 − 1)
H0 = _sigma(3.5)
H1 = _sigma(1 - H0)
HINTON = {"type": "forward",
          "network": {"hidden": "logistic", "output": "linear", "W_xh": 0.5, "W_hh": -1.0,
                      "W_hy": -0.7, "b_h": -1.0, "b_y": 0.0, "h_init": 0},
          "inputs": [9, 4], "ask": {"quantity": ["h", "y"], "t": 1}}


def test_the_solvers_values_and_the_first_quantity_are_kept():
    r = rnnquiz.solve(HINTON)
    assert r.answer == pytest.approx([H1, -0.7 * H1], rel=1e-12)
    assert np.ravel(r.values["h"]).tolist() == pytest.approx([H0, H1], rel=1e-12)
    o = r.to_json()
    assert o["quantity"] == "h" and [e["quantity"] for e in o["parts"]] == ["h", "y"]
    assert "answer_rounded" not in o                    # no part asks for digits
    assert r.answer_rounded is None


def test_the_solvers_notes_and_json_keys_are_kept():
    # a table summing to 0.9: decode says so, for the question in parts too
    r = rnnquiz.solve({"type": "decode", "vocabulary": ["a", "<eos>"], "method": "score",
                       "tables": {"": [0.5, 0.4], "a": [0.5, 0.5]}, "sequence": "a <eos>",
                       "ask": {"quantity": ["probability", "log_probability"]}})
    assert r.answer == pytest.approx([0.25, math.log(0.25)], rel=1e-15)
    assert r.notes == ["the table for the prefix '' sums to 0.9, not 1; it is used as written"]
    # vanishing's own JSON keys (the factors dz_{t+1}/dz_t) beside the parts
    o = rnnquiz.solve({"type": "vanishing", "network": {"W_hh": 0.5, "hidden": "linear"},
                       "inputs": [1, 2, 3], "ask": {"quantity": ["verdict", "g"]}}).to_json()
    assert o["factors"] == [0.5, 0.5]
    assert o["answer"] == ["vanishing", 0.5]        # g: the factors' geometric mean


def test_each_parts_question_is_its_types_words():
    r = rnnquiz.solve({"type": "bleu", "candidate": "the cat sat",
                       "references": ["the cat sat down"], "ask": {"quantity": ["p", "counts"],
                                                                  "n": 2}})
    assert r.question == "p_2; counts_2"
    assert r.answer[0] == 1                                 # both bigrams of the candidate match


def test_a_parts_text_answer_is_refused_naming_the_part():
    with pytest.raises(rnnquiz.ProblemError) as err:
        rnnquiz.solve({**HINTON, "answer": ["abc", -0.36]})
    assert str(err.value) == ("answer[0]: expected a number (the answer to h at t=1 is one), "
                              "got the text 'abc'")


@pytest.mark.parametrize("name, index", [
    ("cs231n_lstm_step_parts", 0), ("tf1_basic_rnn_concat", 1), ("tf1_basic_rnn_concat", 2)])
def test_the_first_part_is_the_workings_own_value(name, index):
    """The first part is read from the working shown (not from a second, vectorised solve
    whose sums may end in another last bit): bit for bit the file asking that part alone."""
    p = rnnquiz.load(PROBLEMS / f"{name}.yaml")[index]
    ask = dict(p.data["ask"])
    ask["quantity"] = ask["quantity"][0]
    alone = solve(from_dict({**{k: v for k, v in p.data.items() if k != "answer"}, "ask": ask}))
    assert np.array_equal(np.asarray(solve(p).answer[0]), np.asarray(alone.answer))
