"""The README's test command in a venv without PyTorch: every test that needs torch skips
with the reason and nothing else is skipped; with RNNQUIZ_REQUIRE_ORACLES set (CI) such a
skip is a failure instead. Collection runs in a subprocess where torch cannot be imported."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
import textwrap

import pytest
from conftest import ROOT

# Oracles the test extra does not install: a test file may only reach them through
# pytest.importorskip, so that the suite collects and passes where they are missing.
OPTIONAL = ("torch", "tensorflow", "keras", "jax", "nltk", "sacrebleu", "scipy", "sklearn",
            "pandas")

BLOCKER = textwrap.dedent(f"""
    import sys
    BLOCKED = {OPTIONAL!r}

    class Blocker:
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in BLOCKED:
                raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
            return None

    sys.meta_path.insert(0, Blocker())
""")


def _test_files():
    return sorted((ROOT / "tests").glob("test_*.py"))


def _is_importorskip(call, module) -> bool:
    return (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
            and call.func.attr == "importorskip" and bool(call.args)
            and isinstance(call.args[0], ast.Constant)
            and str(call.args[0].value).split(".")[0] == module)


def _imported_by_skip(tree_or_func, module) -> bool:
    """Whether `module = pytest.importorskip("module")` is among these statements."""
    body = tree_or_func.body
    return any(isinstance(s, ast.Assign) and _is_importorskip(s.value, module) for s in body)


def _binds(func, module) -> bool:
    """Whether the function's own body binds the name (`torch = pytest.importorskip(...)`, or
    `torch, params = helper()` from a helper that does)."""
    own = [n for s in func.body for n in ast.walk(s)]
    return (any(isinstance(n, ast.Name) and n.id == module and isinstance(n.ctx, ast.Store)
                for n in own)
            or any(a.arg == module for a in func.args.args + func.args.kwonlyargs))


def _unguarded_uses(node, module, name, bound) -> list[str]:
    """Functions that read the module's name where neither they nor a function around them
    bound it."""
    found = []
    for child in ast.iter_child_nodes(node):
        if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
            here = bound or _binds(child, module)
            if not bound and any(_reads_outside_functions(d, module)
                                 for d in child.decorator_list):
                found.append(f"{name}:{child.lineno}: {module} read at import")
            reads = any(isinstance(n, ast.Name) and n.id == module
                        and isinstance(n.ctx, ast.Load)
                        for s in child.body for n in ast.walk(s))
            if reads and not here:
                found.append(f"{name}:{child.lineno}: {child.name} uses {module} without "
                             "pytest.importorskip")
            else:
                found += _unguarded_uses(child, module, name, here)
        elif not bound and _reads_outside_functions(
                child, module):
            found.append(f"{name}:{child.lineno}: {module} read at import")
        else:
            found += _unguarded_uses(child, module, name, bound)
    return found


def _reads_outside_functions(node, module) -> bool:
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return False
    if isinstance(node, ast.Name):
        return node.id == module and isinstance(node.ctx, ast.Load)
    return any(_reads_outside_functions(c, module) for c in ast.iter_child_nodes(node))


def _optional_oracle_misuses(path) -> list[str]:
    text = path.read_text()
    if not any(module in text for module in OPTIONAL):
        return []
    tree = ast.parse(text, filename=str(path))
    found = []
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names = [node.module]
        for name in names:
            if name.split(".")[0] in OPTIONAL:
                found.append(f"{path.name}:{node.lineno}: `import {name}` "
                             "(use pytest.importorskip)")
    for module in OPTIONAL:
        if module not in text:
            continue
        if _imported_by_skip(tree, module):
            # the whole file skips at import: run alone it collects nothing, pytest's exit 5
            found.append(f"{path.name}: pytest.importorskip({module!r}) at the top of the file "
                         "(take it in each test that needs it)")
        else:
            found += _unguarded_uses(tree, module, path.name, bound=False)
    return found


def test_no_test_file_imports_an_optional_oracle_outright():
    # a test that reaches torch must skip without it, never fail to import or to run, and
    # only that test: not the whole file
    found = [m for path in _test_files() for m in _optional_oracle_misuses(path)]
    assert found == []


def test_the_misuse_check_sees_a_bare_import_and_an_unguarded_use(tmp_path):
    bad = tmp_path / "test_bad.py"
    bad.write_text("import pytest\n\ndef test_a():\n    import torch\n\n"
                   "def test_b():\n    return torch.zeros(1)\n\n"
                   "def test_c():\n    torch = pytest.importorskip('torch')\n\n"
                   "    def inner():\n        return torch.ones(1)\n\n"
                   "    inner()\n\n"
                   "F = torch.nn.functional\n\n"
                   "@pytest.mark.parametrize('m', [torch.nn.RNN])\n"
                   "def test_d(m):\n    torch = pytest.importorskip('torch')\n")
    found = _optional_oracle_misuses(bad)
    assert [f.split(":")[1] for f in found] == ["4", "6", "17", "20"], found
    whole = tmp_path / "test_whole.py"
    whole.write_text("import pytest\n\ntorch = pytest.importorskip('torch')\n\n\n"
                     "def test_e():\n    torch.ones(1)\n")
    assert [f.split(":")[1] for f in _optional_oracle_misuses(whole)] == [
        " pytest.importorskip('torch') at the top of the file (take it in each test that needs it)"]


def _pytest_without_optional(tmp_path, *args, require=False, cwd=ROOT):
    """`python -m pytest ARGS` where no optional oracle can be imported."""
    (tmp_path / "no_optional_oracles.py").write_text(BLOCKER)
    # the README's command as it is: not CI's options (its --basetemp is this run's own)
    env = {k: v for k, v in os.environ.items()
           if k not in ("RNNQUIZ_REQUIRE_ORACLES", "PYTEST_ADDOPTS")}
    env["PYTHONPATH"] = os.pathsep.join([str(tmp_path), str(ROOT / "tests"), str(ROOT)])
    if require:
        env["RNNQUIZ_REQUIRE_ORACLES"] = "1"
    p = subprocess.run([sys.executable, "-m", "pytest", "-p", "no_optional_oracles",
                        "-p", "no:cacheprovider", "-q", "-rs", *args],
                       cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    return p.returncode, p.stdout + p.stderr


def test_the_suite_collects_without_torch_and_skips_nothing_there(tmp_path):
    # the README's `pytest`, collection only: every torch test is collected, to skip when run
    code, out = _pytest_without_optional(tmp_path, "--collect-only")
    assert code == 0, out
    assert re.fullmatch(r"\d+ tests collected in [\d.]+s", out.strip().splitlines()[-1]), out
    assert not [line for line in out.splitlines() if line.startswith(("ERROR", "SKIPPED"))], out


SAMPLE = """\
import pytest


