"""SLP3's notation (Jurafsky and Martin, ch. 8; SPEC 1.17): h_t = g(U h_{t-1} + W x_t + b),
y_t = f(V h_t + c), U the recurrent matrix and W the input one, steps from 1; its LSTM (8.5);
no GRU. Checked against hand-worked numbers, torch's RNNCell and LSTMCell (weight_hh taking U,
weight_ih taking W) with autograd, and finite differences."""

from __future__ import annotations

import json

import numpy as np
import pytest

import rnnquiz
from conftest import PROBLEMS, assert_gradients_match_differences, backprop_problem, run

# a non-square input (x of 3, h of 2): U and W cannot be confused by their shapes here
U = [[0.5, -0.2], [0.1, 0.3]]
W = [[1.0, 0.5, -0.3], [-0.5, 1.0, 0.2]]
B = [0.0, 0.1]
V = [[1.0, -1.0]]
X = [[1.0, 2.0, -1.0], [0.5, -0.5, 0.3], [-1.0, 0.2, 0.4]]
TARGETS = [0.3, -0.2, 0.5]


def rnn_doc(**more) -> dict:
    return {"type": "forward", "notation": "slp", "inputs": X,
            "network": {"U": U, "W": W, "b": B, "V": V, "c": 0.5, "h_init": [0.2, -0.4]},
            **more}


def test_the_bundled_step_is_the_hand_worked_one():
    # problems/slp_simple_rnn_step.yaml, by hand: z_1 = [2.18, 1.50], y_1 = 0.569617
    r = rnnquiz.solve(rnnquiz.load(PROBLEMS / "slp_simple_rnn_step.yaml")[0])
    assert r.answer[0] == pytest.approx(np.tanh(2.18) - np.tanh(1.5) + 0.5, abs=1e-12)
    assert r.answer[0] == pytest.approx(0.569617, abs=5e-7)


def test_one_step_by_hand_scalar():
    # h_1 = tanh(U h_0 + W x_1 + b) = tanh(0.5·1 + 2·0.25 + 0) = tanh(1.0), y_1 = 3 h_1
    r = rnnquiz.solve({"type": "forward", "notation": "slp", "inputs": [0.25],
                       "network": {"U": 0.5, "W": 2.0, "V": 3.0, "h_init": 1.0},
                       "ask": {"quantity": "y", "t": 1}})
    assert r.answer == pytest.approx(3 * np.tanh(1.0), abs=1e-15)


def test_steps_count_from_1_and_h_0_is_the_initial_state():
    r = rnnquiz.solve({**rnn_doc(), "ask": {"quantity": "h", "t": 3}})
    assert np.shape(r.answer) == (2,)
    with pytest.raises(rnnquiz.ProblemError, match="from 1 to 3"):
        rnnquiz.solve({**rnn_doc(), "ask": {"quantity": "h", "t": 0}})


def test_forward_against_torch_rnncell_with_u_recurrent_and_w_input():
    torch = pytest.importorskip("torch")
    cell = torch.nn.RNNCell(3, 2)
    with torch.no_grad():
        cell.weight_hh.copy_(torch.tensor(U))
        cell.weight_ih.copy_(torch.tensor(W))
        cell.bias_ih.copy_(torch.tensor(B))
        cell.bias_hh.zero_()
    h = torch.tensor([0.2, -0.4])
    ys = []
    for x in X:
        h = cell(torch.tensor(x), h)
        ys.append((torch.tensor(V) @ h + 0.5).tolist())
    r = rnnquiz.solve({**rnn_doc(), "ask": {"quantity": "y"}})
    np.testing.assert_allclose(np.asarray(r.answer, float).reshape(-1),
                               np.asarray(ys).reshape(-1), rtol=1e-12, atol=1e-14)


