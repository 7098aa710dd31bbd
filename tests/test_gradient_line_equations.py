"""How the working writes each parameter's gradient line (rnnquiz/cells/named.py): the course's
sum where the cell has one (Hinton's Σ_t dE/dz_t·h_{t-1}), what the sum runs over where it has
none, the read-out after the cell's keys and the initial state last, the initial state's
W_hh·dE/dz_0 in the file's layout, and CMU 11-785's batch mean with gradients from above (the
parameters' sums divided by N, said once). The formulas are the courses'; the values that come
with them are checked by finite differences or the files' published answers."""

from __future__ import annotations

import numpy as np
import pytest

import rnnquiz
from conftest import PROBLEMS, finite_difference

HINTON = {"type": "backprop",
          "network": {"hidden": "logistic", "W_xh": 0.5, "W_hh": -1.0, "W_hy": 2.0, "h_init": 0.0},
          "inputs": [1.0, 2.0], "targets": [0.5, 0.25]}


def _lines(result) -> list[tuple[str, str, str]]:
    return [(s.symbol, s.equation, s.note) for s in result.steps if s.phase == "gradient"]


def _file(name: str, i: int = 0):
    return list(rnnquiz.load(PROBLEMS / name))[i]


def test_hintons_lines_are_his_sums_the_read_out_after_the_cell_and_h_init_last():
    r = rnnquiz.solve(HINTON)
    # the output is linear: its sums are over dE/dy_t (= dE/du_t)
    assert _lines(r) == [("dE/dW_xh", "Σ_t dE/dz_t·x_t", ""),
                         ("dE/dW_hh", "Σ_t dE/dz_t·h_{t-1}", ""),
                         ("dE/db_h", "Σ_t dE/dz_t", ""),
                         ("dE/dW_hy", "Σ_t dE/dy_t·h_t", ""),
                         ("dE/db_y", "Σ_t dE/dy_t", ""),
                         ("dE/dh_init", "W_hh·dE/dz_0", "")]
    for key in ("W_hh", "h_init"):
        np.testing.assert_allclose(r.values[f"dE/d{key}"], finite_difference(HINTON, key, False),
                                   rtol=1e-6, atol=1e-9)


def test_without_a_course_formula_the_line_says_what_it_sums():
    doc = {"type": "backprop", "notation": "pytorch", "inputs": [[1.0], [-1.0]],
           "targets": [[0.5], [0.0]],
           "network": {"weight_ih": [[0.5]], "weight_hh": [[0.2]], "bias_ih": [0.1],
                       "bias_hh": [0.0]}}
    assert _lines(rnnquiz.solve(doc)) == [
        ("dE/dweight_ih", "Σ_t over the steps", ""), ("dE/dweight_hh", "Σ_t over the steps", ""),
        ("dE/dbias_ih", "Σ_t over the steps", ""), ("dE/dbias_hh", "Σ_t over the steps", ""),
        ("dE/dh_init", "weight_hh·dE/dz_0", "")]
    lstm = {"type": "backprop", "cell": "lstm", "inputs": [1, -1], "targets": [0.5, -0.5],
            "network": {"W_fh": 0.5, "W_fx": 1, "b_f": 0.1, "W_ih": -0.5, "W_ix": 1, "W_oh": 1,
                        "W_ox": 0.5, "W_ch": 0.2, "W_cx": 1, "h_init": 0.1, "c_init": -0.2}}
    lines = dict((s, e) for s, e, _ in _lines(rnnquiz.solve(lstm)))
    assert lines["dE/dW_fh"] == "Σ_t over the steps"
    assert lines["dE/dh_init"] == lines["dE/dc_init"] == "carried back to the initial state"
    # an embedding's rows gather dE/dx_t of the steps that read them
    lines = dict((s, e) for s, e, _ in _lines(rnnquiz.solve(_file("fastbook_lmmodel4_tied.yaml"))))
    assert lines["dE/dembedding"] == "Σ_t dE/dx_t into the row of token x_t"
    assert lines["dE/dweight_ih"] == "Σ_t over the steps"


def test_jordans_decaying_state_units_are_summed_over_s_t():
    p = _file("jordan_state_decay.yaml", 1)
    r = rnnquiz.solve(p)
    lines = dict((s, e) for s, e, _ in _lines(r))
    assert lines["dE/dW_yh"] == "Σ_t dE/dz_t·s_t"
    assert lines["dE/dy_init"] == "Σ_t μ^t·W_yh·dE/dz_t (s_0 = y_init)"
    assert r.answer == pytest.approx(-0.027208, abs=5e-7)       # the file's, by hand and torch


def test_a_batch_mean_from_above_divides_the_parameter_sums_and_says_so_once():
    p = _file("cmu11785_rnncell_backward.yaml")
    r = rnnquiz.solve(p)
    note = ("reduction batch_mean with upstream: the parameter gradients are divided by the 2 "
            "examples; dE/dx and the initial state's stay per example (CMU 11-785's "
            "RNNCell.backward)")
    per_example = "1/2·(Σ_n Σ_t over the examples and steps)"
    assert _lines(r) == [("dE/dweight_ih", per_example, note),
                         ("dE/dweight_hh", per_example, ""), ("dE/dbias_ih", per_example, ""),
                         ("dE/dbias_hh", per_example, ""),
                         ("dE/dh_init", "dE/dz_0·weight_hh", "")]     # the examples are rows
    np.testing.assert_allclose(r.answer, p.answer, atol=5e-9)        # torch's, divided by 2
    # a course's own sum gains the sum over the examples
    lines = dict((s, e) for s, e, _ in _lines(rnnquiz.solve(_file("cmu11785_hw3p1.yaml", 1))))
    assert lines["dE/dW_hh"] == "1/2·(Σ_n Σ_t dE/dz_t·h_{t-1})"
