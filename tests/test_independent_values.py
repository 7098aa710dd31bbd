"""Numbers a student reads, each against an independent value: PyTorch's autograd, plain math
written here, or a hand-worked number (issue 16: make the tests catch a wrong number)."""

from __future__ import annotations

import math

import numpy as np
import pytest

import rnnquiz
from rnnquiz.problem.answers import agree
from rnnquiz.problem.typed_answers import parse_answer
from rnnquiz.types import from_dict
from rnnquiz.trace.rounding import Rounding


def sig(z):
    return 1 / (1 + math.exp(-z))


def steps_of(r):
    return {s.symbol: s for s in r.steps}


# ---------------------------------------------------------------- binary cross-entropy

BCE = {"type": "backprop", "loss": "cross_entropy",
       "network": {"hidden": "tanh", "output": "logistic", "W_xh": 0.5, "W_hh": -1.0,
                   "W_hy": 3.0, "b_h": 0.2, "b_y": -0.4},
       "inputs": [1.0, 2.0, -1.5], "targets": [0, 1, 1]}


def torch_bce(doc):
    """E and the parameter gradients of a scalar tanh RNN with a logistic output and
    binary cross-entropy, by autograd (BCE with logits: exact for saturated outputs)."""
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle of this test")
    n = doc["network"]
    P = {k: torch.tensor(float(n[k]), dtype=torch.float64, requires_grad=True)
         for k in ("W_xh", "W_hh", "W_hy", "b_h", "b_y")}
    h = torch.tensor(0.0, dtype=torch.float64)
    E = torch.tensor(0.0, dtype=torch.float64)
    for x, t in zip(doc["inputs"], doc["targets"]):
        h = torch.tanh(P["W_xh"] * x + P["W_hh"] * h + P["b_h"])
        u = P["W_hy"] * h + P["b_y"]
        E = E + torch.nn.functional.binary_cross_entropy_with_logits(
            u, torch.tensor(float(t), dtype=torch.float64), reduction="sum")
    E.backward()
    return float(E.detach()), {k: float(v.grad) for k, v in P.items()}


@pytest.mark.parametrize("steps", [True, False])
@pytest.mark.parametrize("W_hy, targets", [
    (3.0, [0, 1, 1]), (3.0, [1, 0, 0]), (60.0, [1, 1, 1]),
    (60.0, [0, 1, 0])])       # σ(35.86) rounds to 1 - 2^-52: E from y would be 36.04
def test_binary_cross_entropy_with_targets_0_and_1_and_saturated_outputs(W_hy, targets, steps):
    doc = {**BCE, "network": {**BCE["network"], "W_hy": W_hy}, "targets": targets}
    E, grads = torch_bce(doc)
    got = rnnquiz.solve({**doc, "ask": {"quantity": "E"}}, steps=steps).answer
    assert got == pytest.approx(E, rel=1e-9)


@pytest.mark.parametrize("steps", [True, False])
@pytest.mark.parametrize("W_hy, targets", [(3.0, [0, 1, 1]), (3.0, [1, 0, 0]),
                                           (60.0, [0, 1, 0]), (60.0, [1, 1, 1])])
def test_binary_cross_entropy_gradients_with_targets_0_and_1(W_hy, targets, steps):
    doc = {**BCE, "network": {**BCE["network"], "W_hy": W_hy}, "targets": targets}
    E, grads = torch_bce(doc)
    for key, g in grads.items():
        got = rnnquiz.solve({**doc, "ask": {"quantity": f"dE/d{key}"}}, steps=steps).answer
        # abs=0: dE/dW_hh is -4.7e-13 with W_hy = 60, targets [0, 1, 0]
        assert got == pytest.approx(g, rel=1e-9, abs=0), key


def test_binary_cross_entropy_hand_worked():
    # one step, t = 1: y = σ(W_hy tanh(0.5) + b_y); E = -log y; dE/db_y = y - 1
    doc = {**BCE, "inputs": [1.0], "targets": [1], "network": {**BCE["network"], "b_h": 0.0}}
    y = sig(3.0 * math.tanh(0.5) - 0.4)
    assert rnnquiz.solve({**doc, "ask": {"quantity": "E"}}).answer == pytest.approx(-math.log(y))
    assert rnnquiz.solve({**doc, "ask": {"quantity": "dE/db_y"}}).answer == \
        pytest.approx(y - 1)
    doc["targets"] = [0]                                  # E = -log(1 - y); dE/db_y = y
    assert rnnquiz.solve({**doc, "ask": {"quantity": "E"}}).answer == \
        pytest.approx(-math.log(1 - y))
    assert rnnquiz.solve({**doc, "ask": {"quantity": "dE/db_y"}}).answer == pytest.approx(y)


# ---------------------------------------------------------------- round: activations

P3 = {"type": "forward", "inputs": [9, 4, -2], "round": "activations",
      "network": {"W_xh": 0.3, "W_hh": -1.0, "W_hy": -0.7, "b_h": -1.0}}


