"""The slips only CTC makes (teaching/slips.py's catalogue gathers them); the type's solve
commits them where `work.variants` names them (`_slips` in __init__.py)."""

from __future__ import annotations

from ..slip import Slip, Variant


def blank_between(p) -> list[Variant]:
    """A blank required between every two symbols of the target (no skip transition)."""
    d = p.detail
    if d.target is None or p.ask.quantity not in (None, "loss", "probability") or \
            d.loss != "nll" or not any(a != b for a, b in zip(d.target, d.target[1:])):
        return []
    if 2 * len(d.target) - 1 > len(d.probabilities if d.probabilities is not None
                                   else d.logits):
        return []                   # without the skip no alignment fits: p = 0
    return [Variant("ctc_blank_between", "no skip from one symbol to the next",
                    flags=frozenset({"ctc_blank_between"}))]


def blanks_first(p) -> list[Variant]:
    d = p.detail
    return [Variant("ctc_blanks_first", "blanks removed, then repeats merged",
                    flags=frozenset({"ctc_blanks_first"}))] \
        if d.path is not None or d.method == "greedy" else []


OWN_SLIPS = (
    Slip("ctc_blank_between", "a blank inserted where repeats need none: every two symbols of "
         "the CTC target kept apart by a blank (no skip transition)", blank_between),
    Slip("ctc_blanks_first", "repeats collapsed after removing blanks (\"a-a\" read as \"a\")",
         blanks_first),
)
