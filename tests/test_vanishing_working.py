"""`vanishing` through stacks and both directions, and the line that says why the per-step
norms and the product disagree (rnnquiz/types/vanishing/). The factors and their
products are worked in numpy here; the texts are what a student reads.

`vanishing` (rnnquiz/types/vanishing/), the whole module: steps numbered from 1, the
spectral norm of Jacobians above 64 units, the compensated sum of the logs, values beyond
float64 written as text, the tolerance's edge, and `verdict` given factors directly. Every
expected value is worked here: numpy's SVD, exact rational products, plain math."""

from __future__ import annotations

import numpy as np
import pytest

import rnnquiz
from conftest import random_network
import math
from rnnquiz.types import from_dict
from rnnquiz.types.vanishing.product import e_to
from rnnquiz.types.vanishing.verdict import verdict
from rnnquiz.trace import Work


def scalar_chain(W_xh, W_hh, xs, backward=False):
    """h_t = tanh(W_xh x_t + W_hh h_{t∓1}) from 0; the factors |W_hh (1 - h_t²)| between
    consecutive states, in the order the gradient flows back."""
    hs, h = {}, 0.0
    order = range(len(xs) - 1, -1, -1) if backward else range(len(xs))
    for t in order:
        h = np.tanh(W_xh * xs[t] + W_hh * h)
        hs[t] = h
    later = list(order)[1:]
    return [abs(W_hh * (1 - hs[t] ** 2)) for t in later]


def geo(fs):
    return float(np.prod(fs) ** (1 / len(fs)))


XS = [0.1, -0.2, 0.3, 0.1]
TWO = {"type": "vanishing", "inputs": XS,
       "network": [{"hidden": "tanh", "W_xh": 0.5, "W_hh": 0.3},
                   {"hidden": "tanh", "W_xh": 0.8, "W_hh": 1.5}]}


def test_a_stack_names_every_layers_g_and_the_fastest():
    g1 = geo(scalar_chain(0.5, 0.3, XS))
    a = [0.0]
    for x in XS:
        a.append(np.tanh(0.5 * x + 0.3 * a[-1]))
    g2 = geo(scalar_chain(0.8, 1.5, a[1:]))
    r = rnnquiz.solve(TWO)
    assert r.answer == "exploding" and r.extra["geometric_mean"] == pytest.approx(g2, rel=1e-12)
    assert r.notes == [f"g of each layer and direction: layer 1 {g1:.6g}, layer 2 {g2:.6g}; "
                       "the verdict is layer 2's, the fastest: the stack's product grows at "
                       "its rate"]
    factors = [s for s in r.steps if s.phase == "factor"]
    assert [s.symbol for s in factors] == ["Π dh^(2)_1/dh^(2)_0", "Π dh^(2)_2/dh^(2)_0",
                                           "Π dh^(2)_3/dh^(2)_0"]
    assert factors[1].equation == "dh^(2)_2/dh^(2)_1·dh^(2)_1/dh^(2)_0"
    bound = [s for s in r.steps if s.symbol == "bound"]
    assert len(bound) == 1 and bound[0].value == 1.5 and bound[0].equation == "|W_hh|"


def test_the_bound_is_the_fastest_layers_own_even_below_the_top():
    """Layers swapped: layer 1 (W_hh 1.5) is the fastest, layer 2 (0.3) the top."""
    doc = {"type": "vanishing", "inputs": XS,
           "network": [{"hidden": "tanh", "W_xh": 0.8, "W_hh": 1.5},
                       {"hidden": "tanh", "W_xh": 0.5, "W_hh": 0.3}]}
    r = rnnquiz.solve(doc)
    assert r.answer == "exploding"
    assert r.extra["geometric_mean"] == pytest.approx(geo(scalar_chain(0.8, 1.5, XS)),
                                                      rel=1e-12)
    (bound,) = [s for s in r.steps if s.symbol == "bound"]
    assert bound.value == 1.5 and not bound.note.endswith("the gradient must vanish")
    assert r.notes[0].endswith("; the verdict is layer 1's, the fastest: the stack's product "
                               "grows at its rate")


def test_one_layer_of_a_stack_asked_gives_no_list_and_its_own_bound():
    r = rnnquiz.solve({**TWO, "ask": {"quantity": "verdict", "layer": 1}})
    assert r.answer == "vanishing"
    assert r.extra["geometric_mean"] == pytest.approx(geo(scalar_chain(0.5, 0.3, XS)), rel=1e-12)
    assert r.notes == []
    (bound,) = [s for s in r.steps if s.symbol == "bound"]
    assert bound.value == 0.3
    assert bound.note.endswith(": below 1, the gradient must vanish")
    assert [s.symbol for s in r.steps if s.phase == "factor"][0] == "Π dh^(1)_1/dh^(1)_0"


