"""The cells' numbers against references written here in numpy or plain math: the paths the
other tests leave unchecked (issue 16, the mutation run of rnnquiz/cells/, benchmarks/MUTATION.md).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import rnnquiz


def steps_of(r, phase=None):
    return [s for s in r.steps if phase is None or s.phase == phase]


# ---------------------------------------------------------------- simple RNN, given values

# d2l numbers its steps from 1 and writes the pre-activation with its own keys (row layout).
D2L_GIVEN = {"type": "backprop", "notation": "d2l", "round": "none",
             "network": {"hidden": "tanh", "output": "linear", "W_xh": [[0.5]],
                         "W_hh": [[-1.0]], "b_h": [0.2], "W_hq": [[2.0]], "b_q": [0.1],
                         "h_init": [0.4]},
             "inputs": [[1.0], [-2.0]], "targets": [[1.0], [-1.0]],
             "given": {"h": [[0.3], [-0.6]], "y": [[0.5], [-1.5]]}}


def d2l_given_reference():
    """SPEC 1.1 by hand: z_t from the given h_{t-1}, tanh'(z_t) there, dE/dy_t from the given y_t."""
    Wx, Wh, b, Wq = 0.5, -1.0, 0.2, 2.0
    x, h_given, y_given, target = [1.0, -2.0], [0.3, -0.6], [0.5, -1.5], [1.0, -1.0]
    h_prev = [0.4, 0.3]
    z = [Wx * x[t] + Wh * h_prev[t] + b for t in range(2)]       # 0.3, -1.1
    dy = [y_given[t] - target[t] for t in range(2)]               # -0.5, -0.5
    dz2 = dy[1] * Wq * (1 - math.tanh(z[1]) ** 2)
    dz1 = (dy[0] * Wq + Wh * dz2) * (1 - math.tanh(z[0]) ** 2)
    return z, {"W_xh": dz1 * x[0] + dz2 * x[1], "W_hh": dz1 * h_prev[0] + dz2 * h_prev[1],
               "b_h": dz1 + dz2, "W_hq": dy[0] * h_given[0] + dy[1] * h_given[1]}


@pytest.mark.parametrize("key", ["W_xh", "W_hh", "b_h", "W_hq"])
def test_given_values_in_a_notation_counting_from_one(key):
    z, grads = d2l_given_reference()
    r = rnnquiz.solve({**D2L_GIVEN, "ask": {"quantity": f"dE/d{key}"}})
    assert np.ravel(r.answer)[0] == pytest.approx(grads[key], rel=1e-12)


def test_given_values_are_shown_at_the_notations_steps():
    z, _ = d2l_given_reference()
    r = rnnquiz.solve({**D2L_GIVEN, "ask": {"quantity": "dE/dW_xh"}})
    given = steps_of(r, "given")
    # the recomputed pre-activations, then the given states, at steps 1 and 2
    recomputed = [s for s in given if s.given is None and s.raw is None and s.equation]
    assert [s.t for s in recomputed if "z" in s.symbol.lower()] == [1, 2]
    assert [float(np.ravel(s.value)[0]) for s in recomputed if "z" in s.symbol.lower()] == \
        pytest.approx(z, rel=1e-12)
    # d2l writes the pre-activation in row layout with its own keys, from the given H_1
    zs = [s for s in recomputed if "z" in s.symbol.lower()]
    assert [s.equation for s in zs] == ["X_1·W_xh + H_0·W_hh + b_h", "X_2·W_xh + H_1·W_hh + b_h"]
    assert [[float(np.ravel(a)[0]) for a in s.operands] for s in zs] == \
        [[1.0, 0.5, 0.4, -1.0, 0.2], [-2.0, 0.5, 0.3, -1.0, 0.2]]
    ts = sorted({s.t for s in given})
    assert ts == [1, 2]
    # the exact values shown beside the given states: tanh of the forward pass
    h1 = math.tanh(0.5 * 1.0 - 1.0 * 0.4 + 0.2)
    exact = [float(np.ravel(s.exact)[0]) for s in given if s.symbol == "H_1"]
    assert exact == pytest.approx([h1], rel=1e-12)


# ---------------------------------------------------------------- simple RNN, batch of one

def torch_rnn(doc, batch):
    """E and dE/d(parameter) of a tanh RNN with a linear read-out and squared loss, by autograd."""
    torch = pytest.importorskip("torch")
    n = doc["network"]
    P = {k: torch.tensor(np.asarray(n[k], dtype=float), requires_grad=True)
         for k in ("W_xh", "W_hh", "b_h", "W_hy", "b_y")}
    X = torch.tensor(np.asarray(doc["inputs"], dtype=float))
    Tg = torch.tensor(np.asarray(doc["targets"], dtype=float))
    if not batch:
        X, Tg = X[None], Tg[None]
    E = torch.zeros((), dtype=torch.float64)
    for ex in range(X.shape[0]):
        h = torch.tensor(np.asarray(n["h_init"], dtype=float))
        for t in range(X.shape[1]):
            h = torch.tanh(P["W_xh"] @ X[ex, t] + P["W_hh"] @ h + P["b_h"])
            y = P["W_hy"] @ h + P["b_y"]
            E = E + 0.5 * ((y - Tg[ex, t]) ** 2).sum()
    E.backward()
    return float(E.detach()), {k: v.grad.numpy() for k, v in P.items()}


