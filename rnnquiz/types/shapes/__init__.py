"""`shapes`: gate dimensions, parameter shapes and counts of a cell (SPEC 1.7).

Per direction of a layer with G gate blocks (rnn 1, gru 3, lstm 4), h hidden units and
x inputs (the input size in layer 1; h, or 2h when bidirectional, above it):

    course:   G·(h·h + h·x + h)          one bias vector per gate, as the equations write it
    pytorch:  G·h·x + G·h·h + G·h + G·h  weight_ih, weight_hh, bias_ih, bias_hh
    keras:    x·G·h + h·G·h + G·h        kernel, recurrent_kernel, bias; a GRU with
                                         reset_after (TF2's default) has bias (2, 3h)

plus the read-out (course W_hy, b_y; nn.Linear; Dense) on the top layer's h (both
directions concatenated) when `output` is given.
"""

from __future__ import annotations

from .. import Outcome
from ..keys import COMMON

NAME = "shapes"
TOPIC = "Shapes and parameter counts"   # what an exported question is filed under (PrairieLearn's topic)
ASK_TRAINABLE = True   # ask.trainable counts a model's trainable parameters only
# what a file may call the type, for the advice on an unknown type
ALIASES = ("shape", "params", "parameters")
COUNTS = True   # its numbers are counts (parameters, dimensions, bits): graded exactly
KEYS = COMMON | {"cell", "input", "hidden", "output", "framework", "layers",
                 "bidirectional", "reset_after", "embedding", "model"}   # the type's top-level keys
# the slips a whole model's count can make: its own (slips.py; model.slips_for says which apply)
SLIPS = ("embedding_without_vocabulary", "one_bias", "bidirectional_once")


def schema() -> dict:
    """Its part of `rnnquiz schema`: the cells it counts, a width or a list of them, a model.
    Nothing is required by itself: a cell needs input and hidden, a `model` neither."""
    return {"required": [],
            "properties": {"cell": {"enum": ["rnn", "lstm", "gru"]},
                           "hidden": {"oneOf": [{"type": "integer", "minimum": 1},
                                                {"type": "array",
                                                 "items": {"type": "integer", "minimum": 1}}]},
                           "input": {"type": "integer", "minimum": 1},
                           "output": {"type": "integer", "minimum": 1},
                           "layers": {"type": "integer", "minimum": 1, "maximum": 1000},
                           "framework": {"enum": ["course", "pytorch", "keras"]},
                           "reset_after": {"type": "boolean"},   # a Keras GRU's
                           "embedding": {"type": "object", "required": ["vocabulary"]},
                           "model": {"type": "array", "items": {"type": "object",
                                                                "required": ["layer"]}}}}


def validate(p, data: dict) -> None:
    # start-up: the problem package (numpy) is read here, so `rnnquiz shapes --help` imports none
    from ...problem.values import choose, error_at, flag, integer   # noqa: PLC0415 (see above)
    if p.ask.digits is not None:
        raise error_at(("ask", "digits"), "shapes answers are whole numbers and shapes; "
                                      "leave out ask.digits")
    if _model(data):
        from . import model   # noqa: PLC0415 (start-up: a single cell never loads the core)
        return model.validate(p, data)
    p.cell = choose(data, "cell", ("rnn", "lstm", "gru"), "rnn")
    for key in ("input", "hidden"):
        if data.get(key) is None:
            raise error_at((key,), "missing; expected a whole number >= 1")
        p.sizes[key] = integer(data[key], (key,), low=1)
    if data.get("output") is not None:
        p.sizes["output"] = integer(data["output"], ("output",), low=1)
    for key in ("input", "hidden", "output"):
        if p.sizes.get(key, 0) > 10 ** 9:
            raise error_at((key,), f"expected at most 1,000,000,000 units, got {data[key]}")
    p.framework = choose(data, "framework", ("course", "pytorch", "keras"), "course")
    p.sizes["layers"] = integer(data.get("layers", 1), ("layers",), low=1)
    if p.sizes["layers"] > 1000:
        raise error_at(("layers",), f"expected at most 1000 layers, got {p.sizes['layers']}")
    p.sizes["directions"] = 2 if flag(data, "bidirectional", False) else 1
    if "reset_after" in data:
        if p.framework != "keras" or p.cell != "gru":
            raise error_at(("reset_after",), "only applies to a Keras GRU (framework: keras, "
                                         "cell: gru)")
        p.reset_after = flag(data, "reset_after", True)


