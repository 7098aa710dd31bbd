"""The loss in a notation that names it otherwise: Hagan's performance index (Neural Network
Design, ch. 14), written in his symbols for a network of plain weights as cells/lddn.py writes
it for tapped delay lines:

    e(t) = t(t) - a(t)        F = Σ_t e(t)ᵀe(t)   (loss: squared: 1/2 Σ_t e(t)ᵀe(t))
    dF/da(t) = -2e(t) + lw·dF/dn(t+1)            (squared: -e(t))

and every gradient of the working dF/d…, not dE/d…: the runners that write this loss set
`Ctx.loss` to `own_loss` (run.py, rtrl_run.py, stack.py), and each line takes its gradient's
name from there (`Ctx.dE`). The values are the loss's (cells/loss.py).
"""

from __future__ import annotations

import numpy as np

from . import loss
from .base import Term


def own_loss(notation) -> str | None:
    """The loss's own name in the notation (Hagan's F), None where it is E."""
    F = notation.key("E") if notation is not None else "E"
    return None if F == "E" else F


def applies(p, notation, readout: bool) -> bool:
    """Written in the notation's own names: a loss named otherwise, on the state itself."""
    return (own_loss(notation) is not None and not readout and p.upstream is None
            and p.loss in ("sse", "squared"))


def _why(why: str) -> str:
    return f"{why}·" if why else ""


def working(p, Y, ctx, state=None):
    """(F, dF/da(t) from the loss, the same: no read-out) as loss.working returns them, with
    e(t) at every step with a target, then F. `state(t)` writes a(t) (a stack's top layer:
    a^(2)(t))."""
    E_t, DY, _, _, why, TG, mask = loss.reduced(p, Y, "linear")
    work, F = ctx.work, own_loss(ctx.notation)
    state = state or (lambda t: ctx.S("h", t))
    for i in range(len(Y)):
        if np.any(mask[i]):
            error(work, i + ctx.first, TG[i], Y[i], state(i + ctx.first))
    E = index(work, F, float(np.sum(E_t)), p.loss == "sse", why)
    return E, list(DY), list(DY)


def error(work, t: int, target, a, a_name: str):
    """e(t) = t(t) - a(t), written at step t (here and in cells/lddn.py's delay lines)."""
    return work.q(f"e({t})", target - a, t=t, phase="loss", eq=f"t({t}) - {a_name}",
                  sub="{} - {}", args=(target, a))


def index(work, F: str, value: float, sse: bool, why: str) -> float:
    """The performance index F = Σ_t e(t)ᵀe(t) (with the 1/2 under loss: squared), written
    after the e(t) (here and in cells/lddn.py's delay lines)."""
    eq = "Σ_t e(t)ᵀe(t)" if sse else "1/2 Σ_t e(t)ᵀe(t)"
    return work.note(F, value, phase="loss", eq=f"{_why(why)}{eq}",
                     note="Hagan's performance index (the sum of squared errors, no 1/2)"
                     if sse else "loss: squared: with the 1/2")


def output_term(p, i: int, t: int, dE_dy) -> Term:
    """The loss's term of dF/da(t): -2e(t) (-e(t) with the 1/2)."""
    why = loss.reduction(p, p.mask)[1]
    two = "2" if p.loss == "sse" else ""
    return Term(dE_dy[i], f"{_why(why)}-{two}e({t})", "{}", (dE_dy[i],))