def batch_doc(rng, n_h, N=1, T=4):
    net = {"hidden": "tanh", "output": "linear",
           "W_xh": rng.normal(0, 0.8, (n_h, 2)).tolist(),
           "W_hh": rng.normal(0, 0.8, (n_h, n_h)).tolist(),
           "b_h": rng.normal(0, 0.5, n_h).tolist(), "W_hy": rng.normal(0, 0.8, (1, n_h)).tolist(),
           "b_y": rng.normal(0, 0.5, 1).tolist(), "h_init": rng.normal(0, 0.5, n_h).tolist()}
    return {"type": "backprop", "round": "none", "batch": True, "network": net,
            "inputs": rng.normal(0, 1, (N, T, 2)).tolist(),
            "targets": rng.normal(0, 1, (N, T, 1)).tolist()}


@pytest.mark.parametrize("steps", [True, False])
@pytest.mark.parametrize("n_h", [1, 2])
def test_a_batch_of_one_example_against_autograd(n_h, steps):
    """One example in a batch: the example axis has length 1, as a single unit's state has."""
    doc = batch_doc(np.random.default_rng(16 + n_h), n_h)
    E, grads = torch_rnn(doc, batch=True)
    assert rnnquiz.solve({**doc, "ask": {"quantity": "E"}}, steps=steps).answer == \
        pytest.approx(E, rel=1e-12)
    for key in ("W_xh", "W_hh", "b_h"):
        got = rnnquiz.solve({**doc, "ask": {"quantity": f"dE/d{key}"}}, steps=steps).answer
        np.testing.assert_allclose(np.reshape(got, grads[key].shape), grads[key], rtol=1e-10,
                                   atol=1e-13, err_msg=key)


def test_a_threshold_unit_passes_no_gradient_and_says_so():
    # h_t = step(z_t): the derivative is taken as 0, so dE/dW_xh is 0 and the line says why
    doc = {"type": "backprop", "round": "none",
           "network": {"hidden": "step", "output": "linear", "W_xh": 0.5, "W_hh": 1.0,
                       "W_hy": 2.0, "b_h": 0.1},
           "inputs": [1.0, -1.0], "targets": [0.0, 1.0], "ask": {"quantity": "dE/dW_xh"}}
    r = rnnquiz.solve(doc)
    assert r.answer == 0.0
    slopes = [s for s in r.steps if s.phase == "backward" and "'(" in s.symbol]
    assert [s.t for s in slopes] == [1, 0]
    assert all(float(np.ravel(s.value)[0]) == 0.0 for s in slopes)
    assert all("no gradient flows" in s.note for s in slopes)
    # a tanh unit has no such note
    r = rnnquiz.solve({**doc, "network": {**doc["network"], "hidden": "tanh"}})
    assert all(s.note == "" for s in r.steps if s.phase == "backward" and "'(" in s.symbol)


# ---------------------------------------------------------------- simple RNN, the working's names

def carried_back(notation, symbol, key="W_hh"):
    from conftest import backprop_problem
    doc = backprop_problem(np.random.default_rng(3), "rnn", notation, True, T=2, n_h=2)
    r = rnnquiz.solve(doc)
    (line,) = [s for s in r.steps if s.symbol == symbol]
    return doc, line


def test_the_carried_back_gradient_is_written_with_the_files_keys_in_column_layout():
    # Goodfellow: h^(t) = tanh(b + W h^(t-1) + U x^(t)), so dE/dh^(1) gets W·dE/da^(2)
    _, line = carried_back("goodfellow", "dE/dh^(1)")
    assert line.equation == "V·dE/dy_1 + W·dE/da^(2)"
    assert line.formula == "{}·{} + {}·{}"
    assert line.note == "from the output at step 1 + carried back from a^(2)"


@pytest.mark.parametrize("notation, symbol, key, eq, note", [
    ("keras", "dE/dh_0", "recurrent_kernel", "dE/dy_0·dense_kernelᵀ + dE/dz_1·recurrent_kernelᵀ",
     "from the output at step 0 + carried back from z_1"),
    ("d2l", "dE/dH_1", "W_hh", "dE/dy_1·W_hqᵀ + dE/dz_2·W_hhᵀ",
     "from the output at step 1 + carried back from z_2")])
