"""The working of the LSTM's variants (SPEC 1.15: relevance_gate, state_activation: linear,
recurrence: cell) line by line against a one-unit LSTM worked by hand on floats here from the
variants' equations: every line's symbol, equation, formula, operands, value and note, forward
and backward, and the gradients the working sums (MITx's notation, two steps, dE/dh_t given
from above)."""

from __future__ import annotations

import math

import pytest

import rnnquiz
import oracles.working
from oracles.working import NET, UP, X, assert_working, flat

RELEVANCE = {"W_rh": 0.7, "W_rx": -0.5, "b_r": 0.25}
KEYS = {**oracles.working.KEYS, "r": ("W_rh", "W_rx", "b_r")}
WORDS = {**oracles.working.WORDS, "r": "relevance gate"}


def sig(z):
    return 1 / (1 + math.exp(-z))


def net_of(relevance=False, linear=False, cell=False, hard_gates=False, mode="none"):
    net = dict(NET)
    if hard_gates:
        net["gate_activation"] = "hard_sigmoid"
    if mode == "state":         # a memory cell that does not round to 0 at every step
        net["c_init"] = 1.6
    if relevance:
        net.update(RELEVANCE, relevance_gate=True)
    if linear:
        net["state_activation"] = "linear"
    if cell:
        del net["W_ch"]
        net["recurrence"] = "cell"
    return net


def half_even(v, k):
    return float(round(v, k)) + 0.0


def hard(z):                        # Keras 2's hard sigmoid
    return max(0.0, min(1.0, 0.2 * z + 0.5))


