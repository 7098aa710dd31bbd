"""Scoring a hypothesis of `decode` (d2l 10.8): its probability factor by factor, its log and
its length-normalised score, with the working; shared by the searches and the error analysis.

    P(y_1 … y_L) = Π_t P(y_t | y_1 … y_{t-1})
    score(y) = (1/L^α) Σ_t log P(y_t | y_1 … y_{t-1})      L counts the tokens, eos included
"""

from __future__ import annotations

import math
from dataclasses import dataclass

WRITTEN = 8        # a table's probabilities written out in greedy's argmax up to this many


def log_p(x: float) -> float:
    return math.log(x) if x > 0 else -math.inf


def seq_text(seq) -> str:
    return " ".join(seq)


def given_prefix(prefix) -> str:
    return f" | {seq_text(prefix)}" if prefix else ""


@dataclass
class Hyp:
    """A hypothesis: its tokens, its probability and log-probability."""

    tokens: tuple
    P: float
    logP: float


def hyp_score(d, h: Hyp) -> float:
    try:
        return h.logP / len(h.tokens) ** (d.alpha or 0.0)
    except OverflowError:       # L^α past float64 (α = 1e308): the score is below its range
        return h.logP / math.inf


def closeness(d, h: Hyp) -> float:
    """Orders hypotheses as their scores do where the scores underflowed to 0: the smaller
    log|score| = log(-log P) - α·log L, the higher (closer to 0) the score."""
    if h.logP == 0:
        return math.inf
    if h.logP == -math.inf:
        return -math.inf
    return -(math.log(-h.logP) - (d.alpha or 0.0) * math.log(len(h.tokens)))


def factors(d, seq) -> list[float]:
    return [float(d.table(seq[:t])[d.vocabulary.index(tok)]) for t, tok in enumerate(seq)]


def score_step(d, h: Hyp, work, symbol: str, phase: str, note: str = "") -> float:
    L = len(h.tokens)
    if d.alpha is None:         # the file asked for no length normalisation
        return work.note(symbol, hyp_score(d, h), eq="log P", sub="{}", args=(h.logP,),
                         phase=phase, note=note or "no length normalisation")
    return work.note(symbol, hyp_score(d, h), eq="(1/L^α)·log P", sub="(1/{}^{})·{}",
                     args=(L, d.alpha, h.logP), phase=phase,
                     note=note or f"L = {L} tokens{' with ' + d.eos if h.tokens[-1] == d.eos else ''}"
                                  f", α = {d.alpha:g}")
