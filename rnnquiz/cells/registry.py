"""The cells behind `lstm`, `gru`, `gated`, and `backprop`/`vanishing` with `cell:`.

Each cell module computes with canonical parameters; the file's notation maps its keys
onto them (`Notation.canonical`) and the gradients back (`Notation.gradients`).
The output is the state itself unless the network gives W_hy/b_y (SPEC 1.6).
"""

from __future__ import annotations

import numpy as np

from . import gated, gru, lstm

CELLS = {"lstm": lstm, "gru": gru, "gated": gated}
# canonical quantities of each cell, in the order the working shows them
QUANTITIES = {"lstm": ("h", "c", "f", "i", "o", "g"), "gru": ("h", "u", "r", "c"),
              "gated": ("h", "g", "s")}


def run_forward(p, work):
    """(cache, canonical parameters, outputs y_t or None) of a cell problem."""
    net = p.network
    notation = net.notation
    canon = {**net.params, **notation.canonical(net.params, net.sizes)}
    cache = CELLS[p.cell].forward(notation, net.params, canon, p.inputs, work,
                                  convention=p.convention)
    ys = None
    if net.has_output:
        W_hy, b_y = net["W_hy"], net["b_y"]
        ys = []
        for t, h in enumerate(cache["h"]):
            hs = notation.symbol("h", t)
            ys.append(work.q(f"y_{t}", W_hy @ h + b_y, t=t, phase="forward",
                             eq=f"W_hy·{hs} + b_y", sub="{}·{} + {}", args=(W_hy, h, b_y)))
    return cache, canon, ys


def forward_values(p, work) -> tuple[dict, tuple, str]:
    """(values keyed as the notation names them, per-step keys, default key)."""
    cache, _, ys = run_forward(p, work)
    notation = p.network.notation
    values = {notation.key(q): cache[q] for q in QUANTITIES[p.cell]}
    if ys is not None:
        values["y"] = ys
    return values, tuple(values), notation.key("h")


def backprop_cell(p, work):
    net = p.network
    notation = net.notation
    cache, canon, ys = run_forward(p, work)
    outputs = ys if ys is not None else cache["h"]
    T = len(outputs)
    shown = [(t, outputs[t], target) for t, target in enumerate(p.targets) if target is not None]
    E = work.note("E", sum(0.5 * float(np.sum((y - tg) ** 2)) for _, y, tg in shown),
                  phase="loss", eq="1/2 Σ_t (y_t - target_t)²")
    dE_dy = [np.zeros_like(outputs[0]) for _ in range(T)]
    for t, y, target in shown:
        dE_dy[t] = work.q(f"dE/dy_{t}", y - target, t=t, phase="backward",
                          eq=f"y_{t} - target_{t}" if ys is not None else
                          f"{notation.symbol('h', t)} - target_{t}",
                          sub="{} - {}", args=(y, target))
    dE_dh_out = [net["W_hy"].T @ d for d in dE_dy] if ys is not None else dE_dy
    back = CELLS[p.cell].backward(notation, canon, cache, dE_dh_out, work)
    return gradient_outcome(p, work, E=E, dE_dy=dE_dy, back=back, cache=cache)


def gradient_outcome(p, work, *, E: float, dE_dy, back: dict, cache: dict):
    """The quantities of `backprop` through a cell, named as the file's notation names them.

    Shared by the step-by-step cells and the engine (which pass the same `back` and `cache`
    keys), so the two paths answer with the same quantities.
    """
    from ..solvers import Outcome   # noqa: PLC0415
    net = p.network
    notation = net.notation
    grads = notation.gradients(back["grads"], net.params, net.sizes)
    if net.has_output:
        D = np.asarray(dE_dy, dtype=float)
        grads["W_hy"], grads["b_y"] = D.T @ np.asarray(cache["h"], dtype=float), D.sum(axis=0)
    else:
        grads["W_hy"], grads["b_y"] = np.zeros_like(net["W_hy"]), np.zeros_like(net["b_y"])
    for key, state in notation.states.items():
        grads[key] = back["init"][state]
    values = {"E": E, "dE/dh": back["dE/dh"], "dE/dy": dE_dy}
    per_step = ["dE/dh", "dE/dy"]
    state_key = notation.key("h")
    if state_key != "h":
        values[f"dE/d{state_key}"] = back["dE/dh"]
        per_step.append(f"dE/d{state_key}")
    if "dE/dc" in back:
        values["dE/dc"] = back["dE/dc"]
        per_step.append("dE/dc")
    for key in notation.params + list(notation.states):
        values[f"dE/d{key}"] = work.q(f"dE/d{key}", grads[key], phase="gradient",
                                      eq="Σ_t over the steps" if key not in notation.states
                                      else "carried back to the initial state")
    for q in QUANTITIES[p.cell]:
        values.setdefault(notation.key(q), cache[q])
        per_step.append(notation.key(q))
    return Outcome(values=values, per_step=tuple(per_step), default="dE/dh")


def jacobians(p, work):
    """The state Jacobians dh_t/dh_{t-1} for t = 1 ... T-1 (LSTM: of (h_t, c_t)), and labels."""
    cache, canon, _ = run_forward(p, work)
    notation = p.network.notation
    module = CELLS[p.cell]
    jac, labels = [], []
    state = "(h, c)" if p.cell == "lstm" else None
    for t in range(1, len(cache["h"])):
        J = module.jacobian(canon, cache, t)
        jac.append(J)
        if state:
            labels.append(f"d(h_{t}, c_{t})/d(h_{t - 1}, c_{t - 1})")
        else:
            labels.append(f"d{notation.symbol('h', t)}/d{notation.symbol('h', t - 1)}")
        if J.size == 1:
            work.note(labels[-1], float(J.reshape(-1)[0]), t=t, phase="factor",
                      eq="the state's derivative")
        else:
            work.note(labels[-1], J, t=t, phase="factor", eq="the state's Jacobian")
    return jac, labels
