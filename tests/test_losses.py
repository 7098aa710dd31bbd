"""The losses of rnnquiz/cells/loss.py row by row against torch and hand-worked values:
targets exactly 0 and 1, saturated outputs, masked rows, the logits' path and the
probabilities' path, and the equations the working writes (benchmarks/MUTATION.md)."""

from __future__ import annotations

import numpy as np
import pytest

from rnnquiz.cells import loss as L


def _t(a):
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle of this test")
    return torch.tensor(np.asarray(a, dtype=np.float64))


def test_log_softmax_against_torch_without_overflow():
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle of this test")
    F = torch.nn.functional
    U = np.array([[0.5, -1.0, 2.0], [1000.0, 0.0, -1000.0], [3.0, 3.0, 3.0]])
    got = L._log_softmax(U)
    want = F.log_softmax(_t(U), dim=-1).numpy()
    np.testing.assert_allclose(got, want, rtol=1e-14, atol=0)
    assert np.isfinite(got[1]).all() and got[1, 0] == 0.0 and got[1, 2] == -2000.0
    np.testing.assert_allclose(got[2], -np.log(3.0), rtol=1e-15)


def _rows():
    # three rows: a soft target, a one-hot target, a row without a target (masked)
    U = np.array([[0.2, -0.7, 1.1], [3.0, -2.0, 0.5], [9.0, 9.0, 9.0]])
    TG = np.array([[0.25, 0.25, 0.5], [0.0, 1.0, 0.0], [0.0, 0.0, 0.0]])
    mask = np.array([True, True, False])
    return U, TG, mask


@pytest.mark.parametrize("from_logits", [True, False])
def test_softmax_cross_entropy_rows_against_torch(from_logits):
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle of this test")
    F = torch.nn.functional
    U, TG, mask = _rows()
    Y = F.softmax(_t(U), dim=-1).numpy()
    E, DY, DU = L.losses(Y, TG, mask, "softmax", "cross_entropy", U if from_logits else None)
    want = F.cross_entropy(_t(U[:2]), _t(TG[:2]), reduction="none").numpy()
    np.testing.assert_allclose(E[:2], want, rtol=1e-13)
    assert E[2] == 0.0
    # dE/dy = -t/y (0 where t = 0), dE/du = y Σt - t, by autograd
    u = _t(U[:2]).requires_grad_()
    y = F.softmax(u, dim=-1)
    y.retain_grad()
    (-(_t(TG[:2]) * torch.log(y)).sum()).backward()
    np.testing.assert_allclose(DY[:2], y.grad.numpy(), rtol=1e-12)
    np.testing.assert_allclose(DU[:2], u.grad.numpy(), rtol=1e-12, atol=1e-15)
    assert (DY[2] == 0.0).all() and (DU[2] == 0.0).all()


def test_softmax_targets_that_do_not_sum_to_one():
    # dE/du = y Σ_k t_k - t: with t = (1, 1, 0), Σ t = 2
    U = np.array([[0.0, np.log(2.0), np.log(5.0)]])           # y = (1, 2, 5)/8
    Y = np.array([[0.125, 0.25, 0.625]])
    TG = np.array([[1.0, 1.0, 0.0]])
    E, DY, DU = L.losses(Y, TG, np.array([True]), "softmax", "cross_entropy", U)
    np.testing.assert_allclose(DU, [[2 * 0.125 - 1, 2 * 0.25 - 1, 2 * 0.625]], rtol=1e-15)
    np.testing.assert_allclose(DY, [[-8.0, -4.0, 0.0]], rtol=1e-15)
    np.testing.assert_allclose(E, [np.log(8.0) + np.log(4.0)], rtol=1e-14)


