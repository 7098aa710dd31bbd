"""The command line: click only. Options -> problems -> solve -> render; errors -> exit codes.

Everything heavy (numpy, rich, the solvers) is imported inside the commands, so
`rnnquiz --help`, `--version` and shell completion stay near click's own cost.
"""

from __future__ import annotations

import sys

import click

from . import __version__
from .batch import Exit, _debug, _error, _internal, solve_sources   # noqa: F401
from .errors import ProblemError

FORMATS = ("table", "json", "markdown", "latex", "dot")
MAX_NEW = 1000               # `new --count`: exercises in one call


# The calculators (rnnquiz/calculators.py) and their one-line help.
CALCULATORS = {
    "rnn": "Forward pass of a simple RNN (default: Hinton's lecture 7 problem 3).",
    "bptt": "Backpropagation through time (default: Hinton's lecture 7 problem 4).",
    "vanishing": "Vanishing or exploding gradients? (default: Hinton's lecture 7 problem 5).",
    "hmm": "Bits of information in a hidden state: an HMM's (log2 N) or an RNN's (N).",
    "lstm": "LSTM states, MIT notation (default: MITx homework 4, rounding h_t and c_t).",
    "gru": "GRU states (convention ng or pytorch).",
    "gated": "The MITx gated RNN's states s_t.",
    "shapes": "Gate dimension, weight shapes and parameter counts (default: deeplearning.ai Q7).",
}


class _Group(click.Group):
    """The calculators' commands are built from the notation registry on first use only,
    so `rnnquiz solve` and `rnnquiz --help` never pay for building their options."""

    def _load_calculators(self) -> None:
        if not getattr(self, "_calculators", False):
            self._calculators = True
            from .calculators import register_calculators   # noqa: PLC0415
            register_calculators(self)

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
            message = " ".join(err.format_message().split())
            hint = f" (see `{where} --help`)" if isinstance(err, click.UsageError) else ""
            _error(message + hint)
            sys.exit(err.exit_code)
        except click.exceptions.Abort:
            sys.exit(130)                  # Ctrl-C while click reads the command line
        sys.exit(rv if isinstance(rv, int) else 0)

    def invoke(self, ctx):
        # a closed pipe, a full disk and Ctrl-C end here, before click's own handling
        # (which would say "Aborted!" or exit 1)
        from .streams import guarded   # noqa: PLC0415
        return guarded(lambda: super(_Group, self).invoke(ctx))

    def list_commands(self, ctx):
        return sorted(set(self.commands) | set(CALCULATORS))

    def get_command(self, ctx, name):
        if name in CALCULATORS:
            self._load_calculators()
        return super().get_command(ctx, name)

    def format_commands(self, ctx, formatter):
        rows = []
        for name in self.list_commands(ctx):
            if name in CALCULATORS:
                rows.append((name, CALCULATORS[name]))
            else:
                rows.append((name, self.commands[name].get_short_help_str(
                    formatter.width - 6 - len(name))))
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
    from .streams import guarded, prepare   # noqa: PLC0415
    prepare()
    guarded(lambda: cli(prog_name="rnnquiz"))


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


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@format_option
@click.option("--max-numbers", type=click.IntRange(min=1), default=None,
              help="Refuse files with more numbers than this (default 2,000,000).")
@click.option("--plot", "plot_path", default=None, metavar="FILE.png|.svg",
              help="Also draw states, gradients or factors (needs rnnquiz[plot]).")
def solve(paths, fmt, as_json, max_numbers, plot_path):
    """Solve problem files, folders (every *.yaml inside), '-' (stdin) or bundled names."""
    from .files import expand   # noqa: PLC0415
    render = _renderer(fmt, as_json)
    results: list = []
    code = solve_sources(expand(list(paths)), render, max_numbers=max_numbers,
                         keep=results if plot_path else None)
    if plot_path and results:
        from .plot import plot   # noqa: PLC0415
        try:
            plot(results, plot_path)
        except ProblemError as err:
            _error(str(err))
            code = Exit.BAD_INPUT
    sys.exit(code)


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
    digits = answers.digits_for(p, value, given)
    if isinstance(r.answer, str):
        digits = None                     # a word is right or wrong as a whole
    ok = answers.agree(r.answer, value, digits)
    from . import streams   # noqa: PLC0415
    streams.pending_code = Exit.OK if ok else Exit.DISAGREES
    diagnosis = []
    if not ok:
        from .slips import diagnose   # noqa: PLC0415
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
        shown = answers.rounded(r.answer, digits) if digits is not None else None
        shown = r.answer if shown is None else shown       # a word, or no digits asked
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
            if not diagnosis:
                click.echo("  no known slip reproduces this answer")
            click.echo()
            render_table(r, sys.stdout)
    sys.exit(Exit.OK if ok else Exit.DISAGREES)


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


