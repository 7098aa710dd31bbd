"""One registry of solvers, keyed by problem type, and the `solve` pipeline.

A solver is a pure function `(problem, work) -> Outcome`: it computes every
quantity of its type through `work` (which rounds and records) and says which
are per-step. `solve` picks the quantity asked, shapes it, compares it with the
published answer, and, when the course's rounding is on, sets each step beside
its value in exact arithmetic.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from .. import answers
from ..errors import ProblemError
from dataclasses import replace

from ..problem import Ask, Problem, from_dict
from ..rounding import Rounding
from ..trace import Result, Step, Work


@dataclass          # with a docstring: else @dataclass writes one by inspect.signature (start-up)
class Outcome:
    """What a solver computed: every quantity, which are per step, the default asked."""

    values: dict[str, Any]
    per_step: tuple[str, ...] = ()
    default: str = ""
    extra: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    sub: list = field(default_factory=list)


SOLVERS: dict[str, Callable[[Problem, Work], Outcome]] = {}
# type -> (when it applies, the vectorised solver: problem -> Outcome, no working)
SCANNERS: dict[str, tuple[Callable[[Problem], bool], Callable[[Problem], Outcome]]] = {}


def solver(ptype: str):
    def register(fn):
        SOLVERS[ptype] = fn
        return fn
    return register


def scanner(ptype: str, when: Callable[[Problem], bool] = lambda p: True):
    """Register the vectorised path of a type: the same answer without the working."""
    def register(fn):
        SCANNERS[ptype] = (when, fn)
        return fn
    return register


def _scannable(p: Problem) -> bool:
    from ..cells.run import scannable   # noqa: PLC0415 (the cells load only when used)
    entry = SCANNERS.get(p.type)
    return entry is not None and scannable(p) and entry[0](p)


# Sequences longer than this are not shown step by step: the working keeps the first
# HEAD and the last TAIL steps, so memory and the table stay proportional.
LONG, HEAD, TAIL = 200, 3, 2


def solve(problem: Problem | dict, steps: bool = True,
          variants: frozenset[str] = frozenset()) -> Result:
    """Solve one problem (validated, or a plain dict as a YAML document loads).

    `variants` names slips to commit on purpose (rnnquiz.slips), to reproduce a wrong answer.
    """
    p = from_dict(problem) if not isinstance(problem, Problem) else problem
    fn = solver_for(p.type)
    rounding = Rounding(p.round)
    long = p.T > LONG
    with np.errstate(all="ignore"):
        work = Work(rounding, record=steps)
        work.scalar = p.network is not None and not p.network.vector
        work.variants = frozenset(variants)
        if (long or not steps) and not variants and _scannable(p):
            out = SCANNERS[p.type][1](p)
            if steps:
                _short_working(p, fn, work)
        else:
            if long:
                work.window = (HEAD + p.first, p.T - TAIL + p.first)
            out = fn(p, work)
            if steps and not rounding.exact and not long and not variants:
                _beside_exact(p, fn, work)
            if steps and long:
                _mark_gap(p, work)
    quantity, answer, question = answers.pick(p, out.values, out.per_step, out.default)
    if p.type == "choice":
        question = p.question
    if not answers.is_finite_answer(answer):
        raise ProblemError(f"{question} overflows float64 (the result cannot be represented); "
                           "scale the weights or inputs down", file=p.file)
    result = Result(problem=p, question=question, answer=answer, steps=work.steps,
                    notes=list(out.notes), values=out.values, extra=dict(out.extra), sub=out.sub)
    result.extra.setdefault("quantity", quantity)
    result.answer_rounded = answers.rounded(answer, p.ask.digits)
    if p.answer is not None:
        if isinstance(p.answer, str) and not answers.is_words(answer):
            # SPEC 4: a string where a number is expected is an error, never converted
            raise ProblemError(f"expected {'a number' if np.ndim(answer) == 0 else 'numbers'} "
                               f"(the answer to {question} is one), got the text "
                               f"{p.answer[:40]!r}" + (" (quoted: write it without the "
                                                        "quotes)" if _number_like(p.answer)
                                                       else ""),
                               keys=("answer",), file=p.file)
        result.expected = p.answer
        result.agrees = answers.agree(answer, p.answer, p.ask.digits)
    if steps and not rounding.exact:
        result.notes.insert(0, f"rounding: {rounding.describe()}")
        ties = [s.symbol for s in work.steps if s.tie]
        if ties:
            result.notes.append("exact ties (.5) rounded to even at: " + ", ".join(ties))
        changed = [s.symbol for s in work.steps if s.exact is not None]
        if changed:
            result.notes.append(f"rounding changed {len(changed)} step(s) compared with exact "
                                f"arithmetic, first at {changed[0]}")
    return result


def _number_like(text: str) -> bool:
    try:
        float(text.replace(",", " ").split()[0] if text.strip() else "x")
    except ValueError:
        return False
    return True


def _short_working(p: Problem, fn, work: Work) -> None:
    """The first steps of a long sequence, then a line saying where the rest is."""
    if p.type in ("forward", "lstm", "gru", "gated"):
        head = replace(p, inputs=p.inputs[:HEAD], ask=Ask())
        fn(head, work)
    work.note("…", f"{p.T - HEAD:,} more steps", t=None, phase="forward",
              note=f"T = {p.T:,}: longer sequences than {LONG} steps are not shown step by "
                   "step; every value is in the answer (--json), or ask one step with ask.t")


def _mark_gap(p: Problem, work: Work) -> None:
    for i, s in enumerate(work.steps):
        if s.t is not None and s.t >= p.T - TAIL + p.first:
            work.steps.insert(i, Step(symbol="…", value=f"{p.T - HEAD - TAIL:,} steps",
                                      note=f"steps {HEAD + p.first} … "
                                           f"{p.T - TAIL - 1 + p.first} are not shown "
                                           f"(T = {p.T:,})"))
            return


def _beside_exact(p: Problem, fn, work: Work) -> None:
    """Set `exact` on every step whose rounded value differs from exact arithmetic."""
    exact = Work(Rounding("none"), record=True)
    exact.scalar = work.scalar
    fn(p, exact)
    if len(exact.steps) != len(work.steps):
        return
    for s, e in zip(work.steps, exact.steps):
        if s.symbol != e.symbol or isinstance(s.value, str):
            continue
        try:
            a = np.asarray(s.value, dtype=np.float64)
            b = np.asarray(e.value, dtype=np.float64)
        except (TypeError, ValueError):
            continue
        if a.shape == b.shape and not np.allclose(a, b, rtol=1e-12, atol=1e-15, equal_nan=True):
            s.exact = e.value


# The module that registers each type's solver, imported on first use so that a
# forward problem never pays for loading the cells, the engine or the choice type.
MODULES = {"forward": "forward", "backprop": "backprop", "vanishing": "vanishing",
           "hmm_bits": "hmm_bits", "lstm": "cells", "gru": "cells", "gated": "cells",
           "shapes": "shapes", "choice": "choice", "clip": "clip", "perplexity": "perplexity",
           "decode": "decode"}


def solver_for(ptype: str) -> Callable[[Problem, Work], Outcome]:
    if ptype not in SOLVERS:
        importlib.import_module(f"{__name__}.{MODULES[ptype]}")
    return SOLVERS[ptype]