def test_both_directions_are_listed_and_the_fastest_named():
    doc = {"type": "vanishing", "bidirectional": True, "inputs": XS,
           "network": [{"forward": {"hidden": "tanh", "W_xh": 0.5, "W_hh": 0.3},
                        "backward": {"hidden": "tanh", "W_xh": 0.8, "W_hh": 1.5}}]}
    gf = geo(scalar_chain(0.5, 0.3, XS))
    gb = geo(scalar_chain(0.8, 1.5, XS, backward=True))
    r = rnnquiz.solve(doc)
    assert r.answer == "exploding" and r.extra["geometric_mean"] == pytest.approx(gb, rel=1e-12)
    assert r.notes == [f"g of each layer and direction: layer 1 forward {gf:.6g}, layer 1 "
                       f"backward {gb:.6g}; the verdict is layer 1's (backward), the fastest: "
                       "the stack's product grows at its rate"]
    assert [s.symbol for s in r.steps if s.phase == "factor"] == [
        "Π dh^(←)_2/dh^(←)_3", "Π dh^(←)_1/dh^(←)_3", "Π dh^(←)_0/dh^(←)_3"]
    one = rnnquiz.solve({**doc, "ask": {"quantity": "verdict", "direction": "forward"}})
    assert one.answer == "vanishing" and one.notes == []
    assert one.extra["geometric_mean"] == pytest.approx(gf, rel=1e-12)


@pytest.mark.parametrize("notation, first, layers", [("mit", 0, 1), ("deeplearning_ai", 1, 1),
                                                      ("mit", 0, 2)])
def test_an_lstm_stack_names_its_joint_state_jacobians(notation, first, layers):
    """An LSTM's state is (h, c): its factors are d(h_t, c_t)/d(h_{t-1}, c_{t-1}), written
    as the one-layer LSTM writes them (plain h and c), and marked with the layer in a stack."""
    rng = np.random.default_rng(3)
    net = [random_network(rng, "lstm", notation, 1, 1, False) for _ in range(layers)]
    doc = {"type": "vanishing", "cell": "lstm", "notation": notation, "network": net,
           "inputs": [0.5, -1, 2]}
    if layers == 2:
        doc["ask"] = {"quantity": "verdict", "layer": 2}
    r = rnnquiz.solve(doc)
    m = "^(2)" if layers == 2 else ""
    a, b, c = first, first + 1, first + 2
    assert [s.symbol for s in r.steps if s.phase == "factor"] == [
        f"‖d(h{m}_{b}, c{m}_{b})/d(h{m}_{a}, c{m}_{a})‖",
        f"‖d(h{m}_{b}, c{m}_{b})/d(h{m}_{a}, c{m}_{a})‖",
        f"‖d(h{m}_{c}, c{m}_{c})/d(h{m}_{b}, c{m}_{b})‖",
        f"‖d(h{m}_{c}, c{m}_{c})/d(h{m}_{a}, c{m}_{a})‖"]
    assert not any(s.symbol == "bound" for s in r.steps)


# ---------------------------------------------------------------- why g and g_step differ

def rnn_rates(W_hh, W_xh, b_h, xs):
    """g and g_step of a tanh RNN from numpy: J_t = W_hh diag(1 - h_t²), t = 0 ... T-2."""
    W_hh, W_xh, b_h = (np.asarray(v, dtype=float) for v in (W_hh, W_xh, b_h))
    h, Js = np.zeros(len(b_h)), []
    for x in xs:
        h = np.tanh(W_xh @ np.atleast_1d(x) + W_hh @ h + b_h)
        Js.append(W_hh * (1 - h ** 2)[None, :])
    Js = Js[:-1]
    prod = np.eye(len(b_h))
    for J in Js:
        prod = J @ prod
    n = len(Js)
    g = np.linalg.norm(prod, 2) ** (1 / n)
    g_step = np.prod([np.linalg.norm(J, 2) for J in Js]) ** (1 / n)
    return g, g_step


@pytest.mark.parametrize("delta, normal", [(0.0, True), (1e-12, True), (1.25e-12, False),
                                           (1e-7, False)])
