"""The conventions of counting a cell's parameters (SPEC 1.16): one bias per gate, as the
courses' equations write it, or two (PyTorch's bias_ih and bias_hh; a Keras GRU with
reset_after, bias (2, 3h))."""

from __future__ import annotations


ONE = ("one bias vector per gate counted, as the courses' equations write it (and Keras but "
       "its reset_after GRU)")


def _counted(p) -> bool:
    return p.detail is None and p.ask.quantity == "params" and p.cell in ("rnn", "lstm", "gru")


def _two(p) -> bool:
    return p.framework == "pytorch" or (p.framework == "keras" and p.cell == "gru"
                                        and p.reset_after)


def _bias_two(p):
    from ...notations.convention import with_fields   # noqa: PLC0415 (conventions only)
    if p.framework == "keras" and p.cell == "gru":
        return with_fields(p, reset_after=True)
    return with_fields(p, framework="pytorch")


def _bias_one(p):
    from ...notations.convention import with_fields   # noqa: PLC0415 (conventions only)
    if p.framework == "keras":
        return with_fields(p, reset_after=False)
    return with_fields(p, framework="course")


def _model_two(p) -> bool:
    """A whole model (`model:`) with a layer of two biases: counted with one instead."""
    if p.detail is None:
        return False
    from .model import slips_for   # noqa: PLC0415 (whole models only)
    return "one_bias" in slips_for(p)


def CONVENTIONS():
    from ...notations.convention import Convention   # noqa: PLC0415 (conventions only)
    return (
        Convention("bias_two", "two bias vectors per gate counted, as PyTorch's bias_ih and "
                   "bias_hh (and a Keras GRU with reset_after, bias (2, 3h))", topic="biases",
                   who=("PyTorch", "Keras GRU (reset_after=True)", "CMU 11-785"),
                   reason="with two biases", applies=lambda p: _counted(p) and not _two(p),
                   own=lambda p: _counted(p) and _two(p), problem=_bias_two),
        Convention("bias_one", ONE, topic="biases",
                   who=("deeplearning.ai", "MITx 6.86x", "d2l", "Keras"),
                   reason="with one bias", slips=("one_bias",),
                   applies=lambda p: _counted(p) and _two(p),
                   own=lambda p: _counted(p) and not _two(p), problem=_bias_one),
        Convention("bias_one", ONE, topic="biases",
                   who=("deeplearning.ai", "MITx 6.86x", "d2l", "Keras"),
                   reason="with one bias", slips=("one_bias",), applies=_model_two,
                   own=lambda p: False, flags=frozenset({"one_bias"})),
    )
