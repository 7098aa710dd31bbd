"""`rnnquiz schema` takes what the loader takes and refuses what it refuses, for decode and
shapes, right at each bound: the smallest vocabulary, table, sequence, beam, alpha and
max_length (SPEC 1.11); the smallest widths, 1 and 1000 layers, each cell and framework
(SPEC 1.7); a choice's options, correct numbers, explanation and demo (SPEC 1.8). An
editor checking a file against the schema agrees with `rnnquiz solve`."""

from __future__ import annotations

import jsonschema
import pytest

from rnnquiz.cli.schema import schema
from rnnquiz.errors import ProblemError
from rnnquiz.types import from_dict

EOS = {"type": "decode", "vocabulary": ["<eos>"], "tables": {"": [1]}}
AB = {"type": "decode", "vocabulary": [1, "<eos>"], "tables": {"": [0, 1], "1": [1, 0]}}

DECODE = [
    (EOS, True),                                    # one token, one table of one probability
    ({**EOS, "eos": "<eos>", "method": "greedy", "max_length": 1}, True),
    ({**AB, "eos": "<eos>", "method": "score", "sequence": ["<eos>"]}, True),
    ({**AB, "method": "score", "sequence": "1 <eos>"}, True),
    ({**AB, "method": "beam", "beam": 1, "alpha": 0}, True),
    ({**AB, "method": "error_analysis", "sequence": "<eos>", "output": [1, "<eos>"]}, True),
    ({**AB, "vocabulary": [1, 2], "eos": 2}, True),             # tokens written as numbers
    ({k: v for k, v in EOS.items() if k != "vocabulary"}, False),
    ({k: v for k, v in EOS.items() if k != "tables"}, False),
    ({**EOS, "vocabulary": []}, False),
    ({**EOS, "vocabulary": [1.5, "<eos>"]}, False),
    ({**EOS, "vocabulary": {"a": 1}}, False),
    ({**EOS, "eos": 1.5}, False),
    ({**EOS, "tables": {}}, False),
    ({**EOS, "tables": [[1]]}, False),
    ({**EOS, "tables": {"": []}}, False),
    ({**EOS, "tables": {"": 1}}, False),
    ({**EOS, "tables": {"": [1.5]}}, False),
    ({**EOS, "tables": {"": [-0.5]}}, False),
    ({**EOS, "tables": {"": ["1"]}}, False),
    ({**AB, "method": "score", "sequence": []}, False),
    ({**AB, "method": "score", "sequence": 1}, False),
    ({**AB, "method": "score", "sequence": [1.5]}, False),
    ({**AB, "method": "error_analysis", "sequence": "<eos>", "output": []}, False),
    ({**AB, "method": "error_analysis", "sequence": "<eos>", "output": 1}, False),
    ({**EOS, "method": "sample"}, False),
    ({**AB, "method": "beam", "beam": 0}, False),
    ({**AB, "method": "beam", "beam": 1.5}, False),
    ({**AB, "method": "beam", "beam": 1, "alpha": -0.5}, False),
    ({**AB, "method": "beam", "beam": 1, "alpha": "high"}, False),
    ({**EOS, "max_length": 0}, False),
    ({**EOS, "max_length": 1.5}, False),
]

CELL = {"type": "shapes", "input": 1, "hidden": 1}
SHAPES = [
    (CELL, True),
    ({**CELL, "cell": "rnn", "framework": "course", "layers": 1000, "output": 1}, True),
    ({**CELL, "cell": "lstm", "framework": "pytorch", "bidirectional": True}, True),
    ({**CELL, "cell": "gru", "framework": "keras", "reset_after": False}, True),
    ({**CELL, "hidden": [1, 1]}, True),
    ({**CELL, "embedding": {"vocabulary": 1}}, True),
    ({"type": "shapes", "input": 1, "model": [{"layer": "dense", "output": 1}]}, True),
    ({**CELL, "layers": 1, "bidirectional": False}, True),
    ({**CELL, "cell": "cnn"}, False),
    ({**CELL, "cell": "gated"}, False),         # a cell other types take, shapes does not
    ({**CELL, "input": 0}, False),
    ({**CELL, "input": 1.5}, False),
    ({**CELL, "hidden": 0}, False),
    ({**CELL, "hidden": "1"}, False),
    ({**CELL, "hidden": [1, 0]}, False),
    ({**CELL, "hidden": [1, "1"]}, False),
    ({**CELL, "output": 0}, False),
    ({**CELL, "output": 1.5}, False),
    ({**CELL, "layers": 0}, False),
    ({**CELL, "layers": 1001}, False),
    ({**CELL, "layers": 1.5}, False),
    ({**CELL, "framework": "tensorflow"}, False),
    ({**CELL, "cell": "gru", "framework": "keras", "reset_after": "yes"}, False),
    ({**CELL, "embedding": {}}, False),
    ({**CELL, "embedding": 1000}, False),
    ({"type": "shapes", "input": 1, "model": [{"output": 1}]}, False),
    ({"type": "shapes", "input": 1, "model": [1]}, False),
    ({"type": "shapes", "input": 1, "model": {"layer": "dense", "output": 1}}, False),
]

CHOICE = {"type": "choice", "question": "Q?", "options": ["a", "b"], "correct": [1]}
CHOICES = [
    (CHOICE, True),
    ({**CHOICE, "correct": 2}, True),                       # one number for a list of one
    ({**CHOICE, "options": [1, 2.5]}, True),                # options written as numbers
    ({**CHOICE, "explanation": "x", "demo": "hinton_p3.yaml"}, True),
    ({k: v for k, v in CHOICE.items() if k != "options"}, False),
    ({k: v for k, v in CHOICE.items() if k != "correct"}, False),
    ({**CHOICE, "options": "ab"}, False),
    ({**CHOICE, "options": ["a"]}, False),
    ({**CHOICE, "options": ["a", {"b": 1}]}, False),
    ({**CHOICE, "correct": "1"}, False),
    ({**CHOICE, "correct": []}, False),
    ({**CHOICE, "correct": [0]}, False),
    ({**CHOICE, "correct": ["1"]}, False),
    ({**CHOICE, "explanation": 3}, False),
    ({**CHOICE, "demo": 3}, False),
]


def _validator():
    return jsonschema.Draft7Validator(schema())     # built each time: schema() is not cached


def _loads(doc) -> bool:
    try:
        from_dict(dict(doc))
    except ProblemError:
        return False
    return True


@pytest.mark.parametrize("doc, taken", DECODE + SHAPES + CHOICES)
def test_the_schema_and_the_loader_agree(doc, taken):
    errors = [e.message for e in _validator().iter_errors(doc)]
    assert (not errors) == taken, errors or "the schema takes it"
    assert _loads(doc) == taken
