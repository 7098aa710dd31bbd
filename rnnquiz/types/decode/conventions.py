"""The conventions of scoring a beam's hypotheses (SPEC 1.16): with or without the length
normalisation (1/L^α)·Σ log P."""

from __future__ import annotations

ALPHA = 0.75          # d2l 10.8's α (deeplearning.ai's lecture uses 0.7, GNMT 0.6 to 0.7)


def _scored(p) -> bool:
    d = p.detail
    return d.method == "beam" or p.ask.quantity == "score"


def _set_alpha(alpha):
    def problem(p):
        from ...notations.convention import with_detail   # noqa: PLC0415 (conventions only)
        return with_detail(p, alpha=alpha)
    return problem


def CONVENTIONS():
    from ...notations.convention import Convention   # noqa: PLC0415 (conventions only)
    return (
        Convention("beam_no_norm", "beam scores without length normalisation: Σ log P alone",
                   topic="beam score",
                   who=("Sutskever et al. 2014", "deeplearning.ai (first form)"),
                   reason="Σ log P alone", slips=("no_length_norm",),
                   applies=lambda p: _scored(p) and bool(p.detail.alpha),
                   own=lambda p: _scored(p) and not p.detail.alpha, problem=_set_alpha(None)),
        Convention("beam_norm",
                   f"beam scores normalised by length: (1/L^α)·Σ log P, α = {ALPHA}",
                   topic="beam score", who=("d2l (α = 0.75)", "deeplearning.ai (α = 0.7)",
                                            "GNMT (Wu et al. 2016)"),
                   reason="(1/L^α)·Σ log P",
                   applies=lambda p: _scored(p) and not p.detail.alpha,
                   own=lambda p: _scored(p) and bool(p.detail.alpha),
                   problem=_set_alpha(ALPHA)),
    )
