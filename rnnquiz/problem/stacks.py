"""Stacks and both directions (SPEC 1.9): the `network:` of a deep or bidirectional RNN.

    network:                         # a stack, the bottom layer first
      - {W_xh: ..., W_hh: ..., ...}  # layer 1 reads the inputs
      - {W_xh: ..., W_hh: ..., W_hy: ..., b_y: ...}   # layer 2 reads h^(1); the read-out on top

With `bidirectional: true` each layer is `{forward: {...}, backward: {...}}` (plus the read-out
keys in the top one, acting on [→h_t; ←h_t]); in the `pytorch` notation the state_dict's own
suffixes (`weight_ih_l1`, `bias_hh_l0_reverse`) say the layer and the direction. Each layer and
direction becomes a `Network` of its own, so every cell and notation works in a stack unchanged.
Here the layers are read; stack_readout.py reads the read-out on top and picks the network the
answers are shaped by, stack_gradients.py the keys BPTT through a stack reads otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..errors import ProblemError
from .network import Network, build_network, token_indices
from .stack_readout import answer_network, ask_layer, readout
from .torch_states import LAYER_SUFFIX, torch_state, torch_states
from .values import error_at, shown_value

DIRECTIONS = ("forward", "backward")
READOUTS = ("every", "last")


@dataclass
class Stack:
    """The layers (bottom first), each `{direction: Network}`, and the read-out on top."""

    layers: list[dict[str, Network]]
    W_hy: np.ndarray | None          # canonical (y, H·directions), acting on [→h_t; ←h_t]
    b_y: np.ndarray | None
    readout_written: dict            # the file's read-out keys -> the shape they were written in
    last: bool                       # readout: last (one output, from the last states)
    # initial states written whole, as PyTorch's h_0 (layers x directions[, N], H): their shape
    states_written: dict = field(default_factory=dict)

    @property
    def directions(self) -> tuple[str, ...]:
        return tuple(self.layers[0])

    @property
    def bidirectional(self) -> bool:
        return len(self.layers[0]) == 2

    def size(self, layer: int) -> int:
        """The units of one direction of a layer (from 1)."""
        return self.layers[layer - 1]["forward"].sizes["h"]


def is_stack(p, data: dict, notation) -> bool:
    """Layers or directions; also one layer read out once (`readout: last`, Keras' SimpleRNN
    -> Dense many-to-one), which the stack's read-out gives."""
    return _layered(data, notation) or data.get("readout", "every") != "every"


def _layered(data: dict, notation) -> bool:
    net = data.get("network")
    if isinstance(net, list) or data.get("bidirectional") is True:
        return True
    if notation.suffix and isinstance(net, dict):
        return any(LAYER_SUFFIX.match(str(k)) and not str(k).endswith("_l0") for k in net)
    return False


def build_stack(p, data: dict, notation, err) -> None:
    """Validate the layers and set `p.stack`, and `p.network` to the network the answers are
    shaped by: the read-out and the layer and direction asked (`ask.layer`, `ask.direction`)."""
    bidirectional = data.get("bidirectional", False)
    if not isinstance(bidirectional, bool):
        raise error_at(("bidirectional",), f"expected true or false, got {shown_value(bidirectional)}")
    last = _readout_word(data)
    net = data.get("network")
    readout_keys = set(notation.readout) | {"output"}
    one = not _layered(data, notation)      # one layer (a mapping), read out last
    states_written: dict = {}
    if one and net is None:
        net = {}
    elif one and not isinstance(net, dict):
        raise error_at(("network",), f"expected a mapping of parameters, got {shown_value(net)}")
    if one:
        layers, top_extra = _layers([torch_states(net, notation, p.batch)], False,
                                    readout_keys)
    elif notation.suffix and isinstance(net, dict):
        layers, top_extra, bidirectional = _from_suffixes(net, notation, bidirectional,
                                                            p.batch, states_written)
    else:
        layers, top_extra = _layers(net, bidirectional, readout_keys)
    inputs, vector = p.inputs, p.inputs_vector
    built: list[dict[str, Network]] = []
    for k, layer in enumerate(layers):
        out = {}
        for direction, mapping in layer.items():
            where = (lambda key: ("network", key)) if one else \
                _where(notation, k, direction, bidirectional, net)
            for key in ("W_yh", "y_init"):       # output feedback (SPEC 1.1) is one layer's
                if key in mapping:
                    raise err(where(key), "output feedback needs an output at every step; "
                                          "leave out readout: last" if one else
                              "output feedback is written for a one-layer network")
            try:
                out[direction] = build_network(notation, mapping, inputs, vector,
                                               _prefixed(where, err), batch=p.batch)
            except ProblemError as e:    # a value read before the key path was prefixed
                if e.keys[:1] != ("network",) or len(e.keys) < 2 or e.keys[1] not in mapping:
                    raise
                raise e.quoted(where(e.keys[1]) + tuple(e.keys[2:])) from None
            if notation.embedding in mapping and (k > 0 or bidirectional):
                raise err(where(notation.embedding),
                          "an embedding belongs to the first layer of a one-way stack (both "
                          "directions would need the same one; give the embedded vectors as "
                          "inputs)" if bidirectional else "an embedding belongs to the first layer")
        for n in out.values():      # the read-out sits on top of the stack, not in a layer
            for key in notation.readout:
                n.params.pop(key, None)
        if bidirectional and out["forward"].sizes["h"] != out["backward"].sizes["h"]:
            raise err(("network", "backward") if isinstance(net, dict) else
                      ("network", k, "backward"),
                      f"has {out['backward'].sizes['h']} units, the forward direction "
                      f"{out['forward'].sizes['h']}; both directions of a layer have the same size")
        built.append(out)
        width = sum(n.sizes["h"] for n in out.values())
        shape = inputs.shape[:-1] + (width,)
        inputs, vector = np.zeros(shape), vector or width > 1
    top = built[-1]
    width = sum(n.sizes["h"] for n in top.values())
    W, b, written, words = readout(top_extra, notation, width, len(layers) - 1, net, err)
    p.stack = Stack(layers=built, W_hy=W, b_y=b, readout_written=written, last=last,
                    states_written=states_written)
    if notation.embedding in layers[0]["forward"]:       # the inputs are token indices
        p.tokens = token_indices(p, built[0]["forward"])
    ask_layer(p, notation)
    p.network = answer_network(p, words, width, any(n.vector for lay in built
                                                     for n in lay.values()) or vector)


