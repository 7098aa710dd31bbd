"""`shapes` of one cell: a layer, or a stack of identical layers in one or both directions,
under the course's, PyTorch's or Keras' layout (the formulas in the package's docstring)."""

from __future__ import annotations

from .. import Outcome

# cell -> (gate names in MITx notation, what each is)
GATES = {"rnn": (("h", "hidden state"),),
         "lstm": (("f", "forget gate"), ("i", "input (update) gate"), ("o", "output gate"),
                  ("c", "candidate c̃")),
         "gru": (("u", "update gate"), ("r", "reset gate"), ("c", "candidate c̃"))}
BLOCKS = {"rnn": 1, "gru": 3, "lstm": 4}
# the gate blocks stacked in the frameworks' weight matrices, in their order
ORDER = {"pytorch": {"rnn": (), "lstm": ("i", "f", "g", "o"), "gru": ("r", "z", "n")},
         "keras": {"rnn": (), "lstm": ("i", "f", "c", "o"), "gru": ("z", "r", "h̃")}}
KERAS_LAYER = {"rnn": "simple_rnn", "lstm": "lstm", "gru": "gru"}


def solve(p, work) -> Outcome:
    """The gate dimension, every shape and the total count of one cell's layers."""
    n_h = p.sizes["hidden"]
    L, dirs = p.sizes["layers"], p.sizes["directions"]
    framework = p.framework
    work.note("gate_dim", n_h, eq="hidden size",
              note="every gate and state has one entry per hidden unit")
    shapes: dict[str, list[int]] = {}
    if framework == "course" and L == 1 and dirs == 1:
        total = _course_by_gate(p, work, shapes)
    else:
        total = sum(_layer(p, work, shapes, k) for k in range(1, L + 1))
    total += _readout(p, work, shapes)
    _states(p, shapes)
    work.note("params", total, eq="the sum of the above")
    if p.ask.quantity == "shapes":
        _shape_rows(p, work, shapes)
    return Outcome(values={"gate_dim": n_h, "params": total, "shapes": shapes},
                   default="gate_dim")


def _course_by_gate(p, work, shapes) -> int:
    """One line per gate, as the course's equations list them."""
    n_x, n_h = p.sizes["input"], p.sizes["hidden"]
    total = 0
    for g, what in GATES[p.cell]:
        w_h, w_x, b = _course_keys(p.cell, g)
        count = n_h * n_h + n_h * n_x + n_h
        shapes[w_h], shapes[w_x], shapes[b] = [n_h, n_h], [n_h, n_x], [n_h]
        total += count
        work.note(f"{w_h}, {w_x}, {b}", count, eq="h·h + h·x + h",
                  sub="{}·{} + {}·{} + {}", args=(n_h, n_h, n_h, n_x, n_h), note=what)
    return total


def _course_keys(cell: str, g: str) -> tuple[str, str, str]:
    return ("W_hh", "W_xh", "b_h") if cell == "rnn" else (f"W_{g}h", f"W_{g}x", f"b_{g}")


def _directions(p) -> tuple[str, ...]:
    return ("forward", "backward") if p.sizes["directions"] == 2 else ("forward",)


def _layer(p, work, shapes, k: int) -> int:
    """Layer k (from 1): its keys in every direction, one line of the working."""
    n_h, G, dirs = p.sizes["hidden"], BLOCKS[p.cell], p.sizes["directions"]
    n_x = p.sizes["input"] if k == 1 else dirs * n_h
    gh = G * n_h
    keras_bias = [2, gh] if p.cell == "gru" and p.reset_after else [gh]
    for d in _directions(p):
        if p.framework == "pytorch":
            sfx = f"_l{k - 1}" + ("_reverse" if d == "backward" else "")
            shapes.update({f"weight_ih{sfx}": [gh, n_x], f"weight_hh{sfx}": [gh, n_h],
                           f"bias_ih{sfx}": [gh], f"bias_hh{sfx}": [gh]})
        elif p.framework == "keras":
            shapes.update({f"{_keras_prefix(p, k, d)}/{w}": s for w, s in (
                ("kernel", [n_x, gh]), ("recurrent_kernel", [n_h, gh]), ("bias", keras_bias))})
        else:
            pre = _course_prefix(p, k, d)
            for g, _ in GATES[p.cell]:
                w_h, w_x, b = _course_keys(p.cell, g)
                shapes.update({pre + w_h: [n_h, n_h], pre + w_x: [n_h, n_x], pre + b: [n_h]})
    eq, sub, args, count = _formula(p, n_x)
    if dirs == 2:
        eq, sub, count = f"2·({eq})", f"2·({sub})", 2 * count
    work.note(_layer_symbol(p, k), count, eq=eq, sub=sub, args=args, note=_layer_note(p, k, n_x))
    return count


def _course_prefix(p, k: int, d: str) -> str:
    return (f"layer{k}." if p.sizes["layers"] > 1 else "") + \
           (f"{d}." if p.sizes["directions"] == 2 else "")


def _layer_symbol(p, k: int) -> str:
    """The keys of layer k, as one line of the working names them."""
    two = p.sizes["directions"] == 2
    if p.framework == "pytorch":
        sfx = f"_l{k - 1}"
        return (f"weight_ih{sfx}, weight_hh{sfx}, bias_ih{sfx}, bias_hh{sfx}"
                + (" (and _reverse)" if two else ""))
    if p.framework == "keras":
        pre = _keras_prefix(p, k, "forward")
        if two:
            pre = pre.replace("/forward_", "/{forward,backward}_")
        return f"{pre}: kernel, recurrent_kernel, bias"
    keys = ", ".join(_course_keys(p.cell, "·")) + \
        (f" ({', '.join(g for g, _ in GATES[p.cell])})" if p.cell != "rnn" else "")
    pre = _course_prefix(p, k, "{forward,backward}")
    return f"{pre.rstrip('.')}: {keys}"     # only a stack or a bidirectional layer comes here


