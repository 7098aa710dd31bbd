"""`lstm`: the LSTM's forward pass (SPEC 1.3), in the file's notation."""

from __future__ import annotations

from ..cells import runner
from ..problem import asked_step, network_problem
from . import Outcome

NAME = "lstm"
NETWORK = True       # ask.layer and ask.direction pick a layer
SHORT_HEAD = True    # a long sequence's working shows its first steps


def validate(p, data: dict) -> None:
    network_problem(p, data, "lstm")
    asked_step(p)


def solve(p, work) -> Outcome:
    values, per_step, default = runner(p).forward_values(p, work)
    return Outcome(values=values, per_step=per_step, default=default)


def scan(p) -> Outcome:
    values, per_step, default = runner(p).scan_values(p)
    return Outcome(values=values, per_step=per_step, default=default)
