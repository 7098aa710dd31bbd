"""What `backprop` adds after BPTT (SPEC 1.1): the global norm of the parameter gradients
(`grad_norm`), clipping (`clip: {norm: θ}` or `{value: θ}`), and the perplexity of a
cross-entropy loss.

    ‖g‖ = sqrt(Σ_keys Σ g²)   over every weight and bias key of the file's notation
    norm θ:  g ← g·θ/‖g‖ when ‖g‖ > θ (d2l 9.5, Goodfellow 10.11)
    value θ: g ← clip(g, -θ, θ), element by element (deeplearning.ai, min-char-rnn)
    perplexity = exp(Σ loss terms / number of loss terms)
"""

from __future__ import annotations

import math

import numpy as np

from ..trace import extremes


def add_norms(p, values: dict, work) -> list[str]:
    """Put grad_norm, the clipped gradients and the perplexity into `values`; notes to show."""
    notes = []
    notation = p.network.notation
    asked = p.ask.quantity
    quiet = type(work)(record=False)        # computed always, written out where it matters
    keys = [k for k in notation.params if f"dE/d{k}" in values]
    # a stack's norm runs over every layer and direction, not only the one asked about
    every = values.pop("_gradients", None)
    if keys or every:
        # scaled by the largest entry, so squares past float64 neither overflow nor vanish
        parts = extremes.norm_parts([np.asarray(g, dtype=float) for g in (
            every if every is not None else [values[f"dE/d{k}"] for k in keys])])
        with np.errstate(over="ignore"):
            total = float(np.float64(parts[0]) * parts[1])
        shown = work if p.clip is not None or asked == "grad_norm" else quiet
        values["grad_norm"] = shown.note(
            "‖g‖", total, phase="clip", eq="sqrt(Σ over every weight and bias of Σ g²)",
            note="the global norm, before any clipping")
    if p.clip is not None:
        notes.append(_clip(p, values, keys, work, parts if keys or every else (1.0, 0.0)))
    if p.loss == "cross_entropy" and "E" in values:
        terms = int(np.sum(p.mask))        # E comes with targets, and so does the mask
        if terms:
            total = float(values["E"]) * _unreduced(p, terms)
            values["perplexity"] = (work if asked == "perplexity" else quiet).note(
                "perplexity", extremes.exp(total / terms), phase="loss",
                eq="exp(Σ loss terms / number of loss terms)",
                sub="exp({} / {})", args=(total, terms))
    return notes


def _unreduced(p, terms: int) -> float:
    """What E was divided by: 1 (sum), the number of loss terms (mean), N (batch_mean)."""
    if p.reduction == "mean":
        return float(terms)
    if p.reduction == "batch_mean" and p.batch:
        return float(p.batch)
    return 1.0


def _clip(p, values: dict, keys: list[str], work, parts: tuple[float, float]) -> str:
    kind, theta = p.clip
    if kind == "norm":
        norm = values["grad_norm"]
        scale = theta / norm if norm > theta else 1.0
        work.note("scale", scale, phase="clip", eq="θ/‖g‖ if ‖g‖ > θ else 1",
                  sub="{}/{}" if scale != 1.0 else "", args=(theta, norm) if scale != 1.0 else (),
                  note=f"the norm {'exceeds' if scale != 1.0 else 'is within'} θ = {theta:g}")
    for k in keys:
        g = np.asarray(values[f"dE/d{k}"], dtype=float)
        if kind == "norm":
            s, r = parts       # ‖g‖ = s·r: θ·((g/s)/r) holds where θ/‖g‖ underflows
            clipped = g * scale if scale == 1.0 or 1e-300 < scale else theta * ((g / s) / r)
            if not math.isfinite(s):     # a gradient overflowed: no clipped value is known
                clipped = np.full_like(g, math.nan)
        else:
            clipped = np.clip(g, -theta, theta)
        values[f"dE/d{k}"] = work.q(f"dE/d{k} (clipped)", clipped, phase="clip",
                                    eq=f"dE/d{k}·θ/‖g‖" if kind == "norm" else
                                    f"clip(dE/d{k}, -θ, θ)")
    return (f"the parameter gradients asked for are clipped ({kind} {theta:g}); grad_norm is "
            "the norm before clipping")
