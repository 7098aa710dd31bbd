"""Initial states of a stack in a batch (SPEC 1.15): in the `pytorch` notation, one mapping,
h_0 as torch.nn.RNN takes it, (layers x directions, examples, hidden) ordered l0, l0_reverse,
l1, ...; a shape whose rows could be the layers' or the examples' is refused with the form to
write; a network written as a list of layers takes (examples, hidden) per layer. torch is the
oracle: its outputs with that h_0 and the gradient it gives h_0."""

from __future__ import annotations

import numpy as np
import pytest

import rnnquiz
from rnnquiz.errors import ProblemError

from conftest import run


MODULES = {"rnn": "RNN", "lstm": "LSTM", "gru": "GRU"}
TYPES = {"rnn": "backprop", "lstm": "backprop", "gru": "backprop"}


def _batch_problem(cell: str, layers: int, bidirectional: bool, N=3, T=4, D=2, H=3, seed=0):
    """nn.RNN/LSTM/GRU run on a batch from a given h_0 (and c_0), a squared loss on the top
    states; the file as the state_dict and h_0 print, batch first as SPEC 1.10 writes it."""
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle of this test")
    torch.manual_seed(seed)
    m = getattr(torch.nn, MODULES[cell])(D, H, num_layers=layers, bidirectional=bidirectional)
    R = layers * (2 if bidirectional else 1)
    x = torch.randn(T, N, D)
    h0 = torch.randn(R, N, H, requires_grad=True)
    c0 = torch.randn(R, N, H, requires_grad=True)
    out, _ = m(x, (h0, c0) if cell == "lstm" else h0)
    target = torch.randn(*out.shape)
    E = 0.5 * ((out - target) ** 2).sum()
    E.backward()
    net = {k: v.detach().numpy().tolist() for k, v in m.state_dict().items()}
    net["h_init"] = h0.detach().numpy().tolist()
    if cell == "lstm":
        net["c_init"] = c0.detach().numpy().tolist()
    doc = {"type": TYPES[cell], "cell": cell, "notation": "pytorch", "batch": True,
           "network": net, "inputs": x.transpose(0, 1).numpy().tolist(),
           "targets": target.transpose(0, 1).numpy().tolist()}
    want = {"h": out.detach().transpose(0, 1).numpy(), "E": E.item(),
            "dE/dh_init": h0.grad.numpy(), "dE/dweight_hh_l0": m.weight_hh_l0.grad.numpy()}
    if cell == "lstm":
        want["dE/dc_init"] = c0.grad.numpy()
    return doc, want


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
@pytest.mark.parametrize("layers,bidirectional", [(2, False), (1, True), (2, True)])
@pytest.mark.parametrize("steps", [True, False])
def test_h0_of_layers_times_directions_examples_hidden_is_torchs(cell, layers, bidirectional,
                                                                 steps):
    doc, want = _batch_problem(cell, layers, bidirectional)
    for quantity, value in want.items():
        got = rnnquiz.solve({**doc, "ask": {"quantity": quantity}}, steps=steps).answer
        np.testing.assert_allclose(got, value, rtol=1e-10, atol=1e-13, err_msg=quantity)


def test_one_layer_and_direction_of_h0_is_picked_by_ask():
    doc, want = _batch_problem("gru", 2, True, seed=3)
    for k, (layer, direction) in enumerate([(1, "forward"), (1, "backward"), (2, "forward"),
                                            (2, "backward")]):
        got = rnnquiz.solve({**doc, "ask": {"quantity": "dE/dh_init", "layer": layer,
                                            "direction": direction}}).answer
        np.testing.assert_allclose(got, want["dE/dh_init"][k], rtol=1e-10, atol=1e-13)


def test_a_one_layer_network_takes_torchs_1_by_N_by_H():
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle of this test")
    torch.manual_seed(4)
    m = torch.nn.RNN(2, 3)
    x, h0 = torch.randn(3, 2, 2), torch.randn(1, 2, 3)
    out, _ = m(x, h0)
    net = {k: v.numpy().tolist() for k, v in m.state_dict().items()}     # weight_ih_l0, ...
    doc = {"type": "forward", "notation": "pytorch", "batch": True,
           "network": {**net, "h_init": h0.numpy().tolist()},
           "inputs": x.transpose(0, 1).numpy().tolist(), "ask": {"quantity": "h"}}
    for steps in (True, False):
        np.testing.assert_allclose(rnnquiz.solve(doc, steps=steps).answer,
                                   out.detach().transpose(0, 1).numpy(), rtol=1e-10, atol=1e-13)


def test_a_row_per_layer_is_every_examples_when_the_rows_cannot_be_the_examples():
    """3 examples, 2 layers: a 2 x H matrix can only be one row per layer."""
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle of this test")
    torch.manual_seed(5)
    m = torch.nn.RNN(2, 3, num_layers=2)
    x, h0 = torch.randn(4, 3, 2), torch.randn(2, 3)
    out, _ = m(x, h0[:, None, :].expand(2, 3, 3).contiguous())
    net = {k: v.numpy().tolist() for k, v in m.state_dict().items()}
    doc = {"type": "forward", "notation": "pytorch", "batch": True,
           "network": {**net, "h_init": h0.numpy().tolist()},
           "inputs": x.transpose(0, 1).numpy().tolist(), "ask": {"quantity": "h"}}
    np.testing.assert_allclose(rnnquiz.solve(doc).answer, out.detach().transpose(0, 1).numpy(),
                               rtol=1e-10, atol=1e-13)


