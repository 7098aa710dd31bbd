"""The working as data: `Step`s recorded by a `Work`, gathered in a `Result`.

This is the one place numpy values become JSON (`plain`). Renderers (rnnquiz/render/)
read the same steps, so the table, the JSON and the Markdown can never disagree; render
never imports this module, so trace may use its number format for the JSON's "working".
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .numbers import finite, fmt, working_text
from .rounding import Rounding

SCHEMA_VERSION = 1


class Shaped(list):
    """A per-step quantity whose steps are already in the file's shapes (RTRL's dh_t/dW_hh:
    (state size,) + the key's written shape): picked as they are, never flattened."""


@dataclass
class Step:
    """One line of the working: `symbol = equation = formula(operands) = value`."""

    symbol: str
    value: Any
    t: int | None = None
    equation: str = ""                 # the right-hand side in symbols: W_xh·x_1 + b_h
    formula: str = ""                  # the same with {} where the operands go
    operands: tuple = ()
    phase: str = ""                    # forward, backward, gradient, verdict, ...
    note: str = ""
    raw: Any = None                    # the value before the course's rounding, when it changed
    tie: bool = False                  # the rounding met an exact .5
    exact: Any = None                  # the value in exact arithmetic, when rounding changed it
    given: Any = None                  # the value the exercise states, when it is used instead

    def to_json(self) -> dict:
        out = {"t": self.t, "symbol": self.symbol, "equation": self.equation,
               "working": working_text(self.formula, self.operands),
               "value": plain(self.value)}
        if self.phase:
            out["phase"] = self.phase
        note = self.note
        if not isinstance(self.value, str) and not finite(self.value):
            # SPEC 3: an overflowed value is null, with a note saying so
            note = "; ".join(filter(None, [note, "overflowed float64: the value is null"]))
        if note:
            out["note"] = note
        for key in ("raw", "exact", "given"):
            v = getattr(self, key)
            if v is not None:
                out[key] = plain(v)
        if self.tie:
            out["tie"] = True
        return out


class Work:
    """Records the named quantities of a computation and applies the course's rounding.

    `q` returns the value the next quantities must be computed from: rounded
    when the problem's rounding says so. With `record=False` nothing is kept, so
    `solve(..., steps=False)` pays only for the arithmetic.
    """

    def __init__(self, rounding: Rounding | None = None, record: bool = True):
        self.rounding = rounding or Rounding("none")
        self.record = record
        self.scalar = False        # a network written with numbers: show 1x1 values as numbers
        self.window: tuple[int, int] | None = None    # long sequences: keep t < a or t >= b
        self.variants: frozenset[str] = frozenset()   # slips to commit on purpose (slips.py)
        self.overrides: dict = {}     # slip id -> (cell, {method: replacement}) of those slips
        self.steps: list[Step] = []

    def _shown(self, t: int | None) -> bool:
        if not self.record:
            return False
        return t is None or self.window is None or t < self.window[0] or t >= self.window[1]

    def q(self, symbol: str, value, *, t: int | None = None, eq: str = "", sub: str = "",
          args: tuple = (), tags: tuple[str, ...] = (), note: str = "", phase: str = "",
          given=None):
        rounded, tie = self.rounding.apply(value, tags)
        if self._shown(t):
            changed = rounded is not value and not np.array_equal(rounded, value)
            sq = self._squeeze
            self.steps.append(Step(
                symbol=symbol, value=sq(rounded), t=t, equation=eq, formula=sub,
                operands=tuple(sq(a, copy=False) for a in args), phase=phase, note=note,
                raw=sq(_copy(value)) if changed else None, tie=tie, given=sq(given)))
        return rounded

    def note(self, symbol: str, value, *, t: int | None = None, eq: str = "", sub: str = "",
             args: tuple = (), note: str = "", phase: str = ""):
        """A line of the working that the rounding never touches (a verdict, a total)."""
        if self._shown(t):
            sq = self._squeeze
            self.steps.append(Step(symbol=symbol, value=sq(value), t=t, equation=eq,
                                   formula=sub, operands=tuple(sq(a, copy=False) for a in args),
                                   phase=phase, note=note))
        return value

    def given(self, symbol: str, value, exact, *, t: int | None = None):
        """A value the exercise states, used in place of the computed one."""
        if self._shown(t):
            sq = self._squeeze
            differs = not np.allclose(value, exact, rtol=1e-12, atol=0)
            self.steps.append(Step(symbol=symbol, value=sq(np.asarray(value)), t=t,
                                   phase="given", note="given by the exercise",
                                   exact=sq(np.asarray(exact)) if differs else None))
        return value

    def _squeeze(self, v, copy: bool = True):
        """A 1x1 array of a scalar network as a number; operands are shared, not copied (the
        weights appear in every step, and nothing recorded is changed in place)."""
        if isinstance(v, np.ndarray):
            if self.scalar and v.size == 1:
                return float(v.reshape(-1)[0])
            return v.copy() if copy else v
        return v


