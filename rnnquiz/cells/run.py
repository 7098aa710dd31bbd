"""Runs any cell over a sequence: the forward pass, the read-out, the loss and BPTT, with the
working (one recorded `step` and `step_back` per time step) or vectorised (`scan`).

Both paths start from the same canonical parameters and answer with the same quantities,
named as the file's notation names them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..trace import Work
from . import cell_for, feedback
from .activations import ACTIVATIONS
from .base import Cell, Ctx, Term, batch_sum, outer_sum
from .loss import equations, losses


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
    net = p.network
    P = {**net.params, **net.notation.canonical(net.params, net.sizes)}
    if "b_hn" not in P and p.cell == "gru":
        P["b_hn"] = np.zeros(net.sizes["h"])
    return P


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
    cell = cell_for(p.cell, work.variants)
    P = canonical(p)
    ctx = Ctx(work=work, notation=net.notation, params=net.params, convention=p.convention,
              words=net.words)
    init = state = initial(p)
    caches, ys = [], [] if reads_out(p) else None
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


def _readout(p, P, h, t, ctx: Ctx):
    """y_t = output(W_hy h_t + b_y), written with the file's keys and layout."""
    out = output_of(p)
    act, _, osym, otag = ACTIVATIONS[out]
    u = h @ P["W_hy"].T + P["b_y"]
    notation = ctx.notation
    W, b = notation.readout
    Wv, bv = ctx.params.get(W, P["W_hy"]), ctx.params.get(b, P["b_y"])
    if notation.layout == "row":
        inner, args = f"{ctx.S('h', t)}·{W} + {b}", (h, Wv, bv)
    else:
        inner, args = f"{W}·{ctx.S('h', t)} + {b}", (Wv, h, bv)
    y = ctx.S("y", t) if "y" in notation.names else f"y_{t}"
    if out == "linear":
        return ctx.work.q(y, u, t=t, phase="forward", eq=inner, sub="{}·{} + {}", args=args)
    return ctx.work.q(y, act(u), t=t, phase="forward", tags=(otag,),
                      eq=f"{osym}({inner})", sub=f"{osym}({{}}·{{}} + {{}})", args=args)


def forward_values(p, work: Work) -> tuple[dict, tuple, str]:
    """(every per-step quantity, keyed as the notation names them; their keys; the default)."""
    fp = forward(p, work)
    values = _quantities(p, fp.cell, {q: [c[q] for c in fp.caches] for q in fp.cell.quantities})
    # without a read-out the output is the state itself (SPEC 1.6)
    values["y"] = fp.ys if fp.ys is not None else [c["h"] for c in fp.caches]
    per_step = tuple(values)
    if p.ask.quantity == "jacobian":
        values["jacobian"] = jacobian_between(p, fp, work)
    default = "y" if p.type == "forward" else p.network.notation.key("h")
    return values, per_step, default


def jacobian_between(p, fp: Pass, work: Work):
    """dh_to/dh_from = J_to ⋯ J_{from+1}, J_t = d(state_t)/d(state_{t-1}); element (i, j) is
    ∂h_to,i/∂h_from,j in every notation and layout. Default: from the initial state to the
    last step (SPEC 1.1). For the LSTM the product runs over the joint (h, c)."""
    from ..errors import ProblemError   # noqa: PLC0415
    first, T = fp.ctx.first, len(fp.caches)
    start = p.ask.start if p.ask.start is not None else first - 1
    stop = p.ask.stop if p.ask.stop is not None else first + T - 1
    if not first - 1 <= start < stop <= first + T - 1:
        raise ProblemError(f"expected {first - 1} <= from < to <= {first + T - 1} (from "
                           f"{first - 1} is the initial state), got from {start}, to {stop}",
                           keys=("ask", "from" if p.ask.start is not None else "to"))
    S = fp.ctx.S
    J = None
    for i in range(start - first + 1, stop - first + 1):
        step = fp.cell.jacobian(fp.P, fp.caches[i])
        J = step if J is None else step @ J
    H = fp.caches[0]["h"].shape[-1]
    J = J[:H, :H]                    # ∂h_to/∂h_from, the cell state of `from` held fixed
    return work.note(f"d{S('h', stop)}/d{S('h', start)}", J, phase="jacobian",
                     eq=" ".join(f"J_{t}" for t in range(stop, start, -1)) if stop - start <= 6
                     else f"J_{stop} ⋯ J_{start + 1}",
                     note="J_t = dh_t/dh_{t-1}, the state Jacobian of step t"
                     + ("; of the joint (h, c) for the LSTM, h's block"
                        if len(fp.cell.states) > 1 else ""))


