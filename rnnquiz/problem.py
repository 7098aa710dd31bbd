"""YAML documents -> validated `Problem`s (SPEC 1 and 4).

Every rule of the format is checked here, once, so the solvers can trust what
they get: known keys only, numbers that are numbers, shapes that fit. Errors
name the key path; the line is looked up in the YAML only when there is one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from . import yamlio
from .errors import ProblemError
from .cells import CELLS as _CELL_MODULES
from .network import Network, token_indices  # noqa: F401 (Network: a problem's network)
from .notations import ABSENT, DEFAULT_NOTATION, notation_for, notation_names
from .type_keys import ASK_KEYS, KEYS  # noqa: F401 (the schema and docs read them here)
from .values import (_choose, _err, _is_number, _kind, _show, _text, integer,  # noqa: F401
                     number, numbers, plain_text)
from .values import deeper_than_rows, nested_numbers

TYPES = ("forward", "backprop", "vanishing", "hmm_bits", "lstm", "gru", "gated", "shapes", "choice",
         "clip", "perplexity", "decode")
# Types validated by a module of their own (rnnquiz/<type>.py, its `validate(p, data)`).
OWN_MODULE = ("clip", "perplexity", "decode")
NETWORK_TYPES = ("forward", "backprop", "vanishing", "lstm", "gru", "gated")
CELLS = tuple(_CELL_MODULES)      # the cell registry is the only list of cells
ROUND_WORDS = ("none", "state", "activations")
CONVENTIONS = ("ng", "pytorch", "fully_gated")

# The cell each network type computes with (backprop/vanishing read `cell:`).
TYPE_CELL = {"forward": "rnn", "lstm": "lstm", "gru": "gru", "gated": "gated"}


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
    reduction: str = "sum"
    upstream: dict | None = None         # gradients from above instead of a loss
    tokens: Any = None                   # token indices (T[, N]) when an embedding is given
    clip: tuple | None = None            # ("norm" | "value", θ)
    truncate: int | None = None          # truncated BPTT: at most k transitions back
    feedback: str | None = None          # output | target | argmax with W_yh (SPEC 1.1), else None
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

    @property
    def T(self) -> int:
        return 0 if self.inputs is None else len(self.inputs)

    @property
    def first(self) -> int:
        """The number of the first step, as the notation numbers them (0, or 1: a<1>, H_1)."""
        return self.network.notation.first if self.network is not None else 0


# ---------------------------------------------------------------- entry points

def load_text(text: str, file: str | None = None, *,
              max_numbers: int = yamlio.MAX_NUMBERS) -> list[Problem]:
    """Every problem of a YAML text (one per document)."""
    docs = yamlio.parse_documents(text, file, max_numbers=max_numbers)
    docs = [(i, d) for i, d in enumerate(docs) if d is not None]
    if not docs:
        raise ProblemError("no problem in the file (it is empty)", file=file)
    problems = []
    from .limits import one_file   # noqa: PLC0415
    with one_file():            # the work and memory limits hold for the file as a whole
        for index, data in docs:
            try:
                problems.append(from_dict(data, file=file))
                problems[-1].doc_index = index
            except ProblemError as err:
                raise locate(err, text, index, file) from None
    return problems


def locate(err: ProblemError, text: str, doc_index: int, file: str | None) -> ProblemError:
    """The error with its file and the line of its key path in that document."""
    line = yamlio.line_of(text, doc_index, err.keys) if not err.line else None
    return err.located(file=file, line=line)


def from_dict(data: Any, *, file: str | None = None) -> Problem:
    """A validated Problem from a plain dict, as a YAML document loads."""
    if isinstance(data, Problem):
        return data
    if not isinstance(data, dict):
        raise _err((), f"expected a mapping of keys (type, network, ...), got {_kind(data)}")
    ptype = data.get("type")
    if ptype is None:
        raise _err(("type",), f"missing; expected one of {', '.join(TYPES)}")
    if not isinstance(ptype, str) or ptype not in TYPES:
        raise _err(("type",), f"expected one of {', '.join(TYPES)}, got {_show(ptype)}")
    for key in data:
        if key not in KEYS[ptype]:
            raise _err((key,), f"unknown key for type {ptype}; expected one of "
                               f"{', '.join(sorted(KEYS[ptype]))}")
    p = Problem(type=ptype, file=file, data=data)
    p.title = _text(data, "title")
    p.source = _text(data, "source")
    p.question = _text(data, "question")
    p.answer = _answer(data.get("answer"), ptype)
    if ptype == "choice":
        from .choice import validate as validate_choice   # noqa: PLC0415 (keeps start-up light)
        validate_choice(p, data)
        return p
    p.ask = _ask(data.get("ask"))
    if ptype in OWN_MODULE:
        import importlib   # noqa: PLC0415 (each type's module loads only when it is used)
        importlib.import_module(f"{__package__}.{ptype}").validate(p, data)
    elif ptype == "hmm_bits":
        _hmm(p, data)
    elif ptype == "shapes":
        _shapes(p, data)
    else:
        _network_problem(p, data)
    _ask_is_used(p)
    return p


def _ask_is_used(p: Problem) -> None:
    """ask.from/to pick the span of a Jacobian or a vanishing verdict, ask.layer/direction a
    network's layer: anywhere else they would be read and do nothing."""
    ask = p.ask
    for key, v in (("from", ask.start), ("to", ask.stop)):
        if v is not None and p.type != "vanishing" and ask.quantity != "jacobian":
            raise _err(("ask", key), "picks the span of a jacobian (quantity: jacobian) or of "
                                     "a vanishing verdict; leave it out")
    for key, v in (("layer", ask.layer), ("direction", ask.direction)):
        if v is not None and p.type not in NETWORK_TYPES:
            raise _err(("ask", key), f"picks a layer of a network, and type {p.type} has "
                                     "none; leave it out")


