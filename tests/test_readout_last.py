"""`readout: last` on a network of one layer (SPEC 1.9): Keras' SimpleRNN -> Dense without
return_sequences, many-to-one. One output from the last state, forward and BPTT, with
torch.nn.RNN/LSTM/GRU and autograd as the oracle (a scalar network worked by hand too)."""

from __future__ import annotations

import math

import numpy as np
import pytest

import rnnquiz
from rnnquiz.errors import ProblemError

torch = pytest.importorskip("torch", reason="PyTorch is the oracle of these tests")
torch.set_default_dtype(torch.float64)


def _keras_simple_rnn_dense(seed=0, T=4, D=2, H=3, batch=None):
    """SimpleRNN(H) -> Dense(1) on the last state, a squared loss against one target, and the
    same weights as Keras' get_weights() writes them (kernel (D, H), recurrent_kernel (H, H))."""
    torch.manual_seed(seed)
    rnn = torch.nn.RNN(D, H, bias=True)
    with torch.no_grad():
        rnn.bias_hh_l0.zero_()            # Keras has one bias
    dense = torch.nn.Linear(H, 1)
    N = batch or 1
    x = torch.randn(T, N, D, requires_grad=True)
    h0 = torch.randn(1, N, H, requires_grad=True)
    out, _ = rnn(x, h0)
    y = dense(out[-1])                    # (N, 1): the last step only
    target = torch.randn(N, 1)
    E = 0.5 * ((y - target) ** 2).sum()
    E.backward()
    net = {"kernel": rnn.weight_ih_l0.detach().T.numpy().tolist(),
           "recurrent_kernel": rnn.weight_hh_l0.detach().T.numpy().tolist(),
           "bias": rnn.bias_ih_l0.detach().numpy().tolist(),
           "dense_kernel": dense.weight.detach().T.numpy().tolist(),
           "dense_bias": dense.bias.detach().numpy().tolist(),
           "h_init": (h0[0, 0] if batch is None else h0[0]).detach().numpy().tolist()}
    doc = {"type": "backprop", "notation": "keras", "readout": "last", "network": net}
    if batch is None:
        doc["inputs"] = x[:, 0].detach().numpy().tolist()
        doc["targets"] = [target[0].numpy().tolist()]
    else:
        doc.update(batch=True, inputs=x.detach().transpose(0, 1).numpy().tolist(),
                   targets=[[target[n].numpy().tolist()] for n in range(N)])
    grads = {"dE/dkernel": rnn.weight_ih_l0.grad.T, "dE/drecurrent_kernel": rnn.weight_hh_l0.grad.T,
             "dE/dbias": rnn.bias_ih_l0.grad, "dE/ddense_kernel": dense.weight.grad.T,
             "dE/ddense_bias": dense.bias.grad,
             "dE/dx": x.grad[:, 0] if batch is None else x.grad.transpose(0, 1),
             "dE/dh_init": h0.grad[0, 0] if batch is None else h0.grad[0]}
    want = {"E": E.item(), "y": y.detach()[0].numpy() if batch is None else y.detach().numpy(),
            **{k: v.numpy() for k, v in grads.items()}}
    return doc, want


@pytest.mark.parametrize("steps", [True, False])
def test_keras_simple_rnn_dense_many_to_one_forward_and_bptt(steps):
    doc, want = _keras_simple_rnn_dense()
    for quantity, value in want.items():
        got = rnnquiz.solve({**doc, "ask": {"quantity": quantity}}, steps=steps).answer
        np.testing.assert_allclose(got, value, rtol=1e-10, atol=1e-13, err_msg=quantity)
    y = rnnquiz.solve({**doc, "ask": {"quantity": "y"}}, steps=steps).answer
    assert np.shape(y) == (1,)           # one output, not one a step