def test_activations_round_logistic_hidden_units_to_0_or_1():
    # z_0 = 2.7 - 1 = 1.7, σ(1.7) = 0.8455 -> 1; z_1 = 1.2 - 1 - 1 = -0.8, σ = 0.31 -> 0;
    # z_2 = -0.6 - 0 - 1 = -1.6, σ = 0.168 -> 0
    r = rnnquiz.solve({**P3, "network": {**P3["network"], "hidden": "logistic"},
                       "ask": {"quantity": "h"}})
    assert r.answer == [1.0, 0.0, 0.0]
    s = steps_of(r)
    assert s["z_1"].value == pytest.approx(-0.8) and s["h_0"].raw == pytest.approx(sig(1.7))
    y = rnnquiz.solve({**P3, "network": {**P3["network"], "hidden": "logistic"},
                       "ask": {"quantity": "y", "t": 0}}).answer
    assert y == pytest.approx(-0.7)


@pytest.mark.parametrize("hidden, h", [
    # relu: z_0 = 1.7 -> 1.7; z_1 = 1.2 - 1.7 - 1 = -1.5 -> 0; z_2 = -0.6 - 0 - 1 -> 0
    ("relu", [1.7, 0.0, 0.0]),
    # linear: 1.7; z_1 = 1.2 - 1.7 - 1 = -1.5; z_2 = -0.6 + 1.5 - 1 = -0.1
    ("linear", [1.7, -1.5, -0.1]),
])
def test_activations_leave_relu_and_linear_units_exact(hidden, h):
    r = rnnquiz.solve({**P3, "network": {**P3["network"], "hidden": hidden},
                       "ask": {"quantity": "h"}})
    assert r.answer == pytest.approx(h, abs=1e-12)


def test_activations_round_the_gated_rnns_gate_and_candidate():
    # g_0 = σ(0·0.5 + 1·1 + 0) = 0.731 -> 1; candidate tanh(1·0.5 + 0.2·1) = tanh(0.7) = 0.604
    # -> 1; s_0 = (1 - 1)·0.5 + 1·1 = 1. Rounding the candidate alone: 0.269·0.5 + 0.731 = 0.866;
    # the gate alone: 0.604.
    doc = {"type": "gated", "round": "activations",
           "network": {"W_gs": 0, "W_gx": 1, "b_g": 0, "W_ss": 1, "W_sx": 0.2, "s_init": 0.5},
           "inputs": [1], "ask": {"quantity": "s", "t": 0}}
    assert rnnquiz.solve(doc).answer == 1.0
    exact = rnnquiz.solve({**doc, "round": "none"}).answer
    assert exact == pytest.approx((1 - sig(1)) * 0.5 + sig(1) * math.tanh(0.7))
    g = rnnquiz.solve({**doc, "ask": {"quantity": "g", "t": 0}}).answer
    assert g == 1.0


def torch_gru(x_seq, h0, w_ih, w_hh, b_ih, b_hh):
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle of this test")
    cell = torch.nn.GRUCell(len(x_seq[0]), len(h0)).double()
    with torch.no_grad():
        cell.weight_ih.copy_(torch.tensor(w_ih, dtype=torch.float64))
        cell.weight_hh.copy_(torch.tensor(w_hh, dtype=torch.float64))
        cell.bias_ih.copy_(torch.tensor(b_ih, dtype=torch.float64))
        cell.bias_hh.copy_(torch.tensor(b_hh, dtype=torch.float64))
    return cell


GRU_NET = {"weight_ih": [[0.4], [-0.6], [0.9]], "weight_hh": [[0.3], [0.8], [-0.5]],
           "bias_ih": [0.1, -0.2, 0.3], "bias_hh": [0.05, 0.4, -0.7], "h_init": [0.6]}


def test_pytorch_gru_z_and_candidate_against_torch():
    # PyTorch's GRU, one unit: r = σ(W_ir x + b_ir + W_hr h + b_hr), z likewise,
    # n = tanh(W_in x + b_in + r (W_hn h + b_hn)), h' = (1 - z) n + z h
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle of this test")
    x, h = 1.5, 0.6
    n_ = GRU_NET
    r = sig(0.4 * x + 0.1 + 0.3 * h + 0.05)           # rows in PyTorch's order: r, z, n
    z = sig(-0.6 * x - 0.2 + 0.8 * h + 0.4)
    n = math.tanh(0.9 * x + 0.3 + r * (-0.5 * h - 0.7))
    cell = torch_gru([[x]], [h], n_["weight_ih"], n_["weight_hh"], n_["bias_ih"], n_["bias_hh"])
    h_torch = float(cell(torch.tensor([[x]], dtype=torch.float64),
                         torch.tensor([[h]], dtype=torch.float64)).detach()[0, 0])
    assert h_torch == pytest.approx((1 - z) * n + z * h, rel=1e-14)
    doc = {"type": "gru", "notation": "pytorch", "round": "none", "network": n_, "inputs": [[x]]}
    # a network written with lists answers with lists
    assert rnnquiz.solve({**doc, "ask": {"quantity": "z", "t": 0}}).answer == \
        pytest.approx([z], rel=1e-14)
    assert rnnquiz.solve({**doc, "ask": {"quantity": "h", "t": 0}}).answer == \
        pytest.approx([h_torch], rel=1e-14)
    # round: activations rounds the gates and the candidate n: r = σ(0.93) = 0.72 -> 1,
    # z = σ(-0.22) = 0.45 -> 0, n = tanh(1.65 + 1·(-1.0)) = tanh(0.65) = 0.57 -> 1,
    # h' = (1 - 0)·1 + 0·0.6 = 1 (0.57 if the candidate were left exact)
    ra = {q: rnnquiz.solve({**doc, "round": "activations", "ask": {"quantity": q, "t": 0}}).answer
          for q in ("r", "z", "n", "h")}
    assert ra == {"r": [1.0], "z": [0.0], "n": [1.0], "h": [1.0]}
    assert r == pytest.approx(sig(0.93)) and z == pytest.approx(sig(-0.22))


