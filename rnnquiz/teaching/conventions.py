"""Conventions side by side (SPEC 1.16): an exercise's answer under each framework's or course's
convention, and the conventions (with the slips) under which a wrong answer is right.

The conventions are data, kept next to what they vary (`CONVENTIONS` in each module of
SOURCES, see problem/conventions.py); this module only reads them: `table` for
`solve --conventions`, `explain` for `check`, `reference` for `rnnquiz conventions`.
Setting RNNQUIZ_NO_CONVENTIONS=1 makes `check` look for slips alone (the benchmark's baseline).
"""

from __future__ import annotations

import copy
import importlib
import os

from ..errors import ProblemError
from . import slips as slipbook

# module -> the types whose problems its conventions can apply to ("network": any type that
# runs a network). Adding a module of conventions is one line here.
SOURCES = {
    "rnnquiz.cells.gru": "network",
    "rnnquiz.cells.loss": "network",
    "rnnquiz.notations.conventions": "network",
    "rnnquiz.types.perplexity": ("perplexity",),
    "rnnquiz.types.clip": ("clip",),
    "rnnquiz.types.ctc.conventions": ("ctc",),
    "rnnquiz.types.decode.conventions": ("decode",),
    "rnnquiz.types.bleu.conventions": ("bleu",),
    "rnnquiz.types.shapes.conventions": ("shapes",),
}
FAILED = (ProblemError, ValueError, KeyError, IndexError, TypeError, ZeroDivisionError)
_loaded: dict[str, tuple] = {}


def catalogue(modules=None) -> list:
    """Every convention of the SOURCES modules (or of those named), in their order."""
    out = []
    for name in modules if modules is not None else SOURCES:
        if name not in _loaded:
            found = importlib.import_module(name).CONVENTIONS
            _loaded[name] = tuple(found() if callable(found) else found)
        out.extend(_loaded[name])
    return out


def _for(p) -> list:
    network = p.network is not None or p.stack is not None
    return catalogue([m for m, types in SOURCES.items()
                      if (types == "network" and network) or p.type in types])


def _test(fn, p) -> bool:
    try:
        return bool(fn(p))
    except FAILED + (AttributeError,):
        return False


def applying(p) -> list:
    """The conventions the problem can be put under (it is not already)."""
    if getattr(p.ask, "parts", None) is not None:
        return []
    return [c for c in _for(p) if _test(c.applies, p)]


def own(p) -> list:
    """The conventions the problem is under, of the topics where another one applies."""
    topics = {c.topic for c in applying(p)}
    return [c for c in _for(p) if c.topic in topics and _test(c.own, p)]


def course(p) -> str:
    from ..notations.conventions import course as name   # noqa: PLC0415
    return name(p)


# ---------------------------------------------------------------- an answer under conventions

def under(p, convs: tuple, variant=None, base=None):
    """(the answer, the problem solved) with the conventions `convs` (and a slip's variant).
    `base`: the slip's problem already read (its changed document), to read it once."""
    from ..types import from_dict, solve   # noqa: PLC0415
    q = p
    docs = [c for c in convs if c.doc is not None]
    if docs or (variant is not None and variant.doc is not None and base is None):
        doc = copy.deepcopy(p.data)
        if variant is not None and variant.doc is not None:
            doc = variant.doc(doc)
        for c in docs:
            doc = c.doc(p, doc)
        doc.pop("answer", None)
        q = from_dict(doc, file=p.file)
    elif base is not None:
        q = base
    for c in convs:
        if c.problem is not None:
            if not _test(c.applies, q) and q is not p:
                raise ValueError("the convention does not apply after the others")
            q = c.problem(q)
            if q is None:
                raise ValueError("the convention does not apply")
    flags = frozenset().union(*(c.flags for c in convs))
    if variant is not None:
        flags |= variant.flags
    r = solve(q, steps=False, variants=flags,
              overrides=variant.overrides if variant is not None else None)
    value = r.answer
    if variant is not None and variant.answer is not None:
        value = variant.answer(value)
    for c in convs:
        if c.answer is not None:
            value = c.answer(q, value)
    return value, q


def label(convs: tuple, q) -> str:
    """The words naming conventions, of the problem under them: one subject where they share
    one (PyTorch's GRU, whose z ... and whose reset ...)."""
    def text(c):
        return c.label(q) if callable(c.label) else c.label
    subjects = {c.who_of for c in convs}
    if len(subjects) == 1 and convs[0].who_of is not None:
        return f"{convs[0].who_of(q)} {convs[0].topic}, " + " and ".join(c.reason for c in convs)
    return "; and ".join(text(c) for c in convs)


def _differs(a, b, digits) -> bool:
    return not slipbook._matches(a, b, digits if digits is not None else None)


def _pairs(singles: list) -> list[tuple]:
    return [(a, b) for i, a in enumerate(singles) for b in singles[i + 1:] if a.id != b.id]


def _pairs_of(p, singles: list) -> list[tuple]:
    """Two conventions: both that apply, and one of the same subject that applies once the
    first is taken (deeplearning.ai's GRU to PyTorch's: z on the old state, then the reset
    after the matrix)."""
    out = _pairs(singles)
    for a in singles:
        out += [(a, b) for b in _for(p) if a.who_of is not None and b.who_of == a.who_of
                and b.problem is not None and b not in singles and b.id != a.id]
    return out


