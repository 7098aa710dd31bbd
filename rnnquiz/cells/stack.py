"""Runs a stack of layers, each one direction or both (SPEC 1.9), with the working or
vectorised, and answers with the quantities asked: the asked layer's (both directions
concatenated unless `ask.direction` picks one), the outputs, and every gradient. `layers.py`
holds the machinery, `marks.py` how the working writes each layer.
"""

from __future__ import annotations

import numpy as np

from ..trace import Work
from . import named, own_loss_names
from . import readout
from .layers import back_layers, layer_runs, scan_forward, forward
from .stack_top import last_state, scan_readout, top_gradient
from .marks import mark, layer_tag


def forward_values(p, work: Work, output: bool = False):
    runs, H, ys = forward(p, work)
    seqs = {key: {q: [c[q] for c in r.caches] for q in r.cell.quantities}
            for key, r in _items(runs)}
    return _reads_cell(p, seqs, _values(p, runs, seqs, H, ys, None, output=output), work)


def backprop(p, work: Work):
    runs, H, ys = forward(p, work)
    seqs = {key: {q: [c[q] for c in r.caches] for q in r.cell.quantities}
            for key, r in _items(runs)}
    if own_loss_names.applies(p, p.network.notation, ys is not None):   # Hagan's dF/d…
        for _, r in _items(runs):
            r.ctx.loss = own_loss_names.own_loss(p.network.notation)
    E, dE_dy, dE_du, D = top_gradient(p, runs, H, ys, work)
    back = back_layers(p, runs, D, work)
    return _reads_cell(p, seqs, _values(p, runs, seqs, H, ys, (E, dE_dy, dE_du, back), work),
                       work, True)


def scan_values(p, gradients: bool = False, output: bool = False):
    runs = layer_runs(p, None)
    fwd, H = scan_forward(p, runs)
    ys = scan_readout(p, runs, H)
    seqs = {key: {q: list(fwd[key][q]) for q in runs[key[0] - 1][key[1]].cell.quantities}
            for key, _ in _items(runs)}
    if not gradients:
        return _reads_cell(p, seqs, _values(p, runs, seqs, H, ys, None, output=output), None)
    E, dE_dy, dE_du, D = top_gradient(p, runs, H, ys, None)
    back = back_layers(p, runs, D, None, fwd)
    return _reads_cell(p, seqs, _values(p, runs, seqs, H, ys, (E, dE_dy, dE_du, back),
                                        Work(record=False)), None, True)


def _reads_cell(p, seqs: dict, out: tuple, work: Work | None, gradients: bool = False):
    """y_c of the top layer's cell states (SPEC 1.15), and with BPTT its keys' gradients."""
    if p.cell_readout is None:
        return out
    from .cell_readout import add_stack   # noqa: PLC0415 (start-up: few files read c)
    return add_stack(p, seqs, out, work, gradients)


def _items(runs):
    for row in runs:
        for direction, r in row.items():
            yield (r.layer, direction), r