def by_hand(relevance=False, linear=False, cell=False, hard_gates=False, mode="none",
            forget_on_h=False, up_c=None):
    """Every line of the working (t, symbol, equation, formula, operands, value, note) and
    the gradients, from SPEC 1.15's equations with one unit; `mode` is the file's `round`
    (SPEC 1.4: "state" rounds c_t and h_t, "activations" every gate and tanh, k decimals
    every line). `hard_gates`: gate_activation: hard_sigmoid (the relevance gate's too, it is
    a gate). `forget_on_h`: the slip f_t⊙h_{t-1} for f_t⊙c_{t-1} (the lines' values)."""
    p = net_of(relevance, linear, cell, hard_gates, mode)
    gate_fn, gate_sym = (hard, "hard_σ") if hard_gates else (sig, "σ")
    sigmoids = "fio" + ("r" if relevance else "")
    lines = []

    def line(t, sym, eq, sub, ops, value, note="", tag=None):
        if isinstance(mode, int):
            value = half_even(value, mode)
        elif mode == "state" and tag == "state" or mode == "activations" and tag == "act":
            value = half_even(value, 0)
        lines.append((t, sym, eq, sub, tuple(ops), value, note))
        return value

    def prev(name, t):
        return f"{name}_{{-1}}" if t == 0 else f"{name}_{t - 1}"

    h, c, G = [p["h_init"]], [p["c_init"]], []
    for t in range(2):
        hp, cp = h[-1], c[-1]
        s, s_sym = (cp, prev("c", t)) if cell else (hp, prev("h", t))
        g_t = {}
        for k in sigmoids:
            Wh, Wx, b = KEYS[k]
            z = line(t, f"z^{k}_{t}", f"{Wh}·{s_sym} + {Wx}·x_{t} + {b}", "{}·{} + {}·{} + {}",
                     [p[Wh], s, p[Wx], X[t], p[b]], p[Wh] * s + p[Wx] * X[t] + p[b])
            note = (WORDS[k] + (", reading c_{t-1}" if cell else "")) if t == 0 else ""
            g_t[k] = line(t, f"{k}_{t}", f"{gate_sym}(z^{k}_{t})", f"{gate_sym}({{}})", [z],
                          gate_fn(z), note, "act")
            g_t["z" + k] = z
        if relevance:
            rh = line(t, f"r_{t}⊙{prev('h', t)}", "", "{}·{}", [g_t["r"], hp], g_t["r"] * hp)
            z = line(t, f"z^g_{t}", f"W_ch·(r_{t}⊙{prev('h', t)}) + W_cx·x_{t} + b_c",
                     "{}·{} + {}·{} + {}", [p["W_ch"], rh, p["W_cx"], X[t], p["b_c"]],
                     p["W_ch"] * rh + p["W_cx"] * X[t] + p["b_c"])
        elif cell:
            z = line(t, f"z^g_{t}", f"W_cx·x_{t} + b_c", "{}·{} + {}",
                     [p["W_cx"], X[t], p["b_c"]], p["W_cx"] * X[t] + p["b_c"])
        else:
            z = line(t, f"z^g_{t}", f"W_ch·{prev('h', t)} + W_cx·x_{t} + b_c",
                     "{}·{} + {}·{} + {}", [p["W_ch"], hp, p["W_cx"], X[t], p["b_c"]],
                     p["W_ch"] * hp + p["W_cx"] * X[t] + p["b_c"])
        note = ("candidate (recurrence: cell: no recurrent term)" if cell else "candidate") \
            if t == 0 else ""
        g_t["g"] = line(t, f"g_{t}", f"tanh(z^g_{t})", "tanh({})", [z], math.tanh(z), note,
                        "act")
        f, i, o, g = (g_t[k] for k in "fiog")
        ct = line(t, f"c_{t}", f"f_{t}⊙{prev('c', t)} + i_{t}⊙g_{t}", "{}·{} + {}·{}",
                  [f, cp, i, g], f * (hp if forget_on_h else cp) + i * g,
                  "memory cell" if t == 0 else "", "state")
        if linear:
            phi = ct
            ht = line(t, f"h_{t}", f"o_{t}⊙c_{t}", "{}·{}", [o, ct], o * ct,
                      "visible state (state_activation: linear)" if t == 0 else "", "state")
        else:
            phi = line(t, f"tanh(c_{t})", "", "tanh({})", [ct], math.tanh(ct), tag="act")
            ht = line(t, f"h_{t}", f"o_{t}⊙tanh(c_{t})", "{}·{}", [o, phi], o * phi,
                      "visible state" if t == 0 else "", "state")
        h.append(ht)
        c.append(ct)
        G.append({**g_t, "phi": phi, "s": s, "rh": rh if relevance else None})

    names = [*(k for g in "fiog" for k in KEYS[g] if not (cell and k == "W_ch")),
             *(KEYS["r"] if relevance else ())]
    grads = dict.fromkeys(names, 0.0)
    carry_h, carry_c = None, []
    for t in (1, 0):
        hp, cp, ct = h[t], c[t], c[t + 1]
        f, i, o, g, phi = (G[t][k] for k in ("f", "i", "o", "g", "phi"))
        if t == 1:
            dh = line(1, "dE/dh_1", "dE/dh_1 from above", "{}", [UP[1]], UP[1])
        else:
            eq, value = carry_h
            dh = line(0, "dE/dh_0", f"dE/dh_0 from above + {eq}", "{} + {}", [UP[0], value],
                      UP[0] + value)
        if linear:
            eq, sub, ops, value = f"dE/dh_{t}⊙o_{t}", "{}·{}", [dh, o], dh * o
        else:
            eq, sub = f"dE/dh_{t}⊙o_{t}⊙(1 - tanh²(c_{t}))", "{}·{}·(1 - {}²)"
            ops, value = [dh, o, phi], dh * o * (1 - phi ** 2)
        for term_eq, term_value in carry_c:
            eq, sub, ops, value = f"{eq} + {term_eq}", f"{sub} + {{}}", ops + [term_value], \
                value + term_value
        if up_c is not None and t == 1:     # dE/dc_T from above (values only)
            value += up_c
        dc = line(t, f"dE/dc_{t}", eq, sub, ops, value)
        phi_sym = f"c_{t}" if linear else f"tanh(c_{t})"

        def slope(k):
            """The gate's derivative as the working writes it: σ(1 - σ) from its value, the
            hard sigmoid's 0.2 or 0 at z."""
            v, z = G[t][k], G[t]["z" + k]
            if hard_gates:
                d = 0.2 if -2.5 < z < 2.5 else 0.0
                return d, "hard_sigmoid'(z)", "{}", [d]
            return v * (1 - v), f"{k}_{t}(1 - {k}_{t})", "{}·(1 - {})", [v, v]

        dz = {}
        for k, (sym, first_v, second, second_v) in {
                "o": (f"dE/dh_{t}", dh, phi_sym, phi),
                "f": (f"dE/dc_{t}", dc, prev("c", t), cp),
                "i": (f"dE/dc_{t}", dc, f"g_{t}", g)}.items():
            d, d_eq, d_sub, d_ops = slope(k)
            dz[k] = line(t, f"dE/dz^{k}_{t}", f"{sym}⊙{second}⊙{d_eq}", "{}·{}·" + d_sub,
                         [first_v, second_v, *d_ops], first_v * second_v * d)
        dz["g"] = line(t, f"dE/dz^g_{t}", f"dE/dc_{t}⊙i_{t}⊙(1 - g_{t}²)", "{}·{}·(1 - {}²)",
                       [dc, i, g], dc * i * (1 - g * g))
        back_h = 0.0
        if relevance:
            r, rh, rh_sym = G[t]["r"], G[t]["rh"], f"r_{t}⊙{prev('h', t)}"
            d_rh = line(t, f"dE/d({rh_sym})", f"W_chᵀ·dE/dz^g_{t}", "{}·{}",
                        [p["W_ch"], dz["g"]], p["W_ch"] * dz["g"])
            d, d_eq, d_sub, d_ops = slope("r")
            dz["r"] = line(t, f"dE/dz^r_{t}", f"dE/d({rh_sym})⊙{prev('h', t)}⊙{d_eq}",
                           "{}·{}·" + d_sub, [d_rh, hp, *d_ops], d_rh * hp * d)
            grads["W_ch"] += dz["g"] * rh
            back_h = d_rh * r
        elif not cell:
            grads["W_ch"] += dz["g"] * hp
            back_h = p["W_ch"] * dz["g"]
        back_s = 0.0
        for k in (*sigmoids, "g"):
            Wh, Wx, b = KEYS[k]
            grads[Wx] += dz[k] * X[t]
            grads[b] += dz[k]
            if k != "g":
                grads[Wh] += dz[k] * G[t]["s"]
                back_s += p[Wh] * dz[k]
        carry_c = [(f"dE/dc_{t}⊙f_{t}", dc * f)]
        if cell:
            carry_c.append((f"Σ_k W_khᵀ·dE/dz^k_{t} (the gates read {prev('c', t)})", back_s))
            carry_h = (f"0 ({prev('h', t)} feeds no gate)", back_h)
        else:
            eq = f"Σ_k W_khᵀ·dE/dz^k_{t}" + (
                f" + dE/d(r_{t}⊙{prev('h', t)})⊙r_{t}" if relevance else "")
            carry_h = (eq, back_h + back_s)
    grads["h_init"] = carry_h[1]
    grads["c_init"] = sum(v for _, v in carry_c)
    return lines, grads


