"""What the working writes (issue 23, item 6): a row for every number answered, the factor a
reduction divides by, the course's own names and forms, numbers for small matrices."""

from __future__ import annotations

import math

import numpy as np
import pytest

import rnnquiz
from rnnquiz.trace.numbers import working_text

from test_working_shows_answers import missing_from_working


def rows(result, prefix: str):
    return [s for s in result.to_json()["steps"] if s["symbol"].startswith(prefix)]


def test_a_simple_rnn_writes_dE_dx_at_every_step():
    """z_t = 0.5 x_t - 0.8 h_{t-1}, h = tanh(z), y = h, E = 1/2 Σ (y - t)²: by hand,
    dE/dz_1 = (h_1 - t_1)(1 - h_1²), dE/dz_0 = ((h_0 - t_0) - 0.8 dE/dz_1)(1 - h_0²),
    dE/dx_t = 0.5 dE/dz_t."""
    doc = {"type": "backprop", "notation": "mit",
           "network": {"W_sx": 0.5, "W_ss": -0.8}, "inputs": [1.0, -2.0],
           "targets": [0.2, 0.1], "ask": {"quantity": "dE/dx"}}
    h0 = math.tanh(0.5)
    h1 = math.tanh(-1.0 - 0.8 * h0)
    dz1 = (h1 - 0.1) * (1 - h1 ** 2)
    dz0 = ((h0 - 0.2) - 0.8 * dz1) * (1 - h0 ** 2)
    result = rnnquiz.solve(doc)
    assert result.answer == pytest.approx([0.5 * dz0, 0.5 * dz1], rel=1e-12)
    dx = rows(result, "dE/dx_")
    assert [(s["symbol"], s["t"]) for s in dx] == [("dE/dx_0", 0), ("dE/dx_1", 1)]
    assert [s["value"] for s in dx] == pytest.approx([0.5 * dz0, 0.5 * dz1], rel=1e-12)
    assert dx[0]["equation"] == "W_sxᵀ·dE/dz_0" and dx[0]["working"].startswith("0.5·")
    assert missing_from_working(result) == []


def test_a_pytorch_gru_writes_dE_dx_in_its_own_names():
    torch = pytest.importorskip("torch")
    doc = {"type": "backprop", "cell": "gru", "notation": "pytorch",
           "network": {"weight_ih": [[0.5], [0.2], [0.3]], "weight_hh": [[0.1], [-0.3], [0.4]],
                       "bias_ih": [0.1, 0.0, -0.1], "bias_hh": [0.0, 0.2, 0.1]},
           "inputs": [1.0, -1.0], "targets": [0.5, -0.5], "ask": {"quantity": "dE/dx"}}
    cell = torch.nn.GRUCell(1, 1).double()
    with torch.no_grad():
        for key, v in doc["network"].items():
            getattr(cell, key).copy_(torch.tensor(v, dtype=torch.float64))
    x = torch.tensor([[1.0], [-1.0]], dtype=torch.float64, requires_grad=True)
    h, loss = torch.zeros(1, dtype=torch.float64), 0
    for t, target in enumerate(doc["targets"]):
        h = cell(x[t], h)
        loss = loss + 0.5 * (h[0] - target) ** 2
    loss.backward()
    result = rnnquiz.solve(doc)
    np.testing.assert_allclose(result.answer, x.grad.numpy(), rtol=1e-12)
    assert missing_from_working(result) == []
    steps = result.to_json()["steps"]
    # PyTorch's z is the update gate: the pre-activations are a^z, a^r, a^n, never z^z
    assert not [s for s in steps if "z^z" in s["symbol"] or "z^z" in s["equation"]]
    assert [s["symbol"] for s in steps if s["symbol"].startswith("a^")][:3] == \
        ["a^z_0", "a^r_0", "a^n_0"]
    # the reset gate's delta in PyTorch's names, with its numbers
    (dr,) = [s for s in steps if s["symbol"] == "dE/da^r_1"]
    assert "W_hn" in dr["equation"] and "W_ch" not in dr["equation"]
    assert dr["working"] and dr["working"][0].isdigit() or dr["working"].startswith("(")
    assert not [s for s in steps if "W_ch" in s["equation"]]


