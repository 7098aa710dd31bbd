"""The LSTM's variants (SPEC 1.15): relevance_gate (CS230's cheatsheet), state_activation:
linear, recurrence: cell (the peephole LSTM through full matrices), in the notations with a key
per gate. torch autograd is the oracle of every value and gradient, written from the courses'
equations (tests/oracles/lstm.py); finite differences check both paths; errors are named."""

from __future__ import annotations

import numpy as np
import pytest

import rnnquiz
from conftest import (ROOT, assert_jacobian_matches_differences, assert_paths_agree,
                      finite_difference, run)
from oracles.lstm import lstm_variant
from rnnquiz.notations import NOTATIONS
from rnnquiz.problem.network import _dim

RELEVANCE = {"relevance_gate": True}
LINEAR = {"state_activation": "linear"}
CELL = {"recurrence": "cell"}
COMBOS = [RELEVANCE, LINEAR, CELL, {**RELEVANCE, **LINEAR}, {**CELL, **LINEAR}]
# recurrence: cell where the course's recurrent keys may read c_{t-1}
READS_CELL = ("mit", "goodfellow", "slp")
CASES = [(n, w) for n in ("mit", "deeplearning_ai", "goodfellow", "d2l", "slp") for w in COMBOS
         if "recurrence" not in w or n in READS_CELL]


def _ids(case):
    n, w = case
    return f"{n}-{'+'.join(f'{k}={v}' for k, v in w.items())}"


def _canonical(torch, notation: str, F: dict, n: int) -> dict:
    """The file's tensors as the MITx equations' matrices (h = W_fh h + W_fx x + b_f, ...),
    read off each course's own equations (not rnnquiz's layouts)."""
    if notation == "mit":
        return dict(F)
    if notation == "deeplearning_ai":       # W_f [a<t-1>; x<t>]: the state's columns first
        out = {}
        for gate, (W, b) in {"f": ("W_f", "b_f"), "i": ("W_u", "b_u"), "o": ("W_o", "b_o"),
                             "c": ("W_c", "b_c"), "r": ("W_r", "b_r")}.items():
            if W in F:
                out[f"W_{gate}h"], out[f"W_{gate}x"], out[f"b_{gate}"] = \
                    F[W][:, :n], F[W][:, n:], F[b]
        return out
    if notation == "goodfellow":            # W on h^(t-1), U on x^(t); the input gate is g
        names = {"f": ("W_f", "U_f", "b_f"), "i": ("W_g", "U_g", "b_g"),
                 "o": ("W_o", "U_o", "b_o"), "c": ("W", "U", "b"), "r": ("W_r", "U_r", "b_r")}
    elif notation == "slp":                 # SLP3 8.5: U on h_{t-1}, W on x_t; g the candidate
        names = {"f": ("U_f", "W_f", "b_f"), "i": ("U_i", "W_i", "b_i"),
                 "o": ("U_o", "W_o", "b_o"), "c": ("U_g", "W_g", "b_g"), "r": ("U_r", "W_r", "b_r")}
    else:                                   # d2l: X W_x· + H W_h·, rows
        names = {"f": ("W_hf", "W_xf", "b_f"), "i": ("W_hi", "W_xi", "b_i"),
                 "o": ("W_ho", "W_xo", "b_o"), "c": ("W_hc", "W_xc", "b_c"),
                 "r": ("W_hr", "W_xr", "b_r")}
    out = {}
    for gate, (Wh, Wx, b) in names.items():
        for key, canon in ((Wh, f"W_{gate}h"), (Wx, f"W_{gate}x"), (b, f"b_{gate}")):
            if key in F:
                v = F[key]
                out[canon] = v.T if notation == "d2l" and v.ndim == 2 else v
    return out


def _doc(notation: str, words: dict, seed=3, T=3, n_x=2, n_h=2) -> dict:
    rng = np.random.default_rng(seed)
    n = NOTATIONS[("lstm", notation)].variant(words)
    sizes = {"h": n_h, "x": n_x, "y": 2}
    net = dict(words)
    for key, dims in n.weights.items():
        if key not in n.readout:
            net[key] = rng.normal(0, 0.7, [_dim(d, sizes) for d in dims]).tolist()
    for key, dim in n.biases.items():
        if key not in n.readout:
            net[key] = rng.normal(0, 0.5, _dim(dim, sizes)).tolist()
    for key in n.states:
        net[key] = rng.normal(0, 0.5, n_h).tolist()
    return {"type": "backprop", "cell": "lstm", "notation": notation, "network": net,
            "inputs": rng.normal(0, 1, (T, n_x)).tolist(),
            "targets": {t + n.first: rng.normal(0, 1, n_h).tolist() for t in range(T)}}


def _forward(doc: dict) -> dict:
    """The same network asked as `type: lstm` (no loss)."""
    return {"type": "lstm", **{k: doc[k] for k in ("notation", "network", "inputs")}}


