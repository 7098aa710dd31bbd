"""The keys of `backprop` and `vanishing` beyond the network (SPEC 1.1): targets (a list,
or {step: target} in the notation's numbering), loss, given values, tolerance."""

from __future__ import annotations

import numpy as np

from .values import _choose, _err, _show, number, numbers

LOSSES = ("squared", "cross_entropy")


def gradient_keys(p, data: dict) -> None:
    net = p.network
    T = p.T
    # a cell without a read-out is its own output: y_t = h_t (SPEC 1.6)
    reads_out = net.has_output or net.notation.always_reads_out
    ny = net.sizes["y"] if reads_out else net.sizes["h"]
    p.loss = _choose(data, "loss", LOSSES, "squared")
    if p.loss == "cross_entropy":
        act = net.words.get("output", "linear")
        if not reads_out or act not in ("softmax", "logistic"):
            raise _err(("loss",), "cross_entropy needs a read-out with network.output softmax "
                                  "or logistic")
    if "tolerance" in data:
        p.tolerance = number(data["tolerance"], ("tolerance",), "a number >= 0")
        if p.tolerance < 0:
            raise _err(("tolerance",), f"expected a number >= 0, got {data['tolerance']}")
    targets = data.get("targets")
    if targets is None:
        if p.type == "backprop":
            raise _err(("targets",), "missing; expected one target per step, or {step: target}")
        p.targets = None
    else:
        p.targets = [None] * T
        if isinstance(targets, dict):
            # JSON can only write keys as strings: "3" is step 3 (from the API or a JSON file)
            items = [(int(k) if isinstance(k, str) and k.strip().isascii()
                      and k.strip().isdigit() else k, v) for k, v in targets.items()]
            if len({k for k, _ in items if isinstance(k, int)}) < \
                    sum(isinstance(k, int) for k, _ in items):
                twice = next(k for i, (k, _) in enumerate(items)
                             if isinstance(k, int) and k in [j for j, _ in items[:i]])
                raise _err(("targets", twice), f"step {twice} is given twice (as {twice} and "
                                               f"as \"{twice}\")")
            first = p.first
            for k, _ in items:
                if isinstance(k, bool) or not isinstance(k, int) or not first <= k < T + first:
                    raise _err(("targets", k), f"expected a time step from {first} to "
                                               f"{T - 1 + first} as key, got {_show(k)}")
            items = [(k - first, v, k) for k, v in items]
        elif isinstance(targets, (list, np.ndarray)):
            if len(targets) != T:
                raise _err(("targets",), f"expected {T} targets (one per input), got "
                                         f"{len(targets)}")
            items = [(k, v, k) for k, v in enumerate(targets)]
        else:
            raise _err(("targets",), f"expected a list or a mapping {{step: target}}, "
                                     f"got {_show(targets)}")
        for k, tv, key in items:
            if tv is None:
                continue
            arr, _ = numbers(tv, ("targets", key), depth=1)
            arr = arr.reshape(-1)
            if arr.size == 1 and ny > 1:
                raise _err(("targets", key), f"expected {ny} numbers (output size is {ny}), got 1")
            if arr.size != ny:
                raise _err(("targets", key), f"has {arr.size} numbers, output size is {ny}")
            p.targets[k] = arr
        if all(t is None for t in p.targets):
            raise _err(("targets",), "expected at least one target")
    given = data.get("given")
    if given is not None:
        if not isinstance(given, dict):
            raise _err(("given",), f"expected a mapping {{h: [...], y: [...]}}, got {_show(given)}")
        sizes = {"h": net.sizes["h"], "y": ny}
        for key, seq in given.items():
            if key not in sizes:
                raise _err(("given", key), "unknown key; expected h or y")
            if p.cell != "rnn":
                raise _err(("given",), "given values apply to the simple RNN only")
            if isinstance(seq, np.ndarray):
                seq = seq.tolist()
            if not isinstance(seq, list) or len(seq) != T:
                raise _err(("given", key), f"expected a list of {T} values (one per step), "
                                           f"got {_show(seq) if not isinstance(seq, list) else len(seq)}")
            vals = []
            for i, e in enumerate(seq):
                arr, _ = numbers(e, ("given", key, i), depth=1)
                arr = arr.reshape(-1)
                if arr.size != sizes[key]:
                    raise _err(("given", key, i), f"has {arr.size} numbers, size of {key} "
                                                  f"is {sizes[key]}")
                vals.append(arr)
            p.given[key] = vals
    if p.type == "vanishing" and p.T < 2:
        raise _err(("inputs",), "a single-step sequence has no factor dz_{t+1}/dz_t; "
                                "give at least two inputs")
