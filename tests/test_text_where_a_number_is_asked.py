"""Words given where the asked quantity is numeric (SPEC 4: a string where a number is
expected is an error, never converted). The message says whether one number or several
were expected, and an error raised while solving a problem read from a file names that file,
also through the Python API (no CLI to fill it in)."""

from __future__ import annotations

from pathlib import Path

import pytest

import rnnquiz

PROBLEMS = Path(__file__).resolve().parent.parent / "problems"

# h_t = W_xh x_t + W_hh h_{t-1}: every h_t is two numbers' worth of answer
FORWARD = {"type": "forward", "inputs": [1, 2],
           "network": {"W_xh": 0.5, "W_hh": 0.5, "h_init": 0}, "ask": {"quantity": "h"}}


def _greedy_probability_text() -> str:
    """d2l 10.8's greedy search, asked the probability (one number), answered in words."""
    first = (PROBLEMS / "d2l_10_8_greedy.yaml").read_text().split("\n---")[0]
    assert "answer: 0.048" in first
    return first.replace("answer: 0.048", "answer: A B C <eos>")


def test_one_number_asked_says_a_number():
    doc = dict(rnnquiz.load(PROBLEMS / "d2l_10_8_greedy.yaml")[0].data)
    with pytest.raises(rnnquiz.ProblemError) as info:
        rnnquiz.solve({**doc, "answer": "A B C <eos>"})
    assert str(info.value) == ("answer: expected a number (the answer to probability is one), "
                               "got the text 'A B C <eos>'")


def test_every_step_asked_says_numbers():
    with pytest.raises(rnnquiz.ProblemError) as info:
        rnnquiz.solve({**FORWARD, "answer": "yes"})
    assert str(info.value) == ("answer: expected numbers (the answer to every h_t is one), "
                               "got the text 'yes'")


def test_the_error_names_the_file_the_problem_came_from(tmp_path):
    f = tmp_path / "greedy.yaml"
    f.write_text(_greedy_probability_text())
    problem = rnnquiz.load(f)[0]
    with pytest.raises(rnnquiz.ProblemError) as info:
        rnnquiz.solve(problem)
    assert info.value.file == str(f)
    assert str(info.value).startswith(f"{f}: answer: expected a number")
