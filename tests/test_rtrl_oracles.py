"""method: rtrl (SPEC 1.17) against independent oracles: the sensitivities dh_t/d<key> against
torch autograd's Jacobians of h_t (and c_t) with respect to each parameter, in the file's keys
and layout (PyTorch's stacked keys, d2l's rows, MITx's dc/dW); the gradients accumulated by RTRL
against BPTT's in every notation and against finite differences; the GRU's conventions."""

from __future__ import annotations

import copy

import numpy as np
import pytest

import rnnquiz
from conftest import backprop_problem, finite_difference
from rnnquiz.notations import NOTATIONS

PAIRS = sorted(NOTATIONS)


def rtrl(doc: dict) -> dict:
    return {**doc, "method": "rtrl"}


def values(doc: dict) -> dict:
    return rnnquiz.solve(doc).values


# ---------------------------------------------------------------- torch autograd


def _torch_run(torch, cell, params: dict, X, key: str, init):
    """h_t (and c_t) at every step as functions of one parameter, through torch's own cell."""
    def states(W):
        out = []
        h = init
        for x in X:
            h = torch.func.functional_call(cell, {**params, key: W}, (x[None], h))
            out.append(h)
        return out

    def at(t, part):
        def f(W):
            s = states(W)[t]
            return (s[part] if isinstance(s, tuple) else s)[0]
        return f
    return at


@pytest.mark.parametrize("kind", ["rnn", "lstm", "gru"])
def test_pytorch_stacked_keys_sensitivities_against_autograd(kind):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(3)
    H, D, T = 2, 3, 4
    cell = {"rnn": torch.nn.RNNCell, "lstm": torch.nn.LSTMCell,
            "gru": torch.nn.GRUCell}[kind](D, H).double()
    net = {k: rng.normal(0, 0.6, tuple(v.shape)).tolist() for k, v in cell.named_parameters()}
    X = rng.normal(0, 1, (T, D))
    doc = {"type": kind if kind != "rnn" else "forward", "notation": "pytorch", "method": "rtrl",
           "network": copy.deepcopy(net), "inputs": X.tolist()}
    got = values(doc)
    P = {k: torch.tensor(v, dtype=torch.double) for k, v in net.items()}
    Xt = torch.tensor(X, dtype=torch.double)
    zero = torch.zeros(1, H, dtype=torch.double)
    init = (zero, zero) if kind == "lstm" else zero
    for key in net:
        at = _torch_run(torch, cell, P, Xt, key, init)
        for t in range(T):
            J = torch.autograd.functional.jacobian(at(t, 0), P[key]).numpy()
            np.testing.assert_allclose(np.array(got[f"dh/d{key}"][t]), J, atol=1e-12,
                                       err_msg=f"{key} t={t}")
            if kind == "lstm":
                Jc = torch.autograd.functional.jacobian(at(t, 1), P[key]).numpy()
                np.testing.assert_allclose(np.array(got[f"dc/d{key}"][t]), Jc, atol=1e-12)


def test_row_layout_sensitivity_is_indexed_as_the_file_writes_the_key():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(5)
    n, d, T = 3, 2, 3
    net = {"W_xh": rng.normal(0, 0.7, (d, n)), "W_hh": rng.normal(0, 0.7, (n, n)),
           "b_h": rng.normal(0, 0.5, n)}
    X = rng.normal(0, 1, (T, d))
    doc = {"type": "forward", "notation": "d2l", "method": "rtrl", "inputs": X.tolist(),
           "network": {k: v.tolist() for k, v in net.items()}}
    got = values(doc)
    P = {k: torch.tensor(v) for k, v in net.items()}

    def h_at(t, key):
        def f(W):
            Q = {**P, key: W}
            h = torch.zeros(n, dtype=torch.double)
            for x in torch.tensor(X)[:t + 1]:
                h = torch.tanh(x @ Q["W_xh"] + h @ Q["W_hh"] + Q["b_h"])   # d2l: X W + H W
            return h
        return f
    for key in net:
        for t in range(T):
            J = torch.autograd.functional.jacobian(h_at(t, key), P[key]).numpy()
            assert np.array(got[f"dh/d{key}"][t]).shape == (n,) + net[key].shape
            np.testing.assert_allclose(np.array(got[f"dh/d{key}"][t]), J, atol=1e-12)


def test_mit_lstm_cell_state_sensitivity_against_autograd():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(8)
    n, d, T = 2, 1, 3
    keys = ["W_fh", "W_fx", "b_f", "W_ih", "W_ix", "b_i", "W_oh", "W_ox", "b_o",
            "W_ch", "W_cx", "b_c"]
    net = {k: rng.normal(0, 0.8, (n,) if k[0] == "b" else (n, n if k[-1] == "h" else d))
           for k in keys}
    X = rng.normal(0, 1, (T, d))
    doc = {"type": "lstm", "method": "rtrl", "inputs": X.tolist(),
           "network": {**{k: v.tolist() for k, v in net.items()}, "h_init": [0.1, -0.2],
                       "c_init": [0.3, 0.0]}}
    got = values(doc)
    P = {k: torch.tensor(v) for k, v in net.items()}

    def c_at(t, key):
        def f(W):
            Q = {**P, key: W}
            h = torch.tensor([0.1, -0.2], dtype=torch.double)
            c = torch.tensor([0.3, 0.0], dtype=torch.double)
            for x in torch.tensor(X)[:t + 1]:
                g = {k: Q[f"W_{k}h"] @ h + Q[f"W_{k}x"] @ x + Q[f"b_{k}"] for k in "fioc"}
                c = torch.sigmoid(g["f"]) * c + torch.sigmoid(g["i"]) * torch.tanh(g["c"])
                h = torch.sigmoid(g["o"]) * torch.tanh(c)
            return c
        return f
    for key in ("W_fh", "W_fx", "b_f", "W_ch"):
        for t in range(T):
            J = torch.autograd.functional.jacobian(c_at(t, key), P[key]).numpy()
            np.testing.assert_allclose(np.array(got[f"dc/d{key}"][t]), J, atol=1e-12)


