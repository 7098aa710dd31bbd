"""Every cell in every notation: finite-difference gradients, hand-worked values, conventions."""

from __future__ import annotations

import numpy as np
import pytest

import rnnquiz
from rnnquiz.notations import NOTATIONS
from conftest import finite_difference, random_network

CELL_NOTATIONS = sorted(k for k in NOTATIONS if k[0] != "rnn")


def problem(rng, cell, notation, output, convention=None, T=4, n_x=2, n_h=3):
    doc = {"type": "backprop", "cell": cell, "notation": notation, "round": "none",
           "network": random_network(rng, cell, notation, n_x, n_h, output),
           "inputs": rng.normal(0, 1, (T, n_x)).tolist()}
    n_y = 2 if output else n_h
    first = NOTATIONS[(cell, notation)].first
    doc["targets"] = {t + first: rng.normal(0, 1, n_y).tolist() for t in (0, 2, 3)}
    if convention:
        doc["convention"] = convention
    return doc


VARIANTS = [(c, n, None) for c, n in CELL_NOTATIONS] + [("gru", "mit", "pytorch")]


@pytest.mark.parametrize("seed", [0, 1])
@pytest.mark.parametrize("output", [False, True], ids=["y=h", "W_hy"])
@pytest.mark.parametrize("cell, notation, convention", VARIANTS)
def test_every_gradient_matches_finite_differences(cell, notation, convention, output, seed):
    rng = np.random.default_rng(seed)
    doc = problem(rng, cell, notation, output, convention)
    r = rnnquiz.solve(doc, steps=False)
    keys = NOTATIONS[(cell, notation)].params + list(NOTATIONS[(cell, notation)].states)
    for key in keys:
        if key not in doc["network"]:
            continue
        num = finite_difference(doc, key, steps=False)
        got = np.array(r.values[f"dE/d{key}"], dtype=float).reshape(num.shape)
        np.testing.assert_allclose(got, num, rtol=1e-5, atol=1e-8, err_msg=key)


def test_gru_conventions_run_the_update_gate_opposite_ways():
    # an update gate near 0 keeps the state in ng; near 1 keeps it in PyTorch's convention
    keep_ng = {"type": "gru", "round": "none", "inputs": [1, -1, 2],
               "network": {"b_u": -50, "W_ch": 1, "W_cx": 1, "h_init": 0.4}}
    assert rnnquiz.solve(keep_ng).answer == pytest.approx([0.4] * 3, abs=1e-12)
    keep_pt = {**keep_ng, "convention": "pytorch", "network": {**keep_ng["network"], "b_u": 50}}
    assert rnnquiz.solve(keep_pt).answer == pytest.approx([0.4] * 3, abs=1e-12)


def test_gated_rnn_hand_worked():
    # g_0 = σ(0.5·0.5 + 1·1) = σ(1.25); s_0 = (1 - g)·0.5 + g·tanh(0.5 + 1)
    r = rnnquiz.solve({"type": "gated", "round": "none", "inputs": [1],
                       "network": {"W_gs": 0.5, "W_gx": 1, "W_ss": 1, "W_sx": 1, "s_init": 0.5}})
    g = 1 / (1 + np.exp(-1.25))
    assert r.question == "every s_t"
    assert r.answer == [pytest.approx((1 - g) * 0.5 + g * np.tanh(1.5), rel=1e-14)]


