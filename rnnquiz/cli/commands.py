"""The command line: click only. Options -> problems -> solve -> render; errors -> exit codes.

Everything heavy (numpy, rich, the solvers) is imported inside the commands, so
`rnnquiz --help`, `--version` and shell completion stay near click's own cost.
"""

from __future__ import annotations

import sys

import click

from .. import __version__
from .sources import Exit, print_error, renderer_for, said, solve_sources
from ..types import CALCULATORS
from .completion import complete_paths
from ..errors import ProblemError
from ..render import FORMATS
from .teaching import new, probe, quiz
from .export import export
from .vary import vary
from .conventions import conventions
from .check import check


class _Group(click.Group):
    """The calculators' commands are built from the notation registry on first use only,
    so `rnnquiz solve` and `rnnquiz --help` never pay for building their options."""

    def _calculator(self, name: str) -> None:
        if name not in self.commands:
            from .calculators import command   # noqa: PLC0415 (built on first use)
            self.add_command(command(name))

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        """Click's main, with usage errors on one line as SPEC 4 asks (`error: ...`, exit 2)."""
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        try:
            rv = super().main(args, prog_name, complete_var, False, **extra)
        except click.ClickException as err:
            if type(err).__name__ == "NoArgsIsHelpError":     # `rnnquiz` alone: the help
                click.echo(err.ctx.get_help() if err.ctx else err.format_message())
                sys.exit(0)
            where = err.ctx.command_path if getattr(err, "ctx", None) else (prog_name or "rnnquiz")
            from ..errors import shorten   # noqa: PLC0415 (solve only)
            message = shorten(" ".join(err.format_message().split()))
            hint = f" (see `{where} --help`)" if isinstance(err, click.UsageError) else ""
            print_error(message + hint)
            sys.exit(err.exit_code)
        except click.exceptions.Abort:
            sys.exit(130)                  # Ctrl-C while click reads the command line
        sys.exit(rv if isinstance(rv, int) else 0)

    def invoke(self, ctx):
        # a closed pipe, a full disk and Ctrl-C end here, before click's own handling
        # (which would say "Aborted!" or exit 1)
        from .streams import guarded   # noqa: PLC0415 (--help runs without it)
        return guarded(lambda: super(_Group, self).invoke(ctx))

    def list_commands(self, ctx):
        return sorted(set(self.commands) | set(CALCULATORS))

    def get_command(self, ctx, name):
        if name in CALCULATORS:
            self._calculator(name)
        return super().get_command(ctx, name)

    def format_commands(self, ctx, formatter):
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            short = command.help.split("\n\n")[0] if name in CALCULATORS else \
                command.get_short_help_str(formatter.width - 6 - len(name))
            rows.append((name, short))
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
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
    from .streams import guarded, prepare   # noqa: PLC0415 (--help runs without it)
    prepare()
    guarded(lambda: cli(prog_name="rnnquiz"))


# ---------------------------------------------------------------- solve

def format_option(fn):
    fn = click.option("--json", "as_json", is_flag=True, help="JSON Lines (same as --format json).")(fn)
    fn = click.option("--format", "fmt", type=click.Choice(FORMATS), default="table",
                      show_default=True, help="How to show the working.")(fn)
    return fn


@cli.command()
@click.argument("paths", nargs=-1, required=True, shell_complete=complete_paths)
@format_option
@click.option("--max-numbers", type=click.IntRange(min=1), default=None,
              help="Refuse files with more numbers than this (default 2,000,000).")
@click.option("--max-work", type=click.FloatRange(min=1), default=None, metavar="UNITS",
              help="Refuse problems needing more work than this (default 1e10, about 5 s).")
@click.option("--max-memory", type=click.IntRange(min=1), default=None, metavar="MIB",
              help="Refuse problems needing more memory than this many MiB (default 512).")
@click.option("--plot", "plot_path", default=None, metavar="FILE.png|.svg",
              help="Also draw states, gradients or factors (needs rnnquiz[plot]).")
@click.option("--fragment", is_flag=True,
              help="LaTeX or HTML: the body alone, to paste into a document of your own.")
@click.option("--math", "math", type=click.Choice(["dollars", "parens", "none", "html"]),
              default=None, help="Markdown: $..$ (default), \\(..\\) for Moodle and Canvas, "
                                 "or none (plain text); HTML: html (default), parens, dollars.")
@click.option("--out-dir", "out_dir", default=None, metavar="DIR",
              type=click.Path(file_okay=False),
              help="Write one file per problem into DIR (NAME.tex, NAME.dot, ...), "
                   "printing each path.")
