"""A number mistyped among the words of a typed answer (`check --answer`, `quiz`) is refused
and named, whichever case its exponent is written in, rather than read as one more token."""

from __future__ import annotations

import pytest

from rnnquiz.problem.typed_answers import parse_answer


@pytest.mark.parametrize("text, word", [
    ("1.2.3E5 2", "1.2.3E5"),
    ("1.2.3e5 2", "1.2.3e5"),
    ("A 1.2.3 B", "1.2.3"),
    ("A, -0.5.1e-2", "-0.5.1e-2"),
])
def test_a_number_with_two_decimal_points_is_named(text, word):
    with pytest.raises(ValueError) as err:
        parse_answer(text)
    assert str(err.value) == f"{word!r} is not a number: one decimal point at most (as 0.88)"


def test_exponents_of_either_case_are_numbers_among_tokens():
    assert parse_answer("A 1.5E3 B") == ["A", "1.5E3", "B"]
    assert parse_answer("1e-2, 2E1") == [0.01, 20.0]
