"""Reading typed values out of a YAML document, each error naming its key path (SPEC 4):
numbers that are numbers, whole numbers, (nested) lists of finite float64s, plain text."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..errors import ProblemError, is_control, key_path

MAX_COUNT = 10 ** 15       # the largest whole number a key takes (states, sizes, steps, ...)


def error_at(keys: tuple, message: str) -> ProblemError:
    return ProblemError(message, keys=keys)


def value_kind(v: Any) -> str:
    if isinstance(v, list):
        return "a list"
    if isinstance(v, dict):
        return "a mapping"
    return shown_value(v)


def shown_value(v: Any) -> str:
    if v is None:
        return "nothing"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return repr(v if len(v) <= 40 else v[:37] + "...")
    if isinstance(v, (list, dict)):
        return value_kind(v)
    if isinstance(v, int) and v.bit_length() > 1000:       # str() refuses past 4,300 digits
        return f"a whole number of about {int(v.bit_length() * 0.30103):,} digits"
    return str(v)


def text_at(data: dict, key: str) -> str:
    v = data.get(key, "")
    if v is None:
        return ""
    if not isinstance(v, (str, int, float)) or isinstance(v, bool):
        raise error_at((key,), f"expected text, got {shown_value(v)}")
    return plain_text(shown_value(v) if not isinstance(v, str) else v, (key,))


def plain_text(v: str, keys: tuple) -> str:
    """Text without control characters (a terminal would obey ESC, CR, ...); tabs and
    newlines pass."""
    if not v.isprintable():
        bad = next((c for c in v if c not in "\t\n" and is_control(c)), None)
        if bad is not None:
            raise error_at(keys, f"control character U+{ord(bad):04X} is not allowed in text")
    return v


def is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def number(v: Any, keys: tuple, what: str = "a number") -> float:
    """A finite float, or an error naming the key."""
    if not is_number(v):
        raise error_at(keys, f"expected {what}, got {shown_value(v)}")
    try:
        f = float(v)
    except OverflowError:
        raise error_at(keys, f"number too large for float64: {shown_value(v)[:20]}...") from None
    if math.isnan(f):
        raise error_at(keys, "NaN is not allowed")
    if math.isinf(f):
        raise error_at(keys, "infinity is not allowed (nor a number beyond float64's range)")
    return f


def integer(v: Any, keys: tuple, *, low: int = 0, what: str | None = None) -> int:
    if isinstance(v, bool) or not isinstance(v, int):
        if isinstance(v, float) and v.is_integer() and math.isfinite(v):
            v = int(v)
        else:
            raise error_at(keys, f"expected {what or f'a whole number >= {low}'}, got {shown_value(v)}")
    if v < low:
        raise error_at(keys, f"expected {what or f'a whole number >= {low}'}, got {shown_value(v)}")
    if v > MAX_COUNT:            # no count, size or step of an exercise comes near; floats fail
        raise error_at(keys, f"expected {what or 'a whole number'} up to 10^15, got a larger one")
    return v


def numbers(v: Any, keys: tuple, *, depth: int = 2) -> tuple[np.ndarray, tuple | None]:
    """A number or a (nested) list of numbers -> (float64 array, shape as written).

    The written shape is None for a plain number, so answers can keep the file's shapes.
    """
    what = "a number or a list of numbers" if depth == 1 else \
        "a number or a list of numbers (or of lists)"
    if is_number(v):
        return np.array(number(v, keys)), None
    if isinstance(v, np.ndarray):             # a long sequence the loader read in one go
        return _finite(v, keys), v.shape
    if not isinstance(v, list):
        raise error_at(keys, f"expected {what}, got {shown_value(v)}")
    if not v:
        raise error_at(keys, "expected a number or a non-empty list, got an empty list")
    if all(is_number(e) for e in v):
        arr = _finite(v, keys)
        return arr, arr.shape
    if depth < 2 or is_number(v[0]):
        # a list that starts with a number is a list of numbers: name the first that is not
        bad = next(i for i, e in enumerate(v) if not is_number(e))
        raise error_at(keys + (bad,), f"expected a number, got {shown_value(v[bad])}")
    if isinstance(v[0], np.ndarray) and v[0].ndim == 1 and all(
            isinstance(row, np.ndarray) and row.shape == v[0].shape for row in v):
        arr = _finite(np.stack(v), keys)      # rows the loader read in one go
        return arr, arr.shape
    rows = []
    for i, row in enumerate(v):
        if isinstance(row, np.ndarray):
            row = row.tolist()
        if not isinstance(row, list):
            raise error_at(keys + (i,), f"expected a list of numbers (a row), got {shown_value(row)}")
        if not row:
            raise error_at(keys + (i,), "expected a non-empty row, got an empty list")
        for j, e in enumerate(row):
            if not is_number(e):
                raise error_at(keys + (i, j), f"expected a number, got {shown_value(e)}")
        if len(row) != len(v[0]):
            raise error_at(keys + (i,), f"rows differ in length: row 0 has {len(v[0])} numbers, "
                                    f"row {i} has {len(row)}")
        rows.append(row)
    arr = _finite(rows, keys)
    return arr, arr.shape


def _finite(v, keys: tuple) -> np.ndarray:
    try:
        arr = np.array(v, dtype=np.float64)
    except OverflowError:
        raise error_at(keys, "a number too large for float64") from None
    if not np.isfinite(arr).all():
        bad = np.argwhere(~np.isfinite(arr))[0]
        val = arr[tuple(bad)]
        idx = tuple(int(i) for i in bad)
        word = "NaN is not allowed" if np.isnan(val) else \
            "infinity is not allowed (nor a number beyond float64's range)"
        raise error_at(keys + idx, word)
    return arr


def readout_matrix(W: np.ndarray, row: bool) -> np.ndarray:
    """A read-out matrix as written (a number, a row or column, a matrix; (from, to) in a row
    layout) as the canonical (outputs, units)."""
    if W.ndim == 0:
        W = W.reshape(1, 1)
    elif W.ndim == 1:
        W = W.reshape(-1, 1) if row else W.reshape(1, -1)
    return W.T if row else W


def choose(data: dict, key: str, options: tuple, default: str) -> str:
    v = data.get(key, default)
    if not isinstance(v, str) or v not in options:
        raise error_at((key,), f"expected one of {', '.join(options)}, got {shown_value(v)}")
    return v


def deeper_than_rows(v: Any) -> bool:
    """A list whose first element is itself a list of lists (or a matrix given as an array, from
    the Python API): three levels or more. A whole array is left to `numbers`."""
    first = v[0] if isinstance(v, list) and v else None
    if isinstance(first, np.ndarray):
        return first.ndim >= 2
    return isinstance(first, list) and bool(first) and isinstance(first[0], (list, np.ndarray))


def nested_numbers(v: Any, keys: tuple, levels: int, _most: int | None = None) -> np.ndarray:
    """A list of matrices (or of deeper blocks, at most `levels` levels in all), every block
    the shape of the first, each error naming the index where it is (answer[1][2]: ...)."""
    most = _most or levels
    if levels <= 2:
        raise error_at(keys[:len(keys) - (most - 2)] if most > 2 else keys,
                   f"expected at most {most} levels of lists, got more")
    blocks = []
    for i, e in enumerate(v):
        at = keys + (i,)
        if isinstance(e, np.ndarray) and e.ndim:
            e = e.tolist()
        if not isinstance(e, list):
            raise error_at(at, f"expected a list like {key_path(keys + (0,))}, got {shown_value(e)}")
        blocks.append(nested_numbers(e, at, levels - 1, most) if deeper_than_rows(e)
                      else numbers(e, at)[0])
        if blocks[-1].shape != blocks[0].shape:
            raise error_at(at, f"has shape {_dims(blocks[-1].shape)}; {key_path(keys + (0,))} has "
                           f"{_dims(blocks[0].shape)} (every block alike)")
    return np.stack(blocks)


def _dims(shape: tuple) -> str:
    return "x".join(map(str, shape))


def batch_inputs(v: Any) -> tuple[np.ndarray, bool, int]:
    """N sequences, the example axis first as CS231n writes them: (T, N, x) inside."""
    if not isinstance(v, list) or not v or not all(isinstance(e, (list, np.ndarray)) for e in v):
        raise error_at(("inputs",), f"expected a list of sequences, one per example (batch: true), "
                                f"got {shown_value(v)}")
    seqs = []
    for n, seq in enumerate(v):
        try:
            seqs.append(inputs(seq))
        except ProblemError as err:
            raise err.quoted(("inputs", n) + tuple(err.keys[1:])) from None
        if seqs[-1][0].shape != seqs[0][0].shape:
            raise error_at(("inputs", n), f"example {n} has {len(seqs[-1][0])} steps of "
                                      f"{seqs[-1][0].shape[1]} numbers; example 0 has "
                                      f"{len(seqs[0][0])} of {seqs[0][0].shape[1]}")
    X = np.stack([s for s, _ in seqs], axis=1)
    return X, any(vec for _, vec in seqs), len(seqs)


def inputs(v: Any) -> tuple[np.ndarray, bool]:
    """The inputs x_0 ... x_{T-1}: (T, x), and whether the file wrote them as vectors."""
    if not isinstance(v, (list, np.ndarray)):
        raise error_at(("inputs",), f"expected a list of inputs x_0 ... x_{{T-1}}, got {shown_value(v)}")
    if len(v) == 0:
        raise error_at(("inputs",), "expected at least one input, got an empty list")
    arr, shape = numbers(v, ("inputs",))
    if len(shape) == 1:
        return arr.reshape(-1, 1), False
    return arr, True


def flag(data: dict, key: str, default: bool) -> bool:
    v = data.get(key, default)
    if not isinstance(v, bool):
        raise error_at((key,), f"expected true or false, got {shown_value(v)}")
    return v
