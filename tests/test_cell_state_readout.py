"""The read-out of the LSTM's cell state (SPEC 1.15), y_c = W_cy c + b_cy: CS224n's
c_projection of a bidirectional encoder's final cell states (readout: last) against
torch.nn.LSTM and nn.Linear, at every step of one layer, both paths, and errors by name."""

from __future__ import annotations

import numpy as np
import pytest

import rnnquiz
from conftest import run
from oracles.lstm import stack_with_cell_readout


def _encoder(torch, seed=1, T=4, D=3, H=2, bias=True):
    torch.manual_seed(seed)
    enc = torch.nn.LSTM(D, H, bidirectional=True).double()
    proj = torch.nn.Linear(2 * H, 3, bias=bias).double()
    X = torch.randn(T, 1, D, dtype=torch.float64)
    _, (_, c_n) = enc(X)
    y_c = proj(torch.cat((c_n[0], c_n[1]), 1))[0]
    net = {k: v.tolist() for k, v in enc.state_dict().items()}
    net["W_cy"] = proj.weight.tolist()
    if bias:
        net["b_cy"] = proj.bias.tolist()
    doc = {"type": "lstm", "notation": "pytorch", "bidirectional": True, "readout": "last",
           "network": net, "inputs": X[:, 0].tolist(), "ask": {"quantity": "y_c"}}
    return doc, y_c.detach().numpy()


@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("steps", [True, False], ids=["working", "scan"])
def test_c_projection_of_the_final_cell_states_is_torchs(steps, bias):
    torch = pytest.importorskip("torch")
    doc, want = _encoder(torch, bias=bias)
    got = rnnquiz.solve(doc, steps=steps).answer
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-14)


def test_the_working_writes_both_directions_final_cells():
    torch = pytest.importorskip("torch")
    doc, _ = _encoder(torch, bias=False, T=3)
    step = next(s for s in rnnquiz.solve(doc).steps if s.symbol == "y_c")
    assert step.equation == "W_cy·[→c_2; ←c_0]"


@pytest.mark.parametrize("steps", [True, False], ids=["working", "scan"])
def test_every_step_of_one_layer_in_rows_and_its_gradients_are_zero(steps):
    net, X, Y = _one_layer(pytest.importorskip("torch"), steps=3)
    doc = {"type": "backprop", "cell": "lstm", "notation": "d2l", "network": net,
           "inputs": X, "targets": {3: [0.1, 0.2, 0.3]}}
    values = rnnquiz.solve(doc, steps=steps).values
    np.testing.assert_allclose(np.asarray(values["y_c"], dtype=float), np.array(Y),
                               rtol=1e-12, atol=1e-14)
    # the loss reads h, never y_c: E does not move with W_cy
    assert not np.any(values["dE/dW_cy"]) and np.shape(values["dE/dW_cy"]) == (3, 2)
    E = rnnquiz.solve({**doc, "ask": {"quantity": "E"}}).answer
    moved = {**net, "W_cy": (np.asarray(net["W_cy"]) + 1).tolist()}
    assert rnnquiz.solve({**doc, "network": moved, "ask": {"quantity": "E"}}).answer == E


@pytest.mark.parametrize("network, cell, where, says", [
    ({"W_cy": [[1.0, 2.0], [3.0, 4.0]], "h_init": [0.0]}, "lstm", "network.W_cy",
     "expected (outputs)x1"),
    ({"W_cy": [[1.0]], "b_cy": [1.0, 2.0]}, "lstm", "network.b_cy", "W_cy gives 1 outputs"),
    ({"W_cy": [[1.0]]}, "gru", "network.W_cy", "has none"),
])
def test_a_cell_read_out_that_does_not_fit_is_refused_by_name(tmp_path, network, cell, where,
                                                              says):
    import yaml
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump({"type": cell, "network": network, "inputs": [1.0]}))
    r = run("solve", str(path))
    assert r.exit_code == 2
    assert where in r.output and says in r.output, r.output


