"""`choice`: a conceptual question, its options with the correct ones marked, and the
demo problem whose working shows why (SPEC 1.8)."""

from __future__ import annotations

import os

from ..errors import ProblemError
from . import Outcome, solver


def demo_path(p) -> str:
    base = os.path.dirname(p.file) if p.file and os.path.exists(p.file) else None
    if base is None:
        from ..files import bundled_dir   # noqa: PLC0415
        d = bundled_dir()
        base = str(d) if d else "."
    return os.path.join(base, p.demo)


@solver("choice")
def solve_choice(p, work) -> Outcome:
    work.note("question", p.question, phase="question")
    for i, option in enumerate(p.options, start=1):
        mark = "✓ correct" if i in p.correct else ""
        work.note(f"option {i}", option, phase="options", note=mark)
    if p.explanation:
        work.note("why", p.explanation, phase="explanation")
    subs = []
    if p.demo:
        from ..files import load_path   # noqa: PLC0415
        from . import solve   # noqa: PLC0415
        path = demo_path(p)
        if not os.path.isfile(path):
            raise ProblemError(f"demo {p.demo!r} not found (looked for {path})", keys=("demo",))
        try:
            subs = [solve(d, steps=work.record) for d in load_path(path)]
        except ProblemError as err:
            raise ProblemError(f"demo {p.demo!r} fails: {err}", keys=("demo",)) from None
    return Outcome(values={"correct": list(p.correct)}, default="correct", sub=subs)
