"""The slips only the vanishing/exploding verdict makes (teaching/slips.py's catalogue
gathers them)."""

from __future__ import annotations

import numpy as np

from ...cells.run import canonical
from ..slip import Slip, Variant


def weight_only(p) -> list[Variant]:
    """The verdict from |W_hh| (its spectral norm) alone, as if hidden'(z) were 1."""
    def verdict(_):
        W = canonical(p)["W_hh"]
        g = float(np.abs(W).reshape(-1)[0]) if W.size == 1 else float(np.linalg.norm(W, 2))
        return "neither" if abs(g - 1) <= p.tolerance else ("vanishing" if g < 1 else "exploding")
    return [Variant("weight_only_verdict", answer=verdict)] if p.cell == "rnn" else []


OWN_SLIPS = (
    Slip("weight_only_verdict", "vanishing/exploding judged from |W_hh| alone, without hidden'(z)",
         weight_only),
)
