"""The GRU's working against references written here: the backward lines of each convention
worked by hand on floats (symbols, equations, formulas, operands, values), and the deltas of
a vector GRU against autograd (issue 16, the mutation run of rnnquiz/cells/gru.py).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import rnnquiz
from oracles.gru import gru_step


def sig(z):
    return 1 / (1 + math.exp(-z))


def flat(v):
    return float(np.ravel(v)[0])


# ---------------------------------------------------------------- one unit, by hand

# the canonical (MITx) parameters; in PyTorch's notation W_ch is W_hn, and b_hn its bias_hh
NET = {"W_uh": 0.5, "W_ux": 1.0, "b_u": -0.2, "W_rh": -0.7, "W_rx": 0.4, "b_r": 0.3,
       "W_ch": -0.8, "W_cx": 0.6, "b_c": 0.1, "h_init": 0.3}
X, UP = [1.0, -2.0], [0.5, -1.0]


def mit_symbol(q, t):
    return f"{q}_{t}" if t >= 0 else f"{q}_{{-1}}"


def gru_by_hand(convention, b_hn=0.0, S=mit_symbol, first=0, W="W_ch", a="z", b=None,
                row=False):
    """Two steps of a one-unit GRU with dE/dh_t given from above: the backward lines as a TA
    writes them (symbols S(quantity, t), steps counted from `first`; the candidate's recurrent
    matrix named W, its bias inside the reset b (PyTorch's b_hn; none in MITx's keys), the
    product written dz·Wᵀ in a row layout (d2l), the pre-activations a^k where a gate is
    itself called z), and the gradients; each line reads the candidate as its forward line
    writes it."""
    p = NET
    h, u, r, c, hn = [p["h_init"]], [], [], [], []
    for t in range(2):
        hp = h[-1]
        u.append(sig(p["W_uh"] * hp + p["W_ux"] * X[t] + p["b_u"]))
        r.append(sig(p["W_rh"] * hp + p["W_rx"] * X[t] + p["b_r"]))
        if convention == "pytorch":       # reset after the product
            hn.append(p["W_ch"] * hp + b_hn)
            c.append(math.tanh(p["W_cx"] * X[t] + p["b_c"] + r[t] * hn[t]))
        else:                             # ng, d2l: reset before W_ch
            hn.append(r[t] * hp)
            c.append(math.tanh(p["W_ch"] * hn[t] + p["W_cx"] * X[t] + p["b_c"]))
        if convention == "ng":
            h.append(u[t] * c[t] + (1 - u[t]) * hp)
        else:
            h.append((1 - u[t]) * c[t] + u[t] * hp)
    lines, carry = [], 0.0
    grads = dict.fromkeys(("W_uh", "W_ux", "b_u", "W_rh", "W_rx", "b_r", "W_ch", "W_cx", "b_c",
                           "b_hn"), 0.0)
    for t in (1, 0):
        n = t + first                     # the step as the notation numbers it
        hp = h[t]
        (dh_s, u_s, r_s, c_s), hp_s = (S(q, t) for q in "hurc"), S("h", t - 1)
        dh = UP[t] + carry
        if t == 1:
            lines.append((n, f"dE/d{dh_s}", f"dE/d{dh_s} from above", "{}", (dh,), dh))
        else:
            lines.append((n, f"dE/d{dh_s}", f"dE/d{dh_s} from above + dE/d{dh_s} from step "
                          f"{n + 1}", "{} + {}", (UP[0], carry), dh))
        sc, su, sr = 1 - c[t] ** 2, u[t] * (1 - u[t]), r[t] * (1 - r[t])
        if convention == "ng":
            dzc = dh * u[t] * sc
            lines.append((n, f"dE/d{a}^{c_s}", f"dE/d{dh_s}⊙{u_s}⊙(1 - {c_s}²)",
                          "{}·{}·(1 - {}²)", (dh, u[t], c[t]), dzc))
            dzu = dh * (c[t] - hp) * su
            lines.append((n, f"dE/d{a}^{u_s}", f"dE/d{dh_s}⊙({c_s} - {hp_s})⊙{u_s}(1 - {u_s})",
                          "{}·({} - {})·{}·(1 - {})", (dh, c[t], hp, u[t], u[t]), dzu))
            keep = 1 - u[t]
        else:
            dzc = dh * (1 - u[t]) * sc
            lines.append((n, f"dE/d{a}^{c_s}", f"dE/d{dh_s}⊙(1 - {u_s})⊙(1 - {c_s}²)",
                          "{}·(1 - {})·(1 - {}²)", (dh, u[t], c[t]), dzc))
            dzu = dh * (hp - c[t]) * su
            lines.append((n, f"dE/d{a}^{u_s}", f"dE/d{dh_s}⊙({hp_s} - {c_s})⊙{u_s}(1 - {u_s})",
                          "{}·({} - {})·{}·(1 - {})", (dh, hp, c[t], u[t], u[t]), dzu))
            keep = u[t]
        if convention == "pytorch":
            dzr = dzc * hn[t] * sr
            lines.append((n, f"dE/d{a}^{r_s}",
                          f"dE/d{a}^{c_s}⊙({W}·{hp_s}{f' + {b}' if b else ''})⊙{r_s}"
                          f"(1 - {r_s})",
                          "{}·{}·{}·(1 - {})", (dzc, hn[t], r[t], r[t]), dzr))
            carry_c = dzc * r[t] * NET["W_ch"]
            grads["W_ch"] += dzc * r[t] * hp
            grads["b_hn"] += dzc * r[t]
        else:
            dzr = NET["W_ch"] * dzc * hp * sr
            back = f"dE/d{a}^{c_s}·{W}ᵀ" if row else f"{W}ᵀ·dE/d{a}^{c_s}"
            lines.append((n, f"dE/d{a}^{r_s}", f"({back})⊙{hp_s}⊙{r_s}(1 - {r_s})",
                          "{}·{}·{}·(1 - {})", (NET["W_ch"] * dzc, hp, r[t], r[t]), dzr))
            carry_c = NET["W_ch"] * dzc * r[t]
            grads["W_ch"] += dzc * r[t] * hp
        carry = dh * keep + carry_c + NET["W_uh"] * dzu + NET["W_rh"] * dzr
        for k, v in (("W_uh", dzu * hp), ("W_ux", dzu * X[t]), ("b_u", dzu),
                     ("W_rh", dzr * hp), ("W_rx", dzr * X[t]), ("b_r", dzr),
                     ("W_cx", dzc * X[t]), ("b_c", dzc)):
            grads[k] += v
    grads["h_init"] = carry
    return lines, grads


def gru_forward_by_hand(convention, mode="none", b_hn=0.0, S=mit_symbol, first=0,
                        pre=True, a="z"):
    """The forward lines of the same two steps (t, symbol, equation, formula, operands, value,
    note) under the file's `round`; `pre=False`: the pre-activations' equations, formulas and
    operands are the notation's own and left out (None)."""
    p = NET

    def rnd(v, tag=None):
        if isinstance(mode, int):
            return float(np.round(v, mode)) + 0.0
        if mode == "state" and tag == "state" or mode == "activations" and tag == "act":
            return float(np.round(v, 0)) + 0.0
        return v

    lines, h = [], p["h_init"]

    def line(t, sym, eq, sub, ops, value, note="", tag=None):
        value = rnd(value, tag)
        lines.append((t + first, sym, eq, sub, ops, value, note))
        return value

    for t in range(2):
        x, hs = X[t], S("h", t - 1)
        word = (lambda w: w if t == 0 else "")
        z = line(t, f"{a}^{S('u', t)}", *((f"W_uh·{hs} + W_ux·x_{t} + b_u", "{}·{} + {}·{} + {}",
                                         (p["W_uh"], h, p["W_ux"], x, p["b_u"])) if pre
                                        else (None, None, None)),
                 p["W_uh"] * h + p["W_ux"] * x + p["b_u"])
        u = line(t, S("u", t), f"σ({a}^{S('u', t)})", "σ({})", (z,), sig(z), word("update gate"),
                 "act")
        z = line(t, f"{a}^{S('r', t)}", *((f"W_rh·{hs} + W_rx·x_{t} + b_r", "{}·{} + {}·{} + {}",
                                         (p["W_rh"], h, p["W_rx"], x, p["b_r"])) if pre
                                        else (None, None, None)),
                 p["W_rh"] * h + p["W_rx"] * x + p["b_r"])
        r = line(t, S("r", t), f"σ({a}^{S('r', t)})", "σ({})", (z,), sig(z), word("reset gate"),
                 "act")
        if convention == "pytorch":
            value = p["W_cx"] * x + p["b_c"] + r * (p["W_ch"] * h + b_hn)
            eq = (f"W_cx·x_{t} + b_c + {S('r', t)}⊙(W_ch·{hs})", "{}·{} + {} + {}⊙({}·{})",
                  (p["W_cx"], x, p["b_c"], r, p["W_ch"], h))
        else:
            value = p["W_ch"] * (r * h) + p["W_cx"] * x + p["b_c"]
            eq = (f"W_ch·({S('r', t)}⊙{hs}) + W_cx·x_{t} + b_c", "{}·{} + {}·{} + {}",
                  (p["W_ch"], r * h, p["W_cx"], x, p["b_c"]))
        z = line(t, f"{a}^{S('c', t)}", *(eq if pre else (None, None, None)), value)
        c = line(t, S("c", t), f"tanh({a}^{S('c', t)})", "tanh({})", (z,), math.tanh(z),
                 word("candidate"), "act")
        u_s, c_s = S("u", t), S("c", t)
        if convention == "ng":
            h = line(t, S("h", t), f"{u_s}⊙{c_s} + (1 - {u_s})⊙{hs}", "{}·{} + (1 - {})·{}",
                     (u, c, u, h), u * c + (1 - u) * h, tag="state")
        else:
            h = line(t, S("h", t), f"(1 - {u_s})⊙{c_s} + {u_s}⊙{hs}", "(1 - {})·{} + {}·{}",
                     (u, c, u, h), (1 - u) * c + u * h, tag="state")
    return lines


