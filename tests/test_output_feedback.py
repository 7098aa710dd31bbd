"""Output feedback (SPEC 1.1) against PyTorch autograd on both paths (the working and the
vectorised scan), where the other tests compare the two paths with each other or take
one output activation only: every output activation, one step alone, a batch, and what is
fed back in each mode.

Output feedback (SPEC 1.1), what the tests above leave open: the operands
of the working's dE/dy_t lines and no dE/du_t line for a linear output (numpy by hand), a
batch with softmax outputs fed back (torch autograd), and the state Jacobian of free running,
where the fed one-hot carries no gradient (numpy products of the steps' Jacobians)."""

from __future__ import annotations

import numpy as np
import pytest

import rnnquiz
from oracles.feedback import activations, fed_back


KEYS = ("W_xh", "W_hh", "W_yh", "W_hy", "b_h", "b_y", "h_init", "y_init")


def _doc(mode, out, hidden, T, seed, batch=None):
    rng = np.random.default_rng(seed)
    r = lambda *s: np.round(rng.uniform(-1, 1, s), 2).tolist()   # noqa: E731
    net = {"hidden": hidden, "output": out, "W_xh": r(3, 2), "W_hh": r(3, 3), "W_yh": r(3, 2),
           "W_hy": r(2, 3), "b_h": r(3), "b_y": r(2), "h_init": r(3), "y_init": r(2)}
    lead = () if batch is None else (batch,)
    doc = {"type": "backprop", "network": net, "feedback": mode,
           "inputs": np.round(rng.uniform(-1, 1, lead + (T, 2)), 2).tolist(),
           "targets": np.round(rng.uniform(0, 1, lead + (T, 2)), 2).tolist()}
    if batch is not None:
        doc["batch"] = True
    return doc


def _autograd(doc):
    """E, every y_t and the gradients by torch autograd (tests/oracles/feedback.py)."""
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle of this test")
    net = doc["network"]
    P = {k: torch.tensor(net[k], dtype=torch.float64, requires_grad=True) for k in KEYS}
    X = torch.tensor(doc["inputs"], dtype=torch.float64)
    TG = torch.tensor(doc["targets"], dtype=torch.float64)
    if not doc.get("batch"):
        X, TG = X[None], TG[None]
    E, steps = fed_back(torch, P, X, TG, net["hidden"], net["output"], doc["feedback"])
    E.backward()
    Y = torch.stack([s["y"] for s in steps]).detach().numpy()   # (T, N, 2): the values' layout
    return E.item(), (Y if doc.get("batch") else Y[:, 0]), \
        {k: v.grad.numpy() for k, v in P.items()}


def _check(doc, steps):
    E, Y, grads = _autograd(doc)
    res = rnnquiz.solve(doc, steps=steps)
    assert res.values["E"] == pytest.approx(E, rel=1e-12, abs=1e-14)
    np.testing.assert_allclose(np.asarray(res.values["y"], dtype=float), Y, rtol=0, atol=1e-12)
    for key in KEYS:
        if doc.get("batch") and key in ("h_init", "y_init"):
            continue
        np.testing.assert_allclose(res.values[f"dE/d{key}"], grads[key], rtol=0, atol=1e-12,
                                   err_msg=f"{key} steps={steps}")


@pytest.mark.parametrize("out", ["linear", "logistic", "tanh", "softmax"])
@pytest.mark.parametrize("T", [1, 4])
def test_the_own_output_fed_back_against_autograd(out, T):
    doc = _doc("output", out, "logistic" if out == "tanh" else "tanh", T, seed=31 + T)
    for steps in (True, False):
        _check(doc, steps)


@pytest.mark.parametrize("mode", ["target", "argmax"])
@pytest.mark.parametrize("T", [1, 3])
def test_teacher_forcing_and_free_running_against_autograd(mode, T):
    doc = _doc(mode, "tanh", "tanh", T, seed=40 + T)
    for steps in (True, False):
        _check(doc, steps)