def _quantities(p, cell: Cell, seqs: dict) -> dict:
    return {p.network.notation.key(q): seqs[q] for q in cell.quantities}


def backprop(p, work: Work, fp: Pass | None = None) -> tuple[dict, tuple, str]:
    """BPTT with the working: the loss, then each step back from the last, then the sums."""
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
        E, dE_dy, dE_du = _loss_working(p, Y, caches, ctx, readout, U)
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

    loss_at = _targets(p, Y)[1] if p.feedback == "output" else None
    if p.truncate is not None:
        init = _truncated(p, fp, out_term, grads, shown, d_z, d_x)
    else:
        for i in reversed(range(T)):
            t = i + ctx.first
            if p.feedback == "output" and i + 1 < T:     # y_t fed back into z_{t+1}
                feedback.back(p, P, ctx, i, t, d_z[i + 1], dE_dy, dE_du,
                              bool(np.any(loss_at[i])), caches[i]["h"])
            d = {s: cell.carry(pending[s]) for s in cell.states}
            d["h"] = [out_term(i, t)] + d["h"]
            pending, d_x[i], got = cell.step_back(P, caches[i], d, t, ctx, grads)
            for s in cell.states:
                shown[s][i] = got[s]
            d_z[i] = got.get("z")
        init = {s: _sum(pending[s]) for s in cell.states}
    if p.feedback:
        grads["W_yh"], init["y"] = feedback.gradients(P, caches, d_z)
    if readout:
        H = [c["h"] for c in caches]
        grads["W_hy"] = sum(outer_sum(dE_du[t], H[t]) for t in range(T))
        grads["b_y"] = sum(batch_sum(d) for d in dE_du)
    values = {"E": E, "dE/dy": dE_dy, "dE/dh": shown["h"], "dE/dx": d_x}
    if E is None:
        del values["E"], values["dE/dy"]
    if d_z[0] is not None:
        values["dE/dz"] = d_z
    if "c" in shown:
        values["dE/dc"] = shown["c"]
    values.update(_named_gradients(p, cell, grads, init, work, readout, d_x))
    return _finish(p, cell, values, seqs, ys)


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
    for i in range(T):
        t = i + ctx.first
        ctx.work.q(f"dE/d{ctx.S('h', t)}", shown["h"][i], t=t, phase="backward",
                   eq=f"Σ over the loss terms at steps {t} … {min(t + k, T - 1 + ctx.first)}",
                   note=f"truncate: {k}: each term's gradient stops after {k} step"
                        f"{'s' if k != 1 else ''} back" if i == T - 1 else "")
    return {s: np.zeros_like(fp.init[s]) if isinstance(init[s], float) else init[s]
            for s in cell.states}