def test_why_names_w_hh_normal_or_not_with_its_spectral_radius(delta, normal):
    """W_hh = [[0, 1.2 + δ], [1.2, 0]]: unit 2 saturated, unit 1 not, so each factor has norm
    1.2 but every two steps the product loses the saturated slope: g < 1 < g_step.
    W Wᵀ - Wᵀ W = diag(2.4δ, -2.4δ); W is taken as normal when that is within 1e-12 of
    ‖W‖² = 1.44 (plus 1e-12 of the entry, 1.44): 2.88e-12. δ = 1e-12 gives 2.4e-12, normal;
    δ = 1.25e-12 gives 3.0e-12, not normal, as δ = 1e-7 (2.4e-7) is not."""
    W = [[0.0, 1.2 + delta], [1.2, 0.0]]
    xs = [1.0] * 12
    doc = {"type": "vanishing", "inputs": xs,
           "network": {"W_xh": [[0], [5]], "W_hh": W, "b_h": [-1.2, 0], "hidden": "tanh"}}
    g, g_step = rnn_rates(W, [[0], [5]], [-1.2, 0], xs)
    assert g < 0.99 and g_step > 1.01
    r = rnnquiz.solve(doc)
    assert r.answer == "vanishing" and r.extra["geometric_mean"] == pytest.approx(g, rel=1e-9)
    (why,) = [s for s in r.steps if s.symbol == "why they differ"]
    rho = np.sqrt(1.2 * (1.2 + delta))
    assert why.value == "vanishing"
    assert why.note == (
        "the per-step norms bound the product (‖AB‖ ≤ ‖A‖‖B‖) but do not decide it: "
        f"g = {g:.4g} < g_step = {g_step:.4g}; W_hh is "
        f"{'normal' if normal else 'not normal (W Wᵀ ≠ Wᵀ W)'}: its powers shrink or grow "
        f"like ρ(W_hh)^n = {rho:.4g}^n, not like ‖W_hh‖^n = {1.2 + delta:.4g}^n")


def test_why_for_a_gated_cell_blames_the_jacobians():
    """An LSTM whose per-step norms say exploding and whose product says vanishing: the
    factors are the cell's own Jacobians, no W_hh alone to blame."""
    rng = np.random.default_rng(4)
    doc = {"type": "vanishing", "cell": "lstm",
           "network": random_network(rng, "lstm", "mit", 1, 2, False),
           "inputs": rng.normal(size=(4, 1)).tolist()}
    r = rnnquiz.solve(doc)
    g, g_step = r.extra["geometric_mean"], r.extra["per_step_geometric_mean"]
    assert g < 0.99 and g_step > 1.01
    (why,) = [s for s in r.steps if s.symbol == "why they differ"]
    assert why.note == (
        "the per-step norms bound the product (‖AB‖ ≤ ‖A‖‖B‖) but do not decide it: "
        f"g = {g:.4g} < g_step = {g_step:.4g}; the Jacobians are not normal, or their "
        "directions do not line up")


# ---------------------------------------------------------------- a simple RNN's factors

def sig(z):
    return 1 / (1 + np.exp(-z))


def rows(r, phases=("factor", "verdict")):
    return [(s.t, s.symbol, s.value, s.equation, s.formula, s.operands, s.note)
            for s in r.steps if s.phase in phases]


def test_a_logistic_scalar_rnn_writes_each_slope_factor_and_product():
    """Hinton's problem 5 form: z_t = 0.5 x_t + 2 h_{t-1}, h = σ(z); factor 2·σ'(z_t)."""
    xs = [1.0, 0.5, -1.0]
    r = rnnquiz.solve({"type": "vanishing", "inputs": xs,
                       "network": {"W_xh": 0.5, "W_hh": 2.0, "hidden": "logistic"}})
    h, hs = 0.0, []
    for x in xs:
        h = sig(0.5 * x + 2 * h)
        hs.append(h)
    s = [v * (1 - v) for v in hs]
    f = [2 * s[0], 2 * s[1]]
    got = rows(r)
    run = "the running product: the factor by which a gradient at step 1 reaches step 0"
    expect = [
        (0, "σ'(z_0)", s[0], "σ(z_0)(1 - σ(z_0))", "{}·(1 - {})", (hs[0], hs[0]), ""),
        (0, "dz_1/dz_0", f[0], "W_hh·σ'(z_0)", "{}·{}", (2.0, s[0]), ""),
        (0, "Π dz_1/dz_0", f[0], "dz_1/dz_0", "", (), run),
        (1, "σ'(z_1)", s[1], "σ(z_1)(1 - σ(z_1))", "{}·(1 - {})", (hs[1], hs[1]), ""),
        (1, "dz_2/dz_1", f[1], "W_hh·σ'(z_1)", "{}·{}", (2.0, s[1]), ""),
        (1, "Π dz_2/dz_0", f[0] * f[1], "dz_2/dz_1·dz_1/dz_0", "{}·{}", (f[1], f[0]), ""),
        (None, "bound", 0.5, "|W_hh|/4", "{}/4", (2.0,),
         "σ'(z) = σ(z)(1 - σ(z)) ≤ 1/4, so no factor exceeds |W_hh|/4 (Hinton's hint for "
         "problem 5): below 1, the gradient must vanish"),
        (None, "g", np.sqrt(f[0] * f[1]), "(|dz_1/dz_0|·|dz_2/dz_1|)^(1/2)", "", (),
         "the geometric mean of |factors| from step 0 to step 2; |g - 1| > tolerance 0.01: "
         "vanishing")]
    assert len(got) == len(expect)
    for g, e in zip(got, expect):
        assert (g[0], g[1], g[3], g[4], g[6]) == (e[0], e[1], e[3], e[4], e[6])
        assert g[2] == pytest.approx(e[2], rel=1e-12)
        assert g[5] == pytest.approx(e[5], rel=1e-12)
    assert r.values["factors"] == pytest.approx(f, rel=1e-12)
    assert r.values["product"] == pytest.approx([f[0], f[0] * f[1]], rel=1e-12)


