"""Which slips reproduce a wrong answer: every slip of the catalogue (slips.py) that applies is
run, then pairs of them, and those whose result, at the precision the answer is written with,
is the answer given are kept, the closest first, with the step of the working where each
departs. teaching/diagnosis.py searches the conventions first and then these."""

from __future__ import annotations

import copy

import numpy as np

from ..errors import ProblemError
from ..problem import answers
from ..problem.typed_answers import decimals_written
from .slips import book, variants_for
from ..types.slip import Variant
from ..types import from_dict, solve
from ..problem.answers import round_places


def combine(a: Variant, b: Variant) -> Variant:
    def doc(d):
        d = a.doc(d) if a.doc else d
        return b.doc(d) if b.doc else d

    def answer(v):
        v = a.answer(v) if a.answer else v
        return b.answer(v) if b.answer else v
    return Variant(f"{a.slip}+{b.slip}", "; ".join(x for x in (a.detail, b.detail) if x),
                   doc=doc if (a.doc or b.doc) else None, flags=a.flags | b.flags,
                   answer=answer if (a.answer or b.answer) else None,
                   overrides={**(a.overrides or {}), **(b.overrides or {})} or None)


def value_of(p, v: Variant, steps: bool = False):
    prob = p
    if v.doc is not None:
        doc = v.doc(copy.deepcopy(p.data))
        doc.pop("answer", None)
        prob = from_dict(doc, file=p.file)
    r = solve(prob, steps=steps, variants=v.flags, overrides=v.overrides)
    value = v.answer(r.answer) if v.answer else r.answer
    return value, r


def precision(p, text: str | None) -> int | None:
    written = decimals_written(text) if text else None
    digits = p.ask.digits
    if written is None:
        return digits
    return written if digits is None else min(written, digits)


def matches(value, given, digits) -> bool:
    if answers.is_words(value) or answers.is_words(given):
        return answers.agree(value, given, None)
    try:
        a = np.asarray(value, dtype=float).reshape(-1)
        b = np.asarray(given, dtype=float).reshape(-1)
    except (TypeError, ValueError):
        return False
    if a.shape != b.shape or not np.isfinite(a).all():
        return False
    if digits is None:
        return bool(np.all(np.abs(a - b) <= 1e-9 * np.maximum(1, np.abs(b))))
    return bool(np.array_equal(round_places(a, digits), round_places(b, digits)))


def departs_at(right, variant_result, v: Variant) -> str | None:
    """The first step of the working where the slip's value differs from the right one."""
    if v.answer is not None and v.doc is None and not v.flags:
        return "the answer itself"
    by_symbol = {(s.symbol, s.phase): s.value for s in right.steps}
    for s in variant_result.steps:
        ref = by_symbol.get((s.symbol, s.phase))
        if ref is None or isinstance(ref, str) or isinstance(s.value, str):
            continue
        try:
            if not np.allclose(np.asarray(s.value, float), np.asarray(ref, float),
                               rtol=1e-12, atol=1e-15):
                return s.symbol
        except (TypeError, ValueError):
            continue
    return "the step asked" if v.slip.startswith("off_by_one") else None


def diagnose(p, given, text: str | None = None, *, pairs: bool = True) -> list[dict]:
    """The slips that reproduce `given`, best first (single slips before pairs)."""
    if getattr(p.ask, "parts", None) is not None:
        return []           # a question in several parts: `check` diagnoses each part
    digits = precision(p, text)
    right = solve(p, steps=True)
    if matches(right.answer, given, digits):
        return []                                # a right answer is never diagnosed
    singles = variants_for(p)
    found = search(p, singles, given, digits, right)
    if not found and pairs:
        combos = [combine(a, b) for i, a in enumerate(singles) for b in singles[i + 1:]
                  if a.slip != b.slip]
        found = search(p, combos, given, digits, right)
    return found


def search(p, variants: list[Variant], given, digits, right) -> list[dict]:
    found, seen = [], set()
    for v in variants:
        try:
            value, _ = value_of(p, v)
        except (ProblemError, ValueError, KeyError, IndexError, TypeError):
            continue
        if not matches(value, given, digits) or (v.slip, v.detail) in seen:
            continue
        seen.add((v.slip, v.detail))
        try:
            _, r = value_of(p, v, steps=True)
            where = departs_at(right, r, v)
        except (ProblemError, ValueError):
            where = None
        explanation = " and ".join(book(p.type)[s].explanation for s in v.slip.split("+"))
        if v.detail:
            explanation += f" ({v.detail})"
        found.append({"slip": v.slip, "value": value, "explanation": explanation,
                      "departs_at": where})
    found.sort(key=lambda d: distance(d["value"], given))     # the closest first
    return found


def distance(value, given) -> float:
    try:
        return float(np.max(np.abs(np.asarray(value, float).reshape(-1)
                                   - np.asarray(given, float).reshape(-1))))
    except (TypeError, ValueError):
        return 0.0
