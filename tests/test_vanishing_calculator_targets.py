"""`rnnquiz vanishing` (the calculator): new inputs without --targets drop the seed's target
(Hinton's problem 5 has one at step 3, which a shorter sequence does not reach): the verdict
needs none. Any other change keeps it, and --targets replaces it. The numbers are worked by
hand from the seed's network: z_t = W_hh·h_{t-1} + x_t, h_t = σ(z_t), y_t = h_t."""

from __future__ import annotations

import json
import math

from conftest import run


def sig(z):
    return 1 / (1 + math.exp(-z))


def _states(W_hh, inputs):
    h, hs = 0.0, []
    for x in inputs:
        h = sig(W_hh * h + x)
        hs.append(h)
    return hs


def _solved(*args):
    r = run("vanishing", *args, "--json")
    assert r.exit_code == 0, r.stderr
    o = json.loads(r.stdout)
    return o, {s["symbol"]: s["value"] for s in o["steps"]}


def test_new_inputs_without_targets_give_the_verdict_without_a_loss():
    o, steps = _solved("--inputs", "1,0,0")
    h0, h1, _ = _states(2, [1, 0, 0])
    g = math.sqrt(2 * h0 * (1 - h0) * 2 * h1 * (1 - h1))       # (|dz_1/dz_0|·|dz_2/dz_1|)^(1/2)
    assert o["answer"] == "vanishing" and math.isclose(o["geometric_mean"], g, rel_tol=1e-12)
    assert "E" not in steps


def test_another_weight_keeps_the_seed_s_target():
    _, steps = _solved("--W_hh", "4")
    y3 = _states(4, [1, 0, 0, 0])[3]
    assert math.isclose(steps["E"], 0.5 * (y3 - 0.5) ** 2, rel_tol=1e-12)


def test_new_inputs_with_targets_keep_the_targets_given():
    _, steps = _solved("--inputs", "1,0,0", "--targets", "0,0,0.5")
    y = _states(2, [1, 0, 0])
    assert math.isclose(steps["E"], 0.5 * (y[0] ** 2 + y[1] ** 2 + (y[2] - 0.5) ** 2),
                        rel_tol=1e-12)