def test_a_vector_rnn_writes_its_jacobians_their_norms_and_the_product():
    W = np.array([[0.5, 0.2], [0.1, 0.3]])
    Wx = np.array([[0.5], [1.0]])
    xs = [1.0, 0.5, -1.0]
    r = rnnquiz.solve({"type": "vanishing", "inputs": xs,
                       "network": {"W_xh": Wx.tolist(), "W_hh": W.tolist(), "hidden": "tanh"}})
    h, hs = np.zeros(2), []
    for x in xs:
        h = np.tanh(Wx[:, 0] * x + W @ h)
        hs.append(h)
    J = [W * (1 - hs[t] ** 2)[None, :] for t in range(2)]
    n = [np.linalg.norm(j, 2) for j in J]
    prod = np.linalg.norm(J[1] @ J[0], 2)
    got = rows(r)
    assert [g[1] for g in got] == ["tanh'(z_0)", "dz_1/dz_0", "‖dz_1/dz_0‖", "‖dz_1/dz_0‖",
                                   "tanh'(z_1)", "dz_2/dz_1", "‖dz_2/dz_1‖", "‖dz_2/dz_0‖",
                                   "g_step", "bound", "g"]
    slope, jac = got[0], got[1]
    assert slope[3:5] == ("1 - tanh(z_0)²", "1 - {}²")
    np.testing.assert_allclose(slope[2], 1 - hs[0] ** 2, rtol=1e-12)
    np.testing.assert_allclose(slope[5][0], hs[0], rtol=1e-12)
    assert jac[3:7] == ("W_hh·diag(tanh'(z_0))", "", (), "the Jacobian")
    np.testing.assert_allclose(jac[2], J[0], rtol=1e-12)
    assert got[2][3] == "‖dz_1/dz_0‖₂" and got[2][6] == "the spectral norm of the factor"
    assert got[2][2] == pytest.approx(n[0], rel=1e-12)
    assert got[7][2] == pytest.approx(prod, rel=1e-12)
    assert got[7][3:7] == ("‖dz_2/dz_1·dz_1/dz_0‖₂", "", (), "")
    g_step, bound, g = got[8:]
    assert g_step[2] == pytest.approx(np.sqrt(n[0] * n[1]), rel=1e-12)
    assert g_step[3] == "(‖dz_1/dz_0‖·‖dz_2/dz_1‖)^(1/2)"
    assert g_step[6] == ("the geometric mean of the per-step norms from step 0 to step 2: an "
                         "upper bound of g; alone it would say vanishing")
    assert bound[2:6] == (pytest.approx(np.linalg.norm(W, 2), rel=1e-12), "‖W_hh‖", "", ())
    assert bound[6] == ("tanh'(z) = 1 - tanh(z)² ≤ 1, so no factor exceeds ‖W_hh‖: below 1, "
                        "the gradient must vanish")
    assert g[2] == pytest.approx(np.sqrt(prod), rel=1e-12) and g[3] == "‖dz_2/dz_0‖₂^(1/2)"
    assert g[6] == ("the n-th root of the product's norm, from step 0 to step 2; |g - 1| > "
                    "tolerance 0.01: vanishing")


@pytest.mark.parametrize("hidden, eq, sub, bound", [
    ("hard_sigmoid", "|W_hh|·0.2", "{}·0.2", 0.4), ("step", "|W_hh|·0", "{}·0", 0.0),
    ("relu", "|W_hh|", "", 2.0), ("linear", "|W_hh|", "", 2.0)])
