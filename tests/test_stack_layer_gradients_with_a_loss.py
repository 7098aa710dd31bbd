"""A stack's layers with the loss on top: each layer's gradients are the loss's, divided once
by a batch reduction (the layers take their gradient from above, never dividing it again),
and truncated BPTT that carries nothing back (`truncate: 0`) through every layer. PyTorch's
autograd is the oracle."""

from __future__ import annotations

import numpy as np
import pytest

import rnnquiz

N, T, D, H = 2, 3, 2, 3


def test_a_batch_mean_loss_divides_each_layers_gradients_once():
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle of this test")
    torch.manual_seed(7)
    rnn = torch.nn.RNN(D, H, num_layers=2, batch_first=True).double()
    x = torch.randn(N, T, D, dtype=torch.float64)
    W = torch.randn(1, H, dtype=torch.float64, requires_grad=True)
    target = torch.randn(N, T, 1, dtype=torch.float64)
    out, _ = rnn(x)
    E = 0.5 * ((out @ W.T - target) ** 2).sum() / N          # batch_mean: 1/N
    E.backward()
    net = {k: v.detach().numpy().tolist() for k, v in rnn.state_dict().items()}
    doc = {"type": "backprop", "cell": "rnn", "notation": "pytorch", "batch": True,
           "network": {**net, "W_hy": W.detach().numpy().tolist()},
           "inputs": x.numpy().tolist(), "targets": target.numpy().tolist(),
           "reduction": "batch_mean"}
    for steps in (True, False):
        got = rnnquiz.solve({**doc, "ask": {"quantity": "E"}}, steps=steps).answer
        assert got == pytest.approx(E.item(), rel=1e-12, abs=0)
        for layer in (0, 1):
            for key in ("weight_hh", "weight_ih", "bias_hh"):
                got = rnnquiz.solve({**doc, "ask": {"quantity": f"dE/d{key}_l{layer}"}},
                                    steps=steps).answer
                want = getattr(rnn, f"{key}_l{layer}").grad.numpy()
                np.testing.assert_allclose(got, want, rtol=1e-10, atol=0,
                                           err_msg=f"{key}_l{layer} steps={steps}")
        got = rnnquiz.solve({**doc, "ask": {"quantity": "dE/dW_hy"}}, steps=steps).answer
        np.testing.assert_allclose(got, W.grad.numpy(), rtol=1e-10, atol=0)


def test_truncate_0_carries_nothing_back_in_any_layer():
    """truncate: 0: each loss term's gradient stops at its own step, in both layers: autograd
    through states detached at every step (d2l's notation, one unit a layer)."""
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle of this test")
    doc = {"type": "backprop", "notation": "d2l", "inputs": [[1.0], [-1.0], [2.0]],
           "targets": [[0.5], [0.1], [0.2]], "truncate": 0,
           "network": [{"W_xh": [[0.5]], "W_hh": [[-0.3]]},
                       {"W_xh": [[0.7]], "W_hh": [[0.2]], "W_hq": [[1.5]]}]}
    w = torch.tensor([0.5, -0.3, 0.7, 0.2], dtype=torch.float64, requires_grad=True)
    h1 = h2 = torch.zeros((), dtype=torch.float64)
    E = 0
    for x, tg in zip([1.0, -1.0, 2.0], [0.5, 0.1, 0.2]):
        h1 = torch.tanh(x * w[0] + h1.detach() * w[1])
        h2 = torch.tanh(h1 * w[2] + h2.detach() * w[3])
        E = E + 0.5 * (1.5 * h2 - tg) ** 2
    E.backward()
    for steps in (True, False):
        for layer, (i_x, i_h) in ((1, (0, 1)), (2, (2, 3))):
            for key, i in (("dE/dW_xh", i_x), ("dE/dW_hh", i_h)):
                got = rnnquiz.solve({**doc, "ask": {"quantity": key, "layer": layer}},
                                    steps=steps).answer
                np.testing.assert_allclose(np.ravel(got), [w.grad[i].item()], rtol=1e-12,
                                           atol=0, err_msg=f"{key} layer {layer}")
        assert w.grad[1].item() != 0.0                  # h1_{t-1} still multiplies W_hh
