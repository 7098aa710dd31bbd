"""A published answer written as quoted text where a number is asked (SPEC 4: never converted):
the error quotes at most its first 40 characters, and where the text reads as a number
(`'0.5, 0.6'`, `'1e999'`, `'nan'`) it says to write it without the quotes."""

from __future__ import annotations

import pytest

import rnnquiz

# h_1 = σ(0.5·9 − 1) = σ(3.5) of Hinton's lecture 7 problem 3, asked at t = 0
FORWARD = {"type": "forward", "inputs": [9],
           "network": {"hidden": "logistic", "W_xh": 0.5, "W_hh": -1.0, "b_h": -1.0,
                       "h_init": 0},
           "ask": {"quantity": "h", "t": 0}}
START = "answer: expected a number (the answer to h at t=0 is one), got the text "
UNQUOTE = " (quoted: write it without the quotes)"


@pytest.mark.parametrize("text, said", [
    ("0.5, 0.6", "'0.5, 0.6'" + UNQUOTE),
    ("0.5,0.6", "'0.5,0.6'" + UNQUOTE),
    ("1e999", "'1e999'" + UNQUOTE),
    ("nan", "'nan'" + UNQUOTE),
    ("0.5x", "'0.5x'"),
    (" ", "' '"),
    ("a" * 39 + "bc", "'" + "a" * 39 + "b'"),
])
def test_a_quoted_answer_is_refused_in_words(text, said):
    with pytest.raises(rnnquiz.ProblemError) as err:
        rnnquiz.solve({**FORWARD, "answer": text})
    assert str(err.value) == START + said
