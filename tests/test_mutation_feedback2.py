"""Output feedback (SPEC 1.1), what tests/test_mutation_feedback.py leaves open: the operands
of the working's dE/dy_t lines and no dE/du_t line for a linear output (numpy by hand), a
batch with softmax outputs fed back (torch autograd), and the state Jacobian of free running,
where the fed one-hot carries no gradient (numpy products of the steps' Jacobians)."""

from __future__ import annotations

import numpy as np
import pytest

import rnnquiz

NET = {"hidden": "tanh", "output": "linear", "W_xh": [[0.5], [0.1]],
       "W_hh": [[0.2, 0.1], [0.0, 0.3]], "W_yh": [[0.4], [-0.2]], "W_hy": [[0.3, -0.5]],
       "b_h": [0.0, 0.1], "b_y": [0.05], "h_init": [0.0, 0.0], "y_init": [0.2]}
# two logistic outputs, so that the argmax is a choice
NET2 = {**NET, "output": "logistic", "W_yh": [[0.4, 0.9], [-0.2, 0.6]],
        "W_hy": [[0.3, -0.5], [-0.7, 0.8]], "b_y": [0.05, -0.1], "y_init": [0.2, 0.4]}


def _arrays(net):
    return {k: np.array(v, dtype=float) for k, v in net.items() if k not in ("hidden", "output")}


