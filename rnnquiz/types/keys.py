"""The keys each problem type takes (SPEC 1): each type module's `KEYS` (its top-level keys),
built from the shared sets here. The loader checks a file's keys against them, the schema lists
them, and the advice on an error says which type a misplaced key belongs to.

Nothing of the package is imported at module level (the type modules import this one for the
shared sets); `KEYS[name]` imports the type's module on first look-up, so the advice, which every
error passes through, reaches the registry only when it asks.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping

COMMON = frozenset({"type", "title", "source", "answer", "ask", "question"})  # question: quiz
NET = frozenset({"network", "inputs", "round", "notation", "batch", "bidirectional", "readout",
                 "layout", "tie"})   # tie: one parameter used in several places (SPEC 1.15)
GRAD = frozenset({"cell", "targets", "loss", "given", "convention", "reduction", "mask",
                  "upstream", "clip", "truncate", "feedback"})


class _Keys(Mapping):
    """name -> the type's `KEYS`, in the registry's order, read from its module on demand."""

    def _types(self):
        return importlib.import_module("rnnquiz.types")

    def __getitem__(self, name: str) -> frozenset[str]:
        return frozenset(self._types().TYPES[name].KEYS)

    def __iter__(self):
        return iter(self._types().MODULES)

    def __len__(self) -> int:
        return len(self._types().MODULES)


KEYS: Mapping[str, frozenset[str]] = _Keys()
