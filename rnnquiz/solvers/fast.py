"""Answers from the vectorised engine, with the same quantities as the step-by-step solvers.

`solve` takes this path when no working is wanted (`steps=False`) or the sequence is
too long to show, and the arithmetic is exact; otherwise the step-by-step cells run.
"""

from __future__ import annotations


from .. import engine
from ..cells.registry import QUANTITIES, gradient_outcome
from ..trace import Work
from . import Outcome

PER_STEP_RNN = ("dE/dz", "dE/dh", "dE/dy", "z", "h", "y")


def supported(p) -> bool:
    if p.network is None or p.round != "none" or p.given:
        return False
    if p.type in ("forward", "lstm", "gru", "gated"):
        return True
    if p.type == "backprop":
        return True
    return p.type == "vanishing" and p.cell == "rnn"


def outcome(p) -> Outcome:
    net = p.network
    if p.type == "forward":
        e = engine.rnn(net, p.inputs)
        return Outcome(values={"z": e["z"], "h": e["h"], "y": e["y"]},
                       per_step=("z", "h", "y"), default="y")
    if p.type == "backprop" and p.cell == "rnn":
        e = engine.rnn(net, p.inputs, p.targets, p.loss)
        values = {k: e[k] for k in ("E", *PER_STEP_RNN)}
        for key in net.notation.params + ["h_init"]:
            values[f"dE/d{key}"] = e[f"dE/d{key}"]
        return Outcome(values=values, per_step=PER_STEP_RNN, default="dE/dz")
    if p.type == "vanishing":
        return _vanishing_rnn(p)
    canon = {**net.params, **net.notation.canonical(net.params, net.sizes)}
    if p.type in ("lstm", "gru", "gated"):
        e = _run_cell(p, canon, None)
        notation = net.notation
        values = {notation.key(q): e[q] for q in QUANTITIES[p.cell]}
        if net.has_output:
            values["y"] = e["h"] @ net["W_hy"].T + net["b_y"]
        return Outcome(values=values, per_step=tuple(values), default=notation.key("h"))
    return _backprop_cell(p, canon)


def _run_cell(p, canon, DH_of):
    net = p.network
    states = {v: net.params[k] for k, v in net.notation.states.items()}
    if p.cell == "lstm":
        return engine.lstm(canon, states["h"], states["c"], p.inputs, DH_of)
    if p.cell == "gru":
        return engine.gru(canon, states["h"], p.inputs, p.convention, DH_of)
    return engine.gated(canon, states["h"], p.inputs, DH_of)


def _backprop_cell(p, canon) -> Outcome:
    net = p.network

    def DH_of(H):
        Y = H @ net["W_hy"].T + net["b_y"] if net.has_output else H
        E, DY, _ = engine._loss(Y, p.targets, "linear", "squared")
        DH = DY @ net["W_hy"] if net.has_output else DY
        return DH, {"E": E, "dE/dy": DY, "Y": Y}

    e = _run_cell(p, canon, DH_of)
    return gradient_outcome(p, Work(record=False), E=e["E"], dE_dy=e["dE/dy"], back=e, cache=e)


def _vanishing_rnn(p) -> Outcome:
    from .vanishing import verdict   # noqa: PLC0415
    net = p.network
    e = engine.rnn(net, p.inputs)
    from ..cells.functions import ACTIVATIONS   # noqa: PLC0415
    S = ACTIVATIONS[net.words["hidden"]][1](e["z"][:-1])
    jac = [net["W_hh"] * s[None, :] for s in S]
    labels = [f"dz_{t + 1}/dz_{t}" for t in range(len(jac))]
    return verdict(p, Work(record=False), jac, labels)
