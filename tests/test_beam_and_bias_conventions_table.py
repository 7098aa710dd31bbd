"""`solve --conventions` for decode and shapes: the file's own convention first, then the
answer under the other (SPEC 1.16), each worked by hand. Beam scores with or without the
length normalisation (1/L^α)·Σ log P, α = 0.75 (d2l); one bias vector per gate (the courses,
Keras) or two (PyTorch's bias_ih and bias_hh, a Keras GRU with reset_after)."""

from __future__ import annotations

import math

import pytest

import rnnquiz

# beam 2 over a, b, <eos>, max_length 3: the finished hypotheses are <eos> (0.4),
# a <eos> (0.5·0.7 = 0.35), a b <eos> (0.5·0.2·0.8 = 0.08) and a b a (0.01)
TABLES = {"": [0.5, 0.1, 0.4], "a": [0.1, 0.2, 0.7], "a b": [0.1, 0.1, 0.8]}
BEAM = {"type": "decode", "vocabulary": ["a", "b", "<eos>"], "tables": TABLES,
        "method": "beam", "beam": 2, "max_length": 3, "ask": {"quantity": "sequence"}}
SCORED = {"type": "decode", "vocabulary": ["a", "b", "<eos>"], "tables": TABLES,
          "sequence": "a <eos>", "ask": {"quantity": "score"}}


def rows(doc) -> list[tuple]:
    table = rnnquiz.solve(doc, conventions=True).extra["conventions"]
    return [(r["id"], r["own"], r["answer"]) for r in table]


def test_beam_search_without_alpha_picks_eos_and_normalised_a_eos():
    # log 0.4 = -0.916 beats log 0.35 = -1.050; normalised, log 0.35 / 2^0.75 = -0.624 wins
    assert math.log(0.35) / 2 ** 0.75 > math.log(0.4) > math.log(0.35)
    assert rows(BEAM) == [("beam_no_norm", True, ["<eos>"]),
                          ("beam_norm", False, ["a", "<eos>"])]
    assert rows({**BEAM, "alpha": 0.75}) == [("beam_norm", True, ["a", "<eos>"]),
                                             ("beam_no_norm", False, ["<eos>"])]


def test_a_scored_sequence_under_each_convention():
    logP = math.log(0.5) + math.log(0.7)
    got = rows(SCORED)
    assert [r[:2] for r in got] == [("beam_no_norm", True), ("beam_norm", False)]
    assert [r[2] for r in got] == pytest.approx([logP, logP / 2 ** 0.75], abs=1e-12)
    got = rows({**SCORED, "alpha": 0.5})
    assert [r[:2] for r in got] == [("beam_norm", True), ("beam_no_norm", False)]
    assert [r[2] for r in got] == pytest.approx([logP / 2 ** 0.5, logP], abs=1e-12)


def test_a_score_without_the_normalisation_is_named_once_as_the_convention():
    """The slip no_length_norm makes beam_no_norm's change: named once, as the convention."""
    v = rnnquiz.check({**SCORED, "alpha": 0.5, "ask": {"quantity": "score", "digits": 4}},
                      f"{math.log(0.35):.4f}")
    assert [(d["id"], d["kind"]) for d in v["diagnosis"]] == [("beam_no_norm", "convention")]


def test_no_score_no_beam_convention():
    assert rows({**BEAM, "method": "greedy", "beam": None}) == [("own", True, ["a", "<eos>"])]
    assert rows({**SCORED, "alpha": 0.5, "ask": {"quantity": "probability"}}) == \
        [("own", True, pytest.approx(0.35, abs=1e-15))]


CELL = {"type": "shapes", "cell": "gru", "input": 7, "hidden": 5, "ask": {"quantity": "params"}}
ONE_GRU, TWO_GRU = 3 * (5 * 5 + 5 * 7 + 5), 3 * (5 * 5 + 5 * 7 + 2 * 5)       # 195, 210
ONE_LSTM, TWO_LSTM = 4 * (5 * 5 + 5 * 7 + 5), 4 * (5 * 5 + 5 * 7 + 2 * 5)     # 260, 280


@pytest.mark.parametrize("change, expected", [
    ({}, [("bias_one", True, ONE_GRU), ("bias_two", False, TWO_GRU)]),
    ({"cell": "rnn"}, [("bias_one", True, 5 * 5 + 5 * 7 + 5), ("bias_two", False, 5 * (7 + 5) + 2 * 5)]),
    ({"framework": "pytorch", "cell": "lstm"},
     [("bias_two", True, TWO_LSTM), ("bias_one", False, ONE_LSTM)]),
    ({"framework": "keras"}, [("bias_two", True, TWO_GRU), ("bias_one", False, ONE_GRU)]),
    ({"framework": "keras", "reset_after": False},
     [("bias_one", True, ONE_GRU), ("bias_two", False, TWO_GRU)]),
    ({"framework": "keras", "cell": "lstm"},
     [("bias_one", True, ONE_LSTM), ("bias_two", False, TWO_LSTM)]),
    ({"ask": {"quantity": "gate_dim"}}, [("own", True, 5)]),
])
def test_one_cells_count_with_one_and_two_biases(change, expected):
    assert rows({**CELL, **change}) == expected


@pytest.mark.parametrize("fw, layer, expected", [
    ("pytorch", "lstm", [("own", True, TWO_LSTM), ("bias_one", False, ONE_LSTM)]),
    ("keras", "gru", [("own", True, TWO_GRU), ("bias_one", False, ONE_GRU)]),
    ("keras", "lstm", [("own", True, ONE_LSTM)]),
    ("course", "gru", [("own", True, ONE_GRU)]),
])
def test_a_models_count_with_one_bias_where_it_has_two(fw, layer, expected):
    doc = {"type": "shapes", "framework": fw, "input": 7, "model": [{"layer": layer, "hidden": 5}]}
    assert rows(doc) == expected