def test_cs231n_rnn_backward_writes_dx_row_by_row():
    """CS231n's rnn_backward(dh, cache): dx from the upstream dh, one row per step."""
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(5)
    N, T, D, H = 2, 3, 3, 2
    Wx, Wh, b = rng.normal(0, 0.5, (D, H)), rng.normal(0, 0.5, (H, H)), rng.normal(0, 0.5, H)
    x, h0, dh = rng.normal(0, 1, (N, T, D)), rng.normal(0, 0.5, (N, H)), rng.normal(0, 1, (N, T, H))
    doc = {"type": "backprop", "notation": "cs231n", "batch": True,
           "network": {"Wx": Wx.tolist(), "Wh": Wh.tolist(), "b": b.tolist(), "h0": h0.tolist()},
           "inputs": x.tolist(), "upstream": {"h": dh.tolist()}, "ask": {"quantity": "dE/dx"}}
    xt = torch.tensor(x, requires_grad=True)
    h, total = torch.tensor(h0), 0
    for t in range(T):
        h = torch.tanh(xt[:, t] @ torch.tensor(Wx) + h @ torch.tensor(Wh) + torch.tensor(b))
        total = total + (h * torch.tensor(dh[:, t])).sum()
    total.backward()
    result = rnnquiz.solve(doc)
    np.testing.assert_allclose(result.answer, xt.grad.numpy(), rtol=1e-12)
    dx = rows(result, "dE/dx_")
    assert [s["t"] for s in dx] == [0, 1, 2]
    np.testing.assert_allclose([s["value"] for s in dx], np.moveaxis(xt.grad.numpy(), 1, 0),
                               rtol=1e-12)
    assert dx[0]["equation"] == "dE/dz_0·Wxᵀ"
    assert missing_from_working(result) == []


def test_a_bidirectional_lstm_shapes_question_writes_the_width():
    doc = {"type": "shapes", "cell": "lstm", "input": 10, "hidden": 20, "framework": "pytorch",
           "layers": 2, "bidirectional": True, "ask": {"quantity": "shapes"}}
    result = rnnquiz.solve(doc)
    assert result.answer["output"] == [40] and result.answer["weight_ih_l1"] == [80, 40]
    (out,) = rows(result, "output")
    assert out["value"] == [40] and out["working"] == "(2·20)"
    assert missing_from_working(result) == []


def test_reduction_mean_writes_its_factor_in_every_divided_row():
    """Three loss terms: E and each dE/du_t are divided by 3, and the rows say so."""
    doc = {"type": "backprop", "loss": "cross_entropy", "reduction": "mean",
           "network": {"W_xh": 0.5, "W_hh": -0.8, "W_hy": [[0.7], [-0.3]], "output": "softmax"},
           "inputs": [1.0, -1.0, 2.0], "targets": [0, 1, 1], "ask": {"quantity": "E"}}
    result = rnnquiz.solve(doc)
    for symbol in ("E", "dE/dy_0", "dE/du_0", "dE/du_2"):
        (row,) = rows(result, symbol)
        assert row["equation"].startswith("1/3·("), symbol
    (du,) = rows(result, "dE/du_1")
    assert du["working"].startswith("1/3·(")
    h0 = 1 / (1 + math.exp(-0.5))          # the hinton notation's hidden default: logistic
    y0 = np.exp([0.7 * h0, -0.3 * h0]) / np.exp([0.7 * h0, -0.3 * h0]).sum()
    (du0,) = rows(result, "dE/du_0")
    np.testing.assert_allclose(du0["value"], (y0 - [1, 0]) / 3, rtol=1e-12)


