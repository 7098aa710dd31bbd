"""The working shows every number it answers with (issue 23, item 6): each number of the
answer (each word of a verdict, each option of a choice) is the value, or an element of the
value, of some step of the JSON working. A TA's board never ends in a number that was not
written on it."""

from __future__ import annotations

import math

import pytest

import rnnquiz
from conftest import PROBLEMS

FILES = sorted(PROBLEMS.glob("*.yaml"))


def _flat(v):
    if isinstance(v, dict):
        for e in v.values():
            yield from _flat(e)
    elif isinstance(v, (list, tuple)):
        for e in v:
            yield from _flat(e)
    else:
        yield v


def _shown(answer, steps) -> bool:
    for step in steps:
        for e in _flat(step.get("value")):
            if isinstance(answer, str):
                if isinstance(e, str) and answer.strip().casefold() == e.strip().casefold():
                    return True
            elif isinstance(e, (int, float)) and not isinstance(e, bool) and \
                    math.isclose(e, answer, rel_tol=1e-9):
                return True
    return False


def missing_from_working(result) -> list:
    out = result.to_json()
    answer = out["answer"]
    if isinstance(answer, list) and answer and all(isinstance(e, str) for e in answer) \
            and _shown(" ".join(answer), out["steps"]):
        return []                           # a sequence of tokens written as one line
    return [a for a in _flat(answer) if not _shown(a, out["steps"])]


@pytest.mark.parametrize("path", FILES, ids=[f.stem for f in FILES])
def test_every_answered_number_is_in_the_working(path):
    for p in rnnquiz.load(path):
        result = rnnquiz.solve(p)
        assert missing_from_working(result) == [], (path.name, p.doc_index, result.question)


def test_the_checker_sees_a_missing_number():
    """The search itself can fail: a number that no step holds is reported."""
    (p,) = rnnquiz.load(PROBLEMS / "hinton_p3.yaml")
    result = rnnquiz.solve(p)
    result.answer = 12345.678
    assert missing_from_working(result) == [12345.678]
    # a tiny number is compared by its digits, not found in the working's zeros: its f_0 is
    # σ(-100) = 3.72e-44, and 2e-44 is on no step
    result = rnnquiz.solve(rnnquiz.load(PROBLEMS / "mit_lstm_states_1.yaml")[0])
    result.answer = 2e-44
    assert missing_from_working(result) == [2e-44]
