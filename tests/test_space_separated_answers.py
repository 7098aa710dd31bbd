"""An answer's numbers may be split by spaces as by commas (`1e-2 2E1` reads as `1e-2, 2E1`),
and braces that are not a gradient by delay ({1: 0.5}) are refused as no answer at all."""

import pytest

from conftest import run
from rnnquiz.problem.typed_answers import parse_answer


@pytest.mark.parametrize("text, value", [
    ("1e-2 2E1", [0.01, 20.0]),
    ("  -0.5   .25 ", [-0.5, 0.25]),
    ("1 2; 3 4", [[1.0, 2.0], [3.0, 4.0]]),
    ("1, 2 3", [1.0, 2.0, 3.0]),
    ("[0.1 -0.2]", [0.1, -0.2]),
])
def test_numbers_split_by_spaces_read_as_by_commas(text, value):
    assert parse_answer(text) == value


@pytest.mark.parametrize("text", ["{}", "{ }", "}", "{0.5", "1 {2}"])
def test_braces_that_are_no_keyed_answer_are_refused(text):
    with pytest.raises(ValueError, match=r"^expected a number, a list like 0,0,1 or 0 0 1, "):
        parse_answer(text)


def test_tokens_and_keyed_answers_still_read():
    assert parse_answer("A C B <eos>") == ["A", "C", "B", "<eos>"]
    assert parse_answer("{1: 0.54, 2: 0.46}") == {"1": 0.54, "2": 0.46}


def test_check_takes_the_mitx_states_split_by_spaces():
    # the MITx LSTM homework's states are [0, 0, 1, -1, 1, 0]
    r = run("check", "mit_lstm_states_1", "--answer", "0 0 1 -1 1 0")
    assert r.exit_code == 0, r.output
    assert run("check", "mit_lstm_states_1", "--answer", "0 0 1 -1 1 1").exit_code == 1


def test_check_refuses_braces_in_one_line_with_exit_2():
    r = run("check", "hinton_p3", "--answer", "{}")
    assert r.exit_code == 2
    assert r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "expected a number, a list like 0,0,1 or 0 0 1, rows split by ';', or a word; " \
           "got '{}'" in lines[0]
