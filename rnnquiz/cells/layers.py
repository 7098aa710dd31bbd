"""The machinery of a stack (SPEC 1.9): each layer and direction run by the ordinary cell
machinery (`run.py`, the cells' `step`/`step_back` and `scan`/`scan_back`), wired together:

    h^(l)_t = [h^(l→)_t; h^(l←)_t]       layer l+1 reads h^(l)_t as its input x_t
    y_t = output(W_hy h^(L)_t + b_y)     (readout: last: y from [h^(L→)_{T-1}; h^(L←)_0])

and back, from the top: dE/dh^(L)_t = W_hyᵀ dE/du_t, split between the directions; each
direction's BPTT gives dE/dx^(l)_t, which is dE/dh^(l-1)_t for the layer below. The backward
direction runs over the reversed sequence. The top's read-out and loss: stack_top.py.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from ..trace import Work
from . import cell_for, input_rows, run
from .base import Ctx
from .batch_form import examples_as_rows, rows_form
from . import named
from .marks import Marks, MarkedWork, layer_tag, marked_notation, state_at
from .stack_top import last_state, own_terms, reader


@dataclass
class Run:
    """One layer and direction: its problem view, cell, parameters and (with working) steps."""

    sub: object              # the problem as this layer and direction sees it
    cell: object
    P: dict
    init: dict
    layer: int
    direction: str
    ctx: Ctx | None = None
    work: Work | None = None
    caches: list | None = None
    marks: Marks | None = None


def layer_runs(p, work: Work | None) -> list[dict[str, Run]]:
    stack = p.stack
    out = []
    for k, layer in enumerate(stack.layers, start=1):
        row = {}
        for direction, net in layer.items():
            tokens = p.tokens if k == 1 else None
            if tokens is not None and direction == "backward":
                tokens = tokens[::-1]
            # each layer sees its gradients as from above; only the stack's own upstream is
            # divided by a reduction (a loss divides itself before it reaches the layers).
            # W_cy reads the top layer's cell states, both directions' joined: the stack's
            # to apply (stack.py), not each one-direction run's
            sub = replace(p, network=net, stack=None, tokens=tokens, cell_readout=None,
                          ask=type(p.ask)(), upstream=None, targets=None, mask=None, given={},
                          reduction=p.reduction if p.upstream is not None else "sum")
            cell = cell_for(p.cell, work.overrides if work else None, net.words)
            P = run.canonical(sub)
            r = Run(sub=sub, cell=cell, P=P, init=run.initial(sub), layer=k,
                    direction=direction)
            if work is not None:
                notation, r.marks = marked_notation(stack, net.notation, k, direction, p.T)
                if examples_as_rows(p, notation):      # the examples are rows: x_t·Wᵀ
                    notation = rows_form(notation)
                r.work = MarkedWork(work, r.marks)
                r.ctx = Ctx(work=r.work, notation=notation, params=net.params,
                            convention=p.convention, words=net.words)
                r.caches = []
            row[direction] = r
        out.append(row)
    return out


def _layer_inputs(p, runs) -> np.ndarray:
    first = runs[0]["forward"]
    return run.inputs(p, first.P) if p.tokens is not None else p.inputs


def _reverse(a):
    return a[::-1]


# ---------------------------------------------------------------- with the working


def forward(p, work: Work):
    """Every layer's steps (at each step the layers bottom to top; both directions layer by
    layer), the concatenations, the read-out. Returns (runs, the top states, outputs)."""
    stack = p.stack
    runs = layer_runs(p, work)
    X = _layer_inputs(p, runs)
    T, f = p.T, p.first
    read = reader(p, work)
    if not stack.bidirectional:
        states = [r["forward"].init for r in runs]
        ys = [] if read else None
        for i in range(T):
            x = X[i]
            for k, row in enumerate(runs):
                r = row["forward"]
                states[k], cache = r.cell.step(r.P, x, states[k], i + f, r.ctx)
                r.caches.append(cache)
                x = states[k]["h"]
            if read and (not stack.last or i == T - 1):
                ys.append(read(x, i + f))
        return runs, np.array([c["h"] for c in runs[-1]["forward"].caches]), ys
    for k, row in enumerate(runs, start=1):
        seqs = {}
        for direction, r in row.items():
            state = r.init
            xs = X if direction == "forward" else _reverse(X)
            for i, x in enumerate(xs):
                state, cache = r.cell.step(r.P, x, state, i + f, r.ctx)
                r.caches.append(cache)
            seqs[direction] = [c["h"] for c in r.caches]
        X = _concatenate(p, k, seqs, work)
    if not read:
        return runs, X, None
    if stack.last:
        return runs, X, [read(last_state(p, runs, X), T - 1 + f)]
    return runs, X, [read(X[i], i + f) for i in range(T)]


def _concatenate(p, k: int, seqs: dict, work: Work) -> np.ndarray:
    """h^(k)_t = [h^(k→)_t; h^(k←)_t], written out at every step."""
    stack, notation = p.stack, p.stack.layers[k - 1]["forward"].notation
    T, f = p.T, p.first
    back = _reverse(seqs["backward"])
    out = []
    tag = layer_tag(stack, k, None)
    for i in range(T):
        t = i + f
        sym = state_at(notation, t, tag)
        parts = [state_at(notation, t, layer_tag(stack, k, d)) for d in ("forward", "backward")]
        out.append(work.q(sym, np.concatenate([seqs["forward"][i], back[i]], axis=-1), t=t,
                          phase="forward", eq=f"[{parts[0]}; {parts[1]}]",
                          note="both directions, the forward one first" if i == 0 else ""))
    return np.array(out)


def back_layers(p, runs, D, work: Work | None, fwd: dict | None = None) -> dict:
    """BPTT from the top layer down; each layer's dE/dx_t is the layer below's dE/dh_t.
    Returns {(layer, direction): its values, in real step order}."""
    out = {}
    top = own_terms(p, D) if work is not None else None
    for k in range(len(runs), 0, -1):
        row = runs[k - 1]
        below = None
        offset = 0
        for direction, r in row.items():
            n = r.sub.network.sizes["h"]
            part = D[..., offset:offset + n]
            offset += n
            seq = part if direction == "forward" else _reverse(part)
            if work is not None:
                sub = replace(r.sub, upstream={"h": list(seq)}, type="backprop")
                fp = run.Pass(r.cell, r.P, r.ctx, r.init, r.caches, None)
                vals, _, _ = run.backprop(sub, r.work, fp, top if k == len(runs) else None)
            else:
                vals = _scan_back(r, fwd[(k, direction)], seq)
            if direction == "backward":
                vals = {key: (v[::-1] if isinstance(v, list) else v) for key, v in vals.items()}
            out[(k, direction)] = vals
            dx = np.asarray(vals["dE/dx"], dtype=float)
            below = dx if below is None else below + dx
        if k > 1:
            D = _passed_down(p, k, below, work, runs[k - 2]["forward"].ctx)
        else:
            out["dE/dx"] = below
            if work is not None and p.ask.quantity == "dE/dx":
                input_rows.stack_rows(p, out, below, work, row["forward"].ctx.dE)
    return out


def _passed_down(p, k: int, D, work: Work | None, below: Ctx | None):
    """dE/dh^(k-1)_t: what layer k's input weights pass down, from both its directions."""
    if work is None:
        return D
    dE = below.dE
    stack = p.stack
    notation = stack.layers[k - 2]["forward"].notation
    tag = layer_tag(stack, k - 1, None)
    via = " + ".join(f"({dE}x_t)^({layer_tag(stack, k, d)})" for d in stack.directions)
    for i in range(p.T):
        t = i + p.first
        work.q(f"{dE}{state_at(notation, t, tag)}", D[i], t=t,
               phase="backward", eq=via,
               note=f"passed down from layer {k}: what its input weights carry back"
               if i == p.T - 1 else "")
    return D


