"""The slips only perplexity makes (teaching/slips.py's catalogue gathers them); its solve
commits them where `work.variants` names them."""

from __future__ import annotations

from ..slip import Slip, flagged


def _summed_applies(p) -> bool:
    d = p.detail
    many = len(d.probabilities if d.probabilities is not None else
               d.table.targets if d.table is not None else ())
    return p.ask.quantity in (None, "perplexity") and many > 1


def _pad_applies(p) -> bool:
    t = p.detail.table
    return t is not None and t.pad in t.targets


OWN_SLIPS = (
    Slip("summed_loss", "perplexity as exp of the summed loss E instead of the mean E/T",
         flagged("summed_loss", _summed_applies)),
    Slip("pad_counted", "the padding positions averaged in (non_pad left out of the mean)",
         flagged("pad_counted", _pad_applies)),
)
