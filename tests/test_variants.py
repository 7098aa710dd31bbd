"""LSTM peepholes (Gers & Graves) and the GRU's gate and candidate activations (SPEC 1.3):
forward against plain numpy references written here, every gradient against finite
differences through the working and through the scan, the state Jacobian against differences
of one step."""

from __future__ import annotations

import numpy as np
import pytest

import rnnquiz
from conftest import (assert_gradients_match_differences, assert_jacobian_matches_differences,
                      assert_paths_agree, backprop_problem,
                      finite_difference)
from oracles.lstm import peephole_step
from rnnquiz.notations import NOTATIONS

PEEP = {"w_cf": [0.5, -0.3, 0.8], "w_ci": [-0.6, 0.4, 0.2], "w_co": [0.7, -0.9, 0.3]}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def keras_hard_sigmoid(z):
    """Keras 2's clip(0.2 z + 0.5, 0, 1) (torch's hardsigmoid is z/6 + 1/2: not this one)."""
    return np.clip(0.2 * z + 0.5, 0, 1)


def peephole_lstm(net: dict, X, gate=sigmoid, cand=np.tanh):
    """Gers & Graves, written out: f, i look at c_{t-1}, o at c_t."""
    P = {k: np.asarray(v, dtype=float) for k, v in net.items()}
    h, c, out = P["h_init"], P["c_init"], []
    for x in np.asarray(X, dtype=float):
        f = gate(P["W_fh"] @ h + P["W_fx"] @ x + P["b_f"] + P["w_cf"] * c)
        i = gate(P["W_ih"] @ h + P["W_ix"] @ x + P["b_i"] + P["w_ci"] * c)
        g = cand(P["W_ch"] @ h + P["W_cx"] @ x + P["b_c"])
        c = f * c + i * g
        o = gate(P["W_oh"] @ h + P["W_ox"] @ x + P["b_o"] + P["w_co"] * c)
        h = o * np.tanh(c)
        out.append((h, c, f, i, o))
    return out


def _peephole_doc(seed=3, T=4, **words):
    doc = backprop_problem(np.random.default_rng(seed), "lstm", "mit", readout=True, T=T, n_h=3)
    doc["network"].update(PEEP, **words)
    return doc


@pytest.mark.parametrize("steps", [True, False], ids=["working", "scan"])
@pytest.mark.parametrize("gates", ["logistic", "hard_sigmoid"])
def test_peephole_forward_matches_gers_and_graves(steps, gates):
    doc = _peephole_doc(gate_activation=gates)
    fn = sigmoid if gates == "logistic" else keras_hard_sigmoid
    ref = peephole_lstm({k: v for k, v in doc["network"].items()
                         if k not in ("W_hy", "b_y", "gate_activation")}, doc["inputs"], fn)
    fwd = {**doc, "type": "lstm"}
    for k in ("targets", "cell"):
        fwd.pop(k)
    values = rnnquiz.solve(fwd, steps=steps).values
    for j, q in enumerate(("h", "c", "f", "i", "o")):
        np.testing.assert_allclose(np.asarray(values[q], dtype=float),
                                   np.array([r[j] for r in ref]), rtol=1e-12, atol=1e-14,
                                   err_msg=q)


def test_a_number_peephole_acts_on_every_unit_and_the_working_shows_it():
    doc = _peephole_doc()
    doc["network"].update(w_cf=0.25, w_ci=0.25, w_co=0.25)
    vec = _peephole_doc()
    vec["network"].update(w_cf=[0.25] * 3, w_ci=[0.25] * 3, w_co=[0.25] * 3)
    a, b = rnnquiz.solve(doc), rnnquiz.solve(vec)
    np.testing.assert_array_equal(np.asarray(a.values["dE/dw_co"]),
                                  np.asarray(b.values["dE/dw_co"]))
    eqs = [s.equation for s in a.steps]
    assert "W_fh·h_{-1} + W_fx·x_0 + b_f + w_cf⊙c_{-1}" in eqs
    assert "W_oh·h_{-1} + W_ox·x_0 + b_o + w_co⊙c_0" in eqs
    assert any("dE/dz^o_0⊙w_co" in e for e in eqs)
    assert any("dE/dz^f_1⊙w_cf + dE/dz^i_1⊙w_ci" in e for e in eqs)


