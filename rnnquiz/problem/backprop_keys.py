"""The keys of `backprop` and `vanishing` beyond the network (SPEC 1.1): targets (a list,
or {step: target} in the notation's numbering), loss, given values, tolerance."""

from __future__ import annotations

import numpy as np

from .values import choose, error_at, shown_value, integer, number, numbers

LOSSES = ("squared", "cross_entropy", "sse")
REDUCTIONS = ("sum", "mean", "batch_mean")


def gradient_keys(p, data: dict, *, required: bool) -> None:
    net = p.network
    T = p.T
    # a cell without a read-out is its own output: y_t = h_t (SPEC 1.6)
    reads_out = net.has_output or net.notation.always_reads_out
    ny = net.sizes["y"] if reads_out else net.sizes["h"]
    p.loss = choose(data, "loss", LOSSES, net.notation.loss)
    if p.loss == "cross_entropy":
        act = net.words.get("output", "linear")
        if not reads_out or act not in ("softmax", "logistic"):
            raise error_at(("loss",), "cross_entropy needs a read-out with network.output softmax "
                                  "or logistic")
    if "tolerance" in data:
        p.tolerance = number(data["tolerance"], ("tolerance",), "a number >= 0")
        if p.tolerance < 0:
            raise error_at(("tolerance",), f"expected a number >= 0, got {data['tolerance']}")
    p.reduction = choose(data, "reduction", REDUCTIONS, "sum")
    if data.get("clip") is not None:
        p.clip = _clip(data["clip"])
    if data.get("truncate") is not None:
        p.truncate = integer(data["truncate"], ("truncate",), low=0)
    if data.get("upstream") is not None:
        if data.get("targets") is not None:
            raise error_at(("upstream",), "expected upstream gradients or targets, not both")
        _upstream_alone(p, data)
        _upstream(p, data["upstream"])
        p.targets = None
    else:
        targets = data.get("targets")
        if targets is None:
            if required:
                raise error_at(("targets",), "missing; expected one target per step, or "
                                         "{step: target}")
            p.targets = None
        else:
            one_hot = net.words.get("output") == "softmax" and reads_out
            if p.batch:
                if not isinstance(targets, list) or len(targets) != p.batch:
                    raise error_at(("targets",), f"expected the targets of each of the {p.batch} "
                                             f"examples (batch: true), got {shown_value(targets)}")
                per = [_step_targets(p, tg, ("targets", n), ny, one_hot)
                       for n, tg in enumerate(targets)]
                p.mask = np.array([[per[n][t] is not None for n in range(p.batch)]
                                   for t in range(T)])
                p.targets = [np.array([per[n][t] if per[n][t] is not None else np.zeros(ny)
                                       for n in range(p.batch)]) for t in range(T)]
            else:
                p.targets = _step_targets(p, targets, ("targets",), ny, one_hot)
                p.mask = np.array([t is not None for t in p.targets])
            if not p.mask.any():
                raise error_at(("targets",), "expected at least one target")
            if data.get("mask") is not None:
                p.mask = p.mask & _mask(p, data["mask"])
    given = data.get("given")
    if given is not None:
        if not isinstance(given, dict):
            raise error_at(("given",), f"expected a mapping {{h: [...], y: [...]}}, got {shown_value(given)}")
        sizes = {"h": net.sizes["h"], "y": ny}
        for key, seq in given.items():
            if key not in sizes:
                raise error_at(("given", key), "unknown key; expected h or y")
            if p.cell != "rnn":
                raise error_at(("given",), "given values apply to the simple RNN only")
            if key == "y" and not reads_out:
                raise error_at(("given", "y"), "this network has no read-out, so its output y_t "
                                               "is its state h_t; give the states as given.h")
            if isinstance(seq, np.ndarray):
                seq = seq.tolist()
            if not isinstance(seq, list) or len(seq) != T:
                raise error_at(("given", key), f"expected a list of {T} values (one per step), "
                                           f"got {shown_value(seq) if not isinstance(seq, list) else len(seq)}")
            vals = []
            for i, e in enumerate(seq):
                arr, _ = numbers(e, ("given", key, i), depth=1)
                arr = arr.reshape(-1)
                if arr.size != sizes[key]:
                    raise error_at(("given", key, i), f"has {arr.size} numbers, size of {key} "
                                                  f"is {sizes[key]}")
                vals.append(arr)
            p.given[key] = vals