# ---------------------------------------------------------------- relu at exactly z = 0

@pytest.mark.parametrize("steps", [True, False])
def test_relu_at_exactly_zero_has_slope_0(steps):
    # z_0 = 1·2 - 2 = 0 exactly: relu(0) = 0 and relu'(0) = 0 (PyTorch's convention), so no
    # gradient reaches W_xh through step 0; step 1: z_1 = 1·1 + 0 - 2 = -1 -> 0 as well.
    # y_0 = W_hy h_0 = 0; with the squared loss and target 1 at step 0, dE/dW_hy = (0 - 1)·0.
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle of this test")
    doc = {"type": "backprop", "network": {"hidden": "relu", "W_xh": 1.0, "W_hh": 0.5,
                                           "W_hy": 2.0, "b_h": -2.0},
           "inputs": [2.0, 3.0], "targets": [1.0, 1.0]}
    # z_1 = 3 + 0 - 2 = 1 > 0: h_1 = 1, y_1 = 2, dE/dy_1 = 1, dE/dz_1 = 2, dE/dz_0 = 0.5·2·0
    assert rnnquiz.solve({**doc, "ask": {"quantity": "dE/dW_xh"}}, steps=steps).answer == \
        pytest.approx(2.0 * 3.0)
    assert rnnquiz.solve({**doc, "ask": {"quantity": "dE/dW_hh"}}, steps=steps).answer == 0.0
    assert rnnquiz.solve({**doc, "ask": {"quantity": "dE/db_h"}}, steps=steps).answer == 2.0
    assert rnnquiz.solve({**doc, "ask": {"quantity": "E"}}, steps=steps).answer == \
        pytest.approx(0.5 * (1 + 1))
    # torch agrees: its relu'(0) is 0
    z = torch.tensor(0.0, dtype=torch.float64, requires_grad=True)
    torch.relu(z).backward()
    assert float(z.grad) == 0.0


# ---------------------------------------------------------------- vanishing

