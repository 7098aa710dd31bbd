"""One cell's `shapes` file: each refusal by its key with its words (SPEC 1.7: input and
hidden required, every width at most 1,000,000,000, reset_after only for a Keras GRU), what
`rnnquiz new shapes` draws, and the problem `rnnquiz shapes` builds from its options."""

from __future__ import annotations

import random

import pytest

import rnnquiz
from rnnquiz.errors import ProblemError
from rnnquiz.types.shapes import generate
from rnnquiz.types.shapes.calculator import CALCULATOR, SEED


def refusal(**doc) -> tuple[str, tuple]:
    with pytest.raises(ProblemError) as e:
        rnnquiz.solve({"type": "shapes", **doc})
    return str(e.value), e.value.keys


@pytest.mark.parametrize("doc, message, keys", [
    ({"hidden": 3}, "input: missing; expected a whole number >= 1", ("input",)),
    ({"input": 3}, "hidden: missing; expected a whole number >= 1", ("hidden",)),
    ({"input": 3, "hidden": 3, "output": 0}, "output: expected a whole number >= 1, got 0",
     ("output",)),
    ({"input": 10 ** 9 + 1, "hidden": 3},
     "input: expected at most 1,000,000,000 units, got 1000000001", ("input",)),
    ({"input": 3, "hidden": 10 ** 9 + 1},
     "hidden: expected at most 1,000,000,000 units, got 1000000001", ("hidden",)),
    ({"input": 3, "hidden": 3, "output": 10 ** 9 + 1},
     "output: expected at most 1,000,000,000 units, got 1000000001", ("output",)),
    ({"input": 3, "hidden": 3, "framework": "keras", "cell": "lstm", "reset_after": True},
     "reset_after: only applies to a Keras GRU (framework: keras, cell: gru)", ("reset_after",)),
])
def test_a_bad_cell_file_is_refused_by_its_key(doc, message, keys):
    assert refusal(**doc) == (message, keys)


def test_a_billion_units_is_the_widest_counted():
    r = rnnquiz.solve({"type": "shapes", "input": 10 ** 9, "hidden": 10 ** 9,
                       "output": 10 ** 9, "ask": {"quantity": "params"}})
    # the course's RNN: h·h + h·x + h, then the read-out y·h + y, every width 10^9
    assert r.values["params"] == 3 * 10 ** 18 + 2 * 10 ** 9


def test_new_one_cell_exercises_draw_from_their_sizes():
    seen: dict[str, set] = {}
    for seed in range(300):
        doc = generate(random.Random(seed))
        if "model" in doc or "embedding" in doc or isinstance(doc.get("hidden"), list):
            seen.setdefault("models", set()).add(seed)
            continue
        assert doc["ask"] == {"quantity": "params"}
        seen.setdefault("one cell", []).append(doc.get("layers", 1))
        for key in ("input", "hidden", "layers", "bidirectional"):
            seen.setdefault(key, set()).add(doc.get(key))
        keras_gru = doc["framework"] == "keras" and doc["cell"] == "gru"
        assert ("reset_after" in doc) == keras_gru, doc
        if keras_gru:
            seen.setdefault("reset_after", set()).add(doc["reset_after"])
    assert seen["input"] == {100, 1000, 10000}
    assert seen["hidden"] == {50, 64, 100, 128}
    assert seen["layers"] == {None, 2}                 # one layer is written by leaving it out
    assert seen["bidirectional"] == {None, True}
    assert seen["reset_after"] == {True, False}
    assert 0 < len(seen["models"]) < 300
    stacks = seen["one cell"].count(2) / len(seen["one cell"])
    assert 0.2 < stacks < 0.47, stacks                  # one in three is a stack of two


def test_the_course_question_says_an_rnn_layer():
    from rnnquiz.teaching.question import full_question
    from rnnquiz.types import from_dict
    text = full_question(from_dict({"type": "shapes", "cell": "rnn", "input": 3, "hidden": 4,
                                    "ask": {"quantity": "params"}}))
    assert text.startswith("An RNN layer (one bias vector per gate"), text


OPTIONS = ("cell", "input", "hidden", "output", "framework", "layers", "bidirectional",
           "reset_after", "quantity")


def build(**given):
    return CALCULATOR["build"]({k: given.get(k) for k in OPTIONS})


def test_no_option_solves_the_seed_exercise():
    prob = build()
    assert prob == SEED and prob["answer"] == 100          # deeplearning.ai Q7: Γ_u is 100 wide
    prob["ask"]["quantity"] = "params"                     # the caller's own copy
    assert SEED["ask"] == {"quantity": "gate_dim"}


def test_options_start_a_new_cell_with_sizes_of_one():
    assert build(hidden=5) == {"type": "shapes", "cell": "lstm", "input": 1, "hidden": 5}
    assert build(input=7) == {"type": "shapes", "cell": "lstm", "input": 7, "hidden": 1}
    assert build(cell="gru", input=2, hidden=3, framework="keras", reset_after=False) == {
        "type": "shapes", "cell": "gru", "input": 2, "hidden": 3, "framework": "keras",
        "reset_after": False}


def test_a_quantity_drops_the_seeds_published_answer():
    prob = build(quantity="params")
    assert prob["ask"] == {"quantity": "params"} and "answer" not in prob
    # the seed's LSTM counted: 4·(100·100 + 100·10000 + 100) + 10000·100 + 10000
    assert rnnquiz.solve(prob).values["params"] == 4 * (10_000 + 1_000_000 + 100) + 1_010_000