def answer(v):
    """A published answer: a model's summary rows `[layer, output width, parameters]`, else
    a number or numbers."""
    from .model import read_answer   # noqa: PLC0415 (only a file with an answer reads one)
    return read_answer(v)


def _model(data: dict) -> bool:
    """A whole model (`model`, `embedding`, `hidden` as a list) rather than one cell's layers."""
    return "model" in data or "embedding" in data or isinstance(data.get("hidden"), list)


def solve(p, work) -> Outcome:
    if p.detail is not None:        # a whole model, read by model.validate
        from . import model   # noqa: PLC0415 (whole models only)
        return model.solve(p, work)
    from .cell import solve as cell   # noqa: PLC0415 (start-up: the model does without)
    return cell(p, work)


def generate(rng) -> dict:
    """A new exercise (`rnnquiz new shapes`): the parameters of a layer, a stack, a framework."""
    from ...problem import draw   # noqa: PLC0415 (start-up: only `new` draws)
    draw.sequence(rng)
    doc = {"type": "shapes", "cell": rng.choice(["rnn", "lstm", "gru"]),
           "input": rng.choice([100, 1000, 10000]), "hidden": rng.choice([50, 64, 100, 128]),
           "framework": rng.choice(["course", "pytorch", "keras"])}
    layers, both, reset = rng.choice([1, 1, 2]), rng.random() < 0.3, rng.random() < 0.7
    if layers > 1:
        doc["layers"] = layers
    if both:
        doc["bidirectional"] = True
    if doc["framework"] == "keras" and doc["cell"] == "gru":
        doc["reset_after"] = reset
    doc["ask"] = {"quantity": "params"}
    if rng.random() < 0.3:          # drawn last: the single-cell exercises stay as they were
        from .model import draw   # noqa: PLC0415 (whole models only)
        return draw(rng, doc["framework"])
    return doc


def question(p, ask: str) -> str:
    """The question in words (quiz, new, export): the layer's sizes (a whole model: its
    layers), then what is asked."""
    if p.detail is not None:
        from .model import describe   # noqa: PLC0415 (whole models only)
        return f"{describe(p)} {ask}"
    from ...cells import cell_name   # noqa: PLC0415 (quiz only)
    from ...trace.numbers import fmt   # noqa: PLC0415 (quiz only)
    data = p.data
    sizes = ", ".join(f"{k} size {fmt(data[k])}" for k in ("input", "hidden", "output")
                      if k in data)
    # every word the count depends on (SPEC 1.7): the framework's bias rule, the stack, both
    # directions, a Keras GRU's reset_after (default true, TF2's)
    n = p.sizes.get("layers", 1)
    both = "bidirectional " if p.sizes.get("directions", 1) == 2 else ""
    article, bare = cell_name(data.get("cell", "rnn")).split(" ", 1)    # "An", "LSTM"
    kind = f"{both}{_FRAMEWORK_WORDS[p.framework]}{bare}"
    article = article if kind == bare else "A"          # bidirectional, Keras, PyTorch
    lead = f"A stack of {n} {kind} layers" if n > 1 else f"{article} {kind} layer"
    if p.framework == "keras" and p.cell == "gru":
        lead += f" (reset_after={p.reset_after})"
    rule = {"course": " (one bias vector per gate, as the course's equations write it)",
            "pytorch": "", "keras": ""}[p.framework]
    return f"{lead}{rule} with {sizes}. {ask}"


_FRAMEWORK_WORDS = {"course": "", "pytorch": "PyTorch ", "keras": "Keras "}


def default_quantity(p) -> str:
    """What a file without ask.quantity is asked (solve's default), for the question in words."""
    return "params" if p.detail is not None else "gate_dim"


def asked_words(q: str, p) -> str:
    """What a bare quantity name asks, in words (SPEC 1.7's): a layer's shapes are those of its
    weights, biases, gates and states, a whole model's those of its layers' parameters."""
    model = p.detail is not None
    return {"gate_dim": "the dimension of each gate vector",
            "params": "the number of trainable parameters" if p.ask.trainable or not model
                      else "the number of parameters",
            "shapes": "what are the shapes of every layer's parameters" if model
                      else "what are the shapes of every weight, bias, gate and state",
            "summary": "the summary, one [kind, output width, parameters] row a layer"}.get(q, q)


def vary(data: dict, rng) -> dict:
    """`rnnquiz vary`: new widths drawn about the file's (shapes/variants.py)."""
    from .variants import vary as draw   # noqa: PLC0415 (vary only)
    return draw(data, rng)
