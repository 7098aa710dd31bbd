"""`ask: jacobian` (rnnquiz/cells/jacobians.py) against products of state Jacobians worked
in numpy here: `ask.from` and `ask.to` inside the sequence, the line of the working that
shows the product (its symbol in the file's notation, the factors it names, its note), and
the range check with the key it names (benchmarks/MUTATION.md)."""

from __future__ import annotations

import numpy as np
import pytest

import rnnquiz
from rnnquiz import ProblemError

W_XH = [[0.5, 0.1], [0.2, 0.3]]
W_HH = [[0.9, -0.4], [0.6, 1.1]]
B_H = [0.0, 0.1]
X = [[1.0, 0.0], [2.0, 1.0], [-1.0, 0.5], [0.5, 0.5], [0.0, -1.0], [1.5, 0.2], [-0.3, 0.7],
     [0.8, -0.6], [0.1, 0.9]]                          # T = 9: steps 0 ... 8 (hinton)


def _hinton(ask, T=9):
    return {"type": "forward", "network": {"W_xh": W_XH, "W_hh": W_HH, "b_h": B_H},
            "inputs": X[:T], "ask": {"quantity": "jacobian", **ask}}


def _factors(T=9, act="logistic"):
    """J_t = diag(hidden'(z_t)) W_hh for t = 0 ... T-1 (column layout, h_init = 0)."""
    Wx, Wh, b = np.array(W_XH), np.array(W_HH), np.array(B_H)
    h, out = np.zeros(2), []
    for x in np.array(X[:T]):
        z = Wx @ x + Wh @ h + b
        if act == "logistic":
            h = 1 / (1 + np.exp(-z))
            slope = h * (1 - h)
        else:
            h = np.tanh(z)
            slope = 1 - h ** 2
        out.append(np.diag(slope) @ Wh)
    return out


def _product(J, start, stop, first=0):
    """dh_stop/dh_start = J_stop ⋯ J_{start+1}, J indexed from step `first`."""
    P = np.eye(2)
    for t in range(start + 1, stop + 1):
        P = J[t - first] @ P
    return P


def _line(result):
    return result.to_json()["steps"][-1]


NOTE = "J_t = dh_t/dh_{t-1}, the state Jacobian of step t"


@pytest.mark.parametrize("ask, start, stop, eq", [
    ({"from": 1, "to": 3}, 1, 3, "J_3 J_2"),
    ({"from": 3, "to": 5}, 3, 5, "J_5 J_4"),                      # stop + start > 6
    ({"to": 4}, -1, 4, "J_4 J_3 J_2 J_1 J_0"),                    # from the initial state
    ({"to": 5}, -1, 5, "J_5 J_4 J_3 J_2 J_1 J_0"),                # six factors: all named
    ({"to": 6}, -1, 6, "J_6 ⋯ J_0"),                              # seven: the first and last
    ({"from": 1}, 1, 8, "J_8 ⋯ J_2"),                             # to the last step
    ({"from": 0, "to": 1}, 0, 1, "J_1"),
])
def test_the_product_between_two_steps_and_its_line(ask, start, stop, eq):
    r = rnnquiz.solve(_hinton(ask))
    want = _product(_factors(), start, stop)
    np.testing.assert_allclose(np.asarray(r.answer, dtype=float), want, rtol=1e-12, atol=0)
    line = _line(r)
    assert line["symbol"] == f"dh_{stop}/dh_{start}".replace("-1", "{-1}")
    assert line["equation"] == eq
    assert line["phase"] == "jacobian"
    assert line["note"] == NOTE
    np.testing.assert_allclose(np.asarray(line["value"], dtype=float), want, rtol=1e-12)


def test_one_step_is_one_factor():
    # T = 1: dh_0/dh_{-1} = diag(σ'(z_0)) W_hh
    r = rnnquiz.solve(_hinton({}, T=1))
    np.testing.assert_allclose(np.asarray(r.answer, dtype=float), _factors(T=1)[0],
                               rtol=1e-12, atol=0)
    assert _line(r)["equation"] == "J_0" and _line(r)["symbol"] == "dh_0/dh_{-1}"