@pytest.mark.parametrize("steps", [True, False], ids=["working", "scan"])
@pytest.mark.parametrize("case", CASES, ids=[_ids(c) for c in CASES])
def test_states_and_every_gradient_are_autograds(case, steps):
    torch = pytest.importorskip("torch")
    notation, words = case
    doc = _doc(notation, words)
    n = NOTATIONS[("lstm", notation)].variant(words)
    net = doc["network"]
    F = {k: torch.tensor(net[k], dtype=torch.float64, requires_grad=True)
         for k in (*n.params, *n.states) if k in net}
    X = torch.tensor(doc["inputs"], dtype=torch.float64, requires_grad=True)
    state = {s: F[k] for k, s in n.states.items()}
    P = _canonical(torch, notation, F, 2)
    candidate = torch.sigmoid if notation == "goodfellow" else None   # eq. 10.41's σ
    H, _ = lstm_variant(torch, P, X, state["h"], state["c"], words, candidate)
    target = torch.tensor([doc["targets"][t + n.first] for t in range(3)], dtype=torch.float64)
    E = 0.5 * ((H - target) ** 2).sum()
    E.backward()
    got = rnnquiz.solve(doc, steps=steps).values
    np.testing.assert_allclose(got["E"], E.item(), rtol=1e-12)
    np.testing.assert_allclose(np.asarray(got[n.key("h")], dtype=float),
                               H.detach().numpy(), rtol=1e-12, atol=1e-14)
    assert set(F) <= {k[4:] for k in got if k.startswith("dE/d")}
    for key, tensor in F.items():
        # recurrence: cell: h_{-1} feeds nothing, autograd leaves its gradient unset
        want = tensor.grad.numpy() if tensor.grad is not None else np.zeros(tensor.shape)
        np.testing.assert_allclose(np.asarray(got[f"dE/d{key}"], dtype=float).reshape(
            tensor.shape), want, rtol=1e-10, atol=1e-13, err_msg=key)
    np.testing.assert_allclose(np.asarray(got["dE/dx"], dtype=float), X.grad.numpy(),
                               rtol=1e-10, atol=1e-13)


@pytest.mark.parametrize("case", [("mit", w) for w in COMBOS] + [("d2l", RELEVANCE)],
                         ids=[_ids(("mit", w)) for w in COMBOS] + ["d2l-relevance"])
def test_the_working_and_the_scan_agree_and_match_finite_differences(case):
    notation, words = case
    doc = _doc(notation, words, seed=7)
    assert_paths_agree(doc)
    n = NOTATIONS[("lstm", notation)].variant(words)
    for steps in (True, False):
        values = rnnquiz.solve(doc, steps=steps).values
        for key in (*n.params, *n.states):
            if key in doc["network"]:
                num = finite_difference(doc, key, steps)
                got = np.asarray(values[f"dE/d{key}"], dtype=float).reshape(num.shape)
                np.testing.assert_allclose(got, num, rtol=1e-5, atol=1e-8, err_msg=key)


@pytest.mark.parametrize("words", COMBOS, ids=[_ids(("", w))[1:] for w in COMBOS])
def test_the_state_jacobian_matches_differences_of_one_step(words):
    from rnnquiz.cells import cell_for
    from rnnquiz.cells.base import Ctx
    from rnnquiz.cells.run import canonical, initial
    from rnnquiz.trace import Work
    from rnnquiz.types import from_dict
    p = from_dict(_forward(_doc("mit", words, seed=2, T=1, n_h=3)))
    cell = cell_for("lstm", words=p.network.words)
    P, init = canonical(p), initial(p)

    def step(state):
        ctx = Ctx(work=Work(record=False), notation=p.network.notation,
                  params=p.network.params, words=p.network.words)
        return cell.step(P, p.inputs[0], state, 0, ctx)

    assert_jacobian_matches_differences(cell, P, step, init)


def test_a_bidirectional_stack_of_relevance_gated_layers_matches_finite_differences():
    rng = np.random.default_rng(5)
    words = {**RELEVANCE, **LINEAR}
    layers = []
    for k in range(2):
        layer = {}
        for d in ("forward", "backward"):
            one = _doc("mit", words, seed=int(rng.integers(100)), n_x=2 if k == 0 else 4)
            layer[d] = one["network"]       # each layer and direction writes its words
        layers.append(layer)
    doc = {"type": "backprop", "cell": "lstm", "notation": "mit", "bidirectional": True,
           "network": layers, "inputs": rng.normal(0, 1, (3, 2)).tolist(),
           "targets": rng.normal(0, 1, (3, 4)).tolist()}
    for steps in (True, False):
        values = rnnquiz.solve({**doc, "ask": {"quantity": "dE/dW_rh", "layer": 1,
                                               "direction": "backward"}}, steps=steps).answer
        num = finite_difference(doc, (0, "backward", "W_rh"), steps)
        np.testing.assert_allclose(values, num, rtol=1e-5, atol=1e-8)


