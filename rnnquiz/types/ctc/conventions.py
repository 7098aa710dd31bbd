"""The conventions of the CTC loss (SPEC 1.16): summed, or divided by the target's length as
torch.nn.CTCLoss does by default (reduction='mean')."""

from __future__ import annotations


def _lossy(p) -> bool:
    d = p.detail
    return d.target is not None and p.ask.quantity in (None, "loss", "dE/du", "dE/dy")


def _reduce(how: str):
    def problem(p):
        from ...problem.conventions import with_detail   # noqa: PLC0415
        return with_detail(p, reduction=how)
    return problem


def CONVENTIONS():
    from ...problem.conventions import Convention   # noqa: PLC0415
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
    )
