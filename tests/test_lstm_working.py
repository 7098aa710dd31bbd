"""The LSTM's working against references written here: every forward and backward line of a
one-unit LSTM worked by hand on floats (with and without peepholes, the courses' roundings,
Keras 2's hard sigmoid and a σ candidate), and a vector LSTM's deltas and Jacobian against
autograd (issue 16, the mutation run of rnnquiz/cells/lstm.py).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import rnnquiz
from oracles.lstm import peephole_step
from oracles.working import KEYS, NET, UP, WORDS, X, assert_working, flat

PEEP = {"w_cf": 0.2, "w_ci": -0.3, "w_co": 0.5}


def sig(z):
    return 1 / (1 + math.exp(-z))


def hard(z):                        # Keras 2's hard sigmoid
    return max(0.0, min(1.0, 0.2 * z + 0.5))


def half_even(v, k):
    return float(np.round(v, k)) + 0.0


def lstm_by_hand(peep=False, mode="none", gate="logistic", cand="tanh", over=None):
    """Two steps of MITx's one-unit LSTM with dE/dh_t given from above: every line of the
    working (t, symbol, equation, formula, operands, value, note), and the gradients.
    `mode` is the file's `round`: "none", "state", "activations" or a number of decimals."""
    p = {**NET, **(PEEP if peep else {}), **(over or {})}

    def rnd(v, tag=None):
        if isinstance(mode, int):
            return half_even(v, mode)
        if mode == "state" and tag == "state" or mode == "activations" and tag == "act":
            return half_even(v, 0)
        return v

    fns = {k: ((sig, "σ") if gate == "logistic" else (hard, "hard_σ")) for k in "fio"}
    fns["g"] = (math.tanh, "tanh") if cand == "tanh" else (sig, "σ")
    lines = []

    def line(t, sym, eq, sub, ops, value, note="", tag=None):
        value = rnd(value, tag)
        lines.append((t, sym, eq, sub, tuple(ops), value, note))
        return value

    h, c = [p["h_init"]], [p["c_init"]]
    G, Z = [], []
    for t in range(2):
        hp, cp = h[-1], c[-1]
        hs, cs = ("h_{-1}", "c_{-1}") if t == 0 else (f"h_{t - 1}", f"c_{t - 1}")
        g_t, z_t = {}, {}

        def gate_line(k, extra=None):
            Wh, Wx, b = KEYS[k]
            value = p[Wh] * hp + p[Wx] * X[t] + p[b]
            eq, sub, ops = f"{Wh}·{hs} + {Wx}·x_{t} + {b}", "{}·{} + {}·{} + {}", \
                [p[Wh], hp, p[Wx], X[t], p[b]]
            if extra is not None:
                w, cv, csym = extra
                value += p[w] * cv
                eq, sub, ops = f"{eq} + {w}⊙{csym}", f"{sub} + {{}}·{{}}", ops + [p[w], cv]
            z = z_t[k] = line(t, f"z^{k}_{t}", eq, sub, ops, value)
            fn, fsym = fns[k]
            g_t[k] = line(t, f"{k}_{t}", f"{fsym}(z^{k}_{t})", f"{fsym}({{}})", [z], fn(z),
                          WORDS[k] if t == 0 else "", "act")

        for k in ("fiog" if not peep else "fig"):
            gate_line(k, (f"w_c{k}", cp, cs) if peep and k in "fi" else None)
        f, i, g = g_t["f"], g_t["i"], g_t["g"]
        ct = line(t, f"c_{t}", f"f_{t}⊙{cs} + i_{t}⊙g_{t}", "{}·{} + {}·{}", [f, cp, i, g],
                  f * cp + i * g, "memory cell" if t == 0 else "", "state")
        if peep:
            gate_line("o", ("w_co", ct, f"c_{t}"))
        o = g_t["o"]
        tc = line(t, f"tanh(c_{t})", "", "tanh({})", [ct], math.tanh(ct), tag="act")
        ht = line(t, f"h_{t}", f"o_{t}⊙tanh(c_{t})", "{}·{}", [o, tc], o * tc,
                  "visible state" if t == 0 else "", "state")
        h.append(ht)
        c.append(ct)
        G.append({**g_t, "tc": tc})
        Z.append(z_t)

    def slope(k, t, sym):
        v, z = G[t][k], Z[t][k]
        if k == "g" and cand == "tanh":
            return 1 - v * v, f"(1 - {sym}²)", "(1 - {}²)", (v,)
        if k != "g" and gate == "hard_sigmoid":
            d = 0.2 if -2.5 < z < 2.5 else 0.0
            return d, "hard_sigmoid'(z)", "{}", (d,)
        return v * (1 - v), f"{sym}(1 - {sym})", "{}·(1 - {})", (v, v)

    grads = dict.fromkeys([*(k for keys in KEYS.values() for k in keys), *PEEP], 0.0)
    carry_h, carry_c = 0.0, []
    for t in (1, 0):
        hp, cp, ct = h[t], c[t], c[t + 1]
        f, i, o, g, tc = (G[t][k] for k in ("f", "i", "o", "g", "tc"))
        cs = "c_{-1}" if t == 0 else f"c_{t - 1}"
        if t == 1:
            dh = line(1, "dE/dh_1", "dE/dh_1 from above", "{}", [UP[1]], UP[1])
        else:
            dh = line(0, "dE/dh_0", "dE/dh_0 from above + Σ_k W_khᵀ·dE/dz^k_1", "{} + {}",
                      [UP[0], carry_h], UP[0] + carry_h)
        so, so_eq, so_sub, so_ops = slope("o", t, f"o_{t}")
        o_line = (t, f"dE/dz^o_{t}", f"dE/dh_{t}⊙tanh(c_{t})⊙{so_eq}", "{}·{}·" + so_sub,
                  [dh, tc, *so_ops], dh * tc * so)
        eq, sub = f"dE/dh_{t}⊙o_{t}⊙(1 - tanh²(c_{t}))", "{}·{}·(1 - {}²)"
        ops, value = [dh, o, tc], dh * o * (1 - tc ** 2)
        dz = {}
        if peep:
            dz["o"] = line(*o_line)
            eq, sub = f"{eq} + dE/dz^o_{t}⊙w_co", f"{sub} + {{}}·{{}}"
            ops, value = ops + [dz["o"], p["w_co"]], value + dz["o"] * p["w_co"]
        for term_eq, term_value in carry_c:
            eq, sub, ops, value = f"{eq} + {term_eq}", f"{sub} + {{}}", ops + [term_value], \
                value + term_value
        dc = line(t, f"dE/dc_{t}", eq, sub, ops, value)
        sf, sf_eq, sf_sub, sf_ops = slope("f", t, f"f_{t}")
        si, si_eq, si_sub, si_ops = slope("i", t, f"i_{t}")
        sg, sg_eq, sg_sub, sg_ops = slope("g", t, f"g_{t}")
        rows = {"f": (t, f"dE/dz^f_{t}", f"dE/dc_{t}⊙{cs}⊙{sf_eq}", "{}·{}·" + sf_sub,
                      [dc, cp, *sf_ops], dc * cp * sf),
                "i": (t, f"dE/dz^i_{t}", f"dE/dc_{t}⊙g_{t}⊙{si_eq}", "{}·{}·" + si_sub,
                      [dc, g, *si_ops], dc * g * si),
                "o": o_line,
                "g": (t, f"dE/dz^g_{t}", f"dE/dc_{t}⊙i_{t}⊙{sg_eq}", "{}·{}·" + sg_sub,
                      [dc, i, *sg_ops], dc * i * sg)}
        for k in "fiog":
            if k not in dz:
                dz[k] = line(*rows[k])
        carry_h = 0.0
        for k, (Wh, Wx, b) in KEYS.items():
            grads[Wh] += dz[k] * hp
            grads[Wx] += dz[k] * X[t]
            grads[b] += dz[k]
            carry_h += p[Wh] * dz[k]
        carry_c = [(f"dE/dc_{t}⊙f_{t}", dc * f)]
        if peep:
            grads["w_cf"] += dz["f"] * cp
            grads["w_ci"] += dz["i"] * cp
            grads["w_co"] += dz["o"] * ct
            carry_c.append((f"dE/dz^f_{t}⊙w_cf + dE/dz^i_{t}⊙w_ci",
                            dz["f"] * p["w_cf"] + dz["i"] * p["w_ci"]))
    grads["h_init"] = carry_h
    grads["c_init"] = sum(v for _, v in carry_c)
    return lines, grads


