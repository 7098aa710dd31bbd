"""`perplexity`: the cross-entropy of a language model's predictions and its perplexity.

    -ln p_t for each actual next token;  E = Σ_t -ln p_t;  cross_entropy = E/T
    perplexity = exp(E/T)     (uniform over |V| tokens: ln |V| and |V|)
"""

from __future__ import annotations

import math

from .. import extremes
from . import Outcome, solver

HEAD, TAIL = 3, 2          # a long sequence shows its first and last terms
SHOWN = 8                  # the sum E is written out up to this many terms


@solver("perplexity")
def solve_perplexity(p, work) -> Outcome:
    d = p.detail
    if d.vocabulary is not None:
        return _uniform(d.vocabulary, work)
    probs = [float(x) for x in d.probabilities]
    T = len(probs)
    terms = []
    for t, pt in enumerate(probs, start=1):
        term = -math.log(pt)
        terms.append(term)
        if T <= HEAD + TAIL + 1 or t <= HEAD or t > T - TAIL:
            work.note(f"-ln p_{t}", term, t=t, sub="-ln({})", args=(pt,), phase="loss per token")
        elif t == HEAD + 1:
            work.note("…", f"{T - HEAD - TAIL:,} more terms", phase="loss per token")
    E = math.fsum(terms)
    if T <= SHOWN:
        work.note("E", E, eq="Σ_t -ln p_t", sub=" + ".join(["{}"] * T), args=tuple(terms),
                  phase="loss")
    else:
        work.note("E", E, eq="Σ_t -ln p_t", sub=f"the sum of the {T:,} terms", phase="loss")
    mean = work.note("cross_entropy", E / T, eq="E/T", sub="{}/{}", args=(E, T), phase="loss",
                     note="the mean loss per token, in nats")
    if "summed_loss" in work.variants:       # the slip: exp of the sum, not of the mean
        mean = E
    pp = work.note("perplexity", extremes.exp(mean), eq="exp(E/T)", sub="exp({})", args=(mean,),
                   phase="perplexity", note="= (Π_t 1/p_t)^(1/T): the geometric mean of 1/p_t, "
                                            "as many choices as the model is unsure among")
    return Outcome(values={"perplexity": pp, "cross_entropy": E / T, "E": E},
                   default="perplexity")


def _uniform(V: int, work) -> Outcome:
    work.note("p", 1 / V, eq="1/|V|", sub="1/{}", args=(V,), phase="loss per token",
                  note="a uniform model gives every token the same probability")
    ce = work.note("cross_entropy", math.log(V), eq="-ln p = ln |V|", sub="ln({})", args=(V,),
                   phase="loss", note="the same at every token, so the mean too")
    work.note("perplexity", float(V), eq="exp(ln |V|) = |V|", sub="exp({})", args=(ce,),
              phase="perplexity", note="a uniform model is as unsure as a choice among all "
                                       f"{V:,} tokens")
    return Outcome(values={"perplexity": float(V), "cross_entropy": math.log(V)},
                   default="perplexity")
