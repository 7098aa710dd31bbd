"""The slips only decoding makes (teaching/slips.py's catalogue gathers them)."""

from __future__ import annotations

from ..slip import Slip, Variant


def no_length_norm(p) -> list[Variant]:
    """The beam's scores without 1/L^α: the file read again with alpha 0."""
    d = p.detail
    if not d.alpha or (d.method != "beam" and p.ask.quantity != "score"):
        return []

    def change(doc):
        return {**doc, "alpha": 0}
    return [Variant("no_length_norm", "α = 0", doc=change)]


OWN_SLIPS = (
    Slip("no_length_norm", "beam scores without the length normalisation 1/L^α (log P alone)",
         no_length_norm),
)
