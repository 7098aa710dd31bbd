"""What every cell shares: the `Cell` interface, the working context, and the gate helpers.

A cell computes with canonical parameters `P` (the MITx and Hinton names) on a state that
may carry a leading example axis (a batch): every product is written `v @ W.T`, which is
`W v` for one column vector and acts row by row on a batch. The file's notation only
changes how the working writes each line (`Ctx.notation`), never the arithmetic.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..trace import Work
from .activations import ACTIVATIONS, FROM_OUTPUT


@dataclass
class Term:
    """One addend of a gradient, as the working writes it: value, symbols, formula, operands."""

    value: Any
    eq: str
    sub: str = "{}"
    args: tuple = ()
    note: str = ""


@dataclass
class Ctx:
    """What a step needs besides the numbers: where to record, and how the file writes it."""

    work: Work
    notation: Any                      # notations.Notation
    params: dict                       # the file's parameters, for the working's operands
    convention: str = "ng"
    words: dict = field(default_factory=dict)   # hidden/output activations of the simple RNN
    # the loss as the gradients' names write it: E, or the notation's own name (Hagan's
    # performance index F) where the working writes that loss (cells/own_loss_names.py)
    loss: str = "E"

    @property
    def dE(self) -> str:
        """How the working begins a gradient's name: dE/d (dE/dh_t), Hagan's dF/d (dF/da(t))."""
        return f"d{self.loss}/d"

    @property
    def first(self) -> int:
        """The number of the first step in the file's notation (0, or 1 for a<1>, H_1)."""
        return self.notation.first

    def S(self, quantity: str, t: int) -> str:
        return self.notation.symbol(quantity, t)

    def total(self, symbol: str, terms: list[Term], t: int, note: str = ""):
        """Record the sum of `terms` as one line of the working, each addend shown."""
        value = terms[0].value
        for term in terms[1:]:
            value = value + term.value
        args = tuple(a for term in terms for a in (term.args or (term.value,)))
        return self.work.q(symbol, value, t=t, phase="backward",
                           eq=" + ".join(term.eq for term in terms),
                           sub=" + ".join(term.sub for term in terms), args=args,
                           note=note or next((term.note for term in terms if term.note), ""))


class Cell:
    """One recurrent cell. Subclasses set the tables and write the five methods below."""

    name = ""
    states: tuple[str, ...] = ("h",)         # canonical states, the visible one first
    params: tuple[str, ...] = ()             # canonical parameters
    quantities: tuple[str, ...] = ()         # canonical per-step quantities, as the working shows
    input_weights: tuple[str, ...] = ()      # the weights on x_t, for dE/dx_t
    default_gradient = "dE/dh"               # what backprop answers when nothing is asked
    gradient_eq: dict[str, str] = {}         # how the working writes a parameter's gradient

    def step(self, P: dict, x, prev: dict, t: int, ctx: Ctx) -> tuple[dict, dict]:
        """One step forward, recorded: (new states, what the backward step needs)."""
        raise NotImplementedError

    def step_back(self, P: dict, cache: dict, d: dict, t: int, ctx: Ctx, grads: dict):
        """One step back, recorded. `d` holds the terms of dE/d(state)_t (from the output and
        from step t+1); the step adds its parameter gradients into `grads` and returns
        (the terms of dE/d(state)_{t-1}, dE/dx_t, the values it recorded by state)."""
        raise NotImplementedError

    def carry(self, terms: list[Term]) -> list[Term]:
        """What of step t+1's gradient reaches step t: all of it (a slip drops it)."""
        return terms

    def jacobian(self, P: dict, cache: dict) -> np.ndarray:
        """d(state_t)/d(state_{t-1}) at one step (the LSTM's joint (h, c))."""
        raise NotImplementedError

    def scan(self, P: dict, X: np.ndarray, init: dict, **opts) -> dict:
        """Every step at once, unrecorded: arrays over t (the example axis after t)."""
        raise NotImplementedError

    def scan_back(self, P: dict, X: np.ndarray, init: dict, fwd: dict, DH: np.ndarray,
                  **opts) -> dict:
        """BPTT over the scan: dE/dh per step, parameter gradients, dE/dx, the initial states'."""
        raise NotImplementedError

    def zero_grads(self, P: dict) -> dict:
        return {k: np.zeros_like(P[k]) for k in self.params}


