"""Numbers as a teaching assistant writes them: one format for values and for the numbers
substituted into a formula, so a student can redo every line from the line above.

    0.970688          six decimals, trailing zeros dropped
    1.29e-6           below 1e-4: four significant digits, not 0.000001
    40400             whole numbers exactly; 1e300 and 10**400 as 1e+300, 1e+400
    ≈ 0, ≈ 1          a saturated σ or tanh (the exact value stays in the JSON)
"""

from __future__ import annotations

import math
from typing import Any

PLACES = 6          # decimals of every value and operand in the working
SMALL = 1e-4        # below this, significant digits instead of decimals
SATURATED = 1e-9    # an activation this close to 0, ±1 is written ≈ 0, ≈ ±1


def fmt(v: Any, places: int = PLACES) -> str:
    """A number (or a nested list of numbers) as the working shows it."""
    if isinstance(v, bool):
        return str(v).lower()
    if isinstance(v, int):
        return _fmt_int(v)
    if isinstance(v, float):
        return _fmt_float(v, places)
    if isinstance(v, str):
        return v
    if isinstance(v, dict):           # clip's gradients by name
        return "{" + ", ".join(f"{k}: {fmt(e, places)}" for k, e in v.items()) + "}"
    if hasattr(v, "tolist"):          # numpy arrays and scalars, without importing numpy
        if getattr(v, "size", 0) > SUMMARISED:
            return summary_text(v, places)
        v = v.tolist()
        if not isinstance(v, list):
            return fmt(v, places)
    if isinstance(v, (list, tuple)):
        if len(v) == 1 and not isinstance(v[0], (list, tuple)):
            return fmt(v[0], places)
        if len(v) > SUMMARISED or _count(v) > SUMMARISED:
            return summary_text(v, places)
        return "[" + ", ".join(fmt(e, places) for e in v) + "]"
    return str(v)


def fixed(v: Any, digits: int | None) -> str:
    """A value rounded to `digits` decimals written with all of them, as the question asks
    for it: 0.880 at 3 decimals, not 0.88 (whole numbers, words and `digits` None as fmt)."""
    if digits is None or isinstance(v, (bool, int, str)):
        return fmt(v)
    if isinstance(v, float):
        if not math.isfinite(v) or abs(v) >= 1e15:
            return fmt(v)
        text = f"{v:.{digits}f}"
        return text[1:] if text.startswith("-") and not text.strip("-0.") else text
    if hasattr(v, "tolist"):
        return fixed(v.tolist(), digits)
    if isinstance(v, (list, tuple)):
        if len(v) == 1 and not isinstance(v[0], (list, tuple)):
            return fixed(v[0], digits)
        return "[" + ", ".join(fixed(e, digits) for e in v) + "]"
    return fmt(v)


# Past this many numbers an array is written as numpy prints it: the first and last
# EDGE entries of each axis around "…" (the whole stays in the JSON's values), so that a
# 1000x1000 gradient is a line to read, not a million numbers to typeset.
SUMMARISED, EDGE = 100, 3


def _count(v: list | tuple) -> int:
    """How many numbers a nested list holds (stops counting past SUMMARISED)."""
    n = 0
    for e in v:
        n += _count(e) if isinstance(e, (list, tuple)) else 1
        if n > SUMMARISED:
            break
    return n


def summary_text(v: Any, places: int = PLACES, one=None) -> str:
    """`v` with each axis past 2·EDGE entries cut to its first and last EDGE; `one` writes a
    number (default: fmt at `places`)."""
    one = one or (lambda e: fmt(e, places))
    if hasattr(v, "tolist") and getattr(v, "ndim", 0) == 0:
        return one(v.tolist())
    if not hasattr(v, "__len__") or isinstance(v, str):
        return one(v)
    n = len(v)
    if n > 2 * EDGE:
        items = [summary_text(v[i], places, one) for i in range(EDGE)] + ["…"] + \
                [summary_text(v[i], places, one) for i in range(n - EDGE, n)]
    else:
        items = [summary_text(v[i], places, one) for i in range(n)]
    return "[" + ", ".join(items) + "]"


def summarised(v: Any) -> bool:
    """More numbers than the working writes out one by one."""
    if hasattr(v, "size") and hasattr(v, "tolist"):
        return v.size > SUMMARISED
    return isinstance(v, (list, tuple)) and (len(v) > SUMMARISED or _count(v) > SUMMARISED)


def _fmt_int(v: int) -> str:
    if abs(v) < 10 ** 15:
        return str(v)                 # counts and sizes exactly: 40400, not 4.04e+4
    # 10**400 is past float64 and past str()'s digit limit: mantissa and exponent by hand
    e = int(math.log10(abs(v)))
    if 10 ** e > abs(v):
        e -= 1
    m = abs(v) // 10 ** max(e - 5, 0)
    digits = str(m).rstrip("0") or "0"
    mant = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
    return f"{'-' if v < 0 else ''}{mant}e+{e}"


