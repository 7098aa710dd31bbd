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
from .activations import ACTIVATIONS
from .base import Cell, Ctx, Term, batch_sum, outer_sum
from .batch_form import examples_as_rows, rows_form


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


def reads_out(p) -> bool:
    """y_t = output(W_hy h_t + b_y), or the state itself (cells without read-out keys)."""
    return p.network.has_output or p.network.notation.always_reads_out


def output_of(p) -> str:
    return p.network.words.get("output", "linear")


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
            ys.append(_readout(p, P, state["h"], t, ctx))
    if p.feedback:
        feedback.mark_recurrent(p, P, caches)
    return Pass(cell, P, ctx, init, caches, ys)


def _readout(p, P, h, t, ctx: Ctx, h_sym: str | None = None):
    """y_t = output(W_hy h_t + b_y), written with the file's keys and layout (`h_sym`: what
    the state read is called, when it is not h_t)."""
    out = output_of(p)
    act, _, osym, otag = ACTIVATIONS[out]
    u = h @ P["W_hy"].T + P["b_y"]
    notation = ctx.notation
    W, b = notation.readout
    Wv, bv = ctx.params.get(W, P["W_hy"]), ctx.params.get(b, P["b_y"])
    if notation.layout == "row":
        inner, args = f"{(h_sym or ctx.S('h', t))}·{W} + {b}", (h, Wv, bv)
    elif np.ndim(h) == 2 and examples_as_rows(p, notation):    # a batch's rows: h_t·W_hyᵀ
        inner, args = f"{(h_sym or ctx.S('h', t))}·{W}ᵀ + {b}", (h, np.asarray(Wv).T, bv)
    else:
        inner, args = f"{W}·{(h_sym or ctx.S('h', t))} + {b}", (Wv, h, bv)
    y = ctx.S("y", t) if "y" in notation.names else f"y_{t}"
    if out == "linear":
        return ctx.work.q(y, u, t=t, phase="forward", eq=inner, sub="{}·{} + {}", args=args)
    return ctx.work.q(y, act(u), t=t, phase="forward", tags=(otag,),
                      eq=f"{osym}({inner})", sub=f"{osym}({{}}·{{}} + {{}})", args=args)


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


def backprop(p, work: Work, fp: Pass | None = None) -> tuple[dict, tuple, str]:
    """BPTT with the working: the loss, then each step back from the last, then the sums."""
    # start-up: a forward pass needs none of these
    from . import feedback, input_rows, loss   # noqa: PLC0415
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
    if p.upstream is not None:          # gradients from above, no loss (CS231n's backward)
        E, dE_dy, dE_du = None, list(p.upstream["h"]), list(p.upstream["h"])
        readout = False
    else:
        U = (np.array([c["h"] for c in caches], dtype=float) @ P["W_hy"].T + P["b_y"]
             if readout and p.round == "none" and not p.given else None)
        E, dE_dy, dE_du = loss.working(p, Y, ctx, readout, U)
    W_hy = P.get("W_hy")
    grads = cell.zero_grads(P)
    pending = {s: [] for s in cell.states}
    if p.upstream is not None and "c" in p.upstream:
        pending["c"] = [Term(p.upstream["c"], f"dE/d{ctx.S('c', T - 1 + ctx.first)} from above")]
    shown = {s: [None] * T for s in cell.states}
    d_z, d_x = [None] * T, [None] * T

    def out_term(i, t):
        if p.upstream is not None:
            up = p.upstream["h"][i]
            return Term(up, f"dE/d{ctx.S('h', t)} from above", "{}", (up,))
        return _output_term(p, i, t, dE_dy, dE_du, W_hy, readout)

    pen = None
    if p.regularization and p.upstream is None:     # AR, TAR join dE/dh_t (a stack: on_top)
        from .regularization import penalized   # noqa: PLC0415 (start-up: few files regularize)
        out_term, pen = penalized(p, caches, ctx, out_term, fp.init)
    loss_at = loss.targets(p, Y)[1] if p.feedback == "output" else None
    if p.truncate is not None:
        init = _truncated(p, fp, out_term, grads, shown, d_z, d_x)
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
        init = {s: _sum(pending[s]) for s in cell.states}
    if p.ask.quantity == "dE/dx":       # the answer, a row a step (the cells compute it)
        d_x = input_rows.input_gradients(p, P, ctx, d_x, d_z)
    if p.feedback:
        grads["W_yh"], init["y"] = feedback.gradients(P, caches, d_z, p.state_decay)
    if readout:
        H = [c["h"] for c in caches]
        grads["W_hy"] = sum(outer_sum(dE_du[t], H[t]) for t in range(T))
        grads["b_y"] = sum(batch_sum(d) for d in dE_du)
    values = {"E": E, "dE/dy": dE_dy, "dE/dh": shown["h"], "dE/dx": d_x}
    if E is None:
        del values["E"], values["dE/dy"]
    if d_z[0] is not None:
        values["dE/dz"] = d_z
    if p.regularization and p.upstream is None:
        from .regularization import omega   # noqa: PLC0415
        if pen is not None:
            values["penalty"] = pen
        if p.regularization.get("information_flow") is not None:
            values["omega"] = omega(p, fp, shown["h"], ctx)
    if "c" in shown:
        values["dE/dc"] = shown["c"]
    values.update(named.gradients(p, cell, grads, init, work, readout, d_x))
    return _reads_cell(p, named.finish(p, cell, values, seqs, ys), seqs.get("c", ()), ctx, True)


