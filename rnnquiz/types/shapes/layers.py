"""One layer's parameters: the shape of each, the count, and the formula as text (SPEC 1.7).

A recurrent layer of G gate blocks (rnn 1, gru 3, lstm 4), h units, reading x per step:

    course:   G·(h·h + h·x + h)           one bias vector per gate, as the equations write it
    pytorch:  G·(h·(x+h) + 2h)            weight_ih, weight_hh, bias_ih, bias_hh
    keras:    G·(h·(x+h) + h)             kernel, recurrent_kernel, bias; a GRU with
              G·(h·(x+h) + 2h)            reset_after (Keras 3's and TF2's default): bias (2, 3h)

times 2 when bidirectional (the output then 2h wide). Dense: o·i + o (`Linear`'s weight (o, i),
Keras' kernel (i, o)); embedding V·d; conv1d f·(k·i) + f; layer_norm 2·d (γ, β); batch_norm
2·d, and in Keras 4·d (γ, β trainable, the moving mean and variance not), PyTorch keeping
those two as buffers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

KINDS = ("embedding", "rnn", "lstm", "gru", "dense", "conv1d", "layer_norm", "batch_norm")
FRAMEWORKS = ("course", "pytorch", "keras")
RECURRENT = ("rnn", "lstm", "gru")
BLOCKS = {"rnn": 1, "gru": 3, "lstm": 4}
# the gates of the course's equations (MITx names), one W_·h, W_·x, b_· each
GATES = {"rnn": ("h",), "lstm": ("f", "i", "o", "c"), "gru": ("u", "r", "c")}
# the frameworks' own names of each kind, as their summaries print them
KERAS_NAMES = {"embedding": "embedding", "rnn": "simple_rnn", "lstm": "lstm", "gru": "gru",
              "dense": "dense", "conv1d": "conv1d", "layer_norm": "layer_normalization",
              "batch_norm": "batch_normalization"}
TORCH_NAMES = {"embedding": "embedding", "rnn": "rnn", "lstm": "lstm", "gru": "gru",
              "dense": "linear", "conv1d": "conv1d", "layer_norm": "layer_norm",
              "batch_norm": "batch_norm"}
TORCH_CLASS = {"embedding": "Embedding", "rnn": "RNN", "lstm": "LSTM", "gru": "GRU",
               "dense": "Linear", "conv1d": "Conv1d", "layer_norm": "LayerNorm",
               "batch_norm": "BatchNorm1d"}
KERAS_CLASS = {"embedding": "Embedding", "rnn": "SimpleRNN", "lstm": "LSTM", "gru": "GRU",
               "dense": "Dense", "conv1d": "Conv1D", "layer_norm": "LayerNormalization",
               "batch_norm": "BatchNormalization"}


@dataclass(frozen=True)
class Layer:
    """One entry of `model:`; `input` None reads the previous layer's output."""
    kind: str
    input: int | None = None
    hidden: int | None = None          # rnn, lstm, gru
    output: int | None = None          # embedding (its width), dense
    vocabulary: int | None = None      # embedding
    filters: int | None = None         # conv1d
    kernel_size: int | None = None     # conv1d
    bidirectional: bool = False
    reset_after: bool = True           # a Keras GRU
    return_sequences: bool | None = None
    bias: bool = True                  # dense, conv1d
    activation: str | None = None      # dense: shown, never counted


@dataclass(frozen=True)
class Count:
    """A layer counted: what it reads and gives per step, its parameters and their formula."""
    kind: str
    input: int
    output: int
    shapes: dict[str, list[int]]      # the framework's names of the layer's own weights
    params: int                       # every weight, buffers excluded
    trainable: int
    eq: str                           # the formula in symbols: 4·(h·h + h·x + h)
    sub: str                          # with "{}" where each operand goes
    args: tuple = ()
    note: str = ""
    sequences: bool = True            # gives one vector a step (False: the last step only)
    shapes_trainable: dict[str, bool] = field(default_factory=dict)

    @property
    def substituted(self) -> str:
        """The formula with its numbers: 4·(32·32 + 32·37 + 32) = 8,960."""
        return f"{self.sub.format(*self.args)} = {self.params:,}"


