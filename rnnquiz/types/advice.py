"""How to write it right: the suggestion added to an error about a key or a value.

An error says what is wrong (`unknown key`, `expected one of ...`, `got '0,5'`); a newcomer
also needs the nearest valid spelling or form. `advise(reason, keys)` reads the error's
reason and key path and returns the reason with one suggestion added (`; did you mean
h_init?`), or unchanged when it knows none. `advised(err)` is the error as it leaves the
library, advised once (errors.py says where); this module is imported on the first error
that leaves. It lives with the types, as it names the types that take a misplaced key
(`types.keys.KEYS`).
"""

from __future__ import annotations

import re

from ..errors import ProblemError, key_path
from ..notations import NOTATIONS
from ..notations.framework_keys import ANY_NAME
from ..problem.spelling import KEY_ALIASES, nearest, norm
from .keys import KEYS

# initial states, whatever the notation calls them: h0, h_{-1}, h_prev ... -> its own key
_STATE_WORDS = re.compile(r"^([hacs])(?:0|1|init|initial|prev|previous|minus1|m1|start|zero|"
                          r"t1|tminus1)?$")
_VALUE_ALIASES = {
    "loss": {"mse": "squared", "l2": "squared", "squarederror": "squared",
             "sumofsquares": "squared", "square": "squared", "ce": "cross_entropy",
             "xent": "cross_entropy", "crossentropy": "cross_entropy", "nll": "cross_entropy",
             "logloss": "cross_entropy", "softmax": "cross_entropy", "bce": "cross_entropy"},
    "reduction": {"average": "mean", "avg": "mean", "total": "sum", "none": "sum",
                  "batchmean": "batch_mean"},
    "round": {"states": "state", "integer": "state", "integers": "state", "int": "state",
              "activation": "activations", "no": "none", "false": "none", "off": "none",
              "exact": "none"},
    "notation": {"deeplearning.ai": "deeplearning_ai", "deeplearningai": "deeplearning_ai",
                 "dlai": "deeplearning_ai", "ng": "deeplearning_ai",
                 "andrewng": "deeplearning_ai", "coursera": "deeplearning_ai",
                 "torch": "pytorch", "mitx": "mit", "6.86x": "mit", "tensorflow": "keras",
                 "tf": "keras", "tfkeras": "keras", "cs231": "cs231n", "minchar": "karpathy",
                 "minchar-rnn": "karpathy", "dive": "d2l", "deepbook": "goodfellow"},
    "convention": {"torch": "pytorch", "deeplearning_ai": "ng", "deeplearningai": "ng",
                   "dlai": "ng", "andrewng": "ng", "coursera": "ng", "mit": "ng",
                   "d2l": "fully_gated", "cho": "fully_gated", "goodfellow": "fully_gated",
                   "fullygated": "fully_gated", "full": "fully_gated"},
    "hidden": {"sigmoid": "logistic", "sigm": "logistic", "identity": "linear",
               "none": "linear", "purelin": "linear", "tansig": "tanh", "logsig": "logistic",
               "threshold": "step", "heaviside": "step", "binary": "step"},
}
_VALUE_ALIASES["output"] = {**_VALUE_ALIASES["hidden"], "soft_max": "softmax"}
# the words of keys whose error does not list them as `one of`
_WORDS = {"round": ["none", "state", "activations"]}
_QUANTITY_WORDS = {"output": "y", "outputs": "y", "state": "h", "hidden": "h", "loss": "E",
                   "error": "E", "cost": "E", "l": "E", "j": "E"}


def advised(err: ProblemError) -> ProblemError:
    """The error as it leaves the library: its reason advised, once; an error it quotes is
    advised on its own key path first, as if each had been advised where it was raised."""
    if err.advised:
        return err
    return ProblemError(_reason(err), file=err.file, line=err.line, path=err.path,
                        keys=err.keys, advised=True)


def _reason(err: ProblemError, shown: tuple | None = None) -> str:
    """`shown`: the key path the file writes, where an error was re-keyed on its way up."""
    if err.advised:
        return err.reason
    if err.quoting is not None and not err.written:     # re-keyed, the same words: its advice
        return _reason(err.quoting, shown or err.keys)  # names the path as the file has it
    quoted = _reason(err.quoting) if err.quoting is not None else ""
    return advise(err.written + quoted, err.keys, shown)


def said(err: Exception) -> str:
    """An error's one line as it leaves the library: a ProblemError advised, another as is."""
    return str(advised(err)) if isinstance(err, ProblemError) else str(err)


def _listed(reason: str) -> list[str]:
    """The options an error lists after `expected one of` (up to `, got` or the end)."""
    m = re.search(r"expected one of (.+?)(?: for the \w+ cell)?(?:, got .*)?$", reason)
    return [o.strip() for o in m.group(1).split(",")] if m else []


def _got(reason: str) -> str | None:
    m = re.search(r"got '(.*)'$", reason)
    return m.group(1) if m else None


