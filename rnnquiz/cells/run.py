"""Runs any cell over a sequence: the forward pass, the read-out, the loss and BPTT, with the
working (one recorded `step` and `step_back` per time step) or vectorised (`scan`).

Both paths start from the same canonical parameters and answer with the same quantities,
named as the file's notation names them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..trace import Work
from . import cell_for, named
from . import readout as readout_
from .base import Cell, Ctx, Term, term_sum
from .batch_form import examples_as_rows, rows_form
from .readout import output_of, reads_out


@dataclass
class Pass:
    """A forward pass with its working: the cell, its parameters, each step's cache, y_t."""

    cell: Cell
    P: dict
    ctx: Ctx
    init: dict
    caches: list
    ys: list | None


def canonical(p) -> dict:
    """The cell's canonical parameters from the file's keys (and the read-out's)."""
    return p.network.canonical(p.cell)


def initial(p) -> dict:
    """The initial states; in a batch, one row per example (a shared one repeated)."""
    net = p.network
    init = {state: net.params[key] for key, state in net.notation.states.items()}
    if p.batch:
        init = {s: np.broadcast_to(v, (p.batch, v.shape[-1])).copy() for s, v in init.items()}
    return init


def inputs(p, P: dict):
    """x_t for every step: the inputs, or the embedding's rows of the token indices."""
    if p.tokens is None:
        return p.inputs
    return P[p.network.notation.embedding][p.tokens]


def options(p) -> dict:
    return {"convention": p.convention, "hidden": p.network.words.get("hidden", "logistic"),
            "words": p.network.words}


# ---------------------------------------------------------------- with the working


def forward(p, work: Work) -> Pass:
    """Every step of the cell, then its output, recorded as the working."""
    net = p.network
    cell = cell_for(p.cell, work.overrides, p.network.words)
    P = canonical(p)
    notation = net.notation
    if examples_as_rows(p, notation):               # the examples are rows: x_t·Wᵀ
        notation = rows_form(notation)
    ctx = Ctx(work=work, notation=notation, params=net.params, convention=p.convention,
              words=net.words)
    init = state = initial(p)
    caches, ys = [], [] if reads_out(p) else None
    if p.feedback:
        from . import feedback   # noqa: PLC0415 (start-up: only output feedback needs it)
    for i, x in enumerate(inputs(p, P)):
        t = i + ctx.first           # steps are numbered as the notation numbers them
        if p.feedback:              # the output fed back into z_t (SPEC 1.1)
            state = {**state, "y": feedback.fed(p, P, init["y"], ys, caches, i, t, ctx)}
        state, cache = cell.step(P, x, state, t, ctx)
        caches.append(cache)
        if ys is not None:
            ys.append(readout_.working(p, P, state["h"], t, ctx))
    if p.feedback:
        feedback.mark_recurrent(p, P, caches)
    return Pass(cell, P, ctx, init, caches, ys)


def forward_values(p, work: Work, output: bool = False) -> tuple[dict, tuple, str]:
    """(every per-step quantity, keyed as the notation names them; their keys; the default)."""
    fp = forward(p, work)
    values = named.quantities(p, fp.cell, {q: [c[q] for c in fp.caches] for q in fp.cell.quantities})
    # without a read-out the output is the state itself (SPEC 1.6)
    values["y"] = fp.ys if fp.ys is not None else [c["h"] for c in fp.caches]
    per_step = tuple(values)
    if p.ask.quantity == "jacobian":
        from . import jacobians   # noqa: PLC0415 (start-up: asked for by few files)
        values["jacobian"] = jacobians.between(p, fp, work)
    default = "y" if output else p.network.notation.key("h")     # output: the type asks y first
    C = [c["c"] for c in fp.caches] if p.cell_readout is not None else ()
    return _reads_cell(p, (values, per_step, default), C, ctx=fp.ctx)


def _reads_cell(p, out, C, ctx: Ctx | None = None, gradients: bool = False):
    """y_c = W_cy c_t + b_cy at every step (SPEC 1.15), and with BPTT its keys' gradients."""
    if p.cell_readout is None:
        return out
    from .cell_readout import add   # noqa: PLC0415 (start-up: few files read the cell state)
    return add(p, out, C, ctx, gradients)


