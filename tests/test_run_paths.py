"""The runner (rnnquiz/cells/run.py) where its two paths, the working and the vectorised scan,
can go wrong apart: the gradient into the LSTM's last c given from above, dE/dy under
`reduction: mean`, the default answer of a cell's forward type with a read-out, and how the
working names what comes back from a non-linear output (benchmarks/MUTATION.md).

The runner (rnnquiz/cells/run.py) where the whole-module mutation run left a wrong line
unseen: the read-out's symbol in a notation that names its outputs otherwise
(deeplearning.ai's ŷ<t>) (benchmarks/MUTATION.md)."""

from __future__ import annotations

import numpy as np
import pytest

import rnnquiz


@pytest.mark.parametrize("steps", [True, False])
def test_lstm_upstream_h_and_last_c_against_autograd(steps):
    # CS231n's lstm_backward with dnext_c: E = Σ_t dh_t·h_t + dc·c_T
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle of this test")
    rng = np.random.default_rng(8)
    T, D, H = 3, 2, 2
    x, h0 = rng.normal(size=(T, D)), rng.normal(size=H)
    Wx, Wh, b = rng.normal(size=(D, 4 * H)), rng.normal(size=(H, 4 * H)), rng.normal(size=4 * H)
    dh, dc = rng.normal(size=(T, H)), rng.normal(size=H)
    doc = {"type": "backprop", "cell": "lstm", "notation": "cs231n", "inputs": x.tolist(),
           "upstream": {"h": dh.tolist(), "c": dc.tolist()},
           "network": {"Wx": Wx.tolist(), "Wh": Wh.tolist(), "b": b.tolist(), "h0": h0.tolist()}}
    X, H0, WX, WH, B = (torch.tensor(a, requires_grad=True) for a in (x, h0, Wx, Wh, b))
    h, c, E = H0, torch.zeros(H, dtype=torch.float64), 0
    for t in range(T):
        a = X[t] @ WX + h @ WH + B                       # i, f, o, g as CS231n stacks them
        i, f, o = (torch.sigmoid(a[k * H:(k + 1) * H]) for k in range(3))
        c = f * c + i * torch.tanh(a[3 * H:])
        h = o * torch.tanh(c)
        E = E + (h * torch.tensor(dh[t])).sum()
    (E + (c * torch.tensor(dc)).sum()).backward()
    r = rnnquiz.solve(doc, steps=steps)
    for key, ref in (("Wx", WX), ("Wh", WH), ("b", B), ("h0", H0)):
        np.testing.assert_allclose(r.values[f"dE/d{key}"], ref.grad.numpy(), rtol=1e-11,
                                   atol=1e-13, err_msg=key)
    np.testing.assert_allclose(np.asarray(r.values["dE/dx"], dtype=float), X.grad.numpy(),
                               rtol=1e-11, atol=1e-13)


@pytest.mark.parametrize("steps", [True, False])
def test_mean_reduction_scales_dE_dy_on_both_paths(steps):
    # h_t = 0.5 x_t + 0.25 h_{t-1}, x = 1, 2: y = h = 0.5, 1.125, targets 0; two terms:
    # dE/dy_t = y_t / 2
    doc = {"type": "backprop", "network": {"hidden": "linear", "W_xh": 0.5, "W_hh": 0.25,
                                           "W_hy": 1.0},
           "inputs": [1.0, 2.0], "targets": {0: 0.0, 1: 0.0}, "reduction": "mean"}
    v = rnnquiz.solve(doc, steps=steps).values
    assert np.asarray(v["dE/dy"], dtype=float).reshape(-1).tolist() == [0.25, 0.5625]
    assert v["E"] == 0.37890625


@pytest.mark.parametrize("steps", [True, False])
def test_a_cells_own_type_answers_its_state_not_the_read_out(steps):
    # MIT gated RNN, g_t = σ(0) = 1/2: s_t = s_{t-1}/2 + tanh(s_{t-1} + x_t)/2; y_t = 2 s_t
    doc = {"type": "gated", "network": {"W_gs": 0, "W_gx": 0, "b_g": 0, "W_ss": 1, "W_sx": 1,
                                        "s_init": 0.5, "W_hy": 2.0},
           "inputs": [1.0, -1.0]}
    s1 = 0.25 + 0.5 * np.tanh(1.5)
    s2 = s1 / 2 + 0.5 * np.tanh(s1 - 1.0)
    r = rnnquiz.solve(doc, steps=steps)
    np.testing.assert_allclose(np.asarray(r.answer, dtype=float).reshape(-1), [s1, s2],
                               rtol=1e-14)


@pytest.mark.parametrize("notation, network, symbol, eq", [
    ("hinton", {"W_hy": [[1.0], [-1.0]]}, "dE/dh_0", "W_hy·dE/du_0"),
    ("d2l", {"W_hq": [[1.0, -1.0]]}, "dE/dH_1", "dE/du_1·W_hqᵀ"),
])
def test_what_comes_back_from_a_softmax_output_is_named_dE_du(notation, network, symbol, eq):
    # h_0 = 0.5 (linear, x = 1, W_xh = 0.5), u = (0.5, -0.5), y = softmax(u), target (0, 1):
    # dE/du = y - t, dE/dh = W_hyᵀ dE/du = (y_0 - 0) - (y_1 - 1) = 2 y_0
    doc = {"type": "backprop", "loss": "cross_entropy", "notation": notation,
           "network": {"hidden": "linear", "W_xh": [[0.5]], "W_hh": [[0.25]],
                       "output": "softmax", **network},
           "inputs": [[1.0]], "targets": [[0.0, 1.0]]}
    line = next(s for s in rnnquiz.solve(doc).to_json()["steps"] if s["symbol"] == symbol)
    assert line["equation"] == eq
    y0 = 1 / (1 + np.exp(-1.0))
    np.testing.assert_allclose(line["value"], [2 * y0], rtol=1e-14)


