"""decode's `method: error_analysis` (SPEC 1.15; deeplearning.ai, Sequence Models, week 3,
"Error analysis in beam search"): y* is the human's sequence, ŷ the algorithm's output.

    at_fault = beam_search   if P(y*|x) > P(ŷ|x)   (the model prefers y*: the search missed it)
               rnn           otherwise             (the model itself ranks ŷ at least as high)

With `alpha` the two are compared by their normalised scores (1/L^α) log P instead.
"""

from __future__ import annotations

import math

from .. import Outcome
from .scoring import (WRITTEN, Hyp, closeness, factors, given_prefix, log_p, hyp_score, score_step,
                      seq_text)


def error_analysis(d, work, notes: list[str]) -> Outcome:
    """deeplearning.ai's error analysis of beam search: the model scores the human's y* and the
    algorithm's ŷ; if it prefers y*, the search missed it (beam search at fault), else the
    model itself ranks the wrong output higher (the RNN at fault)."""
    hyps = {}
    for name, seq in (("y*", d.sequence), ("ŷ", d.output)):
        fs = factors(d, tuple(seq))
        logs = [log_p(f) for f in fs]
        P, logP = math.prod(fs), math.fsum(logs)
        h = hyps[name] = Hyp(tuple(seq), P, logP)
        shown = len(fs) <= WRITTEN
        eq = "·".join(f"P({tok}{given_prefix(h.tokens[:t])})" for t, tok in enumerate(h.tokens))
        work.note(f"P({name}|x)", P, eq=eq if shown else "Π_t P(y_t | y_<t)",
                  sub="·".join(["{}"] * len(fs)) if shown else "",
                  args=tuple(fs) if shown else (), phase=f"{name} = {seq_text(seq)}")
        if d.alpha is not None:
            work.note(f"log P({name}|x)", logP, eq="Σ_t log P(y_t | y_<t)",
                      sub=" + ".join(["{}"] * len(logs)) if shown else "",
                      args=tuple(logs) if shown else (), phase=f"{name} = {seq_text(seq)}")
            score_step(d, h, work, f"score({name})", phase=f"{name} = {seq_text(seq)}")
    star, hat = hyps["y*"], hyps["ŷ"]
    if d.alpha is None:
        better, how = star.P > hat.P, "P(y*|x) > P(ŷ|x)"
        a, b = star.P, hat.P
    else:
        a, b = hyp_score(d, star), hyp_score(d, hat)
        better = a > b or (a == b == 0 and closeness(d, star) > closeness(d, hat))
        how = "score(y*) > score(ŷ)"
    fault = "beam_search" if better else "rnn"
    why = (f"{how}: the model prefers the human's sequence, so the search failed to find it"
           if better else f"not {how}: the model itself ranks the wrong output at least as "
                          "high, so the RNN is at fault")
    work.note("at_fault", fault, eq=f"beam_search if {how} else rnn",
              sub="{} vs {}", args=(a, b), phase="verdict", note=why)
    return Outcome(values={"at_fault": fault, "probability": [star.P, hat.P]},
                   default="at_fault", notes=notes)