def doc_for(peep=False, mode="none", gate="logistic", cand="tanh", quantity="dE/dh_init",
            over=None):
    net = {**NET, **(PEEP if peep else {}), **(over or {})}
    if gate != "logistic":
        net["gate_activation"] = gate
    if cand != "tanh":
        net["candidate_activation"] = cand
    return {"type": "backprop", "cell": "lstm", "round": mode, "network": net, "inputs": X,
            "upstream": {"h": UP}, "ask": {"quantity": quantity}}


CASES = [dict(), dict(peep=True), dict(gate="hard_sigmoid"), dict(cand="logistic"),
         dict(peep=True, gate="hard_sigmoid", cand="logistic"),
         # the output gate's peephole term carries z^o_1 past 2.5, where the hard sigmoid is
         # flat: its slope is taken where z^o includes w_co⊙c_1
         dict(peep=True, gate="hard_sigmoid", over={"b_o": 1.7, "w_co": -1.5})]


@pytest.mark.parametrize("case", CASES, ids=lambda c: "-".join(map(str, c.values())) or "plain")
def test_every_line_of_the_lstms_working_by_hand(case):
    lines, _ = lstm_by_hand(**case)
    assert_working(rnnquiz.solve(doc_for(**case)), lines)


@pytest.mark.parametrize("mode", ["state", "activations", 1, 2])
@pytest.mark.parametrize("peep", [False, True])
def test_the_lstms_working_under_each_rounding(mode, peep):
    lines, _ = lstm_by_hand(peep=peep, mode=mode)
    assert_working(rnnquiz.solve(doc_for(peep=peep, mode=mode)), lines)


