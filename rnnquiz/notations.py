"""The network keys of every cell in every notation, and their shapes.

A shape is written with the sizes `h` (state), `x` (input) and `y` (output),
optionally multiplied (`4h`, PyTorch's stacked gates) or added (`h+x`, weights
on the concatenation `[a_{t-1}; x_t]`). One registry, keyed by (cell, notation).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Notation:
    """How one course writes one cell: its keys, their shapes, its state names."""

    cell: str
    name: str
    weights: dict[str, tuple[str, str]]
    biases: dict[str, str]
    states: dict[str, str]                 # key of the initial state -> symbol of the state
    words: dict[str, tuple[str, ...]] = field(default_factory=dict)   # e.g. activations

    @property
    def keys(self) -> list[str]:
        return [*self.weights, *self.biases, *self.states, *self.words]

    @property
    def params(self) -> list[str]:
        """The trainable parameters (weights, then biases), as the file names them."""
        return [*self.weights, *self.biases]


HIDDEN_ACTIVATIONS = ("logistic", "tanh", "relu", "linear")
OUTPUT_ACTIVATIONS = ("linear", "logistic", "tanh", "softmax")

# Every cell may end in a linear read-out y_t = W_hy h_t + b_y (SPEC 1.6).
_OUT_W = {"W_hy": ("y", "h")}
_OUT_B = {"b_y": "y"}

NOTATIONS: dict[tuple[str, str], Notation] = {}


def register(n: Notation) -> Notation:
    NOTATIONS[(n.cell, n.name)] = n
    return n


register(Notation(
    cell="rnn", name="hinton",
    weights={"W_xh": ("h", "x"), "W_hh": ("h", "h"), **_OUT_W},
    biases={"b_h": "h", **_OUT_B},
    states={"h_init": "h"},
    words={"hidden": HIDDEN_ACTIVATIONS, "output": OUTPUT_ACTIVATIONS},
))

register(Notation(
    cell="lstm", name="mit",
    weights={"W_fh": ("h", "h"), "W_fx": ("h", "x"), "W_ih": ("h", "h"), "W_ix": ("h", "x"),
             "W_oh": ("h", "h"), "W_ox": ("h", "x"), "W_ch": ("h", "h"), "W_cx": ("h", "x"),
             **_OUT_W},
    biases={"b_f": "h", "b_i": "h", "b_o": "h", "b_c": "h", **_OUT_B},
    states={"h_init": "h", "c_init": "h"},
))

DEFAULT_NOTATION = {"rnn": "hinton", "lstm": "mit", "gru": "mit", "gated": "mit"}


def notation_for(cell: str, name: str | None) -> Notation | None:
    return NOTATIONS.get((cell, name or DEFAULT_NOTATION.get(cell, "")))


def notation_names(cell: str) -> list[str]:
    return sorted(n for (c, n) in NOTATIONS if c == cell)