def _values(p, runs, seqs: dict, H, ys, back, work: Work | None = None, output: bool = False):
    """The quantities asked for: the asked layer's (both directions concatenated unless
    `ask.direction` picks one), the outputs, and with BPTT every gradient."""
    stack, ask = p.stack, p.ask
    layer = ask.layer or len(stack.layers)
    directions = (ask.direction,) if ask.direction else stack.directions
    notation = stack.layers[layer - 1]["forward"].notation
    # each layer, and each direction, runs its own cell variant (relevance_gate: true in
    # some layers only): the asked layer's quantities are those every asked direction has
    cells = [runs[layer - 1][d].cell for d in directions]
    cell = cells[0]
    quantities = [q for q in cell.quantities if all(q in c.quantities for c in cells)]

    def joined(per_direction: list):
        parts = [np.asarray(v, dtype=float) for v in per_direction]
        return list(np.concatenate(parts, axis=-1)) if len(parts) > 1 else list(parts[0])

    def real(key, q):
        v = seqs[key][q]
        return v[::-1] if key[1] == "backward" else v

    values = {}
    for q in quantities:
        values[notation.key(q)] = joined([real((layer, d), q) for d in directions])
    per_step = list(values)
    if ys is not None and not stack.last:
        values["y"] = ys
        per_step.append("y")
    elif ys is not None:
        values["y"] = ys[0]
    else:
        values["y"] = list(H)
        per_step.append("y")
    # every layer's and direction's states, for what draws the whole stack (render/dot.py)
    values["_layers"] = {(k, d): real((k, d), "h") for k, d in seqs}
    default = "y" if output else notation.key("h")      # output: the type asks y first
    if back is None:
        return values, tuple(per_step), default
    E, dE_dy, dE_du, grads = back
    if E is not None:
        values["E"] = E
        if stack.last:
            values["dE/dy"] = dE_dy[-1]
        else:
            values["dE/dy"] = list(dE_dy)
            per_step.append("dE/dy")
    for key in ("dE/dh", "dE/dc", "dE/dz"):
        if key in grads[(layer, directions[0])]:
            values[key] = joined([grads[(layer, d)][key] for d in directions])
            per_step.append(key)
    values["dE/dx"] = list(grads["dE/dx"])
    per_step.append("dE/dx")
    state_key = notation.key("h")
    if state_key != "h":
        values[f"dE/d{state_key}"] = values["dE/dh"]
        per_step.append(f"dE/d{state_key}")
    if ask.direction or not stack.bidirectional:
        chosen = grads[(layer, ask.direction or "forward")]
        for key in notation.keys:
            if f"dE/d{key}" in chosen and key not in notation.readout:
                values[f"dE/d{key}"] = chosen[f"dE/d{key}"]
    if ask.layer is None and ask.direction is None:
        for key in stack.states_written:      # PyTorch's h_0: every layer's and direction's
            values[f"dE/d{key}"] = np.stack([np.asarray(grads[(k, d)][f"dE/d{key}"])
                                             for k in range(1, len(stack.layers) + 1)
                                             for d in stack.directions])
    values.update(_readout_gradients(p, H, ys, dE_du, runs, work))
    values["_gradients"] = _every_gradient(p, grads, values)
    named.aliases(notation, values, per_step)
    return values, tuple(per_step), cell.default_gradient


def _every_gradient(p, grads: dict, values: dict) -> list:
    """Every weight and bias gradient of every layer and direction, and the read-out's: what
    the global norm (grad_norm, clip: {norm}) sums over."""
    out = []
    for key, g in grads.items():
        if key == "dE/dx":
            continue
        notation = p.stack.layers[key[0] - 1][key[1]].notation
        out += [g[f"dE/d{k}"] for k in notation.params
                if k not in notation.readout and f"dE/d{k}" in g]
    out += [values[f"dE/d{k}"] for k in p.network.notation.readout if f"dE/d{k}" in values]
    return out


def _readout_gradients(p, H, ys, dE_du, runs, work: Work | None) -> dict:
    stack = p.stack
    notation = p.network.notation
    if ys is None or stack.W_hy is None:
        return {}
    W_key, b_key = notation.readout
    if stack.last:
        dU, states = dE_du[-1:], last_state(p, runs, H)[None]
    else:
        dU, states = dE_du, H
    dW, db = readout.gradients(dU, states)
    if notation.layout == "row":
        dW = dW.T
    tag = layer_tag(stack, len(stack.layers), None)
    h = mark("h_t", "h", tag)
    out = {f"dE/d{W_key}": dW, f"dE/d{b_key}": db}
    if work is not None:
        work.q(f"dE/d{W_key}", dW, phase="gradient", eq=f"Σ_t dE/du_t·{h}ᵀ")
        work.q(f"dE/d{b_key}", db, phase="gradient", eq="Σ_t dE/du_t")
    return out