def test_the_bound_of_each_hidden_unit(hidden, eq, sub, bound):
    r = rnnquiz.solve({"type": "vanishing", "inputs": [1.0, 0.5, -1.0],
                       "network": {"W_xh": 0.5, "W_hh": 2.0, "hidden": hidden}})
    (b,) = [s for s in r.steps if s.symbol == "bound"]
    assert (b.value, b.equation, b.formula) == (bound, eq, sub)
    assert b.operands == ((2.0,) if sub else ())
    if hidden == "linear":
        assert b.note == "the identity: hidden'(z) = 1, so every factor is W_hh itself"
    else:
        assert b.note.endswith(f"so no factor exceeds {eq}" + (
            ": below 1, the gradient must vanish" if bound < 1 else ""))


def test_a_jordan_network_bound_is_not_claimed_from_w_hh_alone():
    """Output fed back: each factor is (W_hh + W_yh·output'(u_t)·W_hy)·hidden'(z_t) =
    (0 + 4·1·0.5)·1 = 2: exploding. W_hh = 0 bounds nothing here."""
    doc = {"type": "vanishing", "inputs": [1, 0, 0],
           "network": {"hidden": "linear", "W_xh": 1, "W_yh": 4, "W_hy": 0.5}}
    r = rnnquiz.solve(doc)
    assert r.answer == "exploding" and r.values["g"] == pytest.approx(2.0, rel=1e-12)
    assert not [s for s in r.steps if s.symbol == "bound"]


def test_a_fed_back_output_or_constant_names_its_path_in_each_factor():
    doc = {"type": "vanishing", "inputs": [1, 0, 0],
           "network": {"hidden": "linear", "W_xh": 1, "W_yh": 4, "W_hy": 0.5}}
    r = rnnquiz.solve(doc)
    f = [s for s in r.steps if s.symbol == "dz_1/dz_0"][0]
    assert f.equation == "(W_hh + W_yh·output'(u_0)·W_hy)·linear'(z_0)"
    assert f.note == "through both paths: the state h_0, and the output y_0 fed back"
    assert f.operands == (2.0, 1.0) and f.value == 2.0
    for mode, what in (("argmax", "one-hot"), ("target", "target")):
        extra = {"targets": [1, 0, 0]} if mode == "target" else {}
        r = rnnquiz.solve({**doc, "feedback": mode, **extra})
        f = [s for s in r.steps if s.symbol == "dz_1/dz_0"][0]
        assert f.equation == "W_hh·linear'(z_0)" and f.value == 0.0
        assert f.note == (f"the fed-back {what} is a constant: no gradient flows through it, "
                          "only through W_hh")
        assert r.answer == "vanishing" and r.values["g"] == 0.0


@pytest.mark.parametrize("H", [10, 11])
def test_jacobians_of_more_than_100_entries_are_named_not_written(H):
    rng = np.random.default_rng(5)
    W = rng.normal(0, 0.2, (H, H))
    r = rnnquiz.solve({"type": "vanishing", "inputs": [[1.0], [0.0], [0.0]],
                       "network": {"W_xh": [[1.0]] * H, "W_hh": W.tolist(), "hidden": "tanh"}})
    fs = [s for s in r.steps if s.symbol in ("dz_1/dz_0", "dz_2/dz_1")]
    if H == 10:
        assert [f.note for f in fs] == ["the Jacobian", "the Jacobian"]
        assert np.asarray(fs[0].value).shape == (10, 10)
    else:
        (f,) = fs
        assert f.value == "11×11 matrix" and f.equation == "W_hh·diag(tanh'(z_0))"
        assert f.phase == "factor" and f.t == 0
        assert f.note == ("Jacobians of more than 100 entries are not written out; their "
                          "spectral norms are")


# ---------------------------------------------------------------- the product's edge cases

def linear_doc(W, steps, **extra):
    W = np.asarray(W, dtype=float)
    return {"type": "vanishing", "inputs": [[1.0]] + [[0.0]] * steps,
            "network": {"hidden": "linear", "W_hh": W.tolist(),
                        "W_xh": [[1.0]] * W.shape[0]}, **extra}


def test_a_nilpotent_w_hh_makes_the_product_exactly_zero():
    """W = [[0, 1], [0, 0]]: ‖W‖ = 1 at every step, W² = 0: g = 0 though g_step = 1."""
    r = rnnquiz.solve(linear_doc([[0, 1], [0, 0]], 3))
    assert r.answer == "vanishing" and r.values["g"] == 0.0
    assert r.values["product"] == [1.0, 0.0, 0.0]
    assert r.extra["per_step_geometric_mean"] == 1.0
    (why,) = [s for s in r.steps if s.symbol == "why they differ"]
    assert why.phase == "verdict" and why.value == "vanishing"


