"""The GRU's conventions (SPEC 1.16), next to the cell they vary (cells/gru.py): where the
update gate acts (on the candidate, deeplearning.ai; on the old state, Cho et al., PyTorch,
Keras, d2l) and where the reset acts (before the matrix, or after it: PyTorch's and Keras'
reset_after), and PyTorch's second candidate bias b_hn inside the reset product or not."""

from __future__ import annotations

import numpy as np

# Each GRU convention as (update gate placement, reset placement); the cell has these three.
RULES = {"ng": ("candidate", "before"), "fully_gated": ("old_state", "before"),
         "pytorch": ("old_state", "after")}
WHO = {"ng": "deeplearning.ai's (and MITx's)", "fully_gated": "Cho et al.'s (d2l, Goodfellow, "
       "Keras with reset_after=False)", "pytorch": "PyTorch's (and Keras 3's reset_after)"}


def _to(update: str | None = None, reset: str | None = None):
    """(applies, problem) of the GRU under one changed placement, the other kept."""
    def target(p):
        if p.cell != "gru" or p.convention not in RULES:
            return None
        u, r = RULES[p.convention]
        want = (update or u, reset or r)
        return next((name for name, rule in RULES.items() if rule == want), None)

    def applies(p) -> bool:
        t = target(p)
        return t is not None and t != p.convention

    def problem(p):
        from ..notations.convention import with_fields, with_params   # noqa: PLC0415 (only --conventions and check)
        t = target(p)
        q = with_fields(p, convention=t)
        if RULES[t][1] == "before" and p.convention == "pytorch" and p.network is not None:
            q = with_params(q, _one_bias)      # reset before W: b_hn joins b_c outside it
        return q

    def own(p) -> bool:
        return p.cell == "gru" and RULES.get(p.convention, ("", ""))[update is None] == \
            (update or reset)
    return {"applies": applies, "problem": problem, "own": own}


def _one_bias(P: dict) -> dict:
    b_hn = P.get("b_hn")
    if b_hn is None:
        return P
    return {**P, "b_c": P["b_c"] + b_hn, "b_hn": 0 * b_hn}


def _two_biases_apart(p) -> bool:
    if p.cell != "gru" or p.convention != "pytorch" or p.network is None:
        return False
    return bool(np.any(p.network.canonical("gru")["b_hn"] != 0))


def _bias_one(p):
    from ..notations.convention import with_params   # noqa: PLC0415 (only --conventions and check)
    return with_params(p, _one_bias)


def who(q) -> str:
    """Whose GRU a problem under a changed convention computes (the label's subject)."""
    return WHO.get(q.convention, "another course's")


def _conventions():
    from ..notations.convention import Convention   # noqa: PLC0415 (only --conventions and check)
    gru = dict(topic="GRU", who_of=who)
    return (
        Convention("gru_update_old_state", "the update gate z multiplies the old state: "
                   "h_t = (1 - z)⊙h̃ + z⊙h_{t-1}", who=("Cho et al. 2014", "PyTorch", "Keras",
                                                       "d2l", "Goodfellow"),
                   reason="whose z multiplies the old state", **gru, **_to(update="old_state")),
        Convention("gru_update_candidate", "the update gate multiplies the candidate: "
                   "c<t> = Γu⊙c̃<t> + (1 - Γu)⊙c<t-1>",
                   who=("deeplearning.ai", "MITx 6.86x"),
                   reason="whose update gate multiplies the candidate", **gru,
                   **_to(update="candidate")),
        Convention("gru_reset_after", "the reset applied after the matrix: r⊙(W_hn h + b_hn)",
                   who=("PyTorch", "Keras (reset_after=True, its default)", "CMU 11-785"),
                   reason="whose reset acts after the matrix (reset_after)", **gru,
                   **_to(reset="after")),
        Convention("gru_reset_before", "the reset applied before the matrix: W (r⊙h)",
                   who=("Cho et al. 2014", "deeplearning.ai", "d2l", "Goodfellow",
                        "Keras (reset_after=False)"),
                   reason="whose reset acts before the matrix", **gru, **_to(reset="before")),
        Convention("bias_one", "one bias per gate: PyTorch's b_in and b_hn added, outside the "
                   "reset product", topic="biases", who=("deeplearning.ai", "d2l", "Cho et al.",
                                                         "Keras (reset_after=False)"),
                   reason="with one bias (b_in + b_hn outside r⊙(...))",
                   applies=_two_biases_apart, problem=_bias_one),
    )


CONVENTIONS = _conventions
