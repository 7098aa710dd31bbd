"""The registries find their members by name without importing them all: each table (notation,
cell, solver -> module) says what the modules themselves define, so it cannot drift."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "rnnquiz"


def fresh(code: str):
    """What `code` prints as JSON, run in a new interpreter (nothing imported before it)."""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                         env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)})
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def _modules(folder: str) -> list[str]:
    return sorted(p.stem for p in (PACKAGE / folder).glob("*.py") if p.stem != "__init__")


def test_every_notation_module_registers_exactly_the_tables_pairs():
    registered = fresh(
        "import importlib, json, rnnquiz.notations as N\n"
        f"for m in {_modules('notations')!r}:\n"
        "    importlib.import_module('rnnquiz.notations.' + m)\n"
        "print(json.dumps(sorted(N.NOTATIONS.loaded)))")
    from rnnquiz.notations import MODULES
    assert sorted(map(tuple, registered)) == sorted(MODULES)


@pytest.mark.parametrize("module", sorted(set(__import__("rnnquiz.notations").notations
                                               .MODULES.values())))
def test_a_notations_module_alone_registers_its_pairs(module):
    from rnnquiz.notations import MODULES
    loaded = fresh(
        "import importlib, json, rnnquiz.notations as N\n"
        f"importlib.import_module('rnnquiz.notations.{module}')\n"
        "print(json.dumps(sorted(N.NOTATIONS.loaded)))")
    mine = {k for k, m in MODULES.items() if m == module}
    assert mine <= set(map(tuple, loaded))


def test_looking_up_one_notation_imports_its_module_only():
    loaded = fresh(
        "import json, sys\n"
        "from rnnquiz.notations import NOTATIONS, notation_for, notation_names\n"
        "names = notation_names('lstm')\n"
        "n = notation_for('lstm', 'keras')\n"
        "missing = notation_for('lstm', 'hinton')\n"
        "print(json.dumps([names, n.name, missing, len(NOTATIONS),\n"
        "    sorted(m for m in sys.modules if m.startswith('rnnquiz.notations.'))]))")
    names, name, missing, count, modules = loaded
    assert names == ["cs231n", "d2l", "deeplearning_ai", "goodfellow", "keras", "mit", "pytorch",
                     "slp"]
    from rnnquiz.notations import MODULES
    assert (name, missing, count) == ("keras", None, len(MODULES))
    assert modules == ["rnnquiz.notations.keras", "rnnquiz.notations.layouts"]


def test_an_unknown_pair_is_a_key_error_as_in_a_dict():
    from rnnquiz.notations import NOTATIONS
    with pytest.raises(KeyError):
        NOTATIONS[("rnn", "no such course")]
    assert ("rnn", "no such course") not in NOTATIONS


def test_every_cell_module_defines_the_cell_the_table_names():
    from rnnquiz.cells import CELLS, cell_for
    defining = sorted(m for m in _modules("cells")
                      if any(isinstance(n, ast.Assign) and any(getattr(t, "id", "") == "CELL"
                                                               for t in n.targets)
                             for n in ast.parse((PACKAGE / "cells" / f"{m}.py").read_text()).body))
    assert defining == sorted(CELLS.values())
    for name in CELLS:
        assert cell_for(name).name == name


def test_every_type_module_is_the_type_the_table_names():
    from rnnquiz.types import MODULES
    modules = {p.stem if p.name != "__init__.py" else p.parent.name
               for p in (PACKAGE / "types").glob("**/*.py")
               if "NAME = " in p.read_text(encoding="utf-8")}
    assert modules == set(MODULES.values())
    registered = fresh(
        "import json, sys\n"
        "from rnnquiz.types import MODULES, TYPES\n"
        "out = {}\n"
        "for t in MODULES:\n"
        "    m = TYPES[t]\n"
        "    out[t] = [m.NAME, callable(m.validate), callable(m.solve)]\n"
        "print(json.dumps(out))")
    assert registered == {t: [t, True, True] for t in MODULES}


def test_looking_up_one_type_imports_its_module_only():
    loaded = fresh(
        "import json, sys\n"
        "from rnnquiz.types import TYPES\n"
        "TYPES['lstm']\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('rnnquiz.types.'))))")
    assert loaded == ["rnnquiz.types.hooks", "rnnquiz.types.keys", "rnnquiz.types.lstm",
                      "rnnquiz.types.registry"]


def test_the_types_and_calculators_are_listed_without_numpy():
    loaded = fresh(
        "import json, sys\n"
        "from rnnquiz.types import CALCULATORS, MODULES\n"
        "print(json.dumps([len(MODULES), len(CALCULATORS), 'numpy' in sys.modules]))")
    assert loaded == [15, 10, False]


def test_each_calculator_is_its_types_own():
    from rnnquiz.types import CALCULATORS, calculator
    for name, ptype in CALCULATORS.items():
        spec = calculator(name)
        assert spec["name"] == name and spec["seed"]["type"] == ptype, name


def test_every_type_says_where_an_export_files_it():
    from rnnquiz.types import TYPES
    topics = {t: getattr(TYPES[t], "TOPIC", None) for t in TYPES}
    assert all(isinstance(v, str) and v for v in topics.values()), topics
    assert len(set(topics.values())) == len(topics)
