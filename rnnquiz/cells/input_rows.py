"""dE/dx_t, when it is the answer, written a row a step: through the input weights of one
layer (run.py), or summed over the directions of a stack's bottom layer (layers.py)."""

from __future__ import annotations

import numpy as np

from .base import Ctx, pre_letter
from .batch_form import examples_as_rows


def input_gradients(p, P, ctx: Ctx, d_x: list, d_z: list) -> list:
    """dE/dx_t at every step, each a row: W_xhᵀ·dE/dz_t for the simple RNN (dE/dz_t·W_xh for
    a batch's rows, as 11-785's `dx = np.dot(dz, self.W_ih)`), the sum over the gates for a
    gated cell."""
    out = []
    notation = ctx.notation
    W, dE = notation.file_names.get("W_xh", "W_xh"), ctx.dE
    for i, dx in enumerate(d_x):
        t = i + ctx.first
        x, z = ctx.S("x", t), ctx.S("z", t)
        if p.cell != "rnn" or d_z[i] is None:
            eq, sub, args = f"Σ_k W_kxᵀ·{dE}{pre_letter(notation)}^k_{t}, over the gates k", "", ()
        elif notation.layout == "row":
            eq, sub, args = f"{dE}{z}·{W}ᵀ", "{}·{}", (d_z[i], ctx.params.get(W, P["W_xh"].T))
        elif examples_as_rows(p, notation):
            eq, sub, args = f"{dE}{z}·{W}", "{}·{}", (d_z[i], P["W_xh"])
        else:
            eq, sub, args = f"{W}ᵀ·{dE}{z}", "{}·{}", (P["W_xh"].T, d_z[i])
        out.append(ctx.work.q(f"{dE}{x}", dx, t=t, phase="backward", eq=eq, sub=sub,
                              args=args))
    return out


def stack_rows(p, out: dict, total, work, dE: str = "dE/d") -> None:
    """dE/dx_t, the answer, a row a step: what the bottom layer's directions carry back
    (`dE`: how the gradients' names begin, Ctx.dE)."""
    from .marks import layer_tag   # noqa: PLC0415 (only the layers of a stack)
    stack = p.stack
    notation = stack.layers[0]["forward"].notation
    parts = [f"from h^({layer_tag(stack, 1, d)})" for d in stack.directions]
    for i in range(p.T):
        t = i + p.first
        args = tuple(np.asarray(out[(1, d)]["dE/dx"][i], dtype=float) for d in stack.directions)
        work.q(f"{dE}{notation.symbol('x', t)}", total[i], t=t, phase="backward",
               eq=" + ".join(parts), sub=" + ".join(["{}"] * len(args)), args=args,
               note="what layer 1's input weights carry back" if i == p.T - 1 else "")
