"""Conventions side by side (SPEC 1.16): an exercise's answer under each framework's or course's
convention, and the conventions (with the slips) under which a wrong answer is right.

The conventions are data, kept next to what they vary (`CONVENTIONS` in the cells' and the
notations' modules of NETWORK, and in each type's own, see notations/convention.py); this module
only reads them: `table` for `solve --conventions`, `reference` for `rnnquiz conventions`;
teaching/diagnosis.py's `explain` for `check`.
"""

from __future__ import annotations

import copy
import importlib
from types import SimpleNamespace

from ..errors import ProblemError
from . import slip_search
from ..types import TYPES, from_dict, solve
from ..types.registry import conventions as type_conventions

# the modules whose conventions apply to any type that runs a network: the cells' and the
# notations' (a type's own come from the type registry). A module of them is one line here.
NETWORK = ("rnnquiz.cells.gru_conventions", "rnnquiz.cells.loss", "rnnquiz.notations.conventions")
FAILED = (ProblemError, ValueError, KeyError, IndexError, TypeError, ZeroDivisionError,
          AttributeError, ArithmeticError)
_loaded: dict[str, tuple] = {}


def _network() -> list:
    out = []
    for name in NETWORK:
        if name not in _loaded:
            found = importlib.import_module(name).CONVENTIONS
            _loaded[name] = tuple(found() if callable(found) else found)
        out.extend(_loaded[name])
    return out


def catalogue() -> list:
    """Every convention: the cells' and the notations', then each type's, in the registry's
    order."""
    return _network() + [c for kind in TYPES for c in type_conventions(kind)]


def _for(p) -> list:
    network = p.network is not None or p.stack is not None
    return (_network() if network else []) + list(type_conventions(p.type) if p.type in TYPES else ())


def _test(fn, p) -> bool:
    try:
        return bool(fn(p))
    except FAILED:
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
    from ..notations.conventions import course as name   # noqa: PLC0415 (the course's name only)
    return name(p)


# ---------------------------------------------------------------- an answer under conventions

def under(p, convs: tuple, variant=None, base=None):
    """(the answer, the problem solved) with the conventions `convs` (and a slip's variant).
    `base`: the slip's problem already read (its changed document), to read it once."""
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
    return not slip_search.matches(a, b, digits if digits is not None else None)


def _pairs(singles: list) -> list[tuple]:
    return [(a, b) for i, a in enumerate(singles) for b in singles[i + 1:] if a.id != b.id]


def pairs_of(p, singles: list) -> list[tuple]:
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
        result = solve(p, steps=False)
    mine = own(p)
    rows = [{"id": "+".join(c.id for c in mine) or "own",
             "label": f"this exercise's own ({course(p)})" if course(p) else
             "this exercise's own convention", "answer": result.answer,
             "own": True}]
    singles = applying(p)
    combos = [(c,) for c in singles] + [(a, b) for a, b in pairs_of(p, singles)
                                        if a.who_of is not None and a.who_of == b.who_of]
    for convs in combos:
        try:
            value, q = under(p, convs)
        except FAILED:
            continue
        if _differs(value, result.answer, p.ask.digits) and (len(convs) == 1 or all(
                _differs(value, r["answer"], p.ask.digits) for r in rows[1:])):
            rows.append({"id": "+".join(c.id for c in convs), "label": label(convs, q),
                         "answer": value, "own": False})
    return rows


def part(p, i: int):
    """Part i of a question in several parts as a question of its own (its document too, so
    that a convention that re-reads the document asks that part alone)."""
    doc = copy.deepcopy(p.data)
    ask = doc.get("ask") or {}
    entry = ask["quantity"][i]
    doc["ask"] = {**{k: v for k, v in ask.items() if k != "quantity"},
                  **(entry if isinstance(entry, dict) else {"quantity": entry})}
    doc.pop("answer", None)
    return from_dict(doc, file=p.file)


def part_table(p, i: int, answer) -> list[dict]:
    """The table of part i (`answer`: that part's answer, as solved)."""
    try:
        q = part(p, i)
    except FAILED:
        return []
    return table(q, SimpleNamespace(answer=answer))


def attach(result) -> None:
    """`solve --conventions`: the table into the result, `extra["conventions"]`, or for a
    question in several parts one into each entry of `extra["parts"]`."""
    p = result.problem
    if p.options:
        return
    if p.ask.parts is None:
        result.extra["conventions"] = table(p, result)
        return
    for i, entry in enumerate(result.extra.get("parts") or ()):
        entry["conventions"] = part_table(p, i, entry["answer"])


def same_as(slip: str) -> set[str]:
    """The ids of the conventions that make a slip's change (own_norm: clip_per_tensor)."""
    return {c.id for c in catalogue() if slip in c.slips}


# ---------------------------------------------------------------- the reference

def reference() -> list[dict]:
    """Every convention once by id (their `who` merged): the table of `rnnquiz conventions`."""
    rows: dict[str, dict] = {}
    for c in catalogue():
        general = getattr(c.label, "general", c.label)     # a Label's words without a problem
        row = rows.setdefault(c.id, {"id": c.id, "topic": c.topic, "who": [],
                                     "label": general if isinstance(general, str) else
                                     c.reason})
        row["who"] += [w for w in c.who if w not in row["who"]]
        words = general if isinstance(general, str) else row["label"]
        if words not in row["label"]:           # one id, two places (bias_one: GRU, counts)
            row["label"] += f"; or {words}"
    return sorted(rows.values(), key=lambda r: (r["topic"].lower(), r["id"]))

