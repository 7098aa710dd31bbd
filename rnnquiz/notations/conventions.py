"""The conventions a notation fixes (SPEC 1.16): step numbering, the matrices' layout and the
order of stacked gate blocks. A file in one course's notation, computed by a student of
another, differs by these; `teaching/conventions.py` reads them from here.
"""

from __future__ import annotations

import numpy as np

# each notation's course or framework, as a student names it
COURSES = {"hinton": "Hinton's course", "mit": "MITx 6.86x", "deeplearning_ai": "deeplearning.ai",
           "pytorch": "PyTorch", "keras": "Keras", "d2l": "d2l", "cs231n": "CS231n",
           "goodfellow": "Goodfellow et al.", "slp": "SLP3", "karpathy": "min-char-rnn",
           "cmu11785": "CMU 11-785", "hagan": "Hagan et al. (Neural Network Design)"}

# stacked gate blocks: (cell, notation) -> (order, the keys that stack them); the orders are
# written in the frameworks' letters and mapped onto the canonical gates below
STACKED = {("lstm", "pytorch"): ("ifgo", ("weight_ih", "weight_hh", "bias_ih", "bias_hh")),
           ("lstm", "keras"): ("ifgo", ("kernel", "recurrent_kernel", "bias")),
           ("lstm", "cs231n"): ("ifog", ("Wx", "Wh", "b")),
           ("gru", "pytorch"): ("rzn", ("weight_ih", "weight_hh", "bias_ih", "bias_hh")),
           ("gru", "keras"): ("zrh", ("kernel", "recurrent_kernel", "bias"))}
ORDERS = {"lstm": {"ifgo": ("PyTorch", "Keras (i, f, c, o)"), "ifog": ("CS231n",)},
          "gru": {"rzn": ("PyTorch",), "zrh": ("Keras",)}}
CANONICAL_GATES = {"ifgo": "ifgo", "ifog": "ifog", "rzn": "ruc", "zrh": "urc"}


def course(p) -> str:
    """The course or framework whose notation the file is written in ('' if none)."""
    return COURSES.get(p.notation, p.notation) if p.network is not None else ""


def _one_network(p) -> bool:
    return p.network is not None and p.stack is None


# ---------------------------------------------------------------- steps from 0 or 1

def _shift(by: int):
    def applies(p) -> bool:
        t = p.ask.t
        return (_one_network(p) and t is not None and p.first == (1 if by > 0 else 0)
                and p.first <= t + by <= p.T - 1 + p.first)

    def problem(p):
        from .convention import with_t   # noqa: PLC0415 (conventions only)
        return with_t(p, p.ask.t + by)
    return {"applies": applies, "problem": problem}


# ---------------------------------------------------------------- the matrices' layout

def _square_weights(p, doc: dict) -> list[str]:
    net = doc.get("network") or {}
    out = []
    for key in p.network.notation.weights:
        for name in (key, key + p.network.notation.suffix):
            v = net.get(name)
            if isinstance(v, list) and v and all(isinstance(r, list) for r in v):
                a = np.asarray(v, dtype=float)
                if a.ndim == 2 and a.shape[0] == a.shape[1] > 1 and not np.allclose(a, a.T):
                    out.append(name)
    return out


def _transposable(p) -> bool:
    return _one_network(p) and bool(_square_weights(p, p.data))


def _transpose(p, doc: dict) -> dict:
    for name in _square_weights(p, doc):
        doc["network"][name] = np.asarray(doc["network"][name], dtype=float).T.tolist()
    return doc


def _layout_label(p) -> str:
    if p.network is not None and p.network.notation.layout == "row":
        return ("each square matrix read as (to, from), W h, as PyTorch, deeplearning.ai and "
                "MITx write it, while this file writes (from, to), x W")
    return ("each square matrix read as (from, to), x W, as d2l, CS231n and Keras write it, "
            "while this file writes (to, from), W h")


# ---------------------------------------------------------------- stacked gate blocks

def _gate_order(order: str):
    def stacked(p):
        if not _one_network(p):
            return None
        return STACKED.get((p.cell, p.notation))

    def applies(p) -> bool:
        s = stacked(p)
        return s is not None and order in ORDERS[p.cell] and s[0] != order

    def own(p) -> bool:
        s = stacked(p)
        return s is not None and s[0] == order

    def doc(p, d: dict) -> dict:
        mine, keys = stacked(p)
        a, b = CANONICAL_GATES[mine], CANONICAL_GATES[order]
        # the file's block for gate X is read where `order` keeps X
        perm = [b.index(g) for g in a]
        row = p.network.notation.layout == "row"
        suffix = p.network.notation.suffix
        net = d.get("network") or {}
        for name in list(net):
            if name.removesuffix(suffix) not in keys or not isinstance(net[name], list):
                continue
            v = np.asarray(net[name], dtype=float)
            axis = -1 if row else 0
            blocks = np.split(v, len(a), axis=axis)
            net[name] = np.concatenate([blocks[k] for k in perm], axis=axis).tolist()
        return d
    return {"applies": applies, "own": own, "doc": doc}


def _order_convention(order: str, cell: str):
    from .convention import Convention   # noqa: PLC0415 (conventions only)
    who = ORDERS[cell][order]
    letters = ", ".join(order)
    owner = who[0] + ("'" if who[0].endswith("s") else "'s")
    return Convention(f"gate_order_{order}", f"{owner} gate order {letters} for the stacked "
                      "matrices", topic=f"{cell.upper()} gate order", who=who,
                      reason=f"the stacked blocks read as {letters}", **_gate_order(order))


def _conventions():
    from .convention import Convention   # noqa: PLC0415 (conventions only)
    return (
        Convention("steps_from_1", "steps counted from 1, as deeplearning.ai (a<1>), d2l (H_1) "
                   "and Goodfellow (h^(1)) number them: the step asked read one step earlier",
                   topic="step numbering",
                   who=("deeplearning.ai", "d2l", "Goodfellow", "SLP3"),
                   reason="t counted from 1", slips=("off_by_one_step",),
                   own=lambda p: p.network is not None and p.first == 1, **_shift(-1)),
        Convention("steps_from_0", "steps counted from 0, as Hinton's course, PyTorch and CS231n "
                   "number them (h_0 the first step): the step asked read one step later",
                   topic="step numbering",
                   who=("Hinton's course", "PyTorch", "Keras", "CS231n", "MITx 6.86x"),
                   reason="t counted from 0", slips=("off_by_one_step",),
                   own=lambda p: p.network is not None and p.first == 0, **_shift(+1)),
        Convention("transposed", _layout_label, topic="matrix layout",
                   who=("d2l", "CS231n", "Keras"),
                   reason="each square matrix read in the other layout: x W with (from, to) "
                   "against W h with (to, from)",
                   applies=_transposable, doc=_transpose),
        *(_order_convention(order, cell) for cell in ORDERS for order in ORDERS[cell]),
    )


CONVENTIONS = _conventions