def test_a_zero_factor_makes_the_per_step_mean_zero_too():
    r = rnnquiz.solve(linear_doc([[0, 0], [0, 0]], 2))
    assert r.answer == "vanishing" and r.values["g"] == 0.0
    (g_step,) = [s for s in r.steps if s.symbol == "g_step"]
    assert g_step.value == 0.0 and g_step.note.endswith("alone it would say vanishing")
    assert not [s for s in r.steps if s.symbol == "why they differ"]


@pytest.mark.parametrize("steps", [True, False])
def test_2i_over_1100_steps_gives_g_exactly_2(steps):
    """1100 factors of norm 2: the compensated sum of the logs is 1100·ln 2 to the last bit."""
    r = rnnquiz.solve(linear_doc(2 * np.eye(2), 1100), steps=steps)
    assert r.values["g"] == 2.0


def test_the_per_step_norms_are_numbered_as_the_notation_numbers_steps():
    """deeplearning_ai counts from 1: the factor da<2>/da<1>'s norm sits at step 1."""
    r = rnnquiz.solve({"type": "vanishing", "notation": "deeplearning_ai",
                       "inputs": [[1.0], [0.5], [-1.0]],
                       "network": {"Wax": [[0.5], [1.0]], "Waa": [[0.5, 0.2], [0.1, 0.3]],
                                   "hidden": "tanh"}})
    norms = [(s.t, s.symbol) for s in r.steps if s.note == "the spectral norm of the factor"]
    assert [t for t, _ in norms] == [1, 2]


def test_a_factor_that_overflows_is_named():
    """Output fed back through W_yh·W_hy = 1e400: the factor is infinite, not a verdict."""
    doc = {"type": "vanishing", "inputs": [1, 0, 0],
           "network": {"hidden": "linear", "W_xh": 1, "W_yh": 1e200, "W_hy": 1e200}}
    with pytest.raises(rnnquiz.ProblemError, match=r"the factor dz_1/dz_0 overflows float64 "
                                                   r"\(the forward pass overflowed\); scale "
                                                   r"the weights or inputs down"):
        rnnquiz.solve(doc)


def scalar_doc(W_hh, T, hidden="linear", **extra):
    """Inputs all 0: every z_t = 0, so each factor is W_hh·hidden'(0)."""
    return {"type": "vanishing", "inputs": [0.0] * T,
            "network": {"hidden": hidden, "W_xh": 1.0, "W_hh": W_hh}, **extra}


def test_steps_numbered_from_1_name_the_slopes_jacobians_and_norms():
    """deeplearning_ai counts from 1: tanh'(z<1>), dz<2>/dz<1> and its norm at step 1."""
    dlai_from_1_to_3()


def dlai_from_1_to_3():
    Waa = np.array([[0.5, 0.2], [0.1, 0.3]])
    Wax = np.array([0.5, 1.0])
    xs = [1.0, 0.5, -1.0]
    r = rnnquiz.solve({"type": "vanishing", "notation": "deeplearning_ai",
                       "inputs": [[x] for x in xs],
                       "network": {"Wax": Wax[:, None].tolist(), "Waa": Waa.tolist(),
                                   "hidden": "tanh"}, "ask": {"from": 1, "to": 3}})
    a, J = np.zeros(2), []
    for x in xs:
        a = np.tanh(Wax * x + Waa @ a)
        J.append(Waa * (1 - a ** 2)[None, :])
    lines = [(s.symbol, s.t) for s in r.steps if s.phase == "factor"]
    assert lines == [("tanh'(z<1>)", 1), ("dz<2>/dz<1>", 1), ("‖dz<2>/dz<1>‖", 1),
                     ("‖dz<2>/dz<1>‖", 1),
                     ("tanh'(z<2>)", 2), ("dz<3>/dz<2>", 2), ("‖dz<3>/dz<2>‖", 2),
                     ("‖dz<3>/dz<1>‖", 2)]
    jac = [s for s in r.steps if s.symbol == "dz<3>/dz<2>"][0]
    np.testing.assert_allclose(jac.value, J[1], rtol=1e-14)
    g = np.linalg.norm(J[1] @ J[0], 2) ** 0.5
    assert r.values["g"] == pytest.approx(g, rel=1e-13)
    (g_step,) = [s for s in r.steps if s.symbol == "g_step"]
    assert g_step.equation == "(‖dz<2>/dz<1>‖·‖dz<3>/dz<2>‖)^(1/2)"
    return r