def backprop(p, work: Work, fp: Pass | None = None, above=None) -> tuple[dict, tuple, str]:
    """BPTT with the working: the loss, then each step back from the last, then the sums.
    `above(i, t)`: the Term of the gradient from above when it has a name of its own (the top
    layer of a Hagan stack: -2e(t))."""
    # start-up: a forward pass needs none of these
    from . import feedback, input_rows, loss, own_loss_names as own   # noqa: PLC0415 (start-up: loaded with the problems that have them)
    fp = fp or forward(p, work)
    cell, P, ctx, caches = fp.cell, fp.P, fp.ctx, fp.caches
    # the answers are the computed values; the exercise's given ones only drive the gradients
    seqs = {q: [c[q] for c in caches] for q in cell.quantities}
    ys = list(fp.ys) if fp.ys is not None else None
    if p.given:
        from .rnn import use_given   # noqa: PLC0415 (given values are the simple RNN's)
        use_given(P, fp.init["h"], caches, fp.ys, p.given, ctx)
    T = len(caches)
    readout = fp.ys is not None
    Y = np.array(fp.ys if readout else [c["h"] for c in caches], dtype=float)
    hagan = own.applies(p, ctx.notation, readout)      # F, e(t) and dF/d… (Hagan)
    if hagan:
        ctx.loss = own.own_loss(ctx.notation)
    if p.upstream is not None:          # gradients from above, no loss (CS231n's backward)
        E, dE_dy, dE_du = None, list(p.upstream["h"]), list(p.upstream["h"])
        readout = False
    else:
        U = (readout_.total_input(P, np.array([c["h"] for c in caches], dtype=float))
             if readout and p.round == "none" and not p.given else None)
        E, dE_dy, dE_du = (own.working(p, Y, ctx) if hagan else
                           loss.working(p, Y, ctx, readout, U))
    W_hy = P.get("W_hy")
    grads = cell.zero_grads(P)
    pending = {s: [] for s in cell.states}
    if p.upstream is not None and "c" in p.upstream:
        pending["c"] = [Term(p.upstream["c"],
                             f"{ctx.dE}{ctx.S('c', T - 1 + ctx.first)} from above")]
    shown = {s: [None] * T for s in cell.states}
    d_z, d_x = [None] * T, [None] * T

    def out_term(i, t):
        if above is not None:
            return above(i, t)
        if p.upstream is not None:
            up = p.upstream["h"][i]
            return Term(up, f"{ctx.dE}{ctx.S('h', t)} from above", "{}", (up,))
        if hagan:
            return own.output_term(p, i, t, dE_dy)
        return readout_.term(p, i, t, dE_dy, dE_du, W_hy, readout)

    pen = None
    if p.regularization and p.upstream is None:     # AR, TAR join dE/dh_t (a stack: on_top)
        from .regularization import penalized   # noqa: PLC0415 (start-up: few files regularize)
        out_term, pen = penalized(p, caches, ctx, out_term, fp.init)
    loss_at = loss.targets(p, Y)[1] if p.feedback == "output" else None
    if p.truncate is not None:
        from .truncated import truncated   # noqa: PLC0415 (start-up: few files truncate)
        init = truncated(p, fp, out_term, grads, shown, d_z, d_x)
    else:
        for i in reversed(range(T)):
            t = i + ctx.first
            if p.feedback == "output" and i + 1 < T:     # y_t fed back into z_{t+1}
                feedback.back(p, P, ctx, i, t, d_z[i + 1], dE_dy, dE_du,
                              bool(np.any(loss_at[i])), caches[i]["h"], caches)
            d = {s: cell.carry(pending[s]) for s in cell.states}
            d["h"] = [out_term(i, t)] + d["h"]
            pending, d_x[i], got = cell.step_back(P, caches[i], d, t, ctx, grads)
            for s in cell.states:
                shown[s][i] = got[s]
            d_z[i] = got.get("z")
        init = {s: term_sum(pending[s]) for s in cell.states}
    if p.ask.quantity == "dE/dx":       # the answer, a row a step (the cells compute it)
        d_x = input_rows.input_gradients(p, P, ctx, d_x, d_z)
    if p.feedback:
        grads["W_yh"], init["y"] = feedback.gradients(P, caches, d_z, p.state_decay)
    if readout:
        grads["W_hy"], grads["b_y"] = readout_.step_gradients(dE_du, [c["h"] for c in caches])
    values = {"E": E, "dE/dy": dE_dy, "dE/dh": shown["h"], "dE/dx": d_x}
    if E is None:
        del values["E"], values["dE/dy"]
    if d_z[0] is not None:
        values["dE/dz"] = d_z
    if p.regularization and p.upstream is None:
        from .regularization import omega   # noqa: PLC0415 (only a file with regularization)
        if pen is not None:
            values["penalty"] = pen
        if p.regularization.get("information_flow") is not None:
            values["omega"] = omega(p, fp, shown["h"], ctx)
    if "c" in shown:
        values["dE/dc"] = shown["c"]
    values.update(named.gradients(p, cell, grads, init, work, readout, d_x, ctx.loss))
    return _reads_cell(p, named.finish(p, cell, values, seqs, ys), seqs.get("c", ()), ctx, True)