def _loss_working(p, Y, caches, ctx: Ctx, readout: bool, U=None):
    work = ctx.work
    out = output_of(p) if readout else "linear"
    loss = p.loss
    TG, mask = _targets(p, Y)
    E_t, DY, DU = losses(Y, TG, mask, out, loss, U)
    scale, why = reduction(p, mask)
    eq_E, eq_dy, eq_du = equations(out, loss, readout)
    if scale != 1:
        E_t, DY, DU = E_t * scale, DY * scale, DU * scale
        eq_E = f"{why}·({eq_E})"
    E = work.note("E", float(np.sum(E_t)), phase="loss", eq=eq_E,
                  note=f"reduction {p.reduction}: each term's gradient is scaled by {why}"
                  if scale != 1 else "")
    T = len(Y)
    dE_dy = [np.zeros_like(Y[0]) for _ in range(T)]
    dE_du = [np.zeros_like(Y[0]) for _ in range(T)]
    for i in range(T):
        if not np.any(mask[i]):
            continue
        t = i + ctx.first
        y, target = Y[i], TG[i]
        h_sym = ctx.S("h", t)
        dE_dy[i] = work.q(f"dE/dy_{t}", DY[i], t=t, phase="backward",
                          eq=eq_dy.format(t=t, h=h_sym),
                          sub="{} - {}" if loss == "squared" else "", args=(y, target))
        if out == "linear":
            dE_du[i] = dE_dy[i]
            continue
        ce = loss == "cross_entropy"
        eq = eq_du.format(t=t)
        if ce and out == "softmax" and not np.isclose(np.sum(target), 1.0, rtol=0, atol=1e-12):
            eq = f"y_{t}·Σ_k target_{t}k - target_{t}"     # the targets do not sum to 1
        dE_du[i] = work.q(f"dE/du_{t}", DU[i], t=t, phase="backward", eq=eq,
                          sub="{} - {}" if ce and "Σ" not in eq else "", args=(y, target),
                          note=f"u_{t} = W_hy·h_{t} + b_y, the output's total input")
    return E, dE_dy, dE_du


def _targets(p, Y):
    """(targets as one array over the steps, which of them are loss terms)."""
    TG = np.zeros_like(Y)
    for t, tg in enumerate(p.targets):
        if tg is not None:
            TG[t] = tg
    mask = p.mask if p.mask is not None else \
        np.array([tg is not None for tg in p.targets], dtype=bool)
    return TG, mask


def reduction(p, mask) -> tuple[float, str]:
    """The factor E and every gradient are scaled by (SPEC 1.1): 1 (sum), 1/terms (mean),
    1/N (batch_mean, CS231n's temporal softmax loss)."""
    if p.reduction == "mean":
        n = int(np.sum(mask))
        return 1.0 / n, f"1/{n}"
    if p.reduction == "batch_mean" and p.batch:
        return 1.0 / p.batch, f"1/{p.batch}"
    return 1.0, ""


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


def _named_gradients(p, cell: Cell, grads: dict, init: dict, work: Work, readout: bool,
                     d_x=None):
    """dE/d<key> for every key of the file's notation, recorded in its order; with an
    embedding, dE/dx_t gathered into the rows of the tokens (rows never used stay 0)."""
    net = p.network
    notation = net.notation
    if readout:
        named = notation.gradients(grads, net.params, net.sizes)
        for key, canon in zip(notation.readout, ("W_hy", "b_y")):
            named.setdefault(key, grads[canon])
    else:
        named = notation.gradients(grads, net.params, net.sizes)
        for key in notation.readout:
            if key in net.params:
                named[key] = np.zeros_like(net.params[key])
    for key, state in notation.states.items():
        g = init[state]
        # a state shared by the examples of a batch gathers the gradient of each
        named[key] = g.sum(axis=0) if g.ndim > net.params[key].ndim else g
    linear = output_of(p) == "linear"
    values = {}
    embedding = []
    if p.tokens is not None:
        key = notation.embedding
        named[key] = np.zeros_like(net.params[key])
        np.add.at(named[key], p.tokens, np.asarray(d_x, dtype=float))
        embedding = [key]
    readout_keys = [k for k in notation.readout if k in notation.params]
    order = [k for k in notation.params if k not in readout_keys] + readout_keys + embedding
    order = [k for k in order if k in named]     # a stack's layers leave the read-out out
    for key in order + list(notation.states):
        eq = cell.gradient_eq.get(key)
        if eq is None:
            eq = "carried back to the initial state" if key in notation.states else \
                "Σ_t dE/dx_t into the row of token x_t" if key in embedding else \
                "Σ_t over the steps"
        elif linear:
            eq = eq.replace("du_t", "dy_t")
        values[f"dE/d{key}"] = work.q(f"dE/d{key}", named[key], phase="gradient", eq=eq)
    return values


