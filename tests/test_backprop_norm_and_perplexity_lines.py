"""What `backprop` adds after BPTT, as working lines (SPEC 1.1): the global norm ‖g‖ is written
where it is asked or clipping needs it (and computed quietly otherwise), and the perplexity
where it is asked. By hand: a linear cell with W_hh = 0, inputs 3 and 4 and dE/dh_t = 1 from
above gives dE/dW_xh = 7, dE/dW_hh = 3, dE/db_h = 2, so ‖g‖ = sqrt(62); a softmax output of
all-zero weights gives each of 3 tokens 1/3, so two loss terms of ln 3 and perplexity 3."""

from __future__ import annotations

import math

import pytest

import rnnquiz

LINEAR = {"type": "backprop", "inputs": [3, 4], "upstream": {"h": [1, 1]},
          "network": {"hidden": "linear", "W_xh": 1, "W_hh": 0, "b_h": 0, "h_init": 0}}
NORM = ("‖g‖", "sqrt(Σ over every weight and bias of Σ g²)", "clip",
        "the global norm, before any clipping")
UNIFORM = {"type": "backprop", "inputs": [1, 2], "targets": {0: 0, 1: 2}, "loss": "cross_entropy",
           "reduction": "mean",
           "network": {"hidden": "tanh", "output": "softmax", "W_xh": 0, "W_hh": 0,
                       "W_hy": [[0], [0], [0]], "b_h": 0, "b_y": [0, 0, 0], "h_init": 0}}


def clip_lines(r):
    return [(s.symbol, s.equation, s.phase, s.note) for s in r.steps if s.phase == "clip"]


def test_the_global_norm_asked_is_written_out():
    r = rnnquiz.solve({**LINEAR, "ask": {"quantity": "grad_norm"}})
    assert clip_lines(r) == [NORM]
    assert r.answer == pytest.approx(math.sqrt(62), rel=1e-15)


def test_the_global_norm_not_asked_is_computed_quietly():
    r = rnnquiz.solve({**LINEAR, "ask": {"quantity": "dE/dW_xh"}})
    assert clip_lines(r) == [] and r.answer == 7.0
    assert r.values["grad_norm"] == pytest.approx(math.sqrt(62), rel=1e-15)


def test_clipping_writes_the_norm_it_clips_by():
    r = rnnquiz.solve({**LINEAR, "clip": {"norm": 1}, "ask": {"quantity": "dE/dW_xh"}})
    assert clip_lines(r)[0] == NORM
    assert r.answer == pytest.approx(7 / math.sqrt(62), rel=1e-15)


def test_the_perplexity_asked_is_written_out():
    r = rnnquiz.solve({**UNIFORM, "ask": {"quantity": "perplexity"}})
    (line,) = [s for s in r.steps if s.symbol == "perplexity"]
    assert (line.equation, line.formula, line.phase) == (
        "exp(Σ loss terms / number of loss terms)", "exp({} / {})", "loss")
    assert line.operands[0] == pytest.approx(2 * math.log(3), rel=1e-15)
    assert line.operands[1] == 2
    assert r.answer == pytest.approx(3.0, rel=1e-15)


def test_the_perplexity_not_asked_is_computed_quietly():
    r = rnnquiz.solve({**UNIFORM, "ask": {"quantity": "E"}})
    assert [s for s in r.steps if s.symbol == "perplexity"] == []
    assert r.values["perplexity"] == pytest.approx(3.0, rel=1e-15)
    assert r.answer == pytest.approx(math.log(3), rel=1e-15)       # the mean of two ln 3