# ---------------------------------------------------------------- vectorised


def scannable(p) -> bool:
    """Whether the vectorised path gives this problem's answer: exact arithmetic, the
    computed values (not the exercise's given ones), no slip committed."""
    return p.network is not None and p.round == "none" and not p.given and p.truncate is None


def scan_values(p, gradients: bool = False, output: bool = False) -> tuple[dict, tuple, str]:
    """The same quantities as the working's, from the vectorised scan (exact arithmetic)."""
    cell = cell_for(p.cell, words=p.network.words)
    P, init, opts = canonical(p), initial(p), options(p)
    X = inputs(p, P)
    if p.feedback:
        from . import feedback   # noqa: PLC0415 (start-up: only output feedback needs it)
    fwd = feedback.scan(p, cell, P, X, init, opts) if p.feedback else \
        cell.scan(P, X, init, **opts)
    readout = reads_out(p)
    Y = readout_.outputs(P, fwd["h"], output_of(p)) if readout else None
    seqs = {q: fwd[q] for q in cell.quantities}
    if not gradients and p.ask.quantity == "jacobian":
        return forward_values(p, Work(record=False), output)   # a product of the steps' Jacobians
    if not gradients:
        values = named.quantities(p, cell, seqs)
        values["y"] = Y if Y is not None else fwd["h"]
        default = "y" if output else p.network.notation.key("h")
        return _reads_cell(p, (values, tuple(values), default), fwd.get("c", ()))
    from . import loss   # noqa: PLC0415 (start-up: a forward pass has no loss)
    Yl = Y if readout else fwd["h"]
    extra = {}
    if p.upstream is not None:
        E_t, DY = None, p.upstream["h"]
        DU, DH, readout = DY, DY, False
        if "c" in p.upstream:
            extra["DC_last"] = p.upstream["c"]
    else:
        U = readout_.total_input(P, fwd["h"]) if readout else None
        E_t, DY, DU = loss.reduced(p, Yl, output_of(p) if readout else "linear", U)[:3]
        DH = readout_.to_state(P, DU) if readout else DY
    if p.regularization:                # AR and TAR (cells/regularization.py)
        from .regularization import scanned   # noqa: PLC0415 (only a file with regularization)
        DH, extra_values = scanned(p, fwd["h"], DH)
    if p.feedback:                      # y_{t-1} fed back (cells/feedback.py)
        back, DY, DU = feedback.scan_back(p, cell, P, X, init, fwd, DY, DU, opts)
    else:
        back = cell.scan_back(P, X, init, fwd, DH, **opts, **extra)
    grads = dict(back["grads"])
    if readout:
        grads["W_hy"], grads["b_y"] = readout_.gradients(DU, fwd["h"])
    values = {"dE/dh": back["dE/dh"], "dE/dx": back["dE/dx"]}
    if E_t is not None:
        values.update({"E": float(np.sum(E_t)), "dE/dy": DY})
    for k in ("dE/dz", "dE/dc"):
        if k in back:
            values[k] = back[k]
    if p.regularization:
        values.update(extra_values)
    values.update(named.gradients(p, cell, grads, back["init"], Work(record=False), readout,
                                   back["dE/dx"]))
    return _reads_cell(p, named.finish(p, cell, values, seqs, Y), fwd.get("c", ()),
                       gradients=True)

