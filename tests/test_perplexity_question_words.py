"""`perplexity`'s question in words says what is given and how it is computed, word for word:
a uniform model's vocabulary; the probabilities with E = Σ -ln p_t, E/T and exp(E/T); a table of
ln P with its targets, padding left out, and the masked mean (CS224n; d2l 9.3)."""

from __future__ import annotations

import pytest

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
