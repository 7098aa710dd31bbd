"""Reading a `ctc` problem's keys (SPEC 1.12) into a `CTCDetail`, each error by its key path."""

from __future__ import annotations

import numpy as np

from ...problem import limits
from ...problem.values import choose, error_at, shown_value, integer, numbers
from .labels import min_frames
from .working import CTCDetail

SUM_TOLERANCE = 1e-6        # a row of probabilities sums to 1 within this (never renormalised)
METHODS = ("greedy", "beam")
PER_FRAME = ("alpha", "beta", "gamma", "log_alpha", "log_beta", "dE/dy", "dE/du")


def _name(v, keys: tuple) -> str:
    if isinstance(v, int) and not isinstance(v, bool) and v.bit_length() > 64:
        # str() refuses past 4,300 digits; no alphabet names a symbol so
        raise error_at(keys, "expected a symbol's name, got a very large number")
    if isinstance(v, bool) or not isinstance(v, (str, int)) or not str(v).strip():
        raise error_at(keys, f"expected a symbol's name, got {shown_value(v)}")
    return str(v).strip()


def _labels(v, keys: tuple, allowed: list[str], what: str, *, empty: bool) -> list[str]:
    """A labelling or path: a list of names, or a string of one-character names."""
    if isinstance(v, str):
        if v and not all(len(c) == 1 for c in allowed):
            raise error_at(keys, f"a string works when every symbol is one character; write "
                             f"{what} as a list")
        v = list(v)
    if not isinstance(v, list) or (not v and not empty):
        raise error_at(keys, f"expected {what} as a list of symbols (or a string), got {shown_value(v)}")
    out = []
    for i, e in enumerate(v):
        name = _name(e, keys + (i,))
        if name not in allowed:
            raise error_at(keys + (i,), f"{name!r} is not one of {', '.join(allowed)}")
        out.append(name)
    return out


def _table(data: dict, key: str, K: int) -> np.ndarray:
    v = data[key]
    if not isinstance(v, list) or not v or not all(isinstance(r, list) for r in v):
        raise error_at((key,), f"expected one row a frame ([[...], ...]), got {shown_value(v)}")
    arr, _ = numbers(v, (key,))
    if arr.shape[1] != K:
        raise error_at((key, 0), f"expected {K} columns (the blank and each symbol), got "
                             f"{arr.shape[1]}")
    if key == "probabilities":
        for t, row in enumerate(arr):
            bad = np.flatnonzero((row < 0) | (row > 1))
            if bad.size:
                raise error_at((key, t, int(bad[0])), f"expected a probability in [0, 1], got "
                                                  f"{row[bad[0]]:g}")
            if abs(row.sum() - 1.0) > SUM_TOLERANCE:
                raise error_at((key, t), f"the row sums to {row.sum():.10g}, not 1 (within "
                                     f"{SUM_TOLERANCE:g}); give logits to have a softmax taken")
    return arr


