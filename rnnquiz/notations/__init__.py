"""How each course writes each cell: one registry, keyed by (cell, notation).

A `Notation` names the keys a file may use and their shapes, and maps them onto
the cell's canonical math (the MITx names: W_fh, W_fx, b_f, ... for the LSTM;
W_uh, W_ux, b_u, ... for the GRU; W_gs, W_gx, b_g, W_ss, W_sx, b_s for the gated
RNN). It also says how the working writes each quantity, so the working is shown
in the file's own symbols. Adding a notation is one small module here, named in MODULES.

A shape is written with the sizes `h` (state), `x` (input) and `y` (output),
optionally multiplied (`4h`, PyTorch's stacked gates) or added (`h+x`, weights
on the concatenation `[a_{t-1}; x_t]`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Callable

HIDDEN_ACTIVATIONS = ("logistic", "tanh", "relu", "linear", "step", "hard_sigmoid")
# every notation but Hinton's defaults to tanh (SPEC 1.1): the default is listed first
TANH_FIRST = ("tanh", "logistic", "relu", "linear", "step", "hard_sigmoid")
OUTPUT_ACTIVATIONS = ("linear", "logistic", "tanh", "softmax")

GATE_ACTIVATIONS = ("logistic", "hard_sigmoid")
CANDIDATE_ACTIVATIONS = ("tanh", "logistic")
# the words each cell takes in every notation but Hinton's (SPEC 1.1, 1.3)
CELL_WORDS = {
    "rnn": {"hidden": TANH_FIRST, "output": OUTPUT_ACTIVATIONS},
    "lstm": {"gate_activation": GATE_ACTIVATIONS, "candidate_activation": CANDIDATE_ACTIVATIONS,
             "output": OUTPUT_ACTIVATIONS},
    "gru": {"gate_activation": GATE_ACTIVATIONS, "candidate_activation": CANDIDATE_ACTIVATIONS,
            "output": OUTPUT_ACTIVATIONS},
    "gated": {"gate_activation": GATE_ACTIVATIONS, "candidate_activation": CANDIDATE_ACTIVATIONS,
              "output": OUTPUT_ACTIVATIONS},
}
# the words that ask for a variant of a cell (SPEC 1.15), each word's options with its default
# first: the LSTM's, in the notations with a key per gate (cells/__init__.py's VARIANTS names
# the module that builds the variant)
LSTM_VARIANT_WORDS = {"relevance_gate": (False, True), "state_activation": ("tanh", "linear"),
                      "recurrence": ("hidden", "cell")}
VARIANT_WORDS = {"lstm": LSTM_VARIANT_WORDS}

# Every cell may end in a linear read-out y_t = W_hy h_t + b_y (SPEC 1.6).
OUT_W = {"W_hy": ("y", "h")}
OUT_B = {"b_y": "y"}


def _identity(params: dict, sizes: dict) -> dict:
    return dict(params)


def _same(grads: dict, params: dict, sizes: dict) -> dict:
    return dict(grads)


def subscript(name: str, t: int) -> str:
    """h_1, h_{-1}: the MITx and Hinton subscripts."""
    return f"{name}_{t}" if t >= 0 else f"{name}_{{{t}}}"


@dataclass(frozen=True)
class Notation:
    """One course's way of writing one cell."""

    cell: str
    name: str
    weights: dict[str, tuple[str, str]]
    biases: dict[str, str]
    states: dict[str, str]                  # initial-state key -> canonical state (h, c, s)
    words: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # canonical quantity -> (answer key, symbol in the working)
    names: dict[str, tuple[str, str]] = field(default_factory=dict)
    # file parameters -> canonical parameters, and canonical gradients -> file keys
    canonical: Callable[[dict, dict], dict] = _identity
    gradients: Callable[[dict, dict, dict], dict] = _same
    # (gate, file params, canonical params, previous state, x_t, t) -> (equation, formula, operands)
    pre: Callable | None = None
    sub: Callable[[str, int], str] = subscript
    convention: str | None = None           # a GRU notation that fixes its convention
    gate_words: dict[str, str] = field(default_factory=dict)   # a gate the course names otherwise
    first: int = 0                          # the number of the first step (1: a<1>, H_1, h(1))
    layout: str = "column"                  # column: W h, shapes (to, from); row: x W, (from, to)
    readout: tuple[str, str] = ("W_hy", "b_y")   # the file's keys of y_t = W_hy h_t + b_y
    embedding: str = "embedding"            # one row per token: the inputs are token indices
    file_names: dict[str, str] = field(default_factory=dict)   # canonical key -> the file's
    suffix: str = ""                        # taken off the file's keys: PyTorch's `_l0`
    # words the course names otherwise: Keras' recurrent_activation is the gate_activation
    word_names: dict[str, str] = field(default_factory=dict)
    # the notation to use once the network's words are known (Keras' GRU: reset_after)
    variant: Callable[[dict], "Notation"] | None = None
    always_reads_out: bool = False          # y_t = output(W_hy h_t + b_y) even with no key given
    x: str = "x"                            # the input's name in the working (d2l's X_t)
    # the same notation with output feedback (W_yh, y_init), used when the file gives those keys
    feedback: "Notation | None" = None
    loss: str = "squared"                   # the loss a file without `loss:` is solved with
    # a network the layout cannot hold (Hagan's tapped delay lines): the module of problem/
    # whose `claim(problem, document, err, notation)` says whether it read it (else the layout
    # reads it, as any other); named, not imported, as problem/ reads the notations
    own_network: str | None = None
    # what `make` built it from, (Layout, x_first, state): `layout:` rebuilds it (overrides.py)
    source: tuple | None = None

    @property
    def keys(self) -> list[str]:
        return [*self.weights, *self.biases, *self.states, *self.words, self.embedding,
                *self.feedback_keys]

    @property
    def feedback_keys(self) -> list[str]:
        """The keys that turn output feedback on (W_yh, y_init): the feedback notation's own."""
        if self.feedback is None:
            return []
        own = {*self.weights, *self.biases, *self.states}
        return [k for k in (*self.feedback.weights, *self.feedback.states) if k not in own]

    @property
    def params(self) -> list[str]:
        """The trainable parameters (weights, then biases), as the file names them."""
        return [*self.weights, *self.biases]

    def key(self, quantity: str) -> str:
        """The answer key of a canonical quantity in this notation (h -> a for deeplearning.ai)."""
        return self.names.get(quantity, (quantity, quantity))[0]

    def symbol(self, quantity: str, t: int) -> str:
        return self.sub(self.names.get(quantity, (quantity, quantity))[1], t)