def test_softmax_cross_entropy_of_a_zero_probability_with_no_target_is_finite():
    # y_k = 0 exactly where t_k = 0: 0·log 0 is left out, not nan; dE/dy_k = 0
    Y = np.array([[0.0, 0.25, 0.75]])
    TG = np.array([[0.0, 1.0, 0.0]])
    E, DY, DU = L.losses(Y, TG, np.array([True]), "softmax", "cross_entropy")
    assert E.tolist() == [np.log(4.0)]
    assert DY.tolist() == [[0.0, -4.0, 0.0]]
    assert DU.tolist() == [[0.0, -0.75, 0.75]]


@pytest.mark.parametrize("from_logits", [True, False])
def test_binary_cross_entropy_with_targets_exactly_0_and_1(from_logits):
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle of this test")
    F = torch.nn.functional
    U = np.array([[0.3], [-1.2], [2.0], [0.0]])
    TG = np.array([[1.0], [0.0], [0.25], [1.0]])
    mask = np.array([True, True, True, False])
    Y = torch.sigmoid(_t(U)).numpy()
    E, DY, DU = L.losses(Y, TG, mask, "logistic", "cross_entropy", U if from_logits else None)
    want = F.binary_cross_entropy_with_logits(_t(U), _t(TG), reduction="none").numpy()[:, 0]
    np.testing.assert_allclose(E[:3], want[:3], rtol=1e-13)
    assert E[3] == 0.0
    y = _t(Y).requires_grad_()
    F.binary_cross_entropy(y[:3], _t(TG[:3]), reduction="sum").backward()
    np.testing.assert_allclose(DY[:3], y.grad.numpy()[:3], rtol=1e-12)
    np.testing.assert_allclose(DU[:3], Y[:3] - TG[:3], rtol=1e-15)
    assert DY[3, 0] == 0.0 and DU[3, 0] == 0.0


def test_binary_cross_entropy_saturated_from_logits():
    # σ(40) rounds to 1 in float64; from the logit, E = log(1 + e^40) for t = 0
    U = np.array([[40.0], [-40.0], [40.0]])
    Y = 1 / (1 + np.exp(-U))
    TG = np.array([[0.0], [1.0], [1.0]])
    E, _, DU = L.losses(Y, TG, np.array([True, True, True]), "logistic", "cross_entropy", U)
    np.testing.assert_allclose(E, [40.0 + np.log1p(np.exp(-40.0)), 40.0 + np.log1p(np.exp(-40.0)),
                                   np.log1p(np.exp(-40.0))], rtol=1e-15)
    np.testing.assert_allclose(DU[:, 0], [Y[0, 0], Y[1, 0] - 1.0, Y[2, 0] - 1.0], rtol=1e-15)


def test_binary_dE_dy_at_probabilities_exactly_0_and_1():
    # -t/y + (1 - t)/(1 - y), each term left out where its denominator is 0 (its target is too)
    Y = np.array([[1.0], [0.0], [0.5]])
    TG = np.array([[1.0], [0.0], [1.0]])
    E, DY, _ = L.losses(Y, TG, np.array([True, True, True]), "logistic", "cross_entropy")
    assert DY[:, 0].tolist() == [-1.0, 1.0, -2.0]
    assert E.tolist() == [0.0, 0.0, np.log(2.0)]


@pytest.mark.parametrize("output", ["linear", "softmax", "logistic", "tanh"])
def test_squared_loss_rows_against_autograd(output):
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle of this test")
    F = torch.nn.functional
    U = np.array([[0.3, -0.8], [1.5, 0.2], [0.0, 0.0]])
    TG = np.array([[0.5, -0.25], [1.0, 0.0], [7.0, 7.0]])
    mask = np.array([True, True, False])
    act = {"linear": lambda u: u, "softmax": lambda u: F.softmax(u, dim=-1),
           "logistic": torch.sigmoid, "tanh": torch.tanh}[output]
    u = _t(U).requires_grad_()
    y = act(u)
    y.retain_grad()
    m = torch.tensor(mask, dtype=torch.float64)[:, None]
    e = 0.5 * (((y - _t(TG)) * m) ** 2).sum(-1)
    e.sum().backward()
    E, DY, DU = L.losses(y.detach().numpy(), TG, mask, output, "squared")
    np.testing.assert_allclose(E, e.detach().numpy(), rtol=1e-14)
    np.testing.assert_allclose(DY, y.grad.numpy(), rtol=1e-14)
    np.testing.assert_allclose(DU, u.grad.numpy(), rtol=1e-12, atol=1e-16)