def test_the_carried_back_gradient_is_a_row_times_the_transpose_in_row_layout(
        notation, symbol, key, eq, note):
    # z_t = x_t W_xh + h_{t-1} W_hh + b: dE/dh_{t-1} = dE/dz_t W_hhᵀ, the row vector first
    doc, line = carried_back(notation, symbol)
    assert line.equation == eq and line.note == note
    assert line.formula == "{}·{} + {}·{}" and len(line.operands) == 4
    dz, W = line.operands[2], line.operands[3]
    assert np.shape(dz) == (2,)
    np.testing.assert_array_equal(W, np.asarray(doc["network"][key]).T)


# ---------------------------------------------------------------- gated RNN, the backward working

GATED = {"type": "backprop", "cell": "gated", "round": "none",
         "network": {"W_gs": 0.5, "W_gx": 1.0, "b_g": -0.2, "W_ss": -0.8, "W_sx": 0.6,
                     "b_s": 0.1, "s_init": 0.3},
         "inputs": [1.0, -2.0], "upstream": {"h": [0.5, -1.0]}, "ask": {"quantity": "dE/dW_gs"}}


def sig(z):
    return 1 / (1 + math.exp(-z))


def gated_by_hand():
    """MITx's gated RNN worked on floats: every backward line (t, symbol, equation, formula,
    operands, value) as a TA writes it, and the parameter gradients."""
    Wgs, Wgx, bg, Wss, Wsx, bs = 0.5, 1.0, -0.2, -0.8, 0.6, 0.1
    x, up = [1.0, -2.0], [0.5, -1.0]
    s, g, c = [0.3], [], []
    for t in range(2):
        g.append(sig(Wgs * s[-1] + Wgx * x[t] + bg))
        c.append(math.tanh(Wss * s[-1] + Wsx * x[t] + bs))
        s.append((1 - g[t]) * s[-1] + g[t] * c[t])
    lines, carry, grads = [], 0.0, dict.fromkeys(("W_gs", "W_gx", "b_g", "W_ss", "W_sx", "b_s"), 0.0)
    for t in (1, 0):
        sp = s[t]                                   # s_{t-1}
        ds = up[t] + carry
        if t == 1:
            lines.append((1, "dE/ds_1", "dE/ds_1 from above", "{}", (ds,), ds))
        else:
            lines.append((0, "dE/ds_0", "dE/ds_0 from above + dE/ds_0 from step 1", "{} + {}",
                          (up[0], carry), ds))
        dzs = ds * g[t] * (1 - c[t] ** 2)
        dzg = ds * (c[t] - sp) * g[t] * (1 - g[t])
        lines.append((t, f"dE/dz^s̃_{t}", f"dE/ds_{t}⊙g_{t}⊙(1 - s̃_{t}²)", "{}·{}·(1 - {}²)",
                      (ds, g[t], c[t]), dzs))
        prev = "s_{-1}" if t == 0 else f"s_{t - 1}"
        lines.append((t, f"dE/dz^g_{t}", f"dE/ds_{t}⊙(s̃_{t} - {prev})⊙g_{t}(1 - g_{t})",
                      "{}·({} - {})·{}·(1 - {})", (ds, c[t], sp, g[t], g[t]), dzg))
        carry = ds * (1 - g[t]) + Wss * dzs + Wgs * dzg
        for k, v in (("W_gs", dzg * sp), ("W_gx", dzg * x[t]), ("b_g", dzg),
                     ("W_ss", dzs * sp), ("W_sx", dzs * x[t]), ("b_s", dzs)):
            grads[k] += v
    grads["s_init"] = carry
    return lines, grads


def test_the_gated_rnns_backward_working_line_by_line():
    lines, _ = gated_by_hand()
    r = rnnquiz.solve(GATED)
    got = [s for s in r.steps if s.phase == "backward"]
    assert [(s.t, s.symbol, s.equation, s.formula) for s in got] == \
        [line[:4] for line in lines]
    for s, (*_, operands, value) in zip(got, lines):
        assert [float(np.ravel(a)[0]) for a in s.operands] == pytest.approx(operands, rel=1e-12)
        assert float(np.ravel(s.value)[0]) == pytest.approx(value, rel=1e-12)


@pytest.mark.parametrize("steps", [True, False])
def test_the_gated_rnns_gradients_by_hand(steps):
    _, grads = gated_by_hand()
    for key, g in grads.items():
        got = rnnquiz.solve({**GATED, "ask": {"quantity": f"dE/d{key}"}}, steps=steps).answer
        assert float(np.ravel(got)[0]) == pytest.approx(g, rel=1e-12), key