def count(layer: Layer, x: int, framework: str) -> Count:
    """`layer` reading `x` features per step (its own `input` when given) under `framework`."""
    x = layer.input if layer.input is not None else x
    return _COUNTERS[layer.kind](layer, x, framework)


def _recurrent(layer: Layer, x: int, fw: str) -> Count:
    """Any framework's rnn, lstm or gru: one direction by `_RECURRENT[fw]`, doubled when
    bidirectional (then both directions' keys, and the output 2h wide)."""
    h, G, dirs = layer.hidden, BLOCKS[layer.kind], 2 if layer.bidirectional else 1
    sides = ("forward", "backward") if dirs == 2 else ("forward",)
    shapes: dict[str, list[int]] = {}
    for d in sides:
        keys, inner, sub, args, one, note = _RECURRENT[fw](layer, x, d if dirs == 2 else "")
        shapes.update(keys)
    if G > 1:
        inner, sub = f"{G}·({inner})", f"{G}·({sub})"
    if dirs == 2:
        inner, sub = (f"({inner})·2", f"({sub})·2") if G == 1 else (f"{inner}·2", f"{sub}·2")
        note += f"; both directions, the output 2·h = {2 * h} wide"
    total = G * one * dirs
    seq = layer.return_sequences if layer.return_sequences is not None else fw != "keras"
    return Count(layer.kind, x, dirs * h, shapes, total, total, inner, sub, args,
                 f"x = {x}, h = {h}" + note, sequences=seq)


def _recurrent_course(layer: Layer, x: int, side: str):
    """G·(h·h + h·x + h): W_·h, W_·x and b_· for each gate of the course's equations."""
    h, pre, keys = layer.hidden, f"{side}." if side else "", {}
    for g in GATES[layer.kind]:
        w_h, w_x, b = ("W_hh", "W_xh", "b_h") if layer.kind == "rnn" else \
            (f"W_{g}h", f"W_{g}x", f"b_{g}")
        keys.update({pre + w_h: [h, h], pre + w_x: [h, x], pre + b: [h]})
    return (keys, "h·h + h·x + h", "{}·{} + {}·{} + {}", (h, h, h, x, h),
            h * h + h * x + h, "")


def _recurrent_pytorch(layer: Layer, x: int, side: str):
    """G·(h·(x+h) + 2h): weight_ih_l0 (Gh, x), weight_hh_l0 (Gh, h), bias_ih_l0, bias_hh_l0."""
    h = layer.hidden
    gh, s = BLOCKS[layer.kind] * h, "_l0" + ("_reverse" if side == "backward" else "")
    keys = {f"weight_ih{s}": [gh, x], f"weight_hh{s}": [gh, h], f"bias_ih{s}": [gh],
            f"bias_hh{s}": [gh]}
    return (keys, "h·(x+h) + 2h", "{}·({}+{}) + 2·{}", (h, x, h, h), h * (x + h) + 2 * h,
            "; two bias vectors per gate (bias_ih and bias_hh)")


def _recurrent_keras(layer: Layer, x: int, side: str):
    """G·(h·(x+h) + h): kernel (x, Gh), recurrent_kernel (h, Gh), bias (Gh); a GRU with
    reset_after keeps its recurrent bias apart, bias (2, Gh): G·(h·(x+h) + 2h)."""
    h = layer.hidden
    gh, pre = BLOCKS[layer.kind] * h, f"{side}_{KERAS_NAMES[layer.kind]}/" if side else ""
    two = layer.kind == "gru" and layer.reset_after
    keys = {pre + "kernel": [x, gh], pre + "recurrent_kernel": [h, gh],
            pre + "bias": [2, gh] if two else [gh]}
    note = "" if layer.kind != "gru" else \
        ("; reset_after: the recurrent bias kept apart, bias (2, 3h)" if two
         else "; reset_after false: one bias (3h)")
    if two:
        return keys, "h·(x+h) + 2h", "{}·({}+{}) + 2·{}", (h, x, h, h), h * (x + h) + 2 * h, note
    return keys, "h·(x+h) + h", "{}·({}+{}) + {}", (h, x, h, h), h * (x + h) + h, note


