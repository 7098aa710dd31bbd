"""The `network:` mapping -> a `Network` of float64 arrays with checked shapes.

Sizes are inferred from whatever the file gives (`h` from `W_hh`, `b_h` or
`h_init`, `x` from the inputs, `y` from `W_hy` or `b_y`), then every key is
checked against them, and a mismatch is named with both shapes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from ..notations import Notation
from . import limits
from .values import deeper_than_rows, error_at, nested_numbers, numbers, shown_value


@dataclass
class Network:
    """Parameters as float64 arrays: weights 2-D `(to, from)`, biases and states 1-D."""

    notation: Notation
    params: dict[str, np.ndarray]
    written: dict[str, tuple | None]     # the shape each given key was written with (None: a number)
    sizes: dict[str, int]                # h, x, y
    words: dict[str, str]
    has_output: bool                     # W_hy or b_y given (cells: y_t = W_hy h_t + b_y)
    vector: bool                         # some parameter or input written as a list
    aliases: dict = field(default_factory=dict)   # a key as the file wrote it -> the notation's
    engine: str | None = None            # the cells module that runs it, if not run/stack

    def __getitem__(self, key: str) -> np.ndarray:
        return self.params[key]

    def canonical(self, cell: str) -> dict:
        """The cell's canonical parameters from the file's keys (and the read-out's)."""
        P = {**self.params, **self.notation.canonical(self.params, self.sizes)}
        if "b_hn" not in P and cell == "gru":
            P["b_hn"] = np.zeros(self.sizes["h"])
        return P

SIZE_NAMES = {"h": "hidden size", "x": "input size", "y": "output size", "v": "vocabulary size"}
ALIASES = {"sigmoid": "logistic"}       # SPEC 1.1: `sigmoid` is accepted as `logistic`
_DIM = re.compile(r"^(\d*)([hxyv])(?:\+([hxy]))?$")


def _dim(expr: str, sizes: dict[str, int]) -> int | None:
    if expr.isdigit():          # a fixed dimension: Keras' (2, 3H) GRU bias
        return int(expr)
    m = _DIM.match(expr)
    k, a, b = int(m.group(1) or 1), m.group(2), m.group(3)
    if a not in sizes or (b and b not in sizes):
        return None
    return k * sizes[a] + (sizes[b] if b else 0)


def _solve(expr: str, n: int, sizes: dict[str, int]) -> None:
    """Learn a size from one dimension of a written array, where it determines one."""
    if expr.isdigit():
        return
    m = _DIM.match(expr)
    k, a, b = int(m.group(1) or 1), m.group(2), m.group(3)
    if b:
        if a not in sizes and b in sizes and n > sizes[b]:
            sizes[a] = n - sizes[b]
        return
    if a not in sizes and n % k == 0 and n >= k:
        sizes[a] = n // k


# The multiply-adds a problem may ask for (steps x examples x gates x units x (units + inputs
# + outputs)) against limits.MAX_WORK (10^10, a few seconds of numpy): past it a file is
# refused by name, before a single weight is allocated.
GATES = {"rnn": 1, "lstm": 4, "gru": 3, "gated": 2}


def _bounded(notation, sizes: dict, inputs, batch, err) -> None:
    T, N = inputs.shape[0], (batch or 1)
    work = T * N * GATES.get(notation.cell, 4) * sizes["h"] * (sizes["h"] + sizes["x"] + sizes["y"])
    if work > limits.MAX_WORK:
        raise err(("network",), f"asks for about {work:.1e} multiply-adds ({T:,} steps of "
                                f"{sizes['h']:,} units" + (f" for {N:,} examples" if batch else "")
                                + f"), more than the limit of {limits.MAX_WORK:.0e}; split the "
                                  "sequence or shrink the network (--max-work raises the limit)")


def _word(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int) and v.bit_length() > 200:     # str() refuses past 4,300 digits
        return f"a whole number of {v.bit_length():,} bits"
    return str(v)


def describe_shape(shape: tuple | None) -> str:
    if shape is None:
        return "a number"
    return "x".join(str(s) for s in shape) if len(shape) > 1 else f"{shape[0]} numbers"


def _expected(dims: tuple[str, ...], sizes: dict[str, int]) -> str:
    parts = []
    for d in dims:
        if d.isdigit():
            parts.append(d)
            continue
        k, a, b = _DIM.match(d).groups()
        # the vocabulary is known only from the embedding's rows; written as a number it is not
        text = f"{SIZE_NAMES[a]} {sizes[a]}" if a in sizes else SIZE_NAMES[a]
        if k:
            text = f"{k} x {text}"
        if b:
            text += f" + {SIZE_NAMES[b]} {sizes[b]}"
        parts.append(text)
    return " by ".join(parts)


def _read(v, keys: tuple, depth: int) -> tuple[np.ndarray, tuple | None]:
    """A key's numbers as written. A list nested deeper than the key takes (PyTorch's h_0,
    (1, N, H), where a state is one row) is read whole, so that the shape check names the
    shape it has and the one expected, not the first number that is a list."""
    first = v[0] if isinstance(v, list) and v else None
    if isinstance(first, (list, np.ndarray)) and (depth == 1 or deeper_than_rows(v)):
        arr = nested_numbers(v, keys, 4) if deeper_than_rows(v) else numbers(v, keys)[0]
        return arr, arr.shape
    return numbers(v, keys, depth=depth)


# the notations whose network is one mapping of a framework's keys (SPEC 1.15)
H0_NOTATIONS = ("pytorch", "cmu11785")


def takes_h0(notation) -> bool:
    """Whether a batch's states may be written as torch.nn.RNN's h_0: PyTorch's keys, and CMU
    11-785's mytorch cells, which are nn.RNNCell and nn.GRUCell by other names (SPEC 1.15)."""
    return bool(notation.suffix) or notation.name in H0_NOTATIONS


def _state_forms(notation, key: str, arr: np.ndarray, want: tuple, batch: int | None) -> str:
    """The other forms an initial state takes: a row per example in a batch, and PyTorch's
    batched h_0 where the notation reads it."""
    if key not in notation.states:
        return ""
    if batch:
        return f", or {batch}x{'x'.join(map(str, want))} (one row per example)"
    return "; torch.nn.RNN's h_0, (1, N, H), is read with batch: true" \
        if arr.ndim == 3 and takes_h0(notation) else ""


def build_network(notation: Notation, net: dict, inputs: np.ndarray, inputs_vector: bool,
                  err: Callable, batch: int | None = None):
    aliases = {}
    if notation.suffix:         # PyTorch's state_dict: weight_ih_l0 is the one layer's weight_ih
        for key in list(net):
            base = key.removesuffix(notation.suffix)
            if key != base and base in notation.keys and base not in net:
                aliases[key] = base
        net = {aliases.get(k, k): v for k, v in net.items()}
    for key in net:
        if key not in notation.keys:
            raise err(("network", key), f"unknown key for the {notation.cell} cell in "
                                        f"{notation.name} notation; expected one of "
                                        f"{', '.join(notation.keys)}")
    words = {}
    for key, options in notation.words.items():
        v = net.get(key, options[0])         # the notation lists its default first
        v = ALIASES.get(v, v) if isinstance(v, str) else v
        if isinstance(v, bool) != isinstance(options[0], bool) or v not in options:
            names = ", ".join(o if isinstance(o, str) else _word(o) for o in options)
            got = shown_value(v) if isinstance(v, (str, int)) and not isinstance(v, bool) else _word(v)
            raise err(("network", key), f"expected one of {names}, got {got}")
        words[key] = v
    for course, ours in notation.word_names.items():     # Keras' names for the same words
        if course in words:
            words[ours] = words[course]
    if notation.variant is not None:
        try:
            notation = notation.variant(words, net)     # net: the keys the file gives
        except ValueError as e:         # a variant the notation cannot write (SPEC 1.15)
            from ..notations.refused import Refused   # noqa: PLC0415 (on an error only)
            if not isinstance(e, Refused):
                raise
            raise err(e.keys, str(e)) from None
    if any(k in net for k in notation.feedback_keys):
        notation = notation.feedback        # W_yh, y_init: the output fed back (SPEC 1.1)

    shapes = {**notation.weights, **{k: (d,) for k, d in notation.biases.items()},
              **{k: (s if s == "y" else "h",) for k, s in notation.states.items()}}
    # every state has the state's size; y_init the output's
    if notation.embedding in net:       # a row per token; x_t is the row of token x_t
        shapes[notation.embedding] = ("v", "x")
    given: dict[str, np.ndarray] = {}
    written: dict[str, tuple | None] = {}
    for key in shapes:
        if key in net:
            # biases may be written as columns (deeplearning.ai's (n_a, 1)); in a batch an
            # initial state may hold one row per example
            depth = 2 if key in notation.weights or key in notation.biases or \
                key == notation.embedding or \
                (batch and key in notation.states) else 1
            arr, shape = _read(net[key], ("network", key), depth)
            given[key], written[key] = arr, shape

    sizes = {} if notation.embedding in given else {"x": inputs.shape[-1]}
    for _ in range(3):       # a few passes settle h+x style dimensions
        for key, arr in given.items():
            dims = shapes[key]
            if arr.ndim == len(dims):
                for n, d in zip(arr.shape, dims):
                    _solve(d, n, sizes)
            elif arr.ndim == 1 and len(dims) == 2:
                # a weight written as one row or one column: it gives the other side
                _solve(dims[1], arr.shape[0], sizes) if _dim(dims[0], sizes) == 1 else None
    for k in ("h", "y", "x"):
        sizes.setdefault(k, 1)
    _bounded(notation, sizes, inputs, batch, err)

    params: dict[str, np.ndarray] = {}
    for key, dims in shapes.items():
        want = tuple(_dim(d, sizes) for d in dims)
        if key not in given:
            # a read-only view of one 0 (no memory: W_hh of 70,000 units would be 39 GB)
            params[key] = np.broadcast_to(np.float64(0.0), want)
            continue
        arr = given[key]
        if arr.ndim == 0:
            if len(want) == 1:      # a number bias or state fills the vector
                arr = np.full(want, float(arr))
            elif want == (1, 1):
                arr = arr.reshape(1, 1)
        elif arr.ndim == 2 and len(want) == 1 and arr.shape == (want[0], 1) and \
                key in notation.biases:
            arr = arr.reshape(-1)           # a column bias, (n, 1)
        elif arr.ndim == 2 and batch and key in notation.states and arr.shape == (batch, *want):
            params[key] = arr               # one initial state per example
            continue
        elif arr.ndim == 1 and len(want) == 2:
            if want[0] == 1 and arr.shape[0] == want[1]:
                arr = arr.reshape(1, -1)
            elif want[1] == 1 and arr.shape[0] == want[0]:
                arr = arr.reshape(-1, 1)
        if arr.shape != want:
            raise err(("network", key),
                      f"has shape {describe_shape(written[key])}, expected "
                      f"{'x'.join(d.upper() if w is None else str(w) for w, d in zip(want, dims))}"
                      f" ({_expected(dims, sizes)})"
                      f"{_state_forms(notation, key, arr, want, batch)}")
        params[key] = arr
    vector = inputs_vector or any(s is not None for s in written.values())
    has_output = any(k in given for k in notation.readout)
    return Network(notation=notation, params=params, written=written, sizes=sizes,
                   words=words, has_output=has_output, vector=vector, aliases=aliases)


def as_written(notation: Notation, data: dict, net, err) -> Notation:
    """The notation as the file writes it: its `layout:` applied, its read-out named as a
    framework prints it (`fc.weight`). Only a file with either reads notations/framework_keys.py
    (start-up)."""
    layers = net if isinstance(net, list) else [net]
    if "layout" in data or any(isinstance(k, str) and "." in k and k not in notation.keys
                               for layer in layers if isinstance(layer, dict)
                               for part in (layer, layer.get("forward"), layer.get("backward"))
                               if isinstance(part, dict) for k in part):
        from ..notations.framework_keys import adapt   # noqa: PLC0415 (start-up: only then)
        return adapt(notation, data, net, err)
    return notation


def token_indices(p, net: Network) -> np.ndarray:
    """With an embedding the inputs are token indices: x_t is the embedding's row x_t."""
    err = error_at
    key = net.notation.embedding
    V = net.params[key].shape[0]
    if p.inputs.shape[-1] != 1:
        raise err(("inputs",), f"expected token indices (one whole number a step), since "
                                f"network.{key} is given; got vectors")
    idx = p.inputs[..., 0]
    bad = np.argwhere((idx != np.round(idx)) | (idx < 0) | (idx >= V))
    if len(bad):
        at = tuple(int(i) for i in bad[0])
        where = ("inputs", at[1], at[0]) if p.batch else ("inputs", at[0])
        raise err(where, f"expected a token index from 0 to {V - 1} (network.{key} has {V} "
                          f"rows), got {idx[at]:g}")
    return idx.astype(int)
