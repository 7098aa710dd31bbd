"""The conventions of CTC (SPEC 1.16): the loss summed, or divided by the target's length as
torch.nn.CTCLoss does by default (reduction='mean'); the beam search as Hannun et al.'s prefix
beam, or as CMU 11-785's homework prunes and merges its paths."""

from __future__ import annotations


def _beamed(p) -> bool:
    return p.detail.method == "beam" and p.ask.quantity in (None, "sequence", "probability")


def _cmu_beam(p, _):
    """The answer of 11-785 HW3's BeamSearch (decoders.beam_cmu11785) on the same frames."""
    import numpy as np   # noqa: PLC0415 (CMU's beam only)
    from . import decoders, tables   # noqa: PLC0415 (CMU's beam only)
    d = p.detail
    y = np.asarray(d.probabilities, dtype=np.float64) if d.logits is None else \
        np.exp(tables.log_softmax(np.asarray(d.logits, dtype=np.float64)))
    best, merged = decoders.beam_cmu11785(y, d.blank_index, d.beam)
    return merged[best] if p.ask.quantity == "probability" else d.text(best)


def _lossy(p) -> bool:
    d = p.detail
    return d.target is not None and p.ask.quantity in (None, "loss", "dE/du", "dE/dy")


def _reduce(how: str):
    def problem(p):
        from ...notations.convention import with_detail   # noqa: PLC0415 (conventions only)
        return with_detail(p, reduction=how)
    return problem


def CONVENTIONS():
    from ...notations.convention import Convention   # noqa: PLC0415 (conventions only)
    return (
        Convention("ctc_mean", "the CTC loss divided by the target's length, as torch's "
                   "ctc_loss with its default reduction='mean'", topic="CTC loss",
                   who=("PyTorch (CTCLoss, reduction='mean')",), reason="divided by |z|",
                   applies=lambda p: _lossy(p) and p.detail.reduction == "sum",
                   own=lambda p: _lossy(p) and p.detail.reduction == "mean",
                   problem=_reduce("mean")),
        Convention("ctc_sum", "the CTC loss -ln p(z|x) summed, not divided by the target's length",
                   topic="CTC loss", who=("Graves et al. 2006", "CMU 11-785", "TensorFlow ctc_loss",
                                          "PyTorch (reduction='sum')"),
                   reason="-ln p(z|x) itself",
                   applies=lambda p: _lossy(p) and p.detail.reduction == "mean",
                   own=lambda p: _lossy(p) and p.detail.reduction == "sum",
                   problem=_reduce("sum")),
        Convention("ctc_beam_cmu11785", "CMU 11-785's beam search: the blank-ending and "
                   "symbol-ending paths pruned together at the B-th best score, merged after "
                   "the last frame (not Hannun et al.'s prefix beam)", topic="CTC beam search",
                   who=("CMU 11-785 (HW3 BeamSearch)",), reason="pruned and merged as 11-785",
                   applies=_beamed, answer=_cmu_beam),
    )
