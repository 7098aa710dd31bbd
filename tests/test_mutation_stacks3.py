"""Stacks (SPEC 1.9): each per-step quantity of a stack's answer can be asked at one step
(`ask.t`), with PyTorch's nn.RNN(num_layers=2) as the oracle; the quantities that are not
per-step (dE/dW) refuse `ask.t`; a stack that reads out nothing answers its top states as y."""

from __future__ import annotations

import numpy as np
import pytest

import rnnquiz
from rnnquiz.errors import ProblemError


def _state_dict(m) -> dict:
    return {k: v.detach().numpy().tolist() for k, v in m.state_dict().items()}


def _torch_stack(seed: int):
    """Two layers of 2 units on 3 inputs of 2, y_t = W_hy h^(2)_t + b_y, squared loss. The
    layers are run by hand on nn.RNN's weights (checked against nn.RNN), so that dE/dh_t
    through time is each state's own gradient."""
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle of this test")
    torch.manual_seed(seed)
    m = torch.nn.RNN(2, 2, num_layers=2)
    x = torch.randn(3, 2, requires_grad=True)
    P = dict(m.named_parameters())
    below, top = x, []
    for k in (0, 1):
        h, states = torch.zeros(2), []
        for t in range(3):
            h = torch.tanh(P[f"weight_ih_l{k}"] @ below[t] + P[f"bias_ih_l{k}"]
                           + P[f"weight_hh_l{k}"] @ h + P[f"bias_hh_l{k}"])
            h.retain_grad()
            states.append(h)
        below, top = states, states
    out = torch.stack(top)
    torch.testing.assert_close(out, m(x)[0], rtol=1e-14, atol=1e-15)
    W = torch.randn(1, 2, requires_grad=True)
    b = torch.randn(1, requires_grad=True)
    y = out @ W.T + b
    y.retain_grad()
    targets = torch.tensor([[0.5], [-0.25], [0.125]])
    E = 0.5 * ((y - targets) ** 2).sum()
    E.backward()
    dh = np.array([h.grad.numpy() for h in top])
    return m, x, dh, W, b, y, targets


def test_every_per_step_quantity_of_a_stack_at_one_step():
    m, x, dh, W, b, y, targets = _torch_stack(3)
    net = {**_state_dict(m), "W_hy": W.detach().numpy().tolist(),
           "b_y": b.detach().numpy().tolist()}
    doc = {"type": "backprop", "cell": "rnn", "notation": "pytorch", "network": net,
           "inputs": x.detach().numpy().tolist(), "targets": targets.numpy().tolist()}
    want = {"y": y.detach().numpy(), "dE/dy": y.grad.numpy(), "dE/dh": dh,
            "dE/dx": x.grad.numpy()}
    for steps in (True, False):
        for q, seq in want.items():
            for t in (0, 2):
                got = rnnquiz.solve({**doc, "ask": {"quantity": q, "t": t}}, steps=steps).answer
                np.testing.assert_allclose(got, seq[t], rtol=1e-10, atol=1e-13,
                                           err_msg=f"{q} t={t} steps={steps}")
        with pytest.raises(ProblemError, match="per-step"):
            rnnquiz.solve({**doc, "ask": {"quantity": "dE/dW_hy", "t": 1}}, steps=steps)


def test_a_deeplearning_ai_stacks_dE_da_at_one_step():
    """The state is `a` in this notation: dE/da_t of the top layer is torch's dE/dh_t."""
    m, x, dh, W, b, y, targets = _torch_stack(5)
    P = {k: v.detach().numpy() for k, v in m.state_dict().items()}
    layers = [{"Wax": P[f"weight_ih_l{k}"].tolist(), "Waa": P[f"weight_hh_l{k}"].tolist(),
               "ba": (P[f"bias_ih_l{k}"] + P[f"bias_hh_l{k}"]).tolist()} for k in (0, 1)]
    layers[1].update(Wya=W.detach().numpy().tolist(), by=b.detach().numpy().tolist())
    doc = {"type": "backprop", "notation": "deeplearning_ai", "network": layers,
           "inputs": x.detach().numpy().tolist(), "targets": targets.numpy().tolist()}
    for steps in (True, False):
        for t in (1, 3):                      # this notation counts its steps from 1
            got = rnnquiz.solve({**doc, "ask": {"quantity": "dE/da", "t": t}},
                                steps=steps).answer
            np.testing.assert_allclose(got, dh[t - 1], rtol=1e-10, atol=1e-13)


def test_a_stack_without_a_read_out_answers_its_top_states_as_y_at_one_step():
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle of this test")
    torch.manual_seed(7)
    m = torch.nn.RNN(2, 2, num_layers=2)
    x = torch.randn(3, 2)
    out, _ = m(x)
    doc = {"type": "forward", "notation": "pytorch", "network": _state_dict(m),
           "inputs": x.numpy().tolist()}
    for steps in (True, False):
        for t in (0, 2):
            got = rnnquiz.solve({**doc, "ask": {"quantity": "y", "t": t}}, steps=steps).answer
            np.testing.assert_allclose(got, out.detach().numpy()[t], rtol=1e-12)


def test_the_graph_of_a_stack_labels_each_layers_states_with_their_values():
    """`--format dot` draws every layer's h_t with its value: layer 1's are nn.RNN's h_n[0]
    path, read here from a one-layer nn.RNN on the same weights."""
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle of this test")
    import io

    from rnnquiz.render.dot import render_dot

    torch.manual_seed(9)
    m = torch.nn.RNN(1, 2, num_layers=2)
    x = torch.tensor([[0.5], [-1.0]])
    first = torch.nn.RNN(1, 2)
    first.load_state_dict({k[:-1] + "0": v for k, v in m.state_dict().items() if k.endswith("l0")})
    h1 = first(x)[0].detach().numpy()
    doc = {"type": "forward", "notation": "pytorch", "network": _state_dict(m),
           "inputs": x.numpy().tolist()}
    out = io.StringIO()
    render_dot(rnnquiz.solve(doc), out)
    text = out.getvalue()
    for t in range(2):
        for i in range(2):
            label = f"h^(1)_{t}[{i + 1}]\\n"
            at = text.index(label) + len(label)
            shown = float(text[at:text.index('"', at)])
            assert shown == pytest.approx(h1[t, i], abs=1e-3), (t, i)


@pytest.mark.parametrize("layers", [1, 2])
def test_a_hinton_stack_without_read_out_keys_takes_one_target_a_step(layers):
    # Hinton's notation reads out with W_hy = 0 when the file gives none, one output wide, as
    # a one-layer network does: y_t = 0, so E = Σ_t t_t²/2 and every weight's gradient is 0
    net = [{"hidden": "tanh", "W_xh": [[0.5], [-0.4]], "W_hh": [[0.1, 0.2], [-0.3, 0.2]]},
           {"hidden": "tanh", "W_xh": [[0.8, 0.1], [0.3, -0.2]],
            "W_hh": [[0.2, 0.0], [0.1, 0.3]]}][:layers]
    doc = {"type": "backprop", "notation": "hinton", "network": net, "inputs": [[1.0], [0.5]],
           "targets": [1.0, -2.0], "ask": {"quantity": "E"}}
    for steps in (True, False):
        assert rnnquiz.solve(doc, steps=steps).answer == 2.5
    with pytest.raises(rnnquiz.ProblemError, match=r"output size is 1"):
        rnnquiz.solve({**doc, "targets": [[1.0, 0.0], [0.0, 1.0]]})
