"""The working of `perplexity` (the equations are in the package's docstring): from the
probabilities of the actual next tokens, from a uniform model, or from a table of
log-probabilities with padding. The package reads the file; here each form is written out."""

from __future__ import annotations

import math

from ...trace import extremes
from .. import Outcome

HEAD, TAIL = 3, 2          # a long sequence shows its first and last terms
SHOWN = 8                  # the sum E is written out up to this many terms


def from_probabilities(probs: list[float], work) -> Outcome:
    """-ln p_t for each token, E, E/T and exp(E/T), from the probability of each actual
    next token."""
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


def uniform(V: int, work) -> Outcome:
    """A uniform model over |V| tokens: ln |V| and |V|."""
    work.note("p", 1 / V, eq="1/|V|", sub="1/{}", args=(V,), phase="loss per token",
                  note="a uniform model gives every token the same probability")
    ce = work.note("cross_entropy", math.log(V), eq="-ln p = ln |V|", sub="ln({})", args=(V,),
                   phase="loss", note="the same at every token, so the mean too")
    work.note("perplexity", float(V), eq="exp(ln |V|) = |V|", sub="exp({})", args=(ce,),
              phase="perplexity", note="a uniform model is as unsure as a choice among all "
                                       f"{V:,} tokens")
    return Outcome(values={"perplexity": float(V), "cross_entropy": math.log(V)},
                   default="perplexity")


def from_table(d, work) -> Outcome:
    """The NLP specialisation's log_perplexity from a table of ln P (perplexity.Table): the
    entry of each row at its target, the padding left out."""
    T = len(d.targets)
    log_p, mask = [], []
    for t, (row, k) in enumerate(zip(d.log_probabilities, d.targets), start=1):
        log_p.append(float(row[k]))
        # the slip pad_counted: the padding averaged in (a lower, flattering perplexity)
        mask.append(0 if k == d.pad and "pad_counted" not in work.variants else 1)
        if T <= HEAD + TAIL + 1 or t <= HEAD or t > T - TAIL:
            work.note(f"log_p_{t}", log_p[-1], t=t, eq=f"ln P(token {k}) at position {t}",
                      phase="loss per token",
                      note=f"target {k} is the pad id: left out" if not mask[-1] else "")
        elif t == HEAD + 1:
            work.note("…", f"{T - HEAD - TAIL:,} more positions", phase="loss per token")
    work.note("non_pad", mask, eq="1 - [targets_t = pad]", phase="loss",
              note=f"pad = {d.pad}" if d.pad is not None else "no pad id given: every position "
                                                               "counts")
    kept = [lp for lp, m in zip(log_p, mask) if m]
    total = math.fsum(kept)
    N = len(kept)
    shown = T <= SHOWN
    work.note("Σ log_p·non_pad", total, eq="Σ_t log_p_t·non_pad_t",
              sub=" + ".join(["{}·{}"] * T) if shown else f"the sum over the {N:,} kept "
                                                           "positions",
              args=tuple(x for pair in zip(log_p, mask) for x in pair) if shown else (),
              phase="loss")
    work.note("Σ non_pad", N, eq="Σ_t non_pad_t", phase="loss",
              note="the positions that count")
    ce = work.note("log_perplexity", -total / N, eq="-Σ log_p·non_pad / Σ non_pad",
                   sub="-({})/{}", args=(total, N), phase="loss",
                   note="the mean loss per token, in nats (cross_entropy)")
    if "summed_loss" in work.variants:       # the slip: exp of the sum, not of the mean
        ce = -total
    pp = work.note("perplexity", extremes.exp(ce), eq="exp(log_perplexity)", sub="exp({})",
                   args=(ce,), phase="perplexity")
    return Outcome(values={"perplexity": pp, "log_perplexity": -total / N,
                           "cross_entropy": -total / N, "E": -total}, default="perplexity")
