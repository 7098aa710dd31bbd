"""Keys as a framework prints them (SPEC 1.15): a read-out `nn.Linear` by its state_dict names,
`<name>.weight` and `<name>.bias` for any one `<name>` (`linear`, `fc`, `projection`, fastbook's
`h_o`), in the notations whose keys are PyTorch's; fastbook's LSTMCell's two Linears `ih`, `hh`
for PyTorch's weight_ih, weight_hh; and the file's `layout:` overrides.

The notation is rewritten once, before the network is read: keys are renamed (the canonical
parameters and their gradients are the same numbers), so the working, the gradients' names
and the stacks follow the file.
"""

from __future__ import annotations

from dataclasses import replace

from . import Notation

# the notations whose keys are a PyTorch state_dict's (nn.Linear's names fit beside them)
ANY_NAME = ("pytorch", "cmu11785")
PARTS = ("weight", "bias")
# fastbook's LSTMCell: self.ih = nn.Linear(ni, 4*nh), self.hh = nn.Linear(nh, 4*nh)
LINEAR_CELL = {"weight_ih": "ih.weight", "bias_ih": "ih.bias", "weight_hh": "hh.weight",
               "bias_hh": "hh.bias"}


def adapt(n: Notation, data: dict, net, err) -> Notation:
    """The file's notation with its `layout:` applied and its read-out named as the file
    names it."""
    keys = dict(_keys(net))
    if "layout" in data:
        from . import overrides   # noqa: PLC0415 (layout: overrides only)
        spec = overrides.read(data["layout"], n.cell, err)
        n = overrides.adapt(n, spec, data, set(keys), err)
    if n.name == "pytorch" and any(k in keys for k in LINEAR_CELL.values()):
        both = [k for k in LINEAR_CELL if k in keys]
        if both:
            raise err(keys[both[0]], f"{both[0]} beside {LINEAR_CELL[both[0]]}: write the cell's "
                                     "matrices one way, PyTorch's weight_ih, ... or fastbook's "
                                     "ih.weight, ...")
        n = renamed(n, LINEAR_CELL)
    if n.name in ANY_NAME:
        tie = data.get("tie")
        n = _named_readout(n, keys, set(tie) if isinstance(tie, dict) else set(), err)
    return n


def _keys(net):
    """(key, its path) of every key of the network, in every layer and direction."""
    layers = [(("network",), net)] if isinstance(net, dict) else \
        [(("network", i), layer) for i, layer in enumerate(net)] if isinstance(net, list) else []
    for path, layer in layers:
        if not isinstance(layer, dict):
            continue
        for key, v in layer.items():
            if key in ("forward", "backward") and isinstance(v, dict):
                yield from ((k, (*path, key, k)) for k in v if isinstance(k, str))
            elif isinstance(key, str):
                yield key, (*path, key)


def _named_readout(n: Notation, keys: dict, tie: set, err) -> Notation:
    names: dict[str, list] = {}
    for key, path in keys.items():
        stem, dot, part = key.rpartition(".")
        if dot and stem and part in PARTS and key not in tie and stem not in tie \
                and key not in n.keys:
            names.setdefault(stem, []).append(path)
    if not names:
        return n
    if len(names) > 1:
        a, b = list(names)[:2]
        raise err(names[b][0], f"two read-outs, {a}.weight/.bias and {b}.weight/.bias; which "
                               "is the read-out? Keep one nn.Linear (a weight used elsewhere "
                               "goes in tie:)")
    (stem, paths), = names.items()
    W, b = f"{stem}.weight", f"{stem}.bias"
    given = [k for k in n.readout if k in keys]
    if given:
        raise err(paths[0], f"a read-out beside {given[0]}; which is the read-out? Keep "
                            f"{W} and {b}, or {' and '.join(n.readout)}")
    if W not in keys:
        raise err(paths[0], f"the read-out's bias without its weight; expected {W} beside it "
                            f"(nn.Linear's weight, (output, hidden))")
    return renamed(n, dict(zip(n.readout, (W, b))))


def renamed(n: Notation, names: dict) -> Notation:
    """`n` with keys renamed (`names`: the notation's key -> the file's): the read-out's, or
    fastbook's Linear names for PyTorch's matrices."""
    back = {v: k for k, v in names.items()}

    def native(params: dict) -> dict:
        return {back.get(k, k): v for k, v in params.items()}

    def canonical(params: dict, sizes: dict) -> dict:
        own = native(params)       # PyTorch's own LSTM passes W_hy through: keep it
        return {**own, **n.canonical(own, sizes)}

    def gradients(grads: dict, params: dict, sizes: dict) -> dict:
        return {names.get(k, k): v for k, v in n.gradients(grads, native(params), sizes).items()}

    def pre(gate, params, *args, **kw):
        return n.pre(gate, native(params), *args, **kw)

    variant = n.variant
    return replace(
        n, weights={names.get(k, k): v for k, v in n.weights.items()},
        biases={names.get(k, k): v for k, v in n.biases.items()},
        readout=tuple(names.get(k, k) for k in n.readout),
        file_names={c: names.get(k, k) for c, k in n.file_names.items()},
        canonical=canonical, gradients=gradients, pre=pre if n.pre is not None else None,
        feedback=renamed(n.feedback, names) if n.feedback is not None else None,
        variant=(lambda words, given=(): renamed(variant(words, given), names))
        if variant is not None else None)