def term_sum(terms: list) -> Any:
    """The sum of the Terms' values, left to right, as the working adds them."""
    total = terms[0].value
    for term in terms[1:]:
        total = total + term.value
    return total


def outer_sum(a, b) -> np.ndarray:
    """a bᵀ, summed over the examples of a batch: dE/dW += dE/dz · inputᵀ."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.ndim == 1:
        return np.outer(a, b)
    return a.reshape(-1, a.shape[-1]).T @ b.reshape(-1, b.shape[-1])


def batch_sum(a) -> np.ndarray:
    """A bias's gradient: summed over the examples of a batch."""
    a = np.asarray(a, dtype=float)
    return a if a.ndim == 1 else a.reshape(-1, a.shape[-1]).sum(axis=0)


def pre_letter(notation) -> str:
    """z for a pre-activation, unless a gate is itself called z (PyTorch's GRU, whose z^z_1
    would read twice): then a, as Goodfellow writes a pre-activation."""
    clash = any(key != "z" and sym[1] == "z" for key, sym in notation.names.items())
    return "a" if clash else "z"


def pre_symbol(notation, name: str, t: int) -> str:
    """The pre-activation of a gate: z^f_1, z^Γ_f<1> (a^z_1 for PyTorch's GRU)."""
    return notation.sub(f"{pre_letter(notation)}^{notation.names.get(name, (name, name))[1]}", t)


def gate_step(ctx: Ctx, name: str, t: int, value, fsym: str, fn, tag: str, h_prev, x,
              note: str = "", state_in=None):
    """z = (the notation's pre-activation), then gate = fn(z); both named and rounded."""
    notation = ctx.notation
    eq, sub, args = notation.pre(name, ctx.params, None, h_prev, x, t, state_in, ctx.convention)
    zsym = pre_symbol(notation, name, t)
    z = ctx.work.q(zsym, value, t=t, phase="forward", eq=eq, sub=sub, args=args)
    return ctx.work.q(notation.symbol(name, t), fn(z), t=t, phase="forward", tags=(tag,),
                      eq=f"{fsym}({zsym})", sub=f"{fsym}({{}})", args=(z,), note=note)


def accumulate(grads: dict, P: dict, keys: tuple[str, str, str], dz, h_prev, x):
    """Add one gate's delta dE/dz_t to its weights' and bias's gradients, and return
    W_hᵀ dE/dz_t, what the gate passes back to dE/dh_{t-1}.

        dE/dW_h += dE/dz_t h_{t-1}ᵀ      dE/dW_x += dE/dz_t x_tᵀ      dE/db += dE/dz_t
    """
    W_h, W_x, b = keys
    grads[W_h] += outer_sum(dz, h_prev)
    grads[W_x] += outer_sum(dz, x)
    grads[b] += batch_sum(dz)
    return dz @ P[W_h]


def slope_of(act: str, v, z, sym: str):
    """A gate's derivative as a TA writes it, from the gate's own value where it can be:
    (value, equation, formula, operands). σ' = σ(1 - σ), tanh' = 1 - tanh² (the table's
    FROM_OUTPUT); any other activation's derivative is taken at z."""
    if act in ("logistic", "tanh"):
        d = FROM_OUTPUT[act]
        return d.of(v), d.named.format(sym), d.named_sub, (v,) * d.named_sub.count("{}")
    d = ACTIVATIONS[act][1](z)
    return d, f"{act}'(z)", "{}", (d,)