def test_a_batch_is_written_in_the_courses_row_form():
    doc = {"type": "backprop", "notation": "pytorch", "batch": True,
           "network": {"weight_ih": [[0.5, -0.3], [0.2, 0.8]], "weight_hh": [[0.1, 0.4], [-0.6, 0.3]]},
           "inputs": [[[1.0, 0.5]], [[-0.5, 2.0]]], "upstream": {"h": [[[0.3, -0.7]], [[1.0, 0.4]]]},
           "ask": {"quantity": "dE/dweight_ih"}}
    result = rnnquiz.solve(doc)
    (z,) = rows(result, "z_0")
    assert z["equation"] == "x_0·weight_ihᵀ + h_{-1}·weight_hhᵀ + bias_ih + bias_hh"
    # x_0 (the examples' rows) times weight_ihᵀ: [[1, 0.5], [-0.5, 2]]·[[0.5, 0.2], [-0.3, 0.8]]
    assert z["working"].startswith("[[1, 0.5], [-0.5, 2]]·[[0.5, 0.2], [-0.3, 0.8]]")
    (g,) = rows(result, "dE/dweight_ih")
    assert g["equation"].startswith("Σ_n Σ_t")
    assert not rows(result, "dE/dW_hy") and not rows(result, "dE/db_y")


def test_a_cell_without_a_read_out_has_no_read_out_rows():
    doc = {"type": "backprop", "cell": "lstm", "inputs": [1.0, -1.0], "targets": [0.5, -0.5],
           "network": {"W_fh": 0.5, "W_fx": 1, "W_ih": -0.5, "W_ix": 1, "W_oh": 1, "W_ox": 0.5,
                       "W_ch": 0.2, "W_cx": 1}, "ask": {"quantity": "dE/dW_fh"}}
    result = rnnquiz.solve(doc)
    assert not rows(result, "dE/dW_hy") and not rows(result, "dE/db_y")
    with pytest.raises(rnnquiz.ProblemError, match="no quantity 'dE/dW_hy'"):
        rnnquiz.solve({**doc, "ask": {"quantity": "dE/dW_hy"}})


def test_a_beam_search_without_alpha_scores_by_log_p():
    """deeplearning.ai's beam search: no length normalisation unless the file gives α."""
    doc = {"type": "decode", "vocabulary": ["A", "B", "<eos>"], "method": "beam", "beam": 2,
           "tables": {"": [0.6, 0.3, 0.1], "A": [0.1, 0.1, 0.8], "B": [0.1, 0.1, 0.8],
                      "A A": [0, 0, 1], "A B": [0, 0, 1], "B A": [0, 0, 1], "B B": [0, 0, 1]},
           "ask": {"quantity": "score"}}
    result = rnnquiz.solve(doc)
    assert result.answer == pytest.approx(math.log(0.6 * 0.8), rel=1e-12)
    steps = result.to_json()["steps"]
    assert not [s for s in steps if "α" in s["equation"] or "α" in s.get("note", "")]
    with_alpha = rnnquiz.solve({**doc, "alpha": 0.75})
    assert with_alpha.answer == pytest.approx(math.log(0.6 * 0.8) / 2 ** 0.75, rel=1e-12)


def test_small_matrices_are_written_out_and_large_ones_by_shape():
    small, vec = np.arange(12.0).reshape(4, 3), np.array([1.0, 2.0, 3.0])
    assert working_text("{}·{}", (small, vec)) == \
        "[[0, 1, 2], [3, 4, 5], [6, 7, 8], [9, 10, 11]]·[1, 2, 3]"
    large = np.ones((10, 4))
    assert working_text("{}·{}", (large, np.ones(4))) == "(10×4)·[1, 1, 1, 1]"
    assert working_text("{}·{}", (np.ones((5, 2)), np.ones(2))) == "(5×2)·[1, 1]"


def test_a_bidirectional_layer_writes_dE_dx_from_both_directions():
    """dE/dx_t = W_xh^(→)ᵀ dE/dz^(→)_t + W_xh^(←)ᵀ dE/dz^(←)_t: against finite differences."""
    doc = {"type": "backprop", "bidirectional": True, "inputs": [1.0, -1.0, 2.0],
           "targets": [0.5, -0.5, 1.0], "ask": {"quantity": "dE/dx"},
           "network": [{"forward": {"W_xh": 0.5, "W_hh": -0.8},
                        "backward": {"W_xh": 0.2, "W_hh": 0.4}, "W_hy": [[0.5, 0.3]]}]}
    result = rnnquiz.solve(doc)
    eps, want = 1e-6, []
    for i in range(3):
        E = []
        for sign in (1, -1):
            xs = list(doc["inputs"])
            xs[i] += sign * eps
            E.append(rnnquiz.solve({**doc, "inputs": xs, "ask": {"quantity": "E"}}).answer)
        want.append((E[0] - E[1]) / (2 * eps))
    assert np.ravel(result.answer) == pytest.approx(want, rel=1e-6)
    dx = rows(result, "dE/dx_")
    assert [s["t"] for s in dx] == [0, 1, 2]
    assert dx[0]["equation"] == "from h^(→) + from h^(←)"
    assert missing_from_working(result) == []


