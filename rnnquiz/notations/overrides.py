"""`layout:` (SPEC 1.15): a course that departs from its framework's conventions keeps the
framework's notation and says where it departs. The notation is rebuilt from its description
(layouts.Layout, or concat.Concat) with the change, so the working, the gradients in the
file's keys and shapes, the shape checks and the stacks all follow the file.

    gate_order   the gates' order in stacked keys: fastbook's LSTMCell chunks i, f, o, g
    concat       [x, h] or [h, x]: one matrix on the concatenation (TF1; deeplearning.ai)
    orientation  row (x W, shapes (from, to)) or column (W x, shapes (to, from))
    steps_from   0 or 1: the number of the first step
"""

from __future__ import annotations

from dataclasses import replace

from . import Notation, make
from .concat import Concat
from .layouts import CANONICAL, OPTIONAL, Gate, Layout

FIELDS = ("gate_order", "concat", "orientation", "steps_from")
# the letters a file may order the gates by -> the canonical gate: each course's own
# (PyTorch's g and n, Keras' c and h, TF1's j, deeplearning.ai's u and c)
LETTERS = {"lstm": {"i": "i", "u": "i", "f": "f", "o": "o", "g": "g", "c": "g", "j": "g",
                    "r": "r"},      # r: the relevance gate (relevance_gate: true)
           "gru": {"r": "r", "z": "u", "u": "u", "n": "c", "h": "c", "c": "c"},
           "gated": {"g": "g", "s": "s"}}
LABEL = {"lstm": {"i": "i", "f": "f", "o": "o", "g": "g"}, "gru": {"r": "r", "u": "z", "c": "n"}}


def read(v, cell: str, err) -> dict:
    """The `layout:` mapping, checked: {gate_order: canonical gates and their letters, x_first,
    row, first}, each present only where the file gives it."""
    if not isinstance(v, dict) or not v:
        raise err(("layout",), "expected a mapping of gate_order, concat, orientation, "
                               "steps_from")
    out = {}
    for key, value in v.items():
        where = ("layout", key)
        if key not in FIELDS:
            raise err(where, f"unknown key; expected one of {', '.join(FIELDS)}")
        if key == "gate_order":
            out["gate_order"] = _order(value, cell, err)
        elif key == "concat":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value) \
                    or sorted(value) != ["h", "x"]:
                raise err(where, f"expected [x, h] or [h, x], got {_show(value)}")
            out["x_first"] = value[0] == "x"
        elif key == "orientation":
            if value not in ("row", "column"):
                raise err(where, f"expected row or column, got {_show(value)}")
            out["row"] = value == "row"
        elif isinstance(value, bool) or value not in (0, 1):
            raise err(where, f"expected 0 or 1 (the number of the first step), got "
                             f"{_show(value)}")
        else:
            out["first"] = int(value)
    return out


def _show(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int) and v.bit_length() > 1000:       # str() refuses past 4,300 digits
        return f"a whole number of about {int(v.bit_length() * 0.30103):,} digits"
    if isinstance(v, str):
        return repr(v)
    try:
        text = str(v).replace("'", "")
    except ValueError:          # str() refuses a whole number of more than 4,300 digits
        return "a value holding a whole number too long to show"
    return text if len(text) <= 60 else f"{text[:60]}… ({len(text):,} characters)"


def _order(value, cell: str, err) -> tuple:
    where = ("layout", "gate_order")
    letters = LETTERS.get(cell)
    if letters is None:
        raise err(where, f"the {cell} cell has one gate; gate_order orders the gates of a "
                         "gated cell (lstm, gru)")
    gates = tuple(CANONICAL[cell])
    optional = OPTIONAL.get(cell, ())
    # the LSTM has 4 gates; its relevance gate r (a fifth) only with relevance_gate: true
    count = f"{len(gates) - len(optional)}" + (f" (or {len(gates)})" if optional else "")
    if not isinstance(value, list) or not all(isinstance(g, str) for g in value):
        raise err(where, f"expected a list of the {cell}'s {count} gate letters, "
                         f"got {_show(value)}")
    unknown = [g for g in value if g not in letters]
    if unknown:
        raise err(where, f"unknown gate {unknown[0]!r} for the {cell} cell; expected its "
                         f"{count} gates, each once, from {', '.join(letters)}")
    canon = tuple(letters[g] for g in value)
    if sorted(canon) != sorted(gates):
        gates = tuple(g for g in gates if g not in optional or g in canon)
    if sorted(canon) != sorted(gates):
        raise err(where, f"expected each of the {cell}'s {len(gates)} gates once "
                         f"({', '.join(LABEL.get(cell, {}).get(g, g) for g in gates)}), "
                         f"got [{', '.join(value)}]")
    return tuple(zip(canon, value))


