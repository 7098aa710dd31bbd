"""The slips only a whole model's count makes (teaching/slips.py's catalogue gathers them):
model.py recounts the layers where `work.variants` names them, and `slips_for` says which
would change this model's count."""

from __future__ import annotations

from ..slip import Slip, flagged
from .model import slips_for


def _counted(slip: str):
    return flagged(slip, lambda p: slip in slips_for(p))


OWN_SLIPS = (
    Slip("embedding_without_vocabulary", "the embedding's V·d parameters left out of the model's "
         "count (one vector a token, for every token of the vocabulary)",
         _counted("embedding_without_vocabulary")),
    Slip("one_bias", "one bias vector counted where the framework has two (PyTorch's bias_ih "
         "and bias_hh; a Keras GRU with reset_after)", _counted("one_bias")),
    Slip("bidirectional_once", "a bidirectional layer counted once, without the backward "
         "direction's own weights", _counted("bidirectional_once")),
)
