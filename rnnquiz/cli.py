"""The command line: click only. Options -> problems -> solve -> render; errors -> exit codes.

Everything heavy (numpy, rich, the solvers) is imported inside the commands, so
`rnnquiz --help`, `--version` and shell completion stay near click's own cost.
"""

from __future__ import annotations

import os
import sys
from enum import IntEnum

import click

from . import __version__
from .errors import ProblemError

FORMATS = ("table", "json", "markdown", "latex", "dot")


class Exit(IntEnum):
    """Exit statuses are part of the interface (SPEC 4)."""

    OK = 0            # solved; every published answer present agrees
    DISAGREES = 1     # solved, but a published answer disagrees (or `check` got a wrong answer)
    BAD_INPUT = 2     # bad input or usage: nothing solved for that input


def _error(message: str) -> None:
    click.echo(f"error: {message}", err=True)


def _debug() -> bool:
    return bool(os.environ.get("RNNQUIZ_DEBUG"))


def _internal(where: str, err: BaseException) -> str:
    if isinstance(err, MemoryError):
        return f"{where}: out of memory (the problem is too large for this machine)"
    if isinstance(err, RecursionError):
        return f"{where}: nested too deeply"
    return (f"{where}: internal error ({type(err).__name__}: {err}); "
            "please report it with the file (RNNQUIZ_DEBUG=1 shows the traceback)")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="rnnquiz")
def cli() -> None:
    """Solve the numeric exercises of recurrent-network courses, showing the working.

    \b
    rnnquiz solve problems/            every problem file in a folder
    rnnquiz solve hinton_p3 --json     a bundled problem, as JSON Lines
    rnnquiz check FILE --answer -0.36  is this answer right?
    rnnquiz rnn --inputs 9,4,-2        the calculators: rnn bptt vanishing hmm lstm ...
    """


def main() -> None:
    cli(prog_name="rnnquiz")


# ---------------------------------------------------------------- solve

def format_option(fn):
    fn = click.option("--json", "as_json", is_flag=True, help="JSON Lines (same as --format json).")(fn)
    fn = click.option("--format", "fmt", type=click.Choice(FORMATS), default="table",
                      show_default=True, help="How to show the working.")(fn)
    return fn


def _renderer(fmt: str, as_json: bool):
    from .render import RENDERERS   # noqa: PLC0415
    name = "json" if as_json else fmt
    if name not in RENDERERS:
        raise click.UsageError(f"--format {name} is not available in this version; "
                               f"choose one of {', '.join(sorted(RENDERERS))}")
    return RENDERERS[name]


def solve_sources(sources: list[str], render, *, max_numbers: int | None) -> Exit:
    """Load, solve and render each source in turn; one bad source does not stop the others."""
    from .files import read_source   # noqa: PLC0415
    from .problem import load_text, locate   # noqa: PLC0415
    from .solvers import solve as solve_problem   # noqa: PLC0415
    from .yamlio import MAX_NUMBERS   # noqa: PLC0415

    worst = Exit.OK
    out = sys.stdout
    for src in sources:
        try:
            name, text = read_source(src)
            problems = load_text(text, name, max_numbers=max_numbers or MAX_NUMBERS)
            results = []
            for p in problems:
                try:
                    results.append(solve_problem(p))
                except ProblemError as err:
                    raise locate(err, text, p.doc_index, name) from None
        except ProblemError as err:
            _error(str(err.located(file=src if src != "-" else "<stdin>")))
            worst = Exit.BAD_INPUT
            continue
        except Exception as err:   # noqa: BLE001 - a bug must not stop the batch
            if _debug():
                raise
            _error(_internal(src, err))
            worst = Exit.BAD_INPUT
            continue
        for r in results:
            render(r, out)
            if r.agrees is False and worst == Exit.OK:
                worst = Exit.DISAGREES
        out.flush()
    return worst


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@format_option
@click.option("--max-numbers", type=click.IntRange(min=1), default=None,
              help="Refuse files with more numbers than this (default 2,000,000).")
def solve(paths, fmt, as_json, max_numbers):
    """Solve problem files, folders (every *.yaml inside), '-' (stdin) or bundled names."""
    from .files import expand   # noqa: PLC0415
    render = _renderer(fmt, as_json)
    sys.exit(solve_sources(expand(list(paths)), render, max_numbers=max_numbers))


