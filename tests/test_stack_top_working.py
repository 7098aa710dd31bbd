"""The top of a stack in the working (rnnquiz/cells/stack_top.py): y_t read from the top
layer's state with the file's read-out as the file writes it (d2l's rows: H^(2)_t·W_hq), what
it sends down, W_hqᵀ·dE/dy_t, at each step, and a bidirectional top's y_t of [→h_t; ←h_t] or,
with `readout: last`, of where each direction ends. Values by hand (the d2l file's worked
numbers) and against torch's nn.RNN."""

from __future__ import annotations

import numpy as np
import pytest
import yaml

import rnnquiz
from conftest import PROBLEMS


def _d2l_deep(**changes) -> dict:
    doc = next(yaml.safe_load_all((PROBLEMS / "d2l_deep_rnn.yaml").read_text(encoding="utf-8")))
    for key in ("question", "answer", "ask"):
        doc.pop(key)
    return {**doc, **changes}


def _steps(doc) -> dict:
    return {s.symbol: s for s in rnnquiz.solve(doc).steps}


def test_d2ls_rows_read_out_with_the_files_w_hq():
    steps = _steps(_d2l_deep())
    y = steps["y_2"]
    assert (y.phase, y.equation) == ("forward", "H^(2)_2·W_hq + b_q")
    H, W, b = y.operands
    np.testing.assert_allclose(W, [[1.0], [1.0]])          # the file's (hidden, outputs)
    np.testing.assert_allclose(b, [0.0])
    assert np.ravel(y.value)[0] == pytest.approx(0.1987, abs=5e-5)   # the file's, by hand
    np.testing.assert_allclose(y.value, np.asarray(H) @ np.asarray(W), atol=1e-15)


def test_what_the_read_out_sends_down_at_each_step():
    targets = [[0.5], [0.1]]
    all_steps = rnnquiz.solve(_d2l_deep(type="backprop", targets=targets)).steps
    ys = {s.symbol: s for s in all_steps if s.symbol.startswith("y_")}
    down = [s for s in all_steps if s.equation.startswith("W_hqᵀ")]
    assert [(s.symbol, s.t, s.phase, s.equation) for s in down] == [
        (f"dE/dH^(2)_{t}", t, "backward", f"W_hqᵀ·dE/dy_{t}") for t in (1, 2)]
    for t, line in zip((1, 2), down):
        dy = np.ravel(ys[f"y_{t}"].value)[0] - targets[t - 1][0]      # squared loss
        np.testing.assert_allclose(line.value, [dy, dy], atol=1e-12)   # W_hq = [[1], [1]]


def test_a_bidirectional_top_reads_both_directions():
    torch = pytest.importorskip("torch")
    torch.manual_seed(0)
    rnn = torch.nn.RNN(1, 1, num_layers=2, bidirectional=True).double()
    X = torch.tensor([[[1.0]], [[2.0]], [[0.5]]], dtype=torch.float64)
    out, _ = rnn(X)
    W = torch.tensor([[1.0, -2.0]], dtype=torch.float64)
    net = {**{k: v.tolist() for k, v in rnn.state_dict().items()}, "W_hy": W.tolist()}
    doc = {"type": "forward", "notation": "pytorch", "bidirectional": True, "network": net,
           "inputs": X[:, 0].tolist()}
    steps = _steps(doc)
    for t in range(3):
        assert steps[f"y_{t}"].equation == f"W_hy·h^(2)_{t} + b_y"
        np.testing.assert_allclose(np.ravel(steps[f"y_{t}"].value),
                                   (W @ out[t, 0]).detach().numpy(), rtol=1e-12, atol=1e-14)
    steps = _steps({**doc, "readout": "last"})
    last = torch.cat([out[2, 0, :1], out[0, 0, 1:]])          # [→h_2; ←h_0]
    assert steps["y_2"].equation == "W_hy·[h^(2→)_2; h^(2←)_0] + b_y"
    np.testing.assert_allclose(np.ravel(steps["y_2"].value), (W @ last).detach().numpy(),
                               rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("reads_out", [False, True], ids=["state", "read-out"])
def test_ar_and_tar_on_a_stacks_top_are_torchs(reads_out):
    """E = ½Σ_t (y_t - target_t)² + α·mean(h²) + β·mean((h_t - h_{t-1})²) over the top layer's
    states (AWD-LSTM's penalties), y_t = h^(2)_t or W_hy h^(2)_t; its gradients autograd's."""
    torch = pytest.importorskip("torch")
    torch.manual_seed(3)
    rnn = torch.nn.RNN(2, 2, num_layers=2).double()
    X = torch.randn(3, 1, 2, dtype=torch.float64)
    W = torch.tensor([[1.0, -0.5]], dtype=torch.float64)
    tg = torch.randn(3, 1 if reads_out else 2, dtype=torch.float64)
    out, _ = rnn(X)
    H = out[:, 0]
    Y = H @ W.T if reads_out else H
    D = H[1:] - H[:-1]
    E = 0.5 * ((Y - tg) ** 2).sum() + 2.0 * (H ** 2).mean() + 1.5 * (D ** 2).mean()
    E.backward()
    net = {k: v.tolist() for k, v in rnn.state_dict().items()}
    doc = {"type": "backprop", "notation": "pytorch", "inputs": X[:, 0].tolist(),
           "targets": tg.tolist(), "regularization": {"ar": 2.0, "tar": 1.5},
           "network": {**net, "W_hy": W.tolist()} if reads_out else net}
    lines = {s.symbol: s for s in rnnquiz.solve(doc).steps}
    assert lines["AR"].value == pytest.approx(2.0 * (H ** 2).mean().item(), rel=1e-12)
    assert lines["TAR"].value == pytest.approx(1.5 * (D ** 2).mean().item(), rel=1e-12)
    assert [t for t in range(3) if f"dP/dh^(top)_{t}" in lines] == [0, 1, 2]
    for steps in (True, False):
        def answer(q, steps=steps):
            return rnnquiz.solve({**doc, "ask": {"quantity": q}}, steps=steps).answer
        assert answer("E") == pytest.approx(E.item(), rel=1e-12)
        for key in ("weight_hh_l0", "weight_ih_l1", "bias_hh_l1"):
            np.testing.assert_allclose(answer(f"dE/d{key}"), getattr(rnn, key).grad.numpy(),
                                       rtol=1e-10, atol=1e-12)
