"""The `model:` list of a `shapes` problem (SPEC 1.7), read from plain data into `Layer`s.

Every error names its key path, `model[2].hidden`, and the nearest valid spelling of a layer
kind or key; nothing here knows YAML or files (the caller locates the line).
"""

from __future__ import annotations

import math

from ...errors import ProblemError
from .layers import FRAMEWORKS, KINDS, RECURRENT, Layer

_COMMON = ("layer", "input")
# each kind's keys beyond `layer` and `input`, the required ones first
_KEYS = {"embedding": (("vocabulary", "output"), ()),
         "rnn": (("hidden",), ("bidirectional", "return_sequences")),
         "lstm": (("hidden",), ("bidirectional", "return_sequences")),
         "gru": (("hidden",), ("bidirectional", "return_sequences", "reset_after")),
         "dense": (("output",), ("activation", "bias")),
         "conv1d": (("filters", "kernel_size"), ("activation", "bias")),
         "layer_norm": ((), ()),
         "batch_norm": ((), ())}
_FLAGS = ("bidirectional", "return_sequences", "reset_after", "bias")
_LIMIT = 10 ** 15           # no layer of an exercise comes near; a count stays exact


def read_model(raw, *, framework: str = "course", keys: tuple = ("model",)) -> tuple[Layer, ...]:
    """`model:` as written -> the layers, in order."""
    if framework not in FRAMEWORKS:
        raise ProblemError(f"expected one of {', '.join(FRAMEWORKS)}, got '{framework}'",
                           keys=("framework",))
    if not isinstance(raw, list) or not raw:
        raise ProblemError("expected a list of layers, e.g. [{layer: lstm, hidden: 32}]",
                           keys=keys)
    return tuple(read_layer(entry, framework=framework, keys=keys + (i,))
                 for i, entry in enumerate(raw))


def read_layer(raw, *, framework: str = "course", keys: tuple = ("model", 0)) -> Layer:
    """One entry of `model:`, e.g. {layer: gru, hidden: 32, reset_after: false}."""
    if not isinstance(raw, dict):
        raise ProblemError(f"expected a layer as a mapping, e.g. {{layer: lstm, hidden: 32}}, "
                           f"got {_show(raw)}", keys=keys)
    if "layer" not in raw:
        raise ProblemError(f"missing key 'layer': one of {', '.join(KINDS)}", keys=keys)
    kind = raw["layer"]
    if kind not in KINDS:
        raise ProblemError(_with_nearest(f"expected one of {', '.join(KINDS)}, got "
                                         f"{_show(kind)}", kind, KINDS, "layer"),
                           keys=keys + ("layer",))
    required, optional = _KEYS[kind]
    allowed = _COMMON + required + optional
    for key in raw:
        if key not in allowed:
            raise ProblemError(_with_nearest(f"unknown key for a {kind} layer; expected one of "
                                             f"{', '.join(allowed)}", key, allowed, ""),
                               keys=keys + (key,))
    for key in required:
        if key not in raw:
            raise ProblemError(f"a {kind} layer needs '{key}'", keys=keys + (key,))
    if kind == "embedding" and "input" in raw:
        raise ProblemError("an embedding reads token indices: its size is `vocabulary`, its "
                           "width `output`", keys=keys + ("input",))
    if "reset_after" in raw and framework != "keras":
        raise ProblemError(f"reset_after is a Keras GRU's; framework {framework} has one rule "
                           "for the GRU's biases", keys=keys + ("reset_after",))
    got = {}
    for key, value in raw.items():
        if key == "layer":
            continue
        if key in _FLAGS:
            if not isinstance(value, bool):
                raise ProblemError(f"expected true or false, got {_show(value)}",
                                   keys=keys + (key,))
            got[key] = value
        elif key == "activation":
            if not isinstance(value, str) or not value:
                raise ProblemError(f"expected a name (relu, softmax, ...), got {_show(value)}",
                                   keys=keys + (key,))
            got[key] = value
        else:
            got[key] = positive_size(value, keys + (key,))
    if kind not in RECURRENT:
        got.pop("return_sequences", None)
    return Layer(kind, **got)


def read_hidden(raw, *, layers=None, keys: tuple = ("hidden",)) -> list[int]:
    """`hidden`: one width, or a list of them, one per stacked layer (never beside `layers`)."""
    if isinstance(raw, list):
        if layers is not None:
            raise ProblemError("`hidden` as a list gives one width per layer: leave out "
                               "`layers`", keys=("layers",))
        if not raw:
            raise ProblemError("expected a width per layer, e.g. [20, 20, 1]", keys=keys)
        return [positive_size(h, keys + (i,)) for i, h in enumerate(raw)]
    return [positive_size(raw, keys)]


def read_embedding(raw, *, keys: tuple = ("embedding",)) -> int:
    """`embedding: {vocabulary: V}` -> V."""
    if not isinstance(raw, dict) or set(raw) != {"vocabulary"}:
        extra = sorted(set(raw) - {"vocabulary"}, key=str) if isinstance(raw, dict) else []
        raise ProblemError("expected {vocabulary: V}, e.g. {vocabulary: 10000}",
                           keys=keys + ((extra[0],) if extra else ()))
    return positive_size(raw["vocabulary"], keys + ("vocabulary",))


def positive_size(v, keys: tuple) -> int:
    if isinstance(v, float) and math.isfinite(v) and v.is_integer():
        v = int(v)
    if isinstance(v, bool) or not isinstance(v, int) or v < 1:
        raise ProblemError(f"expected a whole number >= 1, got {_show(v)}", keys=keys)
    if v > _LIMIT:
        raise ProblemError("expected a whole number up to 10^15, got a larger one", keys=keys)
    return v


def _with_nearest(message: str, word, options, field: str) -> str:
    from ...problem.spelling import nearest   # noqa: PLC0415 (only when there is an error)
    hit = nearest(str(word), list(options)) if isinstance(word, str) else None
    return f"{message}; did you mean {field + ': ' if field else ''}{hit}?" if hit else message


def _show(v) -> str:
    if isinstance(v, list):
        return "a list"
    if isinstance(v, dict):
        return "a mapping"
    if v is None:
        return "nothing"
    if isinstance(v, int) and v.bit_length() > 1000:       # str() refuses past 4,300 digits
        return f"a whole number of about {int(v.bit_length() * 0.30103):,} digits"
    text = repr(v) if isinstance(v, str) else str(v)
    return text if len(text) <= 40 else text[:37] + "..."