def test_a_list_of_layers_takes_examples_by_hidden_per_layer():
    """The same network written layer by layer (SPEC 1.9): each layer's h_init is (N, H)."""
    doc, want = _batch_problem("rnn", 2, False, N=2, H=2, seed=6)
    net = doc["network"]
    layers = [{"W_xh": net[f"weight_ih_l{k}"], "W_hh": net[f"weight_hh_l{k}"],
               "b_h": (np.add(net[f"bias_ih_l{k}"], net[f"bias_hh_l{k}"])).tolist(),
               "h_init": net["h_init"][k]} for k in range(2)]
    listed = {"type": "forward", "notation": "hinton", "batch": True, "network": layers,
              "inputs": doc["inputs"]}
    listed["network"][0]["hidden"] = listed["network"][1]["hidden"] = "tanh"
    got = rnnquiz.solve({**listed, "ask": {"quantity": "h"}}).answer
    np.testing.assert_allclose(got, want["h"], rtol=1e-10, atol=1e-13)


def test_a_matrix_whose_rows_could_be_layers_or_examples_is_refused_with_the_form_to_write():
    """2 layers and 2 examples: h_init 2 x 2 was read as one row per layer, silently."""
    doc, _ = _batch_problem("rnn", 2, False, N=2, H=2, seed=7)
    doc = {**doc, "network": {**doc["network"], "h_init": [[0.1, 0.2], [0.3, 0.4]]}}
    with pytest.raises(ProblemError) as err:
        rnnquiz.solve(doc)
    msg = str(err.value)
    assert msg.startswith("network.h_init: 2 rows could be one per layer and direction or one "
                          "per example (2 examples)")
    assert "(layers x directions, examples, hidden): 2x2x2" in msg


@pytest.mark.parametrize("h_init,batch,where", [
    (np.zeros((2, 3, 3)).tolist(), True,
     "network.h_init: has shape 2x3x3, expected (layers x directions, examples, hidden) = "
     "(2, 2, hidden)"),
    (np.zeros((3, 3)).tolist(), True,
     "network.h_init: expected one row per layer and direction (2 rows, as PyTorch's h_0), or "
     "(layers x directions, examples, hidden) = (2, 2, hidden)"),
    (np.zeros((2, 1, 3)).tolist(), False,
     "network.h_init: has shape 2x1x3; three levels are a batch's"),
    ([[[0.0, 0.0, 0.0]], [[0.0, 0.0]]], True, "network.h_init[1]: has shape 1x2; "
                                              "network.h_init[0] has 1x3"),
])
def test_wrong_shapes_of_h0_are_named(h_init, batch, where):
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle of this test")
    torch.manual_seed(8)
    m = torch.nn.RNN(2, 3, num_layers=2)
    net = {k: v.numpy().tolist() for k, v in m.state_dict().items()}
    doc = {"type": "forward", "notation": "pytorch", "network": {**net, "h_init": h_init},
           "inputs": np.zeros((2, 3, 2)).tolist() if batch else np.zeros((3, 2)).tolist()}
    if batch:
        doc["batch"] = True
    with pytest.raises(ProblemError) as err:
        rnnquiz.solve(doc)
    assert where in str(err.value)


def test_the_cli_refuses_the_ambiguous_shape_with_exit_2(tmp_path):
    f = tmp_path / "h0.yaml"
    f.write_text("type: forward\nnotation: pytorch\nbatch: true\n"
                 "inputs: [[[1.0], [0.5]], [[0.0], [-1.0]]]\n"
                 "network:\n  weight_ih_l0: [[0.5], [0.1]]\n  weight_ih_l1: [[1, 0], [0, 1]]\n"
                 "  h_init: [[0.1, 0.2], [0.3, 0.4]]\n")
    r = run("solve", str(f))
    assert r.exit_code == 2
    assert f"{f}:8: network.h_init: 2 rows could be one per layer" in r.stderr


def test_a_layer_asked_alone_or_a_direction_alone_picks_its_h0():
    """ask.layer without ask.direction (a one-way stack), or ask.direction without ask.layer
    (one bidirectional layer): that layer's or direction's row of torch's h_0.grad."""
    doc, want = _batch_problem("rnn", 2, False, seed=6)
    for steps in (True, False):
        for layer in (1, 2):
            got = rnnquiz.solve({**doc, "ask": {"quantity": "dE/dh_init", "layer": layer}},
                                steps=steps).answer
            np.testing.assert_allclose(got, want["dE/dh_init"][layer - 1], rtol=1e-10,
                                       atol=1e-13)
    doc, want = _batch_problem("gru", 1, True, seed=7)
    for steps in (True, False):
        for k, direction in enumerate(("forward", "backward")):
            got = rnnquiz.solve({**doc, "ask": {"quantity": "dE/dh_init",
                                                "direction": direction}}, steps=steps).answer
            np.testing.assert_allclose(got, want["dE/dh_init"][k], rtol=1e-10, atol=1e-13)