# ---------------------------------------------------------------- helpers

def _answer(v: Any, ptype: str = "") -> Any:
    """A published answer: a number, a word, a (nested) list of numbers; for decode a list
    of tokens, for clip a mapping {gradient: numbers}."""
    if v is None:
        return v
    if isinstance(v, str):
        if re.fullmatch(_NUMBERISH, v.strip()):     # 0,88 or 0.0.880: a number mistyped, not a word
            raise _err(("answer",), f"expected a number, got {_show(v)}")
        return plain_text(v, ("answer",))
    if ptype == "decode" and isinstance(v, list) and v and any(isinstance(e, str) for e in v):
        return tokens(v, ("answer",))
    if ptype == "clip" and isinstance(v, dict):
        return {str(k): _answer_numbers(e, ("answer", k)) for k, e in v.items()}
    return _answer_numbers(v, ("answer",))


def _answer_numbers(v: Any, keys: tuple) -> Any:
    if deeper_than_rows(v):
        return nested_numbers(v, keys, MAX_ANSWER_LEVELS).tolist()
    arr, shape = numbers(v, keys)
    return float(arr) if shape is None else arr.tolist()


# A batch's every h_t is (N, T, H), CS231n's rnn_forward and lstm_forward (SPEC 1.10); an
# RTRL sensitivity of a matrix over every step is 4 levels (SPEC 1.17). Deeper is a typo.
MAX_ANSWER_LEVELS = 6

# compiled by the first answer written as text (start-up)
_NUMBERISH = r"[-+]?\d+(?:[.,]\d+){1,2}"


def tokens(v: list, keys: tuple) -> list[str]:
    """A list of tokens (words; a whole number is read as its digits)."""
    out = []
    for i, e in enumerate(v):
        if isinstance(e, bool) or not isinstance(e, (str, int)) or (isinstance(e, str)
                                                                     and not e.strip()) \
                or (isinstance(e, int) and e.bit_length() > 64):
            raise _err(keys + (i,), f"expected a token (a word), got {_show(e)}")
        out.append(str(e).strip())
    return out


def _ask(v: Any) -> Ask:
    if v is None:
        return Ask()
    if not isinstance(v, dict):
        raise _err(("ask",), f"expected a mapping (quantity, t, digits, from, to), got {_show(v)}")
    for key in v:
        if key not in ASK_KEYS:
            raise _err(("ask", key), f"unknown key; expected one of {', '.join(ASK_KEYS)}")
    q = v.get("quantity")
    if q is not None and not isinstance(q, str):
        raise _err(("ask", "quantity"), f"expected a quantity name, got {_show(q)}")
    # from: -1 names the initial state where the steps count from 0 (SPEC 1.5)
    opt = {k: (integer(v[k], ("ask", k), low=-1 if k == "from" else 0)
               if v.get(k) is not None else None)
           for k in ("t", "digits", "from", "to", "layer")}
    if opt["digits"] is not None and opt["digits"] > 15:
        raise _err(("ask", "digits"), f"expected at most 15 decimal places, got {opt['digits']}")
    direction = v.get("direction")
    if direction is not None and direction not in ("forward", "backward"):
        raise _err(("ask", "direction"), f"expected forward or backward, got {_show(direction)}")
    return Ask(quantity=q, t=opt["t"], digits=opt["digits"], start=opt["from"], stop=opt["to"],
               layer=opt["layer"], direction=direction)


