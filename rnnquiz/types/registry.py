"""The registry of the question types: the one list of them, and of the calculators they offer.

Apart from the pipeline (`types.pipeline`) so that the command line can list the types and the
calculators without importing numpy (`rnnquiz --help`, shell completion).
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Mapping
from types import ModuleType

# The module of each type: the one list of the types. Imported on first use, so that a forward
# problem never pays for loading the cells, the engine or the choice type.
MODULES = {"forward": "forward", "backprop": "backprop", "vanishing": "vanishing",
           "hmm_bits": "hmm_bits", "lstm": "lstm", "gru": "gru", "gated": "gated",
           "shapes": "shapes", "choice": "choice", "clip": "clip", "perplexity": "perplexity",
           "decode": "decode", "ctc": "ctc", "attention": "attention", "bleu": "bleu"}

# `rnnquiz NAME`: the calculator a type offers, by command name (the type module's CALCULATOR
# holds the rest), so that the command line lists them without importing the types.
CALCULATORS = {"rnn": "forward", "bptt": "backprop", "vanishing": "vanishing", "hmm": "hmm_bits",
               "lstm": "lstm", "gru": "gru", "gated": "gated", "shapes": "shapes", "ctc": "ctc",
               "bleu": "bleu"}


class Registry(Mapping):
    """name -> the type's module, imported when first looked up."""

    def __getitem__(self, name: str) -> ModuleType:
        return importlib.import_module(f"{__package__}.{MODULES[name]}")

    def __iter__(self):
        return iter(MODULES)

    def __len__(self) -> int:
        return len(MODULES)

    def __contains__(self, name: object) -> bool:
        return name in MODULES


TYPES = Registry()


def calculator(name: str) -> dict:
    """The CALCULATOR of the type that offers `rnnquiz NAME` (docs/extending.md): its module's,
    or in a package its `calculator` module's (so that solving never loads it)."""
    module = TYPES[CALCULATORS[name]]
    spec = getattr(module, "CALCULATOR", None)
    if spec is None:
        spec = importlib.import_module(f"{module.__name__}.calculator").CALCULATOR
    return spec


def drawn() -> tuple[str, ...]:
    """The types `rnnquiz new` can draw: those whose module has a generator (`generate`). Their
    modules import no numpy, so that `new --help`, which names them, imports none either."""
    return tuple(t for t in TYPES if hasattr(TYPES[t], "generate"))


def conventions(name: str) -> tuple:
    """The conventions (SPEC 1.16) of a type (docs/extending.md): its module's CONVENTIONS, or
    in a package its `conventions` module's (loaded only for `--conventions`, `check` and
    `rnnquiz conventions`); a tuple or a function that returns one. () when it has none."""
    return _hook(name, "CONVENTIONS", "conventions")


def own_slips(name: str) -> tuple:
    """The slips only this type makes (docs/extending.md): its module's OWN_SLIPS, or in a
    package its `slips` module's (loaded only by `check` and `quiz`); a tuple or a function that
    returns one. () when it has none."""
    return _hook(name, "OWN_SLIPS", "slips")


@functools.cache
def _hook(name: str, attr: str, submodule: str) -> tuple:
    """The type module's `attr`, or its package's `submodule`'s; called if a function. Read
    once per type: `check` asks for them on every answer it diagnoses."""
    module = TYPES[name]
    found = getattr(module, attr, None)
    own = f"{module.__name__}.{submodule}"
    if found is None and hasattr(module, "__path__"):
        try:
            found = getattr(importlib.import_module(own), attr)
        except ModuleNotFoundError as err:
            if err.name != own:        # a module the hook imports is missing: a bug
                raise
    return tuple(found() if callable(found) else found or ())