@pytest.mark.parametrize("mode", ["output", "target", "argmax"])
def test_a_batch_feeds_each_example_its_own(mode):
    doc = _doc(mode, "logistic", "tanh", 3, seed=50, batch=2)
    for steps in (True, False):
        _check(doc, steps)


def test_the_working_of_the_own_output_fed_back():
    """Logistic outputs, the loss of step 1 masked: the forward notes say what is fed, and
    backward dE/dy_t, dE/du_t gain W_yhᵀ·dE/dz_{t+1} (values, equations, operands, notes)."""
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle of this test")
    doc = {**_doc("output", "logistic", "tanh", 3, seed=1), "mask": [1, 0, 1]}
    net = doc["network"]
    P = {k: torch.tensor(net[k], dtype=torch.float64, requires_grad=True) for k in KEYS}
    E, kept = fed_back(torch, P, torch.tensor(doc["inputs"], dtype=torch.float64),
                       torch.tensor(doc["targets"], dtype=torch.float64), "tanh", "logistic",
                       loss_at=(0, 2))
    E.backward()
    Z, U, Y = ({t: step[q] for t, step in enumerate(kept)} for q in ("z", "u", "y"))
    val = lambda v: v.detach().numpy()          # noqa: E731
    res = rnnquiz.solve(doc)
    assert res.values["E"] == pytest.approx(E.item(), rel=1e-12)
    lines = {}
    for s in res.steps:
        lines.setdefault(s.symbol, []).append(s)
    z0, z1 = lines["z_0"][0], lines["z_1"][0]
    assert z0.note == "y_{-1} = y_init (feeding back the network's own output)"
    assert z0.equation == "W_xh·x_0 + W_hh·h_{-1} + W_yh·y_init + b_h"
    assert z1.note == "fed back: y_0, the network's own output"
    assert z1.equation == "W_xh·x_1 + W_hh·h_0 + W_yh·y_0 + b_h"
    # step 0: a loss, and y_0 fed into z_1
    W_yh = np.array(net["W_yh"])
    loss_dy = val(Y[0]) - doc["targets"][0]
    dy = lines["dE/dy_0"][-1]
    assert (dy.t, dy.phase, dy.equation, dy.formula, dy.note) == \
        (0, "backward", "dE/dy_0 (loss) + W_yh·dE/dz_1", "{} + {}·{}", "y_0 is fed back into z_1")
    np.testing.assert_allclose(dy.value, Y[0].grad.numpy(), rtol=1e-12)
    for got, want in zip(dy.operands, (loss_dy, W_yh.T, Z[1].grad.numpy())):
        np.testing.assert_allclose(got, want, rtol=1e-12)
    du = lines["dE/du_0"][-1]
    slope = val(Y[0]) * (1 - val(Y[0]))
    assert (du.t, du.phase, du.equation, du.formula) == \
        (0, "backward", "dE/du_0 (loss) + logistic'(u_0)·W_yh·dE/dz_1", "{} + {}")
    assert du.note == "u_0 = W_hy·h_0 + b_y; the feedback's gradient through the output " \
                      "activation"
    np.testing.assert_allclose(du.value, U[0].grad.numpy(), rtol=1e-12)
    for got, want in zip(du.operands, (loss_dy * slope, slope * (Z[1].grad.numpy() @ W_yh))):
        np.testing.assert_allclose(got, want, rtol=1e-12)
    # step 1: no loss, only the feedback
    [dy1], [du1] = lines["dE/dy_1"], lines["dE/du_1"]
    assert (dy1.t, dy1.phase, dy1.equation, dy1.formula, dy1.note) == \
        (1, "backward", "W_yh·dE/dz_2", "{}·{}", "no loss at step 1: only the feedback into z_2")
    assert (du1.equation, du1.formula, du1.phase, du1.t) == \
        ("logistic'(u_1)·W_yh·dE/dz_2", "{}", "backward", 1)
    np.testing.assert_allclose(dy1.value, Y[1].grad.numpy(), rtol=1e-12)
    np.testing.assert_allclose(du1.value, U[1].grad.numpy(), rtol=1e-12)
    np.testing.assert_allclose(du1.operands[0], U[1].grad.numpy(), rtol=1e-12)
    for got, want in zip(dy1.operands, (W_yh.T, Z[2].grad.numpy())):
        np.testing.assert_allclose(got, want, rtol=1e-12)
    # the last step feeds nothing back: one dE/dy_2, the loss's
    assert [s.equation for s in lines["dE/dy_2"]] == ["y_2 - target_2"]


