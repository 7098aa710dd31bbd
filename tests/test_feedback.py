"""Output feedback (Jordan networks, teacher forcing, free running; SPEC 1.1): a plain numpy
reference written here for each mode, finite differences for every gradient with the own output
fed back, PyTorch autograd for one case (tests/oracles/feedback.py), and errors by name."""

from __future__ import annotations

import numpy as np
import pytest

import yaml

import rnnquiz
from rnnquiz import ProblemError
from rnnquiz.types import load_text
from conftest import finite_difference
from oracles.feedback import fed_back

ACT = {"tanh": np.tanh, "logistic": lambda u: 1 / (1 + np.exp(-u)), "linear": lambda u: u,
       "softmax": lambda u: np.exp(u - u.max()) / np.exp(u - u.max()).sum()}


def reference(net: dict, X, targets, mode: str):
    """Forward and BPTT of z_t = W_xh x_t + W_hh h_{t-1} + W_yh y_{t-1} + b_h, squared loss at
    every step, written out independently of the package."""
    g = {k: np.atleast_1d(np.array(v, dtype=float)) for k, v in net.items()
         if not isinstance(v, str)}
    W_xh, W_hh, W_yh, W_hy = (np.atleast_2d(g[k]) for k in ("W_xh", "W_hh", "W_yh", "W_hy"))
    b_h, b_y, h, y_prev = g["b_h"], g["b_y"], g["h_init"], g["y_init"]
    f, out = ACT[net["hidden"]], net["output"]
    X = [np.atleast_1d(np.array(x, dtype=float)) for x in X]
    TG = [np.atleast_1d(np.array(t, dtype=float)) for t in targets]
    H, Y, U, Z, FED, HP = [], [], [], [], [], []
    for t, x in enumerate(X):
        if t > 0:
            y_prev = {"output": Y[-1], "target": TG[t - 1],
                      "argmax": np.eye(len(Y[-1]))[np.argmax(Y[-1])]}[mode]
        HP.append(h)
        FED.append(y_prev)
        z = W_xh @ x + W_hh @ h + W_yh @ y_prev + b_h
        h = f(z)
        u = W_hy @ h + b_y
        Z.append(z), H.append(h), U.append(u), Y.append(ACT[out](u))
    E = sum(0.5 * np.sum((y - tg) ** 2) for y, tg in zip(Y, TG))
    dslope = {"tanh": lambda h: 1 - h ** 2, "logistic": lambda h: h * (1 - h)}[net["hidden"]]
    oslope = {"linear": lambda y: np.ones_like(y), "logistic": lambda y: y * (1 - y),
              "tanh": lambda y: 1 - y ** 2}[out]
    grads = {k: np.zeros_like(v) for k, v in
             {"W_xh": W_xh, "W_hh": W_hh, "W_yh": W_yh, "W_hy": W_hy, "b_h": b_h, "b_y": b_y}.items()}
    dz_next = np.zeros_like(b_h)
    DZ = [None] * len(X)
    for t in reversed(range(len(X))):
        dy = Y[t] - TG[t]
        if mode == "output" and t + 1 < len(X):
            dy = dy + W_yh.T @ dz_next
        du = dy * oslope(Y[t])
        dh = W_hy.T @ du + W_hh.T @ dz_next
        dz = dh * dslope(H[t])
        grads["W_hy"] += np.outer(du, H[t])
        grads["b_y"] += du
        grads["W_xh"] += np.outer(dz, X[t])
        grads["W_hh"] += np.outer(dz, HP[t])
        grads["W_yh"] += np.outer(dz, FED[t])
        grads["b_h"] += dz
        DZ[t] = dz_next = dz
    grads["h_init"] = W_hh.T @ DZ[0]
    grads["y_init"] = W_yh.T @ DZ[0]
    return {"y": Y, "h": H, "E": E, "dE/dz": DZ, "grads": grads}


