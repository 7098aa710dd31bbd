"""YAML documents -> validated `Problem`s (SPEC 1 and 4).

Every rule of the format is checked in this package, once, so the solvers can trust what
they get: known keys only, numbers that are numbers, shapes that fit. Errors
name the key path; the line is looked up in the YAML only when there is one. Here: the
`Problem` and the keys every type shares (type, title, answer, ask); network_keys.py reads
the keys of the types that run a network.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Callable

import numpy as np

from .network import Network  # noqa: F401 (Network: a problem's)
from .values import error_at, integer, shown_value, text_at, value_kind
from .answers import read_answer
from .limits import check as within_limits

ASK_KEYS = ("quantity", "t", "digits", "from", "to", "layer", "direction", "trainable", "n")


# each dataclass has a docstring: without one @dataclass writes it with inspect.signature,
# at every start-up
@dataclass
class Ask:
    """What the file asks for (`ask:`): the quantity, its step, the digits, a range."""

    quantity: str | None = None
    t: int | None = None
    digits: int | None = None
    start: int | None = None      # ask.from
    stop: int | None = None       # ask.to
    layer: int | None = None      # a stack's layer, from 1 (the bottom); default the top
    direction: str | None = None  # forward | backward; default both, concatenated
    trainable: bool | None = None  # shapes: count the trainable parameters only
    n: int | None = None          # an n-gram order (bleu: p_n, counts of order n)
    parts: tuple | None = None    # several quantities (a list in the file): one Ask each


@dataclass
class Problem:
    """One validated problem document: every key the solvers read, checked."""

    type: str
    title: str = ""
    source: str = ""
    answer: Any = None
    ask: Ask = field(default_factory=Ask)
    network: Network | None = None
    stack: Any = None                    # stacks.Stack: layers, directions (SPEC 1.9)
    inputs: np.ndarray | None = None     # (T, x)
    inputs_vector: bool = False
    round: str | int = "none"
    cell: str = "rnn"
    notation: str = ""
    convention: str = "ng"
    targets: list | None = None          # per step: 1-D array or None (no output there)
    loss: str = "squared"
    given: dict[str, list] = field(default_factory=dict)
    batch: int | None = None             # N examples (batch: true): inputs are (T, N, x)
    mask: Any = None                     # which steps (and examples) have a loss term
    cell_readout: Any = None             # cell_readout.CellReadout: y_c = W_cy c + b_cy
    reduction: str = "sum"
    upstream: dict | None = None         # gradients from above instead of a loss
    tokens: Any = None                   # token indices (T[, N]) when an embedding is given
    clip: tuple | None = None            # ("norm" | "value", θ)
    truncate: int | None = None          # truncated BPTT: at most k transitions back
    feedback: str | None = None          # output | target | argmax with W_yh (SPEC 1.1), else None
    method: str = "bptt"                 # bptt | rtrl: how the gradients are computed (SPEC 1.17)
    tolerance: float = 0.01
    states: int | None = None
    binary_units: int | None = None
    sizes: dict[str, int] = field(default_factory=dict)   # shapes: input, hidden, output,
    framework: str = "course"            # layers, directions; shapes: course, pytorch, keras
    reset_after: bool = True             # shapes: a Keras GRU's bias (2, 3h) when true
    question: str = ""
    options: list[str] = field(default_factory=list)
    correct: list[int] = field(default_factory=list)
    explanation: str = ""
    demo: str | None = None
    detail: Any = None                   # clip, perplexity, decode: what their module validated
    file: str | None = None
    doc_index: int = 0                   # which YAML document of the file
    data: dict = field(default_factory=dict, repr=False)
    # the type's module, for the limits (its STEP_COST and cost hooks): set by the registry
    costs: Any = field(default=None, repr=False, compare=False)
    tie: dict = field(default_factory=dict)   # tied name -> the keys it is used as (SPEC 1.15)
    regularization: dict = field(default_factory=dict)   # ar, tar, information_flow
    state_decay: float = 0.0             # Jordan's s_t = μ s_{t-1} + y_{t-1} (SPEC 1.17)

    @property
    def T(self) -> int:
        return 0 if self.inputs is None else len(self.inputs)

    @property
    def first(self) -> int:
        """The number of the first step, as the notation numbers them (0, or 1: a<1>, H_1)."""
        return self.network.notation.first if self.network is not None else 0


# ---------------------------------------------------------------- the common keys

def kind_of(data: Any, names: tuple[str, ...], aliases: Callable[[], dict] | None = None) -> str:
    """The document's type, one of `names` (the type registry's), checked; `aliases()` gives the
    other names a file may call them (`bptt`), asked only for the advice on an unknown type."""
    if not isinstance(data, dict):
        raise error_at((), f"expected a mapping of keys (type, network, ...), got {value_kind(data)}")
    ptype = data.get("type")
    if ptype is None:
        raise error_at(("type",), f"missing; expected one of {', '.join(names)}")
    if not isinstance(ptype, str) or ptype not in names:
        reason = f"expected one of {', '.join(names)}, got {shown_value(ptype)}"
        if isinstance(ptype, str):
            from .spelling import nearest   # noqa: PLC0415 (only when there is an error)
            hit = nearest(ptype, list(names), aliases() if aliases else {})
            reason += f"; did you mean type: {hit}?" if hit else ""
        raise error_at(("type",), reason)
    return ptype


def begin(data: dict, file: str | None, ptype: str, keys: set[str],
          answer: Callable[[Any], Any] | None = None) -> Problem:
    """A Problem with the keys every type shares read: title, source, question, answer, ask
    (where the type takes one); an unknown key for the type is an error. `answer` reads a
    type's own form of published answer (a token list, a mapping), else numbers or a word."""
    for key in data:
        if key not in keys:
            raise error_at((key,), f"unknown key for type {ptype}; expected one of "
                               f"{', '.join(sorted(keys))}")
    p = Problem(type=ptype, file=file, data=data)
    p.title = text_at(data, "title")
    p.source = text_at(data, "source")
    p.question = text_at(data, "question")
    if "ask" in keys:
        p.ask = _ask(data.get("ask"))
    v = data.get("answer")
    if v is not None and p.ask.parts is not None:       # one published answer a part
        from .parts import part_answers   # noqa: PLC0415 (start-up: a question in one part)
        p.answer = part_answers(v, len(p.ask.parts), answer or read_answer)
    else:
        p.answer = (answer or read_answer)(v) if v is not None else None
    return p