# ---------------------------------------------------------------- what a notation is built from

def source(n: Notation):
    """(Layout or Concat, x_first, state symbol) of a notation: `make`'s, or for the notations
    written out by hand, the same description here."""
    if n.source is not None:
        return n.source
    from . import mit   # noqa: PLC0415 (MIT's layout only)
    readout = ("W_hy", "b_y")
    if n.name == "hinton":
        return Layout("rnn", {"z": Gate("W_xh", "W_hh", ("b_h",))}, readout=readout), True, "h"
    if n.name == "mit":
        gates = {"lstm": mit.LSTM_GATES, "gru": mit.GRU_GATES, "gated": mit.GATED_GATES}[n.cell]
        if n.cell == "lstm" and "W_rh" in n.weights:       # the relevance gate (SPEC 1.15)
            gates = {**gates, "r": CANONICAL["lstm"]["r"]}
        lay = Layout(n.cell, {g: Gate(W_x, W_h, (b,)) for g, (W_h, W_x, b) in gates.items()},
                     readout=None if n.cell == "gated" else readout)
        return lay, False, "s" if n.cell == "gated" else "h"
    if n.name == "pytorch":
        order = "ifgo" if n.cell == "lstm" else "ruc"
        label = {"u": "z", "c": "n"}
        gates = {g: Gate("weight_ih", "weight_hh", ("bias_ih", "bias_hh"), block=k,
                         label=label.get(g, g) if n.cell == "gru" else g)
                 for k, g in enumerate(order)}
        return Layout(n.cell, gates, readout=readout,
                      apart="c" if n.cell == "gru" else None), True, "h"
    if n.name == "deeplearning_ai":
        have = ("r",) if n.cell == "lstm" and "W_r" in n.weights else ()
        return Concat(n.cell, _core(n.cell, have), x_first=False, readout=readout), \
            False, n.names["h"][1]
    return None


def _core(cell: str, have=()) -> tuple:
    """The cell's gates: its optional ones (the LSTM's relevance gate) only where `have` has them."""
    return tuple(g for g in CANONICAL[cell] if g not in OPTIONAL.get(cell, ()) or g in have)


def adapt(n: Notation, spec: dict, data: dict, net_keys: set, err) -> Notation:
    """The notation `n` with the file's `layout:` (read by `read`) applied."""
    if n.feedback is not None and any(k in net_keys for k in n.feedback_keys):
        raise err(("layout",), f"does not apply to output feedback ({', '.join(n.feedback_keys)}); "
                               f"write the network in the {n.name} notation's own layout")
    out = _rebuilt(n, spec, data, err) if spec.keys() - {"first"} else n
    if "first" in spec:
        out = replace(out, first=spec["first"])
    if n.variant is not None:       # Keras' GRU, the LSTM variants, the MITx peepholes
        out = replace(out, variant=_adapted(n.variant, spec, data, net_keys, err))
    return out


def _adapted(variant, spec: dict, data: dict, net_keys: set, err):
    def adapted(words: dict, given=()):
        if words.get("recurrence") == "cell":       # its own working reads c_{t-1}
            raise err(("layout",), "does not combine with recurrence: cell; write the network "
                                   "in the notation's own layout")
        return adapt(variant(words, given), spec, data, net_keys, err)
    return adapted


