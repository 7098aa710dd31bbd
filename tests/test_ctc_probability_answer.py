"""The probability a CTC question answers is one number (a numpy scalar from the solver, given
back as a float), with Graves's hand-worked values: over two frames y_1 = (0.7, 0.3),
y_2 = (0.6, 0.4) (blank first), the labelling A has the paths A-, -A and AA, and the best path
is the blank twice; prefix beam search (width 2) keeps the prefixes "" and A, so it finds A with
its whole probability."""

from __future__ import annotations

from pathlib import Path

import pytest

import rnnquiz

GRAVES = Path(__file__).resolve().parent.parent / "problems" / "graves_best_path_misses.yaml"


def test_the_probability_of_a_labelling_is_one_float():
    r = rnnquiz.solve(rnnquiz.load(str(GRAVES))[0], steps=False)
    assert type(r.answer) is float
    assert r.answer == pytest.approx(0.3 * 0.6 + 0.7 * 0.4 + 0.3 * 0.4, abs=1e-15)   # 0.58
    assert r.answer_rounded == 0.58 and r.agrees is True


def test_the_probability_of_the_best_path_is_one_float():
    r = rnnquiz.solve(rnnquiz.load(str(GRAVES))[1], steps=False)
    assert type(r.answer) is float
    assert r.answer == pytest.approx(0.7 * 0.6, abs=1e-15)                            # 0.42


def test_the_probability_prefix_beam_search_finds_is_one_float():
    doc = {k: v for k, v in rnnquiz.load(str(GRAVES))[2].data.items() if k != "answer"}
    r = rnnquiz.solve({**doc, "ask": {"quantity": "probability"}}, steps=False)
    assert type(r.answer) is float
    assert r.answer == pytest.approx(0.3 * 0.6 + 0.7 * 0.4 + 0.3 * 0.4, abs=1e-15)   # 0.58
