"""`shapes`: gate dimensions, parameter shapes and counts of a cell (SPEC 1.7).

Counts use one bias vector per gate, as the course equations do (PyTorch keeps two),
plus the read-out W_hy, b_y when `output` is given.
"""

from __future__ import annotations

from . import Outcome, solver

# cell -> (gate names in MITx notation, what each is)
GATES = {"rnn": (("h", "hidden state"),),
         "lstm": (("f", "forget gate"), ("i", "input (update) gate"), ("o", "output gate"),
                  ("c", "candidate c̃")),
         "gru": (("u", "update gate"), ("r", "reset gate"), ("c", "candidate c̃"))}


@solver("shapes")
def solve_shapes(p, work) -> Outcome:
    n_x, n_h = p.sizes["input"], p.sizes["hidden"]
    n_y = p.sizes.get("output")
    shapes: dict[str, list[int]] = {}
    total = 0
    work.note("gate_dim", n_h, eq="hidden size",
              note="every gate and state has one entry per hidden unit")
    for g, what in GATES[p.cell]:
        w_h, w_x, b = (("W_hh", "W_xh", "b_h") if p.cell == "rnn"
                       else (f"W_{g}h", f"W_{g}x", f"b_{g}"))
        count = n_h * n_h + n_h * n_x + n_h
        shapes[w_h], shapes[w_x], shapes[b] = [n_h, n_h], [n_h, n_x], [n_h]
        total += count
        work.note(f"{w_h}, {w_x}, {b}", count, eq="h·h + h·x + h",
                  sub="{}·{} + {}·{} + {}", args=(n_h, n_h, n_h, n_x, n_h), note=what)
        if p.cell != "rnn":
            shapes[g] = [n_h]
    shapes["h"] = [n_h]
    if p.cell == "lstm":
        shapes["c"] = [n_h]
    shapes["x"] = [n_x]
    if n_y is not None:
        shapes["W_hy"], shapes["b_y"], shapes["y"] = [n_y, n_h], [n_y], [n_y]
        total += n_y * n_h + n_y
        work.note("W_hy, b_y", n_y * n_h + n_y, eq="y·h + y", sub="{}·{} + {}",
                  args=(n_y, n_h, n_y), note="the read-out y_t = W_hy h_t + b_y")
    work.note("params", total, eq="the sum of the above")
    return Outcome(values={"gate_dim": n_h, "params": total, "shapes": shapes},
                   default="gate_dim")