# (cell, notation) -> the module of this package that registers it. A file names one notation,
# so only its module is imported (start-up: all eleven were the largest part of a plain
# solve's own imports); tests/test_registry_tables.py checks this table against what the
# modules register, so it cannot drift. Adding a notation is one module and its lines here.
MODULES: dict[tuple[str, str], str] = {      # by module (the order the schema lists words in)
    ("rnn", "cmu11785"): "cmu11785", ("gru", "cmu11785"): "cmu11785",
    ("rnn", "cs231n"): "cs231n", ("lstm", "cs231n"): "cs231n",
    ("rnn", "d2l"): "d2l", ("lstm", "d2l"): "d2l", ("gru", "d2l"): "d2l",
    ("lstm", "mit"): "mit", ("gru", "mit"): "mit", ("gated", "mit"): "mit",
    ("lstm", "deeplearning_ai"): "deeplearning_ai", ("gru", "deeplearning_ai"): "deeplearning_ai",
    ("rnn", "deeplearning_ai"): "deeplearning_ai",
    ("rnn", "goodfellow"): "goodfellow", ("lstm", "goodfellow"): "goodfellow",
    ("gru", "goodfellow"): "goodfellow",
    ("rnn", "hinton"): "hinton",
    ("rnn", "karpathy"): "karpathy",
    ("rnn", "keras"): "keras", ("lstm", "keras"): "keras", ("gru", "keras"): "keras",
    ("rnn", "mit"): "mit_simple_rnn",
    ("rnn", "slp"): "slp", ("lstm", "slp"): "slp",
    ("rnn", "hagan"): "hagan",
    ("lstm", "pytorch"): "pytorch", ("gru", "pytorch"): "pytorch", ("rnn", "pytorch"): "pytorch",
}
DEFAULT_NOTATION = {"rnn": "hinton", "lstm": "mit", "gru": "mit", "gated": "mit"}
# A notation that is a model of its own, not a course's keys for a cell (an echo state network:
# a reservoir driven, never trained, its read-out seeing the input too): notation -> the module
# of this package that describes it (NOTATION, NUMBERS). `forward` solves it; imported when a
# file names it.
MODELS: dict[str, str] = {"esn": "esn"}
_ESN = ("the esn notation (an echo state network) is solved by type forward: its reservoir is "
        "not trained by gradients, its read-out is given or fitted (readout_fit)")
