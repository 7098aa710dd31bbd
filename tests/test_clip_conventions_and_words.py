"""`clip` in words and under the other convention (SPEC 1.16): the question says what is given
and asked; each tensor clipped by its own norm (TensorFlow's clip_by_norm, Keras' clipnorm)
against the one global norm (PyTorch's clip_grad_norm_, d2l, clip_by_global_norm) is offered
only where it changes something: norm clipping of several gradients, one of them asked.
Values by hand: ‖[3, 4]‖ = 5 = θ, so by its own norm dW stays [3, 4]; globally ‖g‖ = 13."""

from __future__ import annotations

import pytest

import rnnquiz
from rnnquiz.teaching.conventions import reference
from rnnquiz.teaching.slips import variants_for
from rnnquiz.types import clip, from_dict

TWO = {"type": "clip", "gradients": {"dW": [3.0, 4.0], "db": [12.0]}}
PER_TENSOR = "each gradient clipped by its own norm (clip_by_norm on each tensor, Keras' clipnorm)"


def test_the_question_says_how_the_gradients_are_clipped():
    grads = {"dW": [[3, 4]], "db": 12}
    by_value = from_dict({"type": "clip", "gradients": grads, "value": 2})
    by_norm = from_dict({"type": "clip", "gradients": grads, "norm": 5})
    assert clip.given(by_value) == ("The gradients dW = [[3, 4]], db = 12 are clipped element "
                                    "by element to [-2, 2].")
    assert clip.given(by_norm) == (
        "The gradients dW = [[3, 4]], db = 12 are clipped by their global norm to 5: ‖g‖ = "
        "sqrt(Σ_i ‖g_i‖²) over all of them, and each g_i is scaled by min(1, 5/‖g‖).")
    assert [clip.asked_words(q) for q in ("norm", "clipped", "dW")] == [
        "the global norm ‖g‖ before clipping", "every clipped gradient", "the clipped dW"]


def test_the_reference_names_who_clips_which_way():
    rows = {r["id"]: r for r in reference() if r["id"].startswith("clip")}
    assert rows == {
        "clip_global": {"id": "clip_global", "topic": "norm clipping",
                        "who": ["PyTorch clip_grad_norm_", "d2l", "TensorFlow clip_by_global_norm",
                                "Keras (global_clipnorm)"],
                        "label": "every gradient scaled by the one global norm ‖g‖ "
                                 "(clip_grad_norm_, clip_by_global_norm)"},
        "clip_per_tensor": {"id": "clip_per_tensor", "topic": "norm clipping",
                            "who": ["TensorFlow clip_by_norm", "Keras (clipnorm)"],
                            "label": PER_TENSOR}}


def test_several_gradients_clipped_by_norm_are_answered_under_each_convention():
    r = rnnquiz.solve({**TWO, "norm": 5, "ask": {"quantity": "dW"}}, conventions=True)
    rows = {c["id"]: c for c in r.to_json()["conventions"]}
    assert set(rows) == {"clip_global", "clip_per_tensor"}
    assert rows["clip_global"]["own"] is True
    assert rows["clip_global"]["answer"] == pytest.approx([15 / 13, 20 / 13], rel=1e-15)
    assert (rows["clip_per_tensor"]["own"], rows["clip_per_tensor"]["answer"],
            rows["clip_per_tensor"]["label"]) == (False, [3, 4], PER_TENSOR)


@pytest.mark.parametrize("doc", [
    {"type": "clip", "gradients": {"g": [3.0, 4.0]}, "norm": 1},     # one gradient: the same
    {**TWO, "norm": 5, "ask": {"quantity": "norm"}},                  # ‖g‖ is before clipping
    {**TWO, "value": 5, "ask": {"quantity": "dW"}},                   # by value: no norm at all
])
def test_no_other_convention_where_it_changes_nothing(doc):
    r = rnnquiz.solve(doc, conventions=True)
    assert [c["id"] for c in r.to_json()["conventions"]] == ["own"]
    assert [v.slip for v in variants_for(from_dict(doc))] == []     # nor the slip


def test_the_own_norm_slip_is_tried_where_the_convention_is():
    assert [v.slip for v in variants_for(from_dict({**TWO, "norm": 5}))] == ["own_norm"]


def test_an_answer_clipped_by_its_own_norm_is_named_as_the_convention():
    d = rnnquiz.check({**TWO, "norm": 5, "ask": {"quantity": "dW", "digits": 4}}, "3,4")
    assert [(x["kind"], x["id"], x["label"]) for x in d["diagnosis"]] == [
        ("convention", "clip_per_tensor", PER_TENSOR)]
