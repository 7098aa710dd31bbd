"""Answers: picking the quantity asked, giving it the file's shapes, comparing it (SPEC 1).

    a quantity with t       -> that step's value
    a quantity without t    -> the list over all steps
    a scalar network        -> numbers; a network written with lists -> lists
    a gradient              -> the shape its parameter is written with
"""

from __future__ import annotations

import math
import re
from typing import Any

import numpy as np

from ..errors import ProblemError
from ..trace import Shaped
from .values import error_at, shown_value, deeper_than_rows, nested_numbers, numbers, plain_text


def shaped_state(p, v) -> Any:
    """One step's state or output in the file's shapes (a row per example in a batch)."""
    arr = np.asarray(v, dtype=np.float64)
    scalar = p.network is not None and not p.network.vector
    if getattr(p, "batch", None):
        return (arr[..., 0] if scalar and arr.shape[-1] == 1 else arr).tolist()
    if scalar and arr.size == 1:
        return float(arr.reshape(-1)[0])
    return arr.reshape(-1).tolist()


def shaped_param(p, key: str, v) -> Any:
    """A gradient with the shape its parameter is written with."""
    arr = np.asarray(v, dtype=np.float64)
    net = p.network
    if key in net.written:
        shape = net.written[key]
        if shape is None:
            return float(arr.reshape(-1)[0]) if arr.size == 1 else arr.tolist()
        return arr.reshape(shape).tolist()
    if not net.vector and arr.size == 1:
        return float(arr.reshape(-1)[0])
    return arr.tolist()


def pick(p, values: dict, per_step: tuple[str, ...], default: str) -> tuple[str, Any, str]:
    """(quantity, answer, question text) for the problem's `ask`."""
    q = p.ask.quantity or default
    aliases = p.network.aliases if p.network is not None else {}
    if q.startswith("dE/d") and q[4:] in aliases:      # dE/dweight_ih_l0, as the file wrote it
        values = {**values, q: values[f"dE/d{aliases[q[4:]]}"]}
        written = aliases[q[4:]]
        return q, shaped_param(p, written, values[q]), q
    if q not in values:
        names = ", ".join(sorted(k for k in values if not k.startswith("_")))
        raise _ask_error("quantity", f"{p.type} has no quantity {q!r}; expected one of {names}")
    t = p.ask.t
    if q in per_step:
        seq = values[q]
        if isinstance(seq, Shaped):
            return ((q, seq[t - p.first], f"{q} at t={t}") if t is not None
                    else (q, list(seq), f"{q} at every step"))
        if t is not None:
            return q, shaped_state(p, seq[t - p.first]), f"{q} at t={t}"
        if getattr(p, "batch", None):               # (N, T, n): the example axis first
            arr = np.moveaxis(np.asarray(seq, dtype=np.float64), 0, 1)
            scalar = not p.network.vector and arr.shape[-1] == 1
            return q, (arr[..., 0] if scalar else arr).tolist(), f"every {q}_t"
        if isinstance(seq, np.ndarray):            # the engine's (T, n) arrays, in one go
            scalar = p.network is not None and not p.network.vector and seq.shape[1] == 1
            return q, (seq[:, 0] if scalar else seq).tolist(), f"every {q}_t"
        return q, [shaped_state(p, v) for v in seq], f"every {q}_t"
    if t is not None:
        raise _ask_error("t", f"{q} is not a per-step quantity; leave out ask.t")
    v = values[q]
    if q == "jacobian":                          # a matrix (a number for a scalar network)
        arr = np.asarray(v, dtype=np.float64)
        return q, (float(arr.reshape(-1)[0]) if not p.network.vector and arr.size == 1
                   else arr.tolist()), "dh_to/dh_from"
    if q[:4] in ("dE/d", "dF/d") and p.network is not None and q[4:] in p.network.params:
        return q, shaped_param(p, q[4:], v), q          # dF/d<key>: Hagan's F is E
    if isinstance(v, (np.ndarray, np.generic)):
        v = shaped_state(p, v) if np.ndim(v) else float(v)
    return q, v, q


def _ask_error(key: str, message: str) -> ProblemError:
    return ProblemError(message, keys=("ask", key))


# ---------------------------------------------------------------- comparing

def is_words(v: Any) -> bool:
    """A word, or a sequence of tokens (decode's answer)."""
    return isinstance(v, str) or (isinstance(v, list) and bool(v)
                                  and all(isinstance(e, str) for e in v))


def _tokens(v: Any) -> list[str]:
    words = v.replace(",", " ").split() if isinstance(v, str) else [str(e) for e in v]
    return [w.strip().casefold() for w in words]