def test_equations_as_the_working_writes_them():
    assert L.equations("tanh", "squared", True) == (
        "1/2 Σ_t (y_t - target_t)²", "y_{t} - target_{t}", "dE/dy_{t}·tanh'(u_{t})")
    assert L.equations("linear", "squared", False)[1] == "{h} - target_{t}"
    assert L.equations("softmax", "cross_entropy", True) == (
        "-Σ_t Σ_k target_tk log y_tk", "-target_{t}/y_{t}", "y_{t} - target_{t}")
    assert L.equations("logistic", "cross_entropy", True) == (
        "-Σ_t [target_t log y_t + (1 - target_t) log(1 - y_t)]",
        "-target_{t}/y_{t} + (1 - target_{t})/(1 - y_{t})", "y_{t} - target_{t}")


# ---------------------------------------------------------------- the loss in the working
# h_t = 0.5 x_t + 0.25 h_{t-1}, x = 1, 2: h = 0.5, 1.125; y = h (W_hy = 1), targets 0 at both
# steps: E = ½(0.25 + 1.265625) = 0.7578125, dE/dy_t = y_t

SQUARED = {"type": "backprop", "network": {"hidden": "linear", "W_xh": 0.5, "W_hh": 0.25,
                                           "W_hy": 1.0},
           "inputs": [1.0, 2.0], "targets": {0: 0.0, 1: 0.0}, "ask": {"quantity": "E"}}


def _steps(doc):
    import rnnquiz
    return {s.symbol: s for s in rnnquiz.solve(doc).steps}


def test_squared_loss_summed_in_the_working():
    s = _steps(SQUARED)
    assert s["E"].value == 0.7578125 and s["E"].note == ""
    assert s["E"].equation == "1/2 Σ_t (y_t - target_t)²"
    assert s["dE/dy_0"].value == 0.5 and s["dE/dy_1"].value == 1.125
    assert s["dE/dy_1"].equation == "y_1 - target_1" and s["dE/dy_1"].formula == "{} - {}"
    assert s["dE/dy_1"].operands == (1.125, 0.0) and s["dE/dy_1"].t == 1
    assert "dE/du_1" not in s                            # a linear output: dE/du is dE/dy


@pytest.mark.parametrize("steps", [True, False])
def test_mean_reduction_divides_by_the_number_of_terms(steps):
    import rnnquiz
    doc = {**SQUARED, "reduction": "mean"}
    assert rnnquiz.solve(doc, steps=steps).answer == 0.37890625
    # dE/dW_hy = Σ_t (y_t - 0) h_t / 2 = (0.25 + 1.265625)/2
    g = rnnquiz.solve({**doc, "ask": {"quantity": "dE/dW_hy"}}, steps=steps).answer
    assert g == 0.7578125
    one = {**doc, "targets": {1: 0.0}}                   # one term: the mean is the sum
    assert rnnquiz.solve(one, steps=steps).answer == 0.6328125
    s = _steps(doc)
    assert s["E"].equation == "1/2·(1/2 Σ_t (y_t - target_t)²)"
    assert s["E"].note == "reduction mean: each term's gradient is scaled by 1/2"
    assert s["dE/dy_0"].value == 0.25 and s["dE/dy_1"].value == 0.5625