def _truncated(p, fp: Pass, out_term, grads: dict, shown: dict, d_z: list, d_x: list) -> dict:
    """Truncated BPTT (SPEC 1.1): the gradient of each loss term carried back through at most
    k state transitions. Backprop is linear in what arrives from the output, so each term is
    carried back on its own and the sums are what the working shows (k = 0: h_{t-1} is
    detached)."""
    cell, P, ctx, caches = fp.cell, fp.P, fp.ctx, fp.caches
    k, T = p.truncate, len(caches)
    quiet = Ctx(work=Work(record=False), notation=ctx.notation, params=ctx.params,
                convention=ctx.convention, words=ctx.words)
    init = {s: 0.0 for s in cell.states}
    for src in range(T):
        pending = {s: [] for s in cell.states}
        for i in range(src, max(src - k, 0) - 1, -1):
            d = {s: cell.carry(pending[s]) for s in cell.states}
            if i == src:
                d["h"] = [out_term(i, i + ctx.first)] + d["h"]
            elif not d["h"]:
                break
            pending, dx, got = cell.step_back(P, caches[i], d, i + ctx.first, quiet, grads)
            for s in cell.states:
                shown[s][i] = got[s] if shown[s][i] is None else shown[s][i] + got[s]
            d_x[i] = dx if d_x[i] is None else d_x[i] + dx
            if got.get("z") is not None:
                d_z[i] = got["z"] if d_z[i] is None else d_z[i] + got["z"]
        if src < k:                       # the step into the initial state is one more transition
            for s in cell.states:
                if pending[s]:
                    init[s] = init[s] + _sum(pending[s])
    # the answer's rows: dE/dh_t, and dE/dz_t or dE/dc_t when they are asked
    asked = {"dE/dz": ("z", d_z), "dE/dc": ("c", shown.get("c"))}.get(p.ask.quantity)
    for i in range(T):
        t = i + ctx.first
        span = f"Σ over the loss terms at steps {t} … {min(t + k, T - 1 + ctx.first)}"
        ctx.work.q(f"dE/d{ctx.S('h', t)}", shown["h"][i], t=t, phase="backward", eq=span,
                   note=f"truncate: {k}: each term's gradient stops after {k} step"
                        f"{'s' if k != 1 else ''} back" if i == T - 1 else "")
        if asked is not None and asked[1] is not None and asked[1][i] is not None:
            ctx.work.q(f"dE/d{ctx.S(asked[0], t)}", asked[1][i], t=t, phase="backward",
                       eq=span)
    return {s: np.zeros_like(fp.init[s]) if isinstance(init[s], float) else init[s]
            for s in cell.states}


def _output_term(p, i, t, dE_dy, dE_du, W_hy, readout: bool) -> Term:
    if not readout:
        return Term(dE_dy[i], f"dE/dy_{t}", "{}", (dE_dy[i],))
    d = "dE/dy" if output_of(p) == "linear" else "dE/du"
    notation = p.network.notation
    name = notation.readout[0] if notation.readout else "W_hy"
    if notation.layout == "row":
        return Term(dE_du[i] @ W_hy, f"{d}_{t}·{name}ᵀ", "{}·{}", (dE_du[i], W_hy))
    return Term(dE_du[i] @ W_hy, f"{name}·{d}_{t}", "{}·{}", (W_hy.T, dE_du[i]))


def _sum(terms: list[Term]):
    total = terms[0].value
    for term in terms[1:]:
        total = total + term.value
    return total


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
    Y = ACTIVATIONS[output_of(p)][0](fwd["h"] @ P["W_hy"].T + P["b_y"]) if readout else None
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
        TG, mask = loss.targets(p, Yl)
        U = fwd["h"] @ P["W_hy"].T + P["b_y"] if readout else None
        E_t, DY, DU = loss.losses(Yl, TG, mask, output_of(p) if readout else "linear", p.loss, U)
        scale, _ = loss.reduction(p, mask)
        E_t, DY, DU = E_t * scale, DY * scale, DU * scale
        DH = DU @ P["W_hy"] if readout else DY
    if p.regularization:                # AR and TAR (cells/regularization.py)
        from .regularization import scanned   # noqa: PLC0415
        DH, extra_values = scanned(p, fwd["h"], DH)
    if p.feedback:                      # y_{t-1} fed back (cells/feedback.py)
        back, DY, DU = feedback.scan_back(p, cell, P, X, init, fwd, DY, DU, opts)
    else:
        back = cell.scan_back(P, X, init, fwd, DH, **opts, **extra)
    grads = dict(back["grads"])
    if readout:
        grads["W_hy"], grads["b_y"] = outer_sum(DU, fwd["h"]), batch_sum(DU)
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