def _keras_prefix(p, k: int, d: str) -> str:
    """Keras' auto-names in one Sequential model: lstm, lstm_1, ...; bidirectional/forward_lstm."""
    n = "" if k == 1 else f"_{k - 1}"
    base = KERAS_LAYER[p.cell] + n
    if p.sizes["directions"] == 1:
        return base
    return f"bidirectional{n}/{d}_{base}"


def _formula(p, n_x: int) -> tuple[str, str, tuple, int]:
    """(equation, formula, operands, count) of one direction of a layer."""
    n_h, G = p.sizes["hidden"], BLOCKS[p.cell]
    gh, Gs = G * n_h, ("" if G == 1 else str(G))
    if p.framework == "pytorch":
        return (f"{Gs}h·x + {Gs}h·h + {Gs}h + {Gs}h", "{}·{} + {}·{} + {} + {}",
                (gh, n_x, gh, n_h, gh, gh), gh * n_x + gh * n_h + 2 * gh)
    if p.framework == "keras":
        if p.cell == "gru" and p.reset_after:
            return (f"x·{Gs}h + h·{Gs}h + 2·{Gs}h", "{}·{} + {}·{} + 2·{}",
                    (n_x, gh, n_h, gh, gh), n_x * gh + n_h * gh + 2 * gh)
        return (f"x·{Gs}h + h·{Gs}h + {Gs}h", "{}·{} + {}·{} + {}",
                (n_x, gh, n_h, gh, gh), n_x * gh + n_h * gh + gh)
    per = f"{G}·(" if G > 1 else "("
    return (f"{per}h·h + h·x + h)", per + "{}·{} + {}·{} + {})",
            (n_h, n_h, n_h, n_x, n_h), G * (n_h * n_h + n_h * n_x + n_h))


def _layer_note(p, k: int, n_x: int) -> str:
    if k == 1:
        where = f"layer 1: x = {n_x}, the input size"
    elif p.sizes["directions"] == 2:
        where = f"layer {k}: x = 2·h = {n_x}, both directions of layer {k - 1} concatenated"
    else:
        where = f"layer {k}: x = h = {n_x}, the states of layer {k - 1}"
    order = ORDER.get(p.framework, {}).get(p.cell)
    if order:
        where += f"; gate blocks in the order {' | '.join(order)}"
    if k > 1:
        return where
    if p.framework == "pytorch":
        where += "; two bias vectors per gate (bias_ih and bias_hh)"
    elif p.framework == "keras" and p.cell == "gru":
        where += ("; reset_after: the recurrent bias kept apart, bias (2, 3h)" if p.reset_after
                  else "; reset_after false: one bias (3h)")
    return where


def _readout(p, work, shapes) -> int:
    n_y = p.sizes.get("output")
    if n_y is None:
        return 0
    n_h, dirs = p.sizes["hidden"], p.sizes["directions"]
    n_in = dirs * n_h
    if p.framework == "pytorch":
        keys = {"linear.weight": [n_y, n_in], "linear.bias": [n_y]}
        what = "nn.Linear on the top layer's output"
    elif p.framework == "keras":
        keys = {"dense/kernel": [n_in, n_y], "dense/bias": [n_y]}
        what = "Dense on the top layer's output"
    else:
        keys = {"W_hy": [n_y, n_in], "b_y": [n_y]}
        what = "the read-out y_t = W_hy h_t + b_y"
    shapes.update(keys)
    count = n_y * n_in + n_y
    if dirs == 2:
        what += " (both directions concatenated: 2·h)"
        work.note(", ".join(keys), count, eq="y·2h + y", sub="{}·{} + {}",
                  args=(n_y, n_in, n_y), note=what)
    else:
        work.note(", ".join(keys), count, eq="y·h + y", sub="{}·{} + {}",
                  args=(n_y, n_h, n_y), note=what)
    return count


def _states(p, shapes) -> None:
    """Gates and states of one example at one step; PyTorch's h_n, c_n (unbatched)."""
    n_x, n_h, n_y = p.sizes["input"], p.sizes["hidden"], p.sizes.get("output")
    L, dirs = p.sizes["layers"], p.sizes["directions"]
    if p.framework == "course":
        names = [g for g, _ in GATES[p.cell]] if p.cell != "rnn" else []
    else:
        names = list(ORDER[p.framework][p.cell])
    for g in names:
        shapes[g] = [n_h]
    shapes["h"] = [n_h]
    if p.cell == "lstm":
        shapes["c"] = [n_h]
    shapes["x"] = [n_x]
    if p.framework != "course" or dirs == 2:
        shapes["output"] = [dirs * n_h]
    if p.framework == "pytorch":
        shapes["h_n"] = [dirs * L, n_h]
        if p.cell == "lstm":
            shapes["c_n"] = [dirs * L, n_h]
    if n_y is not None:
        shapes["y"] = [n_y]


def _shape_rows(p, work, shapes) -> None:
    """Every shape answered, one row each; the widths that are sums or products say so."""
    n_h, L, dirs = p.sizes["hidden"], p.sizes["layers"], p.sizes["directions"]
    for key, shape in shapes.items():
        eq, sub, args = "", "", ()
        if key == "output" and dirs == 2:
            eq, sub, args = "(2·h): both directions concatenated", "(2·{})", (n_h,)
        elif key in ("h_n", "c_n"):
            eq, sub, args = "(directions·layers, h)", "({}·{}, {})", (dirs, L, n_h)
        work.note(key, list(shape), phase="shapes", eq=eq, sub=sub, args=args)
