"""The cells: `CELLS` is the only list of them. Each module defines one `Cell` as `CELL`
(its equations in the docstring, then `step`, `step_back`, `jacobian`, and `scan` right below);
`run.py` runs any of them over a sequence. Modules load on first use, so start-up stays light.
"""

from __future__ import annotations

import importlib

# cell name -> the module that defines it (rnnquiz.cells.<module>.CELL)
CELLS = {"rnn": "rnn", "lstm": "lstm", "gru": "gru", "gated": "gated"}

# slip id -> (cell name, {method name: replacement}): a slip committed inside a cell's step
# (rnnquiz.teaching.slips registers them), so the cell math itself reads no flags.
OVERRIDES: dict[str, tuple[str, dict]] = {}


def cell_for(name: str, slips: frozenset = frozenset()):
    """The cell named `name`, with the overrides of the slips given (if any apply to it)."""
    cell = importlib.import_module(f"{__name__}.{CELLS[name]}").CELL
    methods = {}
    for slip in sorted(slips):
        target, replaced = OVERRIDES.get(slip, (None, {}))
        if target == name:
            methods.update(replaced)
    if not methods:
        return cell
    return type(f"{type(cell).__name__}With{'And'.join(sorted(slips))}", (type(cell),),
                methods)()


def runner(p):
    """What runs a problem's network: `run` (one layer, one direction) or `stack` (SPEC 1.9).
    Both answer `forward_values(p, work)`, `backprop(p, work)` and `scan_values(p)`."""
    return importlib.import_module(f"{__name__}.{'stack' if p.stack is not None else 'run'}")
