"""The read-out, written once: every cell's output y_t and what it sends back.

    u_t = W_hy h_t + b_y            y_t = output(u_t)      (output: linear, σ, tanh, softmax)
    dE/dh_t  += W_hyᵀ dE/du_t       (dE/du_t = output'(u_t)ᵀ dE/dy_t: cells/loss.py)
    dE/dW_hy  = Σ_t dE/du_t h_tᵀ    dE/db_y = Σ_t dE/du_t    (summed over a batch's examples too)

A network without read-out keys reads its state: y_t = h_t (SPEC 1.6).
"""

from __future__ import annotations

import numpy as np

from .activations import ACTIVATIONS
from .base import Ctx, Term, batch_sum, outer_sum
from .batch_form import examples_as_rows


def reads_out(p) -> bool:
    """y_t = output(W_hy h_t + b_y), or the state itself (cells without read-out keys)."""
    return p.network.has_output or p.network.notation.always_reads_out


def output_of(p) -> str:
    return p.network.words.get("output", "linear")


def total_input(P: dict, h) -> np.ndarray:
    """u_t = W_hy h_t + b_y, the output's total input (derivatives are taken there); h: one
    state, a batch's rows or every step's."""
    return h @ P["W_hy"].T + P["b_y"]


def outputs(P: dict, h, output: str) -> np.ndarray:
    """y_t = output(W_hy h_t + b_y)."""
    return ACTIVATIONS[output][0](total_input(P, h))


def to_state(P: dict, DU) -> np.ndarray:
    """W_hyᵀ dE/du_t (every step's at once): what the read-out sends back to h_t."""
    return DU @ P["W_hy"]


def gradients(DU, H) -> tuple[np.ndarray, np.ndarray]:
    """(dE/dW_hy, dE/db_y) = (Σ_t dE/du_t h_tᵀ, Σ_t dE/du_t), the steps stacked in arrays."""
    return outer_sum(DU, H), batch_sum(DU)


def step_gradients(dE_du: list, H: list) -> tuple[np.ndarray, np.ndarray]:
    """The same sums taken step by step, in the working's order."""
    return (sum(outer_sum(d, h) for d, h in zip(dE_du, H)),
            sum(batch_sum(d) for d in dE_du))


def working(p, P, h, t, ctx: Ctx, h_sym: str | None = None):
    """y_t = output(W_hy h_t + b_y), written with the file's keys and layout (`h_sym`: what
    the state read is called, when it is not h_t)."""
    out = output_of(p)
    act, _, osym, otag = ACTIVATIONS[out]
    u = total_input(P, h)
    notation = ctx.notation
    W, b = notation.readout
    Wv, bv = ctx.params.get(W, P["W_hy"]), ctx.params.get(b, P["b_y"])
    rows = np.ndim(h) == 2 and examples_as_rows(p, notation)
    inner = total_input_eq(notation, h_sym or ctx.S("h", t), rows)
    if notation.layout == "row":
        args = (h, Wv, bv)
    elif rows:                                          # a batch's rows: h_t·W_hyᵀ
        args = (h, np.asarray(Wv).T, bv)
    else:
        args = (Wv, h, bv)
    y = ctx.S("y", t) if "y" in notation.names else f"y_{t}"
    if out == "linear":
        return ctx.work.q(y, u, t=t, phase="forward", eq=inner, sub="{}·{} + {}", args=args)
    return ctx.work.q(y, act(u), t=t, phase="forward", tags=(otag,),
                      eq=f"{osym}({inner})", sub=f"{osym}({{}}·{{}} + {{}})", args=args)


def total_input_eq(notation, h: str, rows: bool = False) -> str:
    """u_t = W_hy h_t + b_y in the file's read-out keys and layout: W·h_t + b, h_t·W + b in
    a row layout, h_t·Wᵀ + b for a batch's rows (`rows`)."""
    W, b = notation.readout or ("W_hy", "b_y")
    if notation.layout == "row":
        return f"{h}·{W} + {b}"
    return f"{h}·{W}ᵀ + {b}" if rows else f"{W}·{h} + {b}"


def term(p, i, t, dE_dy, dE_du, W_hy, readout: bool) -> Term:
    """The output's term of dE/dh_t as the working writes it: W_hyᵀ dE/du_t (dE/dy_t
    without a read-out)."""
    if not readout:
        return Term(dE_dy[i], f"dE/dy_{t}", "{}", (dE_dy[i],))
    d = "dE/dy" if output_of(p) == "linear" else "dE/du"
    notation = p.network.notation
    name = notation.readout[0] if notation.readout else "W_hy"
    if notation.layout == "row":
        return Term(dE_du[i] @ W_hy, f"{d}_{t}·{name}ᵀ", "{}·{}", (dE_du[i], W_hy))
    return Term(dE_du[i] @ W_hy, f"{name}·{d}_{t}", "{}·{}", (W_hy.T, dE_du[i]))