def test_backprop_against_torch_autograd():
    torch = pytest.importorskip("torch")
    P = {k: torch.tensor(v, requires_grad=True) for k, v in
         {"U": U, "W": W, "b": B, "V": V, "c": [0.5], "h_init": [0.2, -0.4]}.items()}
    h, E = P["h_init"], 0.0
    for x, tg in zip(X, TARGETS):
        h = torch.tanh(P["U"] @ h + P["W"] @ torch.tensor(x) + P["b"])
        y = P["V"] @ h + P["c"]
        E = E + 0.5 * torch.sum((y - tg) ** 2)
    E.backward()
    doc = {**rnn_doc(), "type": "backprop", "targets": TARGETS}
    r = rnnquiz.solve(doc)
    assert r.values["E"] == pytest.approx(E.item(), rel=1e-12)
    for key, p in P.items():
        np.testing.assert_allclose(np.asarray(r.values[f"dE/d{key}"], float).reshape(-1),
                                   p.grad.numpy().reshape(-1), rtol=1e-10, atol=1e-12,
                                   err_msg=key)


def lstm_doc(rng, kind="lstm") -> dict:
    net = {}
    for g in "fiog":
        net[f"U_{g}"] = rng.normal(0, 0.7, (2, 2)).tolist()
        net[f"W_{g}"] = rng.normal(0, 0.7, (2, 3)).tolist()
        net[f"b_{g}"] = rng.normal(0, 0.5, 2).tolist()
    net["h_init"], net["c_init"] = [0.1, -0.3], [0.4, 0.2]
    return {"type": kind, "notation": "slp", "inputs": X, "network": net}


def test_lstm_against_torch_lstmcell_and_autograd():
    torch = pytest.importorskip("torch")
    doc = lstm_doc(np.random.default_rng(8))
    net = doc["network"]
    T = {k: torch.tensor(v, requires_grad=True) for k, v in net.items()}
    cell = torch.nn.LSTMCell(3, 2)
    with torch.no_grad():        # torch stacks i, f, g, o
        cell.weight_ih.copy_(torch.tensor(sum((net[f"W_{g}"] for g in "ifgo"), [])))
        cell.weight_hh.copy_(torch.tensor(sum((net[f"U_{g}"] for g in "ifgo"), [])))
        cell.bias_ih.copy_(torch.tensor(sum((net[f"b_{g}"] for g in "ifgo"), [])))
        cell.bias_hh.zero_()
    h, c = torch.tensor(net["h_init"]), torch.tensor(net["c_init"])
    for x in X:
        h, c = cell(torch.tensor(x)[None], (h[None], c[None]))
        h, c = h[0], c[0]
    r = rnnquiz.solve({**doc, "ask": {"quantity": "h", "t": 3}})
    np.testing.assert_allclose(r.answer, h.detach().numpy(), rtol=1e-12, atol=1e-14)
    # SLP3 8.5 written out in torch ops, E = 1/2 Σ_t ‖h_t - target_t‖², differentiated
    h, c, E = T["h_init"], T["c_init"], 0.0
    targets = [[0.1, -0.1], [0.2, 0.0], [-0.3, 0.4]]
    for x, tg in zip(X, targets):
        x = torch.tensor(x)
        gate = {g: T[f"U_{g}"] @ h + T[f"W_{g}"] @ x + T[f"b_{g}"] for g in "fiog"}
        f, i, o = (torch.sigmoid(gate[g]) for g in "fio")
        c = f * c + i * torch.tanh(gate["g"])
        h = o * torch.tanh(c)
        E = E + 0.5 * torch.sum((h - torch.tensor(tg)) ** 2)
    E.backward()
    r = rnnquiz.solve({**doc, "type": "backprop", "cell": "lstm", "targets": targets})
    assert r.values["E"] == pytest.approx(E.item(), rel=1e-12)
    for key, p in T.items():
        np.testing.assert_allclose(np.asarray(r.values[f"dE/d{key}"], float).reshape(-1),
                                   p.grad.numpy().reshape(-1), rtol=1e-9, atol=1e-12,
                                   err_msg=key)