def _step_targets(p, targets, keys: tuple, ny: int, one_hot: bool) -> list:
    """One sequence's targets, a list over the steps (None where a step has none): from a list
    (one per step) or a mapping {step: target} in the notation's numbering. With a softmax
    read-out a whole number is a class index (CS231n's captions, PyTorch's CrossEntropyLoss)."""
    T = p.T
    out = [None] * T
    if isinstance(targets, dict):
        # JSON can only write keys as strings: "3" is step 3 (from the API or a JSON file)
        items = [(int(k) if isinstance(k, str) and k.strip().isascii()
                  and k.strip().isdigit() else k, v) for k, v in targets.items()]
        if len({k for k, _ in items if isinstance(k, int)}) < \
                sum(isinstance(k, int) for k, _ in items):
            twice = next(k for i, (k, _) in enumerate(items)
                         if isinstance(k, int) and k in [j for j, _ in items[:i]])
            raise error_at(keys + (twice,), f"step {twice} is given twice (as {twice} and "
                                        f"as \"{twice}\")")
        first = p.first
        for k, _ in items:
            if isinstance(k, bool) or not isinstance(k, int) or not first <= k < T + first:
                raise error_at(keys + (k,), f"expected a time step from {first} to "
                                        f"{T - 1 + first} as key, got {shown_value(k)}")
        items = [(k - first, v, k) for k, v in items]
    elif isinstance(targets, (list, np.ndarray)):
        if len(targets) != T:
            raise error_at(keys, f"expected {T} targets (one per input), got {len(targets)}")
        items = [(k, v, k) for k, v in enumerate(targets)]
    else:
        raise error_at(keys, f"expected a list or a mapping {{step: target}}, got {shown_value(targets)}")
    for k, tv, key in items:
        if tv is None:
            continue
        if one_hot and ny > 1 and isinstance(tv, int) and not isinstance(tv, bool):
            if not 0 <= tv < ny:
                raise error_at(keys + (key,), f"expected a class index from 0 to {ny - 1}, got {tv}")
            out[k] = np.eye(ny)[tv]
            continue
        arr, _ = numbers(tv, keys + (key,), depth=1)
        arr = arr.reshape(-1)
        if arr.size == 1 and ny > 1:
            raise error_at(keys + (key,), f"expected {ny} numbers (output size is {ny}), got 1"
                       + (" (a class index is a whole number)" if one_hot else ""))
        if arr.size != ny:
            raise error_at(keys + (key,), f"has {arr.size} numbers, output size is {ny}")
        out[k] = arr
    return out


def _mask(p, v) -> np.ndarray:
    """mask: one 0/1 a step (an example's row of them in a batch); 0 drops the loss term."""
    arr, shape = numbers(v, ("mask",), depth=2 if p.batch else 1)
    want = (p.batch, p.T) if p.batch else (p.T,)
    if arr.shape != want or not np.isin(arr, (0, 1)).all():
        raise error_at(("mask",), f"expected {'x'.join(map(str, want))} zeros and ones, "
                              f"got {shown_value(v)}")
    return (arr.T if p.batch else arr).astype(bool)


def _upstream_alone(p, data: dict) -> None:
    """With gradients from above there is no loss: the keys that shape a loss would be read
    and silently do nothing, so each is an error by name."""
    for key in ("loss", "mask"):
        if data.get(key) is not None:
            raise error_at((key,), f"{key} shapes a loss, and with upstream the gradients come from "
                               "above (there is no loss); leave one of them out")
    given = data.get("given")
    if isinstance(given, dict) and "y" in given:
        raise error_at(("given", "y"), "with upstream the gradients arrive at h_t, so a given y_t "
                                   "is never used; leave it out")
    readout = [k for k in p.network.notation.readout if k in p.network.written]
    if readout or (p.stack is not None and p.stack.W_hy is not None):
        key = readout[0] if readout else p.network.notation.readout[0]
        raise error_at(("network", key), "the upstream gradients arrive at the states h_t, so the "
                                     "read-out is never used; leave it out, or give targets "
                                     "instead of upstream")


