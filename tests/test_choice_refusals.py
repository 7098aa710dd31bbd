"""A choice file written wrong is refused by key, in words a student can act on (SPEC 1.8):
the question, the options, the correct numbers, the explanation, the demo's name and the
published answer; and what it takes is read as written (a number option as its text, one
correct number as a list of one, no explanation as none)."""

from __future__ import annotations

import pytest

from rnnquiz.errors import ProblemError
from rnnquiz.types import from_dict

CHOICE = {"type": "choice", "question": "Q?", "options": ["a", "b"], "correct": [1]}
NOT_A_PATH = ("demo: expected a file name in the same folder as this file (or a bundled "
              "problem), not a path: ")


@pytest.mark.parametrize("change, message", [
    ({"question": "  "}, "question: expected the question as text, got '  '"),
    ({"question": "Q\x1b[2J?"}, "question: control character U+001B is not allowed in text"),
    ({"options": "ab"}, "options: expected a list of at least two options, got 'ab'"),
    ({"options": ["a", None]}, "options[1]: expected an option as text, got nothing"),
    ({"options": ["a", True]}, "options[1]: expected an option as text, got true"),
    ({"correct": []},
     "correct: expected the correct option numbers (from 1) as a list, got a list"),
    ({"correct": True},
     "correct: expected the correct option numbers (from 1) as a list, got true"),
    ({"correct": [0]}, "correct[0]: expected an option number from 1 to 2, got 0"),
    ({"correct": [3]}, "correct[0]: expected an option number from 1 to 2, got 3"),
    ({"correct": [2, 1, 2]}, "correct[2]: option 2 is listed twice"),
    ({"explanation": 3}, "explanation: expected text, got 3"),
    ({"explanation": "a\x07b"}, "explanation: control character U+0007 is not allowed in text"),
    ({"demo": 3}, "demo: expected a problem file name, got 3"),
    ({"demo": " "}, "demo: expected a problem file name, got ' '"),
    ({"demo": "x\x1b.yaml"}, "demo: control character U+001B is not allowed in text"),
    ({"demo": "sub/x.yaml"}, NOT_A_PATH + "'sub/x.yaml'"),
    ({"demo": "sub\\x.yaml"}, NOT_A_PATH + "'sub\\\\x.yaml'"),
    ({"demo": "."}, NOT_A_PATH + "'.'"),
    ({"demo": ".."}, NOT_A_PATH + "'..'"),
    ({"answer": [2, 0]}, "answer[1]: expected option numbers (whole numbers from 1), got 0"),
    ({"answer": 0}, "answer: expected option numbers (whole numbers from 1), got 0"),
])
def test_a_wrong_choice_file_is_refused_at_its_key(change, message):
    with pytest.raises(ProblemError) as err:
        from_dict({**CHOICE, **change})
    assert str(err.value) == message


def test_a_choice_reads_its_keys_as_written():
    p = from_dict({**CHOICE, "options": [1, 2.5, "c"], "correct": 3})
    assert p.options == ["1", "2.5", "c"]          # a number option is shown as written
    assert p.correct == [3]                         # one number is a list of one
    assert p.explanation == "" and p.demo is None   # none given: none shown
    p = from_dict({**CHOICE, "correct": [2, 1], "explanation": None, "answer": [2, 1]})
    assert p.correct == [1, 2] and p.answer == [1, 2] and p.explanation == ""