def test_no_peephole_key_is_the_plain_lstm_and_zero_peepholes_agree_with_it():
    plain = backprop_problem(np.random.default_rng(3), "lstm", "mit", readout=True, T=4, n_h=3)
    zero = {**plain, "network": {**plain["network"], "w_cf": 0, "w_ci": 0, "w_co": 0}}
    p, z = rnnquiz.solve(plain).values, rnnquiz.solve(zero).values
    assert not any(k.startswith("dE/dw_c") for k in p)
    assert set(z) - set(p) == {"dE/dw_cf", "dE/dw_ci", "dE/dw_co"}
    for key in set(p) - {"grad_norm"}:      # the norm of all gradients counts the peepholes'
        np.testing.assert_array_equal(np.asarray(z[key], dtype=float),
                                      np.asarray(p[key], dtype=float), err_msg=key)
    # the peepholes' own gradients at 0 are not 0: Σ_t dE/dz^f_t ⊙ c_{t-1} ...
    assert np.abs(np.asarray(z["dE/dw_co"], dtype=float)).sum() > 1e-6


@pytest.mark.parametrize("steps", [True, False], ids=["working", "scan"])
@pytest.mark.parametrize("words", [{}, {"gate_activation": "hard_sigmoid"},
                                   {"candidate_activation": "logistic"}],
                         ids=["sigmoid", "hard_sigmoid", "logistic-candidate"])
def test_peephole_gradients_match_finite_differences(steps, words):
    doc = _peephole_doc(seed=5, T=3, **words)
    doc["network"].update(w_ci=[-0.4] * 3)
    r = rnnquiz.solve(doc, steps=steps)
    # every key of the notation the file's keys select (the peephole LSTM's)
    peephole = NOTATIONS[("lstm", "mit")].variant({}, doc["network"])
    for key in [*peephole.params, "h_init", "c_init"]:
        num = finite_difference(doc, key, steps)
        got = np.asarray(r.values[f"dE/d{key}"], dtype=float).reshape(num.shape)
        np.testing.assert_allclose(got, num, rtol=1e-5, atol=1e-8, err_msg=key)


def test_peephole_working_and_scan_agree_on_a_batch():
    doc = _peephole_doc(seed=9, T=5)
    rng = np.random.default_rng(1)
    doc["inputs"] = rng.normal(0, 1, (2, 5, 2)).tolist()      # 2 examples of 5 steps
    doc["batch"] = True
    doc["network"] = {k: v for k, v in doc["network"].items() if k not in ("W_hy", "b_y")}
    del doc["targets"]
    doc["upstream"] = {"h": rng.normal(0, 1, (2, 5, 3)).tolist()}
    assert_paths_agree(doc)


def _jacobian_against_one_step(doc, cell_name):
    from rnnquiz.cells import cell_for
    from rnnquiz.cells.base import Ctx
    from rnnquiz.cells.run import canonical, initial
    from rnnquiz.types import from_dict
    from rnnquiz.trace import Work
    p = from_dict(doc)
    cell, P, init = cell_for(cell_name), canonical(p), initial(p)

    def step(state):
        ctx = Ctx(work=Work(record=False), notation=p.network.notation,
                  params=p.network.params, words=p.network.words,
                  convention=p.convention or "ng")
        return cell.step(P, p.inputs[0], state, 0, ctx)

    assert_jacobian_matches_differences(cell, P, step, init)


@pytest.mark.parametrize("words", [{}, {"gate_activation": "hard_sigmoid"}])
def test_peephole_jacobian_matches_differences_of_one_step(words):
    _jacobian_against_one_step(_peephole_doc(seed=2, T=1, **words), "lstm")