@pytest.mark.parametrize("steps", [True, False])
def test_a_batch_read_out_last_gives_one_output_an_example(steps):
    doc, want = _keras_simple_rnn_dense(seed=4, T=3, batch=3)
    for quantity, value in want.items():
        got = rnnquiz.solve({**doc, "ask": {"quantity": quantity}}, steps=steps).answer
        np.testing.assert_allclose(got, value, rtol=1e-10, atol=1e-13, err_msg=quantity)


def test_the_mapping_and_a_list_of_one_layer_read_out_alike():
    doc, _ = _keras_simple_rnn_dense(seed=2)
    for quantity in ("y", "dE/dkernel", "dE/dh_init"):
        one = rnnquiz.solve({**doc, "ask": {"quantity": quantity}})
        listed = rnnquiz.solve({**doc, "network": [doc["network"]], "ask": {"quantity": quantity}})
        assert one.answer == listed.answer
        assert [s.symbol for s in one.steps] == [s.symbol for s in listed.steps]


def test_only_the_last_step_has_an_output_in_the_working():
    doc, _ = _keras_simple_rnn_dense(seed=1, T=3)
    doc.pop("targets")
    r = rnnquiz.solve({**doc, "type": "forward", "ask": {"quantity": "y"}})
    outputs = [s for s in r.steps if s.symbol.startswith("y_")]
    assert [s.symbol for s in outputs] == ["y_2"]


@pytest.mark.parametrize("cell,notation", [("lstm", "pytorch"), ("gru", "pytorch")])
@pytest.mark.parametrize("steps", [True, False])
def test_cells_read_out_last_with_a_softmax_and_cross_entropy(cell, notation, steps):
    """nn.LSTM / nn.GRU -> Linear -> softmax on the last state, one class index as target."""
    torch.manual_seed(7)
    m = getattr(torch.nn, cell.upper())(2, 3)
    fc = torch.nn.Linear(3, 4)
    x = torch.randn(5, 2)
    out, _ = m(x)
    logits = fc(out[-1])
    E = torch.nn.functional.cross_entropy(logits[None], torch.tensor([2]), reduction="sum")
    E.backward()
    net = {k: v.detach().numpy().tolist() for k, v in m.state_dict().items()}   # weight_ih_l0
    net.update(W_hy=fc.weight.detach().numpy().tolist(), b_y=fc.bias.detach().numpy().tolist(),
               output="softmax")
    doc = {"type": "backprop", "cell": cell, "notation": notation, "network": net,
           "readout": "last", "loss": "cross_entropy", "inputs": x.numpy().tolist(),
           "targets": {4: 2}}
    want = {"E": E.item(), "y": torch.softmax(logits, -1).detach().numpy(),
            "dE/dW_hy": fc.weight.grad.numpy(), "dE/db_y": fc.bias.grad.numpy(),
            "dE/dweight_hh_l0": m.weight_hh_l0.grad.numpy(),
            "dE/dbias_ih_l0": m.bias_ih_l0.grad.numpy()}
    for quantity, value in want.items():
        got = rnnquiz.solve({**doc, "ask": {"quantity": quantity}}, steps=steps).answer
        np.testing.assert_allclose(got, value, rtol=1e-10, atol=1e-13, err_msg=quantity)


