"""The `choice` type: the quizzes' conceptual questions (SPEC 1.8)."""

from __future__ import annotations

import os

from ..problem.values import _err, _show, integer, plain_text


def validate(p, data: dict) -> None:
    """Fill question, options, correct, explanation and demo of a choice problem."""
    q = data.get("question")
    if not isinstance(q, str) or not q.strip():
        raise _err(("question",), f"expected the question as text, got {_show(q)}")
    p.question = plain_text(q.strip(), ("question",))
    opts = data.get("options")
    if not isinstance(opts, list) or len(opts) < 2:
        raise _err(("options",), f"expected a list of at least two options, got {_show(opts)}")
    for i, o in enumerate(opts):
        if not isinstance(o, (str, int, float)) or isinstance(o, bool):
            raise _err(("options", i), f"expected an option as text, got {_show(o)}")
    p.options = [plain_text(o if isinstance(o, str) else _show(o), ("options", i))
                 for i, o in enumerate(opts)]
    correct = data.get("correct")
    if isinstance(correct, int) and not isinstance(correct, bool):
        correct = [correct]
    if not isinstance(correct, list) or not correct:
        raise _err(("correct",), "expected the correct option numbers (from 1) as a list, got "
                                 f"{_show(correct)}")
    numbers = []
    for i, c in enumerate(correct):
        n = integer(c, ("correct", i), low=1, what=f"an option number from 1 to {len(opts)}")
        if n > len(opts):
            raise _err(("correct", i), f"expected an option number from 1 to {len(opts)}, "
                                     f"got {_show(n)}")
        if n in numbers:
            raise _err(("correct", i), f"option {n} is listed twice")
        numbers.append(n)
    p.correct = sorted(numbers)
    exp = data.get("explanation", "")
    if exp is not None and not isinstance(exp, str):
        raise _err(("explanation",), f"expected text, got {_show(exp)}")
    p.explanation = plain_text((exp or "").strip(), ("explanation",))
    demo = data.get("demo")
    if demo is not None and (not isinstance(demo, str) or not demo.strip()):
        raise _err(("demo",), f"expected a problem file name, got {_show(demo)}")
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
    plain_text(demo, ("demo",))
    if "/" in demo or "\\" in demo or os.sep in demo or demo in (".", "..") \
            or os.path.isabs(demo):
        raise _err(("demo",), "expected a file name in the same folder as this file "
                              f"(or a bundled problem), not a path: {_show(demo)}")
    if p.file and os.path.basename(p.file) == demo:
        raise _err(("demo",), "names this file itself; a demo is another problem")
