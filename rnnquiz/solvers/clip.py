"""`clip`: gradient clipping by value or by the global norm (SPEC 1.11).

    value θ:  g_i ← clip(g_i, -θ, θ), entry by entry            (deeplearning.ai's clip())
    norm θ:   ‖g‖ = sqrt(Σ_i ‖g_i‖²);  g_i ← min(1, θ/‖g‖)·g_i  (d2l 9.5; one factor for all)
"""

from __future__ import annotations

import math

import numpy as np

from .. import extremes
from . import Outcome, solver

SMALLEST = 2.2250738585072014e-308   # below it a float64 loses digits (subnormal)
SHOWN = 6          # a gradient's squares are written out up to this many entries


def _shaped(arr: np.ndarray, shape):
    return float(arr.reshape(-1)[0]) if shape is None else arr.reshape(shape).tolist()


def _squares(work, name: str, g: np.ndarray, s: float = 1.0) -> float:
    flat = g.reshape(-1)
    sq = extremes.sum_squares(flat, s)
    shown = name if s == 1.0 else f"{name}/s"
    if flat.size <= SHOWN:
        sub = " + ".join(["{}²"] * flat.size)
        args = tuple(float(x) / s for x in flat)
    else:
        sub, args = f"the sum of the {flat.size} squares", ()
    return work.note(f"‖{shown}‖²", sq, eq=f"Σ ({shown})²" if s != 1.0 else f"Σ {name}²",
                     sub=sub, args=args, phase="global norm")


def global_norm(work, grads: dict[str, np.ndarray]) -> tuple[float, float, float]:
    """‖g‖ = sqrt(Σ_i ‖g_i‖²), each term shown, then the sum with its numbers.

    Returns (‖g‖, s, r) with ‖g‖ = s·r: past squares that float64 holds (an entry beyond
    1e150 or all below 1e-150) every entry is first divided by s = max |g|, as LAPACK's
    dnrm2 does, so that neither the squares overflow nor they vanish."""
    s = extremes.largest(grads.values())
    scaled = extremes.needs_scaling(s)
    if scaled:
        work.note("s", s, eq="max |g|", phase="global norm",
                  note="the largest entry: the squares of these numbers would "
                       + ("overflow" if s > 1 else "underflow") + " float64, so the "
                       "gradients are divided by s first")
    else:
        s = 1.0
    squares = [_squares(work, name, g, s) for name, g in grads.items()]
    root = math.sqrt(math.fsum(squares))
    names = " + ".join(f"‖{n}/s‖²" if scaled else f"‖{n}‖²" for n in grads)
    sub = "sqrt(" + " + ".join(["{}"] * len(squares)) + ")"
    if scaled:
        with np.errstate(over="ignore"):
            norm = float(np.float64(s) * root)
        work.note("‖g‖", norm, eq=f"s·sqrt({names})", sub="{}·" + sub, args=(s, *squares),
                  phase="global norm",
                  note="the L2 norm of all the gradients stacked into one vector")
        return norm, s, root
    norm = root
    work.note("‖g‖", norm, eq=f"sqrt({names})", sub=sub, args=tuple(squares),
              phase="global norm", note="the L2 norm of all the gradients stacked into one vector")
    return norm, 1.0, root


@solver("clip")
def solve_clip(p, work) -> Outcome:
    c = p.detail
    theta = c.theta
    for name, g in c.gradients.items():
        work.note(name, g, phase="given")
    clipped: dict[str, np.ndarray] = {}
    norm = None
    if c.method == "norm" or p.ask.quantity == "norm":
        norm, s, root = global_norm(work, c.gradients)
    if c.method == "value":
        for name, g in c.gradients.items():
            out = np.clip(g, -theta, theta)
            n = int(np.count_nonzero(out != g))
            clipped[name] = work.note(
                f"clipped {name}", out, eq=f"clip({name}, -θ, θ)", sub=f"clip({name}, -{{}}, {{}})",
                args=(theta, theta), phase="clipped gradients",
                note=f"{n} of {g.size} entries beyond ±{theta:g} set to the bound" if n
                else f"every entry within ±{theta:g}: unchanged")
    elif "own_norm" in work.variants:
        # the slip: each gradient scaled by its own norm, as if it were alone
        for name, g in c.gradients.items():
            own = extremes.norm([g])
            scale = min(1.0, theta / own) if own > 0 else 1.0
            kept = scale * g if scale == 1.0 or scale >= SMALLEST else theta * (g / own)
            clipped[name] = work.note(f"clipped {name}", kept, eq=f"min(1, θ/‖{name}‖)·{name}",
                                      sub=f"min(1, {{}}/{{}})·{name}", args=(theta, own),
                                      phase="clipped gradients")
    elif norm > theta:
        scale = work.note("θ/‖g‖", theta / norm, eq="θ/‖g‖", sub="{}/{}", args=(theta, norm),
                          phase="clipped gradients", note=f"‖g‖ > θ = {theta:g}: every gradient "
                                                          "is scaled by this one factor")
        for name, g in c.gradients.items():
            # θ·((g/s)/r) is θ/‖g‖·g without the overflow of ‖g‖ or the underflow of θ/‖g‖
            exact = theta * ((g / s) / root) if s != 1.0 or scale < SMALLEST else scale * g
            clipped[name] = work.note(f"clipped {name}", exact, eq=f"(θ/‖g‖)·{name}",
                                      sub=f"{{}}·{name}", args=(scale,), phase="clipped gradients")
    else:
        work.note("θ/‖g‖", "no clipping", eq="min(1, θ/‖g‖) = 1", phase="clipped gradients",
                  note=f"‖g‖ = {norm:.6g} ≤ θ = {theta:g}: every gradient is unchanged")
        clipped = dict(c.gradients)
    values = {name: _shaped(v, c.written[name]) for name, v in clipped.items()}
    values["clipped"] = dict(values)
    if norm is not None:
        values["norm"] = norm
    default = next(iter(c.gradients)) if len(c.gradients) == 1 else "clipped"
    notes = []
    if c.method == "norm" and norm > theta:
        notes.append("PyTorch's clip_grad_norm_ divides by ‖g‖ + 1e-6: its clipped values are "
                     "smaller than these by a relative 1e-6/‖g‖")
    return Outcome(values=values, default=default, notes=notes)