def table(p, result=None) -> list[dict]:
    """The asked quantity under every convention that changes it (judged at ask.digits, else
    1e-9): the file's own first (`own: true`), then one row each."""
    if result is None:
        from ..types import solve   # noqa: PLC0415
        result = solve(p, steps=False)
    mine = own(p)
    rows = [{"id": "+".join(c.id for c in mine) or "own",
             "label": f"this exercise's own ({course(p)})" if course(p) else
             "this exercise's own convention", "answer": result.answer,
             "own": True}]
    singles = applying(p)
    combos = [(c,) for c in singles] + [(a, b) for a, b in _pairs_of(p, singles)
                                        if a.who_of is not None and a.who_of == b.who_of]
    for convs in combos:
        try:
            value, q = under(p, convs)
        except FAILED:
            continue
        if _differs(value, result.answer, p.ask.digits) and \
                all(_differs(value, r["answer"], p.ask.digits) or r["own"] for r in rows[1:]):
            rows.append({"id": "+".join(c.id for c in convs), "label": label(convs, q),
                         "answer": value, "own": False})
    return rows


# ---------------------------------------------------------------- explaining a wrong answer

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
    from ..types import solve   # noqa: PLC0415
    digits = slipbook._precision(p, text)
    if right is None or not right.steps:
        right = solve(p, steps=True)
    if slipbook._matches(right.answer, given, digits):
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
        if slipbook._matches(value, given, digits):
            found.append(_slip_entry(p, v, value, right))
        if v.slip in twins and any(slipbook._matches(value, c, None) for c in conv_values):
            del slip_values[i]      # a convention's twin: its pairs are the convention's
    if not found:
        for a, b in _pairs_of(p, convs):
            _try(found, p, (a, b), None, None, given, digits)
        for c in convs:
            for i, v in enumerate(variants):
                if i in slip_values:
                    _try(found, p, (c,), v, bases[i], given, digits,
                         slip_values[i] if _answer_only(c) else None)
        if not found:
            kept = [v for i, v in enumerate(variants) if i in slip_values]
            return [_slip(d) for d in slipbook._search(
                p, [slipbook._combine(a, b) for i, a in enumerate(kept)
                    for b in kept[i + 1:] if a.slip != b.slip], given, digits, right)]
    return _order(found, given)


def _answer_only(c) -> bool:
    return c.doc is None and c.problem is None and not c.flags


def _slip_value(p, v):
    """A slip's answer, and the problem it solved (its changed document read once)."""
    from ..types import from_dict   # noqa: PLC0415
    base = None
    if v.doc is not None:
        doc = v.doc(copy.deepcopy(p.data))
        doc.pop("answer", None)
        base = from_dict(doc, file=p.file)
    value, _ = under(base if base is not None else p, (), _no_doc(v))
    return value, base


def _no_doc(v):
    from dataclasses import replace   # noqa: PLC0415
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
    if not slipbook._matches(value, given, digits):
        return value
    words = label(convs, q)
    ids = "+".join(c.id for c in convs)
    if variant is None:
        found.append({"kind": "convention", "id": ids, "label": words, "answer": value})
        return value
    slip = slipbook.SLIPS[variant.slip].explanation + (f" ({variant.detail})"
                                                      if variant.detail else "")
    found.append({"kind": "slip", "id": f"{ids}+{variant.slip}", "answer": value,
                  "label": f"{words}; and a slip: {slip}", "departs_at": None})
    return value


def _slip_entry(p, v, value, right) -> dict:
    words = slipbook.SLIPS[v.slip].explanation + (f" ({v.detail})" if v.detail else "")
    try:
        _, r = slipbook._value(p, v, steps=True)
        where = slipbook._departs(right, r, v)
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
    for d in sorted(convs, key=lambda d: slipbook._distance(d["answer"], given)) + \
            sorted(slips, key=lambda d: slipbook._distance(d["answer"], given)):
        if (d["id"], d["label"]) not in seen:
            seen.add((d["id"], d["label"]))
            out.append(_aliases(d))
    return out


def same_as(slip: str) -> set[str]:
    """The ids of the conventions that make a slip's change (own_norm: clip_per_tensor)."""
    return {c.id for c in catalogue() if slip in c.slips}


# ---------------------------------------------------------------- the reference

def reference() -> list[dict]:
    """Every convention once by id (their `who` merged): the table of `rnnquiz conventions`."""
    rows: dict[str, dict] = {}
    for c in catalogue():
        row = rows.setdefault(c.id, {"id": c.id, "topic": c.topic, "who": [],
                                     "label": c.label if isinstance(c.label, str) else
                                     c.reason})
        row["who"] += [w for w in c.who if w not in row["who"]]
        words = c.label if isinstance(c.label, str) else row["label"]
        if words not in row["label"]:           # one id, two places (bias_one: GRU, counts)
            row["label"] += f"; or {words}"
    return sorted(rows.values(), key=lambda r: (r["topic"].lower(), r["id"]))