def _two_layers(torch):
    """The two-layer stack with a cell read-out (oracles.lstm), and the
    read-out of the top layer's last cell state, W_cy c_n: (network keys, inputs, y_c)."""
    enc, W, X, net = stack_with_cell_readout(torch)
    _, (_, c_n) = enc(X)
    return net, X[:, 0].tolist(), (W @ c_n[-1, 0]).detach().numpy()


def test_a_one_way_stack_read_out_last_projects_the_top_layers_last_cell_state():
    net, inputs, y_c = _two_layers(pytest.importorskip("torch"))
    doc = {"type": "lstm", "notation": "pytorch", "readout": "last", "network": net,
           "inputs": inputs, "ask": {"quantity": "y_c"}}
    for steps in (True, False):
        np.testing.assert_allclose(rnnquiz.solve(doc, steps=steps).answer, y_c,
                                   rtol=1e-12, atol=1e-14)


def _one_layer(torch, seed=4, steps=2):
    """d2l's LSTM (rows: y_c = C_t W_cy + b_cy) from torch's LSTMCell (PyTorch's gate blocks
    i, f, g, o are d2l's i, f, c, o), its inputs, and y_c at every step."""
    torch.manual_seed(seed)
    cell = torch.nn.LSTMCell(2, 3).double()
    W = torch.randn(3, 2, dtype=torch.float64)
    b = torch.randn(2, dtype=torch.float64)
    X = torch.randn(steps, 2, dtype=torch.float64)
    h = c = torch.zeros(1, 3, dtype=torch.float64)
    Y = []
    for x in X:
        h, c = cell(x[None], (h, c))
        Y.append((c @ W + b)[0].detach().numpy())
    Wi, Wh = cell.weight_ih.detach(), cell.weight_hh.detach()
    bias = (cell.bias_ih + cell.bias_hh).detach()
    net = {"W_cy": W.tolist(), "b_cy": b.tolist()}
    for k, gate in enumerate("ifco"):
        rows = slice(3 * k, 3 * k + 3)
        net[f"W_x{gate}"], net[f"W_h{gate}"] = Wi[rows].T.tolist(), Wh[rows].T.tolist()
        net[f"b_{gate}"] = bias[rows].tolist()
    return net, X.tolist(), Y


def test_bptt_of_one_layer_writes_y_c_and_its_zero_gradients_in_the_working():
    torch = pytest.importorskip("torch")
    net, X, Y = _one_layer(torch)
    doc = {"type": "backprop", "cell": "lstm", "notation": "d2l", "network": net, "inputs": X,
           "targets": {2: [0.1, 0.2, 0.3]}}
    steps = {s.symbol: s for s in rnnquiz.solve(doc).steps}
    for t, want in zip((1, 2), Y):                  # d2l numbers the steps from 1
        line = steps[f"y_c_{t}"]
        assert (line.phase, line.equation, line.t) == ("forward", f"C_{t}·W_cy + b_cy", t)
        np.testing.assert_allclose(line.value, want, rtol=1e-12, atol=1e-14)
    for key in ("dE/dW_cy", "dE/db_cy"):
        assert steps[key].phase == "gradient"
        assert steps[key].equation == "0: E reads y, not y_c (the loss is on the outputs)"
        assert not np.any(steps[key].value)


@pytest.mark.parametrize("steps", [True, False], ids=["working", "scan"])
def test_a_forward_pass_reading_the_cell_state_has_no_gradients(steps):
    torch = pytest.importorskip("torch")
    net, X, Y = _one_layer(torch)
    doc = {"type": "lstm", "notation": "d2l", "network": net, "inputs": X,
           "ask": {"quantity": "y_c"}}
    r = rnnquiz.solve(doc, steps=steps)
    np.testing.assert_allclose(np.reshape(r.answer, (2, 2)), np.array(Y), rtol=1e-12, atol=1e-14)
    assert not [k for k in r.values if k.startswith("dE/d")]      # no loss, no gradient
    assert not [s for s in r.steps if s.phase == "gradient"]