def rounded(answer: Any, digits: int | None) -> Any:
    if digits is None or is_words(answer) or answer is None:
        return None
    if isinstance(answer, dict):
        return {k: rounded(v, digits) for k, v in answer.items()}
    try:
        arr = round_places(np.asarray(answer, dtype=np.float64), digits)
    except (TypeError, ValueError):
        return None
    return float(arr) if arr.ndim == 0 else arr.tolist()


def round_places(arr: np.ndarray, digits: int) -> np.ndarray:
    """numpy.round(arr, digits), half to even, without its overflow: numpy scales by
    10^digits first, so 1e306 at 4 places became inf. Once |x|·10^digits reaches 2^53,
    neighbouring floats are more than 10^-digits apart, so x is the float nearest its own
    rounding and is left as it is (below 2^53 they are not: 451593274000000.0625 at one
    place is ...000.125, not itself)."""
    arr = np.asarray(arr, dtype=np.float64)
    limit = 2.0 ** 53 * 10.0 ** -min(max(digits, 0), 400)  # |x| 10^digits: floats a place apart
    with np.errstate(over="ignore", invalid="ignore"):
        out = np.where(np.abs(arr) < limit, np.round(arr, digits), arr) + 0.0
    return out


def agree(computed: Any, published: Any, digits: int | None) -> bool:
    """SPEC 1: at `digits` places (half to even) element by element, else within 1e-9."""
    if published is None:
        return False
    if isinstance(computed, list) and is_words(computed) or \
            isinstance(published, list) and is_words(published):
        # a sequence of tokens: published as a list or as one string "A B <eos>"
        if not is_words(computed) or not is_words(published):
            return False
        return _tokens(computed) == _tokens(published)
    if isinstance(computed, str) or isinstance(published, str):
        return str(computed).strip().casefold() == str(published).strip().casefold()
    if isinstance(computed, dict) or isinstance(published, dict):
        if not isinstance(computed, dict) or not isinstance(published, dict):
            return False
        return computed.keys() == published.keys() and all(
            agree(computed[k], published[k], digits) for k in computed)
    try:
        c = np.asarray(computed, dtype=np.float64).reshape(-1)
        e = np.asarray(published, dtype=np.float64).reshape(-1)
    except OverflowError:           # integers past float64 are compared exactly
        return computed == published
    except (TypeError, ValueError):
        # rows mixing words and numbers (a model's summary, SPEC 1.7): entry by entry
        if isinstance(computed, list) and isinstance(published, list) and _has_word(computed):
            return len(computed) == len(published) and all(
                agree(c, e, digits) for c, e in zip(computed, published))
        return False
    if c.shape != e.shape or not np.isfinite(c).all():
        return False
    if digits is not None:
        return bool(np.array_equal(round_places(c, digits), round_places(e, digits)))
    return bool(np.all(np.abs(c - e) <= 1e-9 * np.maximum(1.0, np.abs(e))))


def _has_word(v: Any) -> bool:
    return isinstance(v, str) or isinstance(v, list) and any(_has_word(e) for e in v)


def is_finite_answer(v: Any) -> bool:
    if isinstance(v, str) or v is None:
        return True
    if isinstance(v, float):
        return math.isfinite(v)
    try:
        return bool(np.isfinite(np.asarray(v, dtype=np.float64)).all())
    except OverflowError:           # integers past float64 (a count of 10**400): exact, finite
        return True
    except (TypeError, ValueError):
        return True


# ---------------------------------------------------------------- published answers

def read_answer(v: Any) -> Any:
    """A published answer: a number, a word, a (nested) list of numbers."""
    if v is None:
        return v
    if isinstance(v, str):
        if re.fullmatch(_NUMBERISH, v.strip()):     # 0,88 or 0.0.880: a number mistyped, not a word
            raise error_at(("answer",), f"expected a number, got {shown_value(v)}")
        return plain_text(v, ("answer",))
    return answer_numbers(v, ("answer",))


def answer_numbers(v: Any, keys: tuple) -> Any:
    if isinstance(v, dict):         # a gradient of a key written {delay: weight} (SPEC 1.17)
        from .keyed_answers import read   # noqa: PLC0415 (start-up: rare)
        return read(v, keys, answer_numbers)
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
            raise error_at(keys + (i,), f"expected a token (a word), got {shown_value(e)}")
        out.append(str(e).strip())
    return out



def token_answer(v: Any) -> Any:
    """A published answer of a type that answers with tokens too (ctc's labelling, decode's
    sequence): a list holding a string is tokens, anything else numbers or a word."""
    if isinstance(v, list) and v and any(isinstance(e, str) for e in v):
        return tokens(v, ("answer",))
    return read_answer(v)