@pytest.mark.parametrize("cell", ["lstm", "gru"])
def test_notations_agree_on_the_same_cell(cell):
    """deeplearning.ai's concatenated weights and MIT's split ones give the same states."""
    rng = np.random.default_rng(7)
    mit = random_network(rng, cell, "mit", 2, 3, False)
    dlai = {}
    gates = {"lstm": {"f": "f", "u": "i", "o": "o", "c": "c"},
             "gru": {"u": "u", "r": "r", "c": "c"}}[cell]
    for d, m in gates.items():
        dlai[f"W_{d}"] = np.hstack([mit[f"W_{m}h"], mit[f"W_{m}x"]]).tolist()
        dlai[f"b_{d}"] = mit[f"b_{m}"]
    if cell == "lstm":
        dlai["a_init"], dlai["c_init"] = mit["h_init"], mit["c_init"]
    else:
        dlai["c_init"] = mit["h_init"]
    X = rng.normal(0, 1, (4, 2)).tolist()
    a = rnnquiz.solve({"type": cell, "round": "none", "inputs": X, "network": mit}).answer
    b = rnnquiz.solve({"type": cell, "round": "none", "inputs": X, "network": dlai,
                       "notation": "deeplearning_ai"}).answer
    np.testing.assert_allclose(a, b, rtol=1e-12)


def test_deeplearning_ai_quantities_and_working():
    r = rnnquiz.solve({"type": "lstm", "notation": "deeplearning_ai", "round": "none",
                       "inputs": [1], "network": {"W_f": [[0.5, 1]], "a_init": 0.2},
                       "ask": {"quantity": "gamma_f", "t": 1}})
    assert r.answer == [pytest.approx(1 / (1 + np.exp(-(0.5 * 0.2 + 1))))]
    # the course numbers steps from 1: a<0> is the initial state
    text = " ".join(s.symbol + " " + s.equation for s in r.steps)
    assert "Γ_f<1>" in text and "W_f·[a<0>; x<1>] + b_f" in text


def test_shape_mismatch_names_both_shapes():
    with pytest.raises(rnnquiz.ProblemError, match=r"network.weight_hh: has shape 8x3, "
                                                   r"expected 8x2"):
        rnnquiz.solve({"type": "lstm", "notation": "pytorch", "inputs": [[1, 2]],
                       "network": {"weight_ih": np.zeros((8, 2)).tolist(),
                                   "weight_hh": np.zeros((8, 3)).tolist()}})


@pytest.mark.parametrize("cell, notation", [("gated", "mit"), ("gru", "mit"), ("lstm", "mit")])
def test_vanishing_through_cells_checks_the_jacobian(cell, notation):
    """The factor of each step is the norm of the state Jacobian; compare with differences."""
    rng = np.random.default_rng(3)
    doc = problem(rng, cell, notation, False, T=3, n_h=2)
    doc["type"] = "vanishing"
    del doc["targets"]
    r = rnnquiz.solve(doc)
    fwd = {k: v for k, v in doc.items() if k != "cell"} | {"type": cell}
    init = "s_init" if cell == "gated" else "h_init"
    eps = 1e-6
    # d h_1 / d h_0 by differences through a one-step run started from h_0
    base = rnnquiz.solve({**fwd, "ask": {"quantity": fwd_state(cell), "t": 0}},
                         steps=False).answer
    second = {**fwd, "inputs": doc["inputs"][1:2]}
    cols = []
    start = list(base)
    c0 = (rnnquiz.solve({**fwd, "ask": {"quantity": "c", "t": 0}}, steps=False).answer
          if cell == "lstm" else None)
    full = start + (list(c0) if cell == "lstm" else [])
    for j in range(len(full)):
        outs = []
        for sign in (1, -1):
            v = list(full)
            v[j] += sign * eps
            net = {**second["network"], init: v[:2]}
            if cell == "lstm":
                net["c_init"] = v[2:]
            s1 = rnnquiz.solve({**second, "network": net, "ask": {"quantity": fwd_state(cell)}},
                               steps=False).answer[0]
            if cell == "lstm":
                s1 = list(s1) + list(rnnquiz.solve({**second, "network": net,
                                                    "ask": {"quantity": "c"}},
                                                   steps=False).answer[0])
            outs.append(np.array(s1))
        cols.append((outs[0] - outs[1]) / (2 * eps))
    J = np.array(cols).T
    assert r.extra["factors"][0] == pytest.approx(np.linalg.norm(J, 2), rel=1e-6)


def fwd_state(cell):
    return {"gated": "s", "gru": "h", "lstm": "h"}[cell]