def test_the_working_writes_the_relevance_gate_in_the_courses_symbols():
    doc = _doc("deeplearning_ai", {**RELEVANCE, **LINEAR}, T=1)
    r = rnnquiz.solve({**doc, "ask": {"quantity": "dE/dW_r"}})
    eqs = {s.symbol: s.equation for s in r.steps}
    assert eqs["z^Γ_r<1>"] == "W_r·[a<0>; x<1>] + b_r"
    assert eqs["z^c̃<1>"] == "W_c·[Γ_r<1>*a<0>; x<1>] + b_c"
    assert eqs["a<1>"] == "Γ_o<1>⊙c<1>"
    assert "dE/dz^Γ_r<1>" in eqs
    mit = rnnquiz.solve(_forward(_doc("mit", CELL, T=1)))
    eqs = {s.symbol: s.equation for s in mit.steps}
    assert eqs["z^f_0"] == "W_fh·c_{-1} + W_fx·x_0 + b_f"
    assert eqs["z^g_0"] == "W_cx·x_0 + b_c"


@pytest.mark.parametrize("notation, network, where, says", [
    ("mit", {"W_rh": [[1.0]]}, "network.W_rh", "relevance_gate: true"),
    ("deeplearning_ai", {"recurrence": "cell"}, "network.recurrence", "mit"),
    ("d2l", {"recurrence": "cell"}, "network.recurrence", "goodfellow"),
    ("slp", {"recurrence": "cell", "U_g": [[1.0]]}, "network.U_g", "leave U_g out"),
    ("mit", {"recurrence": "cell", "W_ch": [[1.0]]}, "network.W_ch", "leave W_ch out"),
    ("goodfellow", {"recurrence": "cell", "W": [[1.0]]}, "network.W", "leave W out"),
    ("mit", {"recurrence": "cell", "relevance_gate": True}, "network.relevance_gate", "drop"),
    ("mit", {"relevance_gate": True, "w_cf": [1.0]}, "network.w_cf", "peephole"),
    ("mit", {"state_activation": "relu"}, "network.state_activation", "tanh, linear"),
    ("pytorch", {"relevance_gate": True}, "network.relevance_gate", "unknown key"),
])
def test_a_variant_the_notation_cannot_write_is_refused_by_name(tmp_path, notation, network,
                                                                where, says):
    import yaml
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump({"type": "lstm", "notation": notation, "network": network,
                                    "inputs": [1.0]}))
    r = run("solve", str(path))
    assert r.exit_code == 2
    assert where in r.output and says in r.output, r.output


def test_check_names_the_usual_tanh_kept_on_cs230s_linear_state():
    """CS230's a = Γ_o*c worked with the usual LSTM's a = Γ_o*tanh(c): [0.1148, -0.0002]
    (worked by hand from the cheatsheet's equations with the tanh put back, in torch)."""
    r = run("check", str(ROOT / "problems" / "cs230_lstm_relevance_gate.yaml"), "--answer",
            "[0.1148, -0.0002]")
    assert r.exit_code == 1
    assert "maybe tanh_kept" in r.output and "departs at a<1>" in r.output


@pytest.mark.parametrize("words", [{**RELEVANCE, **LINEAR}, CELL], ids=["relevance", "cell"])
def test_the_jacobian_quantity_and_truncation_run_through_the_variant(words):
    doc = _doc("mit", words, seed=12, T=3)
    J = np.asarray(rnnquiz.solve({**_forward(doc), "ask": {"quantity": "jacobian"}}).answer,
                   dtype=float)
    h0 = np.asarray(doc["network"]["h_init"], dtype=float)
    num = np.zeros((2, 2))
    for j in range(2):
        hs = []
        for sign in (1, -1):
            v = h0.copy()
            v[j] += sign * 1e-6
            d = {**_forward(doc), "network": {**doc["network"], "h_init": v.tolist()},
                 "ask": {"quantity": "h", "t": 2}}
            hs.append(np.asarray(rnnquiz.solve(d, steps=False).answer, dtype=float))
        num[:, j] = (hs[0] - hs[1]) / 2e-6
    np.testing.assert_allclose(J, num, rtol=1e-6, atol=1e-9)
    full = rnnquiz.solve(doc).values
    long = rnnquiz.solve({**doc, "truncate": 3}).values
    for key in ("W_fh", "W_ix", "b_o", "c_init"):
        np.testing.assert_allclose(long[f"dE/d{key}"], full[f"dE/d{key}"], rtol=1e-10,
                                   atol=1e-13)


@pytest.mark.parametrize("case", [("mit", {**RELEVANCE, **LINEAR}), ("goodfellow", CELL),
                                  ("deeplearning_ai", RELEVANCE)], ids=_ids)
def test_rtrl_through_a_variant_gives_bptts_gradients(case):
    notation, words = case
    doc = _doc(notation, words, seed=4)
    bptt = rnnquiz.solve(doc).values
    rtrl = rnnquiz.solve({**doc, "method": "rtrl"}).values
    n = NOTATIONS[("lstm", notation)].variant(words)
    for key in (*n.params, *n.states):
        if key in doc["network"]:
            np.testing.assert_allclose(np.asarray(rtrl[f"dE/d{key}"], dtype=float),
                                       np.asarray(bptt[f"dE/d{key}"], dtype=float),
                                       rtol=1e-10, atol=1e-13, err_msg=key)