def test_the_line_is_named_in_the_files_notation():
    # deeplearning.ai: a<t>, steps from 1 (a<0> is the initial state); tanh
    doc = {"type": "forward", "notation": "deeplearning_ai",
           "network": {"Waa": W_HH, "Wax": W_XH, "ba": B_H}, "inputs": X[:4],
           "ask": {"quantity": "jacobian", "from": 1, "to": 3}}
    r = rnnquiz.solve(doc)
    want = _product(_factors(T=4, act="tanh"), 1, 3, first=1)
    np.testing.assert_allclose(np.asarray(r.answer, dtype=float), want, rtol=1e-12, atol=0)
    line = _line(r)
    assert line["symbol"] == "da<3>/da<1>"
    assert line["equation"] == "J_3 J_2"
    assert line["note"] == NOTE


def test_the_lstm_note_says_the_product_is_over_the_joint_state():
    doc = {"type": "lstm", "network": {"W_fh": 0.5, "W_ih": 0.3, "W_oh": -0.2, "W_ch": 0.7},
           "inputs": [1.0, 0.5, -1.0], "ask": {"quantity": "jacobian", "from": 0, "to": 2}}
    line = _line(rnnquiz.solve(doc))
    assert line["note"] == NOTE + "; of the joint (h, c) for the LSTM, h's block"
    assert line["symbol"] == "dh_2/dh_0" and line["equation"] == "J_2 J_1"


RANGE = "expected -1 <= from < to <= 8 (from -1 is the initial state), got from {}, to {}"


@pytest.mark.parametrize("ask, key, got", [
    ({"to": 9}, "ask.to", (-1, 9)),                 # past the last step, only `to` given
    ({"from": 0, "to": 9}, "ask.from", (0, 9)),     # the key named is `from` when given
    ({"from": 3, "to": 3}, "ask.from", (3, 3)),     # an empty product
    ({"from": 5, "to": 2}, "ask.from", (5, 2)),
    ({"from": 8}, "ask.from", (8, 8)),              # from the last step to the last step
])
def test_a_range_outside_the_sequence_is_refused_by_name(ask, key, got):
    with pytest.raises(ProblemError) as e:
        rnnquiz.solve(_hinton(ask))
    assert e.value.path == key
    assert e.value.reason == RANGE.format(*got)
    assert str(e.value) == f"{key}: {RANGE.format(*got)}"


def test_the_range_in_a_notation_counting_from_one():
    doc = {"type": "forward", "notation": "deeplearning_ai",
           "network": {"Waa": W_HH, "Wax": W_XH, "ba": B_H}, "inputs": X[:4],
           "ask": {"quantity": "jacobian", "to": 5}}
    with pytest.raises(ProblemError) as e:
        rnnquiz.solve(doc)
    assert str(e.value) == ("ask.to: expected 0 <= from < to <= 4 (from 0 is the initial "
                            "state), got from 0, to 5")


def test_from_the_initial_state_by_its_number():
    # hinton numbers the steps from 0: the initial state is step -1 (SPEC 1.5), and
    # `from: -1` is the default written out
    r = rnnquiz.solve(_hinton({"from": -1, "to": 2}))
    np.testing.assert_allclose(np.asarray(r.answer, dtype=float), _product(_factors(), -1, 2),
                               rtol=1e-12, atol=0)
    assert _line(r)["symbol"] == "dh_2/dh_{-1}" and _line(r)["equation"] == "J_2 J_1 J_0"


def test_a_step_before_the_initial_state_is_refused_by_name():
    # deeplearning.ai's initial state is a<0>: from -1 is before it
    doc = {"type": "forward", "notation": "deeplearning_ai",
           "network": {"Waa": W_HH, "Wax": W_XH, "ba": B_H}, "inputs": X[:4],
           "ask": {"quantity": "jacobian", "from": -1}}
    with pytest.raises(ProblemError) as e:
        rnnquiz.solve(doc)
    assert str(e.value) == ("ask.from: expected 0 <= from < to <= 4 (from 0 is the initial "
                            "state), got from -1, to 4")
    with pytest.raises(ProblemError) as e:
        rnnquiz.solve(_hinton({"from": -2}))
    assert e.value.path == "ask.from"


# ---------------------------------------------------------------- vanishing: the factors