@pytest.mark.parametrize("steps", [True, False])
def test_batch_mean_divides_by_the_examples_only_in_a_batch(steps):
    import rnnquiz
    # two examples, x = (1, 2) and (2, 4): the second's states and E are 2x and 4x the first's
    doc = {**SQUARED, "batch": True, "inputs": [[1.0, 2.0], [2.0, 4.0]],
           "targets": [[0.0, 0.0], [0.0, 0.0]], "reduction": "batch_mean"}
    assert rnnquiz.solve(doc, steps=steps).answer == 0.7578125 * 5 / 2
    assert rnnquiz.solve({**doc, "reduction": "sum"}, steps=steps).answer == 0.7578125 * 5
    s = _steps(doc)
    assert s["E"].note == "reduction batch_mean: each term's gradient is scaled by 1/2"
    plain = {**SQUARED, "reduction": "batch_mean"}       # no batch: nothing to divide by
    assert rnnquiz.solve(plain, steps=steps).answer == 0.7578125
    assert _steps(plain)["E"].note == ""


def test_softmax_cross_entropy_in_the_working():
    # h_1 = 1.125, u_1 = (1.125, -1.125), y_1 = (σ(2.25), σ(-2.25))
    doc = {"type": "backprop", "loss": "cross_entropy",
           "network": {"hidden": "linear", "W_xh": [[0.5]], "W_hh": [[0.25]],
                       "W_hy": [[1.0], [-1.0]], "output": "softmax"},
           "inputs": [[1.0], [2.0]], "targets": {1: [0.0, 1.0]}, "ask": {"quantity": "E"}}
    y = 1 / (1 + np.exp(-np.array([2.25, -2.25])))
    s = _steps(doc)
    np.testing.assert_allclose(s["E"].value, -np.log(y[1]), rtol=1e-14)
    assert s["E"].equation == "-Σ_t Σ_k target_tk log y_tk"
    du = s["dE/du_1"]
    np.testing.assert_allclose(du.value, y - [0.0, 1.0], rtol=1e-14)
    assert du.equation == "y_1 - target_1" and du.formula == "{} - {}"
    assert du.note == "u_1 = W_hy·h_1 + b_y, the output's total input"
    np.testing.assert_allclose(s["dE/dy_1"].value, [0.0, -1 / y[1]], rtol=1e-14)
    assert s["dE/dy_1"].equation == "-target_1/y_1" and s["dE/dy_1"].formula == ""
    two = _steps({**doc, "targets": {1: [1.0, 1.0]}})["dE/du_1"]     # Σ t = 2
    np.testing.assert_allclose(two.value, 2 * y - 1, rtol=1e-14)
    assert two.equation == "y_1·Σ_k target_1k - target_1" and two.formula == ""


def test_logistic_cross_entropy_in_the_working():
    doc = {"type": "backprop", "loss": "cross_entropy",
           "network": {"hidden": "linear", "W_xh": 0.5, "W_hh": 0.25, "W_hy": 1.0,
                       "output": "logistic"},
           "inputs": [1.0, 2.0], "targets": {1: 1.0}, "ask": {"quantity": "E"}}
    y = 1 / (1 + np.exp(-1.125))
    s = _steps(doc)
    np.testing.assert_allclose(s["E"].value, -np.log(y), rtol=1e-14)
    du = s["dE/du_1"]
    np.testing.assert_allclose(du.value, y - 1.0, rtol=1e-14)
    assert du.equation == "y_1 - target_1" and du.formula == "{} - {}"
    assert s["dE/dy_1"].equation == "-target_1/y_1 + (1 - target_1)/(1 - y_1)"
    assert "dE/du_0" not in s and "dE/dy_0" not in s    # no target at step 0


