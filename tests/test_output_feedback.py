"""Output feedback (SPEC 1.1) against PyTorch autograd on both paths (the working and the
vectorised scan), where the other tests compare the two paths with each other or take
one output activation only: every output activation, one step alone, a batch, and what is
fed back in each mode."""

from __future__ import annotations

import numpy as np
import pytest

import rnnquiz


def _activations():
    """The output and the hidden activations in torch, by name."""
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle of this test")
    out = {"linear": lambda u: u, "logistic": torch.sigmoid, "tanh": torch.tanh,
           "softmax": lambda u: torch.softmax(u, dim=-1)}
    return out, {"tanh": torch.tanh, "logistic": torch.sigmoid}


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
    """z_t = W_xh x_t + W_hh h_{t-1} + W_yh f_{t-1} + b_h, h_t = hidden(z_t),
    y_t = output(W_hy h_t + b_y), E = ½ Σ (y - target)²; f_{-1} = y_init and f_{t-1} the own
    output, the previous target, or the one-hot of the previous output's argmax."""
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle of this test")
    OUT, HID = _activations()
    net, mode = doc["network"], doc["feedback"]
    P = {k: torch.tensor(net[k], dtype=torch.float64, requires_grad=True) for k in KEYS}
    X = torch.tensor(doc["inputs"], dtype=torch.float64)
    TG = torch.tensor(doc["targets"], dtype=torch.float64)
    if not doc.get("batch"):
        X, TG = X[None], TG[None]
    h = P["h_init"].expand(X.shape[0], -1)
    f = P["y_init"].expand(X.shape[0], -1)
    E, ys = 0, []
    for t in range(X.shape[1]):
        z = X[:, t] @ P["W_xh"].T + h @ P["W_hh"].T + f @ P["W_yh"].T + P["b_h"]
        h = HID[net["hidden"]](z)
        y = OUT[net["output"]](h @ P["W_hy"].T + P["b_y"])
        E = E + 0.5 * ((y - TG[:, t]) ** 2).sum()
        ys.append(y)
        f = {"output": y, "target": TG[:, t],
             "argmax": torch.nn.functional.one_hot(y.argmax(-1), 2).to(torch.float64)}[mode]
    E.backward()
    Y = torch.stack(ys).detach().numpy()            # (T, N, 2): the values' batch layout
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
    h, f, kept = P["h_init"], P["y_init"], {}
    for t, x in enumerate(doc["inputs"]):
        z = P["W_xh"] @ torch.tensor(x, dtype=torch.float64) + P["W_hh"] @ h + P["W_yh"] @ f \
            + P["b_h"]
        z.retain_grad()
        h = torch.tanh(z)
        u = P["W_hy"] @ h + P["b_y"]
        u.retain_grad()
        y = torch.sigmoid(u)
        y.retain_grad()
        kept[t] = (z, u, y)
        f = y
    E = sum(0.5 * ((kept[t][2] - torch.tensor(doc["targets"][t], dtype=torch.float64)) ** 2).sum()
            for t in (0, 2))
    E.backward()
    Z, U, Y = ({t: kept[t][j] for t in kept} for j in range(3))
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
    OUT, _ = _activations()
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
