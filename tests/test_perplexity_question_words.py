"""`perplexity`'s question in words says what is given and how it is computed, word for word:
a uniform model's vocabulary; the probabilities with E = Σ -ln p_t, E/T and exp(E/T); a table of
ln P with its targets, padding left out, and the masked mean (CS224n; d2l 9.3). What each
quantity asks; a loss answered in bits too (information theory, SLP3), the perplexity not."""

from __future__ import annotations

import pytest

import rnnquiz
from rnnquiz.teaching.conventions import reference
from rnnquiz.types import from_dict, perplexity

TABLE = {"type": "perplexity", "log_probabilities": [[-0.5, -1.2], [-0.1, -2.5]], "targets": [0, 1]}
MEAN = ("With log_p_t the entry of row t at its target and non_pad_t 0 at padding, else 1: "
        "log_perplexity = -Σ_t log_p_t·non_pad_t / Σ_t non_pad_t, perplexity = "
        "exp(log_perplexity).")
ROWS = ("A language model gives the log-probabilities (natural log, one row a position, one "
        "column a token) [[-0.5, -1.2], [-0.1, -2.5]]; the target token ids are [0, 1]")


@pytest.mark.parametrize("doc, words", [
    ({"type": "perplexity", "vocabulary": 10000},
     "A model spreads its probability evenly over a vocabulary of 10000 tokens."),
    ({"type": "perplexity", "probabilities": [0.5, 0.25]},
     "A language model gives the actual next tokens the probabilities [0.5, 0.25]; "
     "E = Σ_t -ln p_t (natural log), cross_entropy = E/T, perplexity = exp(E/T)."),
    (TABLE, f"{ROWS}. {MEAN}"),
    ({**TABLE, "pad": 1}, f"{ROWS}, the id 1 being padding (left out). {MEAN}"),
])
def test_the_question_says_what_is_given(doc, words):
    assert perplexity.given(from_dict(doc)) == words


@pytest.mark.parametrize("q, words", [
    ("perplexity", "the perplexity"), ("cross_entropy", "the cross-entropy per token, E/T"),
    ("log_perplexity", "the log perplexity (the mean -ln p over the tokens that count)"),
    ("E", "the summed loss E"), ("non_pad", "non_pad")])
def test_what_a_quantity_asks_in_words(q, words):
    assert perplexity.asked_words(q) == words


BITS = ("the cross-entropy in bits (log₂) rather than nats (ln); the perplexity is the same "
        "(2^H = e^E)")


@pytest.mark.parametrize("q, bits", [("cross_entropy", 1.5), ("E", 3.0)])
def test_a_loss_is_also_answered_in_bits(q, bits):
    """p = [1/2, 1/4]: E = ln 2 + ln 4 = 3 ln 2 nats = 3 bits, E/T = 1.5 bits."""
    r = rnnquiz.solve({"type": "perplexity", "probabilities": [0.5, 0.25], "ask": {"quantity": q}},
                      conventions=True)
    rows = {c["id"]: c for c in r.to_json()["conventions"]}
    assert set(rows) == {"own", "log2"}
    assert (rows["log2"]["label"], rows["log2"]["own"]) == (BITS, False)
    assert rows["log2"]["answer"] == pytest.approx(bits, rel=1e-15)
    row = {x["id"]: x for x in reference()}["log2"]
    assert row["topic"] == "logarithm" and BITS in row["label"]
    assert row["who"] == ["information theory", "Hinton's course (bits)", "SLP3 (entropy in bits)"]


def test_the_perplexity_is_the_same_in_bits():
    r = rnnquiz.solve({"type": "perplexity", "probabilities": [0.5, 0.25]}, conventions=True)
    assert [c["id"] for c in r.to_json()["conventions"]] == ["own"]
