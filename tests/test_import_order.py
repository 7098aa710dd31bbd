"""The package's folders import one way, from the command line down to the math (issue 24):
no import between folders runs back up, deferred imports inside functions included."""

from __future__ import annotations

from test_structure import import_graph

# ground first; a folder may import its own level and those below it
ORDER = (("rnnquiz.errors", "rnnquiz.trace"), ("rnnquiz.notations",), ("rnnquiz.cells",),
         ("rnnquiz.problem",), ("rnnquiz.render",), ("rnnquiz.types",), ("rnnquiz.teaching",),
         ("rnnquiz",), ("rnnquiz.cli",), ("rnnquiz.__main__",))


def level(module: str) -> int:
    """The level of the folder (or top-level module) a module belongs to."""
    parts = module.split(".")
    home = ".".join(parts[:2]) if len(parts) > 1 else module
    return next(i for i, group in enumerate(ORDER) if home in group)


def test_every_import_between_folders_runs_down():
    up = sorted(f"{a} -> {b}" for a, deps in import_graph().items() for b in deps
                if level(b) > level(a))
    assert up == []


def test_the_exception_type_imports_nothing_of_the_package():
    assert import_graph().get("rnnquiz.errors", set()) == set()