def test_the_span_in_the_notes_is_numbered_as_the_notation_numbers_steps():
    """ask from 1 to 3 in deeplearning_ai's numbering is not "from step 0 to step 2"."""
    r = dlai_from_1_to_3()
    (g_step,) = [s for s in r.steps if s.symbol == "g_step"]
    assert g_step.note.startswith("the geometric mean of the per-step norms from step 1 to "
                                  "step 3: ")
    (g_line,) = [s for s in r.steps if s.symbol == "g"]
    assert g_line.note.startswith("the n-th root of the product's norm, from step 1 to step 3;")


def test_a_span_from_step_1_writes_two_norms_under_the_square_root():
    W = np.array([[0.5, 0.2], [0.1, 0.3]])
    r = rnnquiz.solve({"type": "vanishing", "inputs": [[1.0]] + [[0.0]] * 3,
                       "network": {"hidden": "linear", "W_hh": W.tolist(),
                                   "W_xh": [[1.0], [1.0]]}, "ask": {"from": 1, "to": 3}})
    (g_step,) = [s for s in r.steps if s.symbol == "g_step"]
    assert g_step.equation == "(‖dz_2/dz_1‖·‖dz_3/dz_2‖)^(1/2)"
    assert g_step.value == pytest.approx(np.linalg.norm(W, 2), rel=1e-13)
    first = [s for s in r.steps if s.symbol == "‖dz_2/dz_1‖" and s.note.startswith("the running")]
    assert [s.equation for s in first] == ["‖dz_2/dz_1‖₂"]
    assert r.values["g"] == pytest.approx(np.linalg.norm(W @ W, 2) ** 0.5, rel=1e-13)


@pytest.mark.parametrize("scale", [0.4, 3.0])
def test_65_units_take_the_largest_singular_value(scale):
    """Above 64 units the norm comes from the eigenvalues of MᵀM: the largest, and below 1
    when it is below 1. Reference: numpy's SVD of W_hh and of W_hh²."""
    rng = np.random.default_rng(5)
    W = rng.normal(size=(65, 65))
    W *= scale / np.linalg.norm(W, 2)
    r = rnnquiz.solve({"type": "vanishing", "inputs": [[1.0], [0.0], [0.0]],
                       "network": {"hidden": "tanh", "W_hh": W.tolist(),
                                   "W_xh": [[0.0]] * 65}})
    # inputs and W_xh 0: every z is 0, tanh'(0) = 1, each factor is W_hh itself
    assert r.values["g"] == pytest.approx(np.linalg.norm(W @ W, 2) ** 0.5, rel=1e-12)
    assert r.values["factors"] == pytest.approx([scale, scale], rel=1e-12)
    (bound,) = [s for s in r.steps if s.symbol == "bound"]
    assert bound.value == pytest.approx(scale, rel=1e-12)


def test_the_bound_of_a_scalar_w_hh_is_its_magnitude_exactly():
    """|W_hh| itself, to the last bit (an SVD of 1e-300 gives 9.999999999999999e-301)."""
    r = rnnquiz.solve(scalar_doc(-1e-300, 3, hidden="tanh"))
    (bound,) = [s for s in r.steps if s.symbol == "bound"]
    assert bound.value == 1e-300


def test_a_bound_of_exactly_1_is_not_below_1():
    r = rnnquiz.solve(scalar_doc(1.0, 3, hidden="tanh"))
    (bound,) = [s for s in r.steps if s.symbol == "bound"]
    assert bound.value == 1.0
    assert bound.note == "tanh'(z) = 1 - tanh(z)² ≤ 1, so no factor exceeds |W_hh|"


def test_g_exactly_1_with_tolerance_0_is_neither():
    """|g - 1| = 0 <= 0: neither, and the note says so."""
    r = rnnquiz.solve(scalar_doc(1.0, 3, tolerance=0))
    assert r.answer == "neither" and r.values["g"] == 1.0
    (g,) = [s for s in r.steps if s.symbol == "g"]
    assert g.note.endswith("; |g - 1| <= tolerance 0.0: neither")
    assert r.extra["tolerance"] == 0.0


def test_negative_products_beyond_float64_keep_their_sign():
    """W_hh = -1e200, linear: the products are -1e200, 1e400, -1e600; the last two are text,
    with the factors past e^700."""
    r = rnnquiz.solve(scalar_doc(-1e200, 4))
    p = r.values["product"]
    assert p[0] == pytest.approx(-1e200, rel=1e-13)
    assert p[1:] == ["1e+400", "-1e+600"]
    assert r.extra["factors"] == pytest.approx([1e200] * 3, rel=1e-13)
    assert r.extra["tolerance"] == 0.01
    r = rnnquiz.solve(scalar_doc(1e300, 3, tolerance=0.5))
    assert r.values["factors"] == pytest.approx([1e300, 1e300], rel=1e-12)
    # ‖[[a, a], [b, b]]‖ = √2·a for a = 1e308: text past e^700, null in the data (JSON has
    # no such number)
    big = {"type": "vanishing", "inputs": [[0.0]] * 3,
           "network": {"hidden": "linear", "W_xh": [[1.0], [1.0]],
                       "W_hh": [[1e308, 1e308], [1e-300, 1e-300]]}, "ask": {"to": 1}}
    r = rnnquiz.solve(big)
    assert r.values["factors"] == ["1.41421e+308"] * 2 and r.extra["factors"] == [None, None]
    assert r.values["g"] == pytest.approx(math.sqrt(2) * 1e308, rel=1e-12)