@pytest.mark.parametrize("steps", [True, False], ids=["working", "scan"])
@pytest.mark.parametrize("case", CASES, ids=lambda c: "-".join(map(str, c.values())) or "plain")
def test_the_lstms_gradients_by_hand(case, steps):
    _, grads = lstm_by_hand(**case)
    keys = [*(k for keys in KEYS.values() for k in keys), "h_init", "c_init"]
    if case.get("peep"):
        keys += list(PEEP)
    for key in keys:
        r = rnnquiz.solve(doc_for(**case, quantity=f"dE/d{key}"), steps=steps)
        assert flat(r.answer) == pytest.approx(grads[key], rel=1e-12, abs=1e-15), key


def test_a_course_that_names_the_gates_otherwise_says_so_at_its_first_step():
    # deeplearning.ai: Γ_u is the update gate, a<t> the visible state, steps from 1
    net = {"W_f": [[0.5, 1.0]], "b_f": [-0.2], "W_u": [[-0.7, 0.4]], "b_u": [0.3],
           "W_o": [[0.9, -0.3]], "b_o": [0.2], "W_c": [[-0.8, 0.6]], "b_c": [0.1],
           "a_init": [0.3], "c_init": [-0.4]}
    r = rnnquiz.solve({"type": "lstm", "notation": "deeplearning_ai", "round": "none",
                       "network": net, "inputs": [[1.0], [-2.0]],
                       "ask": {"quantity": "a", "t": 2}})
    notes = {(s.symbol, s.t): s.note for s in r.steps if s.phase == "forward"}
    assert notes["Γ_f<1>", 1] == "forget gate" and notes["Γ_u<1>", 1] == "update gate"
    assert notes["Γ_o<1>", 1] == "output gate" and notes["c̃<1>", 1] == "candidate"
    assert notes["c<1>", 1] == "memory cell" and notes["a<1>", 1] == "visible state"
    assert all(note == "" for (_, t), note in notes.items() if t == 2)
    lines, _ = lstm_by_hand()
    assert flat(r.answer) == pytest.approx([v for t, sym, *_, v, _ in lines if sym == "h_1"][0],
                                           rel=1e-12)


# ---------------------------------------------------------------- vectors, against autograd

def torch_lstm(P, X, UP, peep, gate):
    """dE/dz of every gate, dE/dh_t and dE/dc_t (all paths) for E = Σ_t UP_t · h_t."""
    torch = pytest.importorskip("torch")
    T = {k: torch.tensor(np.asarray(v, dtype=float), requires_grad=True) for k, v in P.items()}
    assert peep == ("w_cf" in T)        # the oracle reads the peepholes off the keys
    h, c, E, keep = T["h_init"], T["c_init"], 0.0, {}
    for t, x in enumerate(torch.tensor(np.asarray(X, dtype=float))):
        z, h, c = peephole_step(torch, T, x, h, c, gate)
        for name, v in (*z.items(), ("h", h), ("c", c)):
            v.retain_grad()
            keep[name, t] = v
        E = E + (torch.tensor(np.asarray(UP[t], dtype=float)) * h).sum()
    E.backward()
    return {k: v.grad.numpy() for k, v in keep.items()}, \
        {k: v.grad.numpy() for k, v in T.items()}