# ---------------------------------------------------------------- every cell and notation


@pytest.mark.parametrize("cell, notation", PAIRS)
def test_rtrl_gradients_equal_bptt_in_every_notation(cell, notation):
    doc = backprop_problem(np.random.default_rng(21), cell, notation, readout=True, T=4)
    bptt, by_rtrl = values(doc), values(rtrl(doc))
    n = NOTATIONS[(cell, notation)]
    keys = [k for k in n.params + list(n.states) if k in doc["network"]]
    assert keys
    for key in keys:
        np.testing.assert_allclose(np.asarray(by_rtrl[f"dE/d{key}"], dtype=float),
                                   np.asarray(bptt[f"dE/d{key}"], dtype=float),
                                   rtol=1e-9, atol=1e-12, err_msg=key)
    assert by_rtrl["E"] == pytest.approx(bptt["E"])


@pytest.mark.parametrize("cell, notation", [("rnn", "hinton"), ("lstm", "mit"),
                                            ("gru", "mit"), ("gated", "mit")])
def test_rtrl_gradients_match_finite_differences(cell, notation):
    doc = backprop_problem(np.random.default_rng(4), cell, notation, readout=False, T=3,
                           n_h=2)
    got = values(rtrl(doc))
    for key in NOTATIONS[(cell, notation)].params:
        if key in doc["network"]:
            num = finite_difference(doc, key, steps=False)
            np.testing.assert_allclose(np.asarray(got[f"dE/d{key}"]).reshape(num.shape), num,
                                       rtol=1e-5, atol=1e-8, err_msg=key)


@pytest.mark.parametrize("convention", ["ng", "pytorch", "fully_gated"])
def test_gru_sensitivities_match_finite_differences(convention):
    rng = np.random.default_rng(9)
    doc = backprop_problem(rng, "gru", "mit", readout=False, T=3, n_h=2)
    doc.update(convention=convention, type="gru")
    doc.pop("targets"), doc.pop("cell")
    got = values(rtrl(doc))
    for key in ("W_uh", "W_rh", "W_ch", "b_r", "h_init"):
        base = np.array(doc["network"][key], dtype=float)
        for t in range(3):
            num = np.zeros((2,) + base.shape)
            for idx in np.ndindex(base.shape):
                hs = []
                for sign in (1, -1):
                    d = copy.deepcopy(doc)
                    v = base.copy()
                    v[idx] += sign * 1e-6
                    d["network"][key] = v.tolist()
                    hs.append(np.array(values(d)["h"][t]))
                num[(slice(None),) + idx] = (hs[0] - hs[1]) / 2e-6
            np.testing.assert_allclose(np.array(got[f"dh/d{key}"][t]), num, atol=1e-8)


def test_the_state_letter_follows_the_notation():
    doc = backprop_problem(np.random.default_rng(2), "gated", "mit", readout=False, T=2)
    got = values(rtrl(doc))
    assert got["ds/dW_ss"] == got["dh/dW_ss"]
    doc = backprop_problem(np.random.default_rng(2), "rnn", "deeplearning_ai", readout=True)
    got = values(rtrl(doc))
    assert any(k.startswith("da/d") for k in got)


@pytest.mark.parametrize("name", ["cs230_lstm_relevance_gate", "peephole_lstm_recurrence_cell",
                                  "goodfellow_gru_step", "mit_gated_rnn"])
def test_rtrl_gradients_equal_bptt_for_the_cell_variants_of_the_problems(name):
    import yaml
    from pathlib import Path
    text = (Path(__file__).parent.parent / "problems" / f"{name}.yaml").read_text("utf-8")
    doc = next(d for d in yaml.safe_load_all(text)
               if d["type"] in ("lstm", "gru", "gated", "backprop"))
    cell = doc.get("cell") or doc["type"]
    net = {k: doc[k] for k in ("network", "inputs", "notation", "convention") if k in doc}
    y = np.asarray(rnnquiz.solve({**net, "type": cell, "ask": {"quantity": "y"}}).answer,
                   dtype=float)
    rng = np.random.default_rng(1)
    doc = {**net, "type": "backprop", "cell": cell, "targets": rng.normal(0, 1, y.shape).tolist()}
    bptt, by_rtrl = values(doc), values(rtrl(doc))
    keys = [k for k in bptt if k.startswith("dE/d") and k[4:] in doc["network"]]
    assert len(keys) >= 3
    for key in keys:
        np.testing.assert_allclose(np.asarray(by_rtrl[key], dtype=float),
                                   np.asarray(bptt[key], dtype=float), atol=1e-12, err_msg=key)