def assert_forward(r, lines):
    got = [s for s in r.steps if s.phase == "forward"]
    assert [(s.t, s.symbol, s.note) for s in got] == [(t, sym, note) for t, sym, *_, note in lines]
    for s, (_, _, eq, sub, ops, value, _) in zip(got, lines):
        assert flat(s.value) == pytest.approx(value, rel=1e-12, abs=1e-15), s.symbol
        if eq is not None:
            assert (s.equation, s.formula) == (eq, sub)
            assert [flat(a) for a in s.operands] == pytest.approx(ops, rel=1e-12), s.symbol


@pytest.mark.parametrize("mode", ["none", "state", "activations", 2])
@pytest.mark.parametrize("convention", ["ng", "pytorch"])
def test_the_grus_forward_working_line_by_line(convention, mode):
    doc = {**mit_doc(convention), "round": mode}
    assert_forward(rnnquiz.solve(doc), gru_forward_by_hand(convention, mode))


def backward_lines(r):
    return [s for s in r.steps if s.phase == "backward"]


def assert_lines(got, lines):
    assert [(s.t, s.symbol, s.equation, s.formula) for s in got] == [line[:4] for line in lines]
    for s, (*_, operands, value) in zip(got, lines):
        assert [flat(a) for a in s.operands] == pytest.approx(operands, rel=1e-12), s.symbol
        assert flat(s.value) == pytest.approx(value, rel=1e-12), s.symbol


