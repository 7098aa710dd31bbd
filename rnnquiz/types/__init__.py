"""The question types: one module each, found by name (`types.registry`), and the pipeline
that solves any of them (`types.pipeline`).

`TYPES[name]` is the type's module, imported on first use (a solve imports its own type's
module only); docs/extending.md lists what a type module defines. The pipeline's names
(`solve`, `from_dict`, `load_text`, `load_path`, `Outcome`, ...) are read from here too,
imported on first use, so that the command line lists the types and the calculators without
importing numpy (`rnnquiz --help`, shell completion).
"""

from __future__ import annotations

from .registry import CALCULATORS, MODULES, TYPES, Registry, calculator   # noqa: F401


# the pipeline's names, read from here by the type modules and the command line
_PIPELINE = {"solve", "from_dict", "load_text", "load_path", "locate", "advising", "LONG", "HEAD",
             "TAIL"}
_HOOKS = {"Outcome", "cell_forward", "method_hooks"}


def __getattr__(name: str):
    if name in _PIPELINE:
        from . import pipeline   # noqa: PLC0415 (start-up: numpy, only when a problem is read)
        return getattr(pipeline, name)
    if name in _HOOKS:
        from . import hooks   # noqa: PLC0415 (start-up: as the pipeline's)
        return getattr(hooks, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