def test_a_scalar_network_by_hand():
    """Hinton's network of problem 3 read out once, after three steps, target 1:
    h_t = σ(0.5 x_t - h_{t-1} - 1), y = -0.7 h_2, E = ½ (y - 1)²."""
    sig = lambda z: 1 / (1 + math.exp(-z))  # noqa: E731
    h = [sig(0.5 * 9 - 1.0)]
    h.append(sig(0.5 * 4 - h[0] - 1.0))
    h.append(sig(0.5 * -2 - h[1] - 1.0))
    y = -0.7 * h[2]
    dz2 = (y - 1) * -0.7 * h[2] * (1 - h[2])     # dE/dy · W_hy · σ'(z_2)
    dz1 = dz2 * -1.0 * h[1] * (1 - h[1])
    dz0 = dz1 * -1.0 * h[0] * (1 - h[0])
    doc = {"type": "backprop", "inputs": [9, 4, -2], "readout": "last", "targets": [1],
           "network": {"W_xh": 0.5, "W_hh": -1.0, "W_hy": -0.7, "b_h": -1.0}}
    want = {"y": y, "E": 0.5 * (y - 1) ** 2, "dE/dW_hy": (y - 1) * h[2],
            "dE/dW_hh": dz1 * h[0] + dz2 * h[1], "dE/dz": [dz0, dz1, dz2],
            "dE/dh_init": dz0 * -1.0}
    for steps in (True, False):
        for quantity, value in want.items():
            got = rnnquiz.solve({**doc, "ask": {"quantity": quantity}}, steps=steps).answer
            assert got == pytest.approx(value, rel=1e-12, abs=1e-15), quantity
    assert isinstance(rnnquiz.solve({**doc, "ask": {"quantity": "y"}}).answer, float)


@pytest.mark.parametrize("extra,where", [
    ({"network": {"W_xh": 1, "W_yh": 1}}, "network.W_yh: output feedback needs an output at "
                                          "every step"),
    ({"network": {"W_xh": 1}, "given": {"h": [0.5, 0.5]}},
     "given: given values apply to an output at every step; leave out readout: last"),
    ({"network": {"W_xh": 1}, "targets": [1, 2]}, "targets: readout: last has one output"),
    ({"network": 3}, "network: expected a mapping of parameters"),
    ({"network": {"W_xh": 1}, "ask": {"quantity": "h", "layer": 2}},
     "ask.layer: expected a layer from 1 (the bottom) to 1, got 2"),
])
def test_what_a_one_layer_read_out_refuses_is_named(extra, where):
    doc = {"type": "backprop", "inputs": [1, 2], "readout": "last", "targets": [1], **extra}
    with pytest.raises(ProblemError) as err:
        rnnquiz.solve(doc)
    assert where in str(err.value)


@pytest.mark.parametrize("targets", [1, [1], {2: 1}])
def test_the_one_target_may_be_written_bare(targets):
    """E = ½ (y - 1)² of test_a_scalar_network_by_hand's network, however the target is written."""
    sig = lambda z: 1 / (1 + math.exp(-z))  # noqa: E731
    h0 = sig(0.5 * 9 - 1.0)
    h2 = sig(0.5 * -2 - sig(0.5 * 4 - h0 - 1.0) - 1.0)
    doc = {"type": "backprop", "inputs": [9, 4, -2], "readout": "last", "targets": targets,
           "network": {"W_xh": 0.5, "W_hh": -1.0, "W_hy": -0.7, "b_h": -1.0},
           "ask": {"quantity": "E"}}
    assert rnnquiz.solve(doc).answer == pytest.approx(0.5 * (-0.7 * h2 - 1) ** 2, rel=1e-12)


def test_one_vector_target_or_a_class_index_of_a_softmax_read_out():
    """Two outputs through a softmax on the last state: [0, 1] is one one-hot target, as is 1."""
    doc = {"type": "backprop", "inputs": [9, 4, -2], "readout": "last", "loss": "cross_entropy",
           "network": {"W_xh": [[0.5], [1.0]], "W_hy": [[1, 0], [0, 1]], "output": "softmax"},
           "ask": {"quantity": "E"}}
    h = np.zeros(2)
    for x in (9, 4, -2):
        h = 1 / (1 + np.exp(-(np.array([0.5, 1.0]) * x)))    # W_hh = 0, logistic units
    want = -np.log(np.exp(h[1]) / np.exp(h).sum())
    for targets in ([0, 1], 1, [[0, 1]], {2: [0, 1]}):
        assert rnnquiz.solve({**doc, "targets": targets}).answer == pytest.approx(want, rel=1e-12)
    with pytest.raises(ProblemError, match="readout: last has one output"):
        rnnquiz.solve({**doc, "targets": [0, 1, 0]})