def test_the_working_of_a_linear_output_fed_back():
    """Linear output, no loss at step 1: dE/dy_t = (y_t - target_t) + W_yhᵀ dE/dz_{t+1},
    written with its operands; u_t is y_t, so no dE/du_t line is written."""
    X, targets = [[1.0], [0.5], [-1.0]], [[0.5], None, [0.1]]
    doc = {"type": "backprop", "network": NET, "feedback": "output", "inputs": X,
           "targets": targets}
    P = _arrays(NET)
    h, f, H, Y = P["h_init"], P["y_init"], [], []
    for x in X:
        h = np.tanh(P["W_xh"] @ x + P["W_hh"] @ h + P["W_yh"] @ f + P["b_h"])
        f = P["W_hy"] @ h + P["b_y"]
        H.append(h)
        Y.append(f)
    loss = {0: Y[0] - targets[0], 2: Y[2] - targets[2]}
    dz, DZ, DY = np.zeros(2), {}, {}
    for t in (2, 1, 0):
        dy = loss.get(t, np.zeros(1)) + (P["W_yh"].T @ dz if t < 2 else 0)
        dz = (P["W_hy"].T @ dy + P["W_hh"].T @ dz) * (1 - H[t] ** 2)
        DY[t], DZ[t] = dy, dz
    res = rnnquiz.solve(doc)
    assert not [s.symbol for s in res.steps if s.symbol.startswith("dE/du")]
    lines = {}
    for s in res.steps:
        lines.setdefault(s.symbol, []).append(s)
    dy0 = lines["dE/dy_0"][-1]
    assert (dy0.equation, dy0.formula) == ("dE/dy_0 (loss) + W_yh·dE/dz_1", "{} + {}·{}")
    assert len(dy0.operands) == 3
    for got, want in zip(dy0.operands, (loss[0], P["W_yh"].T, DZ[1])):
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-15)
    [dy1] = lines["dE/dy_1"]
    assert (dy1.equation, dy1.formula) == ("W_yh·dE/dz_2", "{}·{}")
    assert len(dy1.operands) == 2
    for got, want in zip(dy1.operands, (P["W_yh"].T, DZ[2])):
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-15)
    for t in range(3):
        np.testing.assert_allclose(res.values["dE/dy"][t], DY[t], rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(res.values["dE/dz"][t], DZ[t], rtol=1e-12, atol=1e-15)


def test_a_batch_of_softmax_outputs_fed_back_against_autograd():
    """Two examples, two softmax outputs, three steps: dE/du_t carries W_yhᵀ dE/dz_{t+1}
    through each example's own softmax Jacobian (a row sum per example), on both paths."""
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle of this test")
    rng = np.random.default_rng(7)
    r = lambda *s: np.round(rng.uniform(-1, 1, s), 2)   # noqa: E731
    P = {"W_xh": r(3, 2), "W_hh": r(3, 3), "W_yh": r(3, 2), "W_hy": r(2, 3), "b_h": r(3),
         "b_y": r(2), "h_init": r(3), "y_init": r(2)}
    X, TG = r(2, 3, 2), np.round(rng.uniform(0, 1, (2, 3, 2)), 2)
    doc = {"type": "backprop", "batch": True, "feedback": "output",
           "network": {"hidden": "tanh", "output": "softmax", **{k: v.tolist() for k, v in P.items()}},
           "inputs": X.tolist(), "targets": TG.tolist(), "loss": "squared"}
    Pt = {k: torch.tensor(v, requires_grad=True) for k, v in P.items()}
    h, f, E = Pt["h_init"].expand(2, -1), Pt["y_init"].expand(2, -1), 0
    for t in range(3):
        h = torch.tanh(torch.tensor(X[:, t]) @ Pt["W_xh"].T + h @ Pt["W_hh"].T
                       + f @ Pt["W_yh"].T + Pt["b_h"])
        f = torch.softmax(h @ Pt["W_hy"].T + Pt["b_y"], dim=-1)
        E = E + 0.5 * ((f - torch.tensor(TG[:, t])) ** 2).sum()
    E.backward()
    for steps in (True, False):
        res = rnnquiz.solve(doc, steps=steps)
        assert res.values["E"] == pytest.approx(E.item(), rel=1e-12)
        for k in ("W_xh", "W_hh", "W_yh", "W_hy", "b_h", "b_y"):
            np.testing.assert_allclose(res.values[f"dE/d{k}"], Pt[k].grad.numpy(), rtol=0,
                                       atol=1e-12, err_msg=f"{k} steps={steps}")


def test_free_running_state_jacobian_takes_only_w_hh():
    """With the one-hot of the argmax fed back, h_0 reaches z_1 only through W_hh (the
    one-hot is piecewise constant): dh_2/dh_0 = diag(tanh'(z_2)) W_hh diag(tanh'(z_1)) W_hh."""
    X = [[-2.0], [2.0], [-2.0]]                   # the argmax alternates: 1, 0, 1
    net = NET2
    doc = {"type": "forward", "network": net, "feedback": "argmax", "inputs": X,
           "ask": {"quantity": "jacobian", "from": 0, "to": 2}}
    P = _arrays(net)
    h, f, H = P["h_init"], P["y_init"], []
    for x in X:
        h = np.tanh(P["W_xh"] @ x + P["W_hh"] @ h + P["W_yh"] @ f + P["b_h"])
        y = 1 / (1 + np.exp(-(P["W_hy"] @ h + P["b_y"])))
        f = np.eye(2)[np.argmax(y)]
        H.append(h)
    want = np.diag(1 - H[2] ** 2) @ P["W_hh"] @ np.diag(1 - H[1] ** 2) @ P["W_hh"]
    res = rnnquiz.solve(doc)
    np.testing.assert_allclose(res.answer, want, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("mode", ["target", "argmax"])
def test_truncated_bptt_with_what_is_fed_carrying_no_gradient(mode):
    """truncate: 1 with teacher forcing or free running (output feedback refuses it): each
    loss term is carried back one state transition; y_init feeds z_0 like an input, so it
    gets W_yhᵀ dE/dz_0 from every term that reaches step 0. torch autograd, the state before
    each term's window detached, one term at a time."""
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle of this test")
    X = [[-2.0], [2.0], [-2.0], [2.0]]            # the argmax alternates: 1, 0, 1, 0
    targets = [[0.5, 0.1], [0.3, 0.9], [0.2, 0.6], [0.1, 0.0]]
    net = NET2
    doc = {"type": "backprop", "network": net, "feedback": mode, "truncate": 1, "inputs": X,
           "targets": targets}
    P = {k: torch.tensor(v, requires_grad=True) for k, v in _arrays(net).items()}
    X, targets = torch.tensor(X, dtype=torch.float64), torch.tensor(targets, dtype=torch.float64)
    for src in range(4):
        h, f = P["h_init"], P["y_init"]
        if src - 2 == -1:
            h = h.detach()
        for t in range(src + 1):
            h = torch.tanh(P["W_xh"] @ X[t] + P["W_hh"] @ h + P["W_yh"] @ f + P["b_h"])
            if t == src - 2:                 # h_{src-2}: two transitions before the term
                h = h.detach()
            y = torch.sigmoid(P["W_hy"] @ h + P["b_y"])
            f = targets[t] if mode == "target" else torch.eye(2, dtype=torch.float64)[int(y.argmax())]
        (0.5 * ((y - targets[src]) ** 2).sum()).backward()
    res = rnnquiz.solve(doc)
    for k, v in P.items():
        np.testing.assert_allclose(res.values[f"dE/d{k}"], v.grad.numpy(), rtol=1e-12,
                                   atol=1e-15, err_msg=k)
