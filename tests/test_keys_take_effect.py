"""A key that is accepted and then ignored is a defect (issue 23, item 4): each combination
that would be read and do nothing is an error naming the key, or is made to work."""

from __future__ import annotations

import math

import pytest

import rnnquiz

UP = {"type": "backprop", "notation": "pytorch", "inputs": [1.0, -1.0],
      "network": {"weight_ih": [[0.5], [0.2]], "weight_hh": [[0.1, -0.3], [0.4, 0.2]]},
      "upstream": {"h": [[0.5, 1.0], [-0.5, 0.2]]}}


@pytest.mark.parametrize("key, value, where", [
    ("loss", "cross_entropy", "loss"), ("loss", "squared", "loss"), ("mask", [1, 0], "mask"),
    ("given", {"y": [[0.1, 0.2], [0.3, 0.4]]}, "given.y")])
def test_what_shapes_a_loss_is_an_error_beside_upstream(key, value, where):
    with pytest.raises(rnnquiz.ProblemError, match=f"^{where}: "):
        rnnquiz.solve({**UP, key: value})


def test_a_read_out_beside_upstream_is_an_error():
    net = {**UP["network"], "W_hy": [[1.0, 0.5]]}
    with pytest.raises(rnnquiz.ProblemError, match=r"^network\.W_hy: .*never used"):
        rnnquiz.solve({**UP, "network": net})


SCALAR = {"W_xh": 0.5, "W_hh": 2.0}


@pytest.mark.parametrize("key, value", [
    ("loss", "squared"), ("reduction", "mean"), ("mask", [1, 0, 1]), ("truncate", 1),
    ("clip", {"norm": 1.0})])
def test_a_vanishing_verdict_without_targets_refuses_the_backward_passs_keys(key, value):
    doc = {"type": "vanishing", "network": SCALAR, "inputs": [1.0, 0.0, 0.0], key: value}
    with pytest.raises(rnnquiz.ProblemError, match=f"^{key}: changes the backward pass"):
        rnnquiz.solve(doc)


def test_vanishing_with_targets_works_the_backward_pass_of_a_cell_and_clips_it():
    """An LSTM's verdict with targets: the working carries the gradient back (dE/dh_t rows)
    and clip: {value} writes the clipped gradients; the verdict itself is the same."""
    net = {"W_fh": 0.5, "W_fx": 1, "W_ih": -0.5, "W_ix": 1, "W_oh": 1, "W_ox": 0.5,
           "W_ch": 0.2, "W_cx": 1}
    doc = {"type": "vanishing", "cell": "lstm", "network": net, "inputs": [1.0, -1.0, 2.0]}
    plain = rnnquiz.solve(doc)
    with_targets = rnnquiz.solve({**doc, "targets": [0.5, -0.5, 1.0], "clip": {"value": 0.01}})
    assert with_targets.answer == plain.answer
    symbols = [s.symbol for s in with_targets.steps]
    assert "dE/dh_0" in symbols and not [s for s in plain.steps if s.symbol == "dE/dh_0"]
    clipped = [s for s in with_targets.steps if s.symbol.endswith("(clipped)")]
    assert clipped and all(abs(v) <= 0.01 for s in clipped for v in [float(s.value)])


def test_a_stacks_vanishing_verdict_with_targets_shows_its_backward_pass():
    doc = {"type": "vanishing", "inputs": [1.0, -1.0, 2.0], "targets": [0.5, -0.5, 1.0],
           "network": [{"W_xh": 0.5, "W_hh": -0.8}, {"W_xh": 0.7, "W_hh": 0.3, "W_hy": 0.5}]}
    result = rnnquiz.solve(doc)
    assert [s for s in result.steps if s.phase == "backward"]
    assert result.answer == rnnquiz.solve({k: v for k, v in doc.items()
                                           if k != "targets"}).answer


@pytest.mark.parametrize("doc, key", [
    ({"type": "backprop", "network": SCALAR, "inputs": [1.0, 2.0], "targets": [0.0, 1.0],
      "ask": {"quantity": "dE/dW_hh", "from": 0}}, "from"),
    ({"type": "forward", "network": SCALAR, "inputs": [1.0, 2.0],
      "ask": {"quantity": "h", "to": 1}}, "to"),
    ({"type": "shapes", "cell": "lstm", "input": 3, "hidden": 2, "layers": 2,
      "ask": {"quantity": "params", "layer": 2}}, "layer"),
    ({"type": "hmm_bits", "states": 16, "ask": {"direction": "backward"}}, "direction")])
def test_ask_keys_that_pick_nothing_are_errors(doc, key):
    with pytest.raises(rnnquiz.ProblemError, match=f"^ask.{key}: "):
        rnnquiz.solve(doc)


def test_ask_from_and_to_still_pick_a_jacobians_span():
    """h_t = W_hh h_{t-1} (linear): dh_2/dh_1 = W_hh, whatever the inputs."""
    doc = {"type": "forward", "network": {"W_xh": 1.0, "W_hh": 0.5, "hidden": "linear"},
           "inputs": [1.0, 2.0, 3.0], "ask": {"quantity": "jacobian", "from": 1, "to": 2}}
    assert rnnquiz.solve(doc).answer == 0.5


def test_decode_takes_no_alpha_it_was_not_given():
    doc = {"type": "decode", "vocabulary": ["A", "<eos>"], "method": "greedy",
           "tables": {"": [0.6, 0.4], "A": [0.3, 0.7]}, "ask": {"quantity": "score"}}
    assert rnnquiz.solve(doc).answer == pytest.approx(math.log(0.6 * 0.7), rel=1e-12)
    got = rnnquiz.solve({**doc, "alpha": 1}).answer
    assert got == pytest.approx(math.log(0.6 * 0.7) / 2, rel=1e-12)


def test_a_batch_mean_of_one_sequence_says_it_divides_by_one():
    doc = {"type": "backprop", "network": SCALAR, "inputs": [1.0, 2.0], "targets": [0.0, 1.0],
           "reduction": "batch_mean", "ask": {"quantity": "dE/dW_hh"}}
    result = rnnquiz.solve(doc)
    assert result.answer == rnnquiz.solve({**doc, "reduction": "sum"}).answer
    assert any("a batch of one" in n for n in result.notes)


def test_decode_says_which_keys_its_method_does_not_read():
    """SPEC 1.11's example writes beam and sequence beside method greedy: accepted, and said."""
    doc = {"type": "decode", "vocabulary": ["A", "<eos>"], "method": "greedy", "beam": 2,
           "sequence": ["A", "<eos>"], "tables": {"": [0.6, 0.4], "A": [0.3, 0.7]}}
    notes = rnnquiz.solve(doc).notes
    assert "beam is not used by method greedy" in notes
    assert "sequence is not used by method greedy" in notes