def _hmm(p: Problem, data: dict) -> None:
    has_s, has_b = data.get("states") is not None, data.get("binary_units") is not None
    if has_s == has_b:
        raise _err(("states",), "expected exactly one of states or binary_units")
    if has_s:
        p.states = integer(data["states"], ("states",), low=1)
    else:
        p.binary_units = integer(data["binary_units"], ("binary_units",), low=1)


def _shapes(p: Problem, data: dict) -> None:
    if p.ask.digits is not None:
        raise _err(("ask", "digits"), "shapes answers are whole numbers and shapes; "
                                      "leave out ask.digits")
    p.cell = _choose(data, "cell", ("rnn", "lstm", "gru"), "rnn")
    for key in ("input", "hidden"):
        if data.get(key) is None:
            raise _err((key,), "missing; expected a whole number >= 1")
        p.sizes[key] = integer(data[key], (key,), low=1)
    if data.get("output") is not None:
        p.sizes["output"] = integer(data["output"], ("output",), low=1)
    for key in ("input", "hidden", "output"):
        if p.sizes.get(key, 0) > 10 ** 9:
            raise _err((key,), f"expected at most 1,000,000,000 units, got {data[key]}")
    p.framework = _choose(data, "framework", ("course", "pytorch", "keras"), "course")
    p.sizes["layers"] = integer(data.get("layers", 1), ("layers",), low=1)
    if p.sizes["layers"] > 1000:
        raise _err(("layers",), f"expected at most 1000 layers, got {p.sizes['layers']}")
    p.sizes["directions"] = 2 if _flag(data, "bidirectional", False) else 1
    if "reset_after" in data:
        if p.framework != "keras" or p.cell != "gru":
            raise _err(("reset_after",), "only applies to a Keras GRU (framework: keras, "
                                         "cell: gru)")
        p.reset_after = _flag(data, "reset_after", True)


def _flag(data: dict, key: str, default: bool) -> bool:
    v = data.get(key, default)
    if not isinstance(v, bool):
        raise _err((key,), f"expected true or false, got {_show(v)}")
    return v