def test_a_g_beyond_float64_is_an_error_not_a_traceback():
    """‖[[a, a], [a, a]]‖ = 2a = 2e308: g itself is beyond float64."""
    big = {"type": "vanishing", "inputs": [[0.0]] * 3,
           "network": {"hidden": "linear", "W_xh": [[1.0], [1.0]],
                       "W_hh": [[1e308, 1e308], [1e308, 1e308]]}, "ask": {"to": 1}}
    with pytest.raises(rnnquiz.ProblemError, match=r"g overflows float64: the factors from "
                                                   r"step 0 to step 1 have norms beyond"):
        rnnquiz.solve(big)


def test_a_power_of_ten_beyond_float64_is_written_1e_not_10e():
    """10^1000 after 1000 factors of 10 (its log a hair below 1000·ln 10) reads 1e+1000."""
    r = rnnquiz.solve(scalar_doc(10.0, 1001), steps=False)
    assert r.values["product"][-1] == "1e+1000"
    assert e_to(-4096 * math.log(10), -1.0) == "-1e-4096"


@pytest.mark.parametrize("log", [699.5, -699.5, 700.0, 700.5, -700.0])
def test_values_from_e_to_the_700_on_are_text(log):
    """Below e^700 a float; from there on text with 6 digits, as Python writes e^log."""
    got = e_to(log)
    if abs(log) < 700:
        assert got == math.exp(log)
    else:
        assert got == f"{math.exp(log):.6g}"


@pytest.mark.parametrize("fs", [[1e13, 1.01e-13] * 500, [1.1] * 1000 + [1e-90] + [1.1] * 10])
def test_the_product_is_e_to_the_exact_sum_of_the_logs(fs):
    """The running log-norm is a compensated sum: after a thousand factors it is the
    correctly rounded sum of their logs (math.fsum), also where a log larger than the sum
    so far is added (e^30 after e^-30, 1e-90 after 1.1^1000)."""
    out = verdict(from_dict(scalar_doc(1.0, len(fs) + 1)), Work(record=False),
                  [np.array([[f]]) for f in fs], [f"J_{t}" for t in range(len(fs))])
    log = math.fsum(math.log(f) for f in fs)
    # abs=0: the second product is 6.4e-49, inside approx's default abs=1e-12
    assert out.values["product"][-1] == pytest.approx(math.exp(log), rel=1e-14, abs=0)
    assert out.values["g"] == pytest.approx(math.exp(log / len(fs)), rel=1e-15)


def test_verdict_takes_plain_numbers_and_a_list_of_its_own_length():
    """Factors given as numbers are 1x1 Jacobians; a list fixes the span by its length,
    here 2 factors for a 4-step problem."""
    p = from_dict(scalar_doc(1.0, 4))
    out = verdict(p, Work(), [0.5, -4.0], ["a", "b"])
    assert out.values["product"] == [0.5, -2.0]
    assert out.values["g"] == pytest.approx(math.sqrt(2), rel=1e-15)
    assert out.extra["span"] == [0, 2]


def test_an_iterable_shorter_than_the_steps_is_named():
    p = from_dict(scalar_doc(1.0, 4))     # 3 factors expected
    with pytest.raises(rnnquiz.ProblemError) as e:
        verdict(p, Work(), iter([np.array([[0.5]])]), ["a", "b", "c"])
    assert e.value.path == "ask.to" and e.value.reason == "expected 3 factors, got 1"


def test_a_factor_that_overflows_names_the_file(tmp_path):
    f = tmp_path / "boom.yaml"
    f.write_text("type: vanishing\ninputs: [1, 0, 0]\n"
                 "network: {hidden: linear, W_xh: 1, W_yh: 1.0e+200, W_hy: 1.0e+200}\n")
    (p,) = rnnquiz.load(f)
    with pytest.raises(rnnquiz.ProblemError) as e:
        rnnquiz.solve(p)
    assert e.value.file == str(f) and str(e.value).startswith(f"{f}: the factor dz_1/dz_0")
