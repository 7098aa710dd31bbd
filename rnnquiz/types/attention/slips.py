"""The slips only attention makes (teaching/slips.py's catalogue gathers them); its solve
commits them where `work.variants` names them."""

from __future__ import annotations

from ..slip import Slip, flagged

OWN_SLIPS = (
    Slip("softmax_axis", "the attention softmax over the wrong axis (the decoder steps, not the "
         "encoder steps)", flagged("softmax_axis", lambda p: p.ask.quantity != "energies")),
)
