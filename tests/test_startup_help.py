"""No command's --help imports numpy: a command's options and help text are known without the
math. A calculator's come from its type's module and `new`'s list of types from every type
module (types.registry.drawn), so a type module reads its problem (numpy, the problem package)
only when it validates or solves one.

The commands are the command line's own (click's group, and any group under it), so a new
command is covered without a line here. One fresh interpreter shows each command's help, then
the top help as printed at 100 columns and as click renders it at 60 (where it builds every
calculator to list them), and says after which help numpy was first loaded."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Runs in the fresh interpreter: each help through the console script's main, as a user runs it
SHOW_EVERY_HELP = """\
import json, os, sys
import click
from rnnquiz.cli import main
from rnnquiz.cli.commands import cli

shown = []

def show(argv, columns="100"):
    os.environ["COLUMNS"] = columns
    sys.argv = ["rnnquiz", *argv, "--help"]
    try:
        main()
    except SystemExit:
        pass
    shown.append([argv, columns, "numpy" in sys.modules])

def walk(group, prefix):
    ctx = click.Context(group, info_name=" ".join(["rnnquiz", *prefix]))
    for name in group.list_commands(ctx):
        show(prefix + [name])
        command = group.get_command(ctx, name)
        if isinstance(command, click.Group):
            walk(command, prefix + [name])

walk(cli, [])
show([])
show([], "60")
sys.stderr.write("\\n" + json.dumps([shown, sorted(sys.modules)]) + "\\n")
"""


def test_no_commands_help_imports_numpy():
    out = subprocess.run([sys.executable, "-c", SHOW_EVERY_HELP], capture_output=True,
                         text=True, cwd=ROOT, timeout=120,
                         env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)})
    assert out.returncode == 0, out.stderr[-2000:]
    shown, loaded = json.loads(out.stderr.splitlines()[-1])
    commands = [argv for argv, _, _ in shown if argv]
    from rnnquiz.types import CALCULATORS
    # the walk saw the calculators and the other commands (it is not vacuous)
    assert {argv[0] for argv in commands} > set(CALCULATORS) | {"solve", "new", "check"}
    for argv in commands:
        assert f"Usage: rnnquiz {' '.join(argv)} [OPTIONS]" in out.stdout, argv
    assert out.stdout.count("Usage: rnnquiz [OPTIONS] COMMAND [ARGS]...") == 2
    first = next((f"rnnquiz {' '.join(argv)} --help (COLUMNS={columns})"
                  for argv, columns, numpy in shown if numpy), None)
    assert first is None, f"numpy was first imported by {first}"
    assert "numpy" not in loaded
    assert not any(m.startswith(("rnnquiz.problem", "rnnquiz.trace")) for m in loaded)
    # `new --help` named the drawing types by reading every type module
    from rnnquiz.types import MODULES
    assert {f"rnnquiz.types.{m}" for m in MODULES.values()} <= set(loaded)
