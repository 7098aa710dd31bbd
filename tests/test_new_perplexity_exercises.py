"""`rnnquiz new perplexity` draws the plain exercises as its generator promises: a uniform model
over |V| ∈ {100, 1000, 5000, 10000} tokens (perplexity or cross-entropy asked), or 3 to 6
probabilities each one of 0.1, 0.2, 0.25, 0.4, 0.5, 0.6, 0.75, 0.8, 0.9 (perplexity,
cross-entropy or the summed loss E asked); 4 digits. Over 300 seeds every kind comes up; each
drawn file is read back. (The padded table of ln P: tests/test_new_draws_the_new_features.py.)
`rnnquiz vary` draws a uniform model's vocabulary from |V|/2 to 2|V|, never below 2 tokens."""

from __future__ import annotations

import random

import rnnquiz
from rnnquiz.teaching.generate import exercise
from rnnquiz.types import from_dict

PROBABILITIES = {0.1, 0.2, 0.25, 0.4, 0.5, 0.6, 0.75, 0.8, 0.9}


def test_the_plain_exercises_are_a_vocabulary_or_probabilities():
    seen = set()
    for seed in range(300):
        doc = exercise("perplexity", random.Random(seed))
        if "log_probabilities" in doc:
            continue
        ask = doc["ask"]
        assert doc["type"] == "perplexity" and set(ask) == {"quantity", "digits"}
        assert ask["digits"] == 4
        if "vocabulary" in doc:
            assert set(doc) == {"type", "vocabulary", "ask"}
            seen |= {("V", doc["vocabulary"]), ("V asks", ask["quantity"])}
        else:
            assert set(doc) == {"type", "probabilities", "ask"}
            assert set(doc["probabilities"]) <= PROBABILITIES
            seen |= {("T", len(doc["probabilities"])), ("p asks", ask["quantity"])}
            seen |= {("p", x) for x in doc["probabilities"]}
        from_dict(doc)
    assert seen == ({("V", v) for v in (100, 1000, 5000, 10000)}
                    | {("V asks", q) for q in ("perplexity", "cross_entropy")}
                    | {("T", n) for n in range(3, 7)} | {("p", x) for x in PROBABILITIES}
                    | {("p asks", q) for q in ("perplexity", "cross_entropy", "E")})


def test_a_variant_vocabulary_is_at_least_two_tokens():
    """|V| = 3: from max(2, 3 // 2) = 2 to 6 (the file's 3 is not a variant): 2, 4, 5, 6."""
    doc = {"type": "perplexity", "vocabulary": 3}
    drawn = {v.data["vocabulary"] for v in rnnquiz.vary(doc, count=30, seed=1)}
    assert drawn == {2, 4, 5, 6}