# ------------------------------------------------------------------ the GRU's activations

GRU_WORDS = [{"gate_activation": "hard_sigmoid"}, {"candidate_activation": "logistic"},
             {"gate_activation": "hard_sigmoid", "candidate_activation": "logistic"}]
GRU_CASES = [(n, w) for n in ("mit", "d2l", "pytorch", "deeplearning_ai") for w in GRU_WORDS]


def _gru_doc(notation, words, seed=4, T=3):
    doc = backprop_problem(np.random.default_rng(seed), "gru", notation, readout=True, T=T,
                           n_h=2)
    doc["network"].update(words)
    return doc


@pytest.mark.parametrize("steps", [True, False], ids=["working", "scan"])
@pytest.mark.parametrize("notation, words", GRU_CASES)
def test_gru_activation_gradients_match_finite_differences(notation, words, steps):
    doc = _gru_doc(notation, words)
    assert_gradients_match_differences(doc, "gru", notation, steps)


@pytest.mark.parametrize("notation, words", GRU_CASES)
def test_gru_activation_working_and_scan_agree(notation, words):
    doc = _gru_doc(notation, words, seed=11, T=5)
    assert_paths_agree(doc)


@pytest.mark.parametrize("notation, convention", [("mit", "ng"), ("mit", "pytorch"),
                                                   ("d2l", None)])
def test_gru_activation_jacobian_matches_differences_of_one_step(notation, convention):
    doc = _gru_doc(notation, GRU_WORDS[2], seed=2, T=1)
    if convention:
        doc["convention"] = convention
    _jacobian_against_one_step(doc, "gru")


@pytest.mark.parametrize("reset_after", [True, False])
@pytest.mark.parametrize("steps", [True, False], ids=["working", "scan"])
def test_keras_gru_with_hard_sigmoid_gates_and_sigmoid_activation(steps, reset_after):
    """Keras' GRU written out: z = hs(x W_z + h U_z + b), r likewise, ĥ = σ(...),
    h = z ⊙ h_prev + (1 - z) ⊙ ĥ, with Keras 2's hard sigmoid."""
    rng = np.random.default_rng(0)
    D, H = 2, 3
    K, U = rng.normal(0, 0.8, (D, 3 * H)), rng.normal(0, 0.8, (H, 3 * H))
    B = rng.normal(0, 0.3, (2, 3 * H)) if reset_after else rng.normal(0, 0.3, 3 * H)
    X = rng.normal(0, 1, (4, D))
    b_in, b_rec = (B[0], B[1]) if reset_after else (B, np.zeros(3 * H))
    h, ref = np.zeros(H), []
    for x in X:
        xz, hz = x @ K + b_in, h @ U + b_rec
        z = keras_hard_sigmoid(xz[:H] + hz[:H])
        r = keras_hard_sigmoid(xz[H:2 * H] + hz[H:2 * H])
        if reset_after:
            hh = sigmoid(xz[2 * H:] + r * hz[2 * H:])
        else:
            hh = sigmoid(xz[2 * H:] + (r * h) @ U[:, 2 * H:])
        h = z * h + (1 - z) * hh
        ref.append(h)
    doc = {"type": "gru", "notation": "keras",
           "network": {"kernel": K.tolist(), "recurrent_kernel": U.tolist(),
                       "bias": B.tolist(), "recurrent_activation": "hard_sigmoid",
                       "activation": "sigmoid", "reset_after": reset_after, "h_init": 0},
           "inputs": X.tolist(), "ask": {"quantity": "h"}}
    got = np.asarray(rnnquiz.solve(doc, steps=steps).answer, dtype=float)
    np.testing.assert_allclose(got, np.array(ref), rtol=1e-12, atol=1e-14)


