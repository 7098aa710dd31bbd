"""The top of a stack (SPEC 1.9): its read-out, acting on the top layer's [→h_t; ←h_t], the
layer and direction asked (`ask.layer`, `ask.direction`, or PyTorch's suffix in the quantity),
and the network the answers take their shapes from. Apart from stacks.py, which reads the
layers below it."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from .network import ALIASES, Network, describe_shape
from .torch_states import LAYER_SUFFIX
from .values import error_at, numbers, readout_matrix, shown_value


def readout(extra: dict, notation, width: int, top: int, net, err):
    """The read-out on the top layer: (canonical W_hy, b_y, written shapes, words)."""
    W_key, b_key = notation.readout or (None, None)     # MITx's simple RNN has no read-out
    where = (lambda key: ("network", key)) if isinstance(net, dict) else \
        (lambda key: ("network", top, key))
    words = {}
    options = notation.words.get("output", ("linear",))
    v = extra.get("output", options[0])
    v = ALIASES.get(v, v) if isinstance(v, str) else v
    if v not in options:
        raise err(where("output"), f"expected one of {', '.join(options)}, got {shown_value(v)}")
    words["output"] = v
    written = {}
    W = b = None
    if W_key in extra:
        arr, written[W_key] = numbers(extra[W_key], where(W_key))
        row = notation.layout == "row"
        W = readout_matrix(arr, row)
        if W.shape[1] != width:
            expect = f"{width}x(outputs)" if row else f"(outputs)x{width}"
            raise err(where(W_key), f"has shape {describe_shape(written[W_key])}, expected "
                                    f"{expect}: it acts on the top layer's {width} units"
                                    + (" (both directions)" if width > 1 else ""))
    if b_key in extra:
        arr, written[b_key] = numbers(extra[b_key], where(b_key))
        b = arr.reshape(-1)
        if W is not None and b.shape[0] != W.shape[0]:
            raise err(where(b_key), f"has {b.shape[0]} numbers, {W_key} gives {W.shape[0]} "
                                    "outputs")
    if W is None and b is not None:
        W = np.zeros((b.shape[0], width))
    if W is not None and b is None:
        b = np.zeros(W.shape[0])
    return W, b, written, words


def ask_layer(p, notation) -> None:
    """`ask.layer` (from 1) and `ask.direction`; PyTorch's suffix in the quantity says both."""
    stack, ask = p.stack, p.ask
    q = ask.quantity or ""
    m = LAYER_SUFFIX.match(q[4:]) if q.startswith("dE/d") and notation.suffix else None
    if m and m["key"] in notation.keys:
        layer, direction = int(m["layer"]) + 1, "backward" if m["reverse"] else "forward"
        if (ask.layer not in (None, layer)) or (ask.direction not in (None, direction)):
            raise error_at(("ask", "quantity"), f"{q} is layer {layer}'s {direction} direction; "
                                            "ask.layer or ask.direction says otherwise")
        ask.layer, ask.direction = layer, direction
    L = len(stack.layers)
    if ask.layer is not None and not 1 <= ask.layer <= L:
        raise error_at(("ask", "layer"), f"expected a layer from 1 (the bottom) to {L}, got "
                                     f"{ask.layer}")
    if ask.direction is not None and not stack.bidirectional and ask.direction != "forward":
        raise error_at(("ask", "direction"), "the network runs forward only (bidirectional: false)")
    key = q[4:] if q.startswith("dE/d") else None
    whole = key in stack.states_written and ask.layer is None and ask.direction is None
    if stack.bidirectional and ask.direction is None and key in notation.keys \
            and key not in notation.readout and not whole:
        raise error_at(("ask", "direction"), f"missing: {q} is a key of each direction; say "
                                         "forward or backward")


def answer_network(p, words: dict, width: int, vector: bool) -> Network:
    """The network the answers take their shapes from: the asked layer's (its direction's),
    with the read-out's keys and the top layer's concatenated width."""
    stack, ask = p.stack, p.ask
    layer = stack.layers[(ask.layer or len(stack.layers)) - 1]
    chosen = layer[ask.direction or "forward"]
    q = ask.quantity or ""
    aliases = dict(chosen.aliases)
    if q.startswith("dE/d") and LAYER_SUFFIX.match(q[4:]):
        aliases[q[4:]] = LAYER_SUFFIX.match(q[4:])["key"]
    # no read-out keys: y is the top states, or one zero output where the notation reads out
    # with W_hy = 0 (cells/layers.py), as a one-layer network of that notation does
    ny = stack.W_hy.shape[0] if stack.W_hy is not None else \
        1 if chosen.notation.always_reads_out else width
    params = dict(chosen.params)
    written = {**chosen.written, **stack.readout_written}
    if ask.layer is None and ask.direction is None:    # h_0 asked whole, as it is written
        written.update(stack.states_written)
    if stack.W_hy is not None:         # the read-out's keys, as the file writes them
        W_key, b_key = chosen.notation.readout
        row = chosen.notation.layout == "row"
        params.update({W_key: stack.W_hy.T if row else stack.W_hy, b_key: stack.b_y})
    return replace(chosen, params=params, written=written,
                   sizes={**chosen.sizes, "h": width, "y": ny},
                   words={**chosen.words, **words}, has_output=stack.W_hy is not None,
                   vector=vector, aliases=aliases)
