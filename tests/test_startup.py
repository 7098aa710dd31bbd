"""Start-up: what each path imports, and the fast paths agree with the click CLI."""

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from rnnquiz.cli.commands import cli
from rnnquiz.cli import TOP_HELP, _plain_solve

ROOT = Path(__file__).resolve().parent.parent


def modules_after(*argv: str) -> set[str]:
    code = ("import sys; sys.argv = ['rnnquiz', *sys.argv[1:]]\n"
            "from rnnquiz.cli import main\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "sys.stderr.write(' '.join(sorted(sys.modules)))\n")
    out = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True,
                         cwd=ROOT, env={"COLUMNS": "100", "PATH": "/usr/bin:/bin"})
    return set(out.stderr.split())


def test_help_and_version_import_nothing_heavy():
    for argv in (["--help"], ["--version"], ["solve", "--help"]):
        loaded = modules_after(*argv)
        assert "numpy" not in loaded and "rich" not in loaded, argv


def test_a_calculators_help_loads_its_own_type_only():
    # the calculator is its type's (its seed, options and help live in the type's module), so
    # its --help loads that type, but no other type and not rich (nor numpy: the type reads a
    # problem only when it solves one; tests/test_startup_help.py)
    loaded = modules_after("lstm", "--help")
    types = {m for m in loaded if m.startswith("rnnquiz.types.")}
    assert types == {"rnnquiz.types.hooks", "rnnquiz.types.keys", "rnnquiz.types.lstm",
                     "rnnquiz.types.registry"}
    assert "rich" not in loaded


def test_json_path_never_imports_rich():
    loaded = modules_after("solve", "problems/hinton_p3.yaml", "--json")
    assert "numpy" in loaded and "rich" not in loaded and "click" not in loaded


def test_static_help_is_clicks_help():
    # click wraps help at min(terminal, 80) - 2 columns
    r = CliRunner().invoke(cli, ["--help"], prog_name="rnnquiz", terminal_width=78)
    assert r.stdout == TOP_HELP


def test_fast_solve_path_equals_the_click_command():
    folder = str(ROOT / "problems")
    fast = subprocess.run([sys.executable, "-m", "rnnquiz", "solve", folder, "--json"],
                          capture_output=True, text=True, cwd=ROOT)
    slow = CliRunner().invoke(cli, ["solve", folder, "--json"])
    assert fast.returncode == slow.exit_code == 0
    assert [json.loads(x) for x in fast.stdout.splitlines()] == \
        [json.loads(x) for x in slow.stdout.splitlines()]


def test_only_plain_solves_take_the_fast_path():
    assert _plain_solve(["solve", "a.yaml", "--json"]) == (["a.yaml"], "json")
    assert _plain_solve(["solve", "-", "--format", "markdown"]) == (["-"], "markdown")
    for argv in (["solve"], ["solve", "a", "--plot", "x.png"], ["solve", "a", "--help"],
                 ["solve", "a", "--format", "latex"], ["check", "a"], ["solve", "a", "--jsn"]):
        assert _plain_solve(argv) is None, argv
