"""`check` of a question in several parts, through the API: the verdict object `check --json`
prints (every key, each part's own digits and expected value), the slips found for a wrong
part (searched on that part's own document, a part written as a mapping too), and the
messages for the wrong number of parts or an unreadable part. Values are Hinton's lecture 7
problem 3 network worked by hand."""

from __future__ import annotations

import math

import pytest

from rnnquiz.errors import ProblemError
from rnnquiz.teaching.checking import check


def _sigma(z):
    return 1 / (1 + math.exp(-z))


# h_0 = σ(0.5·9 − 1), h_1 = σ(0.5·4 − h_0 − 1), h_2 = σ(0.5·(−2) − h_1 − 1), y_t = −0.7·h_t
H0 = _sigma(3.5)
H1 = _sigma(1 - H0)
H2 = _sigma(-2 - H1)

NETWORK = {"hidden": "logistic", "output": "linear", "W_xh": 0.5, "W_hh": -1.0, "W_hy": -0.7,
           "b_h": -1.0, "b_y": 0.0, "h_init": 0}
HINTON = {"type": "forward", "network": NETWORK, "inputs": [9, 4, -2],
          "ask": {"quantity": ["h", "y"], "t": 1, "digits": 2}, "answer": [0.51, -0.36]}
# the first part a mapping with its own step and digits, the second the plain key
MAPPED = {"type": "forward", "network": NETWORK, "inputs": [9, 4, -2],
          "ask": {"quantity": [{"quantity": "y", "t": 2, "digits": 3}, {"quantity": "h", "t": 1}],
                  "digits": 2}}

KEYS = {"schema_version", "file", "question", "given", "agrees", "expected",
        "expected_rounded", "digits", "diagnosis", "parts"}


def test_the_verdict_of_a_question_in_parts_has_every_key_of_check_json():
    v = check(HINTON, "0.12 | -0.36")
    assert set(v) == KEYS
    assert v["schema_version"] == 1 and v["file"] is None
    assert v["question"] == "h at t=1; y at t=1"
    assert v["given"] == [0.12, -0.36] and v["agrees"] is False
    assert v["expected"] == pytest.approx([H1, -0.7 * H1], abs=1e-15)
    assert v["expected_rounded"] == [0.51, -0.36]      # 0.5073 and -0.3551 at 2 places
    assert v["digits"] == [2, 2]
    assert [p["question"] for p in v["parts"]] == ["h at t=1", "y at t=1"]
    assert [p["agrees"] for p in v["parts"]] == [False, True]


def test_each_part_keeps_its_own_digits_and_step():
    # y_2 = -0.7·σ(-2 - h_1) = -0.0527 at 3 places, h_1 = 0.5073 at the question's 2
    v = check(MAPPED, "-0.053 | 0.51")
    assert v["agrees"] is True
    assert v["question"] == "y at t=2; h at t=1"
    assert v["expected"] == pytest.approx([-0.7 * H2, H1], abs=1e-15)
    assert v["expected_rounded"] == [-0.053, 0.51]
    assert v["digits"] == [3, 2]
    assert v["diagnosis"] == []


def test_a_wrong_first_part_is_diagnosed_on_that_part_alone():
    # h_2 = 0.0753 given for h_1: the step after the one asked (the second part, y, is right)
    v = check(HINTON, "0.08 | -0.36")
    assert [(d["slip"], d["part"]) for d in v["diagnosis"]] == [("off_by_one_step", 1)]
    assert v["diagnosis"][0]["value"] == pytest.approx(H2, abs=1e-15)
    assert v["parts"][0]["diagnosis"] == v["diagnosis"] and v["parts"][1]["diagnosis"] == []


def test_a_wrong_part_written_as_a_mapping_is_diagnosed_with_its_own_step():
    # y_1 = -0.3551 given for y_2: steps counted from 1 (t = 2 read as the second step, y_1)
    v = check(MAPPED, "-0.355 | 0.51")
    assert [(d["slip"], d["part"]) for d in v["diagnosis"]] == [("steps_from_1", 1)]
    assert v["diagnosis"][0]["value"] == pytest.approx(-0.7 * H1, abs=1e-15)


def test_a_slip_that_rewrites_the_document_is_searched_on_the_part_mapping_alone():
    # b_h left out: h_0 = σ(4.5), h_1 = σ(2 - h_0), h_2 = σ(-1 - h_1), y_2 = -0.7·h_2 = -0.1051
    h0 = _sigma(4.5)
    h2 = _sigma(-1 - _sigma(2 - h0))
    v = check(MAPPED, "-0.105 | 0.51")
    assert [(d["slip"], d["part"]) for d in v["diagnosis"]] == [("no_bias", 1)]
    assert v["diagnosis"][0]["value"] == pytest.approx(-0.7 * h2, abs=1e-15)


def test_the_wrong_number_of_parts_names_each_part_question():
    with pytest.raises(ProblemError) as err:
        check(HINTON, "0.51")
    assert err.value.reason == ("answer: expected 2 parts separated by '|' "
                                "(h at t=1; y at t=1), got 1")


def test_an_unreadable_part_is_named_by_its_number_and_question():
    with pytest.raises(ProblemError) as err:
        check(HINTON, "0.51 | 1,2,3,4")
    assert err.value.reason == "answer: part 2 (y at t=1): y at t=1 is one number, got 4"
    with pytest.raises(ProblemError) as err:
        check(HINTON, "1,2 | -0.36")
    assert err.value.reason == ("answer: part 1 (h at t=1): h at t=1 is one number, got 2; "
                                "use a dot for decimals: 1.2")
