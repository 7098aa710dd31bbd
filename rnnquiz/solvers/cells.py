"""`lstm`, `gru`, `gated`: the cells' forward passes (SPEC 1.3)."""

from __future__ import annotations

from ..cells import lstm
from . import Outcome, solver


@solver("lstm")
def solve_lstm(p, work) -> Outcome:
    out = lstm.forward(p.network, p.inputs, work)
    values = {k: out[k] for k in ("h", "c", "f", "i", "o", "g")}
    per_step = tuple(values)
    if p.network.has_output:
        values["y"] = out["y"]
        per_step += ("y",)
    return Outcome(values=values, per_step=per_step, default="h")
