"""`choice`: a conceptual question, its options with the correct ones marked, and the
demo problem whose working shows why (SPEC 1.8)."""

from __future__ import annotations

import functools
import os

from ..errors import ProblemError
from . import Outcome

NAME = "choice"
TOPIC = "Concepts"   # what an exported question is filed under (PrairieLearn's topic)
# what a file may call the type, for the advice on an unknown type
ALIASES = ("multiplechoice", "mcq", "quiz")
KEYS = {"type", "title", "source", "answer", "question", "options", "correct",
        "explanation", "demo"}   # the type's top-level keys


def schema() -> dict:
    """Its part of `rnnquiz schema`: its keys, as `validate` reads them (question is every
    type's)."""
    number = {"type": "integer", "minimum": 1}      # an option's, from 1
    return {"required": ["question", "options", "correct"],
            "properties": {
                "options": {"type": "array", "items": {"type": ["string", "number"]},
                            "minItems": 2},
                "correct": {"anyOf": [number, {"type": "array", "items": number, "minItems": 1}]},
                "explanation": {"type": "string"}, "demo": {"type": "string"}}}


def validate(p, data: dict) -> None:
    """Fill question, options, correct, explanation and demo of a choice problem."""
    # start-up: the problem package and the pipeline (numpy) are read where a problem is
    # validated or solved, so that `rnnquiz new --help` (which reads every type) imports neither
    from ..problem.values import error_at, shown_value, integer, plain_text   # noqa: PLC0415 (see above)
    q = data.get("question")
    if not isinstance(q, str) or not q.strip():
        raise error_at(("question",), f"expected the question as text, got {shown_value(q)}")
    p.question = plain_text(q.strip(), ("question",))
    opts = data.get("options")
    if not isinstance(opts, list) or len(opts) < 2:
        raise error_at(("options",), f"expected a list of at least two options, got {shown_value(opts)}")
    for i, o in enumerate(opts):
        if not isinstance(o, (str, int, float)) or isinstance(o, bool):
            raise error_at(("options", i), f"expected an option as text, got {shown_value(o)}")
    p.options = [plain_text(o if isinstance(o, str) else shown_value(o), ("options", i))
                 for i, o in enumerate(opts)]
    correct = data.get("correct")
    if isinstance(correct, int) and not isinstance(correct, bool):
        correct = [correct]
    if not isinstance(correct, list) or not correct:
        raise error_at(("correct",), "expected the correct option numbers (from 1) as a list, got "
                                 f"{shown_value(correct)}")
    numbers = []
    for i, c in enumerate(correct):
        n = integer(c, ("correct", i), low=1, what=f"an option number from 1 to {len(opts)}")
        if n > len(opts):
            raise error_at(("correct", i), f"expected an option number from 1 to {len(opts)}, "
                                     f"got {shown_value(n)}")
        if n in numbers:
            raise error_at(("correct", i), f"option {n} is listed twice")
        numbers.append(n)
    p.correct = sorted(numbers)
    exp = data.get("explanation", "")
    if exp is not None and not isinstance(exp, str):
        raise error_at(("explanation",), f"expected text, got {shown_value(exp)}")
    p.explanation = plain_text((exp or "").strip(), ("explanation",))
    demo = data.get("demo")
    if demo is not None and (not isinstance(demo, str) or not demo.strip()):
        raise error_at(("demo",), f"expected a problem file name, got {shown_value(demo)}")
    if demo is not None:
        _demo_name(p, demo.strip())
    p.demo = demo.strip() if demo is not None else None
    if p.answer is not None and not isinstance(p.answer, str):
        given = data.get("answer")
        listed = given if isinstance(given, list) else [given]
        p.answer = sorted(integer(a, ("answer",) if not isinstance(given, list) else ("answer", i),
                                  low=1, what="option numbers (whole numbers from 1)")
                          for i, a in enumerate(listed))


def _demo_name(p, demo: str) -> None:
    """SPEC 1.8: a demo is a file of the same folder (or a bundled problem), never a path."""
    from ..problem.values import error_at, shown_value, plain_text   # noqa: PLC0415 (start-up: as validate's)
    plain_text(demo, ("demo",))
    if "/" in demo or "\\" in demo or os.sep in demo or demo in (".", "..") \
            or os.path.isabs(demo):
        raise error_at(("demo",), "expected a file name in the same folder as this file "
                              f"(or a bundled problem), not a path: {shown_value(demo)}")
    if p.file and os.path.basename(p.file) == demo:
        raise error_at(("demo",), "names this file itself; a demo is another problem")


def asked(p, question: str) -> str:
    """A choice's question is its own text."""
    return p.question


def demo_path(p) -> str:
    """The demo beside the choice file; else the bundled problem of that name."""
    from ..problem.files import bundled_dir   # noqa: PLC0415 (demos only)
    here = os.path.join(os.path.dirname(p.file), p.demo) if p.file else None
    if here and os.path.isfile(here):
        return here
    bundled = bundled_dir()
    if bundled is not None and (bundled / p.demo).is_file():
        return str(bundled / p.demo)
    return here or p.demo


def solve(p, work) -> Outcome:
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
            from .advice import said   # noqa: PLC0415 (start-up: only when there is an error)
            raise ProblemError(f"demo {p.demo!r} fails: {said(err)}", keys=("demo",)) from None
    return Outcome(values={"correct": list(p.correct)}, default="correct", sub=list(subs))


@functools.lru_cache(maxsize=64)
def _solve_demo(path: str, mtime: float, steps: bool) -> tuple:
    """A demo's results, solved once per batch however many choice files share it."""
    from . import pipeline   # noqa: PLC0415 (start-up: as validate's)
    problems = pipeline.load_path(path)
    if any(d.type == "choice" for d in problems):
        # a demo shows working; a choice demo could also lead back to the file that names it
        raise ProblemError("is a choice question; a demo is a problem with working to show")
    return tuple(pipeline.solve(d, steps=steps) for d in problems)


def vary(data: dict, rng) -> dict:
    """`rnnquiz vary`: the options in a new order, `correct` following them (a choice has no
    numbers to redraw; its explanation speaks of the options by content, not number)."""
    options = data.get("options")
    if not isinstance(options, list) or len(options) < 2:
        return data
    order = [int(i) for i in rng.permutation(len(options))]     # new position -> old index
    data["options"] = [options[i] for i in order]
    new_of = {old + 1: new + 1 for new, old in enumerate(order)}
    correct = data.get("correct")
    if isinstance(correct, int) and not isinstance(correct, bool):
        data["correct"] = new_of.get(correct, correct)
    elif isinstance(correct, list):
        # 2.0 is option 2 to validate (a whole number), so it moves with option 2 too
        data["correct"] = sorted(new_of.get(c, c) if isinstance(c, (int, float)) else c
                                 for c in correct)
    return data
