"""The vanishing verdict by every path a problem can take: through a stack with targets and
clipping (the global norm runs over every layer: torch autograd), without the working (the
vectorised path: a stack, output feedback), `rnnquiz vary`'s test of a variant, and the exercises
`rnnquiz new vanishing` draws. The expected verdicts are worked by hand: with a linear hidden
layer each factor dz_{t+1}/dz_t is W_hh itself."""

from __future__ import annotations

import random

import pytest

import rnnquiz
from rnnquiz.types import Outcome
from rnnquiz.types import vanishing

W1, U1 = [[0.9, -0.4], [0.3, 1.1]], [[0.5], [-0.2]]
W2, U2 = [[1.6, 0.2], [-0.7, 1.3]], [[0.8, -0.5], [0.4, 0.9]]
X, TARGETS = [[1.0], [0.5], [-0.3], [0.2]], [0.1, 0.2, 0.3, 0.4]


def test_a_stack_s_clipped_gradient_norm_runs_over_every_layer():
    torch = pytest.importorskip("torch")
    layers = [{"W_hh": W, "W_xh": U, "b_h": [0, 0], "h_init": [0, 0], "hidden": "logistic"}
              for W, U in ((W1, U1), (W2, U2))]
    layers[-1].update({"W_hy": [[1.0, 1.0]], "b_y": [0.0], "output": "linear"})
    r = rnnquiz.solve({"type": "vanishing", "network": layers, "inputs": X,
                       "targets": [[t] for t in TARGETS], "clip": {"norm": 0.1}})
    params = [torch.tensor(v, dtype=torch.float64, requires_grad=True)
              for v in (W1, U1, [0.0, 0.0], W2, U2, [0.0, 0.0], [[1.0, 1.0]], [0.0])]
    Wa, Ua, ba, Wb, Ub, bb, Why, by = params
    h1 = h2 = torch.zeros(2, dtype=torch.float64)
    E = 0
    for x, t in zip(X, TARGETS):
        h1 = torch.sigmoid(Wa @ h1 + Ua @ torch.tensor(x, dtype=torch.float64) + ba)
        h2 = torch.sigmoid(Wb @ h2 + Ub @ h1 + bb)
        E = E + 0.5 * ((Why @ h2 + by - t) ** 2).sum()
    E.backward()
    norm = float(torch.sqrt(sum((q.grad ** 2).sum() for q in params)))
    steps = {s.symbol: s.value for s in r.steps}
    assert steps["‖g‖"] == pytest.approx(norm, rel=1e-12)
    assert steps["scale"] == pytest.approx(0.1 / norm, rel=1e-12)
    # the loss and the read-out's gradient are written out, as backprop writes them
    assert steps["E"] == pytest.approx(E.item(), rel=1e-12)
    assert steps["dE/dW_hy"] == pytest.approx(Why.grad.numpy(), rel=1e-12)
    assert "the parameter gradients asked for are clipped (norm 0.1); grad_norm is the norm " \
           "before clipping" in r.notes
    assert r.answer == "vanishing"


@pytest.mark.parametrize("steps", [True, False])
def test_a_stack_without_the_working_takes_its_fastest_layer(steps):
    layers = [{"hidden": "linear", "W_xh": 1, "W_hh": W, "b_h": 0, "h_init": 0}
              for W in (0.5, 2)]
    r = rnnquiz.solve({"type": "vanishing", "network": layers, "inputs": [1, 0, 0, 0]},
                      steps=steps)
    assert r.answer == "exploding" and r.values["g"] == pytest.approx(2)


@pytest.mark.parametrize("steps", [True, False])
def test_output_fed_back_without_the_working_goes_through_both_paths(steps):
    # (W_hh + W_yh·output'·W_hy)·hidden' = (0.5 + 2·1·1)·1 = 2.5 each step
    net = {"hidden": "linear", "output": "linear", "W_xh": 1, "W_hh": 0.5, "W_hy": 1, "W_yh": 2,
           "b_h": 0, "b_y": 0, "h_init": 0}
    r = rnnquiz.solve({"type": "vanishing", "network": net, "inputs": [1, 0, 0, 0]},
                      steps=steps)
    assert r.answer == "exploding" and r.values["g"] == pytest.approx(2.5)


def test_a_variant_whose_verdict_flips_is_degenerate():
    def said(word):
        return Outcome(values={"verdict": word, "g": 0.5})
    assert vanishing.degenerate(said("vanishing"), said("exploding")) == \
        "the verdict flips (vanishing to exploding)"
    assert vanishing.degenerate(said("neither"), said("neither")) is None


WEIGHTS = {0.5, 1.0, 2.0, 4.0, 6.0, -3.0}     # shrinks, stays, grows, flips sign and grows


def test_new_exercises_send_one_impulse_through_a_weight_that_shrinks_or_grows():
    drawn = set()
    for seed in range(60):
        doc = vanishing.generate(random.Random(seed))
        net, inputs = doc["network"], doc["inputs"]
        assert isinstance(net, dict), "one layer unless asked"
        assert inputs[0] == 1 and set(inputs[1:]) == {0} and len(inputs) in (5, 6)  # T + 2
        drawn.add(net["W_hh"])
    assert drawn == WEIGHTS


@pytest.mark.parametrize("bidirectional", [False, True])
def test_new_stacks_draw_every_layer_s_weight(bidirectional):
    drawn = set()
    for seed in range(40):
        doc = vanishing.generate(random.Random(seed), layers=2, bidirectional=bidirectional)
        assert len(doc["network"]) == 2
        for layer in doc["network"]:
            for d in ([layer["forward"], layer["backward"]] if bidirectional else [layer]):
                drawn.add(d["W_hh"])
        rnnquiz.solve(doc, steps=False)
    assert drawn == WEIGHTS