def _line(doc, symbol):
    return next(s for s in rnnquiz.solve(doc).to_json()["steps"] if s["symbol"] == symbol)


@pytest.mark.parametrize("notation, network, symbol, eq, working", [
    ("d2l", {"W_xh": [[0.5]], "W_hh": [[0.25]], "W_hq": [[1.0, -1.0]]}, "y_1",
     "softmax(H_1·W_hq + b_q)", "softmax(0.5·[[1, -1]] + [0, 0])"),
    ("hinton", {"W_xh": [[0.5]], "W_hh": [[0.25]], "W_hy": [[1.0], [-1.0]]}, "y_0",
     "softmax(W_hy·h_0 + b_y)", "softmax([1, -1]·0.5 + [0, 0])"),
])
def test_the_read_out_line_as_the_course_writes_it(notation, network, symbol, eq, working):
    # h = 0.5 (x = 1, W_xh = 0.5, linear), u = (0.5, -0.5): y = (σ(1), σ(-1))
    doc = {"type": "forward", "notation": notation, "inputs": [[1.0]],
           "network": {"hidden": "linear", "output": "softmax", **network}}
    line = _line(doc, symbol)
    assert line["equation"] == eq and line["working"] == working
    assert line["phase"] == "forward" and line["t"] == int(symbol[-1])
    np.testing.assert_allclose(line["value"], [1 / (1 + np.exp(-1.0)), 1 / (1 + np.exp(1.0))],
                               rtol=1e-15)


def test_softmax_targets_a_millionth_off_one_are_written_with_their_sum():
    # Σ t = 1.000001: dE/du = y·Σ_k t_k - t, and the working says so
    doc = {"type": "backprop", "loss": "cross_entropy",
           "network": {"hidden": "linear", "W_xh": [[0.5]], "W_hh": [[0.25]],
                       "W_hy": [[1.0], [-1.0]], "output": "softmax"},
           "inputs": [[1.0]], "targets": [[0.3, 0.700001]]}
    line = _line(doc, "dE/du_0")
    assert line["equation"] == "y_0·Σ_k target_0k - target_0" and line["phase"] == "backward"
    y = np.array([1 / (1 + np.exp(-1.0)), 1 / (1 + np.exp(1.0))])
    np.testing.assert_allclose(line["value"], y * 1.000001 - [0.3, 0.700001], rtol=1e-12)


def test_deeplearning_ai_writes_its_outputs_y_hat():
    # a<t> = 0.5 x<t> + 0.25 a<t-1> (linear), ŷ<t> = 2 a<t>: x = 1, 2 give a = 0.5, 1.125
    doc = {"type": "forward", "notation": "deeplearning_ai", "inputs": [[1.0], [2.0]],
           "network": {"hidden": "linear", "Wax": [[0.5]], "Waa": [[0.25]], "Wya": [[2.0]]}}
    lines = {s["symbol"]: s for s in rnnquiz.solve(doc).to_json()["steps"]}
    for t, y in ((1, 1.0), (2, 2.25)):
        line = lines[f"ŷ<{t}>"]
        assert line["equation"] == f"Wya·a<{t}> + by" and line["t"] == t
        np.testing.assert_allclose(line["value"], [y], rtol=0, atol=0)
    assert not any(k.startswith("y") for k in lines)


@pytest.mark.parametrize("notation, network, last, before", [
    ("cs231n", {"Wx": [[0.0] * 4]}, "c_1", "dE/dc_0"),
    ("deeplearning_ai", {"W_f": [[0.0, 0.0]]}, "c<2>", "dE/dc<1>"),
])
def test_the_upstream_c_is_named_at_the_last_step(notation, network, last, before):
    # every weight 0: f = i = o = σ(0) = 1/2, g = tanh(0) = 0, so c = 0 and dE/dh = 0 from
    # above leaves dE/dc_{T-1} = 2 (given), dE/dc_{T-2} = 2·f = 1, the initial c's 1/2
    doc = {"type": "backprop", "cell": "lstm", "notation": notation, "inputs": [[1.0], [0.5]],
           "upstream": {"h": [[0.0], [0.0]], "c": [2.0]}, "network": network}
    lines = {s["symbol"]: s for s in rnnquiz.solve(doc).to_json()["steps"]}
    top = lines[f"dE/d{last}"]
    assert top["equation"].endswith(f" + dE/d{last} from above")
    assert top["working"].endswith(" + 2") and top["value"] == [2]
    assert lines[before]["value"] == [1]


def test_a_logistic_output_is_rounded_under_round_activations():
    # SPEC 1.4, "every sigmoid output is rounded to 0 or 1": h = 0.5, 1.125 (linear, not
    # rounded), y = σ(h - 1) = σ(-0.5) = 0.378 -> 0 and σ(0.125) = 0.531 -> 1
    doc = {"type": "forward", "round": "activations", "inputs": [1.0, 2.0],
           "network": {"hidden": "linear", "W_xh": 0.5, "W_hh": 0.25, "W_hy": 1.0,
                       "b_y": -1.0, "output": "logistic"}, "ask": {"quantity": "y"}}
    assert rnnquiz.solve(doc).answer == [0.0, 1.0]
