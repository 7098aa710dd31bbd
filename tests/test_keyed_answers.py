"""Answers keyed by delay (and by layer), Hagan's `{delay: weight}` gradients (SPEC 1.17): as a
file publishes them and as `check --answer` takes them. Keys come back as the strings the JSON
writes; the numbers as floats, rows as lists; a bad entry is refused at its key path."""

from __future__ import annotations

import pytest

from rnnquiz.errors import ProblemError
from rnnquiz.problem.answers import read_answer
from rnnquiz.problem.typed_answers import parse_answer


@pytest.mark.parametrize("text", ["{1: 0.54, 2: 0.46}", "1: 0.54, 2: 0.46", " 1 : 0.54,  2: 0.46"])
def test_a_typed_answer_by_delay_with_or_without_braces(text):
    assert parse_answer(text) == {"1": 0.54, "2": 0.46}


def test_a_typed_answer_by_layer_then_delay_with_rows():
    got = parse_answer("{2: {1: 0.1, 3: [1, 2]}}")
    assert got == {"2": {"1": 0.1, "3": [1.0, 2.0]}}
    assert isinstance(got["2"]["3"][0], float)


@pytest.mark.parametrize("text, message", [
    ("{1: }", "[1]: expected a number or a list of numbers (or of lists), got nothing"),
    ("1: abc", "[1]: expected a number or a list of numbers (or of lists), got 'abc'"),
    ("{1: {}}", "[1]: expected {key: answer} with at least one entry"),
    ("{1: [1, 2", "expected {delay: number, ...}, got '{1: [1, 2'"),
])
def test_a_bad_typed_answer_by_delay_says_where(text, message):
    with pytest.raises(ValueError) as err:
        parse_answer(text)
    assert str(err.value) == message


def test_a_long_unreadable_answer_by_delay_is_shown_by_its_first_40_characters():
    text = "{1: [0.125, 0.25, 0.375, 0.5, 0.625, 0.75, 0.875"      # the bracket never closed
    with pytest.raises(ValueError) as err:
        parse_answer(text)
    assert text[:40] == "{1: [0.125, 0.25, 0.375, 0.5, 0.625, 0.7"
    assert str(err.value) == f"expected {{delay: number, ...}}, got {text[:40]!r}"


def test_a_published_answer_by_delay():
    assert read_answer({1: 0.5, 2: [1, 2]}) == {"1": 0.5, "2": [1.0, 2.0]}
    assert read_answer({3: {1: [[1, 2], [3, 4]]}}) == {"3": {"1": [[1.0, 2.0], [3.0, 4.0]]}}


@pytest.mark.parametrize("value, keys, message", [
    ({}, ("answer",), "expected {key: answer} with at least one entry"),
    ({2: {}}, ("answer", 2), "expected {key: answer} with at least one entry"),
    ({2: {1: "x"}}, ("answer", 2, 1),
     "expected a number or a list of numbers (or of lists), got 'x'"),
])
def test_a_bad_published_answer_by_delay_is_refused_at_its_key_path(value, keys, message):
    with pytest.raises(ProblemError) as err:
        read_answer(value)
    assert err.value.keys == keys and err.value.reason == message
