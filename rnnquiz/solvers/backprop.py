"""`backprop`: backpropagation through time (SPEC 1.1, and 1.6 through cells)."""

from __future__ import annotations

from ..cells import rnn
from . import Outcome, solver


@solver("backprop")
def solve_backprop(p, work) -> Outcome:
    if p.cell != "rnn":
        from ..cells.registry import backprop_cell   # noqa: PLC0415
        return backprop_cell(p, work)
    fwd = rnn.forward(p.network, p.inputs, work)
    back = rnn.backward(p.network, p.inputs, fwd, p.targets, p.loss, work, given=p.given)
    values = {"E": back["E"], "dE/dz": back["dE/dz"], "dE/dh": back["dE/dh"],
              "dE/dy": back["dE/dy"], "z": fwd["z"], "h": fwd["h"], "y": fwd["y"]}
    for key in p.network.notation.params + ["h_init"]:
        values[f"dE/d{key}"] = back[f"dE/d{key}"]
    notes = []
    if p.given:
        notes.append("the backward pass uses the values the exercise gives ("
                     + ", ".join(sorted(p.given)) + "); z_t is recomputed from the given h_{t-1}")
    return Outcome(values=values, per_step=("dE/dz", "dE/dh", "dE/dy", "z", "h", "y"),
                   default="dE/dz", notes=notes)