def validate(p, data: dict) -> None:
    syms = data.get("symbols")
    if not isinstance(syms, list) or not syms:
        raise error_at(("symbols",), "expected the labels as a list ([a, b]), got "
                                 + ("nothing (missing)" if syms is None else shown_value(syms)))
    symbols = [_name(s, ("symbols", i)) for i, s in enumerate(syms)]
    blank = _name(data.get("blank", "-"), ("blank",))
    for i, s in enumerate(symbols):
        if s in symbols[:i]:
            raise error_at(("symbols", i), f"{s!r} is listed twice")
        if s == blank:
            raise error_at(("symbols", i), f"{s!r} is the blank's name; the blank is not a symbol")
    where = choose(data, "blank_index", ("first", "last"), "first")
    d = CTCDetail(symbols=symbols, blank=blank,
                  blank_index=0 if where == "first" else len(symbols))
    d.loss = choose(data, "loss", ("nll", "expected_divergence"), "nll")
    d.reduction = choose(data, "reduction", ("sum", "mean"), "sum")
    d.notation = choose(data, "notation", ("graves", "cmu11785"), "graves")
    has_p, has_u = data.get("probabilities") is not None, data.get("logits") is not None
    if has_p and has_u:
        raise error_at(("logits",), "give probabilities or logits, not both")
    K = len(symbols) + 1
    if has_p:
        d.probabilities = _table(data, "probabilities", K)
    if has_u:
        d.logits = _table(data, "logits", K)
    cols = d.columns
    if data.get("target") is not None:
        d.target = _labels(data["target"], ("target",), symbols, "the target", empty=True)
    if data.get("sequence") is not None:
        d.sequence = _labels(data["sequence"], ("sequence",), symbols, "the sequence",
                             empty=True)
    if data.get("path") is not None:
        d.path = _labels(data["path"], ("path",), cols, "the path", empty=False)
    if data.get("method") is not None:
        d.method = choose(data, "method", METHODS, "greedy")
    if data.get("beam") is not None:
        if d.method != "beam":
            raise error_at(("beam",), "is the width of method: beam; leave it out")
        d.beam = integer(data["beam"], ("beam",), low=1, what="the beam width, a whole number >= 1")
    elif d.method == "beam":
        raise error_at(("beam",), "missing: method beam needs its width (beam: 2)")
    _check_together(p, d, has_p or has_u)
    p.detail = d


def _check_together(p, d: CTCDetail, has_y: bool) -> None:
    if d.target is None and d.sequence is None and d.method is None and d.path is None:
        raise error_at(("target",), "missing: give a target (the loss), a sequence (its "
                                "probability), a method (greedy | beam) or a path to collapse")
    if (d.target is not None or d.sequence is not None or d.method is not None) and not has_y:
        raise error_at(("probabilities",), "missing: the frames' probabilities (or logits), one "
                                       "row a frame")
    T = len(d.probabilities if d.probabilities is not None else d.logits) if has_y else 0
    for key, labels in (("target", d.target), ("sequence", d.sequence)):
        if labels is not None and min_frames(d.index(labels)) > T:
            raise error_at((key,), f"no alignment can produce it: a labelling of length "
                               f"{len(labels)} needs at least {min_frames(d.index(labels))} "
                               f"frames (a blank between repeated symbols), but there are {T}")
    if d.target is not None:
        _within_limits(T, 2 * len(d.target) + 1, len(d.columns))
    if p.ask.t is not None:
        if p.ask.quantity not in PER_FRAME or d.target is None:
            raise error_at(("ask", "t"), "picks one frame of a table (" + ", ".join(PER_FRAME)
                                     + "); leave it out")
        if not d.first <= p.ask.t <= T - 1 + d.first:
            raise error_at(("ask", "t"), f"expected a frame from {d.first} to {T - 1 + d.first}, "
                                     f"got {p.ask.t}")


# the α, β, γ tables (T × U') and their log forms, the working's rows and their JSON; the
# gradients (T × K): bytes per entry, measured loosely (problem/limits.py's budget)
TABLE_BYTES, TABLE_WORK = 16 * 8, 60


def _within_limits(T: int, S: int, K: int) -> None:
    """Refuse, by name and before anything is allocated, tables past the memory or work limit."""
    entries = T * (S + K)
    tables = f"the tables of {T:,} frames by {S:,} positions of the extended target"
    if entries * TABLE_BYTES > limits.MAX_MEMORY:
        raise error_at(("target",), f"{tables} would need about "
                                f"{limits.byte_size(entries * TABLE_BYTES)}, more than the limit "
                                f"of {limits.byte_size(limits.MAX_MEMORY)} "
                                "(--max-memory raises it)")
    if entries * TABLE_WORK > limits.MAX_WORK:      # past --max-work alone: name that limit
        raise error_at(("target",), f"{tables} ask for about {entries * TABLE_WORK:.1e} units of "
                                f"work, more than the limit of {limits.MAX_WORK:.0e} "
                                "(--max-work raises it)")