def check_ask(p: Problem, *, network: bool, spans: bool, order: bool = False,
              trainable: bool = False) -> None:
    """ask.from/to pick the span of a Jacobian (or what the type's SPANS says), ask.layer and
    ask.direction a network's layer: anywhere else they would be read and do nothing."""
    ask = p.ask
    for key, v in (("from", ask.start), ("to", ask.stop)):
        if v is not None and not spans and ask.quantity != "jacobian":
            raise error_at(("ask", key), "picks the span of a jacobian (quantity: jacobian) or of "
                                     "a vanishing verdict; leave it out")
    for key, v in (("layer", ask.layer), ("direction", ask.direction)):
        if v is not None and not network:
            raise error_at(("ask", key), f"picks a layer of a network, and type {p.type} has "
                                     "none; leave it out")
    if ask.trainable is not None and not trainable:
        raise error_at(("ask", "trainable"), f"counts a model's trainable parameters, and type "
                                         f"{p.type} counts none; leave it out")
    if ask.n is not None and not order:
        raise error_at(("ask", "n"), f"picks an n-gram order, and type {p.type} has none; "
                                 "leave it out")


# ---------------------------------------------------------------- helpers

def _ask(v: Any) -> Ask:
    if v is None:
        return Ask()
    if not isinstance(v, dict):
        raise error_at(("ask",), f"expected a mapping (quantity, t, digits, from, to), got {shown_value(v)}")
    for key in v:
        if key not in ASK_KEYS:
            raise error_at(("ask", key), f"unknown key; expected one of {', '.join(ASK_KEYS)}")
    q = v.get("quantity")
    if isinstance(q, list):
        from .parts import ask_parts   # noqa: PLC0415 (start-up: a question in one part)
        parts = ask_parts(v, q, _ask, ASK_KEYS)
        return replace(parts[0], parts=parts)
    if q is not None and not isinstance(q, str):
        raise error_at(("ask", "quantity"), f"expected a quantity name, got {shown_value(q)}")
    # from: -1 names the initial state where the steps count from 0 (SPEC 1.5)
    opt = {k: (integer(v[k], ("ask", k), low={"from": -1, "n": 1}.get(k, 0))
               if v.get(k) is not None else None)
           for k in ("t", "digits", "from", "to", "layer", "n")}
    if opt["digits"] is not None and opt["digits"] > 15:
        raise error_at(("ask", "digits"), f"expected at most 15 decimal places, got {opt['digits']}")
    direction = v.get("direction")
    if direction is not None and direction not in ("forward", "backward"):
        raise error_at(("ask", "direction"), f"expected forward or backward, got {shown_value(direction)}")
    trainable = v.get("trainable")
    if trainable is not None and not isinstance(trainable, bool):
        raise error_at(("ask", "trainable"), f"expected true or false, got {shown_value(trainable)}")
    return Ask(quantity=q, t=opt["t"], digits=opt["digits"], start=opt["from"], stop=opt["to"],
               layer=opt["layer"], direction=direction, trainable=trainable, n=opt["n"])


def asked_step(p: Problem) -> None:
    """ask.t is one of the sequence's steps, as the notation numbers them; then the problem's
    work and memory are checked against the limits (the network types' last check)."""
    first, last = p.first, p.T - 1 + p.first
    for i, ask in enumerate(p.ask.parts or (p.ask,)):
        if ask.t is not None and not first <= ask.t <= last:
            where = ("ask", "t") if p.ask.parts is None else ("ask", "quantity", i, "t")
            raise error_at(where, f"expected a time step from {first} to {last}, got {ask.t}")
    within_limits(p)            # work and memory, before the solving allocates anything large


