"""New numbers drawn like a file's own (`rnnquiz vary`): what the type modules' `vary` hooks share.

A number keeps what the exercise's author chose for it: its type (an integer stays an integer),
its decimals (0.25 is redrawn at two places), its sign (a negative weight stays negative), and a
zero stays zero (a missing bias, a zero initial state, a structural zero in a matrix). Its
magnitude is drawn uniformly from the range its group spans (the numbers of one key: a matrix,
a list of inputs), widened where the file's numbers are all about the same size (a scalar
weight of 0.5 is drawn from [0.25, 0.75]). A group of bits (integers 0 and 1 only) stays bits.

Every draw takes a numpy Generator: the same seed gives the same numbers.
"""

from __future__ import annotations

import math
from decimal import Decimal

import numpy as np

MAX_DECIMALS = 15            # beyond this a float's repr is noise, not what was written


def is_number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def decimals(v) -> int:
    """The places a number was written with: 0 for an integer, at least 1 for a float (the
    file wrote `1.0`, not `1`)."""
    if isinstance(v, int):
        return 0
    text = repr(float(v))
    if "e" in text or "E" in text:
        places = max(0, -Decimal(text).normalize().as_tuple().exponent)
    else:
        places = len(text.split(".")[1].rstrip("0"))
    return min(max(places, 1), MAX_DECIMALS)


def leaves(node) -> list:
    """The numbers of a value (a number, or lists nested to any depth), in order."""
    if is_number(node):
        return [node]
    if isinstance(node, list):
        return [v for e in node for v in leaves(e)]
    return []


def _span(values) -> tuple[float, float]:
    """The magnitudes to draw from: the group's nonzero range, widened to [c/2, 3c/2] about its
    middle c where the range is narrower than a factor of 2."""
    mags = [abs(float(v)) for v in values if v != 0]
    lo, hi = min(mags), max(mags)
    if hi < 2 * lo:
        c = (lo + hi) / 2
        lo, hi = min(lo, c / 2), max(hi, 1.5 * c)
    return lo, hi


def _one(v, lo: float, hi: float, rng: np.random.Generator):
    if isinstance(v, int):
        step = _roundness(v)
        mag = max(round(float(rng.uniform(lo, hi)) / step) * step, step)
        return int(math.copysign(mag, v))
    d = decimals(v)
    step = 10.0 ** -d
    mag = max(round(float(rng.uniform(lo, hi)), d), step)     # a nonzero stays nonzero
    return round(math.copysign(mag, v), d)


def _roundness(v: int) -> int:
    """The step an integer is drawn in, as round as it was written: 100 in tens (70, 130),
    10000 in thousands, 50 and 7 in ones."""
    v = abs(int(v))
    zeros = len(str(v)) - len(str(v).rstrip("0")) if v else 0
    step = 10 ** zeros
    while step > 1 and v // step < 10:
        step //= 10
    return step


def numbers(node, rng: np.random.Generator, *, bits: bool = True):
    """Every number of `node` (a number or nested lists) redrawn as one group; anything else
    (a word, None) as it is."""
    values = leaves(node)
    nonzero = [v for v in values if v != 0]
    if not nonzero:
        return node
    if bits and all(isinstance(v, int) and v in (0, 1) for v in values) and len(values) > 1:
        if _one_hot(node):                 # one-hot rows (characters, classes) stay one-hot
            return _map_rows(node, lambda row: _hot(len(row), int(rng.integers(len(row)))))
        return _map(node, lambda v: int(rng.integers(0, 2)))
    lo, hi = _span(nonzero)
    return _map(node, lambda v: v if v == 0 else _one(v, lo, hi, rng))


def _hot(n: int, i: int) -> list[int]:
    return [int(j == i) for j in range(n)]


def _one_hot(node) -> bool:
    """Rows of bits with a single 1 each (a list of at least two rows)."""
    rows = _rows(node)
    return len(rows) > 1 and all(len(r) > 1 and sum(r) == 1 for r in rows)


def _rows(node) -> list:
    if isinstance(node, list) and node and all(is_number(e) for e in node):
        return [node]
    return [r for e in node for r in _rows(e)] if isinstance(node, list) else []


def _map_rows(node, fn):
    if isinstance(node, list) and node and all(is_number(e) for e in node):
        return fn(node)
    return [_map_rows(e, fn) for e in node] if isinstance(node, list) else node


def _map(node, fn):
    if is_number(node):
        return fn(node)
    if isinstance(node, list):
        return [_map(e, fn) for e in node]
    return node


def tree(node, rng: np.random.Generator, skip: tuple = ()):
    """Every number under a mapping redrawn, each key's value a group of its own (a matrix, a
    list of inputs); mappings nested in mappings or in lists (layers of a stack) key by key.
    Keys in `skip` are kept as they are; the mapping's own keys never change."""
    if isinstance(node, dict):
        return {k: (v if k in skip else tree(v, rng, skip)) for k, v in node.items()}
    if isinstance(node, list) and any(isinstance(e, dict) for e in node):
        return [tree(e, rng, skip) for e in node]
    return numbers(node, rng)


