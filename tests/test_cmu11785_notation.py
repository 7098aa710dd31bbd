"""`notation: cmu11785` (SPEC 1.15): 11-785 HW3P1's RNNCell and GRUCell by the assignment's
names compute what torch.nn.RNNCell / nn.GRUCell compute with the same weights, forward and
backward, and its projection read-out is an nn.Linear."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import PROBLEMS

import rnnquiz

GATES = ("r", "z", "n")


def _gru_doc(rng, n_x=3, n_h=2, T=3, readout=False):
    net = {}
    for g in GATES:
        net[f"W{g}x"] = rng.normal(size=(n_h, n_x)).round(3).tolist()
        net[f"W{g}h"] = rng.normal(size=(n_h, n_h)).round(3).tolist()
        net[f"b{g}x"] = rng.normal(size=n_h).round(3).tolist()
        net[f"b{g}h"] = rng.normal(size=n_h).round(3).tolist()
    net["h_init"] = rng.normal(size=n_h).round(3).tolist()
    if readout:
        net["projection.weight"] = rng.normal(size=(2, n_h)).round(3).tolist()
        net["projection.bias"] = rng.normal(size=2).round(3).tolist()
    xs = rng.normal(size=(T, n_x)).round(3).tolist()
    return {"type": "gru", "notation": "cmu11785", "network": net, "inputs": xs}


def _torch_gru(torch, net):
    n_h, n_x = np.shape(net["Wrx"])
    cell = torch.nn.GRUCell(n_x, n_h)
    t = lambda k: torch.tensor(net[k], dtype=torch.float64)   # noqa: E731
    with torch.no_grad():
        cell.weight_ih.copy_(torch.cat([t(f"W{g}x") for g in GATES]))
        cell.weight_hh.copy_(torch.cat([t(f"W{g}h") for g in GATES]))
        cell.bias_ih.copy_(torch.cat([t(f"b{g}x") for g in GATES]))
        cell.bias_hh.copy_(torch.cat([t(f"b{g}h") for g in GATES]))
    return cell.double(), t


@pytest.mark.parametrize("seed", range(4))
def test_gru_cell_forward_is_torch_gru_cell(seed):
    torch = pytest.importorskip("torch")
    doc = _gru_doc(np.random.default_rng(seed))
    doc["ask"] = {"quantity": "h"}
    got = rnnquiz.solve(doc).to_json()["answer"]
    cell, t = _torch_gru(torch, doc["network"])
    h, want = t("h_init"), []
    for x in doc["inputs"]:
        h = cell(torch.tensor(x, dtype=torch.float64), h)
        want.append(h.tolist())
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)


def test_gru_gates_by_torch_names_and_projection_read_out():
    torch = pytest.importorskip("torch")
    doc = _gru_doc(np.random.default_rng(7), T=2, readout=True)
    z, n, y = (rnnquiz.solve({**doc, "ask": {"quantity": q, "t": 1}}).to_json()["answer"]
               for q in ("z", "n", "y"))
    cell, t = _torch_gru(torch, doc["network"])
    x0, x1 = (torch.tensor(x, dtype=torch.float64) for x in doc["inputs"])
    h0 = cell(x0, t("h_init"))
    gi = cell.weight_ih @ x1 + cell.bias_ih
    gh = cell.weight_hh @ h0 + cell.bias_hh
    r_w = torch.sigmoid(gi[:2] + gh[:2])
    z_w = torch.sigmoid(gi[2:4] + gh[2:4])
    n_w = torch.tanh(gi[4:] + r_w * gh[4:])
    h1 = cell(x1, h0)
    linear = torch.nn.Linear(2, 2).double()
    with torch.no_grad():
        linear.weight.copy_(t("projection.weight"))
        linear.bias.copy_(t("projection.bias"))
    np.testing.assert_allclose(z, z_w.tolist(), rtol=1e-12)
    np.testing.assert_allclose(n, n_w.tolist(), rtol=1e-12)
    np.testing.assert_allclose(y, linear(h1).tolist(), rtol=1e-12)


def test_rnn_cell_backward_is_torch_autograd_averaged_over_the_batch():
    """HW3P1's RNNCell.backward: dW, db divided by batch_size; dx, dh_prev_t per example."""
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(3)
    B, n_x, n_h = 3, 4, 2
    net = {"W_ih": rng.normal(size=(n_h, n_x)).round(3).tolist(),
           "W_hh": rng.normal(size=(n_h, n_h)).round(3).tolist(),
           "b_ih": rng.normal(size=n_h).round(3).tolist(),
           "b_hh": rng.normal(size=n_h).round(3).tolist(),
           "h_init": rng.normal(size=(B, n_h)).round(3).tolist()}
    x = rng.normal(size=(B, n_x)).round(3)
    delta = rng.normal(size=(B, n_h)).round(3)
    doc = {"type": "backprop", "notation": "cmu11785", "batch": True, "network": net,
           "inputs": [[row] for row in x.tolist()], "upstream": {"h": [[d] for d in
                                                                     delta.tolist()]},
           "reduction": "batch_mean"}
    got = [rnnquiz.solve({**doc, "ask": {"quantity": q}}).to_json()["answer"]
           for q in ("dE/dW_ih", "dE/dW_hh", "dE/db_ih", "dE/db_hh", "dE/dh_init")]
    cell = torch.nn.RNNCell(n_x, n_h).double()
    with torch.no_grad():
        for name, key in (("weight_ih", "W_ih"), ("weight_hh", "W_hh"), ("bias_ih", "b_ih"),
                          ("bias_hh", "b_hh")):
            getattr(cell, name).copy_(torch.tensor(net[key]))
    h0 = torch.tensor(net["h_init"], requires_grad=True)
    (cell(torch.tensor(x), h0) * torch.tensor(delta)).sum().backward()
    want = [(cell.weight_ih.grad / B).tolist(), (cell.weight_hh.grad / B).tolist(),
            (cell.bias_ih.grad / B).tolist(), (cell.bias_hh.grad / B).tolist(),
            h0.grad.tolist()]
    for g, w in zip(got, want):
        np.testing.assert_allclose(g, w, rtol=1e-12, atol=1e-14)


def test_the_hw3p1_problems_agree_with_their_published_answers():
    results = [rnnquiz.solve(p) for p in rnnquiz.load(PROBLEMS / "cmu11785_hw3p1.yaml")]
    assert [r.agrees for r in results] == [True, True, True]


def test_steps_from_zero_and_keys_named_in_the_working():
    doc = _gru_doc(np.random.default_rng(1), T=2)
    steps = rnnquiz.solve(doc).to_json()["steps"]
    first = [s for s in steps if s["t"] == 0]
    assert any("Wnx" in s["equation"] and "bnh" in s["equation"] for s in first)
    assert not any(s["t"] == 2 for s in steps)


def test_a_misspelt_key_names_the_notation_s_own():
    doc = _gru_doc(np.random.default_rng(2), T=1)
    doc["network"]["W_rx"] = doc["network"].pop("Wrx")
    with pytest.raises(rnnquiz.ProblemError) as e:
        rnnquiz.solve(doc)
    assert "network.W_rx" in str(e.value) and "Wrx" in str(e.value)
