"""An error is advised once, where it leaves the library (issue 24: no state filled by
importing a module): errors.py holds no hook another module sets, an error raised below the
boundary reads as written, and the pipeline, the API and an error quoted on the way up give
the advice of the key path where each was raised."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import rnnquiz
from conftest import PROBLEMS
from rnnquiz import errors
from rnnquiz.errors import ProblemError

PACKAGE = Path(rnnquiz.__file__).resolve().parent
H0 = ("unknown key for the rnn cell in hinton notation; expected one of W_xh, W_hh, W_hy, b_h, "
      "b_y, h_init, hidden, output, embedding, W_yh, y_init")


def _assigned_attributes(tree: ast.Module) -> list[str]:
    """`module.name = ...` (or setattr(module, ...)) run at import: at the top level of a
    module, where `module` is a name its imports bound."""
    imported = {a.asname or a.name.split(".")[0] for node in tree.body
                if isinstance(node, (ast.Import, ast.ImportFrom)) for a in node.names}
    found = []
    for node in tree.body:
        targets = []
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        for t in targets:
            if isinstance(t, ast.Attribute) and isinstance(t.value, ast.Name) \
                    and t.value.id in imported:
                found.append(f"{t.value.id}.{t.attr}")
        call = node.value if isinstance(node, ast.Expr) else None
        if isinstance(call, ast.Call) and getattr(call.func, "id", None) == "setattr":
            found.append(ast.unparse(call))
    return found


def test_no_module_sets_another_modules_names_at_import():
    bad = {str(f.relative_to(PACKAGE)): hits for f in sorted(PACKAGE.rglob("*.py"))
           if (hits := _assigned_attributes(ast.parse(f.read_text(encoding="utf-8"))))}
    assert bad == {}


def test_the_scan_finds_the_hook_it_forbids():
    hook = "from . import errors\n\ndef _advise(r, k):\n    return r\n\nerrors.advice = _advise\n"
    assert _assigned_attributes(ast.parse(hook)) == ["errors.advice"]


def test_the_error_module_holds_only_its_own_callables():
    strangers = {name: getattr(v, "__module__", None) for name, v in vars(errors).items()
                 if callable(v) and not name.startswith("__")
                 and getattr(v, "__module__", None) not in ("rnnquiz.errors", "builtins")}
    assert strangers == {}


def test_an_error_reads_as_written_until_it_leaves():
    err = ProblemError(H0, keys=("network", "h0"))
    assert not err.advised and "did you mean" not in str(err)
    from rnnquiz.types.pipeline import advising
    with pytest.raises(ProblemError) as left, advising():
        raise err
    assert left.value.advised
    assert str(left.value) == f"network.h0: {H0}; did you mean h_init (the initial state)?"
    assert left.value.keys == ("network", "h0") and left.value.reason.endswith("(the initial state)?")


def test_a_quoted_error_keeps_the_advice_of_its_own_key_path():
    from rnnquiz.types.advice import advised
    inner = ProblemError("expected a number, got '0,5'", keys=("network", "W_hh"))
    outer = inner.quoted(("network", "W"), "as W_hh (tie.W): ")
    assert outer.reason == "as W_hh (tie.W): expected a number, got '0,5'"
    assert str(advised(outer)) == ("network.W: as W_hh (tie.W): expected a number, got '0,5'; "
                                   "use a dot for decimals: 0.5")


def test_a_located_error_is_advised_once():
    from rnnquiz.types.advice import advised
    err = ProblemError(H0, keys=("network", "h0")).located(file="f.yaml", line=6)
    once = advised(err)
    assert str(once) == f"f.yaml:6: network.h0: {H0}; did you mean h_init (the initial state)?"
    assert advised(once) is once and advised(once.located(file="g.yaml")).reason == once.reason


def test_the_api_advises_a_misspelled_key(tmp_path):
    f = tmp_path / "h0.yaml"
    f.write_text("type: forward\ninputs: [1, 0]\nnetwork:\n  W_xh: 1\n  W_hh: 1\n  h0: 0\n",
                 encoding="utf-8")
    with pytest.raises(ProblemError) as err:
        rnnquiz.load(f)
    assert str(err.value) == f"{f}:6: network.h0: {H0}; did you mean h_init (the initial state)?"
    # a gradient keyed by delay: the error of its entry [1], quoted by the answer's
    problem = rnnquiz.load(PROBLEMS / "hagan_sse_gradient.yaml")[0]
    with pytest.raises(ProblemError) as err:
        rnnquiz.check(problem, "{1: one}")
    assert str(err.value) == ("answer: [1]: expected a number or a list of numbers (or of lists), "
                              "got 'one'; write it as a number: 1")