def mit_doc(convention, quantity="dE/dh_init"):
    doc = {"type": "backprop", "cell": "gru", "round": "none", "network": NET, "inputs": X,
           "upstream": {"h": UP}, "ask": {"quantity": quantity}}
    if convention != "ng":
        doc["convention"] = convention
    return doc


@pytest.mark.parametrize("convention", ["ng", "pytorch"])
def test_the_grus_backward_working_line_by_line(convention):
    lines, _ = gru_by_hand(convention)
    assert_lines(backward_lines(rnnquiz.solve(mit_doc(convention))), lines)


@pytest.mark.parametrize("steps", [True, False], ids=["working", "scan"])
@pytest.mark.parametrize("convention", ["ng", "pytorch"])
def test_the_grus_gradients_by_hand(convention, steps):
    _, grads = gru_by_hand(convention)
    for key in ("W_uh", "W_ux", "b_u", "W_rh", "W_rx", "b_r", "W_ch", "W_cx", "b_c", "h_init"):
        got = rnnquiz.solve(mit_doc(convention, f"dE/d{key}"), steps=steps).answer
        assert flat(got) == pytest.approx(grads[key], rel=1e-12), key


# d2l: the candidate resets before W_hh (as ng), the blend keeps the state where Z is 1; its
# steps count from 1, its keys are its own (row layout: X W_xz + H W_hz + b_z)
D2L = {"W_hz": [[0.5]], "W_xz": [[1.0]], "b_z": [-0.2], "W_hr": [[-0.7]], "W_xr": [[0.4]],
       "b_r": [0.3], "W_hh": [[-0.8]], "W_xh": [[0.6]], "b_h": [0.1], "h_init": [0.3]}


