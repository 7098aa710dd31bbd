"""Which conventions (SPEC 1.16), then which slips (teaching/slips.py), reproduce a wrong
answer: the diagnosis of `check`. Conventions come first, single ones before pairs; a pair
may be two conventions, a convention and a slip, or two slips. A slip that makes a
convention's change (its `slips`) is searched once, as the convention.
Setting RNNQUIZ_NO_CONVENTIONS=1 looks for slips alone (the benchmark's baseline).
"""

from __future__ import annotations

import copy
import os
from dataclasses import replace

from . import slip_search
from . import slips as slipbook
from .conventions import FAILED, pairs_of, applying, catalogue, label, under
from ..types import from_dict, solve


def disabled() -> bool:
    return os.environ.get("RNNQUIZ_NO_CONVENTIONS", "").strip().lower() not in ("", "0", "no",
                                                                                  "false", "off")


def explain(p, given, text: str | None = None, right=None) -> list[dict]:
    """The conventions, then the slips, that reproduce `given`: single ones first, pairs
    (two conventions, a convention and a slip, two slips) only where no single one does.
    A right answer is never explained away; an answer both a convention and a slip reproduce
    is the convention's."""
    if getattr(p.ask, "parts", None) is not None:
        return []
    digits = slip_search.precision(p, text)
    if right is None or not right.steps:
        right = solve(p, steps=True)
    if slip_search.matches(right.answer, given, digits):
        return []
    convs = [] if disabled() else applying(p)
    variants = slipbook.variants_for(p)
    found, slip_values, bases = [], {}, {}
    conv_values = [v for c in convs
                   if (v := _try(found, p, (c,), None, None, given, digits)) is not None]
    twins = set().union(*(c.slips for c in convs))
    for i, v in enumerate(variants):
        try:
            value, r_q = _slip_value(p, v)
        except FAILED:
            continue
        slip_values[i], bases[i] = value, r_q
        if slip_search.matches(value, given, digits):
            found.append(_slip_entry(p, v, value, right))
        if v.slip in twins and any(slip_search.matches(value, c, None) for c in conv_values):
            del slip_values[i]      # a convention's twin: its pairs are the convention's
    if not found:
        for a, b in pairs_of(p, convs):
            _try(found, p, (a, b), None, None, given, digits)
        for c in convs:
            for i, v in enumerate(variants):
                if i in slip_values:
                    _try(found, p, (c,), v, bases[i], given, digits,
                         slip_values[i] if _answer_only(c) else None)
        if not found:
            kept = [v for i, v in enumerate(variants) if i in slip_values]
            return [_slip(d) for d in slip_search.search(
                p, [slip_search.combine(a, b) for i, a in enumerate(kept)
                    for b in kept[i + 1:] if a.slip != b.slip], given, digits, right)]
    return _order(found, given)


def _answer_only(c) -> bool:
    return c.doc is None and c.problem is None and not c.flags


def _slip_value(p, v):
    """A slip's answer, and the problem it solved (its changed document read once)."""
    base = None
    if v.doc is not None:
        doc = v.doc(copy.deepcopy(p.data))
        doc.pop("answer", None)
        base = from_dict(doc, file=p.file)
    value, _ = under(base if base is not None else p, (), _no_doc(v))
    return value, base


def _no_doc(v):
    return replace(v, doc=None)


def _try(found, p, convs, variant, base, given, digits, slip_value=None):
    """The answer under `convs` (and a slip), recorded in `found` where it is `given`."""
    try:
        if slip_value is not None:      # an answer-only convention on a slip's answer
            q = base if base is not None else p
            value = slip_value
            for c in convs:
                value = c.answer(q, value)
        else:
            value, q = under(base if base is not None else p, convs,
                             _no_doc(variant) if variant is not None else None)
    except FAILED:
        return None
    if not slip_search.matches(value, given, digits):
        return value
    words = label(convs, q)
    ids = "+".join(c.id for c in convs)
    if variant is None:
        found.append({"kind": "convention", "id": ids, "label": words, "answer": value})
        return value
    slip = slipbook.book(p.type)[variant.slip].explanation + (
        f" ({variant.detail})" if variant.detail else "")
    found.append({"kind": "slip", "id": f"{ids}+{variant.slip}", "answer": value,
                  "label": f"{words}; and a slip: {slip}", "departs_at": None})
    return value


def _slip_entry(p, v, value, right) -> dict:
    words = slipbook.book(p.type)[v.slip].explanation + (f" ({v.detail})" if v.detail else "")
    try:
        _, r = slip_search.value_of(p, v, steps=True)
        where = slip_search.departs_at(right, r, v)
    except FAILED:
        where = None
    return {"kind": "slip", "id": v.slip, "label": words, "answer": value, "departs_at": where}


def _slip(d: dict) -> dict:
    """An entry of slips.diagnose in the shape of SPEC 1.16."""
    return _aliases({"kind": "slip", "id": d["slip"], "label": d["explanation"],
                     "answer": d["value"], "departs_at": d.get("departs_at")})


def _aliases(d: dict) -> dict:
    return {**d, "slip": d["id"], "value": d["answer"], "explanation": d["label"]}


def _order(found: list[dict], given) -> list[dict]:
    """Conventions first; a slip that makes a found convention's change (its `slips`) is that
    convention; each group the closest first."""
    convs = [d for d in found if d["kind"] == "convention"]
    same = set().union(*(c.slips for c in catalogue() if c.id in {d["id"] for d in convs}))
    slips = [d for d in found if d["kind"] == "slip" and d["id"] not in same]
    seen, out = set(), []
    for d in sorted(convs, key=lambda d: slip_search.distance(d["answer"], given)) + \
            sorted(slips, key=lambda d: slip_search.distance(d["answer"], given)):
        if (d["id"], d["label"]) not in seen:
            seen.add((d["id"], d["label"]))
            out.append(_aliases(d))
    return out
