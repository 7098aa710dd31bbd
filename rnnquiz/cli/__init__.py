"""The console script: `rnnquiz ...`.

The plain forms of `rnnquiz solve` (paths, with `--json` or `--format json|table|markdown`)
run without importing click, which costs as much as the rest of a small solve; every
other form, and anything unusual, goes to the click CLI, which gives the same results.
"""

from __future__ import annotations

import os   # loaded by the interpreter's own start-up: free
import sys

_FORMATS = ("json", "table", "markdown")


def _plain_solve(argv: list[str]) -> tuple[list[str], str] | None:
    """(paths, format) when argv is a plain `solve`, else None."""
    if len(argv) < 2 or argv[0] != "solve":
        return None
    paths, fmt = [], "table"
    rest = iter(argv[1:])
    for arg in rest:
        if arg == "--json":
            fmt = "json"
        elif arg == "--format":
            fmt = next(rest, None)
        elif arg.startswith("--format="):
            fmt = arg.split("=", 1)[1]
        elif arg == "-" or not arg.startswith("-"):
            paths.append(arg)
        else:
            return None                   # --help, --plot, --max-numbers, a typo: click
    if fmt not in _FORMATS or not paths:
        return None
    return paths, fmt


# `rnnquiz --help` exactly as click renders it at 80 columns and wider; tests/test_startup.py
# fails if the two ever differ. Shell completion and narrow terminals go to click.
TOP_HELP = """\
Usage: rnnquiz [OPTIONS] COMMAND [ARGS]...

  Solve the numeric exercises of recurrent-network courses, showing the
  working.

  rnnquiz solve problems/            every problem file in a folder
  rnnquiz solve hinton_p3 --json     a bundled problem, as JSON Lines
  rnnquiz check FILE --answer -0.36  is this answer right?
  rnnquiz rnn --inputs 9,4,-2        the calculators: rnn bptt vanishing hmm lstm ...

Options:
  -V, --version  Show the version and exit.
  -h, --help     Show this message and exit.

Commands:
  bleu         BLEU of a candidate against references (default: CS224n a4's
               c1).
  bptt         Backpropagation through time (default: Hinton's lecture 7
               problem 4).
  check        Exit 0 if ANSWER is right at the digits asked, 1 if not
               (with...
  conventions  The conventions that change an answer, and who uses each.
  ctc          CTC forward-backward, loss, gradients and decoding (default: ab
               over four frames).
  export       Write problem files as quiz questions for Moodle, Canvas or...
  gated        The MITx gated RNN's states s_t.
  gru          GRU states (convention ng, pytorch or fully_gated).
  hmm          Bits of information in a hidden state: an HMM's (log2 N) or an
               RNN's (N).
  list         The bundled problems, one line each: name, type and title.
  lstm         LSTM states, MIT notation (default: MITx homework 4, rounding
               h_t and c_t).
  new          A fresh exercise of TYPE with its question and answer, as YAML.
  probe        What an LSTM's state h_t encodes, found over all binary
               input...
  quiz         Ask the questions of problem files, read your answers, grade...
  rnn          Forward pass of a simple RNN (default: Hinton's lecture 7
               problem 3).
  schema       JSON Schema (draft 7) of the problem format, for editors'
               YAML...
  shapes       Gate dimension, weight shapes and parameter counts (default:
               deeplearning.ai Q7).
  solve        Solve problem files, folders (every *.yaml inside), '-'
               (stdin)...
  vanishing    Vanishing or exploding gradients? (default: Hinton's lecture 7
               problem 5).
  vary         Variants of exercises with new numbers, each solved and keyed.
"""


def _static(argv: list[str]) -> str | None:
    if any(k.startswith("_RNNQUIZ_COMPLETE") for k in os.environ):
        return None
    if argv in (["--version"], ["-V"]):
        from .. import __version__   # noqa: PLC0415 (--version only)
        return f"rnnquiz, version {__version__}\n"
    if argv in (["--help"], ["-h"]) and _columns() >= 80:
        return TOP_HELP
    return None


def _columns() -> int:
    """shutil.get_terminal_size().columns, as click asks it, without importing shutil
    (start-up: shutil loads re, bz2 and lzma: most of `--help`'s time beyond Python's own)."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


def main() -> None:
    from .streams import guarded, prepare   # noqa: PLC0415 (--help runs without it)
    prepare()
    guarded(_main)


def _main() -> None:
    text = _static(sys.argv[1:])
    if text is not None:
        sys.stdout.write(text)
        return
    plain = _plain_solve(sys.argv[1:])
    if plain is None:
        from .commands import main as click_main   # noqa: PLC0415 (not the plain solve)
        click_main()
        return
    from .sources import solve_sources   # noqa: PLC0415 (--help runs without it)
    from ..problem.files import expand   # noqa: PLC0415 (--help runs without it)
    from ..render import RENDERERS   # noqa: PLC0415 (--help runs without it)
    paths, fmt = plain
    sys.exit(int(solve_sources(expand(paths), RENDERERS[fmt], max_numbers=None)))
