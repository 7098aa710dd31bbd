"""The advice on a misspelled key names the key on the whole path as the file writes it: a key
of an attention's `encoder:` network (read as a network problem of its own and re-keyed on
the way up) as encoder.network.bias_ih, a stack layer's as network[1].W_xh."""

from __future__ import annotations

import pytest
import yaml

import rnnquiz
from conftest import PROBLEMS

NET = {"W_xh": [[0.1]], "W_hh": [[0.2]], "b_h": [0.0]}


def _error(doc) -> str:
    with pytest.raises(rnnquiz.ProblemError) as err:
        rnnquiz.solve(doc)
    return str(err.value)


@pytest.mark.parametrize("written, meant", [("bias_i", "bias_ih"), ("bias_hi", "bias_ih"),
                                            ("weight_hhh", "weight_hh")])
def test_a_key_of_the_encoders_network(written, meant):
    doc = yaml.safe_load((PROBLEMS / "luong_lstm_encoder.yaml").read_text(encoding="utf-8"))
    net = doc["encoder"]["network"]
    net[written] = net.pop(meant)
    said = _error(doc)
    assert said.startswith(f"encoder.network.{written}: unknown key"), said
    assert f"did you mean encoder.network.{meant}?" in said, said


def test_a_key_of_a_stack_layer_and_of_its_direction():
    said = _error({"type": "forward", "inputs": [[1.0]],
                   "network": [NET, {"W_xhh": [[0.1]], "W_hh": [[0.2]], "b_h": [0.0]}]})
    assert said.endswith("; did you mean network[1].W_xh?"), said
    both = {"forward": NET, "backward": NET}
    turned = {"W_hx": [[0.1, 0.2]], "W_hh": [[0.2]], "b_h": [0.0]}
    said = _error({"type": "forward", "inputs": [[1.0]], "bidirectional": True,
                   "network": [both, {**both, "forward": turned}]})
    assert "; did you mean network[1].forward.W_xh? (this notation writes the two letters " \
           "the other way round)" in said, said