@pytest.mark.parametrize("mode, fed, note", [
    ("target", "target_0", "teacher forcing: the target of step 0 is fed back, not y_0"),
    ("argmax", "onehot_0", "free running: onehot_0 is fed back, not y_0")])
def test_the_working_says_what_is_fed_in_each_mode(mode, fed, note):
    doc = _doc(mode, "logistic", "tanh", 2, seed=3)
    res = rnnquiz.solve(doc)
    lines = {s.symbol: s for s in res.steps}
    assert lines["z_0"].note == "y_{-1} = y_init (feeding back " + \
        {"target": "the previous target (teacher forcing))",
         "argmax": "the one-hot of the previous output's argmax (free running))"}[mode]
    assert lines["z_1"].note == note
    assert lines["z_1"].equation == f"W_xh·x_1 + W_hh·h_0 + W_yh·{fed} + b_h"
    fed_value = (doc["targets"][0] if mode == "target"
                 else np.eye(2)[np.argmax(lines["y_0"].value)])
    np.testing.assert_allclose(lines["z_1"].operands[5], fed_value, rtol=0)
    if mode == "argmax":
        hot = lines["onehot_0"]
        assert (hot.t, hot.phase, hot.equation) == (1, "forward", "onehot(argmax y_0)")
        assert hot.note == "free running: the previous output's largest element as a " \
                           "one-hot (ties: the first)"
        np.testing.assert_allclose(hot.value, fed_value, rtol=0)


def test_free_running_feeds_the_one_hot_of_the_step_just_before():
    """The outputs' argmax alternates (0, 1, 0): each step must be fed the one-hot of the
    previous output, not of an earlier one."""
    doc = _doc("argmax", "tanh", "tanh", 4, seed=54)
    E, Y, grads = _autograd(doc)
    assert np.argmax(Y, -1).tolist()[:3] == [0, 1, 0]
    for steps in (True, False):
        _check(doc, steps)


@pytest.mark.parametrize("out", ["logistic", "tanh", "softmax"])
def test_the_state_jacobian_runs_through_the_fed_back_output(out):
    """dh_3/dh_0 with the own output fed back: h_0 reaches z_1 through W_hh and through
    y_0 = output(W_hy h_0 + b_y); torch's jacobian of h_3 as a function of h_0."""
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle of this test")
    OUT = activations(torch)
    doc = _doc("output", out, "tanh", 4, seed=60)
    net = doc["network"]
    P = {k: torch.tensor(net[k], dtype=torch.float64) for k in KEYS}
    X = torch.tensor(doc["inputs"], dtype=torch.float64)

    def h3(h0):
        h = h0
        for t in (1, 2, 3):
            f = OUT[out](P["W_hy"] @ h + P["b_y"])
            h = torch.tanh(P["W_xh"] @ X[t] + P["W_hh"] @ h + P["W_yh"] @ f + P["b_h"])
        return h

    doc = {k: v for k, v in doc.items() if k != "targets"}
    res = rnnquiz.solve({**doc, "type": "forward", "ask": {"quantity": "jacobian", "from": 0,
                                                           "to": 3}})
    h0 = torch.tensor(np.asarray(res.values["h"][0]), dtype=torch.float64)
    want = torch.autograd.functional.jacobian(h3, h0).numpy()
    np.testing.assert_allclose(res.answer, want, rtol=1e-12, atol=1e-14)


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
    E, _ = fed_back(torch, Pt, torch.tensor(X), torch.tensor(TG), "tanh", "softmax")
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