def _rebuilt(n: Notation, spec: dict, data: dict, err) -> Notation:
    built = source(n)
    if built is None:
        raise err(("layout",), f"the {n.name} notation's {n.cell} cannot take layout: "
                               "overrides; write its own keys")
    base, x_first, state = built
    order = spec.get("gate_order")
    if "x_first" in spec or isinstance(base, Concat):
        if n.cell == "gru" and "pytorch" in (n.convention, data.get("convention")):
            raise err(("layout", "concat"), f"the {n.name} notation's GRU resets after the "
                      "product (r_t ⊙ (W_hn h_{t-1} + b_hn)), which no matrix on the "
                      "concatenation gives; leave concat out")
        if n.cell not in CANONICAL or set(base.gates) != set(_core(n.cell, base.gates)):
            raise err(("layout", "concat"), f"the {n.name} notation's {n.cell} has keys "
                      "beyond the gates' (write them in its own layout)")
        gates = tuple(g for g, _ in order) if order else _core(n.cell, base.gates)
        if order and n.variant is None and set(gates) != set(_core(n.cell, base.gates)):
            raise err(("layout", "gate_order"), "the relevance gate r is one of the stacked "
                      "gates exactly when the network says relevance_gate: true")
        lay = Concat(n.cell, tuple(g for g in CANONICAL[n.cell] if g in gates),
                     x_first=spec.get("x_first", getattr(base, "x_first", True)),
                     row=spec.get("row", base.row),
                     order=tuple(g for g, _ in order) if order else (),
                     labels=tuple(letter for _, letter in order) if order else (),
                     readout=base.readout)
        weights, biases = lay.shapes()
        fields = dict(weights=weights, biases=biases, canonical=lay.canonical,
                      gradients=lay.gradients,
                      pre=lay.pre(state, n.sub, n.x, reset=lambda t: n.symbol("r", t)),
                      file_names=lay.file_names())
    else:
        stacked = any(g.block is not None for g in base.gates.values())
        gates = base.gates
        if order and not stacked:
            raise err(("layout", "gate_order"), f"orders the gates of one stacked matrix; the "
                      f"{n.name} notation's {n.cell} has keys of its own per gate (with concat: "
                      "[x, h] or [h, x] the gates share one stacked W)")
        if order:
            gates = {g: replace(gate, block=[c for c, _ in order].index(g))
                     for g, gate in gates.items()}
        lay = replace(base, gates=gates, row=spec.get("row", base.row))
        m = make(n.name, lay, n.states, sub=n.sub, state=state, x_first=x_first, x=n.x,
                 keep=True)
        fields = {k: getattr(m, k) for k in ("weights", "biases", "canonical", "gradients",
                                             "pre", "file_names")}
        if n.name == "pytorch" and n.source is None and not lay.row:   # its own W_ii, b_hi
            from .pytorch import GRU_LETTER, pre_activations   # noqa: PLC0415 (PyTorch's GRU only)
            by_block = sorted(gates, key=lambda g: gates[g].block)
            fields["pre"] = pre_activations(tuple(by_block), GRU_LETTER if n.cell == "gru" else {})
    fields["source"] = (lay, x_first, state) if isinstance(lay, Layout) else None
    own = set(base.shapes()[0]) | set(base.shapes()[1])
    return _carry(n, fields, own, lay.row)


def _carry(n: Notation, fields: dict, own: set, row: bool) -> Notation:
    """The rebuilt notation, with the keys beside the gates' (peepholes, a read-out of the
    gated RNN) kept as the notation writes them, their gradients passed through."""
    extra_w = {k: v for k, v in n.weights.items() if k not in own}
    extra_b = {k: v for k, v in n.biases.items() if k not in own}
    gradients = fields["gradients"]
    extra = [*extra_w, *extra_b]

    def with_extra(grads, params, sizes):
        out = gradients(grads, params, sizes)
        out.update({k: grads[k] for k in extra if k in grads and k not in out})
        return out
    return replace(n, weights={**fields["weights"], **extra_w},
                   biases={**fields["biases"], **extra_b}, canonical=fields["canonical"],
                   gradients=with_extra, pre=fields["pre"], file_names=fields["file_names"],
                   layout="row" if row else "column", source=fields["source"], feedback=None,
                   variant=None)
