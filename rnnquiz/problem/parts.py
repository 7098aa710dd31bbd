"""A question in several parts (SPEC 1): `ask.quantity` as a list, each entry a name or a
mapping whose missing keys come from `ask`, and the published answer as one list a part."""

from __future__ import annotations

from typing import Any, Callable

from ..errors import ProblemError
from .values import error_at, shown_value


def ask_parts(v: dict, q: list, read: Callable, ask_keys: tuple) -> tuple:
    """`ask.quantity` as a list: each entry a name or a mapping, read by `read` (the reader of
    one `ask`) with the missing keys taken from ask; one Ask a part."""
    if not q:
        raise error_at(("ask", "quantity"), "expected at least one quantity in the list")
    # what one part may say for itself: a span (from, to) is the whole question's
    part_keys = tuple(k for k in ask_keys if k not in ("from", "to"))
    base = {k: e for k, e in v.items() if k != "quantity"}
    parts = []
    for i, entry in enumerate(q):
        if isinstance(entry, str):
            entry = {"quantity": entry}
        if not isinstance(entry, dict) or not isinstance(entry.get("quantity"), str):
            raise error_at(("ask", "quantity", i), f"expected a quantity name or a mapping "
                                               f"{{quantity, t, digits}}, got {shown_value(entry)}")
        for key in entry:
            if key not in part_keys:
                raise error_at(("ask", "quantity", i, key),
                           f"unknown key for a part; expected one of {', '.join(part_keys)}")
        try:
            parts.append(read({**base, **entry}))
        except ProblemError as err:
            where = tuple(k for k in err.keys[1:] if k != "quantity")
            raise err.quoted(("ask", "quantity", i) + where) from None
    return tuple(parts)


def part_answers(v: Any, n: int, read: Callable) -> list:
    """The published answer of n parts: a list of n, each read as a one-part answer is."""
    if not isinstance(v, list) or len(v) != n:
        got = f"a list of {len(v)}" if isinstance(v, list) else shown_value(v)
        raise error_at(("answer",), f"expected a list of {n} answers, one per part of "
                                f"ask.quantity, got {got}")
    out = []
    for i, e in enumerate(v):
        try:
            out.append(read(e) if e is not None else None)
        except ProblemError as err:
            raise err.quoted(("answer", i) + tuple(err.keys[1:])) from None
    return out
