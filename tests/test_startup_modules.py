"""What a plain solve loads: the modules of rnnquiz a forward pass needs and nothing else, so a
new notation, cell or problem type never costs the others' start-up (benchmarks/startup.py
prints each module's import time when this list has to grow)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# every plain `solve FILE`: read, validate, solve, compare with the published answer
SOLVE = {"rnnquiz", "rnnquiz.errors", "rnnquiz.cli", "rnnquiz.cli.streams", "rnnquiz.cli.sources",
         "rnnquiz.problem.files", "rnnquiz.problem.yamlio", "rnnquiz.problem", "rnnquiz.problem.values",
         "rnnquiz.problem.network", "rnnquiz.notations", "rnnquiz.cells", "rnnquiz.types",
         "rnnquiz.problem.answers", "rnnquiz.trace.rounding", "rnnquiz.trace", "rnnquiz.render",
         "rnnquiz.trace.numbers", "rnnquiz.types.keys", "rnnquiz.types.pipeline", "rnnquiz.types.hooks",
         "rnnquiz.types.registry",
         "rnnquiz.problem.limits"}     # the work and memory limits, checked before solving
# a forward pass of one cell over a sequence, with the working (its network's keys read by
# problem.network_keys, which the types without a network never load)
RUN = {"rnnquiz.cells.run", "rnnquiz.cells.named", "rnnquiz.cells.base",
       "rnnquiz.cells.activations", "rnnquiz.cells.batch_form", "rnnquiz.problem.network_keys",
       "rnnquiz.cells.readout"}     # y_t = output(W_hy h_t + b_y), once for every runner
FORMAT = {"json": {"rnnquiz.render.jsonl"},
          "table": {"rnnquiz.render.table", "rnnquiz.render.working"}}
# the file -> what its type, notation and cell add
PROBLEMS = {
    "hinton_p3.yaml": {"rnnquiz.notations.hinton", "rnnquiz.types.forward",
                       "rnnquiz.cells.rnn", "rnnquiz.cells.jacobians"} | RUN,
    "mit_lstm_states_1.yaml": {"rnnquiz.notations.mit", "rnnquiz.types.lstm",
                               "rnnquiz.cells.lstm"} | RUN,
    "karpathy_min_char_rnn.yaml": {"rnnquiz.notations.karpathy", "rnnquiz.notations.layouts",
                                   "rnnquiz.types.forward", "rnnquiz.cells.rnn",
                                   "rnnquiz.cells.jacobians"} | RUN,
}
# beyond numpy's own imports, a solve may load these libraries (and their parts) only
LIBRARIES = ("import __future__, numpy, yaml, json, dataclasses, signal, errno, "
             "encodings.utf_8_sig")


def modules_after(*argv: str, before: str = "") -> set[str]:
    """The modules loaded by `rnnquiz ARGV` in a fresh interpreter (`before` run first and its
    modules left out)."""
    code = (f"{before}\nimport sys\nseen = set(sys.modules)\n"
            "sys.argv = ['rnnquiz', *sys.argv[1:]]\n"
            "from rnnquiz.cli import main\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "sys.stderr.write(' '.join(sorted(set(sys.modules) - seen)))\n")
    out = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True,
                         cwd=ROOT, env={"COLUMNS": "100", "PATH": "/usr/bin:/bin",
                                        "PYTHONPATH": str(ROOT)})
    assert out.stdout, out.stderr
    return set(out.stderr.split())


@pytest.mark.parametrize("fmt", ["json", "table"])
@pytest.mark.parametrize("name", sorted(PROBLEMS))
def test_a_plain_solve_loads_only_the_modules_it_uses(name, fmt):
    argv = ["solve", f"problems/{name}"] + (["--json"] if fmt == "json" else [])
    ours = {m for m in modules_after(*argv) if m.split(".")[0] == "rnnquiz"}
    allowed = SOLVE | FORMAT[fmt] | PROBLEMS[name]
    assert ours - allowed == set(), "loaded for nothing: see benchmarks/startup.py"
    assert allowed - ours == set(), "no longer loaded: take them off the lists here"


@pytest.mark.parametrize("name", sorted(PROBLEMS))
def test_json_loads_no_library_beyond_numpy_yaml_and_json(name):
    others = {m for m in modules_after("solve", f"problems/{name}", "--json", before=LIBRARIES)
              if m.split(".")[0] != "rnnquiz"}
    assert others == set()


def test_the_table_loads_rich_but_not_click_pathlib_or_shutil():
    loaded = modules_after("solve", "problems/hinton_p3.yaml")
    assert "rich.table" in loaded
    # rich's emoji table loads only if a str (not a Text) goes into the table
    assert not {"click", "pathlib", "shutil", "rnnquiz.problem.stacks", "rnnquiz.teaching.slips",
                "rich._emoji_codes"} & loaded


def test_help_loads_four_small_modules():
    loaded = modules_after("--help")
    assert {m for m in loaded if m.split(".")[0] == "rnnquiz"} == {
        "rnnquiz", "rnnquiz.errors", "rnnquiz.cli", "rnnquiz.cli.streams"}
    assert loaded - {"rnnquiz", "rnnquiz.errors", "rnnquiz.cli", "rnnquiz.cli.streams",
                     "__future__", "errno"} == set()


def test_every_dataclass_a_solve_creates_has_its_own_docstring():
    # without one, @dataclass writes it with inspect.signature at every start-up
    code = ("import dataclasses, sys\n"
            "sys.argv = ['rnnquiz', 'solve', 'problems/hinton_p3.yaml']\n"
            "from rnnquiz.cli import main\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "for name, m in list(sys.modules.items()):\n"
            "    for v in list(vars(m).values()) if name.startswith('rnnquiz') else ():\n"
            "        if dataclasses.is_dataclass(v) and isinstance(v, type) \\\n"
            "                and (v.__doc__ or '').startswith(v.__name__ + '('):\n"
            "            sys.stderr.write(v.__module__ + '.' + v.__name__ + ' ')\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                         env={"COLUMNS": "100", "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)})
    assert out.stdout and out.stderr == ""


def _network_documents():
    from rnnquiz.problem.yamlio import parse_documents
    from rnnquiz.types import TYPES
    for path in sorted((ROOT / "problems").glob("*.yaml")):
        for data in parse_documents(path.read_text(encoding="utf-8"), str(path)):
            if isinstance(data, dict) and getattr(TYPES.get(data.get("type")), "NETWORK", False):
                yield path.name, data


def test_every_bundled_stack_is_one_the_loader_looks_for():
    # problem.py imports stacks.py only where may_be_stack says a file can be one
    from rnnquiz.problem import stacks
    from rnnquiz.notations import notation_for
    from rnnquiz.problem.network_keys import may_be_stack
    from rnnquiz.types import from_dict
    seen = 0
    for name, data in _network_documents():
        p = from_dict(data)
        notation = notation_for(p.cell, data.get("notation"))
        stacked = p.stack is not None
        assert stacked <= may_be_stack(data, notation), name
        assert stacks.is_stack(None, data, notation) <= may_be_stack(data, notation), name
        seen += stacked
    assert seen >= 5
