"""How a run's answers are named and picked (rnnquiz/cells/named.py, rnnquiz/cells/__init__.py):
every per-step gradient asked at one step, under the file's own name for the state (a for
deeplearning.ai), against autograd; the read-out's gradient when nothing is read out; how the
working writes the read-out's and the embedding's gradients (benchmarks/MUTATION.md)."""

from __future__ import annotations

import numpy as np
import pytest

import rnnquiz
from rnnquiz.cells import CELLS, cell_for
from rnnquiz.types import solve


def _steps(r, symbol):
    return [s for s in r.steps if s.symbol == symbol]


def _dlai_rnn():
    """deeplearning.ai's rnn_cell_forward, a<t> = tanh(Waa a<t-1> + Wax x<t> + ba),
    ŷ<t> = Wya a<t> + by, a squared loss at every step; autograd keeps every a<t>, x<t>, ŷ<t>."""
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle of this test")
    rng = np.random.default_rng(41)
    T, n_x, n_a = 3, 2, 2
    x, a0, tg = rng.normal(size=(T, n_x)), rng.normal(size=n_a), rng.normal(size=(T, 1))
    W = {"Wax": rng.normal(size=(n_a, n_x)), "Waa": rng.normal(size=(n_a, n_a)),
         "Wya": rng.normal(size=(1, n_a)), "ba": rng.normal(size=n_a), "by": rng.normal(size=1)}
    doc = {"type": "backprop", "notation": "deeplearning_ai", "inputs": x.tolist(),
           "targets": tg.tolist(), "loss": "squared",
           "network": {**{k: v.tolist() for k, v in W.items()}, "a_init": a0.tolist()}}
    Wt = {k: torch.tensor(v) for k, v in W.items()}
    X = [torch.tensor(row, requires_grad=True) for row in x]
    a, A, Y, E = torch.tensor(a0), [], [], 0
    for t in range(T):
        a = torch.tanh(Wt["Waa"] @ a + Wt["Wax"] @ X[t] + Wt["ba"])
        a.retain_grad()
        y = Wt["Wya"] @ a + Wt["by"]
        y.retain_grad()
        A.append(a)
        Y.append(y)
        E = E + 0.5 * ((y - torch.tensor(tg[t])) ** 2).sum()
    E.backward()
    return doc, A, X, Y


@pytest.mark.parametrize("steps", [True, False])
@pytest.mark.parametrize("t", [1, 2, 3])                  # deeplearning.ai counts from 1
def test_every_per_step_gradient_at_one_step_against_autograd(steps, t):
    doc, A, X, Y = _dlai_rnn()
    for quantity, ref in (("dE/da", A), ("dE/dh", A), ("dE/dx", X), ("dE/dy", Y)):
        r = rnnquiz.solve({**doc, "ask": {"quantity": quantity, "t": t}}, steps=steps)
        np.testing.assert_allclose(np.asarray(r.answer, dtype=float).reshape(-1),
                                   ref[t - 1].grad.numpy().reshape(-1), rtol=1e-11,
                                   err_msg=quantity)
        assert r.question == f"{quantity} at t={t}"


@pytest.mark.parametrize("steps", [True, False])
def test_the_states_and_outputs_of_a_backprop_file_are_asked_by_step(steps):
    doc, A, X, Y = _dlai_rnn()
    for quantity, ref in (("a", A), ("y", Y)):
        r = rnnquiz.solve({**doc, "ask": {"quantity": quantity, "t": 2}}, steps=steps)
        np.testing.assert_allclose(np.asarray(r.answer, dtype=float).reshape(-1),
                                   ref[1].detach().numpy().reshape(-1), rtol=1e-12)


@pytest.mark.parametrize("steps", [True, False])
def test_lstm_dE_dc_and_dE_dh_at_one_step_against_autograd(steps):
    # CS231n's LSTM (a = x Wx + h Wh + b, gates i, f, o, g), E = Σ_t dh_t·h_t
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle of this test")
    rng = np.random.default_rng(42)
    T, D, H = 3, 2, 2
    x, h0 = rng.normal(size=(T, D)), rng.normal(size=H)
    Wx, Wh, b = rng.normal(size=(D, 4 * H)), rng.normal(size=(H, 4 * H)), rng.normal(size=4 * H)
    dh = rng.normal(size=(T, H))
    doc = {"type": "backprop", "cell": "lstm", "notation": "cs231n", "inputs": x.tolist(),
           "upstream": {"h": dh.tolist()},
           "network": {"Wx": Wx.tolist(), "Wh": Wh.tolist(), "b": b.tolist(), "h0": h0.tolist()}}
    WX, WH, B = (torch.tensor(v) for v in (Wx, Wh, b))
    h, c, E, Cs, Hs = torch.tensor(h0, requires_grad=True), torch.zeros(H, dtype=torch.float64), 0, [], []
    for t in range(T):
        a = torch.tensor(x[t]) @ WX + h @ WH + B
        i, f, o = (torch.sigmoid(a[k * H:(k + 1) * H]) for k in range(3))
        c = f * c + i * torch.tanh(a[3 * H:])
        h = o * torch.tanh(c)
        c.retain_grad()
        h.retain_grad()
        Cs.append(c)
        Hs.append(h)
        E = E + (h * torch.tensor(dh[t])).sum()
    E.backward()
    for t in range(T):                                          # CS231n counts from 0
        for quantity, ref in (("dE/dc", Cs), ("dE/dh", Hs)):
            r = rnnquiz.solve({**doc, "ask": {"quantity": quantity, "t": t}}, steps=steps)
            np.testing.assert_allclose(np.asarray(r.answer, dtype=float), ref[t].grad.numpy(),
                                       rtol=1e-11, atol=1e-14, err_msg=f"{quantity} {t}")