# ---------------------------------------------------------------- check

@cli.command()
@click.argument("path")
@click.option("--answer", "given", required=True, help="A number, 0,0,1, rows split by ';', or a word.")
@click.option("--json", "as_json", is_flag=True, help="The verdict as one JSON object.")
def check(path, given, as_json):
    """Exit 0 if ANSWER is right at the digits asked, 1 if not (with the working)."""
    import json   # noqa: PLC0415

    from . import answers   # noqa: PLC0415
    from .files import load_path   # noqa: PLC0415
    from .solvers import solve as solve_problem   # noqa: PLC0415
    try:
        value = answers.parse_answer(given)
    except ValueError as err:
        raise click.BadParameter(str(err), param_hint="--answer") from None
    try:
        problems = load_path(path)
        p = problems[0]
        r = solve_problem(p)
    except ProblemError as err:
        _error(str(err))
        sys.exit(Exit.BAD_INPUT)
    except Exception as err:   # noqa: BLE001
        if _debug():
            raise
        _error(_internal(path, err))
        sys.exit(Exit.BAD_INPUT)
    digits = p.ask.digits
    if digits is None and not isinstance(value, str):
        digits = answers.decimals_written(given)
    ok = answers.agree(r.answer, value, digits)
    diagnosis = []
    if not ok:
        try:
            from .slips import diagnose   # noqa: PLC0415
        except ImportError:
            diagnose = None
        if diagnose is not None:
            diagnosis = diagnose(p, value, given)
    if as_json:
        from .trace import plain   # noqa: PLC0415
        click.echo(json.dumps(plain({
            "schema_version": 1, "file": p.file, "question": r.question, "given": value,
            "agrees": ok, "expected": r.answer, "expected_rounded": answers.rounded(r.answer, digits),
            "digits": digits, "diagnosis": diagnosis}), allow_nan=False))
    else:
        from .render import render_table   # noqa: PLC0415
        from .trace import fmt   # noqa: PLC0415
        shown = answers.rounded(r.answer, digits) if digits is not None else r.answer
        if ok:
            click.echo(f"right: {given} is {r.question} = {fmt(shown, 10)}"
                       + (f" at {digits} decimals" if digits is not None else ""))
        else:
            click.echo(f"wrong: {given} is not {r.question}; the answer is {fmt(shown, 10)}"
                       + (f" at {digits} decimals" if digits is not None else ""))
            for d in diagnosis:
                click.echo(f"  maybe {d['slip']}: {d['explanation']} (gives {fmt(d['value'])}"
                           + (f", departs at {d['departs_at']}" if d.get("departs_at") else "")
                           + ")")
            if not diagnosis and diagnose_available():
                click.echo("  no known slip reproduces this answer")
            click.echo()
            render_table(r, sys.stdout)
    sys.exit(Exit.OK if ok else Exit.DISAGREES)


def diagnose_available() -> bool:
    try:
        from . import slips   # noqa: F401,PLC0415
    except ImportError:
        return False
    return True


# ---------------------------------------------------------------- list, schema

@cli.command("list")
def list_problems():
    """The bundled problems, one line each: name, type and title."""
    from .files import bundled_dir   # noqa: PLC0415
    from .yamlio import parse_documents   # noqa: PLC0415
    folder = bundled_dir()
    if folder is None:
        _error("no bundled problems found in this installation")
        sys.exit(Exit.BAD_INPUT)
    files = sorted(folder.glob("*.yaml"))
    width = max(len(f.stem) for f in files)
    for f in files:
        try:
            docs = [d for d in parse_documents(f.read_text(encoding="utf-8"), str(f))
                    if isinstance(d, dict)]
        except ProblemError:
            docs = []
        first = docs[0] if docs else {}
        more = f" (+{len(docs) - 1} more)" if len(docs) > 1 else ""
        click.echo(f"{f.stem:<{width}}  {str(first.get('type', '?')):<9}  "
                   f"{first.get('title', '')}{more}")


@cli.command()
def schema():
    """JSON Schema (draft 7) of the problem format, for editors' YAML support."""
    import json   # noqa: PLC0415

    from .schema import schema as build   # noqa: PLC0415
    click.echo(json.dumps(build(), indent=2, ensure_ascii=False))


# ---------------------------------------------------------------- calculators

from .calculators import register_calculators   # noqa: E402

register_calculators(cli)
