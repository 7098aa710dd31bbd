"""rnnquiz: solve the numeric exercises of recurrent-network courses, with the working.

    import rnnquiz
    problems = rnnquiz.load("problems/hinton_p3.yaml")
    result = rnnquiz.solve(problems[0])
    result.answer, result.to_json()
    result.render("markdown")                          # any --format, as a string
    rnnquiz.check(problems[0], "-0.36")["agrees"]      # the verdict of `rnnquiz check`
    rnnquiz.vary(problems[0], count=3, seed=1)         # variants with new numbers, keyed
    rnnquiz.solve(problems[0], conventions=True).extra["conventions"]   # as solve --conventions

Heavy modules (numpy, rich) are imported on first use, so `rnnquiz --help` stays fast.
These four functions are where errors leave the library: a ProblemError raised by them says
how to write the key or value right (`; did you mean h_init?`; errors.py says how).
"""

from __future__ import annotations

from .errors import ProblemError

__version__ = "0.1.0"
__all__ = ["ProblemError", "__version__", "check", "load", "solve", "vary"]


def load(path, *, max_numbers: int | None = None):
    """The validated problems of a file (a file may hold several documents)."""
    from .types import advising, load_path   # noqa: PLC0415 (start-up: `import rnnquiz` loads no solver)
    with advising():
        return load_path(str(path), max_numbers=max_numbers)


def solve(problem, steps: bool = True, conventions: bool = False):
    """Solve a problem (from `load`, or a plain dict as a YAML document loads).

    `conventions=True` adds the answer under each framework's or course's convention that
    changes it, as `solve --conventions`: `result.extra["conventions"]`, a list of
    {id, label, answer, own} (the file's own first), in `to_json()` and every `render`; a
    question in several parts has one such list in each entry of `extra["parts"]`."""
    from .render.worked import Worked   # noqa: PLC0415 (start-up: `import rnnquiz` loads no solver)
    from .types import advising, solve as _solve   # noqa: PLC0415 (start-up: `import rnnquiz` loads no solver)
    with advising():
        result = Worked.of(_solve(problem, steps=steps))
        if conventions:
            from .teaching.conventions import attach   # noqa: PLC0415 (start-up: `import rnnquiz` loads no solver)
            attach(result)
    return result


def check(problem, answer) -> dict:
    """The verdict of `rnnquiz check` for an answer written as text ("-0.36", "0,0,1", a
    word): {"agrees": ..., "expected": ..., "digits": ..., "diagnosis": [...]}."""
    from .teaching.checking import check as _check   # noqa: PLC0415 (start-up: `import rnnquiz` loads no solver)
    from .types import advising   # noqa: PLC0415 (start-up: `import rnnquiz` loads no solver)
    with advising():
        return _check(problem, answer)


def vary(problem, count: int = 1, seed: int = 0) -> list:
    """`count` variants of a problem (from `load`, or a plain dict): validated problems with
    new numbers drawn like the problem's, each with its `answer` set from the solver. Each has
    `.data` (its document, as `rnnquiz vary` writes it) and `.variant` (its number `k`, the
    `seed`, the `redraws` a degenerate draw cost and why, its `result`)."""
    from .teaching.vary import vary as _vary   # noqa: PLC0415 (start-up: `import rnnquiz` loads no solver)
    from .types import advising   # noqa: PLC0415 (start-up: `import rnnquiz` loads no solver)
    with advising():
        return _vary(problem, count=count, seed=seed)
