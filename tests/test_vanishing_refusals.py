"""What a vanishing question cannot ask is refused by key, with the reason and the way out in
the message (SPEC 4); its `tolerance` is a number >= 0 in the schema; and a network whose
Jacobians would not fit in memory is refused before they are built."""

from __future__ import annotations

import copy

import pytest

import rnnquiz
from rnnquiz.types import from_dict

# Hinton's lecture 7 problem 5 (problems/hinton_p5.yaml)
P5 = {"type": "vanishing",
      "network": {"hidden": "logistic", "output": "linear", "W_xh": 1, "W_hh": 2, "W_hy": 1,
                  "b_h": 0, "b_y": 0, "h_init": 0},
      "inputs": [1, 0, 0, 0]}


def _hagan(d):
    d["notation"] = "hagan"
    d["network"] = {"iw": {0: 1, 1: 0.5}, "lw": {1: 0.5, 2: -0.25}, "a_init": [0.2, 0.4]}


REFUSED = [
    (_hagan, "network", "weights by delay (Hagan's tapped delay lines) are solved by types "
                        "forward and backprop, not vanishing"),
    (lambda d: d["network"].update(W_yh=0.5, y_init=0.3, state_decay=0.5),
     "network.state_decay", "the state s_t carries every earlier output, so no one factor a "
                            "step back can be judged; the vanishing verdict is for μ = 0"),
    (lambda d: d.update(given={"h": [0.1, 0.2, 0.3, 0.4]}), "given",
     "changes the backward pass, and this vanishing question has none: the verdict reads the "
     "factors alone; give targets (or upstream) to see the gradient carried back, or leave "
     "given out"),
    (lambda d: d.update(batch=True, inputs=[[1, 0, 0, 0], [0, 1, 0, 0]]), "batch",
     "vanishing follows one sequence's factors; give one sequence (leave batch out)"),
    (lambda d: d.update(inputs=[1]), "inputs",
     "a single-step sequence has no factor dz_{t+1}/dz_t; give at least two inputs"),
]


@pytest.mark.parametrize("change, key, reason", REFUSED)
def test_what_vanishing_cannot_ask_is_refused_by_key_with_the_way_out(change, key, reason):
    doc = copy.deepcopy(P5)
    change(doc)
    with pytest.raises(rnnquiz.ProblemError) as err:
        from_dict(doc)
    assert str(err.value) == f"{key}: {reason}"


def test_the_schema_takes_a_tolerance_of_zero_or_more():
    jsonschema = pytest.importorskip("jsonschema")
    from rnnquiz.cli.schema import schema
    validator = jsonschema.Draft7Validator(schema())

    def errors(tolerance):
        return list(validator.iter_errors({**copy.deepcopy(P5), "tolerance": tolerance}))
    assert not errors(0) and not errors(0.5)
    assert errors(-0.1) and errors("wide")


def test_the_jacobians_count_against_the_memory_limit(monkeypatch):
    from rnnquiz.problem import limits
    monkeypatch.setattr(limits, "MAX_MEMORY", 100 * 2 ** 20)
    # 2 steps of 2,000 units: the states 2·2,000·2 numbers of 16·8 bytes (1,024,000 bytes),
    # and a 2,000 x 2,000 Jacobian of 8·8-byte entries (256,000,000 bytes): 245 MiB
    doc = {"type": "vanishing", "inputs": [1, 0], "network": {"h_init": [0.0] * 2000}}
    with pytest.raises(rnnquiz.ProblemError) as err:
        from_dict(doc)
    assert str(err.value) == (
        "network: would need about 245 MiB of memory (2 steps of 2,000 units), more than the "
        "limit of 100 MiB: split the sequence or shrink the network (--max-memory raises the "
        "limit)")


def test_a_g_beyond_float64_names_the_file(tmp_path):
    # ‖[[1e308, 1e308], [1e308, 1e308]]‖₂ = 2e308: every factor's norm is past float64
    path = tmp_path / "huge.yaml"
    path.write_text("type: vanishing\ninputs: [1, 0, 0]\n"
                    "network: {hidden: linear, W_xh: [[1], [1]], b_h: [0, 0], h_init: [0, 0],\n"
                    "          W_hh: [[1.0e+308, 1.0e+308], [1.0e+308, 1.0e+308]]}\n",
                    encoding="utf-8")
    (p,) = rnnquiz.load(str(path))
    with pytest.raises(rnnquiz.ProblemError) as err:
        rnnquiz.solve(p)
    assert str(err.value) == (
        f"{path}: g overflows float64: the factors from step 0 to step 2 have norms beyond "
        "1.8e308 on average; scale the weights or inputs down")
