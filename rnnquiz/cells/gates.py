"""One gate of a cell, written in the file's notation: its pre-activation, then the gate."""

from __future__ import annotations

import numpy as np

from ..trace import Work


def symbols(notation):
    """S(quantity, t): the working's symbol of a canonical quantity at step t (f_1, Γ_f<1>)."""
    return notation.symbol


def pre_symbol(notation, name: str, t: int) -> str:
    """The pre-activation of a gate: z^f_1, z^Γ_f<1>."""
    return notation.sub(f"z^{notation.names.get(name, (name, name))[1]}", t)


def gate_step(work: Work, notation, name: str, t: int, value, fsym: str, fn, tag: str,
              params: dict, canon: dict, h_prev, x, note: str = "", state_in=None,
              convention: str = "ng"):
    """z = (the notation's pre-activation), then gate = fn(z); both named and rounded."""
    eq, sub, args = notation.pre(name, params, canon, h_prev, x, t, state_in, convention)
    zsym = pre_symbol(notation, name, t)
    z = work.q(zsym, value, t=t, phase="forward", eq=eq, sub=sub, args=args)
    return work.q(notation.symbol(name, t), fn(z), t=t, phase="forward", tags=(tag,),
                  eq=f"{fsym}({zsym})", sub=f"{fsym}({{}})", args=(z,), note=note)


def accumulate(grads: dict, canon: dict, keys: tuple[str, str, str], dz, h_prev, x):
    """Add one gate's delta dE/dz_t to its weights' and bias's gradients, and return
    W_hᵀ dE/dz_t, what the gate passes back to dE/dh_{t-1}.

        dE/dW_h += dE/dz_t h_{t-1}ᵀ      dE/dW_x += dE/dz_t x_tᵀ      dE/db += dE/dz_t
    """
    W_h, W_x, b = keys
    grads[W_h] += np.outer(dz, h_prev)
    grads[W_x] += np.outer(dz, x)
    grads[b] += dz
    return canon[W_h].T @ dz
