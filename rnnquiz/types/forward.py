"""`forward`: the simple RNN's forward pass (SPEC 1.1)."""

from __future__ import annotations

from ..cells import runner
from ..problem import asked_step, feedback, network_problem
from . import Outcome

NAME = "forward"
NETWORK = True       # ask.layer and ask.direction pick a layer
SHORT_HEAD = True    # a long sequence's working shows its first steps


def validate(p, data: dict) -> None:
    network_problem(p, data, "rnn")
    feedback(p, data)
    asked_step(p)


def solve(p, work) -> Outcome:
    values, per_step, default = runner(p).forward_values(p, work)
    return Outcome(values=values, per_step=per_step, default=default)


def scan(p) -> Outcome:
    values, per_step, default = runner(p).scan_values(p)
    return Outcome(values=values, per_step=per_step, default=default)