def vector_doc(mode: str, out: str = "linear", hidden: str = "tanh", seed: int = 0, T: int = 4):
    rng = np.random.default_rng(seed)
    r = lambda *s: np.round(rng.uniform(-1, 1, s), 2).tolist()   # noqa: E731
    net = {"hidden": hidden, "output": out, "W_xh": r(3, 2), "W_hh": r(3, 3), "W_yh": r(3, 2),
           "W_hy": r(2, 3), "b_h": r(3), "b_y": r(2), "h_init": r(3), "y_init": r(2)}
    targets = [r(2) for _ in range(T)]
    if mode == "argmax":
        targets = [np.eye(2)[rng.integers(2)].tolist() for _ in range(T)]
    return {"type": "backprop", "network": net, "inputs": [r(2) for _ in range(T)],
            "targets": targets, "feedback": mode}


@pytest.mark.parametrize("mode", ["output", "target", "argmax"])
@pytest.mark.parametrize("out", ["linear", "logistic"])
def test_matches_numpy_reference(mode, out):
    doc = vector_doc(mode, out, seed=3)
    ref = reference(doc["network"], doc["inputs"], doc["targets"], mode)
    res = rnnquiz.solve(doc)
    np.testing.assert_allclose(res.values["y"], ref["y"], rtol=0, atol=1e-12)
    assert res.values["E"] == pytest.approx(ref["E"], abs=1e-12)
    np.testing.assert_allclose(res.values["dE/dz"], ref["dE/dz"], rtol=0, atol=1e-12)
    for key, g in ref["grads"].items():
        np.testing.assert_allclose(res.values[f"dE/d{key}"], g, rtol=0, atol=1e-12,
                                   err_msg=key)
    # the feedback changes the answer: without W_yh the outputs differ
    plain = {**doc, "network": {k: v for k, v in doc["network"].items()
                                if k not in ("W_yh", "y_init")}}
    plain.pop("feedback")
    assert not np.allclose(rnnquiz.solve(plain).values["y"], ref["y"])


def test_modes_differ():
    """Teacher forcing and free running feed something else than the own output."""
    ys = {m: np.array(rnnquiz.solve(vector_doc(m, "logistic", seed=5)).values["y"])
          for m in ("output", "target", "argmax")}
    assert not np.allclose(ys["output"], ys["target"])
    assert not np.allclose(ys["output"], ys["argmax"])


@pytest.mark.parametrize("out", ["linear", "logistic", "softmax", "tanh"])
def test_finite_differences_output_feedback(out):
    doc = vector_doc("output", out, hidden="logistic", seed=7)
    if out == "softmax":
        doc["targets"] = [[1, 0], [0, 1], [0, 1], [1, 0]]
    res = rnnquiz.solve(doc)
    for key in ("W_xh", "W_hh", "W_yh", "W_hy", "b_h", "b_y", "h_init", "y_init"):
        num = finite_difference(doc, key, steps=True)
        np.testing.assert_allclose(res.values[f"dE/d{key}"], num, rtol=1e-6, atol=1e-8,
                                   err_msg=key)


def test_pytorch_autograd():
    torch = pytest.importorskip("torch")
    doc = vector_doc("output", "logistic", seed=11, T=5)
    net = doc["network"]
    P = {k: torch.tensor(v, dtype=torch.float64, requires_grad=True)
         for k, v in net.items() if not isinstance(v, str)}
    E, _ = fed_back(torch, P, torch.tensor(doc["inputs"], dtype=torch.float64),
                    torch.tensor(doc["targets"], dtype=torch.float64), "tanh", "logistic")
    E.backward()
    res = rnnquiz.solve(doc)
    assert res.values["E"] == pytest.approx(E.item(), abs=1e-12)
    for key, v in P.items():
        np.testing.assert_allclose(res.values[f"dE/d{key}"], v.grad.numpy(), rtol=0, atol=1e-12,
                                   err_msg=key)