def doc_for(case: dict, quantity="dE/dh_init", mode="none"):
    return {"type": "backprop", "cell": "lstm", "round": mode,
            "network": net_of(**case, mode=mode),
            "inputs": X, "upstream": {"h": UP}, "ask": {"quantity": quantity}}


CASES = [dict(relevance=True), dict(linear=True), dict(cell=True),
         dict(relevance=True, linear=True), dict(cell=True, linear=True),
         dict(relevance=True, hard_gates=True), dict(cell=True, hard_gates=True)]
IDS = ["-".join(c) for c in CASES]


# the roundings on a variant whose state is linear and on one without W_ch
ROUNDED = [(c, m) for c in (dict(relevance=True, linear=True), dict(cell=True))
           for m in ("state", "activations", 3)]


@pytest.mark.parametrize("case, mode", [(c, "none") for c in CASES] + ROUNDED,
                         ids=[*IDS, *(f"{'-'.join(c)}-{m}" for c, m in ROUNDED)])
def test_every_line_of_a_variants_working_by_hand(case, mode):
    lines, _ = by_hand(**case, mode=mode)
    assert_working(rnnquiz.solve(doc_for(case, mode=mode)), lines)


@pytest.mark.parametrize("steps", [True, False], ids=["working", "scan"])
@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_a_variants_gradients_by_hand(case, steps):
    _, grads = by_hand(**case)
    for key, value in grads.items():
        r = rnnquiz.solve(doc_for(case, f"dE/d{key}"), steps=steps)
        assert flat(r.answer) == pytest.approx(value, rel=1e-12, abs=1e-15), key