def d2l_symbol(q, t):
    return f"{ {'h': 'H', 'u': 'Z', 'r': 'R', 'c': 'H̃'}[q]}_{t + 1}"


def test_d2ls_gru_backward_working_line_by_line():
    lines, grads = gru_by_hand("d2l", S=d2l_symbol, first=1, W="W_hh", row=True)
    doc = {"type": "backprop", "cell": "gru", "notation": "d2l", "round": "none",
           "network": D2L, "inputs": [[1.0], [-2.0]], "upstream": {"h": [[0.5], [-1.0]]},
           "ask": {"quantity": "dE/dh_init"}}
    r = rnnquiz.solve(doc)
    assert_forward(r, gru_forward_by_hand("d2l", S=d2l_symbol, first=1, pre=False))
    got = backward_lines(r)
    assert [s.t for s in got] == [2, 2, 2, 2, 1, 1, 1, 1]
    assert_lines(got, lines)
    assert flat(r.answer) == pytest.approx(grads["h_init"], rel=1e-12)
    for file_key, key in (("W_hh", "W_ch"), ("W_hr", "W_rh"), ("b_z", "b_u")):
        got = rnnquiz.solve({**doc, "ask": {"quantity": f"dE/d{file_key}"}}).answer
        assert flat(got) == pytest.approx(grads[key], rel=1e-12), file_key


def pytorch_symbol(q, t):
    return mit_symbol({"u": "z", "c": "n"}.get(q, q), t)


def test_pytorchs_gru_backward_working_with_its_hidden_bias():
    # torch.nn.GRU's blocks are r, z, n; b_hn = bias_hh's third block stays inside r ⊙ (...)
    b_hn = 0.25
    net = {"weight_ih": [[NET["W_rx"]], [NET["W_ux"]], [NET["W_cx"]]],
           "weight_hh": [[NET["W_rh"]], [NET["W_uh"]], [NET["W_ch"]]],
           "bias_ih": [NET["b_r"], NET["b_u"], NET["b_c"]], "bias_hh": [0.0, 0.0, b_hn],
           "h_init": [NET["h_init"]]}
    lines, grads = gru_by_hand("pytorch", b_hn=b_hn, S=pytorch_symbol, W="W_hn", a="a",
                               b="b_hn")
    r = rnnquiz.solve({"type": "backprop", "cell": "gru", "notation": "pytorch",
                       "round": "none", "network": net, "inputs": [[1.0], [-2.0]],
                       "upstream": {"h": [[0.5], [-1.0]]}, "ask": {"quantity": "dE/dbias_hh"}})
    assert_lines(backward_lines(r), lines)
    assert_forward(r, gru_forward_by_hand("pytorch", b_hn=b_hn, S=pytorch_symbol, pre=False,
                                          a="a"))
    # bias_hh's blocks: r and z as bias_ih's, n the gradient of b_hn
    np.testing.assert_allclose(r.answer, [grads["b_r"], grads["b_u"], grads["b_hn"]],
                               rtol=1e-12)


# ---------------------------------------------------------------- vectors, against autograd

def torch_gru(convention, P, X, UP, gate="logistic"):
    """dE/dz of every gate and dE/dh_t (all paths) with E = Σ_t UP_t · h_t, by autograd,
    from canonical column-layout parameters."""
    torch = pytest.importorskip("torch")
    T = {k: torch.tensor(np.asarray(v, dtype=float), requires_grad=True) for k, v in P.items()}
    h, E, keep = T["h_init"], 0.0, {}
    for t, x in enumerate(torch.tensor(np.asarray(X, dtype=float))):
        z, h = gru_step(torch, T, x, h, convention, gate)
        for name, v in (*z.items(), ("h", h)):
            v.retain_grad()
            keep[name, t] = v
        E = E + (torch.tensor(np.asarray(UP[t], dtype=float)) * h).sum()
    E.backward()
    return {k: v.grad.numpy() for k, v in keep.items()}, \
        {k: v.grad.numpy() for k, v in T.items() if v.grad is not None}


