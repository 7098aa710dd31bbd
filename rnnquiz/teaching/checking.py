"""The verdict of `rnnquiz check` (and of `rnnquiz.check` in the API): is an answer written as
text right at the digits asked, and when it is not, which conventions (SPEC 1.16) or slips
reproduce it."""

from __future__ import annotations

import re
from dataclasses import replace

from ..problem.answers import agree, rounded
from ..problem.typed_answers import digits_for, kind_error, option_number, parse_answer
from ..errors import ProblemError
from ..types import TYPES, from_dict, solve
from ..problem import Problem


def check(problem, text: str, result=None) -> dict:
    """The verdict of `rnnquiz check`: is `text` the answer to `problem` at the digits asked?

    Returns the object `check --json` prints (agrees, expected, digits, diagnosis). An answer
    that cannot be read, or of the wrong kind (a word for a number), raises ProblemError.
    """
    p = problem if isinstance(problem, Problem) else from_dict(problem)
    if p.ask.parts is not None:
        return _check_parts(p, str(text), result if result is not None else solve(p))
    try:
        value = parse_answer(str(text))
    except ValueError as err:     # a keyed answer's ProblemError, advised as it is quoted
        from ..types.advice import said   # noqa: PLC0415 (start-up: errors only)
        raise ProblemError(f"answer: {said(err)}") from None
    r = result if result is not None else solve(p)
    why = kind_error(r, value, getattr(TYPES[p.type], "WORDS", ()))
    if why and re.fullmatch(r"\s*[-+]?\d+,\d+\s*", str(text)):
        why += f"; use a dot for decimals: {str(text).strip().replace(',', '.')}"
    if why:
        raise ProblemError(f"answer: {why}")
    if p.options:
        try:
            value = sorted(option_number(v, len(p.options))
                           for v in (value if isinstance(value, list) else [value]))
        except ValueError as err:
            raise ProblemError(f"answer: {err}") from None
    digits = None if p.options else digits_for(p, value, str(text))
    ok = agree(r.answer, value, digits)
    diagnosis = []
    if not ok and not p.options:
        from .diagnosis import explain   # noqa: PLC0415 (wrong answers only)
        diagnosis = explain(p, value, str(text), right=r)
    return {"schema_version": 1, "file": p.file, "question": r.question, "given": value,
            "agrees": ok, "expected": r.answer, "expected_rounded": rounded(r.answer, digits),
            "digits": digits, "diagnosis": diagnosis}


def _check_parts(p, text: str, r) -> dict:
    """A question in several parts: the parts of `text` split at `|`, each judged (and its
    slips found) as a question of its own; right when every part is."""
    pieces = text.split("|")
    entries = r.extra["parts"]
    if len(pieces) != len(entries):
        raise ProblemError(f"answer: expected {len(entries)} parts separated by '|' "
                           f"({'; '.join(e['question'] for e in entries)}), got {len(pieces)}")
    verdicts = []
    for i, (piece, ask, entry) in enumerate(zip(pieces, p.ask.parts, entries)):
        part = replace(p, ask=ask, answer=None, data=_part_data(p.data, i))
        part_result = replace(r, problem=part, question=entry["question"],
                              answer=entry["answer"], answer_rounded=entry["answer_rounded"],
                              extra={k: v for k, v in r.extra.items() if k != "parts"},
                              expected=None, agrees=None)
        try:
            v = check(part, piece, part_result)
        except ProblemError as err:
            from ..types.advice import advised   # noqa: PLC0415 (start-up: errors only)
            raise ProblemError(f"answer: part {i + 1} ({entry['question']}): "
                               f"{advised(err).reason.removeprefix('answer: ')}") from None
        v["diagnosis"] = [{**d, "part": i + 1} for d in v["diagnosis"]]
        verdicts.append({k: v[k] for k in ("question", "given", "agrees", "expected",
                                           "expected_rounded", "digits", "diagnosis")})
    return {"schema_version": 1, "file": p.file, "question": r.question,
            "given": [v["given"] for v in verdicts], "agrees": all(v["agrees"] for v in verdicts),
            "expected": r.answer, "expected_rounded": [v["expected_rounded"] for v in verdicts],
            "digits": [v["digits"] for v in verdicts],
            "diagnosis": [d for v in verdicts for d in v["diagnosis"]], "parts": verdicts}


def _part_data(data: dict, i: int) -> dict:
    """The file's document asking part i alone (the slips re-solve variants of the document)."""
    ask = dict(data.get("ask") or {})
    entry = ask.pop("quantity")[i]
    ask.update(entry if isinstance(entry, dict) else {"quantity": entry})
    return {**{k: v for k, v in data.items() if k != "answer"}, "ask": ask}
