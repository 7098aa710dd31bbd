"""The slips only BLEU makes (teaching/slips.py's catalogue gathers them); working.py commits
them where `work.variants` names them."""

from __future__ import annotations

from ..slip import Slip, flagged
from .score import closest_ref_length


def _lengths(p) -> list[tuple[int, list[int]]]:
    d = p.detail
    if d.corpus:
        return [(len(c), [len(r) for r in refs]) for c, refs in zip(d.candidates, d.references)]
    return [(len(d.candidate), [len(r) for r in d.references])]


def no_brevity_penalty(p) -> bool:
    """The slip applies where the candidate is shorter than r (BP < 1) and BLEU is asked."""
    c = sum(x for x, _ in _lengths(p))
    r = sum(closest_ref_length(x, refs) for x, refs in _lengths(p))
    return p.ask.quantity in (None, "bleu", "bp") and 0 < c < r


def longest_reference(p) -> bool:
    """The slip changes r: some candidate's longest reference is not its closest."""
    return p.ask.quantity in (None, "bleu", "bp", "length") and any(
        max(refs) != closest_ref_length(c, refs) for c, refs in _lengths(p))


OWN_SLIPS = (
    Slip("no_brevity_penalty", "BLEU without the brevity penalty (BP taken as 1)",
         flagged("no_brevity_penalty", no_brevity_penalty)),
    Slip("longest_reference", "the longest reference's length for r instead of the one closest "
         "to the candidate's", flagged("longest_reference", longest_reference)),
)