@click.option("--conventions", "with_conventions", is_flag=True,
              help="Also the answer under each framework's or course's convention that "
                   "changes it (JSON: conventions).")
def solve(paths, fmt, as_json, max_numbers, max_work, max_memory, plot_path, fragment, math,
          out_dir, with_conventions):
    """Solve problem files, folders (every *.yaml inside), '-' (stdin) or bundled names.

    \b
    rnnquiz solve hinton_p3                       the working as a table
    rnnquiz solve problems/ --json                every problem, JSON Lines
    rnnquiz solve hinton_p4 --format latex > key.tex && pdflatex key.tex
    rnnquiz solve problems/ --format dot --out-dir graphs/
    rnnquiz solve hinton_p3 --format markdown --math parens   for Moodle and Canvas
    rnnquiz solve goodfellow_gru_step --conventions   the answer in PyTorch, deeplearning.ai...
    """
    from ..problem.files import expand   # noqa: PLC0415 (solve only)
    from ..problem import limits   # noqa: PLC0415 (solve only)
    if max_work is not None:
        limits.MAX_WORK = max_work
    if max_memory is not None:
        limits.MAX_MEMORY = max_memory * 2 ** 20
    if plot_path is not None:
        from ..render.plot import check_path   # noqa: PLC0415 (solve only)
        try:
            check_path(plot_path)
        except ProblemError as err:
            raise click.BadParameter(said(err), param_hint="--plot") from None
    sources = expand(list(paths))
    name = "json" if as_json else fmt
    if out_dir is not None:
        from ..render import FileWriter   # noqa: PLC0415 (solve only)
        from .streams import silence_stdout   # noqa: PLC0415 (--help runs without it)
        renderer_for(fmt, as_json, fragment, math)
        render = FileWriter(name, out_dir, fragment, math, closed=silence_stdout)
    else:
        if name == "dot" and len(sources) > 1:
            raise click.UsageError("--format dot draws one graph per problem: give --out-dir "
                                   "DIR to write one .dot file for each")
        render = renderer_for(fmt, as_json, fragment, math)
        if name == "dot":           # one graph a problem: a file of several is refused too
            from ..render.dot import OneGraph   # noqa: PLC0415 (solve only)
            render = OneGraph(render)
    if with_conventions:
        from ..render.conventions import WithConventions   # noqa: PLC0415 (solve only)
        from ..teaching.conventions import attach   # noqa: PLC0415 (--conventions only)
        render = WithConventions(render, attach)
    results: list = []
    try:
        code = solve_sources(sources, render, max_numbers=max_numbers,
                             keep=results if plot_path else None)
    except Exception as err:   # noqa: BLE001 - only dot's refusal is turned into a usage error
        from ..render.dot import SeveralGraphs   # noqa: PLC0415 (solve only)
        if not isinstance(err, SeveralGraphs):
            raise
        raise click.UsageError(str(err)) from None
    if plot_path and results:
        from ..render.plot import plot   # noqa: PLC0415 (solve only)
        try:
            note = plot(results, plot_path)
            if note:
                sys.stderr.write(f"note: {note}\n")
        except ProblemError as err:
            print_error(said(err))
            code = Exit.BAD_INPUT
    sys.exit(code)


# ---------------------------------------------------------------- list, schema

@cli.command("list")
def list_problems():
    """The bundled problems, one line each: name, type and title.

    \b
    rnnquiz list
    rnnquiz solve hinton_p3     a bundled problem by its name
    """
    from ..problem.files import bundled_dir   # noqa: PLC0415 (list only)
    from ..problem.yamlio import parse_documents   # noqa: PLC0415 (list only)
    folder = bundled_dir()
    if folder is None:
        print_error("no bundled problems found in this installation")
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
        click.echo(f"{f.stem:<{width}}  {str(first.get('type', '?')):<10}  "
                   f"{first.get('title', '')}{more}")


@cli.command()
def schema():
    """JSON Schema (draft 7) of the problem format, for editors' YAML support.

    \b
    rnnquiz schema > rnnquiz.schema.json
    # then, at the top of a problem file, for the YAML language server:
    # yaml-language-server: $schema=rnnquiz.schema.json
    """
    import json   # noqa: PLC0415 (schema only)

    from .schema import schema as build   # noqa: PLC0415 (schema only)
    click.echo(json.dumps(build(), indent=2, ensure_ascii=False))


# ---------------------------------------------------------------- the other commands

for _command in (check, quiz, new, probe, export, vary, conventions):
    cli.add_command(_command)
