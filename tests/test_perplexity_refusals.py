"""A `perplexity` file the type cannot read is refused with one line naming the key and saying
what was expected, word for word (SPEC 1.11: exactly one of probabilities, vocabulary or
log_probabilities; probabilities in (0, 1]; a table's rows natural-log distributions, one
target id a position, pad an id). Right at the bounds what is valid is taken: a vocabulary of
1 (perplexity 1), a probability 1, a row holding ln P = 0."""

from __future__ import annotations

import math

import pytest

import rnnquiz
from rnnquiz.errors import ProblemError
from conftest import refusal
from rnnquiz.types import from_dict

P = {"type": "perplexity"}
TABLE = {"type": "perplexity", "log_probabilities": [[-0.5, -1.2], [-0.1, -2.5]], "targets": [0, 1]}
ONE_OF = ("expected exactly one of probabilities (the probability given to each actual next "
          "token), vocabulary (uniform predictions over |V| tokens) or log_probabilities (a row "
          "of ln P over the vocabulary at each position, with targets)")
ZERO = " (a token given probability 0 makes the loss infinite)"
WITH_TABLE = ("goes with log_probabilities (the token ids of a table of log-probabilities); "
              "leave it out")
OVER = "more than 1 (expected natural-log probabilities over the vocabulary)"

REFUSED = [
    (P, "probabilities", ONE_OF),
    ({**P, "probabilities": [0.5], "vocabulary": 10}, "vocabulary", ONE_OF),
    ({**TABLE, "probabilities": [0.5], "vocabulary": 10}, "log_probabilities", ONE_OF),
    ({**P, "probabilities": [0.5], "targets": [0]}, "targets", WITH_TABLE),
    ({**P, "vocabulary": 10, "pad": 0}, "pad", WITH_TABLE),
    ({**P, "vocabulary": 10, "ask": {"quantity": "E"}}, "ask.quantity",
     "E (the summed loss) needs probabilities: with vocabulary alone there is no token count"),
    ({**P, "vocabulary": 0}, "vocabulary",
     "expected the vocabulary size, a whole number >= 1, got 0"),
    ({**P, "probabilities": "x"}, "probabilities", "expected a list of probabilities, got 'x'"),
    ({**P, "probabilities": {"a": 1}}, "probabilities",
     "expected a list of probabilities, got a mapping"),
    ({**P, "probabilities": [[0.5]]}, "probabilities[0]", "expected a number, got a list"),
    ({**P, "probabilities": [0.5, 0]}, "probabilities[1]",
     "expected a probability in (0, 1], got 0" + ZERO),
    ({**P, "probabilities": 0}, "probabilities", "expected a probability in (0, 1], got 0" + ZERO),
    ({**P, "probabilities": [0.5, 1.5]}, "probabilities[1]",
     "expected a probability in (0, 1], got 1.5"),
    ({**P, "probabilities": 2}, "probabilities", "expected a probability in (0, 1], got 2"),
    ({**TABLE, "log_probabilities": [-0.5, -1.2]}, "log_probabilities",
     "expected a list of rows, one a position (ln P over the vocabulary), got a list"),
    ({**TABLE, "log_probabilities": 3}, "log_probabilities",
     "expected a list of rows, one a position (ln P over the vocabulary), got 3"),
    ({**TABLE, "log_probabilities": [[-0.5, -1.2], ["x", -0.2]]}, "log_probabilities[1][0]",
     "expected a number, got 'x'"),
    ({**TABLE, "log_probabilities": [[-0.5, 0.0], [-0.1, 0.2]]}, "log_probabilities[1][1]",
     "expected a natural-log probability (at most 0), got 0.2"),
    # e^0 + e^-1 = 1.36788; e^-0.05 + e^-0.05 = 1.90246: beyond a table rounded to 1 decimal
    ({**TABLE, "log_probabilities": [[0.0, -1.0], [-0.1, -2.5]]}, "log_probabilities[0]",
     f"the row's probabilities exp(ln P) add up to 1.36788, {OVER}"),
    ({**TABLE, "log_probabilities": [[-0.5, -1.2], [-0.05, -0.05]]}, "log_probabilities[1]",
     f"the row's probabilities exp(ln P) add up to 1.90246, {OVER}"),
    ({k: v for k, v in TABLE.items() if k != "targets"}, "targets",
     "missing; expected the target token id at each position"),
    ({**TABLE, "targets": 1}, "targets", "expected a list of token ids, one a position, got 1"),
    ({**TABLE, "targets": [0, 2]}, "targets[1]",
     "expected a token id from 0 to 1 (the rows of log_probabilities have 2 columns), got 2"),
    ({**TABLE, "targets": [0, -1]}, "targets[1]", "expected a token id from 0 to 1, got -1"),
    ({**TABLE, "targets": [0, 1.5]}, "targets[1]", "expected a token id from 0 to 1, got 1.5"),
    ({**TABLE, "targets": [0]}, "targets",
     "has 1 token ids; log_probabilities has 2 rows (one target a position)"),
    ({**TABLE, "log_probabilities": [[-0.5, -1.2]]}, "targets",
     "has 2 token ids; log_probabilities has 1 row (one target a position)"),
    ({**TABLE, "pad": -1}, "pad", "expected a token id (whole number >= 0), got -1"),
    ({**TABLE, "pad": 1, "targets": [1, 1]}, "targets",
     "every target is the pad id 1: no position is left to average over"),
]


@pytest.mark.parametrize("doc, path, message", REFUSED)
def test_a_file_perplexity_cannot_read_is_refused_naming_the_key(doc, path, message):
    assert refusal(doc) == (path, message)


def test_a_vocabulary_of_one_token_has_perplexity_one():
    r = rnnquiz.solve({**P, "vocabulary": 1})
    assert r.answer == 1.0 and r.values["cross_entropy"] == 0.0


def test_a_probability_of_one_is_taken():
    """p = [1, 0.25]: cross-entropy (0 + ln 4)/2 = ln 2, perplexity 2."""
    r = rnnquiz.solve({**P, "probabilities": [1, 0.25]})
    assert r.answer == pytest.approx(2.0, rel=1e-15)


def test_a_row_holding_ln_p_zero_is_taken():
    """Row 0 is [0, -30] (e^-30 beside 1: the sum is within rounding of 1); targets 0 and 1:
    cross-entropy (0 + 2.5)/2 = 1.25, perplexity e^1.25."""
    r = rnnquiz.solve({**TABLE, "log_probabilities": [[0.0, -30.0], [-0.1, -2.5]]})
    assert r.answer == pytest.approx(math.exp(1.25), rel=1e-15)


def test_a_row_may_add_up_to_1_06_and_no_more():
    """The tolerance of a table rounded to one decimal: e^ln 0.53 + e^ln 0.53 = 1.06 is taken,
    0.531 + 0.531 = 1.062 is not."""
    rows = [[-0.5, -1.2], [math.log(0.53), math.log(0.53)]]
    assert from_dict({**TABLE, "log_probabilities": rows}).detail.table.targets == [0, 1]
    with pytest.raises(ProblemError, match="add up to 1.062, more than 1"):
        from_dict({**TABLE, "log_probabilities": [[-0.5, -1.2], [math.log(0.531)] * 2]})
