"""`shapes` of a whole model (SPEC 1.7): `hidden` as a list, `embedding: {vocabulary: V}`, or
`model:` a list of layers, counted as `model.summary()` counts them: one row a layer with its
formula substituted, then the total.

The core (`layers`, `summary`, `read`) knows nothing of files; its errors carry the key path,
and since they are raised here, while the loader validates, the loader adds the file and line.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...errors import ProblemError
from ...problem.values import choose, flag, integer
from .. import Outcome
from .layers import BLOCKS, RECURRENT, Layer
from .read import positive_size, read_embedding, read_hidden, read_model
from .summary import Summary, stack, summarize

# the keys a `model:` list says layer by layer, never at the top beside it
_PER_LAYER = ("cell", "hidden", "output", "layers", "bidirectional", "reset_after", "embedding")
QUANTITIES = ("params", "shapes", "summary")


@dataclass(frozen=True)
class Model:
    """What validation read: the layers in order and their counted summary."""
    layers: tuple[Layer, ...]
    summary: Summary


def validate(p, data: dict) -> None:
    fw = p.framework = choose(data, "framework", ("course", "pytorch", "keras"), "course")
    if p.ask.quantity is not None and p.ask.quantity not in QUANTITIES:
        raise ProblemError(f"a model is asked for one of {', '.join(QUANTITIES)}, got "
                           f"'{p.ask.quantity}'", keys=("ask", "quantity"))
    n_x = positive_size(data["input"], ("input",)) if data.get("input") is not None else None
    if n_x is not None:
        p.sizes["input"] = n_x
    if "model" in data:
        for key in _PER_LAYER:
            if key in data:
                raise ProblemError(f"with `model`, each layer gives its own {key}: move it into "
                                   "the layer's entry", keys=(key,))
        layers = read_model(data["model"], framework=fw, keys=("model",))
    else:
        layers = _stack(p, data, fw, n_x)
    p.detail = Model(layers, summarize(layers, framework=fw, input=n_x))


def _stack(p, data: dict, fw: str, n_x: int | None) -> tuple[Layer, ...]:
    """1.7's top-level keys as a layer list: [embedding], one recurrent layer a width, [dense]."""
    cell = p.cell = choose(data, "cell", ("rnn", "lstm", "gru"), "rnn")
    if n_x is None:
        raise ProblemError("missing; expected a whole number >= 1 (the embedding's width when "
                           "there is one)", keys=("input",))
    if data.get("hidden") is None:
        raise ProblemError("missing; expected a whole number >= 1, or a list of them",
                           keys=("hidden",))
    hidden = read_hidden(data["hidden"], layers=data.get("layers"))
    if not isinstance(data["hidden"], list) and data.get("layers") is not None:
        L = integer(data["layers"], ("layers",), low=1)
        if L > 1000:
            raise ProblemError(f"expected at most 1000 layers, got {L}", keys=("layers",))
        hidden = hidden * L
    V = read_embedding(data["embedding"]) if "embedding" in data else None
    n_y = positive_size(data["output"], ("output",)) if data.get("output") is not None else None
    reset_after = True
    if "reset_after" in data:
        if fw != "keras" or cell != "gru":
            raise ProblemError("only applies to a Keras GRU (framework: keras, cell: gru)",
                               keys=("reset_after",))
        reset_after = flag(data, "reset_after", True)
    return stack(cell=cell, input=n_x, hidden=hidden, output=n_y, embedding=V,
                 bidirectional=flag(data, "bidirectional", False), reset_after=reset_after)


def solve(p, work) -> Outcome:
    m: Model = p.detail
    s = m.summary
    counts = []
    for row, layer in zip(s.rows, m.layers):
        work.note(**row.working())
        counts.append(_slipped(row.count.params, layer, row.count.output, p.framework,
                               work.variants))
    total = sum(counts)
    work.note("params", total, eq="the sum of the layers' parameters",
              sub=" + ".join("{}" for _ in counts), args=tuple(counts))
    answer = total
    if p.ask.trainable and s.trainable != s.total:
        answer = total - (s.total - s.trainable)
        work.note("trainable", answer, eq="params − non-trainable", sub="{} − {}",
                  args=(total, s.total - s.trainable),
                  note="a Keras BatchNormalization's moving mean and variance are not trained")
    shapes = s.shapes()
    if p.ask.quantity == "shapes":
        for key, shape in shapes.items():
            work.note(key, list(shape), phase="shapes")
    return Outcome(values={"params": answer, "shapes": shapes, "summary": s.table()},
                   default="params")