def random_canonical(rng, n_h=2, n_x=3):
    P = {}
    for g in "urc":
        P[f"W_{g}h"] = rng.normal(0, 0.8, (n_h, n_h))
        P[f"W_{g}x"] = rng.normal(0, 0.8, (n_h, n_x))
        P[f"b_{g}"] = rng.normal(0, 0.5, n_h)
    P["b_hn"], P["h_init"] = rng.normal(0, 0.5, n_h), rng.normal(0, 0.5, n_h)
    return P


VECTOR_CASES = [("mit", "ng"), ("mit", "pytorch"), ("d2l", "d2l"), ("pytorch", "pytorch")]


def in_notation(notation, P):
    """The canonical parameters written in a course's keys (the layout done here by hand)."""
    if notation == "mit":
        return {k: v.tolist() for k, v in P.items() if k != "b_hn"}
    if notation == "d2l":                     # row layout: X W_x· + H W_h· + b_·
        out = {}
        for g, d in (("u", "z"), ("r", "r"), ("c", "h")):
            out[f"W_h{d}"], out[f"W_x{d}"] = P[f"W_{g}h"].T.tolist(), P[f"W_{g}x"].T.tolist()
            out[f"b_{d}"] = P[f"b_{g}"].tolist()
        out["h_init"] = P["h_init"].tolist()
        return out
    zero = np.zeros_like(P["b_u"])            # PyTorch: blocks r, z, n
    return {"weight_ih": np.vstack([P["W_rx"], P["W_ux"], P["W_cx"]]).tolist(),
            "weight_hh": np.vstack([P["W_rh"], P["W_uh"], P["W_ch"]]).tolist(),
            "bias_ih": np.concatenate([P["b_r"], P["b_u"], P["b_c"]]).tolist(),
            "bias_hh": np.concatenate([zero, zero, P["b_hn"]]).tolist(),
            "h_init": P["h_init"].tolist()}


SYMBOLS = {"mit": ("u", "r", "c", "h", 0), "d2l": ("Z", "R", "H̃", "H", 1),
           "pytorch": ("z", "r", "n", "h", 0)}


@pytest.mark.parametrize("notation, convention", VECTOR_CASES)
def test_the_working_deltas_of_a_vector_gru_against_autograd(notation, convention):
    rng = np.random.default_rng(1600)
    P = random_canonical(rng)
    if notation == "mit":
        P["b_hn"] = np.zeros(2)
    Xs, UPs = rng.normal(0, 1, (3, 3)), rng.normal(0, 1, (3, 2))
    deltas, grads = torch_gru(convention, P, Xs, UPs)
    doc = {"type": "backprop", "cell": "gru", "notation": notation, "round": "none",
           "network": in_notation(notation, P), "inputs": Xs.tolist(),
           "upstream": {"h": UPs.tolist()}, "ask": {"quantity": "dE/dh_init"}}
    if notation == "mit" and convention != "ng":
        doc["convention"] = convention
    r = rnnquiz.solve(doc)
    u, rr, c, h, first = SYMBOLS[notation]
    a = "a" if notation == "pytorch" else "z"       # PyTorch's z is a gate
    lines = {(s.symbol, s.t): s for s in backward_lines(r)}
    assert len(lines) == 4 * 3
    for t in range(3):
        n = t + first
        for name, sym in (("u", f"dE/d{a}^{u}_{n}"), ("r", f"dE/d{a}^{rr}_{n}"),
                          ("c", f"dE/d{a}^{c}_{n}"), ("h", f"dE/d{h}_{n}")):
            np.testing.assert_allclose(np.asarray(lines[sym, n].value, dtype=float),
                                       deltas[name, t], rtol=1e-10, atol=1e-13, err_msg=sym)
    np.testing.assert_allclose(np.asarray(r.answer, dtype=float), grads["h_init"], rtol=1e-10)
    for steps in (True, False):
        W = "W_hh" if notation == "d2l" else "weight_hh" if notation == "pytorch" else "W_ch"
        got = np.asarray(rnnquiz.solve({**doc, "ask": {"quantity": f"dE/d{W}"}},
                                       steps=steps).answer, dtype=float)
        want = {"mit": grads["W_ch"], "d2l": grads["W_ch"].T,
                "pytorch": np.vstack([grads["W_rh"], grads["W_uh"], grads["W_ch"]])}[notation]
        np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-13, err_msg=W)


