"""What a slip is: `Slip` (its id, its words, how it is committed where it applies) and
`Variant` (one way to commit it on a problem). The catalogue (teaching/slips.py) holds the
slips every network type shares and gathers each type's own (its `OWN_SLIPS`,
docs/extending.md); `check` (teaching/diagnosis.py) runs the variants. Here, below the types,
so that a type defines its own slips without importing teaching/. Imported only where slips
are looked for, never by a plain solve."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable


@dataclass(frozen=True)
class Variant:
    """One way to commit a slip: change the document, set flags, change the answer."""

    slip: str
    detail: str = ""
    doc: Callable[[dict], dict] | None = None
    flags: frozenset = frozenset()
    answer: Callable | None = None
    # slip id -> (cell, {method: replacement}): the cell methods the slip replaces
    overrides: dict | None = field(default=None, compare=False, hash=False)


@dataclass(frozen=True)
class Slip:
    """A slip students make: its id, its words, and its variants on a problem (none where it
    does not apply)."""

    id: str
    explanation: str
    variants: Callable = field(repr=False)      # (problem) -> list[Variant]


def flagged(slip: str, applies: Callable, detail: str = "") -> Callable:
    """The variants of a slip the type's solver commits itself when `work.variants` names it
    (the flag is the slip's id), where `applies(p)`."""
    return lambda p: [Variant(slip, detail, flags=frozenset({slip}))] if applies(p) else []