def test_dE_dy_writes_the_zero_of_a_step_without_a_target():
    doc = {"type": "backprop", "network": {"W_xh": 0.5, "W_hh": -0.8, "W_hy": 0.7},
           "inputs": [1.0, -1.0, 2.0], "targets": {2: 1.0}, "ask": {"quantity": "dE/dy"}}
    result = rnnquiz.solve(doc)
    assert result.answer[:2] == [0.0, 0.0]
    zero = rows(result, "dE/dy_0")
    assert zero and zero[0]["value"] == 0 and zero[0]["note"] == "no loss term at step 0"
    assert missing_from_working(result) == []


def test_truncated_bptt_writes_the_dE_dz_it_answers():
    """truncate: 0 detaches h_{t-1}: dE/dz_t = (y_t - target_t)·W_hy·σ'(z_t), by hand."""
    doc = {"type": "backprop", "truncate": 0, "network": {"W_xh": 0.5, "W_hh": 0.3, "W_hy": 2.0},
           "inputs": [1.0, -1.0], "targets": [0.1, 0.2], "ask": {"quantity": "dE/dz"}}
    sig = lambda z: 1 / (1 + math.exp(-z))      # noqa: E731
    h0 = sig(0.5)
    h1 = sig(-0.5 + 0.3 * h0)
    want = [(2 * h0 - 0.1) * 2 * h0 * (1 - h0), (2 * h1 - 0.2) * 2 * h1 * (1 - h1)]
    result = rnnquiz.solve(doc)
    assert result.answer == pytest.approx(want, rel=1e-12)
    assert [s["value"] for s in rows(result, "dE/dz_")] == pytest.approx(want, rel=1e-12)
    assert missing_from_working(result) == []


def test_the_shapes_rows_of_pytorchs_outputs_say_how_each_width_is_made():
    """nn.LSTM(3, 4, num_layers=2, bidirectional=True): output (8,) = 2·h, h_n and c_n
    (2·2, 4); nn.GRU(3, 4, num_layers=3): output (4,), h_n (1·3, 4); the weights' rows carry
    no formula. The shapes against torch itself."""
    torch = pytest.importorskip("torch")
    lstm = torch.nn.LSTM(3, 4, num_layers=2, bidirectional=True)
    out, (h_n, c_n) = lstm(torch.zeros(1, 3))
    doc = {"type": "shapes", "cell": "lstm", "input": 3, "hidden": 4, "framework": "pytorch",
           "layers": 2, "bidirectional": True, "ask": {"quantity": "shapes"}}
    steps = {s["symbol"]: s for s in rnnquiz.solve(doc).to_json()["steps"]
             if s.get("phase") == "shapes"}
    assert [steps[k]["value"] for k in ("output", "h_n", "c_n")] == \
        [list(out.shape[1:]), list(h_n.shape), list(c_n.shape)]
    assert (steps["output"]["equation"], steps["output"]["working"]) == \
        ("(2·h): both directions concatenated", "(2·4)")
    for key in ("h_n", "c_n"):
        assert (steps[key]["equation"], steps[key]["working"]) == \
            ("(directions·layers, h)", "(2·2, 4)")
    assert all(s["equation"] == s["working"] == "" for k, s in steps.items()
               if k not in ("output", "h_n", "c_n"))
    doc = {**doc, "cell": "gru", "layers": 3, "bidirectional": False}
    steps = {s["symbol"]: s for s in rnnquiz.solve(doc).to_json()["steps"]
             if s.get("phase") == "shapes"}
    _, h_n = torch.nn.GRU(3, 4, num_layers=3)(torch.zeros(1, 3))
    assert steps["h_n"]["value"] == list(h_n.shape) and steps["h_n"]["working"] == "(1·3, 4)"
    assert steps["output"]["value"] == [4] and steps["output"]["working"] == ""
    assert "c_n" not in steps