def test_round_state_rounds_the_gated_rnns_state_and_goes_on_from_it():
    # s_0 = (1 - σ(-0.5))·3 + σ(-0.5)·tanh(-1.7) = 1.514 -> 2; s_1 from s_0 = 2: 1.946 -> 2
    doc = {"type": "gated", "round": "state", "inputs": [1.0, -2.0],
           "network": {"W_gs": 0.5, "W_gx": 1.0, "b_g": -3.0, "W_ss": -0.8, "W_sx": 0.6,
                       "b_s": 0.1, "s_init": 3.0}, "ask": {"quantity": "s", "t": 1}}
    g0, c0 = sig(0.5 * 3 + 1.0 - 3.0), math.tanh(-0.8 * 3 + 0.6 + 0.1)
    s0 = (1 - g0) * 3 + g0 * c0
    g1, c1 = sig(0.5 * 2 - 2.0 - 3.0), math.tanh(-0.8 * 2 - 1.2 + 0.1)
    s1 = (1 - g1) * 2 + g1 * c1
    r = rnnquiz.solve(doc)
    assert r.answer == 2.0
    raw = {s.symbol: s.raw for s in r.steps if s.raw is not None}
    assert set(raw) == {"s_0", "s_1"}             # the gate and the candidate stay exact
    assert [float(np.ravel(raw["s_0"])[0]), float(np.ravel(raw["s_1"])[0])] == \
        pytest.approx([s0, s1], rel=1e-12)


def test_a_hard_sigmoid_gates_slope_is_written_as_such():
    # Keras 2's hard sigmoid: max(0, min(1, 0.2 z + 0.5)), slope 0.2 inside (-2.5, 2.5)
    doc = {**GATED, "network": {**GATED["network"], "gate_activation": "hard_sigmoid"}}
    r = rnnquiz.solve(doc)
    (line,) = [s for s in r.steps if s.symbol == "dE/dz^g_1"]
    assert line.formula == "{}·({} - {})·{}"
    assert line.equation == "dE/ds_1⊙(s̃_1 - s_0)⊙hard_sigmoid'(z)"
    assert float(np.ravel(line.operands[3])[0]) == 0.2


def test_the_pytorch_grus_candidate_resets_after_the_product():
    # torch.nn.GRU: n_t = tanh(W_in x_t + b_in + r_t ⊙ (W_hn h_{t-1} + b_hn))
    net = {"weight_ih": [[0.1], [-0.1], [0.45]], "weight_hh": [[0.07], [-0.37], [0.25]],
           "bias_ih": [0.65, 0.47, -0.35], "bias_hh": [-0.63, -0.31, 0.02], "h_init": [-1.2]}
    r = rnnquiz.solve({"type": "gru", "notation": "pytorch", "round": "none", "network": net,
                       "inputs": [[1.0]], "ask": {"quantity": "h", "t": 0}})
    (line,) = [s for s in r.steps if s.symbol == "a^n_0"]
    rt = sig(0.1 * 1.0 + 0.65 + 0.07 * -1.2 - 0.63)
    assert line.equation == "W_in·x_0 + b_in + r_0⊙(W_hn·h_{-1} + b_hn)"
    assert [float(np.ravel(a)[0]) for a in line.operands] == \
        pytest.approx([0.45, 1.0, -0.35, rt, 0.25, -1.2, 0.02], rel=1e-12)
    assert float(np.ravel(line.value)[0]) == pytest.approx(0.45 - 0.35 + rt * (0.25 * -1.2 + 0.02))


def test_the_keras_grus_candidate_resets_after_the_product():
    # Keras' GRU (reset_after=True): ĥ_t = tanh(x_t·kernel_h + bias[0]_h + r_t⊙(h_{t-1}·
    # recurrent_kernel_h + bias[1]_h)), the gates in the order z, r, h
    net = {"kernel": [[0.09, -0.09, 0.45]], "recurrent_kernel": [[0.07, -0.37, 0.25]],
           "bias": [[0.91, 0.66, -0.49], [-0.89, -0.44, 0.03]], "h_init": [-1.2]}
    r = rnnquiz.solve({"type": "gru", "notation": "keras", "round": "none", "network": net,
                       "inputs": [[1.0]], "ask": {"quantity": "h", "t": 0}})
    (line,) = [s for s in r.steps if s.symbol == "a^ĥ_0"]
    rt = sig(-0.09 * 1.0 + -0.37 * -1.2 + 0.66 - 0.44)
    assert line.equation == \
        "x_0·kernel_h + bias[0]_h + r_0⊙(h_{-1}·recurrent_kernel_h + bias[1]_h)"
    assert [float(np.ravel(a)[0]) for a in line.operands] == \
        pytest.approx([1.0, 0.45, -0.49, rt, -1.2, 0.25, 0.03], rel=1e-12)
    assert float(np.ravel(line.value)[0]) == pytest.approx(0.45 - 0.49 + rt * (-0.3 + 0.03))
