"""`reduction: mean | batch_mean` with `upstream` (SPEC 1.15): the parameter gradients divided
by the number of examples, dE/dx and dE/dh_init per example, as CMU 11-785's
`RNNCell.backward` (`self.dW_ih += np.dot(dz.T, h_prev_l) / batch_size`, `dx = np.dot(dz,
self.W_ih)`). The oracle is torch autograd on nn.RNNCell / nn.LSTM, divided by hand."""

from __future__ import annotations

import copy

import numpy as np
import pytest

import rnnquiz


RNG = np.random.default_rng(23)
N, T, D, H = 3, 2, 2, 3


def _rnn_doc(reduction: str) -> dict:
    r = lambda *s: np.round(RNG.normal(0, 0.6, s), 2).tolist()   # noqa: E731
    return {"type": "backprop", "notation": "pytorch", "batch": True,
            "network": {"weight_ih": r(H, D), "weight_hh": r(H, H), "bias_ih": r(H),
                        "bias_hh": r(H), "h_init": r(N, H)},
            "inputs": r(N, T, D), "upstream": {"h": r(N, T, H)}, "reduction": reduction}


def _torch_rnn(doc: dict) -> dict:
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle of this test")
    net = doc["network"]
    cell = torch.nn.RNNCell(D, H).double()
    with torch.no_grad():
        for key in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
            getattr(cell, key).copy_(torch.tensor(net[key], dtype=torch.float64))
    x = torch.tensor(doc["inputs"], dtype=torch.float64, requires_grad=True)
    h0 = torch.tensor(net["h_init"], dtype=torch.float64, requires_grad=True)
    up = torch.tensor(doc["upstream"]["h"], dtype=torch.float64)
    h, total = h0, 0
    for t in range(T):
        h = cell(x[:, t], h)
        total = total + (h * up[:, t]).sum()
    total.backward()
    out = {f"dE/d{k}": getattr(cell, k).grad.numpy() for k in
           ("weight_ih", "weight_hh", "bias_ih", "bias_hh")}
    out["dE/dx"] = x.grad.numpy()
    out["dE/dh_init"] = h0.grad.numpy()
    return out


PARAMS = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")


@pytest.mark.parametrize("reduction", ["batch_mean", "mean"])
@pytest.mark.parametrize("steps", [True, False])
def test_rnncell_backward_divides_the_parameter_gradients_by_the_batch(reduction, steps):
    doc = _rnn_doc(reduction)
    want = _torch_rnn(doc)
    for key in PARAMS:
        got = rnnquiz.solve({**doc, "ask": {"quantity": f"dE/d{key}"}}, steps=steps).answer
        np.testing.assert_allclose(got, want[f"dE/d{key}"] / N, rtol=1e-12, atol=1e-14)
    got = rnnquiz.solve({**doc, "ask": {"quantity": "dE/dh_init"}}, steps=steps).answer
    np.testing.assert_allclose(got, want["dE/dh_init"], rtol=1e-12, atol=1e-14)
    got = rnnquiz.solve({**doc, "ask": {"quantity": "dE/dx"}}, steps=steps).answer
    # dE/dx as (N, T, D): the example axis first, as the file writes the inputs
    np.testing.assert_allclose(np.asarray(got), want["dE/dx"],
                               rtol=1e-12, atol=1e-14)


def test_sum_keeps_the_gradients_summed_over_the_batch():
    doc = _rnn_doc("sum")
    want = _torch_rnn(doc)
    got = rnnquiz.solve({**doc, "ask": {"quantity": "dE/dweight_hh"}}).answer
    np.testing.assert_allclose(got, want["dE/dweight_hh"], rtol=1e-12, atol=1e-14)


def test_the_working_shows_the_division():
    doc = _rnn_doc("batch_mean")
    result = rnnquiz.solve({**doc, "ask": {"quantity": "dE/dweight_ih"}})
    row = next(s for s in result.to_json()["steps"] if s["symbol"] == "dE/dweight_ih")
    assert row["equation"].startswith(f"1/{N}·(")


def test_a_single_sequence_is_a_batch_of_one():
    doc = _rnn_doc("mean")
    one = copy.deepcopy(doc)
    one.update(batch=False, inputs=doc["inputs"][0], upstream={"h": doc["upstream"]["h"][0]})
    one["network"]["h_init"] = doc["network"]["h_init"][0]
    s = copy.deepcopy(one)
    s["reduction"] = "sum"
    a = rnnquiz.solve({**one, "ask": {"quantity": "dE/dweight_hh"}}).answer
    b = rnnquiz.solve({**s, "ask": {"quantity": "dE/dweight_hh"}}).answer
    np.testing.assert_allclose(a, b, rtol=0, atol=0)