def _network_problem(p: Problem, data: dict) -> None:
    from .network import build_network   # noqa: PLC0415 (numpy-free start-up)
    ptype = p.type
    cell = TYPE_CELL.get(ptype) or _choose(data, "cell", CELLS, "rnn")
    p.cell = cell
    names = notation_names(cell)
    p.notation = data.get("notation", DEFAULT_NOTATION[cell])
    if isinstance(p.notation, str) and (cell, p.notation) in ABSENT:
        raise _err(("notation",), ABSENT[(cell, p.notation)])
    if not isinstance(p.notation, str) or p.notation not in names:
        raise _err(("notation",), f"expected one of {', '.join(names)} for the {cell} cell, "
                                  f"got {_show(p.notation)}")
    if "convention" in data:
        if cell != "gru":
            raise _err(("convention",), "only applies to the GRU (type gru or cell: gru)")
        p.convention = _choose(data, "convention", CONVENTIONS, "ng")
    r = data.get("round", "none")
    if isinstance(r, str) and r in ROUND_WORDS:
        p.round = r
    elif _is_number(r):
        p.round = integer(r, ("round",), what="none, state, activations or a whole number >= 0")
        if p.round > 15:
            raise _err(("round",), f"expected at most 15 decimal places, got {p.round}")
    else:
        raise _err(("round",), f"expected none, state, activations or a whole number of "
                               f"decimals, got {_show(r)}")
    if "inputs" not in data:
        raise _err(("inputs",), "missing; expected the inputs x_0 ... x_{T-1} as a list")
    if _flag(data, "batch", False):
        p.inputs, p.inputs_vector, p.batch = _batch_inputs(data["inputs"])
    else:
        p.inputs, p.inputs_vector = _inputs(data["inputs"])
    net = data.get("network", {})
    if net is None:
        net = {}
    notation = notation_for(cell, p.notation)
    if notation.convention:                    # before its keys: say which of the two to drop
        _same_convention(p, data, notation.convention)
    stacks = None
    if may_be_stack(data, notation):
        from . import stacks   # noqa: PLC0415 (start-up: a file that cannot be a stack skips it)
    if stacks is not None and stacks.is_stack(p, data, notation):
        stacks.build_stack(p, data, notation, _err)
    elif not isinstance(net, dict):
        raise _err(("network",), f"expected a mapping of parameters, got {_show(net)}")
    else:
        if p.ask.layer not in (None, 1) or p.ask.direction not in (None, "forward"):
            raise _err(("ask", "layer" if p.ask.layer not in (None, 1) else "direction"),
                       "the network has one layer, forward (network is a mapping)")
        given = net
        if notation.suffix:         # PyTorch's keys: its h_0 shapes (start-up: only then loaded)
            from .torch_states import torch_states   # noqa: PLC0415
            given = torch_states(net, notation, p.batch)
        p.network = build_network(notation, given, p.inputs, p.inputs_vector, _err,
                                  batch=p.batch)
    if p.stack is None and p.network.notation.embedding in net:
        p.tokens = token_indices(p, p.network)
    fixed = p.network.notation.convention      # a notation that writes one GRU only
    if fixed:
        _same_convention(p, data, fixed)
        p.convention = fixed
    if ptype in ("backprop", "vanishing"):
        from .backprop_keys import gradient_keys   # noqa: PLC0415 (start-up: forward has none)
        if p.stack is not None:
            stacks.gradient_keys(p, data)
        gradient_keys(p, data)
    # the keys of output feedback, checked where a file writes any (start-up: most do not)
    if ptype in ("forward", "backprop", "vanishing") and (
            "feedback" in data or "W_yh" in p.network.written or "y_init" in p.network.written):
        from .backprop_keys import feedback_keys   # noqa: PLC0415
        feedback_keys(p, data)
    first, last = p.first, p.T - 1 + p.first
    if p.ask.t is not None and not first <= p.ask.t <= last:
        raise _err(("ask", "t"), f"expected a time step from {first} to {last}, got {p.ask.t}")
    from .limits import check as within_limits   # noqa: PLC0415
    within_limits(p)            # work and memory, before the solving allocates anything large


def may_be_stack(data: dict, notation) -> bool:
    """Whether the file writes anything that can make its network a stack (`stacks.is_stack`
    decides): layers, directions, a read-out once, PyTorch's `_l1` keys. Only then is stacks.py
    imported (start-up); tests/test_startup_modules.py checks every bundled stack passes."""
    return (isinstance(data.get("network"), list) or "bidirectional" in data
            or "readout" in data or bool(notation.suffix))


def _same_convention(p: Problem, data: dict, fixed: str) -> None:
    """`notation` says whose keys and layout (and, for most courses, the GRU's update rule);
    `convention` only picks the rule where the notation leaves it open (mit)."""
    if "convention" in data and data["convention"] != fixed:
        raise _err(("convention",), f"the {p.notation} notation's GRU is the {fixed} "
                                    f"convention; leave convention out")


def _batch_inputs(v: Any) -> tuple[np.ndarray, bool, int]:
    """N sequences, the example axis first as CS231n writes them: (T, N, x) inside."""
    if not isinstance(v, list) or not v or not all(isinstance(e, (list, np.ndarray)) for e in v):
        raise _err(("inputs",), f"expected a list of sequences, one per example (batch: true), "
                                f"got {_show(v)}")
    seqs = []
    for n, seq in enumerate(v):
        try:
            seqs.append(_inputs(seq))
        except ProblemError as err:
            raise _err(("inputs", n) + tuple(err.keys[1:]), err.reason) from None
        if seqs[-1][0].shape != seqs[0][0].shape:
            raise _err(("inputs", n), f"example {n} has {len(seqs[-1][0])} steps of "
                                      f"{seqs[-1][0].shape[1]} numbers; example 0 has "
                                      f"{len(seqs[0][0])} of {seqs[0][0].shape[1]}")
    X = np.stack([s for s, _ in seqs], axis=1)
    return X, any(vec for _, vec in seqs), len(seqs)


def _inputs(v: Any) -> tuple[np.ndarray, bool]:
    if not isinstance(v, (list, np.ndarray)):
        raise _err(("inputs",), f"expected a list of inputs x_0 ... x_{{T-1}}, got {_show(v)}")
    if len(v) == 0:
        raise _err(("inputs",), "expected at least one input, got an empty list")
    arr, shape = numbers(v, ("inputs",))
    if len(shape) == 1:
        return arr.reshape(-1, 1), False
    return arr, True
