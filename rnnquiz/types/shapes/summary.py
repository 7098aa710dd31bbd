"""A list of layers counted in order, as `model.summary()` prints it: each layer reads the
previous one's output (or its own `input`), one row a layer, and the total (SPEC 1.7)."""

from __future__ import annotations

from dataclasses import dataclass

from ...errors import ProblemError
from .layers import KERAS_CLASS, KERAS_NAMES, TORCH_CLASS, TORCH_NAMES, Count, Layer, count


@dataclass(frozen=True)
class Row:
    """One line of the summary: the layer's name, kind, output width and its count."""
    name: str
    kind: str
    title: str          # the framework's class: LSTM, Dense, Bidirectional(LSTM)
    count: Count
    sequences: bool     # one output a step (a recurrent layer's return_sequences, passed on)
    framework: str = "keras"

    @property
    def output_shape(self) -> str:
        """The output shape as Keras' summary prints it: (None, None, 64) or (None, 64)."""
        return f"(None, None, {self.count.output})" if self.sequences else \
            f"(None, {self.count.output})"

    def working(self) -> dict:
        """This row as one line of the working: `work.note(**row.working())`."""
        c = self.count
        return {"symbol": f"{self.name} ({self.title})", "value": c.params, "eq": c.eq,
                "sub": c.sub, "args": c.args,
                "note": f"output {self.output_shape if self.framework == 'keras' else c.output}"
                        f"; {c.note}"}

    def answer(self) -> list:
        """The `[kind, output width, parameters]` row of `ask.quantity: summary`."""
        return [self.kind, self.count.output, self.count.params]


@dataclass(frozen=True)
class Summary:
    framework: str
    rows: tuple[Row, ...]

    @property
    def total(self) -> int:
        return sum(r.count.params for r in self.rows)

    @property
    def trainable(self) -> int:
        return sum(r.count.trainable for r in self.rows)

    def params(self, trainable: bool = False) -> int:
        """The total `model.summary()` prints (`ask.trainable`: the trainable ones only)."""
        return self.trainable if trainable else self.total

    def shapes(self) -> dict[str, list[int]]:
        """Every weight by its name in the model: `lstm/kernel`, `linear_1.weight`, `layer2.W_fh`."""
        out: dict[str, list[int]] = {}
        sep = {"keras": "/", "pytorch": "."}.get(self.framework, ".")
        for r in self.rows:
            for key, shape in r.count.shapes.items():
                out[f"{r.name}{sep}{key}"] = list(shape)
        return out

    def table(self) -> list[list]:
        """The answer to `ask.quantity: summary`: one `[kind, output width, parameters]` a layer."""
        return [r.answer() for r in self.rows]


def summarize(layers, *, framework: str, input: int | None = None) -> Summary:
    """Count `layers` in order under `framework`; `input` is what the first layer reads."""
    rows, width, seen, sequences = [], input, {}, True
    for i, layer in enumerate(layers):
        if layer.kind != "embedding" and layer.input is None and width is None:
            raise ProblemError("the first layer reads `input`: give the top-level `input`, "
                               "or the layer's own `input`, or begin with an embedding",
                               keys=("model", i, "input") if i else ("input",))
        c = count(layer, width if width is not None else 0, framework)
        if layer.kind in ("rnn", "lstm", "gru"):
            sequences = c.sequences
        elif layer.kind == "embedding":
            sequences = True
        rows.append(Row(_name(layer, framework, i, seen), layer.kind, _title(layer, framework), c,
                        sequences, framework))
        width = c.output
    return Summary(framework, tuple(rows))


def _name(layer: Layer, framework: str, i: int, seen: dict) -> str:
    """Keras' auto-names (lstm, lstm_1, bidirectional, ...); PyTorch attribute-like names in
    the same pattern; the course's layers by number from 1."""
    if framework == "course":
        return f"layer{i + 1}"
    base = "bidirectional" if framework == "keras" and layer.bidirectional else \
        (KERAS_NAMES if framework == "keras" else TORCH_NAMES)[layer.kind]
    n = seen.get(base, 0)
    seen[base] = n + 1
    return base if n == 0 else f"{base}_{n}"


def _title(layer: Layer, framework: str) -> str:
    if framework == "pytorch":
        t = TORCH_CLASS[layer.kind]
        return f"{t}(bidirectional)" if layer.bidirectional else t
    t = KERAS_CLASS[layer.kind]
    return f"Bidirectional({t})" if layer.bidirectional else t


def stack(*, cell: str, input: int | None, hidden, output: int | None = None,
          embedding: int | None = None, bidirectional: bool = False,
          reset_after: bool = True) -> tuple[Layer, ...]:
    """The layer list of 1.7's top-level keys: an embedding of `vocabulary × input` in front
    (when given), one recurrent layer per entry of `hidden`, the read-out Dense(`output`)."""
    out: list[Layer] = []
    if embedding is not None:
        out.append(Layer("embedding", vocabulary=embedding, output=input))
    widths = hidden if isinstance(hidden, (list, tuple)) else [hidden]
    for k, h in enumerate(widths):
        out.append(Layer(cell, hidden=h, bidirectional=bidirectional, reset_after=reset_after,
                         input=input if k == 0 and embedding is None else None,
                         return_sequences=k < len(widths) - 1 or None))
    if output is not None:
        out.append(Layer("dense", output=output))
    return tuple(out)
