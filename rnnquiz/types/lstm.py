"""`lstm`, `gru`, `gated`: the cells' forward passes (SPEC 1.3), in the file's notation."""

from __future__ import annotations

from ..cells import runner
from . import Outcome, scanner, solver


@solver("lstm")
@solver("gru")
@solver("gated")
def solve_cell(p, work) -> Outcome:
    values, per_step, default = runner(p).forward_values(p, work)
    return Outcome(values=values, per_step=per_step, default=default)


@scanner("lstm")
@scanner("gru")
@scanner("gated")
def scan_cell(p) -> Outcome:
    values, per_step, default = runner(p).scan_values(p)
    return Outcome(values=values, per_step=per_step, default=default)