def advise(reason: str, keys: tuple = (), shown: tuple | None = None) -> str:
    """The reason with a suggestion of how to write it right, when one is known; a key it
    suggests is named on the path `shown` (default `keys`): encoder.network.bias_ih."""
    if "; did you mean" in reason or "; write " in reason or "; use " in reason:
        return reason
    try:
        hint = _hint(reason, tuple(keys), tuple(shown or keys))
    except Exception:   # noqa: BLE001 (advice must never hide the error it advises on)
        hint = None
    if not hint or reason.endswith(f"; {hint}"):      # an error located again keeps one hint
        return reason
    return f"{reason}; {hint}"


def _hint(reason: str, keys: tuple, shown: tuple = ()) -> str | None:
    last = keys[-1] if keys else None
    if reason.startswith("unknown key") and isinstance(last, str):
        return _unknown_key(reason, keys, key_path(shown[:-1]) if shown else "")
    if "has no quantity" in reason:
        m = re.search(r"has no quantity '(.*?)'", reason)
        return _quantity(m.group(1), _listed(reason)) if m else None
    if keys == ("type",) and reason.startswith("missing"):
        return "write the type first, e.g. type: forward (see docs/format.md)"
    if keys == ("convention",) and "only applies to the GRU" in reason:
        return _CONVENTION
    if keys == ("ask",) and "expected a mapping" in reason:
        return "write ask: {quantity: y, t: 1}"
    if "mapping values are not allowed" in reason:
        return ("the keys of one mapping start in the same column; a value holding ': ' "
                "needs quotes")
    if reason.startswith("malformed YAML"):
        return None
    got = _got(reason)
    field = last if isinstance(last, str) else ""
    if got is not None and field in ("hidden",) and got in ("softmax",):
        return "softmax is an output activation: write it as network.output"
    if got is not None and field == "round":
        m = re.fullmatch(r"(\d+)\s*(?:decimals?|dp|places|digits)", got.strip())
        if m:
            return f"did you mean round: {m[1]}?"
    if got is not None and got.strip().lower() in _NUMBER_WORDS:
        return f"write it as a number: {_NUMBER_WORDS[got.strip().lower()]}"
    options = _listed(reason) or _WORDS.get(field, [])
    if got is not None and options:
        hit = nearest(got, options, _VALUE_ALIASES.get(field, {}))
        if hit:
            return f"did you mean {field + ': ' if field else ''}{hit}?"
    if got is not None:
        return _value_form(got, keys)
    m = re.search(r"expected a time step from (-?\d+) to (-?\d+), got (-?\d+)", reason)
    if m:
        first, last_t, t = map(int, m.groups())
        return (f"this notation counts steps from {first}: the {last_t - first + 1} inputs are "
                f"steps {first} to {last_t}")
    return None


_CONVENTION = ("convention only picks a GRU's update rule (ng, pytorch or fully_gated) where the "
               "notation leaves it open; for a course's keys and layout write notation: (pytorch, "
               "keras, ...)")


def _unknown_key(reason: str, keys: tuple, where: str = "") -> str | None:
    """`where`: the path of the mapping holding the key, as the file writes it."""
    bad = keys[-1]
    if keys == ("convention",):
        return _CONVENTION
    options = _listed(reason)
    if not options and "expected h or y" in reason:
        options = ["h", "y"]
    m = _STATE_WORDS.match(norm(bad))
    states = [o for o in options if o.endswith("_init")]
    if m and len(keys) >= 2 and keys[-2] == "network" and states:
        own = next((s for s in states if s.startswith(m.group(1))), states[0])
        return f"did you mean {own} (the initial state)?"
    swapped = re.fullmatch(r"([A-Za-z]+_)([a-z])([a-z])", str(bad))
    turned = swapped and f"{swapped[1]}{swapped[3]}{swapped[2]}"
    if turned and turned in options:                       # W_hx for W_xh
        return (f"did you mean {where + '.' if where else ''}{turned}? (this notation writes "
                f"the two letters the other way round)")
    elsewhere = (_top_key_elsewhere(bad) if len(keys) == 1 else
                 _network_key_elsewhere(bad, reason) if keys[-2] == "network" else None)
    hit = nearest(bad, options)
    if hit and (not elsewhere or norm(hit) == norm(bad) or KEY_ALIASES.get(norm(bad)) == hit):
        return f"did you mean {where + '.' if where else ''}{hit}?"
    return elsewhere


def _top_key_elsewhere(key: str) -> str | None:
    """A top-level key that belongs to other types, under ask:, or under network:."""
    if key in ("quantity", "t", "digits", "from", "to", "layer", "direction"):
        return f"{key} goes under ask: (ask: {{{key}: ...}})"
    types = [t for t, ks in KEYS.items() if key in ks]
    if types:
        return f"{key} is a key of type {' and '.join(types[:3])}"
    if any(key in n.keys for n in NOTATIONS.values()):
        return f"parameters and initial states go under network: (network: {{{key}: ...}})"
    return None


