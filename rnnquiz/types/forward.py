"""`forward`: the simple RNN's forward pass (SPEC 1.1)."""

from __future__ import annotations

from ..cells import runner
from . import Outcome, scanner, solver


@solver("forward")
def solve_forward(p, work) -> Outcome:
    values, per_step, default = runner(p).forward_values(p, work)
    return Outcome(values=values, per_step=per_step, default=default)


@scanner("forward")
def scan_forward(p) -> Outcome:
    values, per_step, default = runner(p).scan_values(p)
    return Outcome(values=values, per_step=per_step, default=default)
