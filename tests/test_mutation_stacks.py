"""Stacks and both directions (SPEC 1.9) where the other tests left a wrong number unseen:
`readout: last` of a one-way stack and of a batch through both directions (PyTorch as the
oracle), and the working of a stack's vanishing verdict (numpy written here)."""

from __future__ import annotations

import numpy as np
import pytest

import rnnquiz

torch = pytest.importorskip("torch", reason="PyTorch is the oracle of these tests")
torch.set_default_dtype(torch.float64)


def _state_dict(m) -> dict:
    return {k: v.detach().numpy().tolist() for k, v in m.state_dict().items()}


def test_readout_last_of_a_one_way_stack_reads_the_last_step():
    """Two layers, one direction, `readout: last`: y = W_hy h^(2)_{T-1} + b_y only."""
    torch.manual_seed(4)
    m = torch.nn.RNN(2, 3, num_layers=2)
    x = torch.randn(5, 2)
    out, _ = m(x)
    W = torch.randn(1, 3, requires_grad=True)
    b = torch.randn(1, requires_grad=True)
    y = W @ out[-1] + b
    E = 0.5 * ((y - 0.25) ** 2).sum()
    E.backward()
    net = {**_state_dict(m), "W_hy": W.detach().numpy().tolist(),
           "b_y": b.detach().numpy().tolist()}
    doc = {"type": "backprop", "cell": "rnn", "notation": "pytorch", "network": net,
           "readout": "last", "inputs": x.numpy().tolist(), "targets": [0.25]}
    for steps in (True, False):
        r = rnnquiz.solve({**doc, "ask": {"quantity": "y"}}, steps=steps)
        assert r.answer == pytest.approx([y.item()], rel=1e-12), steps
        for key, want in (("E", E.item()), ("dE/dW_hy", W.grad.numpy()),
                          ("dE/db_y", b.grad.numpy()),
                          ("dE/dweight_hh_l1", m.weight_hh_l1.grad.numpy()),
                          ("dE/dweight_ih_l0", m.weight_ih_l0.grad.numpy())):
            got = rnnquiz.solve({**doc, "ask": {"quantity": key}}, steps=steps).answer
            np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-12, err_msg=key)


def test_readout_last_of_a_batch_through_both_directions():
    """Each example reads [→h_{T-1}; ←h_0] of its own: PyTorch's out[-1, n, :H], out[0, n, H:]."""
    torch.manual_seed(2)
    m = torch.nn.GRU(2, 2, bidirectional=True)
    x = torch.randn(4, 3, 2)                     # (T, N, D)
    out, _ = m(x)
    last = torch.cat([out[-1, :, :2], out[0, :, 2:]], dim=-1)
    W = torch.randn(1, 4, requires_grad=True)
    y = last @ W.T
    target = torch.randn(3, 1)
    E = 0.5 * ((y - target) ** 2).sum()
    E.backward()
    net = {**_state_dict(m), "W_hy": W.detach().numpy().tolist()}
    doc = {"type": "backprop", "cell": "gru", "notation": "pytorch", "network": net,
           "batch": True, "readout": "last", "inputs": x.transpose(0, 1).numpy().tolist(),
           "targets": target.numpy().tolist()}
    for steps in (True, False):
        got = rnnquiz.solve({**doc, "ask": {"quantity": "y"}}, steps=steps).answer
        np.testing.assert_allclose(got, y.detach().numpy(), rtol=1e-12, atol=1e-14)
        for key, want in (("dE/dW_hy", W.grad.numpy()),
                          ("dE/dweight_hh_l0_reverse", m.weight_hh_l0_reverse.grad.numpy()),
                          ("dE/dweight_ih_l0", m.weight_ih_l0.grad.numpy())):
            got = rnnquiz.solve({**doc, "ask": {"quantity": key}}, steps=steps).answer
            np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-12, err_msg=key)


def test_a_stacks_vanishing_working_names_the_real_steps_and_values():
    """One bidirectional tanh layer; the backward direction is the faster. Its factors
    J = diag(1 - h²)·W_hh, taken in its own order (from step 3 down to step 0), their spectral
    norms, the running product's norms and g = ‖J_2 J_1 J_0‖^(1/3), all in numpy here."""
    x = [0.1, -0.2, 0.3, 0.1]
    fwd = {"hidden": "tanh", "W_xh": [[0.5], [0.2]], "W_hh": [[0.3, 0.1], [0.2, 0.4]]}
    bwd = {"hidden": "tanh", "W_xh": [[0.5], [0.1]], "W_hh": [[1.3, 0.1], [0.2, 1.4]]}
    doc = {"type": "vanishing", "inputs": x, "bidirectional": True,
           "network": [{"forward": fwd, "backward": bwd}]}
    W_xh, W_hh = np.array(bwd["W_xh"]), np.array(bwd["W_hh"])
    h, hs = np.zeros(2), []
    for v in x[::-1]:                                    # the backward direction's order
        h = np.tanh(W_xh[:, 0] * v + W_hh @ h)
        hs.append(h)
    J = [np.diag(1 - hk ** 2) @ W_hh for hk in hs[1:]]
    norms = [np.linalg.norm(j, 2) for j in J]
    running = [np.linalg.norm(J[0], 2), np.linalg.norm(J[1] @ J[0], 2),
               np.linalg.norm(J[2] @ J[1] @ J[0], 2)]
    g = running[-1] ** (1 / 3)
    r = rnnquiz.solve(doc)
    assert r.answer == "exploding" and r.values["g"] == pytest.approx(g, rel=1e-12)
    factor = [s for s in r.steps if s.phase == "factor"]
    assert [s.symbol for s in factor] == [
        "‖dh^(←)_2/dh^(←)_3‖", "‖dh^(←)_2/dh^(←)_3‖", "‖dh^(←)_1/dh^(←)_2‖",
        "‖dh^(←)_1/dh^(←)_3‖", "‖dh^(←)_0/dh^(←)_1‖", "‖dh^(←)_0/dh^(←)_3‖"]
    assert [s.t for s in factor] == [3, 3, 2, 2, 1, 1]     # the real steps, not 0, 1, 2
    np.testing.assert_allclose([s.value for s in factor],
                               [norms[0], running[0], norms[1], running[1], norms[2],
                                running[2]], rtol=1e-12)
    [last] = [s for s in r.steps if s.symbol == "g"]
    assert last.value == pytest.approx(g, rel=1e-12) and last.t is None