def test_vector_simple_rnn_vanishing_with_its_working():
    W = np.array([[0.5, 2.0], [0.0, 0.5]])
    Wx = np.array([[1.0, -0.5], [0.3, 1.0]])
    X = [[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [-1.0, 0.5]]
    doc = {"type": "vanishing", "network": {"hidden": "tanh", "W_xh": Wx.tolist(),
                                            "W_hh": W.tolist(), "b_h": [0.1, -0.1]},
           "inputs": X}
    h, J = np.zeros(2), []
    for x in X:
        z = Wx @ np.array(x) + W @ h + np.array([0.1, -0.1])
        J.append(W * (1 - np.tanh(z) ** 2))           # dz_{t+1}/dz_t = W_hh diag(tanh'(z_t))
        h = np.tanh(z)
    J = J[:-1]
    prod = J[2] @ J[1] @ J[0]
    g = np.linalg.norm(prod, 2) ** (1 / 3)
    r = rnnquiz.solve(doc)
    assert r.values["g"] == pytest.approx(g, rel=1e-12)
    assert r.answer == ("vanishing" if g < 0.99 else "exploding" if g > 1.01 else "neither")
    s = steps_of(r)
    assert s["dz_1/dz_0"].value == pytest.approx(J[0], rel=1e-12)
    assert s["dz_3/dz_2"].value == pytest.approx(J[2], rel=1e-12)
    assert r.values["product"][-1] == pytest.approx(np.linalg.norm(prod, 2), rel=1e-12)


def test_pytorch_gru_vanishing_factors_are_torchs_jacobians():
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle of this test")
    X = [[1.5], [-0.5], [0.7]]
    cell = torch_gru(X, [0.6], GRU_NET["weight_ih"], GRU_NET["weight_hh"], GRU_NET["bias_ih"],
                     GRU_NET["bias_hh"])
    h = torch.tensor([[0.6]], dtype=torch.float64)
    factors = []
    for t, x in enumerate(X):
        xt = torch.tensor([x], dtype=torch.float64)
        if t > 0:
            jac = torch.autograd.functional.jacobian(lambda hh: cell(xt, hh), h)
            factors.append(abs(float(jac.reshape(-1)[0])))
        h = cell(xt, h).detach()
    doc = {"type": "vanishing", "cell": "gru", "notation": "pytorch", "network": GRU_NET,
           "inputs": X}
    r = rnnquiz.solve(doc)
    g = (factors[0] * factors[1]) ** 0.5
    assert r.values["g"] == pytest.approx(g, rel=1e-12)
    assert r.values["product"][-1] == pytest.approx(factors[0] * factors[1], rel=1e-12)


# ---------------------------------------------------------------- answer plumbing

@pytest.mark.parametrize("T, steps", [(3, False), (205, True), (205, False)])
def test_scalar_answers_from_the_scan_are_numbers_not_rows(T, steps):
    xs = [((i % 7) - 3) / 4 for i in range(T)]
    doc = {"type": "forward", "network": {"hidden": "tanh", "W_xh": 0.5, "W_hh": 0.3},
           "inputs": xs, "ask": {"quantity": "h"}}
    h, want = 0.0, []
    for x in xs:
        h = math.tanh(0.5 * x + 0.3 * h)
        want.append(h)
    got = rnnquiz.solve(doc, steps=steps).answer
    assert isinstance(got, list) and all(isinstance(v, float) for v in got)
    assert got == pytest.approx(want, rel=1e-12)
    last = rnnquiz.solve({**doc, "ask": {"quantity": "h", "t": T - 1}}, steps=steps).answer
    assert isinstance(last, float) and last == pytest.approx(want[-1], rel=1e-12)
    bp = {"type": "backprop", "network": {"hidden": "tanh", "W_xh": 0.5, "W_hh": 0.3},
          "inputs": xs, "targets": {T - 1: 0.0}, "ask": {"quantity": "dE/dW_hh"}}
    g = rnnquiz.solve(bp, steps=steps).answer
    assert isinstance(g, float)


def test_check_answer_with_rows():
    assert parse_answer("1,2;3,4") == [[1.0, 2.0], [3.0, 4.0]]
    assert parse_answer("[1, 2]") == [1.0, 2.0]
    assert parse_answer("\u22120.5") == -0.5
    with pytest.raises(ValueError, match="rows of different lengths"):
        parse_answer("1,2;3")
    doc = {"type": "backprop", "network": {"hidden": "linear", "W_xh": [[1.0, 0.0], [0.0, 1.0]],
                                           "W_hh": [[0.0, 0.0], [0.0, 0.0]],
                                           "W_hy": [[1.0, 0.0], [0.0, 1.0]]},
           "inputs": [[1.0, 2.0]], "targets": [[0.0, 0.0]], "ask": {"quantity": "dE/dW_xh"}}
    # h = x; E = ½‖h‖²; dE/dW_xh = h xᵀ = [[1, 2], [2, 4]]
    out = rnnquiz.check(doc, "1,2;2,4")
    assert out["agrees"] is True and out["expected"] == [[1.0, 2.0], [2.0, 4.0]]
    assert rnnquiz.check(doc, "1,2;2,5")["agrees"] is False


def test_relative_tolerance_for_large_published_values():
    assert agree(1e12 + 500.0, 1e12, None)            # within 1e-9 relative
    assert not agree(1e12 + 5000.0, 1e12, None)
    assert agree(1.0 + 5e-10, 1.0, None) and not agree(1.0 + 5e-9, 1.0, None)
    assert agree(1e-12, 0.0, None)                     # absolute below 1
    assert agree(2.344, 2.35, 2) is False and agree(2.3449, 2.34, 2)
    assert agree(1.125, 1.12, 2)                       # half to even


def test_the_whole_shapes_answer():
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle of this test")
    doc = {"type": "shapes", "cell": "lstm", "input": 10, "hidden": 20, "framework": "pytorch",
           "ask": {"quantity": "shapes"}}
    ans = rnnquiz.solve(doc).answer
    lstm = torch.nn.LSTM(10, 20)
    want = {k: list(v.shape) for k, v in lstm.state_dict().items()}
    for key, shape in want.items():
        assert ans[key] == shape, key
    params = rnnquiz.solve({**doc, "ask": {"quantity": "params"}}).answer
    assert params == sum(p.numel() for p in lstm.parameters()) == 2560


# ---------------------------------------------------------------- a notation's convention

def test_a_notation_that_fixes_the_gru_convention_sets_it():
    # keras' GRU (reset_after) and PyTorch's are the PyTorch convention; deeplearning.ai's is ng
    with pytest.raises(rnnquiz.ProblemError, match="convention"):
        rnnquiz.solve({"type": "gru", "notation": "pytorch", "convention": "ng",
                       "network": GRU_NET, "inputs": [[1.0]]})
    p = from_dict({"type": "gru", "notation": "pytorch", "network": GRU_NET,
                                   "inputs": [[1.0]]})
    assert p.convention == "pytorch"


def _softmax_dW_against_torch(W_hy, inputs, targets, steps) -> float:
    """A one-unit tanh RNN with a softmax read-out and class-index targets: E and dE/dW_hy
    against torch's cross_entropy (summed); returns torch's E."""
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle of this test")
    doc = {"type": "backprop", "loss": "cross_entropy",
           "network": {"hidden": "tanh", "output": "softmax", "W_xh": [[1.0]], "W_hh": [[0.0]],
                       "W_hy": W_hy}, "inputs": inputs, "targets": targets}
    h = torch.tanh(torch.tensor(inputs, dtype=torch.float64))
    W = torch.tensor(W_hy, dtype=torch.float64, requires_grad=True)
    loss = torch.nn.functional.cross_entropy(h @ W.T, torch.tensor(targets), reduction="sum")
    loss.backward()
    dW = rnnquiz.solve({**doc, "ask": {"quantity": "dE/dW_hy"}}, steps=steps).answer
    np.testing.assert_allclose(dW, W.grad.numpy(), rtol=1e-12, atol=1e-15)
    E = rnnquiz.solve({**doc, "ask": {"quantity": "E"}}, steps=steps).answer
    assert E == pytest.approx(loss.item(), rel=1e-12)
    return loss.item()


@pytest.mark.parametrize("steps", [True, False])
def test_softmax_cross_entropy_of_a_saturated_output_against_torch(steps):
    # u_0 = W_hy h_0 = ±500·0.76: the class asked has probability e^-762, which float64
    # rounds to 0; -log y from y would be inf, from the logits it is 1000 tanh(1) = 761.59
    E = _softmax_dW_against_torch([[500.0], [-500.0]], [[1.0], [0.5]], [1, 0], steps)
    assert E == pytest.approx(1000 * math.tanh(1.0), rel=1e-9)


def test_a_word_given_as_a_huge_integer_is_named():
    # str() of an integer past 4,300 digits raises ValueError; the error must still be one line
    with pytest.raises(rnnquiz.ProblemError, match=r"network.hidden: expected one of .*, got a "
                                                   r"whole number of about 5,000 digits"):
        rnnquiz.solve({"type": "forward", "network": {"hidden": 10 ** 5000, "W_xh": 0.5,
                                                      "W_hh": -1.0}, "inputs": [1]})


@pytest.mark.parametrize("steps", [True, False])
def test_one_relu_unit_forward_by_hand(steps):
    # z_0 = 0.5 -> 0.5; z_1 = -1.5 + 0.25 = -1.25 -> 0; z_2 = 0.2 + 0 = 0.2 -> 0.2;
    # z_3 = 0.5·(-0.2) + 0.5·0.2 = 0 exactly -> 0
    doc = {"type": "forward", "network": {"hidden": "relu", "W_xh": 0.5, "W_hh": 0.5},
           "inputs": [1.0, -3.0, 0.4, -0.2], "ask": {"quantity": "h"}}
    got = rnnquiz.solve(doc, steps=steps).answer
    assert got == pytest.approx([0.5, 0.0, 0.2, 0.0], abs=1e-15)
    assert rnnquiz.solve({**doc, "ask": {"quantity": "z"}}, steps=steps).answer == \
        pytest.approx([0.5, -1.25, 0.2, 0.0], abs=1e-15)


# ---------------------------------------------------------------- slips, worked by hand

def test_slip_values_against_hand_worked_numbers():
    from rnnquiz.teaching.slip_search import value_of as _value
    from rnnquiz.teaching.slips import variants_for
    p = from_dict({"type": "forward", "inputs": [9, 4, -2], "ask": {"quantity": "y", "t": 1},
                   "network": {"W_xh": 0.5, "W_hh": -1.0, "W_hy": -0.7, "b_h": -1.0}})
    got = {(v.slip, v.detail): _value(p, v)[0] for v in variants_for(p)}
    want = {
        # b_h left out: z_0 = 4.5, z_1 = 2 - σ(4.5)
        ("no_bias", "b_h"): -0.7 * sig(2 - sig(4.5)),
        # tanh for the logistic: h_0 = tanh(3.5), z_1 = 2 - h_0 - 1
        ("activation_swapped", "tanh for logistic"): -0.7 * math.tanh(1 - math.tanh(3.5)),
        ("off_by_one_step", "t = 0"): -0.7 * sig(3.5),
        ("off_by_one_step", "t = 2"): -0.7 * sig(-1 - sig(1 - sig(3.5)) - 1),
        # h_{-1} = x_0 = 9: z_0 = 4.5 - 9 - 1 = -5.5
        ("initial_state_as_input", "h_init = x_0"): -0.7 * sig(2 - sig(-5.5) - 1),
        # the sequence starts at x = 4: one step, z = 2 - 1 = 1
        ("initial_state_as_input", "first step skipped"): -0.7 * sig(1),
        # h_0 = 0.97 -> 1.0, z_1 = 0, h_1 = 0.5, y_1 = -0.35 -> -0.3 or -0.4 (its float is
        # -0.34999999999999998, and numpy rounds that half to even on the scaled -3.5 -> -4)
        ("rounded_early", "to 1 decimal"): -0.4,
        # h_0 = 0.97, z_1 = 0.03, h_1 = σ(0.03) = 0.51, y_1 = -0.357 -> -0.36
        ("rounded_early", "to 2 decimals"): -0.36,
    }
    assert got.keys() == want.keys()
    for key, value in want.items():
        assert got[key] == pytest.approx(value, rel=1e-12), key
    # backprop: dE/dW_hy = Σ_t (y_t - target_t) h_t; the ½ missing doubles it, (t - y) flips it
    doc = {"type": "backprop", "inputs": [1, 2], "targets": [0.5, 0.2],
           "network": {"W_xh": 0.5, "W_hh": -1.0, "W_hy": -0.7, "b_h": -1.0},
           "ask": {"quantity": "dE/dW_hy"}}
    h0 = sig(0.5 - 1)
    h1 = sig(1 - h0 - 1)
    g = (-0.7 * h0 - 0.5) * h0 + (-0.7 * h1 - 0.2) * h1
    p = from_dict(doc)
    got = {(v.slip, v.detail): _value(p, v)[0] for v in variants_for(p)}
    assert got[("half_missing", "")] == pytest.approx(2 * g, rel=1e-12)
    assert got[("sign_flipped", "")] == pytest.approx(-g, rel=1e-12)
    assert got[("direct_term_only", "")] == pytest.approx(g, rel=1e-12)   # W_hy: no BPTT
    assert rnnquiz.solve(doc).answer == pytest.approx(g, rel=1e-12)


@pytest.mark.parametrize("steps", [True, False])
def test_softmax_cross_entropy_steps_far_apart_against_torch(steps):
    # u_0 = ±1000·tanh(1) = ±762 and u_1 = ±1000·tanh(0.01) = ±10: each step's logits are
    # normalised by their own largest (by the other step's, e^(10 - 762) would be 0)
    E = _softmax_dW_against_torch([[1000.0], [-1000.0]], [[1.0], [0.01]], [0, 1], steps)
    assert E == pytest.approx(2000 * math.tanh(0.01), rel=1e-6)    # step 1: -log σ(-2u_1)


def test_check_names_an_answer_it_cannot_read():
    doc = {"type": "forward", "inputs": [1], "network": {"W_xh": 0.5, "W_hh": 1.0}}
    with pytest.raises(rnnquiz.ProblemError, match=r"^answer: expected a number, a list"):
        rnnquiz.check(doc, "1,,2")


def test_check_judges_at_the_decimals_written_and_returns_the_whole_verdict():
    # Hinton's problem 3 without ask.digits: y_1 = -0.7·σ(2 - σ(3.5) - 1) = -0.35513...
    doc = {"type": "forward", "inputs": [9, 4, -2], "ask": {"quantity": "y", "t": 1},
           "network": {"W_xh": 0.5, "W_hh": -1.0, "W_hy": -0.7, "b_h": -1.0}}
    y = -0.7 * sig(2 - sig(3.5) - 1)
    assert round(y, 2) == -0.36 and round(y, 3) == -0.355
    out = rnnquiz.check(doc, "-0.36")
    assert out == {"schema_version": 1, "file": None, "question": "y at t=1", "given": -0.36,
                   "agrees": True, "expected": pytest.approx(y, rel=1e-15),
                   "expected_rounded": -0.36, "digits": 2, "diagnosis": []}
    out = rnnquiz.check(doc, "-0.357")                 # three decimals written: -0.355 wanted
    assert out["agrees"] is False and out["digits"] == 3 and out["expected_rounded"] == -0.355
    assert rnnquiz.check(doc, "-0.355")["agrees"] is True


def test_check_of_a_choice_has_no_digits():
    doc = {"type": "choice", "question": "Which are even?", "options": ["1", "2", "3", "4"],
           "correct": [2, 4]}
    out = rnnquiz.check(doc, "2,4")
    assert out["agrees"] is True and out["digits"] is None and out["expected_rounded"] is None
    out = rnnquiz.check(doc, "4")
    assert out["agrees"] is False and out["diagnosis"] == []


@pytest.mark.parametrize("steps", [True, False])
def test_hintons_threshold_unit_fires_at_exactly_zero(steps):
    # SPEC 1.1: step(z) = 1 when z >= 0. z_0 = 0.5·1 - 0.5 = 0 -> 1; z_1 = 0.5·0.8 + 0.5·1 - 0.5
    # = 0.4 -> 1; z_2 = 0.5·(-2) + 0.5 - 0.5 = -1 -> 0; z_3 = 0.5·2 + 0 - 0.5 = 0.5 -> 1
    doc = {"type": "forward", "network": {"hidden": "step", "W_xh": 0.5, "W_hh": 0.5,
                                          "b_h": -0.5},
           "inputs": [1.0, 0.8, -2.0, 2.0], "ask": {"quantity": "h"}}
    assert rnnquiz.solve(doc, steps=steps).answer == [1.0, 1.0, 0.0, 1.0]


@pytest.mark.parametrize("steps", [True, False])
def test_keras_hard_sigmoid_by_hand(steps):
    # h = clip(0.2 z + 0.5, 0, 1), slope 0.2 strictly inside (-2.5, 2.5), else 0; W_hh = 0
    doc = {"type": "backprop", "network": {"hidden": "hard_sigmoid", "W_xh": 1.0, "W_hh": 0.0,
                                           "W_hy": 1.0},
           "inputs": [-3.0, 0.0, 1.0, 3.0, 2.5, -2.5, -2.0], "targets": [0.5] * 7}
    fwd = {"type": "forward", "network": doc["network"], "inputs": doc["inputs"],
           "ask": {"quantity": "h"}}
    h = rnnquiz.solve(fwd, steps=steps).answer
    assert h == pytest.approx([0.0, 0.5, 0.7, 1.0, 1.0, 0.0, 0.1], abs=1e-15)
    # dE/dh_t = h_t - 0.5 = [-0.5, 0, 0.2, 0.5, 0.5, -0.5, -0.4]; slopes [0, .2, .2, 0, 0, 0, .2]
    # dE/db_h = 0.2·(0 + 0.2 - 0.4) = -0.04; dE/dW_xh = 0.2·(0·0 + 0.2·1 + (-0.4)·(-2)) = 0.2
    assert rnnquiz.solve({**doc, "ask": {"quantity": "dE/db_h"}}, steps=steps).answer == \
        pytest.approx(-0.04, abs=1e-15)
    assert rnnquiz.solve({**doc, "ask": {"quantity": "dE/dW_xh"}}, steps=steps).answer == \
        pytest.approx(0.2, abs=1e-15)


def test_the_working_names_the_rounding_it_uses():
    # the first line of the working a student reads
    assert Rounding(1).describe() == "every named quantity rounded to 1 decimal"
    assert Rounding(3).describe() == "every named quantity rounded to 3 decimals"
    assert Rounding("none").describe() == "exact arithmetic (float64)"
    assert Rounding("state").describe().startswith("each state (h_t, c_t, s_t) rounded")
    assert Rounding("activations").describe().startswith("sigmoid outputs rounded to 0 or 1")


def test_the_working_writes_each_losss_formulas():
    d = {"type": "backprop", "network": {"hidden": "tanh", "output": "logistic", "W_xh": 0.5,
                                         "W_hh": -1.0, "W_hy": 2.0}, "inputs": [1], "targets": [1]}

    def eqs(doc):
        return {s.symbol: s.equation for s in rnnquiz.solve(doc).steps
                if s.symbol in ("E", "dE/dy_0", "dE/du_0")}
    assert eqs({**d, "loss": "squared"}) == {
        "E": "1/2 Σ_t (y_t - target_t)²", "dE/dy_0": "y_0 - target_0",
        "dE/du_0": "dE/dy_0·logistic'(u_0)"}
    assert eqs({**d, "loss": "cross_entropy"}) == {
        "E": "-Σ_t [target_t log y_t + (1 - target_t) log(1 - y_t)]",
        "dE/dy_0": "-target_0/y_0 + (1 - target_0)/(1 - y_0)", "dE/du_0": "y_0 - target_0"}
    soft = {"type": "backprop", "loss": "cross_entropy", "inputs": [[1]], "targets": [0],
            "network": {"hidden": "tanh", "output": "softmax", "W_xh": [[0.5]],
                        "W_hh": [[-1.0]], "W_hy": [[2.0], [1.0]]}}
    assert eqs(soft) == {"E": "-Σ_t Σ_k target_tk log y_tk", "dE/dy_0": "-target_0/y_0",
                         "dE/du_0": "y_0 - target_0"}


@pytest.mark.parametrize("steps", [True, False])
def test_squared_loss_through_a_softmax_over_a_batch_against_torch(steps):
    # the softmax Jacobian sums over the classes of each example, never over the examples
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle of this test")
    X = [[[1.0], [-0.5]], [[0.3], [2.0]], [[-1.2], [0.4]]]          # (N, T, D) = (3, 2, 1)
    TG = [[[1.0, 0.0], [0.0, 1.0]], [[0.0, 1.0], [1.0, 0.0]], [[0.5, 0.5], [1.0, 0.0]]]
    W_xh, W_hh, W_hy = [[0.7]], [[-0.4]], [[1.5], [-0.8]]
    doc = {"type": "backprop", "batch": True, "inputs": X, "targets": TG,
           "network": {"hidden": "tanh", "output": "softmax", "W_xh": W_xh, "W_hh": W_hh,
                       "W_hy": W_hy}}
    t = {k: torch.tensor(v, dtype=torch.float64, requires_grad=True)
         for k, v in (("W_xh", W_xh), ("W_hh", W_hh), ("W_hy", W_hy))}
    x, tg = torch.tensor(X, dtype=torch.float64), torch.tensor(TG, dtype=torch.float64)
    h, E = torch.zeros(3, 1, dtype=torch.float64), 0
    for s in range(2):
        h = torch.tanh(x[:, s] @ t["W_xh"].T + h @ t["W_hh"].T)
        y = torch.softmax(h @ t["W_hy"].T, dim=-1)
        E = E + 0.5 * ((y - tg[:, s]) ** 2).sum()
    E.backward()
    for key in t:
        got = rnnquiz.solve({**doc, "ask": {"quantity": f"dE/d{key}"}}, steps=steps).answer
        np.testing.assert_allclose(got, t[key].grad.numpy(), rtol=1e-12, atol=1e-15)


def test_a_cross_entropy_that_overflows_is_an_error_without_a_warning():
    # round: 2 makes y = σ(-20·tanh(1)) = 2.4e-7 into 0.00: -log 0 is inf, said as an error
    doc = {"type": "backprop", "round": 2, "loss": "cross_entropy", "inputs": [1],
           "targets": [1], "ask": {"quantity": "E"},
           "network": {"hidden": "tanh", "output": "logistic", "W_xh": 1.0, "W_hh": 0.0,
                       "W_hy": -20.0}}
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(rnnquiz.ProblemError, match="E overflows float64"):
            rnnquiz.solve(doc)


def test_softmax_cross_entropy_with_rounding_takes_the_rounded_y():
    # round: 2: h_0 = tanh(1) = 0.7616 -> 0.76; u_0 = (1.14, -0.608); y_0 = softmax(u_0)
    # = (0.8517, 0.1483) -> (0.85, 0.15); E = -log 0.85 = 0.1625 (exact y: 0.1605)
    doc = {"type": "backprop", "round": 2, "loss": "cross_entropy", "inputs": [[1.0]],
           "targets": [0], "ask": {"quantity": "E"},
           "network": {"hidden": "tanh", "output": "softmax", "W_xh": [[1.0]], "W_hh": [[0.0]],
                       "W_hy": [[1.5], [-0.8]]}}
    e = [math.exp(1.14), math.exp(-0.608)]
    assert round(e[0] / sum(e), 2) == 0.85
    assert rnnquiz.solve(doc).answer == pytest.approx(-math.log(0.85), rel=1e-12)


@pytest.mark.parametrize("steps", [True, False])
def test_softmax_cross_entropy_dE_dy_with_a_mask_against_torch(steps):
    # dE/dy_t = -target_t / y_t where a step counts, 0 where the mask leaves it out
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle of this test")
    X, T = [[1.0], [-0.5], [0.8]], [0, 1, 1]
    W_hy = [[1.5], [-0.8]]
    doc = {"type": "backprop", "loss": "cross_entropy", "inputs": X, "targets": T,
           "mask": [1, 0, 1], "network": {"hidden": "tanh", "output": "softmax",
                                           "W_xh": [[1.0]], "W_hh": [[0.5]], "W_hy": W_hy}}
    h, ys = torch.zeros(1, dtype=torch.float64), []
    for x in X:
        h = torch.tanh(torch.tensor(x, dtype=torch.float64) + 0.5 * h)
        ys.append(torch.softmax(torch.tensor(W_hy, dtype=torch.float64) @ h, dim=0)
                  .detach().requires_grad_(True))
    E = -sum(torch.log(ys[t][T[t]]) for t in (0, 2))
    E.backward()
    got = rnnquiz.solve({**doc, "ask": {"quantity": "dE/dy"}}, steps=steps).answer
    want = [y.grad.numpy() if y.grad is not None else np.zeros(2) for y in ys]
    assert not want[1].any()
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-15)
    assert rnnquiz.solve({**doc, "ask": {"quantity": "E"}}, steps=steps).answer == \
        pytest.approx(E.item(), rel=1e-12)


def test_binary_cross_entropy_with_rounding_takes_the_rounded_y():
    # round: 2: h_0 = tanh(1) -> 0.76; y_0 = σ(2·0.76) = σ(1.52) = 0.8205 -> 0.82;
    # E = -log 0.82 (target 1), -log 0.18 (target 0)
    doc = {"type": "backprop", "round": 2, "loss": "cross_entropy", "inputs": [1.0],
           "targets": [1], "ask": {"quantity": "E"},
           "network": {"hidden": "tanh", "output": "logistic", "W_xh": 1.0, "W_hh": 0.0,
                       "W_hy": 2.0}}
    assert round(sig(1.52), 2) == 0.82
    assert rnnquiz.solve(doc).answer == pytest.approx(-math.log(0.82), rel=1e-12)
    assert rnnquiz.solve({**doc, "targets": [0]}).answer == pytest.approx(-math.log(0.18),
                                                                          rel=1e-12)