@pytest.mark.parametrize("gate", ["logistic", "hard_sigmoid"])
@pytest.mark.parametrize("steps", [True, False], ids=["working", "scan"])
@pytest.mark.parametrize("notation, convention", VECTOR_CASES)
def test_a_batch_of_four_examples_against_autograd(notation, convention, steps, gate):
    # four examples of two units: the example axis is not the units' axis
    rng = np.random.default_rng(1604)
    P = random_canonical(rng)
    if notation == "mit":
        P["b_hn"] = np.zeros(2)
    Xs, UPs = rng.normal(0, 1, (4, 3, 3)), rng.normal(0, 1, (4, 3, 2))
    want = {}
    for X_n, UP_n in zip(Xs, UPs):
        for k, v in torch_gru(convention, P, X_n, UP_n, gate)[1].items():
            want[k] = want.get(k, 0) + v
    doc = {"type": "backprop", "cell": "gru", "notation": notation, "round": "none",
           "batch": True, "network": in_notation(notation, P), "inputs": Xs.tolist(),
           "upstream": {"h": UPs.tolist()}, "ask": {"quantity": "dE/dh_init"}}
    if gate != "logistic":
        doc["network"]["gate_activation"] = gate
    if notation == "mit" and convention != "ng":
        doc["convention"] = convention
    r = rnnquiz.solve(doc, steps=steps)
    np.testing.assert_allclose(np.asarray(r.values["dE/dh_init"], dtype=float),
                               want["h_init"], rtol=1e-10, atol=1e-13)
    W = {"mit": ("W_uh", want["W_uh"]), "d2l": ("W_hz", want["W_uh"].T),
         "pytorch": ("weight_hh", np.vstack([want["W_rh"], want["W_uh"], want["W_ch"]]))}
    key, value = W[notation]
    np.testing.assert_allclose(np.asarray(r.values[f"dE/d{key}"], dtype=float), value,
                               rtol=1e-10, atol=1e-13, err_msg=key)


@pytest.mark.parametrize("words", [{}, {"gate_activation": "hard_sigmoid",
                                        "candidate_activation": "logistic"}])
@pytest.mark.parametrize("notation, convention", VECTOR_CASES)
def test_the_state_jacobian_against_autograd(notation, convention, words):
    """dh_t/dh_{t-1} of one step, by torch.autograd.functional.jacobian."""
    torch = pytest.importorskip("torch")
    from rnnquiz.cells import cell_for
    from rnnquiz.cells.base import Ctx
    from rnnquiz.cells.run import canonical, initial
    from rnnquiz.types import from_dict
    from rnnquiz.trace import Work
    rng = np.random.default_rng(1606)
    P = random_canonical(rng, n_h=3, n_x=2)
    if notation == "mit":
        P["b_hn"] = np.zeros(3)
    x = rng.normal(0, 1, 2)
    doc = {"type": "gru", "notation": notation, "round": "none",
           "network": {**in_notation(notation, P), **words}, "inputs": [x.tolist()],
           "ask": {"quantity": "h", "t": SYMBOLS[notation][4]}}
    if notation == "mit" and convention != "ng":
        doc["convention"] = convention
    p = from_dict(doc)
    cell = cell_for("gru")
    ctx = Ctx(work=Work(record=False), notation=p.network.notation, params=p.network.params,
              words=p.network.words, convention=p.convention)
    _, cache = cell.step(canonical(p), p.inputs[0], initial(p), 0, ctx)
    J = cell.jacobian(canonical(p), cache)

    T = {k: torch.tensor(v) for k, v in P.items()}
    xt = torch.tensor(x)
    gate = words.get("gate_activation", "logistic")
    cand = "logistic" if words.get("candidate_activation") == "logistic" else "tanh"

    def step(h):
        return gru_step(torch, T, xt, h, convention, gate, cand)[1]

    want = torch.autograd.functional.jacobian(step, T["h_init"])
    np.testing.assert_allclose(J, want.numpy(), rtol=1e-10, atol=1e-13)
