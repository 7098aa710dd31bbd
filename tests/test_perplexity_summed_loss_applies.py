"""The slip summed_loss (exp of the summed loss E instead of the mean E/T) is looked for where a
perplexity is asked of two tokens or more: of one token the two are the same number, and E or
the cross-entropy asked is no perplexity. Values by hand."""

from __future__ import annotations

import pytest

from rnnquiz.teaching.slip_search import value_of
from rnnquiz.teaching.slips import variants_for
from rnnquiz.types import from_dict


@pytest.mark.parametrize("doc, summed", [
    # E = ln 2 + 2 ln 2 = 3 ln 2: exp(E) = 8, where the perplexity is exp(E/2) = 2√2
    ({"probabilities": [0.5, 0.25]}, 8.0),
    ({"probabilities": [0.5, 0.25], "ask": {"quantity": "perplexity"}}, 8.0),
    ({"probabilities": [0.5]}, None),                                   # exp(E) = exp(E/1)
    ({"probabilities": [0.5, 0.25], "ask": {"quantity": "E"}}, None),
    ({"probabilities": [0.5, 0.25], "ask": {"quantity": "cross_entropy"}}, None),
])
def test_summed_loss_is_looked_for_in_a_perplexity_of_two_tokens_or_more(doc, summed):
    p = from_dict({"type": "perplexity", **doc})
    found = [v for v in variants_for(p) if v.slip == "summed_loss"]
    assert [value_of(p, v)[0] for v in found] == \
        ([pytest.approx(summed, rel=1e-15)] if summed else [])
