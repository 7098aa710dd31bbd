"""Truncated BPTT with the working (SPEC 1.1, `truncate: k`): each loss term's gradient carried
back through at most k state transitions, the sums as the working shows them.
"""

from __future__ import annotations

import numpy as np

from ..trace import Work
from .base import Ctx, term_sum


def truncated(p, fp, out_term, grads: dict, shown: dict, d_z: list, d_x: list) -> dict:
    """Truncated BPTT (SPEC 1.1): the gradient of each loss term carried back through at most
    k state transitions. Backprop is linear in what arrives from the output, so each term is
    carried back on its own and the sums are what the working shows (k = 0: h_{t-1} is
    detached)."""
    cell, P, ctx, caches = fp.cell, fp.P, fp.ctx, fp.caches
    k, T = p.truncate, len(caches)
    quiet = Ctx(work=Work(record=False), notation=ctx.notation, params=ctx.params,
                convention=ctx.convention, words=ctx.words, loss=ctx.loss)
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
                    init[s] = init[s] + term_sum(pending[s])
    # the answer's rows: dE/dh_t, and dE/dz_t or dE/dc_t when they are asked
    asked = {"dE/dz": ("z", d_z), "dE/dc": ("c", shown.get("c"))}.get(p.ask.quantity)
    for i in range(T):
        t = i + ctx.first
        span = f"Σ over the loss terms at steps {t} … {min(t + k, T - 1 + ctx.first)}"
        ctx.work.q(f"{ctx.dE}{ctx.S('h', t)}", shown["h"][i], t=t, phase="backward", eq=span,
                   note=f"truncate: {k}: each term's gradient stops after {k} step"
                        f"{'s' if k != 1 else ''} back" if i == T - 1 else "")
        if asked is not None and asked[1] is not None and asked[1][i] is not None:
            ctx.work.q(f"{ctx.dE}{ctx.S(asked[0], t)}", asked[1][i], t=t, phase="backward",
                       eq=span)
    return {s: np.zeros_like(fp.init[s]) if isinstance(init[s], float) else init[s]
            for s in cell.states}