@pytest.mark.parametrize("notation, sym, eq, dz_sym, row", [
    ("d2l", "dE/d(R_1⊙H_0)", "dE/dz^C̃_1·W_hcᵀ", "dE/dz^C̃_1", "W_hc"),
    ("slp", "dE/d(r_1⊙h_0)", "U_gᵀ·dE/dz^g_1", "dE/dz^g_1", "U_g"),
    ("goodfellow", "dE/d(r^(1)⊙h^(0))", "Wᵀ·dE/dz^s̃^(1)", "dE/dz^s̃^(1)", "W"),
    # deeplearning.ai's W_c acts on [Γ_r⊙a; x]: its state columns, Wc[:, :n_a] as the course
    # writes them
    ("deeplearning_ai", "dE/d(Γ_r<1>⊙a<0>)", "W_c[:, :n_a]ᵀ·dE/dz^c̃<1>", "dE/dz^c̃<1>", "W_c"),
])
def test_the_relevance_gates_backward_line_in_each_courses_names_and_layout(
        notation, sym, eq, dz_sym, row):
    """dE/d(r⊙h) = W_chᵀ dE/dz^g written with the file's key: d2l's rows as dz·W_hcᵀ."""
    import numpy as np
    from test_lstm_variants import RELEVANCE, _doc
    doc = _doc(notation, RELEVANCE, T=1, n_h=2, n_x=1)
    steps = {s.symbol: s for s in rnnquiz.solve(doc).steps}
    W = np.asarray(doc["network"][row], dtype=float)
    dz = np.asarray(steps[dz_sym].value, dtype=float)
    line = steps[sym]
    assert line.equation == eq and line.formula == "{}·{}"
    if notation == "d2l":                                   # H W_hc: the rows' product
        expect, ops = dz @ W.T, (dz, W.T)                   # the operand shown is W_hcᵀ
    else:                                                   # W_ch h: the columns'
        W_ch = W[:, :2]
        expect, ops = W_ch.T @ dz, (W_ch.T, dz)
    np.testing.assert_allclose(np.asarray(line.value, dtype=float), expect, rtol=1e-12)
    for got, want in zip(line.operands, ops):
        np.testing.assert_allclose(np.asarray(got, dtype=float), want, rtol=1e-12)


@pytest.mark.parametrize("case", [dict(relevance=True), dict(linear=True)], ids=["relevance",
                                                                                 "linear"])
def test_check_names_the_forget_gate_applied_to_h_in_a_variant(case):
    """The slip forget_on_h (MITx) in a variant: h_1 worked by hand with f_t⊙h_{t-1}."""
    from rnnquiz.teaching.slip_search import diagnose
    from rnnquiz.types import from_dict
    lines, _ = by_hand(**case, forget_on_h=True)
    slipped = [v for t, sym, *_, v, _ in lines if sym == "h_1"][0]
    right = [v for t, sym, *_, v, _ in by_hand(**case)[0] if sym == "h_1"][0]
    assert abs(slipped - right) > 1e-3
    p = from_dict({"type": "lstm", "round": "none", "network": net_of(**case), "inputs": X,
                   "ask": {"quantity": "h", "t": 1}})
    text = f"{slipped:.4f}"
    assert diagnose(p, float(text), text)[0]["slip"] == "forget_on_h"


