"""The pipeline that solves a problem of any type: read it (the common keys, then its type's
module), run the type's solver (or its vectorised path), pick the quantity asked, round it,
compare it with the published answer, and set each rounded step beside exact arithmetic.

A solver is a pure function: it computes every quantity of its type and says which are
per-step. `solve` picks the quantity asked, shapes it, compares it with the published answer,
and, when the course's rounding is on, sets each step beside its value in exact arithmetic.
"""

from __future__ import annotations

from contextlib import ContextDecorator
from dataclasses import replace
from types import ModuleType
from typing import Any

import numpy as np

from ..errors import ProblemError
from ..problem import Problem, answers, begin, check_ask, kind_of
from ..problem.yamlio import MAX_NUMBERS, line_of, parse_documents
from ..trace import Result, Step, Work
from ..trace.rounding import Rounding
from .keys import KEYS

from .hooks import Outcome
from .registry import MODULES, TYPES


class advising(ContextDecorator):
    """Where errors leave the library: a ProblemError leaving the block (or the function it
    decorates) leaves advised, once (types/advice.py; errors.py says why there)."""

    def __enter__(self):
        return self

    def __exit__(self, kind, err, tb):
        if isinstance(err, ProblemError) and not err.advised:
            from .advice import advised   # noqa: PLC0415 (start-up: only when there is an error)
            raise advised(err).with_traceback(tb) from None
        return False


# ---------------------------------------------------------------- reading a problem

@advising()
def from_dict(data: Any, *, file: str | None = None) -> Problem:
    """A validated Problem from a plain dict, as a YAML document loads: the common keys, then
    the type's own (its module's `validate`)."""
    if isinstance(data, Problem):
        return data
    ptype = kind_of(data, tuple(MODULES), _aliases)
    module = TYPES[ptype]
    p = begin(data, file, ptype, KEYS[ptype], getattr(module, "answer", None))
    p.costs = module            # its step cost and cost hook, for the limits (problem/limits.py)
    module.validate(p, data)
    check_ask(p, network=getattr(module, "NETWORK", False), spans=getattr(module, "SPANS", False),
              order=getattr(module, "ASK_N", False),
              trainable=getattr(module, "ASK_TRAINABLE", False))
    return p


def _aliases() -> dict:
    """What a file may call each type (bptt, mcq), for the advice on an unknown type."""
    return {a: t for t in MODULES for a in getattr(TYPES[t], "ALIASES", ())}


@advising()
def load_text(text: str, file: str | None = None, *,
              max_numbers: int = MAX_NUMBERS) -> list[Problem]:
    """Every problem of a YAML text (one per document)."""
    docs = parse_documents(text, file, max_numbers=max_numbers)
    docs = [(i, d) for i, d in enumerate(docs) if d is not None]
    if not docs:
        raise ProblemError("no problem in the file (it is empty)", file=file)
    problems = []
    from ..problem.limits import one_file   # noqa: PLC0415 (start-up: loaded with the checks)
    with one_file():            # the work and memory limits hold for the file as a whole
        for index, data in docs:
            try:
                problems.append(from_dict(data, file=file))
                problems[-1].doc_index = index
            except ProblemError as err:
                raise locate(err, text, index, file) from None
    return problems


def locate(err: ProblemError, text: str, doc_index: int, file: str | None) -> ProblemError:
    """The error with its file and the line of its key path in that document."""
    line = line_of(text, doc_index, err.keys) if not err.line else None
    return err.located(file=file, line=line)


@advising()
def load_path(src: str, *, max_numbers: int | None = None) -> list[Problem]:
    """The validated problems of a file, a folder, '-' (stdin) or a bundled problem's name."""
    from ..problem.files import expand, read_source   # noqa: PLC0415 (start-up: the CLI reads its own)
    problems = []
    for s in expand([src]):
        name, text = read_source(s)
        problems.extend(load_text(text, name, max_numbers=max_numbers or MAX_NUMBERS))
    return problems


def _scan(p: Problem, module: ModuleType):
    """The type's vectorised path, where it has one and it applies to this problem."""
    from ..cells.run import scannable   # noqa: PLC0415 (start-up: the cells load only when used)
    scan = getattr(module, "scan", None)
    if scan is None or not scannable(p) or not getattr(module, "scannable", lambda p: True)(p):
        return None
    return scan


# Sequences longer than this are not shown step by step: the working keeps the first
# HEAD and the last TAIL steps, so memory and the table stay proportional.
LONG, HEAD, TAIL = 200, 3, 2


@advising()
def solve(problem: Problem | dict, steps: bool = True,
          variants: frozenset[str] = frozenset(), overrides: dict | None = None) -> Result:
    """Solve one problem (validated, or a plain dict as a YAML document loads).

    `variants` names slips to commit on purpose (rnnquiz.teaching.slips), to reproduce a wrong answer.
    """
    p = from_dict(problem) if not isinstance(problem, Problem) else problem
    module = TYPES[p.type]
    rounding = Rounding(p.round)
    out, work = _run(p, module, rounding, steps, variants, overrides)
    if p.ask.parts is not None:
        def again(part: Problem) -> Outcome:
            return _run(part, module, rounding, False, variants, overrides)[0]
        result = _parts(p, module, out, work, again)
    else:
        quantity, answer, question = _asked(p, module, out)
        result = Result(problem=p, question=question, answer=answer, steps=work.steps,
                        notes=list(out.notes), values=out.values, extra=dict(out.extra),
                        sub=out.sub)
        result.extra.setdefault("quantity", quantity)
        result.answer_rounded = answers.rounded(answer, p.ask.digits)
        if p.answer is not None:
            result.expected = p.answer
            result.agrees = _agrees(p, answer, p.answer, question, ("answer",))
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


