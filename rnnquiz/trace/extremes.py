"""Arithmetic that stays right at the ends of float64 (|x| up to 1.8e308, down to 5e-324).

    norm:  ‖g‖ = s·sqrt(Σ (g/s)²) with s = max |g|, as LAPACK's dnrm2 does, so [1e200, 1e200]
           has the norm 1.414e200 and not inf (its squares overflow), and [1e-200] 1e-200, not 0
    exp:   inf past the range instead of OverflowError, so the overflow is named where it matters
"""

from __future__ import annotations

import math
from typing import Iterable

import numpy as np

# With the largest entry s in [1e-150, 1e150] every square and their sum (of at most a few
# million terms) stays inside float64 and no square that matters underflows: the plain sum.
PLAIN_LOW, PLAIN_HIGH = 1e-150, 1e150


def largest(arrays: Iterable[np.ndarray]) -> float:
    """max |g| over every entry of every array (0 when all are empty)."""
    return max((float(np.max(np.abs(a))) for a in arrays if np.size(a)), default=0.0)


def needs_scaling(s: float) -> bool:
    return s != 0 and not PLAIN_LOW <= s <= PLAIN_HIGH


def sum_squares(g: np.ndarray, s: float = 1.0) -> float:
    """Σ (g/s)², in float64 (s = 1: the plain squares)."""
    flat = np.asarray(g, dtype=float).reshape(-1)
    if s != 1.0:
        flat = flat / s
    return float(np.dot(flat, flat))


def norm_parts(arrays: Iterable[np.ndarray]) -> tuple[float, float]:
    """(s, r) with the L2 norm of all the arrays stacked into one vector = s·r, r finite:
    g·θ/‖g‖ = θ·((g/s)/r) holds even when s·r overflows."""
    arrays = list(arrays)
    s = largest(arrays)
    if s == 0:
        return 1.0, 0.0
    if not needs_scaling(s):
        return 1.0, math.sqrt(math.fsum(sum_squares(a) for a in arrays))
    return s, math.sqrt(math.fsum(sum_squares(a, s) for a in arrays))


def norm(arrays: Iterable[np.ndarray]) -> float:
    """The L2 norm of all the arrays stacked into one vector, without spurious over- or
    underflow (inf only when the norm itself exceeds float64)."""
    s, r = norm_parts(arrays)
    with np.errstate(over="ignore"):
        return float(np.float64(s) * r)


def exp(x: float) -> float:
    """e^x, inf past float64's range (x > 709.78) rather than an OverflowError."""
    try:
        return math.exp(x)
    except OverflowError:
        return math.inf