@pytest.mark.parametrize("peep", [False, True])
@pytest.mark.parametrize("gate", ["logistic", "hard_sigmoid"])
def test_the_working_deltas_of_a_vector_lstm_against_autograd(peep, gate):
    rng = np.random.default_rng(1616)
    n_h, n_x, T = 3, 2, 3
    P = random_lstm(rng, n_h, n_x, peep)
    Xs, UPs = rng.normal(0, 1, (T, n_x)), rng.normal(0, 1, (T, n_h))
    deltas, grads = torch_lstm(P, Xs, UPs, peep, gate)
    net = {k: v.tolist() for k, v in P.items()}
    if gate != "logistic":
        net["gate_activation"] = gate
    doc = {"type": "backprop", "cell": "lstm", "round": "none", "network": net,
           "inputs": Xs.tolist(), "upstream": {"h": UPs.tolist()},
           "ask": {"quantity": "dE/dc_init"}}
    r = rnnquiz.solve(doc)
    lines = {(s.symbol, s.t): s.value for s in r.steps if s.phase == "backward"}
    assert len(lines) == 6 * T
    for t in range(T):
        for name in ("f", "i", "o", "g", "h", "c"):
            sym = f"dE/dz^{name}_{t}" if name in "fiog" else f"dE/d{name}_{t}"
            np.testing.assert_allclose(np.asarray(lines[sym, t], dtype=float),
                                       deltas[name, t], rtol=1e-10, atol=1e-13, err_msg=sym)
    for steps in (True, False):
        r = rnnquiz.solve(doc, steps=steps)
        for key in P:
            np.testing.assert_allclose(np.asarray(r.values[f"dE/d{key}"], dtype=float),
                                       grads[key], rtol=1e-10, atol=1e-13, err_msg=key)


def random_lstm(rng, n_h, n_x, peep):
    P = {}
    for Wh, Wx, b in KEYS.values():
        P[Wh], P[Wx], P[b] = (rng.normal(0, 0.7, (n_h, n_h)), rng.normal(0, 0.7, (n_h, n_x)),
                              rng.normal(0, 0.4, n_h))
    P["h_init"], P["c_init"] = rng.normal(0, 0.5, n_h), rng.normal(0, 0.5, n_h)
    if peep:
        P.update({k: rng.normal(0, 0.5, n_h) for k in PEEP})
    return P


@pytest.mark.parametrize("steps", [True, False], ids=["working", "scan"])
@pytest.mark.parametrize("peep, gate", [(False, "logistic"), (True, "hard_sigmoid")])
def test_a_batch_of_four_examples_against_autograd(peep, gate, steps):
    # four examples of two units: the example axis is not the units' axis
    rng = np.random.default_rng(1604)
    P = random_lstm(rng, 2, 3, peep)
    Xs, UPs = rng.normal(0, 1, (4, 3, 3)), rng.normal(0, 1, (4, 3, 2))
    want = {}
    for X_n, UP_n in zip(Xs, UPs):
        for k, v in torch_lstm(P, X_n, UP_n, peep, gate)[1].items():
            want[k] = want.get(k, 0) + v
    net = {k: v.tolist() for k, v in P.items()}
    if gate != "logistic":
        net["gate_activation"] = gate
    r = rnnquiz.solve({"type": "backprop", "cell": "lstm", "round": "none", "batch": True,
                       "network": net, "inputs": Xs.tolist(), "upstream": {"h": UPs.tolist()},
                       "ask": {"quantity": "dE/dc_init"}}, steps=steps)
    for key in P:
        np.testing.assert_allclose(np.asarray(r.values[f"dE/d{key}"], dtype=float), want[key],
                                   rtol=1e-10, atol=1e-13, err_msg=key)


@pytest.mark.parametrize("peep, gate, cand", [(False, "logistic", "tanh"),
                                              (False, "hard_sigmoid", "logistic"),
                                              (True, "logistic", "logistic"),
                                              (True, "hard_sigmoid", "tanh")])
def test_the_joint_state_jacobian_against_autograd(peep, gate, cand):
    """d(h_t, c_t)/d(h_{t-1}, c_{t-1}) of one step, by torch.autograd.functional.jacobian."""
    torch = pytest.importorskip("torch")
    from rnnquiz.cells import cell_for
    from rnnquiz.cells.base import Ctx
    from rnnquiz.cells.run import canonical, initial
    from rnnquiz.types import from_dict
    from rnnquiz.trace import Work
    rng = np.random.default_rng(1605)
    n = 3
    P = random_lstm(rng, n, 2, peep)
    x = rng.normal(0, 1, 2)
    net = {k: v.tolist() for k, v in P.items()}
    net.update(gate_activation=gate, candidate_activation=cand)
    p = from_dict({"type": "lstm", "round": "none", "network": net, "inputs": [x.tolist()],
                   "ask": {"quantity": "h", "t": 0}})
    cell = cell_for("lstm")
    ctx = Ctx(work=Work(record=False), notation=p.network.notation, params=p.network.params,
              words=p.network.words)
    _, cache = cell.step(canonical(p), p.inputs[0], initial(p), 0, ctx)
    J = cell.jacobian(canonical(p), cache)

    T = {k: torch.tensor(v) for k, v in P.items()}
    xt = torch.tensor(x)

    def step(state):
        _, h, c = peephole_step(torch, T, xt, state[:n], state[n:], gate, cand)
        return torch.cat([h, c])

    want = torch.autograd.functional.jacobian(step, torch.cat([T["h_init"], T["c_init"]]))
    np.testing.assert_allclose(J, want.numpy(), rtol=1e-10, atol=1e-13)