_RECURRENT = {"course": _recurrent_course, "pytorch": _recurrent_pytorch,
              "keras": _recurrent_keras}


def _dense(layer: Layer, x: int, fw: str) -> Count:
    o = layer.output
    w = {"keras": ("kernel", [x, o]), "pytorch": ("weight", [o, x])}.get(fw, ("W", [o, x]))
    shapes = {w[0]: w[1]}
    if layer.bias:
        shapes["bias" if fw != "course" else "b"] = [o]
        eq, sub, args, n = "o·i + o", "{}·{} + {}", (o, x, o), o * x + o
    else:
        eq, sub, args, n = "o·i", "{}·{}", (o, x), o * x
    note = f"i = {x}, o = {o}" + (f"; activation {layer.activation}" if layer.activation else "")
    return Count("dense", x, o, shapes, n, n, eq, sub, args, note)


def _embedding(layer: Layer, x: int, fw: str) -> Count:
    V, d = layer.vocabulary, layer.output
    name = {"keras": "embeddings", "pytorch": "weight"}.get(fw, "E")
    return Count("embedding", V, d, {name: [V, d]}, V * d, V * d, "V·d", "{}·{}", (V, d),
                 f"one row of d = {d} per token of V = {V}")


def _conv1d(layer: Layer, x: int, fw: str) -> Count:
    f, k = layer.filters, layer.kernel_size
    shapes = {"kernel": [k, x, f]} if fw == "keras" else \
        {("weight" if fw == "pytorch" else "W"): [f, x, k]}
    if layer.bias:
        shapes["bias" if fw != "course" else "b"] = [f]
        eq, sub, args, n = "f·(k·i) + f", "{}·({}·{}) + {}", (f, k, x, f), f * k * x + f
    else:
        eq, sub, args, n = "f·(k·i)", "{}·({}·{})", (f, k, x), f * k * x
    return Count("conv1d", x, f, shapes, n, n, eq, sub, args,
                 f"i = {x} channels, f = {f} filters of width k = {k}")


def _layer_norm(layer: Layer, x: int, fw: str) -> Count:
    names = ("weight", "bias") if fw == "pytorch" else ("gamma", "beta")
    return Count("layer_norm", x, x, {n: [x] for n in names}, 2 * x, 2 * x, "2·d", "2·{}", (x,),
                 f"a scale γ and a shift β per feature, d = {x}")


def _batch_norm(layer: Layer, x: int, fw: str) -> Count:
    if fw == "keras":
        shapes = {n: [x] for n in ("gamma", "beta", "moving_mean", "moving_variance")}
        return Count("batch_norm", x, x, shapes, 4 * x, 2 * x, "4·d", "4·{}", (x,),
                     f"γ, β trainable; the moving mean and variance not (2·{x} = {2 * x} "
                     "non-trainable)", shapes_trainable={"moving_mean": False,
                                                         "moving_variance": False})
    names = ("weight", "bias") if fw == "pytorch" else ("gamma", "beta")
    note = f"γ and β per feature, d = {x}" + \
        ("; running_mean and running_var are buffers, not parameters" if fw == "pytorch" else "")
    return Count("batch_norm", x, x, {n: [x] for n in names}, 2 * x, 2 * x, "2·d", "2·{}", (x,),
                 note)


_COUNTERS = {"embedding": _embedding, "rnn": _recurrent, "lstm": _recurrent,
             "gru": _recurrent, "dense": _dense, "conv1d": _conv1d,
             "layer_norm": _layer_norm, "batch_norm": _batch_norm}
