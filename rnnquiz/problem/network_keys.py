"""The keys every type that runs a network shares (SPEC 1): cell, notation, convention,
round, inputs, batch and the network or stack, then the gradient and feedback keys of the
types that have them. Apart from problem/__init__.py (the Problem and the keys of every type):
the types without a network (choice, hmm_bits, decode, ...) never load this module."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

import numpy as np

from ..cells import CELLS as _CELL_MODULES
from ..notations import ABSENT, DEFAULT_NOTATION, notation_for, notation_names
from .network import as_written, token_indices
from .values import batch_inputs, choose, error_at, flag, inputs, integer, is_number, shown_value

if TYPE_CHECKING:
    from . import Problem

CELLS = tuple(_CELL_MODULES)      # the cell registry is the only list of cells
ROUND_WORDS = ("none", "state", "activations")
CONVENTIONS = ("ng", "pytorch", "fully_gated")


def network_problem(p: Problem, data: dict, cell: str | None = None) -> None:
    """The keys of the types that run a network: cell (unless the type fixes it), notation,
    convention, round, inputs, batch and the network or stack. The type's own keys (a loss,
    feedback) follow, then `asked_step`."""
    from .network import build_network   # noqa: PLC0415 (numpy-free start-up)
    if "tie" in data or isinstance(data.get("network"), dict) and "state_decay" in data["network"]:
        from .tie import untied   # noqa: PLC0415 (start-up: few files tie or decay)
        return untied(p, data, cell, network_problem)
    cell = cell or choose(data, "cell", CELLS, "rnn")
    p.cell = cell
    names = notation_names(cell)
    p.notation = data.get("notation", DEFAULT_NOTATION[cell])
    if isinstance(p.notation, str) and (cell, p.notation) in ABSENT:
        raise error_at(("notation",), ABSENT[(cell, p.notation)])
    if not isinstance(p.notation, str) or p.notation not in names:
        raise error_at(("notation",), f"expected one of {', '.join(names)} for the {cell} cell, "
                                  f"got {shown_value(p.notation)}")
    if "convention" in data:
        if cell != "gru":
            raise error_at(("convention",), "only applies to the GRU (type gru or cell: gru)")
        p.convention = choose(data, "convention", CONVENTIONS, "ng")
    read_round(p, data)
    if "inputs" not in data:
        raise error_at(("inputs",), "missing; expected the inputs x_0 ... x_{T-1} as a list")
    if flag(data, "batch", False):
        p.inputs, p.inputs_vector, p.batch = batch_inputs(data["inputs"])
    else:
        p.inputs, p.inputs_vector = inputs(data["inputs"])
    net = data.get("network", {})
    if net is None:
        net = {}
    top = net[-1] if isinstance(net, list) and net else net
    readout_c = None
    if isinstance(top, dict) and ("W_cy" in top or "b_cy" in top):   # SPEC 1.15: y_c
        from . import cell_readout as readout_c   # noqa: PLC0415 (start-up: few files)
        data = readout_c.take(p, data, cell)
        net = data["network"]
    registered = notation_for(cell, p.notation)
    notation = as_written(registered, data, net, error_at)    # SPEC 1.15: fc.weight, layout:
    if notation.convention:                    # before its keys: say which of the two to drop
        _same_convention(p, data, notation.convention)
    if notation.own_network is not None and importlib.import_module(
            f"{__package__}.{notation.own_network}").claim(p, data, error_at, registered):
        return                  # a network the layout cannot hold, read by its notation's reader
    stacks = None
    if may_be_stack(data, notation):
        from . import stacks   # noqa: PLC0415 (start-up: a file that cannot be a stack skips it)
    if stacks is not None and stacks.is_stack(p, data, notation):
        stacks.build_stack(p, data, notation, error_at)
    elif not isinstance(net, dict):
        raise error_at(("network",), f"expected a mapping of parameters, got {shown_value(net)}")
    else:
        if p.ask.layer not in (None, 1) or p.ask.direction not in (None, "forward"):
            raise error_at(("ask", "layer" if p.ask.layer not in (None, 1) else "direction"),
                       "the network has one layer, forward (network is a mapping)")
        given = net
        if notation.suffix or p.batch:      # h_0 shapes (start-up: PyTorch's keys or a batch)
            from .torch_states import torch_states   # noqa: PLC0415 (start-up: see above)
            given = torch_states(net, notation, p.batch)
        p.network = build_network(notation, given, p.inputs, p.inputs_vector, error_at,
                                  batch=p.batch)
        for key in notation.states:     # h_0 written (1, N, H): its gradient comes back so
            if given.get(key) is not net.get(key) and key in p.network.written:
                p.network.written[key] = (1, *np.shape(given[key]))
    if readout_c is not None:
        readout_c.check(p)
    if p.stack is None and p.network.notation.embedding in net:
        p.tokens = token_indices(p, p.network)
    fixed = p.network.notation.convention      # a notation that writes one GRU only
    if fixed:
        _same_convention(p, data, fixed)
        p.convention = fixed


def read_round(p: Problem, data: dict) -> None:
    """`round:` (SPEC 1.4): none, state, activations or a whole number of decimals."""
    r = data.get("round", "none")
    if isinstance(r, str) and r in ROUND_WORDS:
        p.round = r
    elif is_number(r):
        p.round = integer(r, ("round",), what="none, state, activations or a whole number >= 0")
        if p.round > 15:
            raise error_at(("round",), f"expected at most 15 decimal places, got {p.round}")
    else:
        raise error_at(("round",), f"expected none, state, activations or a whole number of "
                               f"decimals, got {shown_value(r)}")


def gradients(p: Problem, data: dict, *, required: bool = True) -> None:
    """backprop's and vanishing's keys: targets or upstream (`required`: one of them must be
    given), loss, reduction, mask, ..."""
    from .backprop_keys import gradient_keys   # noqa: PLC0415 (start-up: forward has none)
    if p.stack is not None:
        from .stack_gradients import gradient_keys as stack_keys   # noqa: PLC0415 (stacks only)
        stack_keys(p, data)
    gradient_keys(p, data, required=required)


def feedback(p: Problem, data: dict, *, targets: bool = True) -> None:
    """The keys of output feedback, checked where a file writes any (start-up: most do not);
    `targets`: whether the type takes targets (teacher forcing feeds them back)."""
    if "feedback" in data or "W_yh" in p.network.written or "y_init" in p.network.written:
        from .backprop_keys import feedback_keys   # noqa: PLC0415 (start-up: few files)
        feedback_keys(p, data, targets=targets)


def may_be_stack(data: dict, notation) -> bool:
    """Whether the file writes anything that can make its network a stack (`stacks.is_stack`
    decides): layers, directions, a read-out once, PyTorch's `_l1` keys. Only then is stacks.py
    imported (start-up); tests/test_startup_modules.py checks every bundled stack passes."""
    return (isinstance(data.get("network"), list) or "bidirectional" in data
            or "readout" in data or bool(notation.suffix))


def _same_convention(p: Problem, data: dict, fixed: str) -> None:
    """`notation` says whose keys and layout (and, for most courses, the GRU's update rule);
    `convention` only picks the rule where the notation leaves it open (mit)."""
    if "convention" in data and data["convention"] != fixed:
        raise error_at(("convention",), f"the {p.notation} notation's GRU is the {fixed} "
                                    f"convention; leave convention out")
