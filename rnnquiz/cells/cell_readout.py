"""The read-out of the LSTM's cell state (SPEC 1.15): y_c = W_cy c_t + b_cy at every step, or
once of the last cell states with `readout: last`, both directions' concatenated
(y_c = W_cy [→c_{T-1}; ←c_0] + b_cy, CS224n's `c_projection` of the encoder's final cell
states, the decoder's first cell state). The loss reads y (from h), never y_c, so E does not
depend on W_cy or b_cy: their gradients are 0, said so in the working.
"""

from __future__ import annotations

import numpy as np

from .readout import total_input


def _line(p, work, symbol: str, c, c_sym: str, t=None):
    r = p.cell_readout
    y = total_input({"W_hy": r.W, "b_y": r.b}, np.asarray(c, dtype=float))   # the same map
    if work is None:
        return y
    # the file writes rows (c_t·W_cy) or columns; a bias only where it gives one (CS224n's
    # c_projection has none)
    eq, args = (f"{c_sym}·W_cy", (c, r.W.T)) if r.row else (f"W_cy·{c_sym}", (r.W, c))
    bias = "b_cy" in r.given
    return work.q(symbol, y, t=t, phase="forward", eq=eq + (" + b_cy" if bias else ""),
                  sub="{}·{}" + (" + {}" if bias else ""), args=args + ((r.b,) if bias else ()))


def add(p, out: tuple, C, ctx, gradients: bool) -> tuple:
    """A one-layer run's (values, per_step, default) with y_c at every step added (and with
    BPTT dE/dW_cy, dE/db_cy)."""
    values, per_step, default = out
    work = ctx.work if ctx is not None else None
    S = ctx.S if ctx is not None else p.network.notation.symbol
    values["y_c"] = every(p, C, work, S, p.network.notation.first)
    if gradients:
        values.update(gradients_of(p, work))
    return values, (*per_step, "y_c"), default


def add_stack(p, seqs: dict, out: tuple, work, gradients: bool) -> tuple:
    """A stack's (values, per_step, default) with y_c of its top layer's cell states added:
    once with `readout: last`, else at every step."""
    values, per_step, default = out
    stack = p.stack
    top = len(stack.layers)
    notation = stack.layers[-1]["forward"].notation
    S, first = notation.symbol, notation.first
    fw = seqs[(top, "forward")]["c"]
    bw = seqs[(top, "backward")]["c"] if (top, "backward") in seqs else None
    if stack.last:          # the backward direction's last cell state is ←c at the first step
        values["y_c"] = last(p, fw[-1], None if bw is None else bw[-1], work, S, first, p.T)
    else:
        C = fw if bw is None else [np.concatenate([f, b], axis=-1) for f, b in zip(fw, bw[::-1])]
        values["y_c"] = every(p, C, work, S, first)
        per_step = (*per_step, "y_c")
    if gradients:
        values.update(gradients_of(p, work))
    return values, per_step, default


def every(p, C, work, S, first: int) -> list:
    """y_c at every step, from each step's cell state (both directions' concatenated)."""
    return [_line(p, work, S("y_c", i + first), c, S("c", i + first), t=i + first)
            for i, c in enumerate(C)]


def last(p, forward, backward, work, S, first: int, T: int):
    """y_c once, of [→c_{T-1}; ←c_0] (the forward direction's last cell state alone when the
    network runs one way)."""
    end = S("c", T - 1 + first)
    if backward is None:
        return _line(p, work, "y_c", forward, end)
    return _line(p, work, "y_c", np.concatenate([forward, backward], axis=-1),
                 f"[→{end}; ←{S('c', first)}]")


def gradients_of(p, work) -> dict:
    r = p.cell_readout
    out = {"dE/dW_cy": np.zeros((r.W.T if r.row else r.W).shape), "dE/db_cy": np.zeros(r.b.shape)}
    out = {k: v for k, v in out.items() if k[4:] in r.given}
    if work is not None:
        for key, value in out.items():
            out[key] = work.q(key, value, phase="gradient",
                              eq="0: E reads y, not y_c (the loss is on the outputs)")
    return out