def _torch_lstm_factors(X, sd):
    """d(h_t, c_t)/d(h_{t-1}, c_{t-1}) of nn.LSTMCell for t = 1 ... T-1, by autograd."""
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle of this test")
    cell = torch.nn.LSTMCell(len(X[0]), 2).double()
    with torch.no_grad():
        for k, v in sd.items():
            getattr(cell, k).copy_(torch.tensor(v, dtype=torch.float64))
    h = c = torch.zeros(2, dtype=torch.float64)
    out = []
    for t, x in enumerate(X):
        xt = torch.tensor(x, dtype=torch.float64)
        if t > 0:
            def joint(hc):
                h2, c2 = cell(xt, (hc[:2], hc[2:]))
                return torch.cat([h2, c2])
            out.append(torch.autograd.functional.jacobian(joint, torch.cat([h, c])).numpy())
        h, c = (v.detach() for v in cell(xt, (h, c)))
    return out


def test_the_lstm_factors_are_joint_jacobians_by_autograd():
    rng = np.random.default_rng(5)
    sd = {"weight_ih": rng.normal(0, 0.8, (8, 1)), "weight_hh": rng.normal(0, 0.8, (8, 2)),
          "bias_ih": rng.normal(0, 0.3, 8), "bias_hh": rng.normal(0, 0.3, 8)}
    X = [[1.0], [-0.5], [0.8]]
    want = _torch_lstm_factors(X, sd)
    doc = {"type": "vanishing", "cell": "lstm", "notation": "pytorch",
           "network": {k: v.tolist() for k, v in sd.items()}, "inputs": X}
    factors = [s for s in rnnquiz.solve(doc).to_json()["steps"]
               if s["symbol"].startswith("d(h_")]
    assert [s["symbol"] for s in factors] == ["d(h_1, c_1)/d(h_0, c_0)",
                                              "d(h_2, c_2)/d(h_1, c_1)"]
    for s, J, t in zip(factors, want, (1, 2)):
        assert s["t"] == t and s["phase"] == "factor"
        assert s["equation"] == "the state's Jacobian"
        np.testing.assert_allclose(s["value"], J, rtol=1e-12, atol=1e-15)


def test_one_unit_factors_are_numbers_named_in_the_notation():
    # a one-unit GRU in deeplearning.ai's notation (c<t>, steps from 1): each factor is a
    # number, dc<t>/dc<t-1> = Γu + (1 - Γu)·(dc̃/dc) + c̃'s path through Γr, worked in numpy
    net = {"W_u": [[0.4, 0.9]], "b_u": [0.1], "W_r": [[-0.6, 0.5]], "b_r": [0.2],
           "W_c": [[0.8, -0.7]], "b_c": [0.05], "c_init": [0.3]}
    X = [[1.0], [-0.5], [0.8]]
    doc = {"type": "vanishing", "cell": "gru", "notation": "deeplearning_ai",
           "network": net, "inputs": X}
    steps = rnnquiz.solve(doc).to_json()["steps"]
    factors = [s for s in steps if s["symbol"] in ("dc<2>/dc<1>", "dc<3>/dc<2>")]
    assert [s["symbol"] for s in factors] == ["dc<2>/dc<1>", "dc<3>/dc<2>"]
    sig = lambda v: 1 / (1 + np.exp(-v))                        # noqa: E731
    W = {k: np.array(net[k][0]) for k in ("W_u", "W_r", "W_c")}
    b = {k: net[k][0] for k in ("b_u", "b_r", "b_c")}

    def step(c, x):
        g_u = sig(W["W_u"] @ [c, x] + b["b_u"])
        g_r = sig(W["W_r"] @ [c, x] + b["b_r"])
        ct = np.tanh(W["W_c"] @ [g_r * c, x] + b["b_c"])
        return g_u * ct + (1 - g_u) * c

    c, want = 0.3, []
    for t, (x,) in enumerate(X):
        if t > 0:
            want.append((step(c + 1e-6, x) - step(c - 1e-6, x)) / 2e-6)
        c = step(c, x)
    for s, J, t in zip(factors, want, (2, 3)):
        assert type(s["value"]) is float and s["t"] == t and s["phase"] == "factor"
        assert s["equation"] == "the state's derivative"
        assert s["value"] == pytest.approx(J, rel=1e-8)