def _network_key_elsewhere(key: str, reason: str) -> str | None:
    """A network key of another notation of the same cell: say which notation writes it."""
    m = re.search(r"for the (\w+) cell in (\w+) notation", reason)
    if not m:
        return None
    cell, here = m.groups()
    others = sorted(n for (c, n), nt in NOTATIONS.items() if c == cell and n != here
                    and key in nt.keys)
    if others:
        return (f"{key} is written in the {' and '.join(others[:3])} notation; write "
                f"notation: {others[0]} or use the {here} notation's keys")
    if re.fullmatch(r"[A-Za-z_]\w*\.(weight|bias)", key) and (cell, here) in NOTATIONS:
        W, b = NOTATIONS[(cell, here)].readout          # nn.Linear by its state_dict names
        return (f"a read-out nn.Linear by its state_dict names is read in the "
                f"{' and '.join(ANY_NAME)} notations; the {here} notation's is {W} and {b}")
    return None


def _quantity(q: str, names: list[str]) -> str | None:
    """dE/dz_1 -> dE/dz with ask.t: 1; y<2> -> y with ask.t: 2; loss -> E; dL/dW_hh -> dE/dW_hh."""
    m = re.fullmatch(r"(.+?)(?:_\{?|<|\(|\[|\^)?(-?\d+)[}>)\]]?", q.strip())
    if m and m.group(1) in names:
        return f"did you mean {m.group(1)} with ask.t: {m.group(2)}?"
    m = re.fullmatch(r"(.+?)_\{?t\}?|(.+?)<t>", q.strip())
    if m and (m.group(1) or m.group(2)) in names:
        base = m.group(1) or m.group(2)
        return f"did you mean {base} (with ask.t: a step, or without it: every step)?"
    word = _QUANTITY_WORDS.get(q.strip().lower())
    if word in names:
        return f"did you mean {word}?"
    g = re.fullmatch(r"d[a-zA-Z]/d(.+)|d(.+)|grad_?(.+)", q.strip())
    if g:
        # RTRL's sensitivities (dh/dW_hh, dc/dW_f) before the gradients they resemble
        own = nearest(q.strip(), [n for n in names if re.fullmatch(r"d\w+/d.+", n)
                                  and not n.startswith("dE/d")])
        if own and "/" in q and q.strip()[:3] not in ("dE/", "dL/", "dJ/", "dF/", "dC/"):
            return f"did you mean {own}?"
        rest = next(x for x in g.groups() if x)
        if f"dE/d{rest}" in names:          # dL/dW_hh -> dE/dW_hh (nearest skips an exact one)
            return f"did you mean dE/d{rest}?"
        hit = nearest(f"dE/d{rest}", names) or nearest(rest, [n[4:] for n in names
                                                              if n.startswith("dE/d")])
        if hit:
            return f"did you mean {hit if hit.startswith('dE/d') else 'dE/d' + hit}?"
    hit = nearest(q, names)
    return f"did you mean {hit}?" if hit else None


_NUMBER_WORDS = {w: i for i, w in enumerate("zero one two three four five six seven eight nine "
                                            "ten".split())}


def _value_form(got: str, keys: tuple) -> str | None:
    """A value written in a form the format does not read: 0,5  1 2 3  9, 4, -2  1/2  −0.5."""
    s = got.strip()
    if re.fullmatch(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?", s):
        return f"write the number without quotes: {s}"
    if re.fullmatch(r"[A-Za-z_][\w/]*:\S.*", s):
        key, _, value = s.partition(":")
        return f"put a space after the colon: {key}: {value}"
    if re.fullmatch(r"[-+]?\d+,\d+", s):
        return f"use a dot for decimals: {s.replace(',', '.')}"
    if re.fullmatch(r"[-+]?\d*(?:\.\d*){2,}", s):
        return "a number has one decimal point at most (as 0.88)"
    if "\u2212" in s and re.fullmatch(r"[\u2212+]?[\d.eE]+", s):
        return f"use the ASCII minus sign: {s.replace(chr(0x2212), '-')}"
    if re.fullmatch(r"[-+]?\d*\.?\d+\s*/\s*\d*\.?\d+", s):
        a, b = (float(v) for v in s.split("/"))
        return f"write the fraction as a decimal: {a / b:g}" if b else None
    if re.fullmatch(r"[-+]?\d*\.?\d+\s*%", s):
        return f"write the percentage as a decimal: {float(s[:-1]) / 100:g}"
    if re.fullmatch(r"[-+.\deE]+(?:\s*,\s*[-+.\deE]+)+,?", s):
        return f"write the list in brackets: [{s}]"
    if re.fullmatch(r"[-+.\deE]+(?:\s+[-+.\deE]+)+", s):
        return f"separate the numbers with commas: [{', '.join(s.split())}]"
    if re.fullmatch(r"\[.*\]", s):
        return "remove the quotes around the list"
    return None
