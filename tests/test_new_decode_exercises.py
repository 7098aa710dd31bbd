"""`rnnquiz new decode` draws exercises as their generators promise:
decode's tables for every prefix of up to max_length - 1 = 2 tokens over A, B, C, in tenths,
none 0, each summing to 1; a score question of a sequence of 1 or 2 tokens and <eos>; beam 2
with d2l's α = 0.75; digits asked for every number, none for a sequence. Each drawn file is
read back. Over 60 seeds every kind of question comes up."""

from __future__ import annotations

import itertools
import random

import pytest

from rnnquiz.teaching.generate import exercise
from rnnquiz.types import from_dict

SEEDS = range(60)
WORDS = ["A", "B", "C"]
PREFIXES = {" ".join(p) for n in range(3) for p in itertools.product(WORDS, repeat=n)}


@pytest.fixture()
def decodes():
    return [exercise("decode", random.Random(seed)) for seed in SEEDS]


def test_the_tables_are_every_prefix_in_tenths_none_zero(decodes):
    for doc in decodes:
        assert (doc["type"], doc["vocabulary"], doc["eos"], doc["max_length"]) == \
            ("decode", WORDS + ["<eos>"], "<eos>", 3)
        assert set(doc["tables"]) == PREFIXES
        for row in doc["tables"].values():
            assert len(row) == 4 and all(0 < x < 1 and x == round(x * 10) / 10 for x in row)
            assert sum(row) == pytest.approx(1, abs=1e-12)
    firsts = {row[0] for doc in decodes for row in doc["tables"].values()}
    assert firsts == {k / 10 for k in range(1, 8)}       # every tenth leaving 3 for the rest


def test_each_method_asks_what_it_can_answer(decodes):
    seen = set()
    for doc in decodes:
        method, ask = doc["method"], doc["ask"]
        seen.add((method, ask["quantity"]))
        assert ask == ({"quantity": "sequence"} if ask["quantity"] == "sequence" else
                       {"quantity": ask["quantity"], "digits": 4})
        if method == "score":
            assert ask["quantity"] in ("probability", "score")
            assert doc["sequence"][-1] == "<eos>" and set(doc["sequence"][:-1]) <= set(WORDS)
            seen.add(("length", len(doc["sequence"])))
        if method == "beam":
            assert (doc["beam"], doc["alpha"]) == (2, 0.75)
        else:
            assert "beam" not in doc and "alpha" not in doc
        from_dict(doc)          # a file the loader takes
    assert seen == {("greedy", q) for q in ("sequence", "probability", "score")} | \
        {("beam", q) for q in ("sequence", "probability", "score")} | \
        {("score", "probability"), ("score", "score"), ("length", 2), ("length", 3)}