@pytest.mark.parametrize("steps", [True, False], ids=["working", "scan"])
@pytest.mark.parametrize("case", [dict(relevance=True, linear=True), dict(cell=True)],
                         ids=["relevance-linear", "cell"])
def test_a_variant_takes_dE_dc_from_above_on_both_paths(case, steps):
    """upstream: {h, c}: dE/dc of the last step from above joins dE/dc_T, worked by hand."""
    up_c = 0.7
    _, grads = by_hand(**case, up_c=up_c)
    for key in ("W_fx", "b_o", "h_init", "c_init"):
        doc = doc_for(case, f"dE/d{key}")
        doc["upstream"] = {"h": UP, "c": [up_c]}
        r = rnnquiz.solve(doc, steps=steps)
        assert flat(r.answer) == pytest.approx(grads[key], rel=1e-12, abs=1e-15), key


def test_the_jacobian_of_a_variant_with_hard_sigmoid_gates_matches_differences():
    """dh_1/dh_{-1} through hard-sigmoid gates (the slope read at z), by central differences."""
    case = dict(relevance=True, hard_gates=True)
    doc = {"type": "lstm", "round": "none", "network": net_of(**case), "inputs": X}
    J = rnnquiz.solve({**doc, "ask": {"quantity": "jacobian"}}).answer
    hs = []
    for sign in (1, -1):
        net = {**doc["network"], "h_init": NET["h_init"] + sign * 1e-6}
        d = {**doc, "network": net, "ask": {"quantity": "h", "t": 1}}
        hs.append(flat(rnnquiz.solve(d, steps=False).answer))
    assert abs((hs[0] - hs[1]) / 2e-6) > 1e-3
    assert flat(J) == pytest.approx((hs[0] - hs[1]) / 2e-6, rel=1e-6)


@pytest.mark.parametrize("steps", [True, False], ids=["working", "scan"])
@pytest.mark.parametrize("case", [dict(relevance=True), dict(cell=True, linear=True)],
                         ids=["relevance", "cell-linear"])
def test_a_variants_dE_dc_at_a_step_by_hand(case, steps):
    lines, _ = by_hand(**case)
    for t in (0, 1):
        expect = [v for s, sym, *_, v, _ in lines if sym == f"dE/dc_{t}"][0]
        doc = doc_for(case)
        doc["ask"] = {"quantity": "dE/dc", "t": t}
        assert flat(rnnquiz.solve(doc, steps=steps).answer) == pytest.approx(expect, rel=1e-12)


@pytest.mark.parametrize("steps", [True, False], ids=["working", "scan"])
def test_a_batch_of_two_same_examples_sums_a_variants_gradients(steps):
    """batch: true (SPEC 1.10): the parameter gradients are summed over the examples, so two
    copies of the hand-worked sequence give twice its gradients, dE/dx_t once per example."""
    case = dict(relevance=True)
    lines, grads = by_hand(**case)
    doc = doc_for(case, "dE/dW_fx")
    doc.update(batch=True, inputs=[[[x] for x in X]] * 2, upstream={"h": [[[u] for u in UP]] * 2})
    r = rnnquiz.solve(doc, steps=steps)
    assert flat(r.answer) == pytest.approx(2 * grads["W_fx"], rel=1e-12)
    doc["ask"] = {"quantity": "dE/dx", "t": 1}
    dx = rnnquiz.solve(doc, steps=steps).answer
    dz = {k: [v for t, sym, *_, v, _ in lines if sym == f"dE/dz^{k}_1"][0] for k in "fiogr"}
    expect = sum(NET.get(KEYS[k][1], RELEVANCE.get(KEYS[k][1])) * dz[k] for k in "fiogr")
    import numpy as np
    assert np.asarray(dx, dtype=float).ravel().tolist() == pytest.approx([expect, expect],
                                                                          rel=1e-12)
