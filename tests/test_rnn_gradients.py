"""BPTT for the simple RNN against finite differences of an independent forward pass.

The reference below is written from SPEC 1.1 alone (not from rnnquiz's code), so a
slip in the chain rule cannot hide in both.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import rnnquiz

PROBLEMS = Path(__file__).resolve().parent.parent / "problems"

ACT = {
    "logistic": lambda z: 1 / (1 + np.exp(-z)),
    "tanh": np.tanh,
    "linear": lambda z: z,
    "relu": lambda z: np.maximum(z, 0),
}


def softmax(u):
    e = np.exp(u - u.max())
    return e / e.sum()


def reference_loss(P, X, targets, hidden, output, loss, dz=None):
    """E of SPEC 1.1; `dz` adds a perturbation to z_t at one step (for dE/dz_t)."""
    h = P["h_init"]
    E = 0.0
    for t, x in enumerate(X):
        z = P["W_xh"] @ x + P["W_hh"] @ h + P["b_h"]
        if dz is not None and dz[0] == t:
            z = z + dz[1]
        h = ACT[hidden](z)
        u = P["W_hy"] @ h + P["b_y"]
        y = softmax(u) if output == "softmax" else ACT[output](u)
        if targets[t] is None:
            continue
        tg = np.asarray(targets[t], dtype=float)
        if loss == "squared":
            E += 0.5 * np.sum((y - tg) ** 2)
        elif output == "softmax":
            E -= np.sum(tg * np.log(y))
        else:
            E -= np.sum(tg * np.log(y) + (1 - tg) * np.log(1 - y))
    return E


def random_problem(rng, n_x, n_h, n_y, T, hidden, output, loss, partial=False):
    def m(r, c):
        return rng.normal(0, 0.8, size=(r, c))

    P = {"W_xh": m(n_h, n_x), "W_hh": m(n_h, n_h), "W_hy": m(n_y, n_h),
         "b_h": rng.normal(0, 0.5, n_h), "b_y": rng.normal(0, 0.5, n_y),
         "h_init": rng.normal(0, 0.5, n_h)}
    X = rng.normal(0, 1, size=(T, n_x))
    if output == "softmax":
        targets = [np.eye(n_y)[rng.integers(n_y)] for _ in range(T)]
    elif output == "logistic":
        targets = [rng.uniform(0.05, 0.95, n_y) for _ in range(T)]
    else:
        targets = [rng.normal(0, 1, n_y) for _ in range(T)]
    if partial:
        targets = [tg if t in (1, T - 1) else None for t, tg in enumerate(targets)]
    doc = {"type": "backprop", "inputs": X.tolist(), "loss": loss,
           "network": {"hidden": hidden, "output": output,
                       **{k: v.tolist() for k, v in P.items()}}}
    doc["targets"] = ({t: tg.tolist() for t, tg in enumerate(targets) if tg is not None}
                      if partial else [tg.tolist() for tg in targets])
    return doc, P, X, targets


CASES = [
    # (n_x, n_h, n_y, hidden, output, loss)
    (1, 1, 1, "logistic", "linear", "squared"),
    (1, 1, 1, "tanh", "logistic", "squared"),
    (2, 3, 2, "logistic", "linear", "squared"),
    (3, 2, 2, "tanh", "tanh", "squared"),
    (2, 3, 3, "tanh", "softmax", "squared"),
    (2, 3, 3, "logistic", "softmax", "cross_entropy"),
    (2, 2, 2, "tanh", "logistic", "cross_entropy"),
    (2, 3, 1, "linear", "linear", "squared"),
    (2, 3, 2, "relu", "linear", "squared"),
]


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("case", CASES, ids=lambda c: "-".join(map(str, c)))
@pytest.mark.parametrize("partial", [False, True], ids=["all-targets", "some-targets"])
def test_every_gradient_matches_finite_differences(case, seed, partial):
    n_x, n_h, n_y, hidden, output, loss = case
    rng = np.random.default_rng(seed * 100 + len(hidden))
    T = 4
    doc, P, X, targets = random_problem(rng, n_x, n_h, n_y, T, hidden, output, loss, partial)
    r = rnnquiz.solve(doc)
    vals = r.values
    eps = 1e-6

    def E(Q, dz=None):
        return reference_loss(Q, X, targets, hidden, output, loss, dz)

    assert vals["E"] == pytest.approx(E(P), rel=1e-12, abs=1e-12)
    for key in ("W_xh", "W_hh", "W_hy", "b_h", "b_y", "h_init"):
        num = np.zeros_like(P[key])
        for idx in np.ndindex(P[key].shape):
            plus = {k: v.copy() for k, v in P.items()}
            minus = {k: v.copy() for k, v in P.items()}
            plus[key][idx] += eps
            minus[key][idx] -= eps
            num[idx] = (E(plus) - E(minus)) / (2 * eps)
        got = np.asarray(vals[f"dE/d{key}"], dtype=float).reshape(num.shape)
        np.testing.assert_allclose(got, num, rtol=1e-5, atol=1e-8, err_msg=key)
    for t in range(T):
        num = np.zeros(n_h)
        for i in range(n_h):
            e = np.zeros(n_h)
            e[i] = eps
            num[i] = (E(P, (t, e)) - E(P, (t, -e))) / (2 * eps)
        np.testing.assert_allclose(vals["dE/dz"][t], num, rtol=1e-5, atol=1e-8,
                                   err_msg=f"dE/dz_{t}")


def test_hinton_p4_matches_the_quiz_formula():
    """The seed page's own code: (y1-t1)·Why·σ'(z1) + (y2-t2)·Why·σ'(z2)·Whh·σ'(z1)."""
    def s(x):
        return 1 / (1 + np.exp(-x))

    def d(x):
        return s(x) * (1 - s(x))

    Wxh, Whh, Why, hb = -0.1, 0.5, 0.25, 0.4
    z1 = Wxh * 9 + Whh * 0.2 + hb
    z2 = Wxh * -8 + Whh * 0.4 + hb
    expected = (0.1 + 0.1) * Why * d(z1) + (0.2 + 0.2) * Why * d(z2) * Whh * d(z1)
    (p,) = rnnquiz.load(PROBLEMS / "hinton_p4.yaml")
    r = rnnquiz.solve(p)
    assert r.answer == pytest.approx(expected, rel=1e-13)
    assert round(r.answer, 4) == 0.0139
    # the working shows the given value beside the exact one
    h0 = next(s for s in r.steps if s.symbol == "h_0" and s.phase == "given")
    assert h0.value == 0.2 and h0.exact == pytest.approx(s(-1.4))


def test_answers_keep_the_files_shapes():
    base = {"type": "backprop", "inputs": [1, 2], "targets": [0.5, 0.1],
            "network": {"W_xh": 0.3, "W_hh": 0.2, "W_hy": [[1.0]], "b_h": [0.1]}}
    r = rnnquiz.solve({**base, "ask": {"quantity": "dE/dW_xh"}})
    assert isinstance(r.answer, float)
    r = rnnquiz.solve({**base, "ask": {"quantity": "dE/dW_hy"}})
    assert isinstance(r.answer, list) and isinstance(r.answer[0], list)
    r = rnnquiz.solve({**base, "ask": {"quantity": "dE/db_h"}})
    assert isinstance(r.answer, list) and len(r.answer) == 1
    # a network written with lists gives states as lists, also at length 1
    r = rnnquiz.solve({**base, "ask": {"quantity": "dE/dz", "t": 0}})
    assert isinstance(r.answer, list) and len(r.answer) == 1
    r = rnnquiz.solve({"type": "forward", "inputs": [1, 2], "network": {"W_xh": 1}})
    assert all(isinstance(v, float) for v in r.answer)