# ---------------------------------------------------------------- quiz, new, probe

@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--count", type=click.IntRange(min=1), default=None, help="Ask at most N questions.")
@click.option("--seed", type=int, default=None, help="The same seed asks in the same order.")
def quiz(paths, count, seed):
    """Ask the questions of problem files, read your answers, grade them, show the working."""
    from .files import expand, read_source   # noqa: PLC0415
    from .problem import load_text   # noqa: PLC0415
    from .quiz import run_quiz   # noqa: PLC0415
    problems = []
    for src in expand(list(paths)):
        try:
            name, text = read_source(src)
            problems.extend(load_text(text, name))
        except ProblemError as err:
            _error(str(err))
    if not problems:
        sys.exit(Exit.BAD_INPUT)
    sys.exit(run_quiz(problems, count, seed))


@cli.command()
@click.argument("ptype", metavar="TYPE", type=click.Choice(
    ["forward", "backprop", "vanishing", "hmm_bits", "lstm", "gru", "gated", "shapes"]))
@click.option("--seed", type=int, required=True, help="The same seed gives the same exercise.")
@click.option("--count", type=click.IntRange(1, MAX_NEW), default=1, show_default=True,
              help=f"How many exercises (1 to {MAX_NEW:,}).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default=None,
              help="Write one file per exercise into this folder (else print them).")
@click.option("--force", is_flag=True, help="Overwrite files that exist.")
def new(ptype, seed, count, out_dir, force):
    """A fresh exercise of TYPE with its answer, as YAML."""
    import os   # noqa: PLC0415

    from .generate import new as make   # noqa: PLC0415
    if out_dir is not None and not out_dir.strip():
        raise click.BadParameter("expected a folder name, got ''", param_hint="--out")
    texts = [make(ptype, seed, i) for i in range(count)]
    if out_dir is None:
        click.echo("---\n".join(texts), nl=False)
        return
    paths = [os.path.join(out_dir, f"{ptype}_{seed}" + (f"_{i + 1}" if count > 1 else "")
                          + ".yaml") for i in range(count)]
    existing = [p for p in paths if os.path.exists(p)]
    if existing and not force:
        _error(f"{existing[0]}: exists; use --force to overwrite")
        sys.exit(Exit.BAD_INPUT)
    from .files import write_atomic   # noqa: PLC0415
    try:
        os.makedirs(out_dir, exist_ok=True)
        for path, text in zip(paths, texts):
            write_atomic(path, text)
            click.echo(path)
    except OSError as err:
        _error(f"{err.filename or out_dir}: cannot write: {err.strerror or err}")
        sys.exit(Exit.BAD_INPUT)


@cli.command()
@click.option("--length", type=click.IntRange(1, 14), default=8, show_default=True,
              help="Run every binary sequence of this length.")
@click.option("--problem", "path", default=None,
              help="An lstm problem file (default: the MITx homework network).")
@click.option("--json", "as_json", is_flag=True, help="The finding and evidence as JSON.")
def probe(length, path, as_json):
    """What an LSTM's state h_t encodes, found over all binary input sequences."""
    import copy   # noqa: PLC0415
    import json   # noqa: PLC0415

    from . import seeds   # noqa: PLC0415
    from .probe import probe as run   # noqa: PLC0415
    doc = copy.deepcopy(seeds.MIT_LSTM_STATES_1)
    first = None
    if path:
        from .files import load_path   # noqa: PLC0415
        try:
            first = load_path(path)[0]
        except ProblemError as err:
            _error(str(err))
            sys.exit(Exit.BAD_INPUT)
        if first.network is None or first.type in ("backprop", "vanishing"):
            _error(f"{first.file}: type: probe runs a network forward (lstm, gru, gated or "
                   f"forward), got {first.type} (--problem)")
            sys.exit(Exit.BAD_INPUT)
        doc = dict(first.data)
    doc.pop("answer", None)
    try:
        found = run(doc, length)
    except ProblemError as err:
        if first is not None:       # name the file, and the line of the key where it is written
            from .files import read_source   # noqa: PLC0415
            from .problem import locate   # noqa: PLC0415
            err = locate(err, read_source(first.file)[1], first.doc_index, first.file)
        _error(f"{err} (probe feeds every binary sequence of length {length} as the inputs)")
        sys.exit(Exit.BAD_INPUT)
    if as_json:
        click.echo(json.dumps(found, ensure_ascii=False))
        return
    click.echo(f"h_t encodes {found['answer']}  ({found['sequences']} sequences of length "
               f"{length}, every prefix)")
    for row in found["evidence"]:
        mark = "yes" if row["encoded"] else "no "
        mapping = ", ".join(f"{k} -> h = {v}" for k, v in (row["mapping"] or {}).items())
        click.echo(f"  {mark}  {row['statistic']}" + (f": {mapping}" if mapping else ""))

