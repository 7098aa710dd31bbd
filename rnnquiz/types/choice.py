"""`choice`: a conceptual question, its options with the correct ones marked, and the
demo problem whose working shows why (SPEC 1.8)."""

from __future__ import annotations

import functools
import os

from ..errors import ProblemError
from . import Outcome, solver


def demo_path(p) -> str:
    """The demo beside the choice file; else the bundled problem of that name."""
    from ..problem.files import bundled_dir   # noqa: PLC0415
    here = os.path.join(os.path.dirname(p.file), p.demo) if p.file else None
    if here and os.path.isfile(here):
        return here
    bundled = bundled_dir()
    if bundled is not None and (bundled / p.demo).is_file():
        return str(bundled / p.demo)
    return here or p.demo


@solver("choice")
def solve_choice(p, work) -> Outcome:
    work.note("question", p.question, phase="question")
    for i, option in enumerate(p.options, start=1):
        mark = "✓ correct" if i in p.correct else ""
        work.note(f"option {i}", option, phase="options", note=mark)
    if p.explanation:
        work.note("why", p.explanation, phase="explanation")
    work.note("correct", list(p.correct), phase="answer", eq="the options marked ✓")
    subs = []
    if p.demo:
        path = demo_path(p)
        if not os.path.isfile(path):
            raise ProblemError(f"demo {p.demo!r} not found (looked for {path})", keys=("demo",))
        try:
            subs = _solve_demo(os.path.abspath(path), os.path.getmtime(path), work.record)
        except ProblemError as err:
            raise ProblemError(f"demo {p.demo!r} fails: {err}", keys=("demo",)) from None
    return Outcome(values={"correct": list(p.correct)}, default="correct", sub=list(subs))


@functools.lru_cache(maxsize=64)
def _solve_demo(path: str, mtime: float, steps: bool) -> tuple:
    """A demo's results, solved once per batch however many choice files share it."""
    from ..problem.files import load_path   # noqa: PLC0415
    from . import solve   # noqa: PLC0415
    problems = load_path(path)
    if any(d.type == "choice" for d in problems):
        # a demo shows working; a choice demo could also lead back to the file that names it
        raise ProblemError("is a choice question; a demo is a problem with working to show")
    return tuple(solve(d, steps=steps) for d in problems)
