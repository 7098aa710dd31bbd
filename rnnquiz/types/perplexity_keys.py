"""The `perplexity` type: a language model's loss and perplexity (SPEC 1.11).

    E = Σ_t -ln p_t            (the summed cross-entropy, nats)
    cross_entropy = E / T      (the mean over the T tokens)
    perplexity = exp(E / T)    = (Π_t 1/p_t)^(1/T)

With `vocabulary: |V|` alone the model predicts 1/|V| for every token: the cross-entropy is
ln |V| and the perplexity |V| (CS224n); there is no token count, so no E.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..problem import _err, _show, integer, numbers


@dataclass
class Perplexity:
    probabilities: np.ndarray | None     # p_t, each in (0, 1]
    vocabulary: int | None


def validate(p, data: dict) -> None:
    has_p, has_v = data.get("probabilities") is not None, data.get("vocabulary") is not None
    if has_p == has_v:
        raise _err(("vocabulary" if has_v else "probabilities",),
                   "expected exactly one of probabilities (the probability given to each "
                   "actual next token) or vocabulary (uniform predictions over |V| tokens)")
    if has_v:
        vocab = integer(data["vocabulary"], ("vocabulary",), low=1,
                        what="the vocabulary size, a whole number >= 1")
        if p.ask.quantity == "E":
            raise _err(("ask", "quantity"), "E (the summed loss) needs probabilities: with "
                                            "vocabulary alone there is no token count")
        p.detail = Perplexity(probabilities=None, vocabulary=vocab)
        return
    v = data["probabilities"]
    if not isinstance(v, (list, np.ndarray)) and not isinstance(v, (int, float)):
        raise _err(("probabilities",), f"expected a list of probabilities, got {_show(v)}")
    arr, _ = numbers(v, ("probabilities",), depth=1)
    arr = arr.reshape(-1)
    for i, x in enumerate(arr):
        if not 0 < x <= 1:
            keys = ("probabilities",) if np.ndim(v) == 0 else ("probabilities", i)
            raise _err(keys, f"expected a probability in (0, 1], got {x:g}"
                             + (" (a token given probability 0 makes the loss infinite)"
                                if x == 0 else ""))
    p.detail = Perplexity(probabilities=arr, vocabulary=None)