def probabilities(row: list, rng: np.random.Generator, *, total: float | None = None,
                  near: float | None = None) -> list:
    """A row of probabilities redrawn at its own decimals, zeros kept: renormalised to sum to
    `total` (1 for a distribution) where given, else each in (0, 1]. With `near` c the
    distribution is drawn about the file's (a Dirichlet of concentration c times the row), else
    uniformly over all rows with its zeros."""
    d = max([decimals(v) for v in row if v != 0] or [1])
    step = 10.0 ** -d
    nonzero = [i for i, v in enumerate(row) if v != 0]
    out = [0 if isinstance(v, int) else 0.0 for v in row]
    if not nonzero:
        return list(row)
    if total is None:
        lo, hi = _span([row[i] for i in nonzero])
        for i in nonzero:
            out[i] = min(1.0, max(step, round(float(rng.uniform(lo, hi)), d)))
        return out
    units = round(total / step)                  # the total in steps of the last place
    if units < len(nonzero):
        return list(row)
    # each nonzero entry at least one step, the rest spread by a Dirichlet draw
    alpha = np.ones(len(nonzero)) if near is None else \
        near * np.array([float(row[i]) for i in nonzero]) / sum(float(row[i]) for i in nonzero)
    weights = rng.dirichlet(alpha)
    share = np.floor(weights * (units - len(nonzero))).astype(int) + 1
    for j in rng.permutation(len(nonzero))[: units - int(share.sum())]:
        share[j] += 1
    for i, s in zip(nonzero, share):
        out[i] = int(s) if d == 0 else round(float(s) * step, d)
    return out


def size(v: int, rng: np.random.Generator, *, low: int = 1) -> int:
    """A width, vocabulary or count drawn about `v`, from v/2 to 2v, as round as `v` is: 100 in
    steps of 10 (50 … 200), 10000 in steps of 1000, 20 in steps of 1; a 1 stays 1."""
    v = int(v)
    if v <= 1:
        return v                     # one input feature, one output unit: the exercise's own
    step = _roundness(v)
    a, b = max(low, v // 2), 2 * v
    k = int(rng.integers(-(-a // step), b // step + 1))
    return max(low, k * step)


def power_of_two(v: int) -> bool:
    return v >= 1 and v & (v - 1) == 0


def distribution(row: list, rng: np.random.Generator, near: float | None = None) -> list:
    """A row redrawn as `probabilities` does: renormalised to 1 where the file's row sums to 1
    (within float noise), else each entry in (0, 1]."""
    sums = abs(math.fsum(float(v) for v in row) - 1.0) < 1e-9
    return probabilities(row, rng, total=1.0 if sums else None, near=near)


def log_distribution(row: list, rng: np.random.Generator) -> list:
    """A row of natural-log probabilities redrawn as numbers (signs kept), then shifted so that
    its probabilities add up to 1 again, at the row's decimals (each at most 0)."""
    if not row or not all(is_number(v) for v in row):
        return row
    d = max(decimals(v) for v in row) if any(isinstance(v, float) for v in row) else 0
    new = np.asarray(numbers(row, rng, bits=False), dtype=np.float64)
    top = new.max()
    shifted = new - (top + math.log(math.fsum(np.exp(new - top))))
    return [min(0.0, round(float(v), d)) if d else min(0, int(round(float(v)))) for v in shifted]


def ranked(new: list, old: list) -> list:
    """The values of `new` placed in the order of `old`'s ranks: the largest where `old` had its
    largest (ties in `old` by position), so a search through the rows takes the file's path."""
    order = sorted(range(len(old)), key=lambda i: (-float(old[i]), i))
    values = sorted(new, key=float, reverse=True)
    out = list(new)
    for i, v in zip(order, values):
        out[i] = v
    return out


def top_tie(row, k: int = 2) -> bool:
    """Whether a row's k largest nonzero entries hold two equal values (a greedy or beam search
    would be decided by the order of the tokens, not by their numbers)."""
    top = sorted((float(v) for v in row if v != 0), reverse=True)[:k]
    return any(math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-15) for a, b in zip(top, top[1:]))


def runs(path, rng: np.random.Generator, longest: int = 3):
    """A CTC path with each run of one symbol (or of blanks) given a new length from 1 to
    `longest`: it collapses to the same labelling (a string path stays a string)."""
    tokens = list(path)
    groups: list[list] = []
    for tok in tokens:
        if groups and groups[-1][0] == tok:
            groups[-1][1] += 1
        else:
            groups.append([tok, 1])
    out = [tok for tok, _ in groups for _ in range(int(rng.integers(1, longest + 1)))]
    return "".join(out) if isinstance(path, str) else out