def read_answer(v):
    """Summary rows `[layer, output width, parameters]` as published, else numbers."""
    if isinstance(v, list) and v and all(isinstance(r, list) for r in v) and \
            any(isinstance(e, str) for r in v for e in r):
        for i, r in enumerate(v):
            if len(r) != 3 or not isinstance(r[0], str) or not all(
                    isinstance(n, int) and not isinstance(n, bool) for n in r[1:]):
                raise ProblemError("expected a summary row [layer, output width, parameters], "
                                   "e.g. [lstm, 64, 17920]", keys=("answer", i))
        return [list(r) for r in v]
    from ...problem.answers import read_answer as numbers   # noqa: PLC0415 (numeric answers only)
    return numbers(v)


def draw(rng, framework: str) -> dict:
    """A model of `rnnquiz new shapes`: an embedding or a stack of widths, or a layer list."""
    cell = rng.choice(["rnn", "lstm", "gru"])
    if rng.random() < 0.5:
        doc = {"type": "shapes", "framework": framework, "cell": cell,
               "input": rng.choice([16, 32, 64])}
        if rng.random() < 0.5:
            doc["embedding"] = {"vocabulary": rng.choice([1000, 5000, 10000])}
            doc["hidden"] = rng.choice([16, 32, 64])
        else:
            doc["hidden"] = [rng.choice([8, 16, 20, 32]) for _ in range(rng.choice([2, 3]))]
        if rng.random() < 0.5:
            doc["output"] = rng.choice([1, 10])
    else:
        both = rng.random() < 0.5
        doc = {"type": "shapes", "framework": framework, "input": rng.choice([10, 37, 100]),
               "model": [{"layer": cell, "hidden": rng.choice([16, 32, 64]),
                          **({"bidirectional": True} if both else {})},
                         *([{"layer": "layer_norm"}] if rng.random() < 0.3 else []),
                         {"layer": "dense", "output": rng.choice([1, 10, 11])}]}
    doc["ask"] = {"quantity": "params"}
    return doc


def describe(p) -> str:
    """The model in words, for the question of `quiz` and `new`: its layers, in order."""
    m: Model = p.detail
    who = {"course": "A model", "pytorch": "A PyTorch model", "keras": "A Keras model"}
    parts = []
    for row, layer in zip(m.summary.rows, m.layers):
        c = row.count
        size = f"{layer.vocabulary} → {c.output}" if layer.kind == "embedding" else \
            f"{c.input} → {c.output}"
        parts.append(f"{row.title} ({size})")
    return f"{who[p.framework]} of {len(parts)} layer{'s' if len(parts) > 1 else ''}: " + \
        ", ".join(parts) + "."


# The slips (slips.py) that recount a layer (committed through work.variants)
def slips_for(p) -> list[str]:
    """The slips that would change this model's count."""
    m = getattr(p, "detail", None)
    if not isinstance(m, Model) or p.ask.quantity not in (None, "params"):
        return []
    out = []
    if any(layer.kind == "embedding" for layer in m.layers):
        out.append("embedding_without_vocabulary")
    if any(_two_biases(layer, p.framework) for layer in m.layers):
        out.append("one_bias")
    if any(layer.bidirectional for layer in m.layers):
        out.append("bidirectional_once")
    return out


def _two_biases(layer: Layer, fw: str) -> bool:
    return layer.kind in RECURRENT and (fw == "pytorch" or fw == "keras" and
                                        layer.kind == "gru" and layer.reset_after)


def _slipped(n: int, layer: Layer, width: int, fw: str, variants) -> int:
    if not variants:
        return n
    if layer.kind == "embedding" and "embedding_without_vocabulary" in variants:
        return 0
    dirs = 2 if layer.bidirectional else 1
    if "one_bias" in variants and _two_biases(layer, fw):
        n -= BLOCKS[layer.kind] * (width // dirs) * dirs
    if "bidirectional_once" in variants and layer.bidirectional and layer.kind in RECURRENT:
        n //= 2
    return n