# a course that writes no such cell: the error says so rather than listing the others
ABSENT: dict[tuple[str, str], str] = {
    ("gru", "slp"): "the slp notation (SLP3 ch. 8) has no GRU; write it in goodfellow notation, "
                    "or mit with convention: fully_gated",
    **{(cell, "esn"): _ESN for cell in DEFAULT_NOTATION},
}


class Registry(Mapping):
    """Every (cell, notation) of MODULES -> its `Notation`; iterating names them all without
    importing any, looking one up imports its module (once)."""

    def __init__(self) -> None:
        self.loaded: dict[tuple[str, str], Notation] = {}

    def __getitem__(self, key: tuple[str, str]) -> Notation:
        if key not in self.loaded:
            import importlib   # noqa: PLC0415 (start-up: only a lookup needs it)
            importlib.import_module(f"{__name__}.{MODULES[key]}")
        return self.loaded[key]

    def __iter__(self):
        return iter(MODULES)

    def __len__(self) -> int:
        return len(MODULES)


NOTATIONS = Registry()


def register(n: Notation) -> Notation:
    NOTATIONS.loaded[(n.cell, n.name)] = n
    return n


def model(name: str):
    """The module describing a model notation of MODELS (`esn`), imported on first use."""
    import importlib   # noqa: PLC0415 (start-up: only a file naming the model needs it)
    return importlib.import_module(f"{__name__}.{MODELS[name]}")


def notation_for(cell: str, name: str | None) -> Notation | None:
    n = NOTATIONS.get((cell, name or DEFAULT_NOTATION.get(cell, "")))
    if n is None and isinstance(name, str) and name in MODELS and model(name).NOTATION.cell == cell:
        return model(name).NOTATION         # a model notation's keys (esn: the simple RNN's)
    return n


def notation_names(cell: str) -> list[str]:
    return sorted(n for (c, n) in MODULES if c == cell)


def make(name: str, layout, states: dict, *, sub: Callable = subscript, state: str = "h",
         x_first: bool = True, x: str = "x", keep: bool = False, **kw) -> Notation:
    """The notation of one course for one cell, from its `layouts.Layout`; registered unless
    `keep` (a variant that another notation hands out)."""
    from .layouts import pre_for   # noqa: PLC0415 (start-up: only notations made from a layout)
    weights, biases = layout.shapes()
    kw.setdefault("words", CELL_WORDS.get(layout.cell, {}))
    if layout.readout:
        kw["readout"] = layout.readout
    kw.setdefault("file_names", layout.file_names())
    n = Notation(cell=layout.cell, name=name, weights=weights, biases=biases, states=states,
                 canonical=layout.canonical, gradients=layout.gradients, sub=sub,
                 layout="row" if layout.row else "column",
                 pre=pre_for(layout, state, sub, x_first=x_first, x=x,
                             reset=kw.get("names", {}).get("r", ("r", "r"))[1]), x=x,
                 source=(layout, x_first, state), **kw)
    return n if keep else register(n)


def with_lstm_variants(plain, relevant: Notation, cell_state: tuple | None = None) -> Callable:
    """The `variant` hook of a course's LSTM with the words of SPEC 1.15: `plain` (a Notation,
    or a hook of its own: MITx's peepholes), `relevant` the LSTM with the relevance gate's
    keys, `cell_state` how the working writes `recurrence: cell` (None: refused)."""
    def variant(words: dict, given=()) -> Notation:
        base = plain(words, given) if callable(plain) else plain
        extra = set(relevant.params) - set(base.params)
        if not any(words.get(k, v[0]) != v[0] for k, v in LSTM_VARIANT_WORDS.items()) \
                and not extra & set(given):
            return base
        from .lstm_variants import derive   # noqa: PLC0415 (start-up: asked by few files)
        return derive(base, relevant, words, given, cell_state=cell_state)
    return variant