def _readout_word(data: dict) -> bool:
    v = data.get("readout", "every")
    if v not in READOUTS:
        raise error_at(("readout",), f"expected every or last, got {shown_value(v)}")
    return v == "last"


def _layers(net, bidirectional: bool, readout_keys: set) -> tuple[list[dict], dict]:
    """[{direction: mapping}] from the list (or one bidirectional mapping), and the read-out
    keys of the top layer."""
    if isinstance(net, dict):
        net = [net]           # one bidirectional layer written as a mapping
    if not isinstance(net, list) or not net:
        raise error_at(("network",), f"expected a list of layers (the bottom first), got "
                                 f"{shown_value(net)}")
    layers, top_extra = [], {}
    for k, layer in enumerate(net):
        if not isinstance(layer, dict):
            raise error_at(("network", k), f"expected a mapping of the layer's keys, got "
                                       f"{shown_value(layer)}")
        top = k == len(net) - 1
        extra = {key: v for key, v in layer.items() if key in readout_keys}
        if extra and not top:
            key = next(iter(extra))
            raise error_at(("network", k, key), "the read-out belongs to the top layer "
                                            f"(layer {len(net)})")
        top_extra = extra if top else top_extra
        rest = {key: v for key, v in layer.items() if key not in readout_keys}
        if not bidirectional:
            for key in rest:
                if key in DIRECTIONS:
                    raise error_at(("network", k, key), "a direction needs bidirectional: true")
            layers.append({"forward": rest})
            continue
        for key in rest:
            if key not in DIRECTIONS:
                raise error_at(("network", k, key), "unknown key for a bidirectional layer; "
                                                "expected forward and backward (and the "
                                                "read-out keys in the top layer)")
        out = {}
        for direction in DIRECTIONS:
            v = rest.get(direction, {})
            if v is None:
                v = {}
            if not isinstance(v, dict):
                raise error_at(("network", k, direction), f"expected a mapping of the direction's "
                                                      f"keys, got {shown_value(v)}")
            out[direction] = v
        layers.append(out)
    return layers, top_extra


def _from_suffixes(net: dict, notation, bidirectional: bool, batch: int | None = None,
                   states_written: dict | None = None):
    """PyTorch's state_dict: `weight_ih_l1_reverse` is layer 2's backward `weight_ih`."""
    found: dict[tuple[int, str], dict] = {}
    top_extra = {}
    states = {}
    for key, v in net.items():
        m = LAYER_SUFFIX.match(str(key))
        if m and m["key"] in notation.keys:
            direction = "backward" if m["reverse"] else "forward"
            found.setdefault((int(m["layer"]), direction), {})[m["key"]] = v
        elif key in (*notation.readout, "output"):
            top_extra[key] = v
        elif key in notation.states:
            states[key] = v
        elif key in notation.words:
            found.setdefault("words", {})[key] = v
        else:
            raise error_at(("network", key), f"unknown key for a stacked {notation.cell} in pytorch "
                                         f"notation; expected {', '.join(notation.params[:2])} "
                                         "... with _l<layer> and _reverse suffixes")
    words = found.pop("words", {})
    L = 1 + max((k for k, _ in found), default=0)
    bidirectional = bidirectional or any(d == "backward" for _, d in found)
    directions = DIRECTIONS if bidirectional else ("forward",)
    layers = [{d: {**words, **found.get((k, d), {})} for d in directions} for k in range(L)]
    for key, v in states.items():
        arr = torch_state(v, ("network", key), L * len(directions), batch)
        if states_written is not None:
            states_written[key] = arr.shape
        for k in range(L):
            for j, d in enumerate(directions):
                layers[k][d][key] = arr[k * len(directions) + j].tolist()
    return layers, top_extra, bidirectional


def _where(notation, k: int, direction: str, bidirectional: bool, net):
    """The key path of a layer's key as the file wrote it."""
    if notation.suffix and isinstance(net, dict):
        tail = f"_l{k}" + ("_reverse" if direction == "backward" else "")
        return lambda key: ("network", f"{key}{tail}")
    if isinstance(net, dict):              # one bidirectional layer written as a mapping
        return lambda key: ("network", direction, key)
    if bidirectional:
        return lambda key: ("network", k, direction, key)
    return lambda key: ("network", k, key)


def _prefixed(where, err):
    def prefixed(keys: tuple, message: str):
        return err(where(keys[1]) + tuple(keys[2:]) if len(keys) > 1 else keys, message)
    return prefixed
