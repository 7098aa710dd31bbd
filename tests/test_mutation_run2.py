"""The runner (rnnquiz/cells/run.py) where the whole-module mutation run left a wrong line
unseen: the read-out's symbol in a notation that names its outputs otherwise
(deeplearning.ai's ŷ<t>) (benchmarks/MUTATION.md)."""

from __future__ import annotations

import numpy as np
import pytest

import rnnquiz


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