def test_needs_torch():
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle of this test")
    assert torch.ones(1).item() == 1


def test_needs_nothing():
    assert 1 + 1 == 2
"""


@pytest.mark.parametrize("require", [False, True])
def test_a_test_that_needs_torch_skips_and_ci_makes_that_a_failure(tmp_path, require):
    # the conftest's hook on a test of its own; RNNQUIZ_REQUIRE_ORACLES is what CI sets
    (tmp_path / "test_sample.py").write_text(SAMPLE)
    code, out = _pytest_without_optional(tmp_path, "-p", "conftest", "test_sample.py",
                                         require=require, cwd=tmp_path)
    if require:
        assert code == 1, out
        assert "1 failed, 1 passed" in out, out
        assert "RNNQUIZ_REQUIRE_ORACLES is set, yet this skipped: PyTorch is the oracle" in out
    else:
        assert code == 0, out
        assert "1 passed, 1 skipped" in out, out
        assert "SKIPPED [1] test_sample.py:5: PyTorch is the oracle of this test" in out, out


WHOLE = """\
import pytest

torch = pytest.importorskip("torch", reason="PyTorch is the oracle of these tests")


def test_needs_torch():
    assert torch.ones(1).item() == 1
"""


@pytest.mark.parametrize("require", [False, True])
def test_a_file_that_skips_whole_is_exit_5_alone_and_a_failure_in_ci(tmp_path, require):
    # why each test takes torch itself: a file skipped at import collects nothing (pytest's
    # exit 5, "no tests ran"); under RNNQUIZ_REQUIRE_ORACLES the skip fails the collection
    (tmp_path / "test_whole.py").write_text(WHOLE)
    (tmp_path / "test_sample.py").write_text(SAMPLE.replace("def test_needs_nothing", "def _x"))
    code, out = _pytest_without_optional(tmp_path, "-p", "conftest", "test_whole.py",
                                         require=require, cwd=tmp_path)
    if require:
        assert code == 2 and "RNNQUIZ_REQUIRE_ORACLES is set, yet this skipped" in out, out
    else:
        assert code == 5 and "1 skipped" in out, out
    # the same test taking torch inside: collected, skipped, exit 0
    code, out = _pytest_without_optional(tmp_path, "-p", "conftest", "test_sample.py",
                                         cwd=tmp_path)
    assert code == 0 and "1 skipped" in out, out