def _fmt_float(v: float, places: int) -> str:
    if not math.isfinite(v):
        return "nan" if math.isnan(v) else ("inf" if v > 0 else "-inf")
    if v == 0:
        return "0"
    if v.is_integer() and abs(v) < 1e15:
        return str(int(v))
    small = SMALL if places >= PLACES else 10.0 ** -places
    if abs(v) >= 1e7 or abs(v) < small:
        mant, _, exp = f"{v:.{3 if abs(v) < 1 else 5}e}".partition("e")
        mant = mant.rstrip("0").rstrip(".")
        return f"{mant}e{'-' if exp[0] == '-' else '+'}{int(exp[1:])}"
    text = f"{v:.{places}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def fmt_operand(v: Any, places: int = PLACES) -> str:
    """An operand inside a formula: negative numbers in parentheses."""
    text = fmt(v, places)
    return f"({text})" if text.startswith("-") else text


def substitute(formula: str, operands: tuple, places: int = PLACES) -> str:
    """Put the operands into a formula's {} slots; a negative operand gets parentheses
    unless the slot is already the whole argument of a function: σ(-2.5), not σ((-2.5))."""
    if not formula:
        return ""
    pieces = formula.split("{}")
    if len(pieces) - 1 != len(operands):
        return formula
    out = [pieces[0]]
    for i, o in enumerate(operands):
        wrapped = pieces[i].endswith("(") and pieces[i + 1].startswith(")")
        out.append(fmt(o, places) if wrapped else fmt_operand(o, places))
        out.append(pieces[i + 1])
    return "".join(out)


_SQUASHING = ("σ(", "tanh(", "logistic(", "sigmoid(")


def saturated(formula: str, value: Any) -> str | None:
    """'≈ 0' or '≈ 1' (or '≈ -1') for a σ or tanh output that six decimals cannot tell from
    its limit (σ(-100) = 3.7e-44); None for any other step."""
    if hasattr(value, "tolist"):
        value = value.tolist()
    if isinstance(value, list) and len(value) == 1:
        value = value[0]
        while isinstance(value, list) and len(value) == 1:
            value = value[0]
    if not isinstance(value, float) or not formula.startswith(_SQUASHING) \
            or not formula.endswith(")"):
        return None
    if value == 0.0 and not formula.startswith(("σ(", "logistic(", "sigmoid(")):
        return None                 # tanh(0) is exactly 0; σ never is, nor ±1 for either
    for limit in (0.0, 1.0, -1.0):
        if abs(value - limit) < SATURATED:
            return f"≈ {int(limit)}"
    return None


def finite(v: Any) -> bool:
    """False when a value, or any element of it, overflowed to inf or nan."""
    if isinstance(v, float):
        return math.isfinite(v)
    if getattr(getattr(v, "dtype", None), "kind", "") == "f":
        import numpy as np   # noqa: PLC0415 (an array is here, so numpy is loaded)
        return bool(np.isfinite(v).all())
    if hasattr(v, "tolist"):
        v = v.tolist()
    if isinstance(v, (list, tuple)):
        return all(finite(e) for e in v)
    return True


# A matrix up to 4 × 4 (a vector up to 16 numbers) is written out, as a TA writes it; a
# larger operand is named by its shape ("(3×10)·(10×4)" for a minibatch, not thirty
# numbers); the values are in the JSON.
SHOWN_SIDE = 4
SHOWN_NUMBERS = 16


def working_text(formula: str, operands: tuple) -> str:
    """The formula with its operands, large ones named by their shape."""
    return substitute(formula, tuple(_shape(o) if _large(o) else o for o in operands))


def _large(v) -> bool:
    size = _size(v)
    if size > SHOWN_NUMBERS:
        return True
    shape = getattr(v, "shape", None)
    if shape is None and isinstance(v, (list, tuple)) and v and isinstance(v[0], (list, tuple)):
        shape = (len(v), len(v[0]))
    return shape is not None and len(shape) >= 2 and max(shape) > SHOWN_SIDE


def _size(v) -> int:
    return int(getattr(v, "size", len(v) if isinstance(v, (list, tuple)) else 1))


def _shape(v) -> str:
    shape = getattr(v, "shape", None) or (len(v),)
    return "(" + "×".join(map(str, shape)) + ")"


def listed(v) -> str:
    """A value as a question states it: [0.5] for a one-element list (fmt would write 0.5)."""
    return fmt(v) if not isinstance(v, list) or len(v) != 1 else f"[{fmt(v[0])}]"
