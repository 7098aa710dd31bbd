"""YAML documents -> validated `Problem`s (SPEC 1 and 4).

Every rule of the format is checked here, once, so the solvers can trust what
they get: known keys only, numbers that are numbers, shapes that fit. Errors
name the key path; the line is looked up in the YAML only when there is one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from . import yamlio
from .errors import ProblemError
from .notations import DEFAULT_NOTATION, Notation, notation_for, notation_names

TYPES = ("forward", "backprop", "vanishing", "hmm_bits", "lstm", "gru", "gated", "shapes", "choice")
NETWORK_TYPES = ("forward", "backprop", "vanishing", "lstm", "gru", "gated")
CELLS = ("rnn", "lstm", "gru", "gated")
ROUND_WORDS = ("none", "state", "activations")
LOSSES = ("squared", "cross_entropy")
CONVENTIONS = ("ng", "pytorch")

_COMMON = {"type", "title", "source", "answer", "ask"}
_NET = {"network", "inputs", "round", "notation"}
_GRAD = {"cell", "targets", "loss", "given", "convention"}
KEYS: dict[str, set[str]] = {
    "forward": _COMMON | _NET,
    "backprop": _COMMON | _NET | _GRAD,
    "vanishing": _COMMON | _NET | _GRAD | {"tolerance"},
    "lstm": _COMMON | _NET,
    "gru": _COMMON | _NET | {"convention"},
    "gated": _COMMON | _NET,
    "hmm_bits": _COMMON | {"states", "binary_units"},
    "shapes": _COMMON | {"cell", "input", "hidden", "output"},
    "choice": {"type", "title", "source", "answer", "question", "options", "correct",
               "explanation", "demo"},
}
MAX_COUNT = 10 ** 15       # the largest whole number a key takes (states, sizes, steps, ...)
ASK_KEYS = ("quantity", "t", "digits", "from", "to")
# The cell each network type computes with (backprop/vanishing read `cell:`).
TYPE_CELL = {"forward": "rnn", "lstm": "lstm", "gru": "gru", "gated": "gated"}


@dataclass
class Ask:
    quantity: str | None = None
    t: int | None = None
    digits: int | None = None
    start: int | None = None      # ask.from
    stop: int | None = None       # ask.to


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

    def __getitem__(self, key: str) -> np.ndarray:
        return self.params[key]


@dataclass
class Problem:
    type: str
    title: str = ""
    source: str = ""
    answer: Any = None
    ask: Ask = field(default_factory=Ask)
    network: Network | None = None
    inputs: np.ndarray | None = None     # (T, x)
    inputs_vector: bool = False
    round: str | int = "none"
    cell: str = "rnn"
    notation: str = ""
    convention: str = "ng"
    targets: list | None = None          # per step: 1-D array or None (no output there)
    loss: str = "squared"
    given: dict[str, list] = field(default_factory=dict)
    tolerance: float = 0.01
    states: int | None = None
    binary_units: int | None = None
    sizes: dict[str, int] = field(default_factory=dict)   # shapes: input, hidden, output
    question: str = ""
    options: list[str] = field(default_factory=list)
    correct: list[int] = field(default_factory=list)
    explanation: str = ""
    demo: str | None = None
    file: str | None = None
    doc_index: int = 0                   # which YAML document of the file
    data: dict = field(default_factory=dict, repr=False)

    @property
    def T(self) -> int:
        return 0 if self.inputs is None else len(self.inputs)


# ---------------------------------------------------------------- entry points

def load_text(text: str, file: str | None = None, *,
              max_numbers: int = yamlio.MAX_NUMBERS) -> list[Problem]:
    """Every problem of a YAML text (one per document)."""
    docs = yamlio.parse_documents(text, file, max_numbers=max_numbers)
    docs = [(i, d) for i, d in enumerate(docs) if d is not None]
    if not docs:
        raise ProblemError("no problem in the file (it is empty)", file=file)
    problems = []
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
    p.answer = _answer(data.get("answer"))
    if ptype == "choice":
        from .choice import validate as validate_choice   # noqa: PLC0415 (keeps start-up light)
        validate_choice(p, data)
        return p
    p.ask = _ask(data.get("ask"))
    if ptype == "hmm_bits":
        _hmm(p, data)
    elif ptype == "shapes":
        _shapes(p, data)
    else:
        _network_problem(p, data)
    return p


# ---------------------------------------------------------------- helpers

def _err(keys: tuple, message: str) -> ProblemError:
    return ProblemError(message, keys=keys)


def _kind(v: Any) -> str:
    if isinstance(v, list):
        return "a list"
    if isinstance(v, dict):
        return "a mapping"
    return _show(v)


def _show(v: Any) -> str:
    if v is None:
        return "nothing"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return repr(v if len(v) <= 40 else v[:37] + "...")
    if isinstance(v, (list, dict)):
        return _kind(v)
    if isinstance(v, int) and v.bit_length() > 1000:       # str() refuses past 4,300 digits
        return f"a whole number of about {int(v.bit_length() * 0.30103):,} digits"
    return str(v)


def _text(data: dict, key: str) -> str:
    v = data.get(key, "")
    if v is None:
        return ""
    if not isinstance(v, (str, int, float)) or isinstance(v, bool):
        raise _err((key,), f"expected text, got {_show(v)}")
    return plain_text(_show(v) if not isinstance(v, str) else v, (key,))


def plain_text(v: str, keys: tuple) -> str:
    """Text without control characters (a terminal would obey ESC, CR, ...); tabs and
    newlines pass."""
    if not v.isprintable():
        from .errors import is_control   # noqa: PLC0415
        bad = next((c for c in v if c not in "\t\n" and is_control(c)), None)
        if bad is not None:
            raise _err(keys, f"control character U+{ord(bad):04X} is not allowed in text")
    return v


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def number(v: Any, keys: tuple, what: str = "a number") -> float:
    """A finite float, or an error naming the key."""
    if not _is_number(v):
        raise _err(keys, f"expected {what}, got {_show(v)}")
    try:
        f = float(v)
    except OverflowError:
        raise _err(keys, f"number too large for float64: {_show(v)[:20]}...") from None
    if math.isnan(f):
        raise _err(keys, "NaN is not allowed")
    if math.isinf(f):
        raise _err(keys, "infinity is not allowed (nor a number beyond float64's range)")
    return f


def integer(v: Any, keys: tuple, *, low: int = 0, what: str | None = None) -> int:
    if isinstance(v, bool) or not isinstance(v, int):
        if isinstance(v, float) and v.is_integer() and math.isfinite(v):
            v = int(v)
        else:
            raise _err(keys, f"expected {what or f'a whole number >= {low}'}, got {_show(v)}")
    if v < low:
        raise _err(keys, f"expected {what or f'a whole number >= {low}'}, got {_show(v)}")
    if v > MAX_COUNT:            # no count, size or step of an exercise comes near; floats fail
        raise _err(keys, f"expected {what or 'a whole number'} up to 10^15, got a larger one")
    return v


def numbers(v: Any, keys: tuple, *, depth: int = 2) -> tuple[np.ndarray, tuple | None]:
    """A number or a (nested) list of numbers -> (float64 array, shape as written).

    The written shape is None for a plain number, so answers can keep the file's shapes.
    """
    what = "a number or a list of numbers" if depth == 1 else \
        "a number or a list of numbers (or of lists)"
    if _is_number(v):
        return np.array(number(v, keys)), None
    if isinstance(v, np.ndarray):             # a long sequence the loader read in one go
        return _finite(v, keys), v.shape
    if not isinstance(v, list):
        raise _err(keys, f"expected {what}, got {_show(v)}")
    if not v:
        raise _err(keys, "expected a number or a non-empty list, got an empty list")
    if all(_is_number(e) for e in v):
        arr = _finite(v, keys)
        return arr, arr.shape
    if depth < 2 or _is_number(v[0]):
        # a list that starts with a number is a list of numbers: name the first that is not
        bad = next(i for i, e in enumerate(v) if not _is_number(e))
        raise _err(keys + (bad,), f"expected a number, got {_show(v[bad])}")
    rows = []
    for i, row in enumerate(v):
        if isinstance(row, np.ndarray):
            row = row.tolist()
        if not isinstance(row, list):
            raise _err(keys + (i,), f"expected a list of numbers (a row), got {_show(row)}")
        if not row:
            raise _err(keys + (i,), "expected a non-empty row, got an empty list")
        for j, e in enumerate(row):
            if not _is_number(e):
                raise _err(keys + (i, j), f"expected a number, got {_show(e)}")
        if len(row) != len(v[0]):
            raise _err(keys + (i,), f"rows differ in length: row 0 has {len(v[0])} numbers, "
                                    f"row {i} has {len(row)}")
        rows.append(row)
    arr = _finite(rows, keys)
    return arr, arr.shape


def _finite(v, keys: tuple) -> np.ndarray:
    try:
        arr = np.array(v, dtype=np.float64)
    except OverflowError:
        raise _err(keys, "a number too large for float64") from None
    if not np.isfinite(arr).all():
        bad = np.argwhere(~np.isfinite(arr))[0]
        val = arr[tuple(bad)]
        idx = tuple(int(i) for i in bad)
        word = "NaN is not allowed" if np.isnan(val) else \
            "infinity is not allowed (nor a number beyond float64's range)"
        raise _err(keys + idx, word)
    return arr


def _answer(v: Any) -> Any:
    """A published answer: a number, a word, or a (nested) list of numbers."""
    if v is None:
        return v
    if isinstance(v, str):
        return plain_text(v, ("answer",))
    arr, shape = numbers(v, ("answer",))
    return float(arr) if shape is None else arr.tolist()


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
    opt = {k: (integer(v[k], ("ask", k)) if v.get(k) is not None else None)
           for k in ("t", "digits", "from", "to")}
    if opt["digits"] is not None and opt["digits"] > 15:
        raise _err(("ask", "digits"), f"expected at most 15 decimal places, got {opt['digits']}")
    return Ask(quantity=q, t=opt["t"], digits=opt["digits"], start=opt["from"], stop=opt["to"])


def _choose(data: dict, key: str, options: tuple, default: str) -> str:
    v = data.get(key, default)
    if not isinstance(v, str) or v not in options:
        raise _err((key,), f"expected one of {', '.join(options)}, got {_show(v)}")
    return v


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


def _network_problem(p: Problem, data: dict) -> None:
    from .network import build_network   # noqa: PLC0415
    ptype = p.type
    cell = TYPE_CELL.get(ptype) or _choose(data, "cell", CELLS, "rnn")
    p.cell = cell
    names = notation_names(cell)
    p.notation = data.get("notation", DEFAULT_NOTATION[cell])
    if not isinstance(p.notation, str) or p.notation not in names:
        raise _err(("notation",), f"expected one of {', '.join(names)} for the {cell} cell, "
                                  f"got {_show(p.notation)}")
    if "convention" in data:
        if cell != "gru":
            raise _err(("convention",), "only applies to the GRU (type gru or cell: gru)")
        p.convention = _choose(data, "convention", CONVENTIONS, "ng")
    if p.notation == "deeplearning_ai" and cell == "gru" and p.convention != "ng":
        raise _err(("convention",), "the deeplearning_ai GRU is the ng convention "
                                    "(c~ from r * c<t-1>); leave out convention or write ng")
    if p.notation == "pytorch" and cell == "gru":
        p.convention = "pytorch"
    r = data.get("round", "state" if ptype == "lstm" else "none")
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
    p.inputs, p.inputs_vector = _inputs(data["inputs"])
    net = data.get("network", {})
    if net is None:
        net = {}
    if not isinstance(net, dict):
        raise _err(("network",), f"expected a mapping of parameters, got {_show(net)}")
    p.network = build_network(notation_for(cell, p.notation), net, p.inputs, p.inputs_vector,
                              _err)
    if ptype in ("backprop", "vanishing"):
        _gradient_keys(p, data)
    T = p.T
    if p.ask.t is not None and p.ask.t >= T:
        raise _err(("ask", "t"), f"expected a time step from 0 to {T - 1}, got {p.ask.t}")


def _inputs(v: Any) -> tuple[np.ndarray, bool]:
    if not isinstance(v, (list, np.ndarray)):
        raise _err(("inputs",), f"expected a list of inputs x_0 ... x_{{T-1}}, got {_show(v)}")
    if len(v) == 0:
        raise _err(("inputs",), "expected at least one input, got an empty list")
    arr, shape = numbers(v, ("inputs",))
    if len(shape) == 1:
        return arr.reshape(-1, 1), False
    return arr, True


def _gradient_keys(p: Problem, data: dict) -> None:
    net = p.network
    T = p.T
    # a cell without a read-out is its own output: y_t = h_t (SPEC 1.6)
    ny = net.sizes["y"] if p.cell == "rnn" or net.has_output else net.sizes["h"]
    p.loss = _choose(data, "loss", LOSSES, "squared")
    if p.loss == "cross_entropy":
        act = net.words.get("output", "linear")
        if p.cell != "rnn" or act not in ("softmax", "logistic"):
            raise _err(("loss",), "cross_entropy needs network.output softmax or logistic")
    if "tolerance" in data:
        p.tolerance = number(data["tolerance"], ("tolerance",), "a number >= 0")
        if p.tolerance < 0:
            raise _err(("tolerance",), f"expected a number >= 0, got {data['tolerance']}")
    targets = data.get("targets")
    if targets is None:
        if p.type == "backprop":
            raise _err(("targets",), "missing; expected one target per step, or {step: target}")
        p.targets = None
    else:
        p.targets = [None] * T
        if isinstance(targets, dict):
            # JSON can only write keys as strings: "3" is step 3 (from the API or a JSON file)
            items = [(int(k) if isinstance(k, str) and k.strip().isascii()
                      and k.strip().isdigit() else k, v) for k, v in targets.items()]
            if len({k for k, _ in items if isinstance(k, int)}) < \
                    sum(isinstance(k, int) for k, _ in items):
                twice = next(k for i, (k, _) in enumerate(items)
                             if isinstance(k, int) and k in [j for j, _ in items[:i]])
                raise _err(("targets", twice), f"step {twice} is given twice (as {twice} and "
                                               f"as \"{twice}\")")
            for k, _ in items:
                if isinstance(k, bool) or not isinstance(k, int) or not 0 <= k < T:
                    raise _err(("targets", k), f"expected a time step from 0 to {T - 1} as key, "
                                               f"got {_show(k)}")
        elif isinstance(targets, (list, np.ndarray)):
            if len(targets) != T:
                raise _err(("targets",), f"expected {T} targets (one per input), got "
                                         f"{len(targets)}")
            items = list(enumerate(targets))
        else:
            raise _err(("targets",), f"expected a list or a mapping {{step: target}}, "
                                     f"got {_show(targets)}")
        for k, tv in items:
            if tv is None:
                continue
            arr, _ = numbers(tv, ("targets", k), depth=1)
            arr = arr.reshape(-1)
            if arr.size == 1 and ny > 1:
                raise _err(("targets", k), f"expected {ny} numbers (output size is {ny}), got 1")
            if arr.size != ny:
                raise _err(("targets", k), f"has {arr.size} numbers, output size is {ny}")
            p.targets[k] = arr
        if all(t is None for t in p.targets):
            raise _err(("targets",), "expected at least one target")
    given = data.get("given")
    if given is not None:
        if not isinstance(given, dict):
            raise _err(("given",), f"expected a mapping {{h: [...], y: [...]}}, got {_show(given)}")
        sizes = {"h": net.sizes["h"], "y": ny}
        for key, seq in given.items():
            if key not in sizes:
                raise _err(("given", key), "unknown key; expected h or y")
            if p.cell != "rnn":
                raise _err(("given",), "given values apply to the simple RNN only")
            if isinstance(seq, np.ndarray):
                seq = seq.tolist()
            if not isinstance(seq, list) or len(seq) != T:
                raise _err(("given", key), f"expected a list of {T} values (one per step), "
                                           f"got {_show(seq) if not isinstance(seq, list) else len(seq)}")
            vals = []
            for i, e in enumerate(seq):
                arr, _ = numbers(e, ("given", key, i), depth=1)
                arr = arr.reshape(-1)
                if arr.size != sizes[key]:
                    raise _err(("given", key, i), f"has {arr.size} numbers, size of {key} "
                                                  f"is {sizes[key]}")
                vals.append(arr)
            p.given[key] = vals
    if p.type == "vanishing" and p.T < 2:
        raise _err(("inputs",), "a single-step sequence has no factor dz_{t+1}/dz_t; "
                                "give at least two inputs")
