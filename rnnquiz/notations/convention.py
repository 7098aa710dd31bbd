"""A convention as data: one way the same exercise is computed in another framework or course.

Each entry lives next to what it varies (the GRU's in cells/gru.py, the losses' in cells/loss.py,
the notations' in notations/conventions.py, a type's in its module) as a `CONVENTIONS` tuple;
teaching/conventions.py gathers them for `solve --conventions`, `check` and
`rnnquiz conventions`. Adding one is one entry. The entry type sits with the notations (a
course's way of writing an exercise, as a convention is a course's way of computing it) and
imports nothing of rnnquiz, so that the cells, the notations and the types may all hold entries.

A convention says whether the file is under it (`own`), whether it can put the file under it
(`applies`), and how: a changed problem (`problem`: a field replaced, no re-reading), a changed
document (`doc`: re-read, for what only the file's keys say, such as a matrix's layout), flags
the solver reads (`flags`, as the slips' `work.variants`), or a changed answer (`answer`).
"""

from __future__ import annotations

import copy
import dataclasses
from dataclasses import dataclass
from typing import Any, Callable


def _never(p) -> bool:
    return False


@dataclass(frozen=True)
class Label:
    """Words that name a convention in each problem's own symbols (Hagan's F for E), and in
    general where no problem is at hand (the reference, `rnnquiz conventions`)."""

    general: str
    of: Callable[[Any], str]         # the problem under the convention -> its words

    def __call__(self, p) -> str:
        return self.of(p)


@dataclass(frozen=True)
class Convention:
    """One convention: its stable id, the words that name it, who uses it, and how to apply it."""

    id: str
    label: Any                       # the words (p -> the words, a Label): "the weights transposed"
    topic: str                       # what it varies: "GRU update gate" (the reference's rows)
    who: tuple[str, ...] = ()        # the frameworks and courses that use it
    applies: Callable[[Any], bool] = _never      # the file can be put under it (and is not)
    own: Callable[[Any], bool] = _never          # the file is under it
    problem: Callable[[Any], Any] | None = None  # p -> the problem under the convention
    doc: Callable[[Any, dict], dict] | None = None   # (p, document) -> the document under it
    flags: frozenset = frozenset()               # read by the solvers (work.variants)
    answer: Callable[[Any, Any], Any] | None = None  # (p, answer) -> the answer under it
    reason: str = ""                 # the short clause of how it differs ("whose z ...")
    who_of: Callable[[Any], str] | None = None   # the problem under it -> whose it is
    # the slips (teaching/slips.py) that make the same change: an answer both give is the
    # convention's (SPEC 1.16)
    slips: tuple[str, ...] = ()


def with_fields(p, **changes):
    """The problem with some fields replaced (its published answer dropped: nothing to compare)."""
    return dataclasses.replace(p, answer=None, **changes)


def with_detail(p, **changes):
    """The problem with fields of its type's `detail` replaced (clip, ctc, decode, bleu)."""
    d = p.detail
    if dataclasses.is_dataclass(d):
        try:
            d = dataclasses.replace(d, **changes)
        except (TypeError, ValueError):
            d = copy.copy(d)
            for k, v in changes.items():
                object.__setattr__(d, k, v)
    return with_fields(p, detail=d)


def with_params(p, change: Callable[[dict], dict]):
    """The problem whose cell reads changed canonical parameters (one bias where two were
    given): the notation's mapping wrapped, the file's keys untouched."""
    net = p.network
    if net is None:
        return None
    n = net.notation
    inner = n.canonical

    def canonical(params, sizes):
        return change({**params, **inner(params, sizes)})
    notation = dataclasses.replace(n, canonical=canonical)
    return with_fields(p, network=dataclasses.replace(net, notation=notation))


def with_t(p, t: int):
    """The problem asking step t instead (its numbering unchanged)."""
    return with_fields(p, ask=dataclasses.replace(p.ask, t=t))
