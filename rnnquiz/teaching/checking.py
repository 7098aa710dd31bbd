"""The verdict of `rnnquiz check` (and of `rnnquiz.check` in the API): is an answer written as
text right at the digits asked, and which slips reproduce it when it is not."""

from __future__ import annotations

import re

from ..problem.answers import _option, agree, digits_for, kind_error, parse_answer, rounded
from ..errors import ProblemError


def check(problem, text: str, result=None) -> dict:
    """The verdict of `rnnquiz check`: is `text` the answer to `problem` at the digits asked?

    Returns the object `check --json` prints (agrees, expected, digits, diagnosis). An answer
    that cannot be read, or of the wrong kind (a word for a number), raises ProblemError.
    """
    from ..types import solve   # noqa: PLC0415
    from ..problem import Problem   # noqa: PLC0415
    from ..types import from_dict   # noqa: PLC0415
    p = problem if isinstance(problem, Problem) else from_dict(problem)
    try:
        value = parse_answer(str(text))
    except ValueError as err:
        raise ProblemError(f"answer: {err}") from None
    r = result if result is not None else solve(p)
    why = kind_error(r, value)
    if why and re.fullmatch(r"\s*[-+]?\d+,\d+\s*", str(text)):
        why += f"; use a dot for decimals: {str(text).strip().replace(',', '.')}"
    if why:
        raise ProblemError(f"answer: {why}")
    if p.options:
        try:
            value = sorted(_option(v, len(p.options))
                           for v in (value if isinstance(value, list) else [value]))
        except ValueError as err:
            raise ProblemError(f"answer: {err}") from None
    digits = None if p.options else digits_for(p, value, str(text))
    ok = agree(r.answer, value, digits)
    diagnosis = []
    if not ok and not p.options:
        from .slips import diagnose   # noqa: PLC0415
        diagnosis = diagnose(p, value, str(text))
    return {"schema_version": 1, "file": p.file, "question": r.question, "given": value,
            "agrees": ok, "expected": r.answer, "expected_rounded": rounded(r.answer, digits),
            "digits": digits, "diagnosis": diagnosis}
