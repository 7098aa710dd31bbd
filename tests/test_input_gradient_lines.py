"""dE/dx_t asked, a line a step (rnnquiz/cells/input_rows.py): W_xhᵀ·dE/dz_t in a column
notation, dE/dz_t·W_xhᵀ in a row one, dE/dz_t·weight_ih for PyTorch's batch rows (CMU 11-785's
`dx = np.dot(dz, self.W_ih)`), a sum over the gates for the LSTM, and what a stack's bottom
layer carries back from each direction. Values against torch autograd."""

from __future__ import annotations

import numpy as np
import pytest
import yaml

import rnnquiz
from conftest import PROBLEMS


def _lines(doc) -> list:
    r = rnnquiz.solve({**doc, "ask": {"quantity": "dE/dx"}})
    return r, [s for s in r.steps if s.symbol.startswith("dE/dx")]


def test_a_column_notation_writes_w_xh_transposed_times_de_dz():
    torch = pytest.importorskip("torch")
    X = torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True)
    h, E = torch.tensor(0.0, dtype=torch.float64), 0.0
    for x, tg in zip(X, (0.5, 0.25)):        # Hinton's logistic units, y_t = 2 h_t
        h = torch.sigmoid(0.5 * x - 1.0 * h)
        E = E + 0.5 * (2 * h - tg) ** 2
    E.backward()
    doc = {"type": "backprop", "network": {"W_xh": 0.5, "W_hh": -1.0, "W_hy": 2.0},
           "inputs": [1.0, 2.0], "targets": [0.5, 0.25]}
    r, lines = _lines(doc)
    assert [(s.symbol, s.t, s.phase, s.equation, s.formula) for s in lines] == [
        (f"dE/dx_{t}", t, "backward", f"W_xhᵀ·dE/dz_{t}", "{}·{}") for t in (0, 1)]
    for t, s in enumerate(lines):
        W, dz = s.operands
        assert W == pytest.approx(0.5) and dz == pytest.approx(r.values["dE/dz"][t])
    assert r.answer == pytest.approx(X.grad.tolist(), abs=1e-12)


def test_a_row_notation_counts_from_one_and_writes_de_dz_times_w_xh_transposed():
    doc = {"type": "backprop", "notation": "d2l", "inputs": [[1.0], [2.0]],
           "targets": [[0.5, 0.1], [0.25, 0.3]],
           "network": {"W_xh": [[0.5, 0.1]], "W_hh": [[0.2, 0.3], [0.1, -0.4]], "b_h": [0.1, 0.0]}}
    r, lines = _lines(doc)
    assert [(s.symbol, s.t, s.equation, s.formula) for s in lines] == [
        (f"dE/dx_{t}", t, f"dE/dz_{t}·W_xhᵀ", "{}·{}") for t in (1, 2)]
    for i, s in enumerate(lines):
        dz, W = s.operands
        np.testing.assert_allclose(W, [[0.5, 0.1]])            # the file's W_xh, (inputs, units)
        np.testing.assert_allclose(s.value, np.asarray(dz) @ np.asarray(W).T, atol=1e-15)
        np.testing.assert_allclose(dz, r.values["dE/dz"][i], atol=1e-15)


def test_pytorch_batch_rows_and_the_lstms_sum_over_gates():
    doc = {"type": "backprop", "notation": "pytorch", "batch": True,
           "inputs": [[[1.0], [2.0]], [[0.5], [-1.0]]], "targets": [[[0.5], [0.25]], [[0.1], [0.2]]],
           "network": {"weight_ih": [[0.5]], "weight_hh": [[0.2]]}}
    _, lines = _lines(doc)
    assert [(s.equation, s.formula) for s in lines] == [
        (f"dE/dz_{t}·weight_ih", "{}·{}") for t in (0, 1)]
    lstm = {"type": "backprop", "cell": "lstm", "inputs": [1, -1], "targets": [0.5, -0.5],
            "network": {"W_fh": 0.5, "W_fx": 1, "b_f": 0.1, "W_ih": -0.5, "W_ix": 1, "W_oh": 1,
                        "W_ox": 0.5, "W_ch": 0.2, "W_cx": 1}}
    _, lines = _lines(lstm)
    assert [(s.equation, s.formula, s.operands) for s in lines] == [
        (f"Σ_k W_kxᵀ·dE/dz^k_{t}, over the gates k", "", ()) for t in (0, 1)]