def test_scalar_hand_worked():
    """A Jordan network with no W_hh: z_t = x_t + 2 y_{t-1}, h = linear, y = 0.5 h."""
    doc = {"type": "forward", "network": {"hidden": "linear", "W_xh": 1, "W_yh": 2, "W_hy": 0.5,
                                          "y_init": 1},
           "inputs": [1, 0, 3]}
    # z_0 = 1 + 2·1 = 3, y_0 = 1.5; z_1 = 0 + 3 = 3, y_1 = 1.5; z_2 = 3 + 3 = 6, y_2 = 3
    assert rnnquiz.solve(doc).answer == [1.5, 1.5, 3.0]
    argmax = {**doc, "feedback": "argmax"}      # a one-output one-hot is always 1
    assert rnnquiz.solve(argmax).answer == [1.5, 1.0, 2.5]


def test_working_says_what_is_fed():
    res = rnnquiz.solve(vector_doc("target", seed=1))
    z1 = next(s for s in res.steps if s.symbol == "z_1")
    assert "W_yh·target_0" in z1.equation and "teacher forcing" in z1.note
    res = rnnquiz.solve(vector_doc("argmax", seed=1))
    assert any(s.symbol == "onehot_0" for s in res.steps)
    res = rnnquiz.solve(vector_doc("output", seed=1))
    dy = [s for s in res.steps if s.symbol == "dE/dy_1"]
    assert "W_yh·dE/dz_2" in dy[-1].equation


def test_vanishing_through_both_paths():
    """dz_{t+1}/dz_t = (W_hh + W_yh·output'(u_t)·W_hy)·hidden'(z_t): a pure Jordan network
    (W_hh = 0) still carries the gradient back."""
    doc = {"type": "vanishing", "network": {"hidden": "linear", "W_xh": 1, "W_yh": 2,
                                            "W_hy": 0.5}, "inputs": [1, 0, 0, 0]}
    res = rnnquiz.solve(doc)
    assert res.answer == "neither"              # factor 2·0.5 = 1 at every step
    assert rnnquiz.solve({**doc, "feedback": "argmax"}).answer == "vanishing"
    doc["network"]["W_yh"] = 4
    assert rnnquiz.solve(doc).answer == "exploding"
    jac = {**doc, "type": "forward", "ask": {"quantity": "jacobian", "from": 0, "to": 3}}
    assert rnnquiz.solve(jac).answer == pytest.approx(8.0)     # three steps of 4·0.5
    jac["ask"] = {"quantity": "jacobian"}       # from h_init: y_init does not depend on it
    assert rnnquiz.solve(jac).answer == pytest.approx(0.0)


def test_long_sequence_in_reasonable_time():
    import time
    rng = np.random.default_rng(0)
    T = 5000
    doc = {"type": "backprop", "network": {"hidden": "tanh", "W_xh": [[0.5], [0.1]],
                                           "W_hh": [[0.2, 0.1], [0.0, 0.3]], "W_yh": [[0.4], [0.2]],
                                           "W_hy": [[0.5, -0.5]]},
           "inputs": rng.uniform(-1, 1, T).tolist(), "targets": rng.uniform(-1, 1, T).tolist(),
           "ask": {"quantity": "dE/dW_yh"}}
    start = time.perf_counter()
    rnnquiz.solve(doc, steps=False)
    assert time.perf_counter() - start < 10


@pytest.mark.parametrize("change, where", [
    ({"feedback": "target", "targets": [1, None, 0]}, "targets[1]"),
    ({"feedback": "target", "type": "forward", "targets": None}, "feedback"),
    ({"feedback": "sideways"}, "feedback"),
    ({"network": {"W_xh": 1, "W_yh": 0.5}}, "network.W_yh"),
    ({"network": {"W_xh": 1, "W_hy": 1, "y_init": 0.5}}, "network.y_init"),
    ({"network": {"W_xh": 1, "W_hy": 1}}, "feedback"),
    ({"notation": "goodfellow", "network": {"U": 1, "V": 1, "W_yh": 1}}, "network.W_yh"),
    ({"truncate": 1}, "truncate"),
])
def test_errors_by_name(change, where):
    doc = {"type": "backprop", "network": {"W_xh": 1, "W_hy": 1, "W_yh": 0.5},
           "inputs": [1, 0, 1], "targets": [1, 0, 0], "feedback": "output"}
    doc.update(change)
    if doc.get("targets") is None:
        doc.pop("targets")
    with pytest.raises(ProblemError) as e:
        load_text(yaml.safe_dump(doc), "p.yaml")
    assert f" {where}: " in str(e.value), str(e.value)