def _finish(p, cell: Cell, values: dict, seqs: dict, ys) -> tuple[dict, tuple, str]:
    notation = p.network.notation
    per_step = ["dE/dh", "dE/dy", "dE/dx"] + [k for k in ("dE/dz", "dE/dc") if k in values]
    state_key = notation.key("h")
    if state_key != "h":
        values[f"dE/d{state_key}"] = values["dE/dh"]
        per_step.append(f"dE/d{state_key}")
    for key, seq in _quantities(p, cell, seqs).items():
        values.setdefault(key, seq)
        per_step.append(key)
    if ys is not None:
        values.setdefault("y", ys)
        per_step.append("y")
    return values, tuple(per_step), cell.default_gradient


def jacobians(p, work: Work):
    """The state Jacobians d(state_t)/d(state_{t-1}) for t = 1 ... T-1, with their labels."""
    fp = forward(p, work)
    S = fp.ctx.S
    joint = len(fp.cell.states) > 1
    jac, labels = [], []
    for i in range(1, len(fp.caches)):
        t = i + fp.ctx.first
        J = fp.cell.jacobian(fp.P, fp.caches[i])
        jac.append(J)
        if joint:
            labels.append(f"d(h_{t}, c_{t})/d(h_{t - 1}, c_{t - 1})")
        else:
            labels.append(f"d{S('h', t)}/d{S('h', t - 1)}")
        if J.size == 1:
            work.note(labels[-1], float(J.reshape(-1)[0]), t=t, phase="factor",
                      eq="the state's derivative")
        else:
            work.note(labels[-1], J, t=t, phase="factor", eq="the state's Jacobian")
    return jac, labels


# ---------------------------------------------------------------- vectorised


def scannable(p) -> bool:
    """Whether the vectorised path gives this problem's answer: exact arithmetic, the
    computed values (not the exercise's given ones), no slip committed."""
    return p.network is not None and p.round == "none" and not p.given and p.truncate is None


def scan_values(p) -> tuple[dict, tuple, str]:
    """The same quantities as the working's, from the vectorised scan (exact arithmetic)."""
    cell = cell_for(p.cell)
    P, init, opts = canonical(p), initial(p), options(p)
    X = inputs(p, P)
    fwd = feedback.scan(p, cell, P, X, init, opts) if p.feedback else \
        cell.scan(P, X, init, **opts)
    readout = reads_out(p)
    Y = ACTIVATIONS[output_of(p)][0](fwd["h"] @ P["W_hy"].T + P["b_y"]) if readout else None
    seqs = {q: fwd[q] for q in cell.quantities}
    if p.type != "backprop" and p.ask.quantity == "jacobian":
        return forward_values(p, Work(record=False))      # a product of the steps' Jacobians
    if p.type != "backprop":
        values = _quantities(p, cell, seqs)
        values["y"] = Y if Y is not None else fwd["h"]
        default = "y" if p.type == "forward" else p.network.notation.key("h")
        return values, tuple(values), default
    Yl = Y if readout else fwd["h"]
    extra = {}
    if p.upstream is not None:
        E_t, DY = None, p.upstream["h"]
        DU, DH, readout = DY, DY, False
        if "c" in p.upstream:
            extra["DC_last"] = p.upstream["c"]
    else:
        TG, mask = _targets(p, Yl)
        U = fwd["h"] @ P["W_hy"].T + P["b_y"] if readout else None
        E_t, DY, DU = losses(Yl, TG, mask, output_of(p) if readout else "linear", p.loss, U)
        scale, _ = reduction(p, mask)
        E_t, DY, DU = E_t * scale, DY * scale, DU * scale
        DH = DU @ P["W_hy"] if readout else DY
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
    values.update(_named_gradients(p, cell, grads, back["init"], Work(record=False), readout,
                                   back["dE/dx"]))
    return _finish(p, cell, values, seqs, Y)

