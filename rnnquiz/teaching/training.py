"""What a question must say about tied weights, Jordan's decaying state units and the penalties
on the states (SPEC 1.15, 1.17), so that a student can answer it without guessing."""

from __future__ import annotations

from ..trace.numbers import fmt

_FED = {"output": "y_{t-1}", "target": "target_{t-1}", "argmax": "onehot(argmax y_{t-1})"}


def sentences(p) -> list[str]:
    """The sentences for the question's rules, in the order the computation meets them."""
    out = []
    for name, uses in getattr(p, "tie", {}).items():
        if len(uses) > 1:
            out.append(f"{name} is one parameter, used as {_and(uses)} (tied).")
        elif uses[0] != name:
            out.append(f"{name} is its {uses[0]}.")
    mu = getattr(p, "state_decay", 0.0)
    if mu and p.feedback:
        out.append(f"What is fed back is the state unit s_t = {fmt(mu)}·s_{{t-1}} + "
                   f"{_FED[p.feedback]}, with s = y_init at the first step.")
    reg = getattr(p, "regularization", {})
    if reg.get("ar") is not None or reg.get("tar") is not None:
        out.append(f"E adds {penalty_words(reg)}, after the loss's reduction.")
    if reg.get("information_flow") is not None:
        out.append(f"E also adds λ·Ω with λ = {fmt(reg['information_flow'])}, Pascanu's Ω = "
                   "Σ_t (‖(∂E/∂h_t)·∂h_t/∂h_{t-1}‖ / ‖∂E/∂h_t‖ - 1)² over the steps after the "
                   "first, ∂E/∂h_t the gradient of the rest of E.")
    return out


def penalty_words(reg: dict) -> str:
    """`the penalty AR + TAR, with AR = α·mean(h_t²) with α = 2 and ...` (no capital)."""
    parts = []
    if reg.get("ar") is not None:
        parts.append(f"AR = α·mean(h_t²), α = {fmt(reg['ar'])}")
    if reg.get("tar") is not None:
        parts.append(f"TAR = β·mean((h_t - h_{{t-1}})²), β = {fmt(reg['tar'])}, over the "
                     "pairs of consecutive computed states")
    means = " (means over every element)" if len(parts) > 1 else " (the mean over every element)"
    if len(parts) > 1:
        return "the penalty AR + TAR, with " + " and ".join(parts) + means
    return "the penalty " + parts[0] + means


def given_question(p, ask: str) -> str:
    """The penalty of given states, in words."""
    H = p.data["given"]["h"]
    return (f"A network's states are h = {', '.join(_value(e) for e in H)}, step by step. "
            f"It is charged {penalty_words(p.regularization)}. {ask}")


def _value(v) -> str:
    return "[" + ", ".join(_value(e) for e in v) + "]" if isinstance(v, list) else fmt(v)


def _and(words) -> str:
    words = list(words)
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
