"""`notation: hagan` (SPEC 1.17): Hagan's layered digital dynamic networks, Neural Network
Design ch. 14. Every gradient against torch autograd on the same recurrence built by hand,
against finite differences, and a tapped delay line worked by hand; bad delays named by path."""

from __future__ import annotations

import copy
from pathlib import Path

import numpy as np
import pytest

import rnnquiz
from conftest import run

PROBLEMS = Path(__file__).resolve().parent.parent / "problems"


def solve(doc, quantity, steps=True, **ask):
    return rnnquiz.solve({**doc, "ask": {"quantity": quantity, **ask}}, steps=steps).answer


# ---------------------------------------------------------------- hand-worked

# a(t) = iw(0) p(t) + iw(1) p(t-1) + lw(1) a(t-1) + lw(2) a(t-2), a(0) = 0.2, a(-1) = 0.4:
#   a(1) = 1 + 0 + 0.1 - 0.1 = 1        a(2) = 0 + 0.5 + 0.5 - 0.05 = 0.95
#   a(3) = 2 + 0 + 0.475 - 0.25 = 2.225
#   e = 0, 0.05, -0.225     F = 0.0025 + 0.050625 = 0.053125
#   dF/dn(3) = 0.45,  dF/dn(2) = -0.1 + 0.5·0.45 = 0.125,
#   dF/dn(1) = 0 + 0.5·0.125 - 0.25·0.45 = -0.05
TAPPED = {"type": "backprop", "notation": "hagan", "inputs": [1, 0, 2], "targets": [1, 1, 2],
          "network": {"iw": {0: 1, 1: 0.5}, "lw": {1: 0.5, 2: -0.25}, "a_init": [0.2, 0.4]}}


@pytest.mark.parametrize("steps", [True, False], ids=["working", "scan"])
def test_a_tapped_delay_line_by_hand(steps):
    assert solve(TAPPED, "a", steps) == pytest.approx([1.0, 0.95, 2.225], abs=1e-12)
    assert solve(TAPPED, "F", steps) == pytest.approx(0.053125, abs=1e-12)
    assert solve(TAPPED, "E", steps) == pytest.approx(0.053125, abs=1e-12)
    assert solve(TAPPED, "dF/dn", steps) == pytest.approx([-0.05, 0.125, 0.45], abs=1e-12)
    lw = solve(TAPPED, "dF/dlw", steps)
    # Σ dn(t) a(t-1) = -0.01 + 0.125 + 0.4275;  Σ dn(t) a(t-2) = -0.02 + 0.025 + 0.45
    assert lw == {"1": pytest.approx(0.5425, abs=1e-12), "2": pytest.approx(0.455, abs=1e-12)}
    assert solve(TAPPED, "dE/dlw", steps) == lw
    iw = solve(TAPPED, "dF/diw", steps)
    assert iw == {"0": pytest.approx(0.85, abs=1e-12), "1": pytest.approx(0.125, abs=1e-12)}
    # a(0) reaches n(1) through lw(1) and n(2) through lw(2); a(-1) reaches n(1) through lw(2)
    assert solve(TAPPED, "dF/da_init", steps) == pytest.approx([-0.05625, 0.0125], abs=1e-12)
    assert solve(TAPPED, "dF/db", steps) == pytest.approx(0.525, abs=1e-12)


def test_the_published_answer_is_a_mapping_of_the_same_delays():
    doc = {**TAPPED, "ask": {"quantity": "dF/dlw", "digits": 4}, "answer": {1: 0.5425, 2: 0.455}}
    assert rnnquiz.solve(doc).agrees is True
    assert rnnquiz.solve({**doc, "answer": {1: 0.5425, 2: 0.4551}}).agrees is False
    assert rnnquiz.solve({**doc, "answer": {1: 0.5425}}).agrees is False      # a delay missing
    assert rnnquiz.solve({**doc, "answer": 0.5425}).agrees is False