@pytest.mark.parametrize("steps", [True, False], ids=["working", "scan"])
def test_y_c_asked_at_one_step(steps):
    torch = pytest.importorskip("torch")
    net, X, Y = _one_layer(torch)
    doc = {"type": "lstm", "notation": "d2l", "network": net, "inputs": X,
           "ask": {"quantity": "y_c", "t": 2}}
    r = rnnquiz.solve(doc, steps=steps)
    assert r.question == "y_c at t=2"
    np.testing.assert_allclose(np.ravel(r.answer), Y[1], rtol=1e-12, atol=1e-14)


def test_a_column_files_zero_gradients_have_the_shape_of_its_w_cy():
    torch = pytest.importorskip("torch")
    torch.manual_seed(7)
    cell = torch.nn.LSTMCell(2, 3).double()
    net = {"weight_ih": cell.weight_ih.tolist(), "weight_hh": cell.weight_hh.tolist(),
           "bias_ih": cell.bias_ih.tolist(), "bias_hh": cell.bias_hh.tolist(),
           "W_cy": [[0.5, -1.0, 0.25], [1.0, 0.0, -0.5]], "b_cy": [0.1, -0.2]}
    doc = {"type": "backprop", "cell": "lstm", "notation": "pytorch", "network": net,
           "inputs": [[1.0, -0.5], [0.3, 0.8]], "targets": [[0.1, 0.2, 0.3], [0.0, 0.1, -0.1]]}
    for steps in (True, False):
        values = rnnquiz.solve(doc, steps=steps).values
        assert np.shape(values["dE/dW_cy"]) == (2, 3) and not np.any(values["dE/dW_cy"])
        assert np.shape(values["dE/db_cy"]) == (2,)


