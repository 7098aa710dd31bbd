"""The read-out of the LSTM's cell state (SPEC 1.15), `y_c = W_cy c + b_cy` (CS224n's
`c_projection` of the encoder's final cell states): its keys are taken off the network before
the notation reads it, and checked against the width of the top layer's cell state once the
network (or stack) is built. Loaded only when a file writes `W_cy` or `b_cy`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .values import error_at, numbers, readout_matrix

KEYS = ("W_cy", "b_cy")


@dataclass
class CellReadout:
    """The keys as given and written, where; once checked, W (outputs, width) in column
    form, b (outputs,), and whether the file writes rows (its W_cy is Wᵀ)."""

    given: dict
    written: dict
    where: tuple                 # the key path of the mapping that holds the keys
    W: np.ndarray | None = None
    b: np.ndarray | None = None
    row: bool = False


def take(p, data: dict, cell: str) -> dict:
    """The document without the read-out's keys, which are read into `p.cell_readout`."""
    net = data["network"]
    where = ("network",) if isinstance(net, dict) else ("network", len(net) - 1)
    top = net if isinstance(net, dict) else net[-1]
    if cell != "lstm":
        key = next(k for k in KEYS if k in top)
        raise error_at((*where, key), "reads out an LSTM's cell state; this network is a "
                                  f"{cell}, which has none")
    given = {k: numbers(top[k], (*where, k)) for k in KEYS if k in top}
    rest = {k: v for k, v in top.items() if k not in KEYS}
    p.cell_readout = CellReadout(given={k: a for k, (a, _) in given.items()},
                                 written={k: s for k, (_, s) in given.items()}, where=where)
    net = rest if isinstance(net, dict) else [*net[:-1], rest]
    return {**data, "network": net}


def check(p) -> None:
    """The read-out's shapes against the cell state it reads: the top layer's (both
    directions' concatenated), the file's orientation (rows in d2l, CS231n, Keras)."""
    r = p.cell_readout
    if p.stack is not None:
        top = p.stack.layers[-1]
        notation = top["forward"].notation
        width = sum(n.sizes["h"] for n in top.values())
    else:
        notation, width = p.network.notation, p.network.sizes["h"]
    row = notation.layout == "row"
    W, b = r.given.get("W_cy"), r.given.get("b_cy")
    if W is not None:
        W = readout_matrix(W, row)
        if W.shape[1] != width:
            both = " (both directions' concatenated)" if p.stack is not None and \
                p.stack.bidirectional else ""
            expect = f"{width}x(outputs)" if row else f"(outputs)x{width}"
            raise error_at((*r.where, "W_cy"), f"has shape {_shape(r.written['W_cy'])}, expected "
                                           f"{expect}: it reads the cell state's {width} "
                                           f"number{'s' if width != 1 else ''}{both}")
    if b is not None:
        b = b.reshape(-1)
        if W is not None and b.shape[0] != W.shape[0]:
            raise error_at((*r.where, "b_cy"), f"has {b.shape[0]} numbers, W_cy gives "
                                           f"{W.shape[0]} outputs")
    if W is None:
        W = np.zeros((b.shape[0], width))
    if b is None:
        b = np.zeros(W.shape[0])
    r.W, r.b, r.row = W, b, row


def _shape(shape) -> str:
    if shape is None:
        return "a number"
    return "x".join(map(str, shape)) if len(shape) > 1 else f"{shape[0]} numbers"