@pytest.mark.parametrize("cell", ["rnn", "lstm"])
@pytest.mark.parametrize("steps", [True, False])
def test_gradients_match_finite_differences(cell, steps):
    doc = backprop_problem(np.random.default_rng(3), cell, "slp", readout=True)
    assert_gradients_match_differences(doc, cell, "slp", steps)


def test_a_gru_in_slp_notation_is_an_error_saying_slp_has_none(tmp_path):
    f = tmp_path / "g.yaml"
    f.write_text("type: gru\nnotation: slp\nnetwork: {}\ninputs: [1]\n")
    r = run("solve", str(f))
    assert r.exit_code == 2
    assert r.stderr.strip() == (f"error: {f}:2: notation: the slp notation (SLP3 ch. 8) has no "
                                "GRU; write it in goodfellow notation, or mit with convention: "
                                "fully_gated")
    f.write_text("type: backprop\ncell: gru\nnotation: slp\nnetwork: {}\ninputs: [1]\n"
                 "targets: [1]\n")
    assert "has no GRU" in run("solve", str(f)).stderr


def test_the_working_names_each_matrixs_role_at_the_first_step():
    r = rnnquiz.solve(rnn_doc())
    notes = [s.note for s in r.steps if s.symbol == "z_1"]
    assert notes == ["U the recurrent matrix (on h_{t-1}), W the input one (on x_t)"]
    assert not [s for s in r.steps if s.symbol == "z_2" and s.note]
    lstm = rnnquiz.solve(lstm_doc(np.random.default_rng(1)))
    assert any(s.note == "forget gate: U_f the recurrent matrix (on h_{t-1}), W_f the input one "
               "(on x_t)" for s in lstm.steps)


def test_check_names_the_swapped_letters():
    # problems/slp_simple_rnn_step.yaml read with U and W swapped: y_1 = 0.308355 (by hand)
    r = run("check", str(PROBLEMS / "slp_simple_rnn_step.yaml"), "--answer", "0.3084", "--json")
    out = json.loads(r.stdout)
    assert [d["slip"] for d in out["diagnosis"]] == ["letters_swapped"]
    assert out["diagnosis"][0]["value"][0] == pytest.approx(
        np.tanh(0.1) - np.tanh(0.3) + 0.5, abs=1e-12)


def test_goodfellows_working_names_the_roles_the_other_way_round():
    doc = {"type": "forward", "notation": "goodfellow", "inputs": [1.0, 0.5],
           "network": {"U": 0.5, "W": 0.8, "V": 1.5, "b": 0.1, "c": 0.2}}
    notes = [s.note for s in rnnquiz.solve(doc).steps if s.note]
    assert notes == ["U the input matrix (on x^(t)), W the recurrent one (on h^(t-1))"]
    lstm = {"type": "lstm", "notation": "goodfellow", "inputs": [1.0],
            "network": {"U_f": 0.5, "W_f": 0.8}}
    notes = [s.note for s in rnnquiz.solve(lstm).steps if s.note]
    assert notes[0] == "forget gate: U_f the input matrix (on x^(t)), W_f the recurrent one " \
                       "(on h^(t-1))"


def test_check_names_the_swapped_letters_in_goodfellows_notation_too():
    # problems/goodfellow_rnn.yaml read with U = 0.8 and W = 0.5, by hand:
    # a^(1) = 0.1 + 0.8·1 = 0.9, h^(1) = tanh(0.9); a^(2) = 0.1 + 0.5 h^(1) + 0.8·0.5,
    # o^(2) = 0.2 + 1.5 tanh(a^(2))
    h1 = np.tanh(0.9)
    swapped = 0.2 + 1.5 * np.tanh(0.1 + 0.5 * h1 + 0.4)
    out = json.loads(run("check", str(PROBLEMS / "goodfellow_rnn.yaml"), "--answer",
                         f"{swapped:.4f}", "--json").stdout)
    assert [d["slip"] for d in out["diagnosis"]] == ["letters_swapped"]