def _upstream(p, v) -> None:
    """The gradients arriving from above instead of a loss (CS231n's backward functions):
    h, one per step (N x T x H in a batch); c, into the last step's cell state (LSTM)."""
    if not isinstance(v, dict):
        raise error_at(("upstream",), f"expected a mapping {{h: [...], c: [...]}}, got {shown_value(v)}")
    H = p.network.sizes["h"]
    p.upstream = {}
    for key, seq in v.items():
        if key not in ("h", "c") or (key == "c" and p.cell != "lstm"):
            raise error_at(("upstream", key), "unknown key; expected h" +
                       (" or c" if p.cell == "lstm" else ""))
        arr = np.asarray(numbers(seq, ("upstream", key), depth=2)[0]) if not p.batch else \
            _batch_array(seq, ("upstream", key))
        if key == "h":
            want = (p.batch, p.T, H) if p.batch else (p.T, H)
            if arr.shape == want[:-1] and H == 1:
                arr = arr[..., None]
            if arr.shape != want:
                raise error_at(("upstream", key), f"has shape {'x'.join(map(str, arr.shape))}, "
                                              f"expected {'x'.join(map(str, want))}")
            p.upstream["h"] = np.moveaxis(arr, 1, 0) if p.batch else arr
        else:
            want = (p.batch, H) if p.batch else (H,)
            arr = arr.reshape(want) if arr.size == int(np.prod(want)) else arr
            if arr.shape != want:
                raise error_at(("upstream", key), f"has shape {'x'.join(map(str, arr.shape))}, "
                                              f"expected {'x'.join(map(str, want))}")
            p.upstream["c"] = arr
    if "h" not in p.upstream:     # the solvers read h at every step; an empty mapping is a slip
        also = " (and c, into the last c_t)" if p.cell == "lstm" else ""
        raise error_at(("upstream",), f"expected h, the gradient arriving at h_t for each of the "
                                      f"{p.T} steps{also}, got "
                                      + ("an empty mapping" if not v else "only c"))


def _batch_array(v, keys: tuple) -> np.ndarray:
    """A nested list of numbers of any depth, as one float64 array (rows of equal length)."""
    try:
        arr = np.array(v, dtype=np.float64)
    except (TypeError, ValueError):
        raise error_at(keys, "expected nested lists of numbers of equal lengths") from None
    except OverflowError:       # a whole number past float64 (1e309 written out)
        raise error_at(keys, "a number is too large for a float (beyond about 1.8e308)") from None
    if not np.isfinite(arr).all():
        raise error_at(keys, "NaN and infinity are not allowed")
    return arr


def _clip(v) -> tuple[str, float]:
    """clip: {norm: θ} (the global L2 norm) or {value: θ} (each element to [-θ, θ])."""
    if not isinstance(v, dict) or len(v) != 1 or next(iter(v)) not in ("norm", "value"):
        raise error_at(("clip",), f"expected {{norm: θ}} or {{value: θ}}, got {shown_value(v)}")
    kind, theta = next(iter(v.items()))
    theta = number(theta, ("clip", kind), "a number > 0")
    if theta <= 0:
        raise error_at(("clip", kind), f"expected a number > 0, got {theta:g}")
    return kind, theta


FEEDBACK = ("output", "target", "argmax")


def feedback_keys(p, data: dict, *, targets: bool = True) -> None:
    """feedback: what y_{t-1} is when network.W_yh feeds the previous output back (SPEC 1.1):
    the own output (default), the previous target (teacher forcing) or argmax's one-hot."""
    net = p.network
    if "W_yh" not in net.written:
        if "y_init" in net.written:
            raise error_at(("network", "y_init"), "needs network.W_yh: y_init is the output fed "
                                              "back at the first step")
        if "feedback" in data:
            raise error_at(("feedback",), "needs network.W_yh, the weights from the previous output "
                                      "y_{t-1} to the hidden units (hinton notation, cell rnn)")
        return
    if "W_hy" not in net.written:
        raise error_at(("network", "W_yh"), "needs a read-out network.W_hy: the output fed back is "
                                        "y_t = output(W_hy h_t + b_y)")
    p.feedback = choose(data, "feedback", FEEDBACK, "output")
    if p.feedback == "target":
        if not targets:
            raise error_at(("feedback",), "target (teacher forcing) feeds back the previous step's "
                                      "target, and forward has no targets; use type backprop "
                                      "with targets, or feedback output or argmax")
        if p.targets is None:
            raise error_at(("feedback",), "target (teacher forcing) needs targets: a target at "
                                      "every step but the last")
        missing = [i for i in range(p.T - 1) if p.targets[i] is None]
        if missing:
            raise error_at(("targets", missing[0] + p.first), f"feedback target (teacher forcing) needs a target at every "
                                     f"step but the last; step {missing[0] + p.first} has none")
    for key, why in (("upstream", "gradients from above"), ("given", "given values")):
        if data.get(key) is not None:
            raise error_at((key,), f"{why} do not combine with output feedback (network.W_yh)")
    if p.feedback == "output" and p.truncate is not None:
        raise error_at(("truncate",), "truncated BPTT through the fed-back output is not supported; "
                                  "leave truncate out, or use feedback target or argmax")