def test_batch_is_the_sum_of_its_examples():
    """In a batch each example feeds back its own output; parameter gradients add up."""
    docs = [vector_doc("output", "logistic", seed=s, T=3) for s in (21, 22)]
    docs[1]["network"] = docs[0]["network"]          # one network, two sequences
    batch = {**docs[0], "batch": True, "inputs": [d["inputs"] for d in docs],
             "targets": [d["targets"] for d in docs]}
    res = rnnquiz.solve(batch)
    for key in ("W_xh", "W_hh", "W_yh", "W_hy", "b_h", "b_y"):
        want = sum(np.array(rnnquiz.solve(d).values[f"dE/d{key}"]) for d in docs)
        np.testing.assert_allclose(res.values[f"dE/d{key}"], want, rtol=0, atol=1e-12)


def test_new_poses_feedback_exercises():
    from rnnquiz.teaching.generate import exercise_doc
    docs = [exercise_doc("backprop", seed) for seed in range(1, 13)]
    fed = [d for d in docs if "feedback" in d]
    assert fed and all("fed back through W_yh" in d["question"] for d in fed)
    for d in fed:
        assert rnnquiz.solve(d).agrees


def test_vanishing_takes_one_sequence():
    doc = {"type": "vanishing", "batch": True, "inputs": [[1, 0, 0], [0, 1, 0]],
           "network": {"W_xh": 1, "W_yh": 2, "W_hy": 0.5}}
    with pytest.raises(ProblemError, match="batch: vanishing follows one sequence"):
        load_text(yaml.safe_dump(doc), "p.yaml")


@pytest.mark.parametrize("mode", ["output", "target", "argmax"])
@pytest.mark.parametrize("out", ["linear", "logistic", "softmax"])
@pytest.mark.parametrize("scalar", [False, True])
def test_vectorised_path_gives_the_working_numbers(mode, out, scalar):
    """solve(steps=False) takes the scan (cells/feedback.py), the working the steps."""
    from rnnquiz.cells.run import scannable
    doc = vector_doc(mode, out, hidden="logistic", seed=13, T=6)
    if scalar:
        doc["network"] = {"hidden": "tanh", "output": "linear" if out == "softmax" else out,
                          "W_xh": 0.7, "W_hh": 0.3, "W_yh": -0.9, "W_hy": 1.3, "b_h": 0.1,
                          "b_y": -0.2, "y_init": 0.4}
        doc["inputs"] = [1, -0.5, 2, 0, 1, -1]
        doc["targets"] = [0.3, 0.9, 0.1, 0.7, 0.2, 0.4]
    elif out == "softmax":
        doc["targets"] = [[1, 0], [0, 1], [0, 1], [1, 0], [1, 0], [0, 1]]
    p = load_text(yaml.safe_dump(doc), "p.yaml")[0]
    assert scannable(p)
    steps, fast = rnnquiz.solve(p).values, rnnquiz.solve(p, steps=False).values
    for key, v in steps.items():
        np.testing.assert_allclose(np.asarray(fast[key], dtype=float),
                                   np.asarray(v, dtype=float), rtol=0, atol=1e-12, err_msg=key)
    batch = {**doc, "batch": True, "inputs": [doc["inputs"]] * 2,
             "targets": [doc["targets"]] * 2}
    b_steps, b_fast = rnnquiz.solve(batch).values, rnnquiz.solve(batch, steps=False).values
    for key in ("E", "dE/dW_yh", "dE/dy_init", "dE/dW_hh", "y"):
        np.testing.assert_allclose(np.asarray(b_fast[key], dtype=float),
                                   np.asarray(b_steps[key], dtype=float), rtol=0, atol=1e-12)
    np.testing.assert_allclose(b_fast["dE/dW_yh"], 2 * np.asarray(fast["dE/dW_yh"]), atol=1e-12)