def _run(p: Problem, module: ModuleType, rounding: Rounding, steps: bool, variants,
         overrides) -> tuple[Outcome, Work]:
    """The type's solver (or its vectorised path) on `p`: its Outcome and its working."""
    fn = module.solve
    long = p.T > LONG
    with np.errstate(all="ignore"):
        work = Work(rounding, record=steps)
        work.scalar = p.network is not None and not p.network.vector
        work.variants = frozenset(variants)
        work.overrides = dict(overrides or {})
        scan = _scan(p, module) if (long or not steps) and not variants else None
        if scan is not None:
            out = scan(p)
            if steps:
                _short_working(p, module, out, work)
        else:
            if long:
                work.window = (HEAD + p.first, p.T - TAIL + p.first)
            out = fn(p, work)
            if steps and not rounding.exact and not long and not variants:
                _beside_exact(p, fn, work)
            if steps and long:
                _mark_gap(p, work)
    return out, work


def _asked(p: Problem, module: ModuleType, out: Outcome) -> tuple[str, Any, str]:
    """(quantity, answer, question) of what `p.ask` asks, checked finite."""
    quantity, answer, question = answers.pick(p, out.values, out.per_step, out.default)
    question = getattr(module, "asked", lambda p, q: q)(p, question)
    if quantity in out.log_zero:            # ln 0 = -inf is an answer: null, with a note
        answer_finite = answers.is_finite_answer(np.where(np.isneginf(answer), 0.0, answer))
    else:
        answer_finite = answers.is_finite_answer(answer)
    if not answer_finite:
        raise ProblemError(f"{question} overflows float64 (the result cannot be represented); "
                           "scale the weights or inputs down", file=p.file)
    return quantity, answer, question


def _agrees(p: Problem, answer: Any, published: Any, question: str, keys: tuple) -> bool:
    if isinstance(published, str) and not answers.is_words(answer):
        # SPEC 4: a string where a number is expected is an error, never converted
        raise ProblemError(f"expected {'a number' if np.ndim(answer) == 0 else 'numbers'} "
                           f"(the answer to {question} is one), got the text "
                           f"{published[:40]!r}" + (" (quoted: write it without the "
                                                    "quotes)" if _number_like(published)
                                                   else ""),
                           keys=keys, file=p.file)
    return answers.agree(answer, published, p.ask.digits)


def _parts(p: Problem, module: ModuleType, out: Outcome, work: Work, again) -> Result:
    """A question in several parts (SPEC 1): each part picked, rounded and compared as a
    question of its own; the answer is the list of the parts' answers. The working is the
    first part's; a part that asks the solver for something else (another quantity, layer
    or direction: some types compute by what is asked) is solved again, without working."""
    entries = []
    first = replace(p.ask.parts[0], t=None, digits=None)
    for i, ask in enumerate(p.ask.parts):
        part = replace(p, ask=ask)
        same = replace(ask, t=None, digits=None) == first
        quantity, answer, question = _asked(part, module, out if same else again(part))
        entry = {"quantity": quantity, "question": question, "answer": answer,
                 "answer_rounded": answers.rounded(answer, ask.digits), "digits": ask.digits,
                 "t": ask.t, "expected": None, "agrees": None}
        published = p.answer[i] if p.answer is not None else None
        if published is not None:
            entry["expected"] = published
            entry["agrees"] = _agrees(part, answer, published, question, ("answer", i))
        entries.append(entry)
    rounded = [e["answer_rounded"] for e in entries]
    result = Result(problem=p, question="; ".join(e["question"] for e in entries),
                    answer=[e["answer"] for e in entries], steps=work.steps,
                    notes=list(out.notes), values=out.values, extra=dict(out.extra),
                    sub=out.sub)
    result.extra.setdefault("quantity", entries[0]["quantity"])
    result.extra["parts"] = entries
    result.answer_rounded = rounded if any(v is not None for v in rounded) else None
    if p.answer is not None:
        result.expected = list(p.answer)
        result.agrees = all(e["agrees"] for e in entries if e["expected"] is not None)
    return result


def _number_like(text: str) -> bool:
    try:
        float(text.replace(",", " ").split()[0] if text.strip() else "x")
    except ValueError:
        return False
    return True


def _short_working(p: Problem, module: ModuleType, out: Outcome, work: Work) -> None:
    """The first and last steps of a long sequence, around a line saying where the rest is."""
    from .long_working import short_working   # noqa: PLC0415 (start-up: long sequences only)
    short_working(p, module, out, work, HEAD, TAIL)


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
