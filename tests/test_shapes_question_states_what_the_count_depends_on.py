"""The question `quiz`, `new` and export ask of a `shapes` exercise (one cell's layers) says
everything its count depends on (SPEC 1.7): the framework's bias rule, the stack, both
directions, a Keras GRU's reset_after. Two files whose answers differ ask different
questions."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
import yaml

import rnnquiz
from rnnquiz.teaching.question import full_question
from rnnquiz.types import from_dict

ROOT = Path(__file__).resolve().parent.parent


def test_the_keras_bidirectional_gru_says_bidirectional_keras_and_reset_after():
    """Stack Overflow's Bidirectional(GRU(32)) on 16 inputs: 9,600 with TF2's reset_after
    (2·(16·96 + 32·96 + 2·96)); the question names all three."""
    doc = yaml.safe_load((ROOT / "problems" / "keras_bidirectional_gru.yaml").read_text())
    text = full_question(from_dict(doc))
    assert "bidirectional" in text and "Keras" in text and "reset_after=True" in text, text
    assert "input size 16" in text and "hidden size 32" in text


def test_pytorch_and_the_course_say_their_bias_rule():
    base = {"type": "shapes", "cell": "lstm", "input": 10, "hidden": 20,
            "ask": {"quantity": "params"}}
    torch_text = full_question(from_dict({**base, "framework": "pytorch", "layers": 2}))
    assert torch_text.startswith("A stack of 2 PyTorch LSTM layers"), torch_text
    course = full_question(from_dict(base))
    assert course.startswith("An LSTM layer (one bias vector per gate"), course


def test_files_whose_counts_differ_ask_different_questions():
    """nn.LSTM(10, 20) has 2,560 parameters and the course's LSTM 2,480, TF2's GRU(32) on 16
    inputs 4,800 and reset_after=False's 4,704 (SPEC 1.7): every answer its own question."""
    seen: dict[str, object] = {}
    for cell, fw, layers, both, reset in itertools.product(
            ("rnn", "lstm", "gru"), ("course", "pytorch", "keras"), (1, 2), (False, True),
            (None, False, True)):
        if reset is not None and (fw != "keras" or cell != "gru"):
            continue
        doc = {"type": "shapes", "cell": cell, "input": 16, "hidden": 32, "framework": fw,
               "layers": layers, "bidirectional": both, "ask": {"quantity": "params"}}
        if reset is not None:
            doc["reset_after"] = reset
        answer = rnnquiz.solve(doc).answer
        text = full_question(from_dict(doc))
        assert seen.setdefault(text, answer) == answer, text
    assert len(set(seen.values())) > 20


COURSE = "(one bias vector per gate, as the course's equations write it)"


@pytest.mark.parametrize("change, text", [
    ({"cell": "rnn"}, f"An RNN layer {COURSE} with input size 16, hidden size 32."),
    ({"cell": "rnn", "bidirectional": True},
     f"A bidirectional RNN layer {COURSE} with input size 16, hidden size 32."),
    ({"cell": "gru", "framework": "keras", "reset_after": False, "output": 5},
     "A Keras GRU layer (reset_after=False) with input size 16, hidden size 32, output size 5."),
    ({"cell": "gru", "framework": "keras"},
     "A Keras GRU layer (reset_after=True) with input size 16, hidden size 32."),
    ({"cell": "lstm", "framework": "keras", "layers": 2},
     "A stack of 2 Keras LSTM layers with input size 16, hidden size 32."),
    ({"cell": "lstm", "framework": "pytorch", "bidirectional": True, "layers": 3},
     "A stack of 3 bidirectional PyTorch LSTM layers with input size 16, hidden size 32."),
])
def test_the_whole_question_of_one_cells_layers(change, text):
    asked = full_question(from_dict({"type": "shapes", "input": 16, "hidden": 32, **change}))
    assert asked == f"{text} What is the dimension of each gate vector?", asked


@pytest.mark.parametrize("doc, text", [
    ({"framework": "keras", "cell": "lstm", "input": 16, "hidden": 32,
      "embedding": {"vocabulary": 1000}, "output": 1},
     "A Keras model of 3 layers: Embedding (1000 → 16), LSTM (16 → 32), Dense (32 → 1)."),
    ({"cell": "gru", "input": 16, "hidden": [8, 4]},
     "A model of 2 layers: GRU (16 → 8), GRU (8 → 4)."),
    ({"framework": "pytorch", "input": 16, "model": [
        {"layer": "lstm", "hidden": 8, "bidirectional": True}, {"layer": "dense", "output": 1}]},
     "A PyTorch model of 2 layers: LSTM(bidirectional) (16 → 16), Linear (16 → 1)."),
    ({"framework": "keras", "input": 6, "model": [
        {"layer": "gru", "hidden": 8, "bidirectional": True},
        {"layer": "conv1d", "filters": 3, "kernel_size": 2}]},
     "A Keras model of 2 layers: Bidirectional(GRU) (6 → 16), Conv1D (16 → 3)."),
    ({"framework": "keras", "model": [{"layer": "embedding", "vocabulary": 50, "output": 4}]},
     "A Keras model of 1 layer: Embedding (50 → 4)."),
])
def test_a_whole_models_question_lists_its_layers_in_order(doc, text):
    asked = full_question(from_dict({"type": "shapes", **doc}))
    assert asked == f"{text} What is the number of parameters?", asked