@pytest.mark.parametrize("steps", [True, False])
@pytest.mark.parametrize("loss, output", [("squared", "linear"), ("cross_entropy", "logistic")])
def test_a_batch_loss_sums_each_example_over_its_own_outputs(loss, output, steps):
    # three examples of one output each: E_t is one number per example, summed over the
    # output units (the last axis), not over the examples; against torch
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle of this test")
    F = torch.nn.functional
    import rnnquiz
    rng = np.random.default_rng(23)
    N, T = 3, 2
    x = rng.normal(size=(N, T, 1))
    tg = rng.uniform(0.1, 0.9, size=(N, T, 1))
    net = {"hidden": "tanh", "W_xh": [[0.5], [-0.3]], "W_hh": [[0.1, 0.2], [-0.2, 0.3]],
           "W_hy": [[0.7, -0.4]], "b_y": [0.1], "output": output}
    doc = {"type": "backprop", "batch": True, "loss": loss, "inputs": x.tolist(),
           "targets": tg.tolist(), "network": net}
    W = {k: _t(v).requires_grad_() for k, v in net.items() if k.startswith(("W", "b"))}
    h, E = torch.zeros(N, 2, dtype=torch.float64), 0
    for t in range(T):
        h = torch.tanh(_t(x[:, t]) @ W["W_xh"].T + h @ W["W_hh"].T)
        u = h @ W["W_hy"].T + W["b_y"]
        if loss == "squared":
            E = E + 0.5 * ((u - _t(tg[:, t])) ** 2).sum()
        else:
            E = E + F.binary_cross_entropy_with_logits(u, _t(tg[:, t]), reduction="sum")
    E.backward()
    r = rnnquiz.solve(doc, steps=steps)
    assert r.values["E"] == pytest.approx(float(E.detach()), rel=1e-12)
    for key in ("W_hh", "W_hy"):
        np.testing.assert_allclose(r.values[f"dE/d{key}"], W[key].grad.numpy(), rtol=1e-11)


def test_dE_du_is_written_at_its_step_with_y_and_the_target_substituted():
    # deeplearning.ai counts from 1: the second step's u is u<2>, written dE/du_2
    import rnnquiz
    doc = {"type": "backprop", "notation": "deeplearning_ai", "loss": "cross_entropy",
           "network": {"Wax": 0.5, "Waa": 0.25, "Wya": 1.0, "output": "logistic"},
           "inputs": [1.0, 2.0], "targets": {2: 1.0}}
    y = 1 / (1 + np.exp(-np.tanh(1 + 0.25 * np.tanh(0.5))))
    s = {st.symbol: st for st in rnnquiz.solve(doc).steps}
    du = s["dE/du_2"]
    assert du.t == 2 and "dE/du_1" not in s
    assert du.operands == (pytest.approx(y, rel=1e-14), 1.0)
    assert du.value == pytest.approx(y - 1, rel=1e-13)


def test_softmax_targets_off_one_by_more_than_rounding_get_the_general_equation():
    import rnnquiz
    doc = {"type": "backprop", "loss": "cross_entropy",
           "network": {"hidden": "linear", "W_xh": [[0.5]], "W_hh": [[0.25]],
                       "W_hy": [[1.0], [-1.0]], "output": "softmax"},
           "inputs": [[1.0]], "targets": {0: [0.5, 0.5 + 1e-10]}}
    du = {st.symbol: st for st in rnnquiz.solve(doc).steps}["dE/du_0"]
    assert du.equation == "y_0·Σ_k target_0k - target_0"


@pytest.mark.parametrize("cell, net", [
    ("rnn", {"W_xh": 0.5, "W_hh": 0.25}),
    ("lstm", {"W_fh": 0.5, "W_fx": 0.25, "W_ih": 0.1, "W_ix": 0.2, "W_oh": 0.3, "W_ox": 0.1,
              "W_ch": 0.2, "W_cx": 0.3})])
def test_an_output_word_without_a_read_out_leaves_y_the_state(cell, net):
    # an LSTM with no W_hy or b_y answers y_t = h_t: `output` has nothing to act on, so no
    # dE/du_t is written and E is the same; the simple RNN always reads out (W_hy = 1)
    import rnnquiz
    doc = {"type": "backprop", "cell": cell, "network": net, "inputs": [1.0, 2.0],
           "targets": [0.5, 0.25], "ask": {"quantity": "E"}}
    plain = rnnquiz.solve(doc)
    worded = rnnquiz.solve({**doc, "network": {**net, "output": "logistic"}})
    written = {s.symbol for s in worded.steps}
    assert ("dE/du_1" in written) == (cell == "rnn")
    if cell == "lstm":
        assert worded.answer == plain.answer
