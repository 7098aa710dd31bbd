"""`forward`: the simple RNN's forward pass (SPEC 1.1)."""

from __future__ import annotations

from ..cells import rnn
from . import Outcome, solver


@solver("forward")
def solve_forward(p, work) -> Outcome:
    fwd = rnn.forward(p.network, p.inputs, work)
    return Outcome(values={"z": fwd["z"], "h": fwd["h"], "y": fwd["y"]},
                   per_step=("z", "h", "y"), default="y")
