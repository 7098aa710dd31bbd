"""The working of Jordan's decaying state units backwards: each dE/ds_t line (s_t = μ s_{t-1} +
y_{t-1}) is W_yhᵀ dE/dz_t plus μ dE/ds_{t+1} from the next state unit, written with its
numbers, at the step whose output s_t carries (t - 1), with the note saying which unit
carries it on. The values are torch autograd's gradients of the state units themselves."""

from __future__ import annotations

import copy

import numpy as np
import pytest

import rnnquiz
from oracles.feedback import fed_back

MU = 0.5
DOC = {"type": "backprop", "feedback": "output",
       "network": {"hidden": "logistic", "output": "logistic",
                   "W_xh": [[0.5, -0.3], [0.2, 0.8]], "W_hh": [[0.1, -0.2], [0.3, 0.0]],
                   "W_yh": [[0.6], [-0.4]], "W_hy": [[1.0, -0.7]], "b_h": [0.1, -0.1],
                   "b_y": 0.2, "y_init": 0.3, "state_decay": MU},
       "inputs": [[1, 0], [0, 1], [1, 1], [0, 0]], "targets": [1, 0, 1, 0],
       "ask": {"quantity": "dE/dW_yh"}}


def _state_gradients(torch, outputs: list | None = None) -> list:
    """dE/ds_t for t = 0..T-1, the own output fed back: s_t = μ s_{t-1} + y_{t-1},
    s_0 = y_init (tests/oracles/feedback.py); `outputs` gets every y_t, its gradient kept."""
    net = {k: torch.tensor(v, dtype=torch.float64, requires_grad=True)
           for k, v in DOC["network"].items() if k not in ("hidden", "output", "state_decay")}
    X = torch.tensor(DOC["inputs"], dtype=torch.float64)
    TG = torch.tensor(DOC["targets"], dtype=torch.float64).reshape(-1, 1)
    E, steps = fed_back(torch, net, X, TG, "logistic", "logistic", mu=MU)
    E.backward()
    if outputs is not None:
        outputs += [s["y"] for s in steps]
    return [s["s"].grad.numpy().copy() for s in steps]


def test_each_state_units_gradient_line_against_autograd():
    torch = pytest.importorskip("torch")
    want = _state_gradients(torch)
    steps = rnnquiz.solve(copy.deepcopy(DOC)).steps
    lines = {s.symbol: s for s in steps if s.symbol.startswith("dE/ds_")}
    assert sorted(lines) == ["dE/ds_1", "dE/ds_2", "dE/ds_3"]
    for t in (1, 2, 3):
        line = lines[f"dE/ds_{t}"]
        np.testing.assert_allclose(np.ravel(line.value), want[t], atol=1e-12)
        assert line.t == t - 1 and line.phase == "backward"
        W, dz = line.operands[:2]
        np.testing.assert_allclose(W, [[0.6, -0.4]])
        if t == 3:                  # the last state unit: nothing after it
            assert line.equation == "W_yh·dE/dz_3" and line.formula == "{}·{}"
            assert len(line.operands) == 2 and line.note == ""
            np.testing.assert_allclose(np.ravel(W @ dz), want[3], atol=1e-12)
        else:
            assert line.equation == f"W_yh·dE/dz_{t} + μ·dE/ds_{t + 1}"
            assert line.formula == "{}·{} + {}·{}"
            assert line.operands[2] == MU
            np.testing.assert_allclose(np.ravel(line.operands[3]), want[t + 1], atol=1e-12)
            assert line.note == f"s_{t + 1} = μ·s_{t} + y_{t} carries s_{t} on"


def test_each_output_gains_the_next_state_units_gradient():
    torch = pytest.importorskip("torch")
    ys = []
    ds = _state_gradients(torch, ys)
    steps = rnnquiz.solve(copy.deepcopy(DOC)).steps
    lines = {s.symbol: s for s in steps}
    for t in (0, 1, 2):                 # y_t is fed into s_{t+1}; the last output is not
        line = lines[f"dE/dy_{t}"]
        np.testing.assert_allclose(np.ravel(line.value), ys[t].grad.numpy(), atol=1e-12)
        assert line.equation == f"dE/dy_{t} (loss) + dE/ds_{t + 1}"
        assert line.formula == "{} + {}"
        np.testing.assert_allclose(np.ravel(line.operands[1]), ds[t + 1], atol=1e-12)


@pytest.mark.parametrize("mode, fed, note, values", [
    # teacher forcing: s_t = 0.5 s_{t-1} + target_{t-1}, s_0 = 0.3, targets 1, 0, 1
    ("target", "target_{}", "teacher forcing: the target of step {} is fed back, not y_{}",
     [1.15, 0.575, 1.2875]),
    # free running with one output: its one-hot is always 1
    ("argmax", "onehot_{}", "free running: onehot_{} is fed back, not y_{}",
     [1.15, 1.575, 1.7875]),
])
def test_each_state_unit_is_written_at_its_step_by_hand(mode, fed, note, values):
    steps = rnnquiz.solve({**copy.deepcopy(DOC), "feedback": mode}).steps
    lines = {s.symbol: s for s in steps if s.symbol.startswith("s_")}
    assert sorted(lines) == ["s_1", "s_2", "s_3"]
    for t, want in zip((1, 2, 3), values):
        line = lines[f"s_{t}"]
        assert float(np.ravel(line.value)[0]) == pytest.approx(want, abs=1e-12)
        assert line.t == t and line.phase == "forward"
        assert line.equation == f"μ·s_{t - 1} + {fed.format(t - 1)}"
        assert line.note == note.format(t - 1, t - 1)
        assert line.operands[0] == MU


def test_each_steps_pre_activation_says_which_state_unit_it_reads():
    steps = rnnquiz.solve({**copy.deepcopy(DOC), "feedback": "target"}).steps
    notes = {s.symbol: s.note for s in steps if s.symbol.startswith("z_")}
    assert notes["z_0"] == "s_0 = y_init (Jordan's state units, μ = 0.5)"
    for t in (1, 2, 3):
        assert notes[f"z_{t}"] == f"Jordan's state units: s_{t} = μ·s_{t - 1} + target_{t - 1}"
