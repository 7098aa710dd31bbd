"""`layout:` (SPEC 1.15): gate_order, concat, orientation and steps_from rebuild the file's
notation, so the forward pass, the gradients in the file's keys and layout, and stacks are
torch's (nn.LSTMCell / nn.GRUCell with their weights permuted, TF1's cells written in torch,
autograd); contradictions are refused in test_layout_override_errors.py."""

from __future__ import annotations

import math

import numpy as np
import pytest
from conftest import run

import rnnquiz

LSTM_TORCH = "ifgo"          # nn.LSTMCell's chunks, canonical letters


def _answer(doc, q, **ask):
    return np.array(rnnquiz.solve({**doc, "ask": {"quantity": q, **ask}}).to_json()["answer"])


def _blocks(torch, W, order: str, want: str, axis=0):
    """W's gate blocks, stacked in `order`, restacked in `want`."""
    parts = dict(zip(order, torch.chunk(W, len(order), dim=axis)))
    return torch.cat([parts[g] for g in want], dim=axis)


def _lstm_run(torch, cell, x):
    h = c = torch.zeros(cell.hidden_size)
    hs, cs = [], []
    for t in range(len(x)):
        h, c = cell(x[t], (h, c))
        hs.append(h)
        cs.append(c)
    return torch.stack(hs), torch.stack(cs)


@pytest.mark.parametrize("order", ["ifog", "fiog", "ogfi"])
def test_gate_order_reads_an_lstm_cell_chunked_in_any_order(order):
    torch = pytest.importorskip("torch")
    torch.manual_seed(len(set(order[:2])))
    cell, x = torch.nn.LSTMCell(2, 3), torch.randn(4, 2)
    H, C = _lstm_run(torch, cell, x)
    up = torch.randn(4, 3)
    (H * up).sum().backward()
    keys = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")
    net = {k: _blocks(torch, getattr(cell, k), LSTM_TORCH, order).tolist() for k in keys}
    doc = {"type": "lstm", "notation": "pytorch", "network": net, "inputs": x.tolist(),
           "layout": {"gate_order": list(order)}}
    np.testing.assert_allclose(_answer(doc, "h"), H.detach(), atol=1e-12)
    np.testing.assert_allclose(_answer(doc, "c"), C.detach(), atol=1e-12)
    back = {**doc, "type": "backprop", "cell": "lstm", "upstream": {"h": up.tolist()}}
    for k in keys:
        want = _blocks(torch, getattr(cell, k).grad, LSTM_TORCH, order)
        np.testing.assert_allclose(_answer(back, f"dE/d{k}"), want, atol=1e-12)