def test_a_bidirectional_stack_adds_what_each_direction_carries_back():
    torch = pytest.importorskip("torch")
    torch.manual_seed(0)
    rnn = torch.nn.RNN(1, 1, num_layers=2, bidirectional=True).double()
    X = torch.tensor([[[1.0]], [[2.0]]], dtype=torch.float64, requires_grad=True)
    out, _ = rnn(X)
    tg = torch.tensor([[0.5, 0.1], [0.25, 0.3]], dtype=torch.float64)
    (0.5 * ((out[:, 0] - tg) ** 2).sum()).backward()
    doc = {"type": "backprop", "notation": "pytorch", "bidirectional": True,
           "network": {k: v.tolist() for k, v in rnn.state_dict().items()},
           "inputs": [[1.0], [2.0]], "targets": tg.tolist()}
    r, lines = _lines(doc)
    assert [(s.symbol, s.t, s.phase, s.equation, s.formula, s.note) for s in lines] == [
        ("dE/dx_0", 0, "backward", "from h^(1→) + from h^(1←)", "{} + {}", ""),
        ("dE/dx_1", 1, "backward", "from h^(1→) + from h^(1←)", "{} + {}",
         "what layer 1's input weights carry back")]
    want = X.grad[:, 0].numpy()
    for i, s in enumerate(lines):
        np.testing.assert_allclose(np.sum(s.operands, axis=0), want[i], rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(s.value, want[i], rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(np.reshape(r.answer, (2, 1)), want, rtol=1e-12, atol=1e-14)


def test_a_stack_in_d2ls_numbering_writes_dE_dx_from_step_one():
    torch = pytest.importorskip("torch")
    doc = next(yaml.safe_load_all((PROBLEMS / "d2l_deep_rnn.yaml").read_text(encoding="utf-8")))
    for key in ("question", "answer", "ask"):
        doc.pop(key)
    doc = {**doc, "type": "backprop", "targets": [[0.5], [0.1]]}
    net = doc["network"]
    X = torch.tensor(doc["inputs"], dtype=torch.float64, requires_grad=True)
    h1, h2 = torch.zeros(2, dtype=torch.float64), torch.zeros(2, dtype=torch.float64)
    E = 0.0
    for x, tg in zip(X, (0.5, 0.1)):          # d2l's rows: H = tanh(X W_xh + H W_hh + b_h)
        h1 = torch.tanh(x * torch.tensor(net[0]["W_xh"][0], dtype=torch.float64)
                        + h1 @ torch.tensor(net[0]["W_hh"], dtype=torch.float64)
                        + torch.tensor(net[0]["b_h"], dtype=torch.float64))
        h2 = torch.tanh(h1 @ torch.tensor(net[1]["W_xh"], dtype=torch.float64)
                        + h2 @ torch.tensor(net[1]["W_hh"], dtype=torch.float64)
                        + torch.tensor(net[1]["b_h"], dtype=torch.float64))
        E = E + 0.5 * (h2.sum() - tg) ** 2            # O = H^(2)·W_hq, W_hq = [[1], [1]]
    E.backward()
    r, lines = _lines(doc)
    assert [(s.symbol, s.t, s.equation) for s in lines] == [
        (f"dE/dx_{t}", t, "from h^(1)") for t in (1, 2)]
    np.testing.assert_allclose(np.ravel(r.answer), X.grad.numpy(), rtol=1e-12, atol=1e-14)
