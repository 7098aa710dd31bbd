"""A type's conventions are found through the type registry (its module's CONVENTIONS, or its
package's `conventions` module), not from a list of type names kept elsewhere."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from rnnquiz.teaching.conventions import catalogue
from rnnquiz.types.registry import MODULES, conventions

PACKAGE = Path(__file__).resolve().parent.parent / "rnnquiz"


def _declares_conventions(module: str) -> bool:
    """From the files alone: the type's module defines CONVENTIONS, or its package has a
    conventions module."""
    folder = PACKAGE / "types" / module
    if (folder / "conventions.py").exists():
        return True
    source = folder / "__init__.py" if folder.is_dir() else folder.with_suffix(".py")
    tree = ast.parse(source.read_text(encoding="utf-8"))
    return any(isinstance(node, ast.FunctionDef) and node.name == "CONVENTIONS"
               or isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "CONVENTIONS"
                                                       for t in node.targets)
               for node in tree.body)


@pytest.mark.parametrize("name", sorted(MODULES))
def test_each_types_conventions_are_the_ones_its_own_files_declare(name):
    found = conventions(name)
    assert bool(found) == _declares_conventions(MODULES[name])
    assert all(c.id and c.topic for c in found)


def test_the_catalogue_holds_every_types_own_conventions():
    ids = {c.id for c in catalogue()}
    for name in MODULES:
        assert {c.id for c in conventions(name)} <= ids
    # the published ids of the types that have some (docs/conventions.md)
    own = {c.id for n in ("perplexity", "clip", "ctc") for c in conventions(n)}
    assert {"log2", "clip_per_tensor", "ctc_mean"} <= own


def test_the_conventions_reader_spells_no_type_name():
    tree = ast.parse((PACKAGE / "teaching" / "conventions.py").read_text(encoding="utf-8"))
    words = {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant)
             and isinstance(n.value, str)}
    assert not words & set(MODULES)