def test_json_keys_of_a_mapping_answer_are_strings(tmp_path):
    import json
    import yaml
    f = tmp_path / "t.yaml"
    f.write_text(yaml.safe_dump({**TAPPED, "ask": {"quantity": "dF/diw"}}))
    r = run("solve", str(f), "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["answer"] == pytest.approx({"0": 0.85, "1": 0.125})


def test_the_working_writes_hagans_symbols_with_numbers():
    r = rnnquiz.solve({**TAPPED, "ask": {"quantity": "a", "t": 2}})
    n2 = next(s for s in r.steps if s.symbol == "n(2)")
    assert n2.equation == ("iw^{1,1}(0)·p(2) + iw^{1,1}(1)·p(1) + lw^{1,1}(1)·a(1) + "
                           "lw^{1,1}(2)·a(0) + b")
    assert [float(np.asarray(v).reshape(-1)[0]) for v in n2.operands] == \
        [1.0, 0.0, 0.5, 1.0, 0.5, 1.0, -0.25, 0.2, 0.0]


def test_hagans_default_loss_is_sse_and_squared_halves_it():
    half = {**TAPPED, "loss": "squared"}
    assert solve(half, "F") == pytest.approx(0.053125 / 2, abs=1e-12)
    assert solve(half, "dF/diw")["0"] == pytest.approx(0.85 / 2, abs=1e-12)


# ---------------------------------------------------------------- the plain network, two ways

def test_plain_and_delay_forms_are_the_same_network():
    """iw and lw written as numbers are iw(0) and lw(1): the simple RNN cell's path; written
    {0: ...}, {1: ...}, the LDDN's. Two implementations, one answer."""
    rng = np.random.default_rng(3)
    W, U, b = rng.normal(0, 0.7, (2, 3)), rng.normal(0, 0.5, (2, 2)), rng.normal(0, 0.5, 2)
    plain = {"type": "backprop", "notation": "hagan", "inputs": rng.normal(0, 1, (4, 3)).tolist(),
             "targets": rng.normal(0, 1, (4, 2)).tolist(),
             "network": {"transfer": "tansig", "iw": W.tolist(), "lw": U.tolist(),
                         "b": b.tolist(), "a_init": [0.1, -0.3]}}
    delays = copy.deepcopy(plain)
    delays["network"].update(iw={0: W.tolist()}, lw={1: U.tolist()})
    for q in ("a", "F", "dF/db", "dF/da_init", "dE/dn"):
        np.testing.assert_allclose(solve(delays, q), solve(plain, q), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(solve(delays, "dF/diw")["0"], solve(plain, "dF/diw"), rtol=1e-12)
    np.testing.assert_allclose(solve(delays, "dF/dlw")["1"], solve(plain, "dF/dlw"), rtol=1e-12)


# ---------------------------------------------------------------- torch autograd

def torch_lddn(torch, layers, inputs, targets, loss="sse", outputs=None):
    """F and its gradients by autograd, on the recurrence written out by hand in torch
    (`outputs`: a list that receives the last layer's a(t), for the sensitivities)."""
    T = len(inputs)
    P = torch.tensor(np.asarray(inputs, dtype=float).reshape(T, -1), dtype=torch.float64)
    acts = {"purelin": lambda n: n, "tansig": torch.tanh, "logsig": torch.sigmoid}
    par = []
    for layer in layers:
        t_ = {"iw": {d: torch.tensor(np.atleast_2d(w), requires_grad=True)
                     for d, w in layer["iw"].items()},
              "lw": {l: {d: torch.tensor(np.atleast_2d(w), requires_grad=True)
                         for d, w in by.items()} for l, by in layer["lw"].items()},
              "b": torch.tensor(np.atleast_1d(np.asarray(layer["b"], dtype=float)),
                                requires_grad=True),
              "init": torch.tensor(np.asarray(layer["init"], dtype=float).reshape(
                  len(layer["init"]), -1), requires_grad=True),
              "f": acts[layer["f"]]}
        par.append(t_)
    A = [[None] * T for _ in layers]

    def value(l, t):
        if l == 0:
            return P[t - 1] if t >= 1 else torch.zeros(P.shape[1], dtype=torch.float64)
        if t >= 1:
            return A[l - 1][t - 1]
        init = par[l - 1]["init"]
        return init[-t] if -t < len(init) else torch.zeros(init.shape[1], dtype=torch.float64)

    for t in range(1, T + 1):
        for m, q in enumerate(par, start=1):
            n = q["b"]
            for d, W in q["iw"].items():
                n = n + W @ value(m - 1, t - d)
            for l, by in q["lw"].items():
                for d, W in by.items():
                    n = n + W @ value(l, t - d)
            A[m - 1][t - 1] = q["f"](n)
    if outputs is not None:
        outputs.extend(A[-1])
    F = 0
    for t, tg in enumerate(targets):
        if tg is not None:
            e = torch.tensor(np.atleast_1d(np.asarray(tg, dtype=float))) - A[-1][t]
            F = F + (e @ e if loss == "sse" else 0.5 * (e @ e))
    F.backward(retain_graph=outputs is not None)
    return F.item(), par


def _grad(x):
    """A tensor's gradient; 0 where nothing reads it (a past no delay reaches)."""
    return np.zeros(tuple(x.shape)) if x.grad is None else x.grad.numpy()


def _random_layers(rng, sizes, R, spec):
    """spec: per layer (iw delays, {from layer: lw delays}, transfer)."""
    layers, docs = [], []
    for m, (iw_d, lw_d, f) in enumerate(spec):
        S, src = sizes[m], (R if m == 0 else sizes[m - 1])
        iw = {d: rng.normal(0, 0.6, (S, src)) for d in iw_d}
        lw = {l: {d: rng.normal(0, 0.4, (S, sizes[l - 1])) for d in ds} for l, ds in lw_d.items()}
        D = max([d for k in spec for l, ds in k[1].items() if l == m + 1 for d in ds] +
                ([d for d in spec[m + 1][0]] if m + 1 < len(spec) else []) + [1])
        init = rng.normal(0, 0.5, (D, S))
        b = rng.normal(0, 0.3, S)
        layers.append({"iw": iw, "lw": lw, "b": b, "init": init, "f": f})
        own = list(lw) == [m + 1]
        docs.append({"transfer": f, "iw": {d: w.tolist() for d, w in iw.items()},
                     "lw": ({d: w.tolist() for d, w in lw[m + 1].items()} if own else
                            {l: {d: w.tolist() for d, w in by.items()} for l, by in lw.items()}),
                     "b": b.tolist(), "a_init": init.tolist()})
        if not lw:
            del docs[-1]["lw"]
    return layers, docs


NETWORKS = {
    # one layer, two units: delays 0-2 on the input, 1 and 3 on the feedback
    "one layer": ([2], [((0, 1, 2), {1: (1, 3)}, "tansig")]),
    # Hagan's two-layer LDDN: layer 2 reads layer 1 at delays 0 and 1 and feeds back into it
    "two layers": ([3, 2], [((0, 1), {1: (1,), 2: (1, 2)}, "logsig"),
                            ((0, 1), {2: (1,)}, "purelin")]),
    # three layers, the last feeding the first, no own feedback in the middle
    "three layers": ([2, 2, 1], [((0,), {3: (2,)}, "tansig"), ((0, 2), {}, "tansig"),
                                 ((0,), {3: (1,)}, "purelin")]),
}


@pytest.mark.parametrize("steps", [True, False], ids=["working", "scan"])
@pytest.mark.parametrize("name", sorted(NETWORKS))
def test_every_gradient_matches_torch_autograd(name, steps):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(len(name))
    sizes, spec = NETWORKS[name]
    R, T = 2, 5
    layers, docs = _random_layers(rng, sizes, R, spec)
    X = rng.normal(0, 1, (T, R))
    targets = [rng.normal(0, 1, sizes[-1]).tolist() if t != 1 else None for t in range(T)]
    F, par = torch_lddn(torch, layers, X, targets)
    doc = {"type": "backprop", "notation": "hagan", "inputs": X.tolist(),
           "targets": {t + 1: tg for t, tg in enumerate(targets) if tg is not None},
           "network": docs if len(docs) > 1 else docs[0]}
    assert solve(doc, "F", steps) == pytest.approx(F, rel=1e-12)
    for m, q in enumerate(par, start=1):
        layer = {"layer": m} if len(docs) > 1 else {}
        got = solve(doc, "dF/diw", steps, **layer)
        for d, W in q["iw"].items():
            np.testing.assert_allclose(np.reshape(got[str(d)], W.shape), W.grad.numpy(),
                                       rtol=1e-10, atol=1e-12, err_msg=f"{m} iw {d}")
        if q["lw"]:
            got = solve(doc, "dF/dlw", steps, **layer)
            for l, by in q["lw"].items():
                mine = got if list(q["lw"]) == [m] else got[str(l)]
                for d, W in by.items():
                    np.testing.assert_allclose(np.reshape(mine[str(d)], W.shape),
                                               W.grad.numpy(), rtol=1e-10, atol=1e-12,
                                               err_msg=f"{m} lw {l} {d}")
        np.testing.assert_allclose(np.reshape(solve(doc, "dF/db", steps, **layer), -1),
                                   q["b"].grad.numpy(), rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(np.reshape(solve(doc, "dF/da_init", steps, **layer),
                                              q["init"].shape),
                                   _grad(q["init"]), rtol=1e-10, atol=1e-12)


def test_the_bundled_sse_example_matches_torch():
    torch = pytest.importorskip("torch")
    layers = [{"iw": {0: 1.0, 1: 0.5}, "lw": {1: {1: 0.5, 2: -0.25}}, "b": 0.0,
               "init": [0.2, 0.4], "f": "purelin"}]
    F, (q,) = torch_lddn(torch, layers, [1, 0, 2], [1, 1, 2])
    assert F == pytest.approx(solve(TAPPED, "F"), rel=1e-14)
    assert float(q["lw"][1][2].grad) == pytest.approx(solve(TAPPED, "dF/dlw")["2"], rel=1e-12)


# ---------------------------------------------------------------- finite differences

def test_gradients_match_finite_differences():
    rng = np.random.default_rng(9)
    _, docs = _random_layers(rng, [2, 1], 1, NETWORKS["two layers"][1])
    doc = {"type": "backprop", "notation": "hagan", "inputs": rng.normal(0, 1, (4, 1)).tolist(),
           "targets": rng.normal(0, 1, (4, 1)).tolist(), "network": docs}
    got = solve(doc, "dF/dlw", layer=1)["2"]["2"]
    base = np.array(docs[0]["lw"][2][2])
    num = np.zeros_like(base)
    for idx in np.ndindex(base.shape):
        F = []
        for sign in (1, -1):
            d = copy.deepcopy(doc)
            w = np.array(base)
            w[idx] += sign * 1e-6
            d["network"][0]["lw"][2][2] = w.tolist()
            F.append(solve(d, "F", steps=False))
        num[idx] = (F[0] - F[1]) / 2e-6
    np.testing.assert_allclose(np.reshape(got, num.shape), num, rtol=1e-6, atol=1e-9)


# ---------------------------------------------------------------- errors by key path

@pytest.mark.parametrize("network, path, words", [
    ({"iw": {-1: 0.5}}, "network.iw[-1]", "a whole number >= 0"),
    ({"iw": {0: 0.5}, "lw": {0: 0.2}}, "network.lw[0]", "lw's delays start at 1"),
    ({"iw": {1.5: 0.5}}, "network.iw.1.5", "a whole number >= 0"),
    ({"iw": {0: 0.5}, "lw": {"x": 0.2}}, "network.lw.x", "a whole number >= 1"),
    ([{"iw": {0: 1}}, {"iw": 0.5, "lw": {3: {1: 0.1}}}], "network[1].lw[3]",
     "a layer from 1 to 2"),
    ([{"iw": {0: 1}}, {"iw": 0.5, "lw": {1: {0: 0.1}}}], "network[1].lw[1][0]",
     "lw's delays start at 1"),
    ({"iw": {0: 1}, "lw": {1: 0.5}, "a_init": [1, 2, 3]}, "network.a_init", "at most 1"),
    ({"iw": {0: 1}, "tranfer": "tansig"}, "network.tranfer", "unknown key"),
    ({"iw": {0: 1}, "transfer": "relu"}, "network.transfer", "purelin, tansig, logsig"),
])
def test_bad_delays_are_named_by_key_path(tmp_path, network, path, words):
    import yaml
    f = tmp_path / "bad.yaml"
    f.write_text(yaml.safe_dump({"type": "forward", "notation": "hagan", "network": network,
                                 "inputs": [1, 2]}))
    r = run("solve", str(f))
    assert r.exit_code == 2
    assert f"{path}:" in r.stderr and words in r.stderr, r.stderr
    assert "Traceback" not in r.stderr


def test_a_plain_stack_and_the_lddn_agree_layer_by_layer():
    """A list of plain layers is a stack (cells/stack.py); one weight written by delay makes
    it an LDDN (cells/lddn.py): the same numbers, every layer, both paths."""
    plain = {"type": "backprop", "notation": "hagan", "inputs": [1, -1, 0.5],
             "targets": [0.5, -0.2, 0.1],
             "network": [{"transfer": "tansig", "iw": 0.8, "lw": 0.3, "b": 0.1, "a_init": 0.3},
                         {"iw": 1.0, "lw": 0.2, "a_init": -0.2}]}
    delays = copy.deepcopy(plain)
    delays["network"][0]["lw"] = {1: 0.3}
    for layer in (1, 2):
        for q in ("F", "a", "n", "dF/da", "dF/dn", "dF/diw", "dF/db", "dF/da_init"):
            for steps in (True, False):
                np.testing.assert_allclose(solve(delays, q, steps, layer=layer),
                                           solve(plain, q, steps, layer=layer),
                                           rtol=1e-12, atol=1e-15, err_msg=f"{q} {layer}")
    assert solve(delays, "dF/dlw", layer=1) == {"1": pytest.approx(solve(plain, "dF/dlw",
                                                                        layer=1), rel=1e-12)}


# ---------------------------------------------------------------- method: rtrl

def _sensitivity(torch, a_t, x):
    """da(t)/dx by autograd: (units of a,) + x's shape."""
    rows = [torch.autograd.grad(a_t[i], x, retain_graph=True, allow_unused=True)[0]
            for i in range(a_t.shape[0])]
    return np.stack([np.zeros(tuple(x.shape)) if g is None else g.numpy() for g in rows])


@pytest.mark.parametrize("name", sorted(NETWORKS))
def test_rtrl_sensitivities_and_gradients_match_torch(name):
    """method: rtrl (SPEC 1.17) on weights by delay: da/d<key> at every step, the output
    layer's a(t) against autograd's Jacobian, and the gradients equal BPTT's."""
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(len(name) + 1)
    sizes, spec = NETWORKS[name]
    R, T = 2, 4
    layers, docs = _random_layers(rng, sizes, R, spec)
    X = rng.normal(0, 1, (T, R))
    targets = [rng.normal(0, 1, sizes[-1]).tolist() for _ in range(T)]
    outputs = []
    _, par = torch_lddn(torch, layers, X, targets, outputs=outputs)
    doc = {"type": "forward", "notation": "hagan", "method": "rtrl", "inputs": X.tolist(),
           "network": docs if len(docs) > 1 else docs[0]}
    back = {**doc, "type": "backprop", "targets": targets}
    for m, q in enumerate(par, start=1):
        layer = {"layer": m} if len(docs) > 1 else {}
        got = solve(doc, "da/diw", **layer)
        for t in range(T):
            for d, W in q["iw"].items():
                np.testing.assert_allclose(np.reshape(got[t][str(d)], (-1,)),
                                           _sensitivity(torch, outputs[t], W).reshape(-1),
                                           rtol=1e-10, atol=1e-12, err_msg=f"{m} iw {d} {t}")
        if q["lw"]:
            got = solve(doc, "da/dlw", **layer)
            for t in range(T):
                for l, by in q["lw"].items():
                    mine = got[t] if list(q["lw"]) == [m] else got[t][str(l)]
                    for d, W in by.items():
                        np.testing.assert_allclose(
                            np.reshape(mine[str(d)], (-1,)),
                            _sensitivity(torch, outputs[t], W).reshape(-1),
                            rtol=1e-10, atol=1e-12, err_msg=f"{m} lw {l} {d} {t}")
        got = solve(doc, "da/db", **layer)
        for t in range(T):
            np.testing.assert_allclose(np.reshape(got[t], (-1,)),
                                       _sensitivity(torch, outputs[t], q["b"]).reshape(-1),
                                       rtol=1e-10, atol=1e-12)
        got = solve(doc, "da/da_init", **layer)
        for t in range(T):
            np.testing.assert_allclose(np.reshape(got[t], (-1,)),
                                       _sensitivity(torch, outputs[t], q["init"]).reshape(-1),
                                       rtol=1e-10, atol=1e-12)
        for key in ("dF/diw", "dF/dlw", "dF/db", "dF/da_init", "F"):
            if key == "dF/dlw" and not q["lw"]:
                continue
            _same(solve(back, key, **layer), solve({**back, "method": "bptt"}, key, **layer))


def _same(got, want):
    """The same answer: the same keys (a mapping by delay or layer), the same numbers."""
    if isinstance(want, dict):
        assert isinstance(got, dict) and got.keys() == want.keys()
        for k in want:
            _same(got[k], want[k])
    else:
        np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-12)


def test_rtrl_by_hand_on_the_tapped_delay_line():
    # da(1)/dlw(1) = a(0) = 0.2;  da(2)/dlw(1) = a(1) + lw(1)·0.2 = 1.1;
    # da(3)/dlw(1) = a(2) + lw(1)·1.1 + lw(2)·0.2 = 0.95 + 0.55 - 0.05 = 1.45
    # da(1)/dlw(2) = a(-1) = 0.4;  da(2)/dlw(2) = a(0) + 0.5·0.4 = 0.4;
    # da(3)/dlw(2) = a(1) + 0.5·0.4 - 0.25·0.4 = 1.1
    doc = {**TAPPED, "type": "forward", "method": "rtrl"}
    del doc["targets"]
    got = solve(doc, "da/dlw")
    assert got == [{"1": pytest.approx(v1), "2": pytest.approx(v2)}
                   for v1, v2 in ((0.2, 0.4), (1.1, 0.4), (1.45, 1.1))]
    assert solve(doc, "da/dlw", t=3) == {"1": pytest.approx(1.45), "2": pytest.approx(1.1)}
    r = rnnquiz.solve({**doc, "ask": {"quantity": "da/dlw", "t": 3}})
    line = next(s for s in r.steps if s.symbol == "dn(3)/dlw^{1,1}(1)")
    assert line.equation == ("a(2) + lw^{1,1}(1)·da(2)/dlw^{1,1}(1) + "
                             "lw^{1,1}(2)·da(1)/dlw^{1,1}(1)")
    back = {**TAPPED, "method": "rtrl"}
    assert solve(back, "dF/dlw") == {"1": pytest.approx(0.5425), "2": pytest.approx(0.455)}


def test_rtrl_on_the_plain_network_and_by_delay_agree():
    """iw, lw as numbers: the registry's RTRL (cells/rtrl_run.py) through the simple RNN; by
    delay: the LDDN's. The same sensitivities (0, 0.5, -0.3 by hand: da(t)/dlw = a(t-1) +
    lw·da(t-1)/dlw, a = 0.5, -0.4, 0.92) and the same gradient."""
    plain = {"type": "forward", "notation": "hagan", "method": "rtrl", "inputs": [1, -1, 2],
             "network": {"iw": 0.5, "lw": 0.2}}
    delays = {**plain, "network": {"iw": {0: 0.5}, "lw": {1: 0.2}}}
    assert solve(plain, "da/dlw") == pytest.approx([0.0, 0.5, -0.3], abs=1e-12)
    assert [v["1"] for v in solve(delays, "da/dlw")] == pytest.approx([0.0, 0.5, -0.3],
                                                                        abs=1e-12)
    back = {"type": "backprop", "targets": [0.5, 0, 1]}
    assert solve({**plain, **back}, "dF/dlw") == pytest.approx(-0.352, abs=1e-12)
    assert solve({**delays, **back}, "dF/dlw") == {"1": pytest.approx(-0.352, abs=1e-12)}


@pytest.mark.parametrize("method", ["bptt", "rtrl"])
def test_rounding_every_step_keeps_the_mapping_and_rounds_each_number(method):
    got = solve({**TAPPED, "round": 2, "method": method}, "dF/dlw")
    assert set(got) == {"1", "2"}
    assert all(round(v, 2) == v for v in got.values())
    # a = 1, 0.95, 2.23 (2.225 rounded half to even: 2.22), e = 0, 0.05, -0.22: the gradient
    # moves by the rounding but stays near the exact 0.5425, 0.455
    assert got == {"1": pytest.approx(0.5425, abs=0.02), "2": pytest.approx(0.455, abs=0.02)}


@pytest.mark.parametrize("iw", [[0.5], [[0.5]]])
def test_a_delay_weight_written_as_a_list_answers_vectors(iw):
    """iw(0) = 0.5, lw(1) = 0.3, b = 0.1 by hand: a(1) = 0.6, a(2) = 0.5·2 + 0.3·0.6 + 0.1."""
    import rnnquiz
    r = rnnquiz.solve({"type": "forward", "notation": "hagan", "inputs": [1, 2],
                       "network": {"iw": {0: iw}, "lw": {1: 0.3}, "b": 0.1}})
    assert np.allclose(np.asarray(r.answer, dtype=float).ravel(), [0.6, 1.28])
    assert np.ndim(r.answer) == 2