def test_a_projection_without_bias_is_written_and_computed_without_one():
    torch = pytest.importorskip("torch")
    doc, want = _encoder(torch, bias=False, T=3)
    step = next(s for s in rnnquiz.solve(doc).steps if s.symbol == "y_c")
    assert step.formula == "{}·{}" and len(step.operands) == 2
    W, c = step.operands
    np.testing.assert_allclose(np.asarray(W) @ np.asarray(c), want, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("batch", [False, True], ids=["one", "batch"])
@pytest.mark.parametrize("steps", [True, False], ids=["working", "scan"])
def test_a_bidirectional_layer_reads_both_directions_cells_at_every_step(steps, batch):
    """y_c_t = W_cy [→c_t; ←c_t], ←c_t the backward direction's state after x_{T-1} … x_t:
    torch's LSTMCell run each way with nn.LSTM's weights (in a batch, each example's)."""
    torch = pytest.importorskip("torch")
    torch.manual_seed(2)
    enc = torch.nn.LSTM(2, 2, bidirectional=True).double()
    W = torch.randn(3, 4, dtype=torch.float64)
    N = 2 if batch else 1
    X = torch.randn(3, N, 2, dtype=torch.float64)      # (steps, examples, inputs)
    sd = enc.state_dict()

    def cells(suffix, xs):
        cell = torch.nn.LSTMCell(2, 2).double()
        cell.load_state_dict({k: sd[f"{k}_l0{suffix}"] for k in
                              ("weight_ih", "weight_hh", "bias_ih", "bias_hh")})
        h = c = torch.zeros(N, 2, dtype=torch.float64)
        out = []
        for x in xs:
            h, c = cell(x, (h, c))
            out.append(c)
        return out
    fw, bw = cells("", X), cells("_reverse", X.flip(0))[::-1]
    want = np.array([(torch.cat([f, b], 1) @ W.T).detach().numpy() for f, b in zip(fw, bw)])
    net = {**{k: v.tolist() for k, v in sd.items()}, "W_cy": W.tolist()}
    doc = {"type": "lstm", "notation": "pytorch", "bidirectional": True, "network": net,
           "inputs": X.transpose(0, 1).tolist() if batch else X[:, 0].tolist(),
           "ask": {"quantity": "y_c"}, **({"batch": True} if batch else {})}
    got = rnnquiz.solve(doc, steps=steps).values["y_c"]
    np.testing.assert_allclose(np.reshape(np.array(got, dtype=float), want.shape), want,
                               rtol=1e-12, atol=1e-14)
    r = rnnquiz.solve({**doc, "ask": {"quantity": "y_c", "t": 1}}, steps=steps)
    assert r.question == "y_c at t=1"
    np.testing.assert_allclose(np.reshape(r.answer, want[1].shape), want[1], rtol=1e-12,
                               atol=1e-14)


def test_readout_last_in_a_notation_counting_from_one_names_the_end_cells():
    """d2l numbers the steps from 1: over three inputs, y_c = [→C_3; ←C_1]·W_cy."""
    def direction(w_x):
        return {**{f"W_x{g}": w_x for g in "ifoc"}, **{f"W_h{g}": 0.5 for g in "ifoc"}}
    doc = {"type": "lstm", "notation": "d2l", "bidirectional": True, "readout": "last",
           "network": {"forward": direction(1.0), "backward": direction(-1.0),
                       "W_cy": [[1.0], [2.0]]},
           "inputs": [1, 2, 3], "ask": {"quantity": "y_c"}}
    steps = {s.symbol: s for s in rnnquiz.solve(doc).steps}
    assert steps["y_c"].equation == "[→C_3; ←C_1]·W_cy"
    want = 1.0 * steps["C^(→)_3"].value + 2.0 * steps["C^(←)_1"].value
    np.testing.assert_allclose(np.ravel(steps["y_c"].value), np.ravel(want), rtol=1e-12)


@pytest.mark.parametrize("steps", [True, False], ids=["working", "scan"])
def test_readout_last_of_a_batch_projects_each_examples_final_cells(steps):
    torch = pytest.importorskip("torch")
    torch.manual_seed(2)
    enc = torch.nn.LSTM(2, 2, bidirectional=True).double()
    W = torch.randn(3, 4, dtype=torch.float64)
    X = torch.randn(2, 3, 2, dtype=torch.float64)       # (examples, steps, inputs)
    _, (_, c_n) = enc(X.transpose(0, 1))
    want = (torch.cat((c_n[0], c_n[1]), 1) @ W.T).detach().numpy()
    net = {**{k: v.tolist() for k, v in enc.state_dict().items()}, "W_cy": W.tolist()}
    doc = {"type": "lstm", "notation": "pytorch", "bidirectional": True, "batch": True,
           "readout": "last", "network": net, "inputs": X.tolist(), "ask": {"quantity": "y_c"}}
    got = rnnquiz.solve(doc, steps=steps).answer
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-14)


def test_a_stacks_read_out_last_and_its_zero_gradient_are_written_in_the_working():
    net, inputs, y_c = _two_layers(pytest.importorskip("torch"))
    doc = {"type": "backprop", "cell": "lstm", "notation": "pytorch", "readout": "last",
           "network": net, "inputs": inputs, "targets": {3: [0.1, 0.2, 0.3]}}
    steps = {s.symbol: s for s in rnnquiz.solve(doc).steps}
    assert (steps["y_c"].equation, steps["y_c"].phase) == ("W_cy·c_3", "forward")
    np.testing.assert_allclose(np.ravel(steps["y_c"].value), y_c, rtol=1e-12, atol=1e-14)
    line = steps["dE/dW_cy"]
    assert (line.phase, line.equation) == ("gradient",
                                           "0: E reads y, not y_c (the loss is on the outputs)")
    assert not np.any(line.value)
