"""`backprop`: backpropagation through time (SPEC 1.1, and 1.6 through cells)."""

from __future__ import annotations

from ..cells import runner
from ..trace import Work
from ..problem import asked_step, feedback, gradients, network_problem
from . import Outcome
from .gradient_norms import add_norms

NAME = "backprop"
NETWORK = True       # ask.layer and ask.direction pick a layer


def validate(p, data: dict) -> None:
    network_problem(p, data)
    gradients(p, data)
    feedback(p, data)
    asked_step(p)


def solve(p, work) -> Outcome:
    values, per_step, default = runner(p).backprop(p, work)
    notes = add_norms(p, values, work)
    if not p.batch and (p.reduction == "batch_mean"
                        or p.reduction == "mean" and p.upstream is not None):
        notes.append(f"reduction {p.reduction} divides by the number of examples of a batch; "
                     "one sequence (no batch: true) is a batch of one: nothing is divided")
    if p.given:
        notes.append("the backward pass uses the values the exercise gives ("
                     + ", ".join(sorted(p.given)) + "); z_t is recomputed from the given h_{t-1}")
    return Outcome(values=values, per_step=per_step, default=default, notes=notes)


def scan(p) -> Outcome:
    values, per_step, default = runner(p).scan_values(p)
    add_norms(p, values, Work(record=False))
    return Outcome(values=values, per_step=per_step, default=default)
