"""What a question must state so that a student can answer it without guessing: the cell's
equations as the notation writes them, how the steps are counted, the rounding, the digits.

The equations are read off the working of the first step (so they are the ones the answer was
computed with, GRU convention and all), with the step written as t.
"""

from __future__ import annotations

import re
from ..types import TYPES

# a symbol's step: h_{-1}, x_0, c<1> (not the 0.5 of a number, nor a subscript such as W_hh)
_SUB = re.compile(r"(?<=[A-Za-z\u0303)])_(\{-?\d+\}|\d+)(?![\w.{])")
_STEP = re.compile(r"(?<=[A-Za-z\u0303])<(-?\d+)>")
# x(1), the echo state network's; Hagan's a(1), and a layer's n^1(1), a^2(0) (not the delay
# of iw^{1,1}(0))
_ARG = re.compile(r"(?<=[A-Za-z\u0303])(\^\d+)?\((-?\d+)\)")


def _as_t(text: str, first: int) -> str:
    """The equation of step `first` written for any step t."""
    def name(n: int) -> str:
        return "t" if n == first else f"t{n - first:+d}"

    def sub(m: re.Match) -> str:
        n = int(m[1].strip("{}"))
        t = name(n)
        return f"_{t}" if t == "t" else f"_{{{t}}}"
    text = _ARG.sub(lambda m: f"{m[1] or ''}({name(int(m[2]))})", text)
    return _STEP.sub(lambda m: f"<{name(int(m[1]))}>", _SUB.sub(sub, text))


def equations(r) -> list[str]:
    """The forward equations of one step, each pre-activation z^… written into its gate."""
    from ..render.working import step_equation   # noqa: PLC0415 (equations only)
    p = r.problem
    if p.network is None or getattr(p, "stack", None) is not None:
        return []
    first = p.first
    eqs: list[tuple[str, str]] = []
    for s in r.steps:
        if s.t != first or s.phase != "forward":
            continue
        lhs, sep, rhs = step_equation(s).partition(" = ")
        if sep:
            eqs.append((lhs.strip(), rhs.strip()))
    pre = {lhs: rhs for lhs, rhs in eqs if lhs.startswith("z^")}
    out = []
    for lhs, rhs in eqs:
        if lhs in pre:
            continue
        for z, body in pre.items():        # u_0 = σ(z^u_0) -> u_0 = σ(W_uh·h_{-1} + ...)
            rhs = rhs.replace(f"({z})", f"({body})")
        out.append(_as_t(f"{lhs} = {rhs}", first))
    return out


_LOSS = {"squared": "The loss is E = 1/2 Σ_t Σ_k (y_tk - target_tk)², over the steps with a "
                    "target.",
         "sse": "The loss is Hagan's sum of squared errors E = Σ_t e_tᵀe_t, e_t = y_t - "
                "target_t, without the 1/2, over the steps with a target.",
         "cross_entropy": "The loss is the cross-entropy E = -Σ_t Σ_k target_tk log y_tk (natural "
                          "log), over the steps with a target."}
_REDUCTION = {"mean": " E is then divided by the number of loss terms.",
              "batch_mean": " E is then divided by the number of examples."}


# Hagan's performance index in his own symbols (the working's): F, e(t), his targets t(t)
_HAGAN_LOSS = {"sse": "The loss is Hagan's performance index, the sum of squared errors "
                      "F = Σ_t e(t)ᵀe(t), e(t) = t(t) - {a}, without the 1/2, over the steps "
                      "with a target.",
               "squared": "The loss is F = 1/2 Σ_t e(t)ᵀe(t), e(t) = t(t) - {a}, over the "
                          "steps with a target."}


def _hagan_loss(p, r) -> str:
    """Hagan's loss sentence, its error against the last layer's a(t) (a^2(t) of two layers)
    as the working writes it."""
    e = next((s for s in r.steps if s.phase == "loss" and s.symbol.startswith("e(")), None)
    a = e.equation.partition(" - ")[2] if e is not None and " - " in e.equation else \
        p.network.notation.symbol("h", p.first)
    return _HAGAN_LOSS[p.loss].replace("{a}", _as_t(a, e.t if e is not None else p.first))


def statement(p, r) -> str:
    """The sentences a question adds before its ask: the equations, the steps, the rounding."""
    return "" if p.network is None or r is None else " ".join(_network(p, r))


def decimals(d: int | None) -> str:
    """The sentence after the ask: every decimal written (0.5 is 0.500 at 3 decimals)."""
    return f"Write all {d} decimals, trailing zeros kept (0.5 is {0.5:.{d}f})." if d else ""


def _network(p, r) -> list[str]:
    parts = []
    eqs = equations(r)
    if eqs:
        parts.append("At each step t it computes " + "; ".join(eqs) + ".")
    layout = p.data.get("layout") if isinstance(p.data, dict) else None
    if isinstance(layout, dict) and layout.get("gate_order"):     # which block is which gate
        parts.append(f"The stacked matrices hold the gates in the order "
                     f"{', '.join(map(str, layout['gate_order']))}.")
    n = p.network.notation
    first = p.first
    state = next(iter(n.states.values()), "h") if n.states else "h"
    key = next(iter(n.states), "h_init") if n.states else "h_init"
    x0, h0 = n.sub(n.x, first), n.symbol(state, first - 1)
    if getattr(p.network, "engine", None) == "lddn":
        from ..cells.lddn import Names   # noqa: PLC0415 (Hagan's layers only)
        if Names(p.detail).many:        # each layer m its own a^m(0), as the equations write
            h0, key = h0.replace("(", "^m(", 1), f"layer m's {key}"
    if n.states:
        parts.append(f"Steps are counted from {first}: {x0} is the first input and {h0} = "
                     f"{key} the initial state (0 where not given).")
    else:                               # no initial-state key: it is 0 (an echo state network)
        parts.append(f"Steps are counted from {first}: {x0} is the first input and {h0} = 0.")
    if p.targets is not None and p.upstream is None:     # targets: a gradient type's key
        loss = _hagan_loss(p, r) if n.name == "hagan" and p.loss in _HAGAN_LOSS else \
            _LOSS.get(p.loss, "")
        parts.append(loss + _REDUCTION.get(p.reduction, "").replace(" E ", f" {n.key('E')} "))
    if p.tie or p.state_decay or p.regularization:
        from .training import sentences   # noqa: PLC0415 (start-up: few files)
        parts += sentences(p)
    if p.round == "none":
        parts.append("Nothing is rounded along the way.")
    return parts


def given_words(p) -> str:
    """What an exercise without a network gives, in words: the type's `given(p)` hook."""
    given = getattr(TYPES[p.type], "given", None)
    return given(p) if given else ""


def asked_words(p, q: str) -> str:
    """`probability` -> `the probability of the sequence it finds` (the type's
    `asked_words(q, p)` hook; `p` for words that depend on the problem, as shapes'); a
    gradient's name stays."""
    words = getattr(TYPES[p.type], "asked_words", None)
    return words(q, p) if words else q
