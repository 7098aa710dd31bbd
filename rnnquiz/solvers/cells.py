"""`lstm`, `gru`, `gated`: the cells' forward passes (SPEC 1.3), in the file's notation."""

from __future__ import annotations

from ..cells.registry import forward_values
from . import Outcome, solver


@solver("lstm")
@solver("gru")
@solver("gated")
def solve_cell(p, work) -> Outcome:
    values, per_step, default = forward_values(p, work)
    return Outcome(values=values, per_step=per_step, default=default)
