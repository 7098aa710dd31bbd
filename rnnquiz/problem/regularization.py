"""`regularization:` (SPEC 1.15, 1.17) and what tied weights and Jordan's decay rule out.

    regularization: {ar: α, tar: β, information_flow: λ}

AR and TAR (fast.ai, AWD-LSTM) and Pascanu's Ω (Goodfellow eq. 10.52) join E after the loss's
reduction (cells/regularization.py computes them). With `given: {h: [...]}` and no inputs nor
network, the penalty of the given states is the whole exercise.
"""

from __future__ import annotations

import numpy as np

from .values import error_at, flag, number, numbers, shown_value

KINDS = ("ar", "tar", "information_flow")
# its JSON Schema (type backprop's part of `rnnquiz schema`): each weight a number >= 0
SCHEMA = {"type": "object", "minProperties": 1, "additionalProperties": False,
          "properties": {k: {"type": "number", "minimum": 0} for k in KINDS}}
ALONE = {"type", "title", "source", "answer", "ask", "question", "regularization", "given",
         "batch", "network", "notation", "cell"}


def read(v) -> dict:
    if not isinstance(v, dict) or not v:
        raise error_at(("regularization",), f"expected a mapping {{ar: α, tar: β, "
                                        f"information_flow: λ}}, got {shown_value(v)}")
    out = {}
    for key, w in v.items():
        if key not in KINDS:
            raise error_at(("regularization", key), f"unknown key; expected one of {', '.join(KINDS)}")
        out[key] = number(w, ("regularization", key), "a number >= 0")
        if out[key] < 0:
            raise error_at(("regularization", key), f"expected a number >= 0, got {w}")
    return out


def given_only(data: dict) -> bool:
    """The penalty of given states alone: given h and no inputs (a network the exercise
    describes may stand beside them: the penalty reads the states only)."""
    return "regularization" in data and "inputs" not in data \
        and isinstance(data.get("given"), dict)


def penalty_only(p, data: dict) -> None:
    """`given: {h: [...]}` (steps first; with batch: true the examples first, as fastbook's
    (bs, sl, nh)) and `regularization: {ar, tar}`: the penalty is the only quantity."""
    for key in data:
        if key not in ALONE:
            raise error_at((key,), "the penalty of given states (no inputs) takes regularization, "
                               "given and ask (and the network it describes) only; give inputs "
                               "for a network's backprop")
    p.regularization = read(data["regularization"])
    if "information_flow" in p.regularization:
        raise error_at(("regularization", "information_flow"), "Ω needs the network's Jacobians "
                                                           "and gradients: give a network and inputs")
    given = data["given"]
    for key in given:
        if key != "h":
            raise error_at(("given", key), "the penalty reads the states only; expected h")
    if "h" not in given:
        raise error_at(("given",), "expected h: the states whose penalty is asked")
    arr, _ = numbers(given["h"], ("given", "h"), depth=3)
    if flag(data, "batch", False):
        if arr.ndim != 3:
            raise error_at(("given", "h"), "expected (examples, steps, units) with batch: true")
        arr = np.moveaxis(arr, 1, 0)
    elif arr.ndim == 1:
        arr = arr[:, None]
    elif arr.ndim != 2:
        raise error_at(("given", "h"), "expected one state (a number or a list) a step")
    p.given = {"h": arr}
    if p.ask.quantity not in (None, "penalty"):
        raise error_at(("ask", "quantity"), f"the given states have one quantity, penalty; got "
                                        f"{shown_value(p.ask.quantity)}")
    if p.ask.t is not None:
        raise error_at(("ask", "t"), "penalty is one number for the whole sequence; leave out ask.t")


def check(p, data: dict) -> None:
    """regularization read, and the combinations this solver does not compute refused by key."""
    if "regularization" in data:
        p.regularization = read(data["regularization"])
        why = {"method": "the penalties join BPTT's pass; leave method out (rtrl gives the "
                         "same gradients without them)",
               "upstream": "with gradients from above there is no E to add the penalty to",
               "truncate": "the penalty's gradient is carried back by whole BPTT only"}
        for key, text in why.items():
            if data.get(key) is not None:
                raise error_at((key,), f"does not combine with regularization: {text}")
        if "information_flow" in p.regularization:
            if p.stack is not None:
                raise error_at(("regularization", "information_flow"), "Ω is computed for a "
                                                                   "network of one layer and "
                                                                   "direction")
            _omega_checks(p, data)
    if p.tie:
        norm = data.get("clip") is not None or p.ask.quantity == "grad_norm"
        params = set(p.network.notation.params) if p.network is not None else set()
        other = [u for uses in p.tie.values() for u in uses if u not in params]
        if norm and other:
            raise error_at(("clip",) if data.get("clip") is not None else ("ask", "quantity"),
                       f"the global gradient norm counts weights and biases only, and the tied "
                       f"{other[0]} is neither; leave clip out or untie it")
        if p.clip is not None and p.clip[0] == "value":
            raise error_at(("clip", "value"), "clipping each element of a tied weight's uses is not "
                                          "clipping the weight; use clip: {norm: θ}")
        if p.stack is not None:
            raise error_at(("tie",), "ties keys of a network of one layer and direction")


def _omega_checks(p, data: dict) -> None:
    q = p.ask.quantity or ""
    if q.startswith("dE/d") or q == "grad_norm" or data.get("clip") is not None:
        raise error_at(("ask", "quantity") if data.get("clip") is None else ("clip",),
                   "with regularization.information_flow the gradient of λΩ is not computed "
                   "(the exercise asks Ω itself): ask omega, E, penalty or loss, or leave "
                   "information_flow out for the loss's gradients")
    if p.cell == "lstm":
        raise error_at(("regularization", "information_flow"), "Ω is written for a state h_t "
                   "with one Jacobian ∂h_t/∂h_{t-1}; the LSTM's state is (h_t, c_t)")
    if p.batch:
        raise error_at(("regularization", "information_flow"), "Ω is computed for one sequence; "
                                                           "leave batch out")
    if p.state_decay:
        raise error_at(("regularization", "information_flow"), "with network.state_decay "
                   "∂h_t/∂h_{t-1} is not one step's Jacobian")