def test_gate_order_in_a_gru_and_the_working_keeps_pytorch_s_names():
    torch = pytest.importorskip("torch")
    torch.manual_seed(4)
    cell, x = torch.nn.GRUCell(2, 2), torch.randn(3, 2)
    h, hs = torch.zeros(2), []
    for t in range(3):
        h = cell(x[t], h)
        hs.append(h)
    torch.stack(hs).sum().backward()
    net = {k: _blocks(torch, getattr(cell, k), "rzn", "znr").tolist()
           for k in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")}
    doc = {"type": "gru", "notation": "pytorch", "network": net, "inputs": x.tolist(),
           "layout": {"gate_order": ["z", "n", "r"]}}
    r = rnnquiz.solve({**doc, "ask": {"quantity": "h"}}).to_json()
    np.testing.assert_allclose(r["answer"], torch.stack(hs).detach(), atol=1e-12)
    candidate = "W_in·x_0 + b_in + r_0⊙(W_hn·h_{-1}"
    assert any(s["equation"].startswith(candidate) for s in r["steps"])
    back = {**doc, "type": "backprop", "cell": "gru", "upstream": {"h": [[1, 1]] * 3}}
    want = _blocks(torch, cell.weight_hh.grad, "rzn", "znr")
    np.testing.assert_allclose(_answer(back, "dE/dweight_hh"), want, atol=1e-12)


def test_gate_order_and_orientation_in_a_row_notation():
    """CS231n's (x W, i f o g) reordered as PyTorch's i f g o is nn.LSTMCell transposed."""
    torch = pytest.importorskip("torch")
    torch.manual_seed(6)
    cell, x = torch.nn.LSTMCell(3, 2), torch.randn(3, 3)
    H, _ = _lstm_run(torch, cell, x)
    H.sum().backward()
    net = {"Wx": cell.weight_ih.T.tolist(), "Wh": cell.weight_hh.T.tolist(),
           "b": (cell.bias_ih + cell.bias_hh).tolist()}
    doc = {"type": "lstm", "notation": "cs231n", "network": net, "inputs": x.tolist(),
           "layout": {"gate_order": ["i", "f", "g", "o"]}}
    np.testing.assert_allclose(_answer(doc, "h"), H.detach(), atol=1e-12)
    column = {**doc, "network": {"Wx": cell.weight_ih.tolist(), "Wh": cell.weight_hh.tolist(),
                                 "b": net["b"]},
              "layout": {"gate_order": ["i", "f", "g", "o"], "orientation": "column"}}
    np.testing.assert_allclose(_answer(column, "h"), H.detach(), atol=1e-12)
    back = {**column, "type": "backprop", "cell": "lstm", "upstream": {"h": [[1, 1]] * 3}}
    np.testing.assert_allclose(_answer(back, "dE/dWh"), cell.weight_hh.grad, atol=1e-12)


def _tf1_rnn(torch, K, b, x):
    h, hs = torch.zeros(K.shape[1]), []
    for t in range(len(x)):
        h = torch.tanh(torch.cat([x[t], h]) @ K + b)
        hs.append(h)
    return torch.stack(hs)


@pytest.mark.parametrize("orientation", ["row", "column"])
@pytest.mark.parametrize("first", ["x", "h"])
def test_one_matrix_on_the_concatenation_of_a_simple_rnn(orientation, first):
    torch = pytest.importorskip("torch")
    torch.manual_seed(7)
    n_x, n_h = 2, 3
    K = torch.randn(n_x + n_h, n_h, requires_grad=True)   # TF1's kernel, rows [x; h]
    b = torch.randn(n_h, requires_grad=True)
    x, up = torch.randn(4, n_x), torch.randn(4, n_h)
    H = _tf1_rnn(torch, K, b, x)
    (H * up).sum().backward()
    rows = K.detach() if first == "x" else torch.cat([K.detach()[n_x:], K.detach()[:n_x]])
    grad = K.grad if first == "x" else torch.cat([K.grad[n_x:], K.grad[:n_x]])
    W = rows if orientation == "row" else rows.T
    doc = {"type": "backprop", "notation": "karpathy", "inputs": x.tolist(),
           "network": {"W": W.tolist(), "b": b.tolist()}, "upstream": {"h": up.tolist()},
           "layout": {"concat": [first, "h" if first == "x" else "x"],
                      "orientation": orientation}}
    np.testing.assert_allclose(_answer(doc, "dE/dW"), grad if orientation == "row" else grad.T,
                               atol=1e-12)
    np.testing.assert_allclose(_answer(doc, "dE/db"), b.grad, atol=1e-12)
    np.testing.assert_allclose(_answer(doc, "dE/dx"), _dx(torch, K, b, x, up), atol=1e-12)
    fwd = {k: v for k, v in doc.items() if k != "upstream"}
    np.testing.assert_allclose(_answer({**fwd, "type": "forward"}, "h"), H.detach(), atol=1e-12)


def _dx(torch, K, b, x, up):
    x = x.clone().requires_grad_()
    (_tf1_rnn(torch, K.detach(), b.detach(), x) * up).sum().backward()
    return x.grad


def test_tf1_basic_lstm_cell_one_kernel_split_i_j_f_o():
    torch = pytest.importorskip("torch")
    torch.manual_seed(8)
    n_x, n_h = 2, 2
    W = torch.randn(n_x + n_h, 4 * n_h, requires_grad=True)
    b = torch.randn(4 * n_h, requires_grad=True)
    x = torch.randn(3, n_x)
    c = h = torch.zeros(n_h)
    hs = []
    for t in range(3):
        i, j, f, o = torch.split(torch.cat([x[t], h]) @ W + b, n_h)
        c = c * torch.sigmoid(f) + torch.sigmoid(i) * torch.tanh(j)
        h = torch.tanh(c) * torch.sigmoid(o)
        hs.append(h)
    torch.stack(hs).sum().backward()
    doc = {"type": "backprop", "cell": "lstm", "inputs": x.tolist(),
           "network": {"W": W.tolist(), "b": b.tolist()}, "upstream": {"h": [[1, 1]] * 3},
           "layout": {"concat": ["x", "h"], "orientation": "row",
                      "gate_order": ["i", "j", "f", "o"]}}
    np.testing.assert_allclose(_answer(doc, "dE/dW"), W.grad, atol=1e-12)
    np.testing.assert_allclose(_answer(doc, "dE/db"), b.grad, atol=1e-12)
    fwd = {k: v for k, v in doc.items() if k not in ("cell", "upstream")}
    r = rnnquiz.solve({**fwd, "type": "lstm", "ask": {"quantity": "h"}}).to_json()
    np.testing.assert_allclose(r["answer"], torch.stack(hs).detach(), atol=1e-12)
    assert any(s["equation"] == "[x_0, h_{-1}]·W_j + b_j" for s in r["steps"])


@pytest.mark.parametrize("first, orientation", [("x", "column"), ("h", "column"),
                                                ("h", "row")])
def test_concat_gives_deeplearning_ai_s_keys_per_gate(first, orientation):
    """deeplearning.ai's own [a<t-1>; x<t>], TF1's [x, h], and either as rows."""
    torch = pytest.importorskip("torch")
    torch.manual_seed(9)
    n_x, n_h = 3, 2
    W = {g: torch.randn(n_h, n_x + n_h, requires_grad=True) for g in "fuoc"}
    B = {g: torch.randn(n_h, requires_grad=True) for g in "fuoc"}
    x = torch.randn(3, n_x)
    a = c = torch.zeros(n_h)
    As = []
    for t in range(3):
        v = torch.cat([x[t], a] if first == "x" else [a, x[t]])
        f, u, o = (torch.sigmoid(W[g] @ v + B[g]) for g in "fuo")
        c = f * c + u * torch.tanh(W["c"] @ v + B["c"])
        a = o * torch.tanh(c)
        As.append(a)
    (0.5 * torch.stack(As).pow(2).sum()).backward()     # the squared loss, targets 0
    turn = (lambda m: m.T) if orientation == "row" else (lambda m: m)
    net = {**{f"W_{g}": turn(W[g]).tolist() for g in W}, **{f"b_{g}": B[g].tolist() for g in B}}
    layout = {"concat": [first, "h" if first == "x" else "x"], "orientation": orientation}
    for notation in ("mit", "deeplearning_ai"):
        doc = {"type": "lstm", "notation": notation, "network": net, "inputs": x.tolist(),
               "layout": layout}
        state = "a" if notation == "deeplearning_ai" else "h"
        np.testing.assert_allclose(_answer(doc, state), torch.stack(As).detach(), atol=1e-12)
    back = {**doc, "type": "backprop", "cell": "lstm", "loss": "squared",
            "targets": [[0, 0]] * 3}
    for g in "fuoc":
        np.testing.assert_allclose(_answer(back, f"dE/dW_{g}"), turn(W[g].grad), atol=1e-12)


def test_a_gru_on_the_concatenation_resets_before_the_product():
    torch = pytest.importorskip("torch")
    torch.manual_seed(10)
    n_x, n_h = 2, 3
    W = {g: torch.randn(n_h, n_x + n_h, requires_grad=True) for g in "urc"}
    B = {g: torch.randn(n_h, requires_grad=True) for g in "urc"}
    x, h, hs = torch.randn(3, n_x), torch.zeros(n_h), []
    for t in range(3):
        u = torch.sigmoid(W["u"] @ torch.cat([x[t], h]) + B["u"])
        r = torch.sigmoid(W["r"] @ torch.cat([x[t], h]) + B["r"])
        cand = torch.tanh(W["c"] @ torch.cat([x[t], r * h]) + B["c"])
        h = u * cand + (1 - u) * h              # deeplearning.ai's (and MITx's ng) update
        hs.append(h)
    torch.stack(hs).sum().backward()
    net = {**{f"W_{g}": W[g].tolist() for g in W}, **{f"b_{g}": B[g].tolist() for g in B}}
    doc = {"type": "backprop", "cell": "gru", "network": net, "inputs": x.tolist(),
           "layout": {"concat": ["x", "h"]}, "upstream": {"h": [[1] * n_h] * 3}}
    for g in "urc":
        np.testing.assert_allclose(_answer(doc, f"dE/dW_{g}"), W[g].grad, atol=1e-12)


def test_row_orientation_in_hinton_s_keys_turns_the_read_out_too():
    torch = pytest.importorskip("torch")
    torch.manual_seed(12)
    rnn, fc = torch.nn.RNN(2, 3, bias=False), torch.nn.Linear(3, 2)
    x, targets = torch.randn(3, 2), torch.randn(3, 2)
    out, _ = rnn(x.unsqueeze(1))
    y = fc(out[:, 0])
    (0.5 * ((y - targets) ** 2).sum()).backward()
    net = {"W_xh": rnn.weight_ih_l0.T.tolist(), "W_hh": rnn.weight_hh_l0.T.tolist(),
           "W_hy": fc.weight.T.tolist(), "b_y": fc.bias.tolist(), "hidden": "tanh"}
    doc = {"type": "backprop", "network": net, "inputs": x.tolist(),
           "targets": targets.tolist(), "layout": {"orientation": "row"}}
    np.testing.assert_allclose(_answer(doc, "dE/dW_xh"), rnn.weight_ih_l0.grad.T, atol=1e-12)
    np.testing.assert_allclose(_answer(doc, "dE/dW_hy"), fc.weight.grad.T, atol=1e-12)
    steps = rnnquiz.solve({**doc, "ask": {"quantity": "dE/dW_xh"}}).to_json()["steps"]
    assert any(s["equation"].startswith("x_0·W_xh + h_{-1}·W_hh") for s in steps)


def test_steps_from_one_numbers_the_working_and_ask_t():
    """h_1 = tanh(W_hh h_0 + W_xh x_1 + b_h), by hand: tanh(0.5) then tanh(0.5·h_1 - 1)."""
    doc = {"type": "forward", "inputs": [1.0, -1.0], "layout": {"steps_from": 1},
           "network": {"W_xh": 1.0, "W_hh": 0.5, "b_h": -0.5, "hidden": "tanh"}}
    h1 = np.tanh(0.5)
    assert _answer(doc, "h", t=1) == pytest.approx(h1, rel=1e-12)
    assert _answer(doc, "h", t=2) == pytest.approx(np.tanh(0.5 * h1 - 1.5), rel=1e-12)
    with pytest.raises(rnnquiz.ProblemError, match="ask.t: expected a time step from 1 to 2"):
        _answer(doc, "h", t=0)
    dlai = {"type": "forward", "notation": "deeplearning_ai", "inputs": [1.0, -1.0],
            "layout": {"steps_from": 0}, "network": {"Wax": 1.0, "Waa": 0.5, "ba": -0.5}}
    assert _answer(dlai, "a", t=0) == pytest.approx(h1, rel=1e-12)
    steps = rnnquiz.solve({**dlai, "ask": {"quantity": "a"}}).to_json()["steps"]
    assert steps[0]["t"] == 0 and "a<-1>" in steps[0]["equation"]


def test_a_stack_of_concatenated_layers_is_a_stack_of_tf1_cells():
    torch = pytest.importorskip("torch")
    torch.manual_seed(13)
    K1, K2 = torch.randn(2 + 3, 3), torch.randn(3 + 3, 3)
    b1, b2 = torch.randn(3), torch.randn(3)
    x = torch.randn(4, 2)
    H = _tf1_rnn(torch, K2, b2, _tf1_rnn(torch, K1, b1, x))
    doc = {"type": "forward", "notation": "keras", "inputs": x.tolist(),
           "layout": {"concat": ["x", "h"]},
           "network": [{"W": K1.tolist(), "b": b1.tolist()}, {"W": K2.tolist(), "b": b2.tolist()}]}
    np.testing.assert_allclose(_answer(doc, "h"), H, atol=1e-12)


def test_the_question_says_the_order_of_the_stacked_gates():
    from conftest import PROBLEMS
    r = run("quiz", str(PROBLEMS / "fastbook_lstmcell_gate_order.yaml"), input="0 | 0\n")
    text = " ".join(r.output.split())
    assert "The stacked matrices hold the gates in the order i, f, o, g." in text


def test_steps_from_one_numbers_a_backward_pass_too():
    torch = pytest.importorskip("torch")
    torch.manual_seed(14)
    rnn, fc = torch.nn.RNN(2, 2, bias=False), torch.nn.Linear(2, 1)
    x, targets = torch.randn(3, 2), torch.randn(3, 1)
    h, hs = torch.zeros(2), []
    for t in range(3):
        h = torch.tanh(rnn.weight_ih_l0 @ x[t] + rnn.weight_hh_l0 @ h)
        h.retain_grad()
        hs.append(h)
    (0.5 * sum(((fc(h) - y) ** 2).sum() for h, y in zip(hs, targets))).backward()
    doc = {"type": "backprop", "inputs": x.tolist(), "targets": targets.tolist(),
           "layout": {"steps_from": 1},
           "network": {"W_xh": rnn.weight_ih_l0.tolist(), "W_hh": rnn.weight_hh_l0.tolist(),
                       "W_hy": fc.weight.tolist(), "b_y": fc.bias.tolist(), "hidden": "tanh"}}
    for t in (1, 3):
        np.testing.assert_allclose(_answer(doc, "dE/dh", t=t), hs[t - 1].grad, atol=1e-12)
    np.testing.assert_allclose(_answer(doc, "dE/dW_hh"), rnn.weight_hh_l0.grad, atol=1e-12)


def _cs230(torch, W, B, x, first):
    """CS230's cheatsheet LSTM with a relevance gate: c̃ = tanh(W_c[Γ_r ⊙ a; x] + b_c)."""
    a = c = torch.zeros(B["f"].shape[0])
    As = []
    for t in range(len(x)):
        cat = (lambda s: torch.cat([x[t], s] if first == "x" else [s, x[t]]))
        f, u, o, r = (torch.sigmoid(W[g] @ cat(a) + B[g]) for g in "fuor")
        c = u * torch.tanh(W["c"] @ cat(r * a) + B["c"]) + f * c
        a = o * torch.tanh(c)
        As.append(a)
    return torch.stack(As)


@pytest.mark.parametrize("notation", ["mit", "deeplearning_ai"])
def test_the_relevance_gate_follows_the_layout(notation):
    torch = pytest.importorskip("torch")
    torch.manual_seed(15)
    n_x, n_h = 2, 3
    W = {g: torch.randn(n_h, n_x + n_h, requires_grad=True) for g in "fuorc"}
    B = {g: torch.randn(n_h, requires_grad=True) for g in "fuorc"}
    x = torch.randn(3, n_x)
    first = "x" if notation == "mit" else "h"
    A = _cs230(torch, W, B, x, first)
    A.sum().backward()
    if notation == "mit":      # the MITx keys, each matrix as rows: layout {orientation: row}
        names = {"f": "f", "u": "i", "o": "o", "r": "r", "c": "c"}
        net = {**{f"W_{names[g]}x": W[g][:, :n_x].T.tolist() for g in W},
               **{f"W_{names[g]}h": W[g][:, n_x:].T.tolist() for g in W},
               **{f"b_{names[g]}": B[g].tolist() for g in B}}
        layout, grad = {"orientation": "row"}, ("dE/dW_rh", W["r"].grad[:, n_x:].T)
    else:                      # deeplearning.ai's own [a; x], each W as rows
        net = {**{f"W_{g}": W[g].T.tolist() for g in W}, **{f"b_{g}": B[g].tolist() for g in B}}
        layout, grad = {"orientation": "row"}, ("dE/dW_r", W["r"].grad.T)
    net["relevance_gate"] = True
    doc = {"type": "lstm", "notation": notation, "network": net, "inputs": x.tolist(),
           "layout": layout}
    np.testing.assert_allclose(_answer(doc, "a" if notation != "mit" else "h"), A.detach(),
                               atol=1e-12)
    back = {**doc, "type": "backprop", "cell": "lstm", "upstream": {"h": [[1] * n_h] * 3}}
    np.testing.assert_allclose(_answer(back, grad[0]), grad[1], atol=1e-12)


def test_one_stacked_matrix_holds_the_relevance_gate_where_gate_order_names_it():
    torch = pytest.importorskip("torch")
    torch.manual_seed(16)
    n_x, n_h = 2, 2
    W = {g: torch.randn(n_h, n_h + n_x) for g in "fuorc"}
    B = {g: torch.randn(n_h) for g in "fuorc"}
    x = torch.randn(3, n_x)
    order = ["r", "i", "f", "g", "o"]
    block = {"r": "r", "i": "u", "f": "f", "g": "c", "o": "o"}
    net = {"W": torch.cat([W[block[g]] for g in order]).tolist(),
           "b": torch.cat([B[block[g]] for g in order]).tolist(), "relevance_gate": True}
    doc = {"type": "lstm", "network": net, "inputs": x.tolist(),
           "layout": {"concat": ["h", "x"], "gate_order": order}}
    np.testing.assert_allclose(_answer(doc, "h"), _cs230(torch, W, B, x, "h"), atol=1e-12)


def test_column_orientation_in_d2l_keeps_its_X_t_and_H_t():
    """d2l's simple RNN written W x (orientation: column) is still d2l's: X_1, H_0, steps from
    1. By hand: W_xh·X_1 + W_hh·H_0 + b_h = [0.5, -0.3] + [0, -0.11] + [0.1, -0.2]."""
    doc = {"type": "forward", "notation": "d2l",
           "network": {"W_xh": [[0.5], [-0.3]], "W_hh": [[0.1, 0.2], [-0.4, 0.3]],
                       "b_h": [0.1, -0.2], "h_init": [0.2, -0.1]},
           "inputs": [[1.0], [2.0]], "layout": {"orientation": "column"},
           "ask": {"quantity": "h", "t": 1}}
    result = rnnquiz.solve(doc)
    assert result.answer == pytest.approx(np.tanh([0.6, -0.61]), rel=1e-12)
    eqs = {s.symbol: s.equation for s in result.steps}
    assert eqs["z_1"] == "W_xh·X_1 + W_hh·H_0 + b_h"


def _keras_lstm_by_hand(K, R, b, xs):
    """Keras' LSTM, its blocks i, f, c, o: one unit, h_0 = c_0 = 0."""
    sig = lambda z: 1 / (1 + np.exp(-z))   # noqa: E731
    h = c = 0.0
    for x in xs:
        z = x * np.array(K) + h * np.array(R) + np.array(b)
        c = sig(z[1]) * c + sig(z[0]) * np.tanh(z[2])
        h = sig(z[3]) * np.tanh(c)
    return h


def test_a_layout_applies_to_its_own_file_only():
    """A file's gate_order rebuilds its notation for that file alone: Keras' own order is
    read again in the next file solved in the same process."""
    K, R, b = [0.5, -0.4, 0.9, 0.3], [0.2, 0.1, -0.3, 0.6], [0.1, 0.2, -0.1, 0.05]
    plain = {"type": "lstm", "notation": "keras", "inputs": [[1.0], [-0.5]],
             "network": {"kernel": [K], "recurrent_kernel": [R], "bias": b},
             "ask": {"quantity": "h", "t": 1}}
    ifoc = [0, 1, 3, 2]             # the file's blocks i, f, o, c
    moved = {**plain, "network": {"kernel": [[K[k] for k in ifoc]],
                                  "recurrent_kernel": [[R[k] for k in ifoc]],
                                  "bias": [b[k] for k in ifoc]},
             "layout": {"gate_order": ["i", "f", "o", "c"]}}
    want = _keras_lstm_by_hand(K, R, b, [1.0, -0.5])
    assert rnnquiz.solve(moved).answer == pytest.approx([want], rel=1e-12)
    assert rnnquiz.solve(plain).answer == pytest.approx([want], rel=1e-12)


def test_row_orientation_in_hinton_s_keys_keeps_the_bias_b_h():
    """y_0 = W_hy σ(x_0 W_xh + b_h) + b_y by hand: 2 σ(0.5 + 0.1) + 0.3."""
    doc = {"type": "forward", "notation": "hinton", "inputs": [1.0], "round": "none",
           "layout": {"orientation": "row"},
           "network": {"W_xh": 0.5, "W_hh": 0.25, "b_h": 0.1, "W_hy": 2.0, "b_y": 0.3}}
    r = rnnquiz.solve(doc)
    assert r.answer[0] == pytest.approx(2 / (1 + math.exp(-0.6)) + 0.3, rel=1e-12)
    assert r.steps[0].equation == "x_0·W_xh + h_{-1}·W_hh + b_h"


@pytest.mark.parametrize("doc, lines", [
    # PyTorch's GRU in rows: its letters z, r, n on each block, b_hn inside the reset product
    ({"type": "gru", "notation": "pytorch", "layout": {"orientation": "row"},
      "network": {"weight_ih": [[0.1, 0.2, 0.3]], "weight_hh": [[0.4, -0.5, 0.6]]}},
     ["x_0·weight_ih_z + h_{-1}·weight_hh_z + bias_ih_z + bias_hh_z",
      "x_0·weight_ih_r + h_{-1}·weight_hh_r + bias_ih_r + bias_hh_r",
      "x_0·weight_ih_n + bias_ih_n + r_0⊙(h_{-1}·weight_hh_n + bias_hh_n)"]),
    ({"type": "lstm", "notation": "pytorch", "layout": {"orientation": "row"},
      "network": {"weight_ih": [[0.1, 0.2, 0.3, 0.4]], "weight_hh": [[0.4, -0.5, 0.6, 0.1]]}},
     ["x_0·weight_ih_f + h_{-1}·weight_hh_f + bias_ih_f + bias_hh_f",
      "x_0·weight_ih_i + h_{-1}·weight_hh_i + bias_ih_i + bias_hh_i"]),
    # MITx's gated RNN keeps its state s, the state's term first, with no read-out
    ({"type": "gated", "layout": {"orientation": "row"}},
     ["s_{-1}·W_gs + x_0·W_gx + b_g", "s_{-1}·W_ss + x_0·W_sx + b_s",
      "(1 - g_0)⊙s_{-1} + g_0⊙s̃_0"]),
    ({"type": "lstm", "layout": {"orientation": "row"}}, ["h_{-1}·W_fh + x_0·W_fx + b_f"]),
    # deeplearning.ai's GRU on [x, c]: the candidate resets c<0> by Γ_r before the product
    ({"type": "gru", "notation": "deeplearning_ai", "layout": {"concat": ["x", "h"]}},
     ["W_u·[x<1>; c<0>] + b_u", "W_r·[x<1>; c<0>] + b_r", "W_c·[x<1>; (Γ_r<1>⊙c<0>)] + b_c"]),
])
def test_a_layout_keeps_the_course_s_symbols_in_the_working(doc, lines):
    r = rnnquiz.solve({**doc, "inputs": [1.0, 0.5]})
    first = [s.equation for s in r.steps if s.t == r.steps[0].t]
    for line in lines:
        assert line in first


def test_row_orientation_in_hinton_s_keys_reads_every_matrix_from_to():
    """Two hidden units, by hand: h_0 = σ(x_0 W_xh + b_h), y_0 = h_0 W_hy + b_y."""
    doc = {"type": "forward", "notation": "hinton", "inputs": [[1.0, 0.5]], "round": "none",
           "layout": {"orientation": "row"},
           "network": {"W_xh": [[0.5, 0.1], [0.2, 0.3]], "W_hh": [[0.25, 0.0], [0.1, 0.2]],
                       "b_h": [0.1, 0.0], "W_hy": [[2.0], [1.0]], "b_y": [0.3]}}
    h = 1 / (1 + np.exp(-np.array([0.5 + 0.1 + 0.1, 0.1 + 0.15])))
    r = rnnquiz.solve(doc)
    assert r.answer[0][0] == pytest.approx(2 * h[0] + h[1] + 0.3, rel=1e-12)
    assert "h_0·W_hy + b_y" in [s.equation for s in r.steps]     # the read-out in rows too


def test_gate_order_takes_each_gate_from_its_block():
    """fastbook's chunks i, f, o, g on one input and h_{-1} = c_{-1} = 0, by hand:
    c_0 = σ(0.1) tanh(0.4), h_0 = σ(0.3) tanh(c_0)."""
    doc = {"type": "lstm", "notation": "pytorch", "inputs": [1.0], "round": "none",
           "layout": {"gate_order": ["i", "f", "o", "g"]},
           "network": {"weight_ih": [[0.1], [0.2], [0.3], [0.4]],
                       "weight_hh": [[0.4], [-0.5], [0.6], [0.1]]}}
    def s(z): return 1 / (1 + math.exp(-z))
    c = s(0.1) * math.tanh(0.4)
    r = rnnquiz.solve(doc)
    assert r.answer[0][0] == pytest.approx(s(0.3) * math.tanh(c), rel=1e-12)
    assert r.steps[0].equation == "W_if·x_0 + b_if + W_hf·h_{-1} + b_hf"   # PyTorch's names