def test_gru_working_names_the_activation():
    doc = _gru_doc("mit", GRU_WORDS[2], T=2)
    eqs = [s.equation for s in rnnquiz.solve(doc).steps]
    assert "hard_σ(z^u_0)" in eqs and "σ(z^c_0)" in eqs
    assert any("hard_sigmoid'(z)" in e for e in eqs if e.startswith("dE/dh_1⊙"))


# ------------------------------------------------------------------ the gated RNN's activations

@pytest.mark.parametrize("steps", [True, False], ids=["working", "scan"])
@pytest.mark.parametrize("words", GRU_WORDS, ids=["hard_sigmoid", "logistic", "both"])
def test_gated_activation_gradients_match_finite_differences(words, steps):
    doc = backprop_problem(np.random.default_rng(6), "gated", "mit", readout=True, T=3, n_h=2)
    doc["network"].update(words)
    assert_gradients_match_differences(doc, "gated", "mit", steps)
    assert_paths_agree(doc)


def test_gated_forward_with_hard_sigmoid_gate_and_logistic_candidate():
    rng = np.random.default_rng(1)
    W = {k: rng.normal(0, 0.8, (2, 2)) for k in ("W_gs", "W_gx", "W_ss", "W_sx")}
    b = {k: rng.normal(0, 0.3, 2) for k in ("b_g", "b_s")}
    X = rng.normal(0, 1, (4, 2))
    s, ref = np.zeros(2), []
    for x in X:
        g = keras_hard_sigmoid(W["W_gs"] @ s + W["W_gx"] @ x + b["b_g"])
        s = (1 - g) * s + g * sigmoid(W["W_ss"] @ s + W["W_sx"] @ x + b["b_s"])
        ref.append(s)
    doc = {"type": "gated", "network": {**{k: v.tolist() for k, v in {**W, **b}.items()},
                                        "s_init": 0, "gate_activation": "hard_sigmoid",
                                        "candidate_activation": "logistic"},
           "inputs": X.tolist(), "ask": {"quantity": "s"}}
    for steps in (True, False):
        got = np.asarray(rnnquiz.solve(doc, steps=steps).answer, dtype=float)
        np.testing.assert_allclose(got, np.array(ref), rtol=1e-12, atol=1e-14)


def test_gated_activation_jacobian_matches_differences_of_one_step():
    doc = backprop_problem(np.random.default_rng(2), "gated", "mit", readout=False, T=1, n_h=3)
    doc["network"].update(GRU_WORDS[2])
    _jacobian_against_one_step(doc, "gated")


def test_peephole_bptt_matches_pytorch_autograd():
    """The Gers & Graves cell written in torch (tests/oracles/lstm.py), its loss
    differentiated by autograd."""
    torch = pytest.importorskip("torch")
    doc = _peephole_doc(seed=7, T=4, gate_activation="hard_sigmoid")
    net = doc["network"]
    keys = [k for k in net if k != "gate_activation"]
    P = {k: torch.tensor(np.asarray(net[k], dtype=float), requires_grad=True) for k in keys}
    X = torch.tensor(np.asarray(doc["inputs"], dtype=float))
    h, c, E = P["h_init"], P["c_init"], 0.0
    for t, x in enumerate(X):
        _, h, c = peephole_step(torch, P, x, h, c, "hard_sigmoid")    # Keras 2's hard sigmoid
        if t in doc["targets"]:
            y = P["W_hy"] @ h + P["b_y"]
            target = torch.tensor(doc["targets"][t], dtype=torch.float64)
            E = E + 0.5 * ((y - target) ** 2).sum()
    E.backward()
    for steps in (True, False):
        r = rnnquiz.solve(doc, steps=steps)
        assert r.values["E"] == pytest.approx(E.item(), rel=1e-12)
        for k in keys:
            np.testing.assert_allclose(np.asarray(r.values[f"dE/d{k}"], dtype=float),
                                       P[k].grad.numpy(), rtol=1e-9, atol=1e-12, err_msg=k)
