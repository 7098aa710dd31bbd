"""The vectorised engine (steps=False) equals the step-by-step cells (steps=True)."""

import numpy as np
import pytest

import rnnquiz
from test_cells import VARIANTS, problem
from test_rnn_gradients import CASES, random_problem


def same(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    np.testing.assert_allclose(a.reshape(-1), b.reshape(-1), rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("case", CASES, ids=lambda c: "-".join(map(str, c)))
def test_rnn_engine_equals_cells(case):
    n_x, n_h, n_y, hidden, output, loss = case
    doc, *_ = random_problem(np.random.default_rng(5), n_x, n_h, n_y, 6, hidden, output, loss,
                             partial=True)
    slow, quick = rnnquiz.solve(doc).values, rnnquiz.solve(doc, steps=False).values
    for key in ("E", "dE/dz", "dE/dh", "dE/dy", "z", "h", "y", "dE/dW_xh", "dE/dW_hh",
                "dE/dW_hy", "dE/db_h", "dE/db_y", "dE/dh_init"):
        same(quick[key], [np.asarray(v) for v in slow[key]] if isinstance(slow[key], list)
             else slow[key])


@pytest.mark.parametrize("output", [False, True])
@pytest.mark.parametrize("cell, notation, convention", VARIANTS)
def test_cell_engine_equals_cells(cell, notation, convention, output):
    doc = problem(np.random.default_rng(9), cell, notation, output, convention, T=5)
    slow, quick = rnnquiz.solve(doc).values, rnnquiz.solve(doc, steps=False).values
    assert set(slow) == set(quick)
    for key in slow:
        same(quick[key], slow[key])
    fwd = {k: v for k, v in doc.items() if k not in ("cell", "targets")} | {"type": cell}
    slow, quick = rnnquiz.solve(fwd).values, rnnquiz.solve(fwd, steps=False).values
    for key in slow:
        same(quick[key], slow[key])


def test_long_sequences_are_summarised_not_lost():
    X = np.random.default_rng(0).uniform(-1, 1, 5000).tolist()
    doc = {"type": "backprop", "inputs": X, "targets": {4999: 1.0},
           "network": {"W_xh": 0.5, "W_hh": -1.0, "W_hy": -0.7, "b_h": -1.0}}
    r = rnnquiz.solve(doc)
    assert len(r.steps) < 50
    assert any("not shown" in s.note for s in r.steps)
    assert len(r.answer) == 5000
    fwd = {k: v for k, v in doc.items() if k != "targets"} | {"type": "forward", "round": 3}
    rounded = rnnquiz.solve(fwd)
    assert len(rounded.answer) == 5000 and len(rounded.steps) < 40
