"""Output feedback (SPEC 1.1) against PyTorch autograd on both paths (the working and the
vectorised scan), where the other tests compare the two paths with each other or take
one output activation only: every output activation, one step alone, a batch, and what is
fed back in each mode."""

from __future__ import annotations

import numpy as np
import pytest

import rnnquiz

torch = pytest.importorskip("torch", reason="PyTorch is the oracle of these tests")

OUT = {"linear": lambda u: u, "logistic": torch.sigmoid, "tanh": torch.tanh,
       "softmax": lambda u: torch.softmax(u, dim=-1)}
HID = {"tanh": torch.tanh, "logistic": torch.sigmoid}
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