@pytest.mark.parametrize("steps", [True, False])
def test_a_read_out_beside_upstream_is_an_error_by_name(steps):
    # the gradient comes from above (upstream h), so W_hy and b_y would take no part: a key
    # read and then ignored is an error naming it (issue 23), and no read-out row is written
    doc = {"type": "backprop", "inputs": [[1.0], [0.5]], "upstream": {"h": [[1.0, 0.0], [0.0, 1.0]]},
           "network": {"W_xh": [[0.5], [-0.5]], "W_hh": [[0.1, 0.2], [0.3, 0.4]],
                       "W_hy": [[1.0, 2.0]], "b_y": [0.5]},
           "ask": {"quantity": "dE/dW_hy"}}
    with pytest.raises(rnnquiz.ProblemError, match="network.W_hy: .*read-out is never used"):
        rnnquiz.solve(doc, steps=steps)
    del doc["network"]["W_hy"], doc["network"]["b_y"]
    r = rnnquiz.solve({**doc, "ask": {"quantity": "dE/dW_hh"}}, steps=steps)
    assert not [s for s in r.steps if s.symbol in ("dE/dW_hy", "dE/db_y")]


@pytest.mark.parametrize("output, written", [(None, "dy_t"), ("linear", "dy_t"),
                                             ("logistic", "du_t")])
def test_the_read_out_gradient_is_written_with_y_when_the_output_is_linear(output, written):
    # u_t = W_hy h_t + b_y is y_t itself when the output is linear (the default): the working
    # writes dE/dy_t there, dE/du_t only when an output function stands between them
    net = {"W_xh": 0.5, "W_hh": 0.25, "W_hy": 2.0, **({"output": output} if output else {})}
    r = rnnquiz.solve({"type": "backprop", "network": net, "inputs": [1.0, 2.0],
                       "targets": [0.5, 0.5]})
    [w_hy] = _steps(r, "dE/dW_hy")
    [b_y] = _steps(r, "dE/db_y")
    assert w_hy.equation == f"Σ_t dE/{written}·h_t"
    assert b_y.equation == f"Σ_t dE/{written}"


def test_the_embedding_gradient_is_written_as_gathered_rows():
    doc = {"type": "backprop", "notation": "cs231n", "inputs": [1, 0, 1],
           "targets": [0.5, 0.0, 1.0], "loss": "squared",
           "network": {"W_embed": [[1.0], [2.0]], "Wx": [[0.5]], "Wh": [[0.25]],
                       "W_vocab": [[1.0]]}}
    r = rnnquiz.solve(doc)
    [step] = _steps(r, "dE/dW_embed")
    assert step.equation == "Σ_t dE/dx_t into the row of token x_t"
    [h0] = _steps(r, "dE/dh0")
    assert h0.equation == "dE/dz_0·Whᵀ"         # CS231n's rows: dh0 = dz_0 Whᵀ, in its names


@pytest.mark.parametrize("cell", sorted(CELLS))
def test_a_slip_committed_outside_the_cells_leaves_every_cell_alone(cell):
    # a slip of the clipping or the perplexity (rnnquiz.teaching.slips) is a flag, not a cell
    # override: the cells given no overrides are the cells themselves
    assert cell_for(cell, {}) is cell_for(cell) is cell_for(cell, None)
    doc = {"type": "backprop", "network": {"W_xh": 0.5, "W_hh": 0.25, "W_hy": 2.0},
           "inputs": [1.0, 2.0], "targets": [0.5, 0.5], "ask": {"quantity": "dE/dW_hh"}}
    assert solve(doc, variants=frozenset({"own_norm"})).answer == \
        rnnquiz.solve(doc).answer
