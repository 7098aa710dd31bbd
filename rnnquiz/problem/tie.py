"""Tied weights (SPEC 1.15): one parameter used in several places, written once.

    tie: {h_h.weight: [weight_ih, weight_hh]}      network: {h_h.weight: [[...]], ...}

fast.ai's LMModel4 (fastbook ch. 12) runs one `nn.Linear` h_h as input-to-hidden and
hidden-to-hidden, `h = relu(h_h(h + i_h(x)))`; AWD-LSTM ties the embedding to the read-out. Each
use takes the tied parameter's value, and its gradient is the sum over the uses:

    dE/dW = Σ_uses dE/dW_use

A tied name is never a key of the notation (never taken for a read-out): it is replaced by its
uses before the network is read. Also read here, before the network: `network.state_decay`
(Jordan's state units, SPEC 1.17), a number that is no parameter.
"""

from __future__ import annotations

from ..errors import ProblemError
from .answers import shaped_param
from .values import error_at, shown_value, number


def untied(p, data: dict, cell, read) -> None:
    """network_problem (`read`) on the document with each tied name written at its uses, and
    `state_decay` taken out of the network; an error at a use is named at the tied key."""
    net = data.get("network")
    ties = _ties(data.get("tie"), net) if "tie" in data else {}
    decay = isinstance(net, dict) and "state_decay" in net
    if isinstance(net, dict):
        net = dict(net)
        if decay:
            p.state_decay = number(net.pop("state_decay"), ("network", "state_decay"),
                                   "a number (the decay μ of s_t = μ s_{t-1} + y_{t-1})")
        for name, uses in ties.items():
            value = net.pop(name)
            for use in uses:
                net[use] = value
    p.tie = ties
    try:
        read(p, {**{k: v for k, v in data.items() if k != "tie"}, "network": net}, cell)
    except ProblemError as err:
        use = err.keys[1] if len(err.keys) >= 2 and err.keys[0] == "network" else None
        owner = next((n for n, uses in ties.items() if use in uses and use != n), None)
        if owner is None:
            raise
        raise err.quoted(("network", owner) + err.keys[2:], f"as {use} (tie.{owner}): ") from None
    if decay and ("W_yh" not in p.network.written):
        raise error_at(("network", "state_decay"), "needs network.W_yh: the state s_t = μ s_{t-1} + "
                                               "y_{t-1} is fed back through W_yh")
    if p.state_decay and p.ask.quantity == "jacobian":
        raise error_at(("ask", "quantity"), "with network.state_decay the state s_t carries every "
                                        "earlier output, so dh_t/dh_{t-1} is not one step's "
                                        "Jacobian; ask z, h or y")


def _ties(v, net) -> dict[str, tuple[str, ...]]:
    """tie: {name: [use, ...]}, checked: the name written in network, its uses not."""
    if not isinstance(v, dict) or not v:
        raise error_at(("tie",), f"expected a mapping {{name: [keys it is used as]}}, got {shown_value(v)}")
    if not isinstance(net, dict):
        raise error_at(("tie",), "ties keys of a network written as one mapping (network: {...})")
    seen: dict[str, str] = {}
    out = {}
    for name, uses in v.items():
        if not isinstance(name, str):
            raise error_at(("tie", name), "expected a parameter's name as key")
        if isinstance(uses, str):
            uses = [uses]
        if isinstance(uses, list) and uses and not all(isinstance(u, str) for u in uses):
            raise error_at(("tie", name), f"expected the names of the keys it is used as, got "
                                      f"{shown_value(next(u for u in uses if not isinstance(u, str)))}")
        if not isinstance(uses, list) or not uses:
            raise error_at(("tie", name), f"expected the list of keys it is used as "
                                      f"([weight_ih, weight_hh]), got "
                                      f"{shown_value(uses) if uses != [] else 'an empty list'}")
        if len(set(uses)) != len(uses):
            raise error_at(("tie", name), "names a use twice")
        if name not in net:
            raise error_at(("tie", name), f"expected network.{name}: the tied parameter is written "
                                      "once, in network, under this name")
        for use in uses:
            if use in seen:
                raise error_at(("tie", name), f"{use} is already tied to {seen[use]}")
            if use != name and use in net:
                raise error_at(("network", use), f"is tied to {name} (tie.{name}): write the value "
                                             f"once, as network.{name}, and leave {use} out")
            if use in v and use != name:
                raise error_at(("tie", name), f"{use} is itself a tied name; tie each key once")
            seen[use] = name
        out[name] = tuple(uses)
    return out


def summed(p, values: dict, work) -> None:
    """dE/d<name> = Σ_uses dE/d<use> for every tied name, in the shape it is written with."""
    for name, uses in p.tie.items():
        parts = [values.get(f"dE/d{u}") for u in uses]
        if any(g is None for g in parts):
            continue                    # a use whose gradient is not computed (a stack's)
        total = parts[0]
        for g in parts[1:]:
            total = total + g
        eq = " + ".join(f"dE/d{u}" for u in uses)
        total = work.q(f"dE/d{name}", total, phase="gradient", eq=eq,
               sub=" + ".join("{}" for _ in uses), args=tuple(parts),
                       note=f"{name} is tied: one parameter used as {', '.join(uses)}; its "
                            "gradient sums those of its uses")
        values[f"dE/d{name}"] = shaped_param(p, uses[0], total)


def norm_gradients(p, values: dict) -> list:
    """Every weight and bias gradient once for the global norm: a tied parameter's as the sum
    of its uses (clip: {norm}), the untied keys as they are."""
    used = {u for uses in p.tie.values() for u in uses}
    out = [values[f"dE/d{k}"] for k in p.network.notation.params
           if k not in used and f"dE/d{k}" in values]
    for uses in p.tie.values():
        parts = [values[f"dE/d{u}"] for u in uses if f"dE/d{u}" in values]
        if parts:
            out.append(sum(parts[1:], parts[0]))
    return out
