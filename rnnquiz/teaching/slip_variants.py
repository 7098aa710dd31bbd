"""How each shared slip of the catalogue (slips.py) is committed: a `Variant` of the problem
(types/slip.py), built where the slip applies to it. A variant changes the document (a bias
set to 0, the step before), sets flags the solvers commit on purpose (`Work.variants`),
replaces a cell's method (`overrides`), or changes the answer (the 1/2 of the squared loss
missing). Apart from the catalogue, so that the list of slips and their words reads on one
page. A type's own slips are committed by the type (its `OWN_SLIPS`)."""

from __future__ import annotations

import copy
from typing import Callable

import numpy as np
from ..cells.loss import loss_names
from ..types.slip import Variant, flagged


def _net(doc: dict) -> dict:
    doc = copy.deepcopy(doc)
    doc.setdefault("network", {})
    return doc


def _set(path: tuple, value):
    def change(doc):
        doc = _net(doc)
        node = doc
        for k in path[:-1]:
            node = node.setdefault(k, {})
        node[path[-1]] = value
        return doc
    return change


def _scale(factor: float):
    def change(v):
        if isinstance(v, str):
            return v
        return (np.asarray(v, dtype=float) * factor).tolist() if isinstance(v, list) else v * factor
    return change


def no_bias(p):
    net = p.data.get("network") or {}
    out = []
    for key in p.network.notation.biases:
        if key in net and np.any(np.asarray(net[key], dtype=float) != 0):
            out.append(Variant("no_bias", key, doc=_set(("network", key), 0)))
    return out


def activation_swapped(p):
    hidden = p.network.words.get("hidden")
    other = {"logistic": "tanh", "tanh": "logistic"}.get(hidden)
    if other not in p.network.notation.words.get("hidden", (other,)):
        return []                   # nn.RNN has tanh or relu: no logistic to swap to
    return [Variant("activation_swapped", f"{other} for {hidden}",
                    doc=_set(("network", "hidden"), other))] if other else []


def off_by_one(p):
    t = p.ask.t
    out = []
    for step in (t - 1, t + 1) if t is not None else ():
        if p.first <= step < p.T + p.first:
            out.append(Variant("off_by_one_step", f"t = {step}", doc=_set(("ask", "t"), step)))
    return out


def initial_state_as_input(p):
    out = []
    if not p.network.notation.states:       # x(0) = 0 always (an echo state network)
        return out
    init = next(iter(p.network.notation.states))
    x0 = p.data["inputs"][0]
    if not isinstance(x0, list) and p.network.sizes["h"] == 1:
        out.append(Variant("initial_state_as_input", f"{init} = x_0",
                           doc=_set(("network", init), x0)))
    t = p.ask.t
    # a batch's targets and given values are per example: only a forward pass is shifted
    shiftable = not p.batch or not (p.data.get("targets") or p.data.get("given"))
    if p.T > 1 and (t is None or t >= 1 + p.first) and shiftable:
        def skip(doc):
            doc = _net(doc)
            if p.batch:         # (N, T, D): the first step of every example
                doc["inputs"] = [list(ex)[1:] for ex in doc["inputs"]]
                return doc
            doc["inputs"] = list(doc["inputs"])[1:]
            if isinstance(doc.get("targets"), list):
                doc["targets"] = doc["targets"][1:]
            elif isinstance(doc.get("targets"), dict):
                doc["targets"] = {k - 1: v for k, v in doc["targets"].items()
                                  if int(k) >= 1 + p.first}
            for k in ("h", "y"):
                if k in (doc.get("given") or {}):
                    doc["given"][k] = doc["given"][k][1:]
            if t is not None:
                doc["ask"] = {**doc["ask"], "t": t - 1}
            return doc
        out.append(Variant("initial_state_as_input", "first step skipped", doc=skip))
    return out


def override(slip: str, cell: str, when: Callable = lambda p: True, **methods):
    """A slip committed inside a cell's step: the cell's own method replaced by a wrong one."""
    overrides = {slip: (cell, methods)}
    return lambda p: [Variant(slip, flags=frozenset({slip}), overrides=overrides)] \
        if p.cell == cell and when(p) else []


def answer(slip: str, factor: float, gradient_only: bool = True):
    def variants(p):
        q = p.ask.quantity or "dE/dz"
        if gradient_only and not any(q.startswith(f"d{n}/d") for n in loss_names(p)):
            return []               # a gradient of the loss: dE/dW_hh, Hagan's dF/dlw
        return [Variant(slip, answer=_scale(factor))]
    return variants


def not_sse(variants):
    """The squared loss's ½ slips apply where the loss has one (Hagan's SSE has its own)."""
    return lambda p: [] if p.loss == "sse" else variants(p)


def sse_half(p):
    return answer("sse_half", 0.5, gradient_only=False)(p) if p.loss == "sse" else []


# the books whose U and W readers swap: SLP3 writes U h_{t-1} + W x_t, Goodfellow W h + U x
SWAPPED_LETTERS = ("slp", "goodfellow")


def letters_swapped(p):
    n = p.network.notation
    if n.name not in SWAPPED_LETTERS:
        return []
    from ..notations.layouts import CANONICAL   # noqa: PLC0415 (SLP and Goodfellow only)
    pairs = [(n.file_names[W_h], n.file_names[W_x])
             for W_h, W_x, _ in CANONICAL[n.cell].values()
             if W_h in n.file_names and W_x in n.file_names]
    net = p.data.get("network") or {}
    if not any(a in net or b in net for a, b in pairs):
        return []

    def swap(doc):
        doc = _net(doc)
        net = doc["network"]
        for a, b in pairs:
            va, vb = net.pop(a, None), net.pop(b, None)
            if vb is not None:
                net[a] = vb
            if va is not None:
                net[b] = va
        return doc
    return [Variant("letters_swapped", ", ".join(f"{a} ↔ {b}" for a, b in pairs), doc=swap)]


def tied_one_use(p):
    """A tied weight's gradient taken from one of its uses only (SPEC 1.15)."""
    q = p.ask.quantity or ""
    uses = p.tie.get(q[4:], ()) if q.startswith("dE/d") else ()
    return [Variant("tied_one_use", f"from {u} only", doc=_set(("ask", "quantity"), f"dE/d{u}"))
            for u in uses] if len(uses) > 1 else []


def _tar_asked(p) -> bool:
    """TAR with the pair (initial state, first state) counted too (SPEC 1.15: never): where the
    penalty (or E with it) of a network's own states is asked."""
    return p.ask.quantity in ("penalty", "E") and "tar" in p.regularization \
        and p.network is not None


tar_from_initial = flagged("tar_from_initial", _tar_asked)


def no_rounding(p):
    return [Variant("no_rounding", doc=_set(("round",), "none"))] if p.round != "none" else []


def rounded_early(p):
    return [Variant("rounded_early", f"to {k} decimal{'s' if k > 1 else ''}",
                    doc=_set(("round",), k)) for k in (1, 2) if p.round != k]
