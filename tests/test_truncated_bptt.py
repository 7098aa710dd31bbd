"""Truncated BPTT (`truncate: k`, rnnquiz/cells/run.py) step by step against autograd: every
dE/dh_t, dE/dz_t, dE/dx_t and the initial state's gradient, each loss term carried back
through at most k transitions; the working's lines of the sums; a slip that carries nothing
back under truncation (benchmarks/MUTATION.md)."""

from __future__ import annotations

import numpy as np
import pytest

import rnnquiz


T = 4
RNG = np.random.default_rng(41)
WX, WH = RNG.normal(size=(2, 2)), RNG.normal(size=(2, 2)) * 0.8
B, WY = RNG.normal(size=2) * 0.3, RNG.normal(size=(1, 2))
H0 = np.array([0.3, -0.6])
X, TG = RNG.normal(size=(T, 2)), RNG.normal(size=(T, 1))

KEYS = {"hinton": ("W_xh", "W_hh", "b_h", "W_hy", "h_init", "h"),
        "deeplearning_ai": ("Wax", "Waa", "ba", "Wya", "a_init", "a")}


def _doc(notation, k):
    wx, wh, b, wy, h0, _ = KEYS[notation]
    return {"type": "backprop", "notation": notation, "truncate": k,
            "network": {wx: WX.tolist(), wh: WH.tolist(), b: B.tolist(), wy: WY.tolist(),
                        h0: H0.tolist(), "hidden": "tanh"},
            "inputs": X.tolist(), "targets": TG.tolist()}


def _autograd(k):
    """Σ_s dE_s/d(.), where E_s = ½(y_s - target_s)² sees h_{s-k-1} as a constant."""
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle of this test")
    t64 = torch.float64
    out = {"h": np.zeros((T, 2)), "z": np.zeros((T, 2)), "x": np.zeros((T, 2)),
           "h0": np.zeros(2), "W_hh": np.zeros((2, 2))}
    Wx, Wh, b, Wy = (torch.tensor(a, dtype=t64) for a in (WX, WH, B, WY))
    Wh.requires_grad_()
    for s in range(T):
        h0 = torch.tensor(H0, dtype=t64, requires_grad=True)
        x = torch.tensor(X, dtype=t64, requires_grad=True)
        h, zs, hs = h0, [], []
        for t in range(s + 1):
            if t == s - k:
                h = h.detach()
            z = Wx @ x[t] + Wh @ h + b
            h = torch.tanh(z)
            zs.append(z)
            hs.append(h)
        E = 0.5 * ((Wy @ h - torch.tensor(TG[s], dtype=t64)) ** 2).sum()
        g = torch.autograd.grad(E, [h0, x, Wh] + zs + hs, allow_unused=True)
        for name, v in (("h0", g[0]), ("x", g[1]), ("W_hh", g[2])):
            if v is not None:
                out[name] += v.numpy()
        for t in range(s + 1):
            for name, v in (("z", g[3 + t]), ("h", g[4 + s + t])):
                if v is not None:
                    out[name][t] += v.numpy()
    return out


@pytest.mark.parametrize("notation", ["hinton", "deeplearning_ai"])
@pytest.mark.parametrize("k", [0, 1, 2])
def test_every_step_back_under_truncation_against_autograd(notation, k):
    want = _autograd(k)
    r = rnnquiz.solve(_doc(notation, k))
    v = r.values
    _, wh, _, _, h0, _ = KEYS[notation]
    for key, name in (("dE/dh", "h"), ("dE/dz", "z"), ("dE/dx", "x")):
        got = np.array([np.asarray(a, dtype=float) for a in v[key]])
        np.testing.assert_allclose(got, want[name], rtol=1e-12, atol=1e-14, err_msg=key)
    np.testing.assert_allclose(np.asarray(v[f"dE/d{wh}"], dtype=float), want["W_hh"],
                               rtol=1e-12, atol=1e-14)
    init = np.asarray(v[f"dE/d{h0}"])
    assert init.shape == (2,)                  # a zero vector when nothing reaches it (k = 0)
    np.testing.assert_allclose(init, want["h0"], rtol=1e-12, atol=1e-14)
    if k == 0:
        assert init.tolist() == [0.0, 0.0]
    else:
        assert np.abs(init).min() > 1e-3        # reached by the terms at steps 0 ... k-1


@pytest.mark.parametrize("k, note", [(1, "truncate: 1: each term's gradient stops after 1 "
                                         "step back"),
                                     (2, "truncate: 2: each term's gradient stops after 2 "
                                         "steps back")])
def test_the_working_shows_each_sum_with_the_steps_it_gathers(k, note):
    # deeplearning.ai numbers the steps from 1: a<1> ... a<4>
    want = _autograd(k)["h"]
    steps = rnnquiz.solve(_doc("deeplearning_ai", k)).to_json()["steps"]
    lines = [s for s in steps if s["symbol"].startswith("dE/da<")]
    assert [s["symbol"] for s in lines] == [f"dE/da<{t}>" for t in range(1, T + 1)]
    for i, line in enumerate(lines):
        t = i + 1
        assert line["t"] == t and line["phase"] == "backward"
        assert line["equation"] == f"Σ over the loss terms at steps {t} … {min(t + k, T)}"
        assert line.get("note", "") == (note if t == T else "")
        np.testing.assert_allclose(line["value"], want[i], rtol=1e-12, atol=1e-14)


def test_a_slip_that_carries_nothing_back_is_found_under_truncation():
    # BPTT without the terms from later steps is truncate: 0's gradient, whatever k says
    doc = {**_doc("hinton", 2), "ask": {"quantity": "dE/dW_hh"}}
    wrong = _autograd(0)["W_hh"]
    text = ";".join(",".join(f"{a:.6f}" for a in row) for row in wrong)
    verdict = rnnquiz.check(doc, text)
    assert verdict["agrees"] is False
    assert "direct_term_only" in [d["slip"] for d in verdict["diagnosis"]]
