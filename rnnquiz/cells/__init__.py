"""The cells: `CELLS` is the only list of them. Each module defines one `Cell` as `CELL`
(its equations in the docstring, then `step`, `step_back`, `jacobian`, and `scan` right below);
`run.py` runs any of them over a sequence. Modules load on first use, so start-up stays light.
"""

from __future__ import annotations

import importlib

from ..notations import VARIANT_WORDS

# cell name -> the module that defines it (rnnquiz.cells.<module>.CELL)
CELLS = {"rnn": "rnn", "lstm": "lstm", "gru": "gru", "gated": "gated"}
# how a question names a network of the cell (`An LSTM ...`)
SUBJECTS = {"rnn": "An RNN", "lstm": "An LSTM", "gru": "A GRU", "gated": "A gated RNN"}
# a cell's variants (SPEC 1.15), picked by network words (their options: the notations'
# VARIANT_WORDS): cell -> the module whose `variant(words)` builds one. The module loads only
# when a file asks for a variant.
VARIANTS = {"lstm": "lstm_variants"}


def cell_name(cell: str | None) -> str:
    """`lstm` -> `An LSTM`: the subject of a question about one cell."""
    return SUBJECTS.get(cell, "An RNN")


def asks_variant(name: str, words: dict | None) -> bool:
    """Whether the network's words ask for a variant of the cell (a word not at its default)."""
    table = VARIANT_WORDS.get(name, {})
    return any((words or {}).get(k, v[0]) != v[0] for k, v in table.items())


def cell_for(name: str, overrides: dict | None = None, words: dict | None = None):
    """The cell named `name` (the variant the network's `words` ask for); `overrides` (slip
    id -> (cell name, {method: replacement}), a slip committed inside a cell's step, handed
    in by the one who commits it) replace its methods where they are this cell's, so the cell
    math itself reads no flags."""
    if asks_variant(name, words):
        cell = importlib.import_module(f"{__name__}.{VARIANTS[name]}").variant(words)
    else:
        cell = importlib.import_module(f"{__name__}.{CELLS[name]}").CELL
    methods, slips = {}, []
    for slip in sorted(overrides or {}):
        target, replaced = overrides[slip]
        if target == name:
            methods.update(replaced)
            slips.append(slip)
    if not methods:
        return cell
    return type(f"{type(cell).__name__}With{'And'.join(slips)}", (type(cell),), methods)()


def runner(p):
    """What runs a problem's network: `run` (one layer, one direction) or `stack` (SPEC 1.9).
    Both answer `forward_values(p, work, output)`, `backprop(p, work)` and
    `scan_values(p, gradients, output)` (output: y is the default quantity)."""
    engine = getattr(p.network, "engine", None)      # a network of its own kind (Hagan's LDDN)
    return importlib.import_module(
        f"{__name__}.{engine or ('stack' if p.stack is not None else 'run')}")