def _copy(v):
    return v.copy() if isinstance(v, np.ndarray) else v


@dataclass(repr=False)
class Result:
    """What a solver returns: the answer to the question asked, and the working."""

    problem: Any
    question: str
    answer: Any
    steps: list[Step] = field(default_factory=list)
    answer_rounded: Any = None
    expected: Any = None
    agrees: bool | None = None
    notes: list[str] = field(default_factory=list)
    values: dict = field(default_factory=dict, repr=False)
    extra: dict = field(default_factory=dict)     # type-specific parts of the JSON
    sub: list["Result"] = field(default_factory=list)   # a choice's demo

    def to_json(self) -> dict:
        # a demo shared by many choice files is one Result: build its JSON once
        cached = self.__dict__.get("_json")
        if cached is not None:
            return cached
        self.__dict__["_json"] = out = self._build_json()
        return out

    def _build_json(self) -> dict:
        p = self.problem
        out = {"schema_version": SCHEMA_VERSION, "file": p.file, "type": p.type,
               "title": p.title or None, "question": self.question,
               "answer": plain(self.answer)}
        if self.answer_rounded is not None:
            out["answer_rounded"] = plain(self.answer_rounded)
        out["expected"] = plain(self.expected)
        out["agrees"] = self.agrees
        if p.network is not None:
            out["round"] = p.round
        out.update({k: plain(v) for k, v in self.extra.items()})
        if self.notes:
            out["notes"] = list(self.notes)
        out["steps"] = [s.to_json() for s in self.steps]
        if self.sub:
            out["demo"] = [r.to_json() for r in self.sub]
        return out

    def __repr__(self) -> str:
        """One line: type, file, question = answer, and the verdict (not a dataclass dump)."""
        p = self.problem
        name = (p.file or "").replace("\\", "/").rsplit("/", 1)[-1] or p.type
        answer = fmt(self.answer_rounded if self.answer_rounded is not None else self.answer)
        verdict = {None: "", True: ", agrees", False: ", DISAGREES"}[self.agrees]
        text = f"<Result {p.type} {name}: {_cut(self.question, 50)} = {_cut(answer, 60)}{verdict}>"
        return " ".join(text.split())


def _cut(text: str, n: int) -> str:
    return text if len(text) <= n else text[:n - 1] + "…"


def _whole(v: list, depth: int) -> list:
    """Finite floats as `plain` writes them (whole numbers as ints), row by row."""
    if depth > 1:
        return [_whole(row, depth - 1) for row in v]
    return [int(x) if x.is_integer() and abs(x) < 2 ** 53 else x for x in v]


def plain(v: Any) -> Any:
    """numpy and Python values -> JSON-safe values (NaN and infinity become None)."""
    if v is None or isinstance(v, (str, bool)):
        return v
    if isinstance(v, np.ndarray) and v.dtype.kind == "f" and v.ndim and np.isfinite(v).all():
        return _whole(v.tolist(), v.ndim)       # a million numbers: no call per number
    if isinstance(v, (np.ndarray, np.generic)):
        v = v.tolist()
    if isinstance(v, (list, tuple)):
        # finite floats inline (a million-entry answer: no call per number)
        return [(int(e) if e.is_integer() and abs(e) < 2 ** 53 else e)
                if type(e) is float and e - e == 0 else plain(e) for e in v]
    if isinstance(v, dict):
        return {str(k): plain(e) for k, e in v.items()}
    if isinstance(v, float):
        if not math.isfinite(v):
            return None
        # whole numbers print as the courses write them: [0, 0, 1, -1, 1, 0], not 0.0
        return int(v) if v.is_integer() and abs(v) < 2 ** 53 else v
    if isinstance(v, int):
        return v
    return str(v)