def _scan_back(r: Run, fwd: dict, seq) -> dict:
    opts = run.options(r.sub)
    X = fwd["_X"]
    back = r.cell.scan_back(r.P, X, r.init, fwd, np.asarray(seq, dtype=float), **opts)
    vals = {"dE/dh": list(back["dE/dh"]), "dE/dx": list(back["dE/dx"])}
    for key in ("dE/dz", "dE/dc"):
        if key in back:
            vals[key] = list(back[key])
    sub = replace(r.sub, upstream={"h": seq})
    vals.update(named.gradients(sub, r.cell, dict(back["grads"]), back["init"],
                                     Work(record=False), False, back["dE/dx"]))
    return vals


# ---------------------------------------------------------------- vectorised


def scan_forward(p, runs) -> tuple[dict, np.ndarray]:
    X = _layer_inputs(p, runs)
    fwd = {}
    for k, row in enumerate(runs, start=1):
        seqs = []
        for direction, r in row.items():
            xs = X if direction == "forward" else _reverse(X)
            out = r.cell.scan(r.P, xs, r.init, **run.options(r.sub))
            out["_X"] = xs
            fwd[(k, direction)] = out
            seqs.append(out["h"] if direction == "forward" else _reverse(out["h"]))
        X = np.concatenate(seqs, axis=-1) if len(seqs) > 1 else seqs[0]
    return fwd, X
