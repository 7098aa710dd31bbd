"""Every registered cell in every registered notation, read from the registries: a new cell or
notation is checked here with no edit of this file.

- the working (one recorded step at a time) and the vectorised scan give the same numbers;
- every gradient, on both paths, matches central finite differences;
- each state Jacobian matches differences of one step of the cell.
"""

from __future__ import annotations

import numpy as np
import pytest

import rnnquiz
from conftest import (assert_gradients_match_differences, assert_jacobian_matches_differences,
                      assert_paths_agree, backprop_problem)
from rnnquiz.cells import CELLS, cell_for
from rnnquiz.notations import NOTATIONS

PAIRS = sorted(NOTATIONS)


def test_every_cell_has_a_notation_and_every_notation_a_cell():
    assert {cell for cell, _ in PAIRS} == set(CELLS)
    for name in CELLS:
        cell = cell_for(name)
        assert cell.name == name and cell.states[0] == "h"
        for method in ("step", "step_back", "jacobian", "scan", "scan_back"):
            assert getattr(type(cell), method) is not getattr(type(cell).__mro__[-2], method), \
                f"{name} does not write {method}"


@pytest.mark.parametrize("readout", [False, True], ids=["y=h", "read-out"])
@pytest.mark.parametrize("cell, notation", PAIRS)
def test_working_and_scan_agree(cell, notation, readout):
    assert_paths_agree(backprop_problem(np.random.default_rng(11), cell, notation, readout,
                                        T=5))


@pytest.mark.parametrize("steps", [True, False], ids=["working", "scan"])
@pytest.mark.parametrize("cell, notation", PAIRS)
def test_gradients_match_finite_differences(cell, notation, steps):
    doc = backprop_problem(np.random.default_rng(4), cell, notation, readout=True, T=3, n_h=2)
    assert_gradients_match_differences(doc, cell, notation, steps)


@pytest.mark.parametrize("cell, notation", PAIRS)
def test_dE_dx_matches_finite_differences(cell, notation):
    doc = backprop_problem(np.random.default_rng(8), cell, notation, readout=False, T=3, n_h=2)
    got = np.asarray(rnnquiz.solve(doc, steps=False).values["dE/dx"], dtype=float)
    X = np.asarray(doc["inputs"], dtype=float)
    num = np.zeros_like(X)
    for idx in np.ndindex(X.shape):
        E = []
        for sign in (1, -1):
            v = X.copy()
            v[idx] += sign * 1e-6
            E.append(rnnquiz.solve({**doc, "inputs": v.tolist(), "ask": {"quantity": "E"}},
                                   steps=False).answer)
        num[idx] = (E[0] - E[1]) / 2e-6
    np.testing.assert_allclose(got.reshape(num.shape), num, rtol=1e-5, atol=1e-8)


@pytest.mark.parametrize("name", sorted(CELLS))
def test_state_jacobian_matches_differences_of_one_step(name):
    from rnnquiz.cells.base import Ctx
    from rnnquiz.notations import notation_for
    from rnnquiz.trace import Work
    rng = np.random.default_rng(2)
    cell = cell_for(name)
    notation = notation_for(name, None)
    doc = backprop_problem(rng, name, notation.name, readout=False, T=1, n_h=3)
    from rnnquiz.cells.run import canonical, initial
    from rnnquiz.types import from_dict
    p = from_dict(doc)
    P, init = canonical(p), initial(p)
    words = p.network.words

    def step(state):
        ctx = Ctx(work=Work(record=False), notation=notation, params=p.network.params,
                  words=words)
        new, cache = cell.step(P, p.inputs[0], state, 0, ctx)
        return new, cache

    assert_jacobian_matches_differences(cell, P, step, init)


TYPE = {"rnn": "forward", "lstm": "lstm", "gru": "gru", "gated": "gated"}


@pytest.mark.parametrize("cell, notation", PAIRS)
def test_the_jacobian_quantity_matches_differences_of_the_last_state(cell, notation):
    """ask: jacobian (default: from the initial state to the last step), element (i, j) =
    ∂h_to,i/∂h_from,j, in every notation and layout."""
    doc = backprop_problem(np.random.default_rng(12), cell, notation, readout=False, T=3, n_h=2)
    n = NOTATIONS[(cell, notation)]
    doc = {"type": TYPE[cell], "notation": notation, "network": doc["network"],
           "inputs": doc["inputs"]}
    J = np.asarray(rnnquiz.solve({**doc, "ask": {"quantity": "jacobian"}}).answer, dtype=float)
    key = next(k for k, s in n.states.items() if s == "h")
    last = 3 - 1 + n.first
    h0 = np.asarray(doc["network"][key], dtype=float)
    num = np.zeros((2, 2))
    for j in range(2):
        hs = []
        for sign in (1, -1):
            v = h0.copy()
            v[j] += sign * 1e-6
            d = {**doc, "network": {**doc["network"], key: v.tolist()},
                 "ask": {"quantity": n.key("h"), "t": last}}
            hs.append(np.asarray(rnnquiz.solve(d, steps=False).answer, dtype=float))
        num[:, j] = (hs[0] - hs[1]) / 2e-6
    np.testing.assert_allclose(J, num, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("cell, notation", PAIRS)
def test_truncation_longer_than_the_sequence_is_full_bptt_and_zero_detaches(cell, notation):
    doc = backprop_problem(np.random.default_rng(16), cell, notation, readout=False, T=4)
    full = rnnquiz.solve(doc).values
    long = rnnquiz.solve({**doc, "truncate": 3}).values
    n = NOTATIONS[(cell, notation)]
    for key in n.params:
        if key in doc["network"]:
            np.testing.assert_allclose(np.asarray(long[f"dE/d{key}"], dtype=float),
                                       np.asarray(full[f"dE/d{key}"], dtype=float),
                                       rtol=1e-10, atol=1e-12, err_msg=key)
    zero = rnnquiz.solve({**doc, "truncate": 0}).values
    key = next(k for k, s in n.states.items() if s == "h")
    last = np.asarray(zero[f"dE/d{key}"], dtype=float)
    assert not last.any()           # k = 0: h_{t-1} is a constant, the initial state's too
