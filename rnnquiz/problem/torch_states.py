"""Initial states written as PyTorch shapes h_0 (SPEC 1.9, 1.15): (layers x directions, H),
and in a batch (layers x directions, examples, H), ordered l0, l0_reverse, l1, ...

    nn.RNN(D, H, num_layers=2)(x, h0)     h0: (2, N, H) for a batch of N, (2, H) for one sequence
"""

from __future__ import annotations

import re

import numpy as np

from .network import describe_shape, takes_h0
from .values import error_at, shown_value, deeper_than_rows, nested_numbers, numbers

# a key of PyTorch's state_dict for a stack: `weight_ih_l1_reverse` is layer 2's backward weight_ih
LAYER_SUFFIX = re.compile(r"^(?P<key>.+)_l(?P<layer>\d+)(?P<reverse>_reverse)?$")


def torch_state(v, keys: tuple, rows: int, batch: int | None) -> np.ndarray:
    """An initial state as PyTorch shapes h_0: (layers x directions, H), and in a batch
    (layers x directions, N, H), ordered l0, l0_reverse, l1, ... (SPEC 1.15). In a batch a
    matrix of one row per layer and direction is the same for every example, unless it has
    as many rows as there are examples: then which it means is not written, and it is refused."""
    arr = nested_numbers(v, keys, 3) if deeper_than_rows(v) else numbers(v, keys)[0]
    got = describe_shape(arr.shape) if arr.ndim else shown_value(v)
    torch_form = (f"(layers x directions, examples, hidden) = ({rows}, {batch}, hidden), as "
                  f"torch.nn.RNN's h_0 in a batch")
    if arr.ndim == 3 and batch and arr.shape[:2] == (rows, batch):
        return arr
    if arr.ndim == 3:
        raise error_at(keys, f"has shape {got}, expected {torch_form}" if batch else
                   f"has shape {got}; three levels are a batch's (layers x directions, "
                   f"examples, hidden), and there is no batch: write one row per layer and "
                   f"direction ({rows} rows, as PyTorch's h_0)")
    if arr.ndim == 2 and arr.shape[0] == rows and batch == rows > 1:
        raise error_at(keys, f"{rows} rows could be one per layer and direction or one per "
                         f"example ({batch} examples); write the three levels of "
                         f"torch.nn.RNN's h_0, (layers x directions, examples, hidden): "
                         f"{rows}x{batch}x{arr.shape[1]}")
    if arr.ndim == 2 and arr.shape[0] == rows:      # a layer's row: every example's
        return arr
    raise error_at(keys, f"expected one row per layer and direction ({rows} rows, as PyTorch's "
                     f"h_0)" + (f", or {torch_form}" if batch else "") + f", got {got}")


def torch_states(net: dict, notation, batch: int | None) -> dict:
    """A one-layer network's states written as PyTorch's batched h_0, (1, N, H), as the
    example-per-row (N, H) the cell takes; without a batch, nn.RNN's (its keys end in _l0)
    unbatched h_0, (1, H), as the state (H,) (torch refuses an h_0 of (H,) there); other
    shapes are left to the network's checks."""
    if not batch and notation.suffix and any(str(k).endswith(notation.suffix) for k in net):
        return {k: _one_row(v) if k in notation.states else v for k, v in net.items()}
    if not batch or not takes_h0(notation):
        return net
    out = dict(net)
    for key in notation.states:
        if deeper_than_rows(net.get(key)):
            out[key] = torch_state(net[key], ("network", key), 1, batch)[0].tolist()
    return out


def _one_row(v):
    """[[0.5, -0.5]] -> [0.5, -0.5]: one layer's row of h_0; anything else as written."""
    if isinstance(v, list) and len(v) == 1 and isinstance(v[0], list) \
            and not any(isinstance(e, list) for e in v[0]):
        return v[0]
    return v
