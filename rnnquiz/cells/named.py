"""The answers of a run named as the file's notation names them: per-step quantities
(`a` for deeplearning.ai's h), `dE/d<key>` for every key of the file in its own order, and
which of them are per step."""

from __future__ import annotations

import numpy as np

from ..trace import Work
from .base import Cell
from .batch_form import examples_as_rows


# with network.state_decay μ (SPEC 1.17) what is fed back is s_t = μ s_{t-1} + y_{t-1}
DECAYED = {"W_yh": "Σ_t dE/dz_t·s_t", "y_init": "Σ_t μ^t·W_yh·dE/dz_t (s_0 = y_init)"}


def quantities(p, cell: Cell, seqs: dict) -> dict:
    return {p.network.notation.key(q): seqs[q] for q in cell.quantities}


def gradients(p, cell: Cell, grads: dict, init: dict, work: Work, readout: bool,
                     d_x=None, loss: str = "E"):
    """dE/d<key> for every key of the file's notation, recorded in its order; with an
    embedding, dE/dx_t gathered into the rows of the tokens (rows never used stay 0). The
    working writes the loss as `loss` names it (Hagan's dF/d<key>); the answers stay dE/d<key>."""
    net = p.network
    notation = net.notation
    named = notation.gradients(grads, net.params, net.sizes)
    if readout:
        for key, canon in zip(notation.readout, ("W_hy", "b_y")):
            named.setdefault(key, grads[canon])
    else:       # no read-out (a cell's output is its state, or the gradients come from above)
        for key in notation.readout:
            named.pop(key, None)
    embedding = []
    if p.tokens is not None:
        key = notation.embedding
        named[key] = np.zeros_like(net.params[key])
        np.add.at(named[key], p.tokens, np.asarray(d_x, dtype=float))
        embedding = [key]
    from .loss import upstream_scale   # noqa: PLC0415 (start-up: a forward pass has no loss)
    scale, why = upstream_scale(p)
    if scale != 1:
        named = {k: g * scale for k, g in named.items()}
    for key, state in notation.states.items():
        g = init[state]
        # a state shared by the examples of a batch gathers the gradient of each
        named[key] = g.sum(axis=0) if g.ndim > net.params[key].ndim else g
    linear = p.network.words.get("output", "linear") == "linear"
    values = {}
    readout_keys = [k for k in notation.readout if k in notation.params]
    order = [k for k in notation.params if k not in readout_keys] + readout_keys + embedding
    order = [k for k in order if k in named]     # a stack's layers leave the read-out out
    for key in order + list(notation.states):
        eq = cell.gradient_eq.get(key)
        if p.state_decay and key in DECAYED:        # Jordan's s_t in place of y_{t-1}
            eq = DECAYED[key]
        if cell.name == "rnn" and notation.states.get(key) == "h":
            eq = _into_initial_state(p, notation, loss)
        if eq is None:
            eq = "carried back to the initial state" if key in notation.states else \
                f"Σ_t d{loss}/dx_t into the row of token x_t" if key in embedding else \
                ("Σ_n Σ_t over the examples and steps" if p.batch else "Σ_t over the steps")
        elif linear:
            eq = eq.replace("du_t", "dy_t")
        if p.batch and "Σ_t" in eq and "Σ_n" not in eq:
            eq = eq.replace("Σ_t", "Σ_n Σ_t")      # the sum runs over the examples too
        note = ""
        if scale != 1 and key not in notation.states:
            eq = f"{why}·({eq})"
            if not values:
                note = (f"reduction {p.reduction} with upstream: the parameter gradients are "
                        f"divided by the {p.batch or 1} example{'s' if (p.batch or 1) != 1 else ''};"
                        " dE/dx and the initial state's stay per example (CMU 11-785's "
                        "RNNCell.backward)")
        values[f"dE/d{key}"] = work.q(f"d{loss}/d{key}", named[key], phase="gradient", eq=eq,
                                      note=note)
    return values


def finish(p, cell: Cell, values: dict, seqs: dict, ys) -> tuple[dict, tuple, str]:
    notation = p.network.notation
    per_step = ["dE/dh", "dE/dy", "dE/dx"] + [k for k in ("dE/dz", "dE/dc") if k in values]
    state_key = notation.key("h")
    if state_key != "h":
        values[f"dE/d{state_key}"] = values["dE/dh"]
        per_step.append(f"dE/d{state_key}")
    for key, seq in quantities(p, cell, seqs).items():
        values.setdefault(key, seq)
        per_step.append(key)
    if ys is not None:
        values.setdefault("y", ys)
        per_step.append("y")
    aliases(notation, values, per_step)
    return values, tuple(per_step), cell.default_gradient


def aliases(notation, values: dict, per_step: list) -> None:
    """A notation that names the pre-activation or the loss otherwise (Hagan's net input n(t)
    and performance index F) answers to both names: dE/dn and dE/dz, F and E, dF/d<key> and
    dE/d<key>."""
    pre_key = notation.key("z")
    if pre_key != "z" and "dE/dz" in values and f"dE/d{pre_key}" not in values:
        values[f"dE/d{pre_key}"] = values["dE/dz"]
        per_step.append(f"dE/d{pre_key}")
    F = notation.key("E")
    if F == "E" or "E" not in values:
        return
    for key in [k for k in values if k == "E" or k.startswith("dE/d")]:
        alias = F if key == "E" else f"d{F}/{key[3:]}"
        values.setdefault(alias, values[key])
        if key in per_step:
            per_step.append(alias)


def _into_initial_state(p, notation, loss: str) -> str:
    """dE/dh_init of the simple RNN in the file's names, layout and step numbering:
    W_hh·dE/dz_0 (column), dE/dZ_1·W_hhᵀ (d2l's rows), dE/dz_0·weight_hh (a PyTorch batch)."""
    W = notation.file_names.get("W_hh", "W_hh")
    z = f"d{loss}/d{notation.symbol('z', notation.first)}"
    if notation.layout == "row":
        return f"{z}·{W}ᵀ"
    return f"{z}·{W}" if examples_as_rows(p, notation) else f"{W}·{z}"