def test_lstm_with_upstream_c_divides_by_the_batch():
    """CS231n's lstm_backward takes dh (N, T, H); with upstream c into the last cell state.
    nn.LSTM (one layer) is the oracle; its weights are stacked i, f, g, o like PyTorch's."""
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle of this test")
    r = lambda *s: np.round(RNG.normal(0, 0.5, s), 2).tolist()   # noqa: E731
    doc = {"type": "backprop", "cell": "lstm", "notation": "pytorch", "batch": True,
           "network": {"weight_ih": r(4 * H, D), "weight_hh": r(4 * H, H),
                       "bias_ih": r(4 * H), "bias_hh": r(4 * H), "h_init": r(N, H),
                       "c_init": r(N, H)},
           "inputs": r(N, T, D), "upstream": {"h": r(N, T, H), "c": r(N, H)},
           "reduction": "batch_mean"}
    lstm = torch.nn.LSTM(D, H, batch_first=True).double()
    net = doc["network"]
    with torch.no_grad():
        for key in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
            getattr(lstm, f"{key}_l0").copy_(torch.tensor(net[key], dtype=torch.float64))
    x = torch.tensor(doc["inputs"], dtype=torch.float64, requires_grad=True)
    h0 = torch.tensor(net["h_init"], dtype=torch.float64, requires_grad=True)
    c0 = torch.tensor(net["c_init"], dtype=torch.float64, requires_grad=True)
    out, (_, cT) = lstm(x, (h0[None], c0[None]))
    loss = (out * torch.tensor(doc["upstream"]["h"], dtype=torch.float64)).sum() + \
        (cT[0] * torch.tensor(doc["upstream"]["c"], dtype=torch.float64)).sum()
    loss.backward()
    for steps in (True, False):
        got = rnnquiz.solve({**doc, "ask": {"quantity": "dE/dweight_hh"}}, steps=steps).answer
        np.testing.assert_allclose(got, lstm.weight_hh_l0.grad.numpy() / N, rtol=1e-11)
        got = rnnquiz.solve({**doc, "ask": {"quantity": "dE/dc_init"}}, steps=steps).answer
        np.testing.assert_allclose(got, c0.grad.numpy(), rtol=1e-11)


def test_a_stack_divides_every_layers_gradients_once():
    """Two layers of nn.RNN with upstream into the top states: each layer's parameter
    gradients divided by N, never twice."""
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle of this test")
    r = lambda *s: np.round(RNG.normal(0, 0.5, s), 2).tolist()   # noqa: E731
    layers = [{"weight_ih": r(H, D), "weight_hh": r(H, H), "bias_ih": r(H), "bias_hh": r(H)},
              {"weight_ih": r(H, H), "weight_hh": r(H, H), "bias_ih": r(H), "bias_hh": r(H)}]
    doc = {"type": "backprop", "notation": "pytorch", "batch": True, "network": layers,
           "inputs": r(N, T, D), "upstream": {"h": r(N, T, H)}, "reduction": "batch_mean"}
    rnn = torch.nn.RNN(D, H, num_layers=2, batch_first=True).double()
    with torch.no_grad():
        for k, layer in enumerate(layers):
            for key, v in layer.items():
                getattr(rnn, f"{key}_l{k}").copy_(torch.tensor(v, dtype=torch.float64))
    x = torch.tensor(doc["inputs"], dtype=torch.float64, requires_grad=True)
    out, _ = rnn(x)
    (out * torch.tensor(doc["upstream"]["h"], dtype=torch.float64)).sum().backward()
    for steps in (True, False):
        for layer in (1, 2):
            got = rnnquiz.solve({**doc, "ask": {"quantity": "dE/dweight_hh", "layer": layer}},
                                steps=steps).answer
            want = getattr(rnn, f"weight_hh_l{layer - 1}").grad.numpy() / N
            np.testing.assert_allclose(got, want, rtol=1e-11)
        got = rnnquiz.solve({**doc, "ask": {"quantity": "dE/dx"}}, steps=steps).answer
        np.testing.assert_allclose(np.asarray(got), x.grad.numpy(),
                                   rtol=1e-11)


def test_an_upstream_number_past_float64_is_an_error_by_key():
    # a whole number of 2,000 digits ended in OverflowError from numpy
    import rnnquiz
    doc = {"type": "backprop", "notation": "cmu11785", "batch": True,
           "network": {"W_ih": [[0.2, -0.1]], "W_hh": [[0.1]], "b_ih": [0.1], "b_hh": [0.0]},
           "inputs": [[[1.0, -0.5]], [[0.2, 0.8]]],
           "upstream": {"h": [[[10 ** 2000]], [[0.9]]]}, "ask": {"quantity": "dE/dW_ih"}}
    with pytest.raises(rnnquiz.ProblemError, match=r"upstream\.h.*too large"):
        rnnquiz.solve(doc)
