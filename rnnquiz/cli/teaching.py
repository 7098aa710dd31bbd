"""The teaching tools' commands: `quiz` (ask, read answers, grade), `new` (a fresh exercise
with its answer) and `probe` (what an LSTM's state encodes). Registered on the CLI by cli.py."""

from __future__ import annotations

import sys

import click

from .completion import complete_paths
from ..errors import ProblemError
from .sources import Exit, print_error, said
from ..types import TYPES

MAX_NEW = 1000               # `new --count`: exercises in one call


@click.command()
@click.argument("paths", nargs=-1, required=True, shell_complete=complete_paths)
@click.option("--count", type=click.IntRange(min=1), default=None, help="Ask at most N questions.")
@click.option("--seed", type=int, default=None, help="The same seed asks in the same order.")
def quiz(paths, count, seed):
    """Ask the questions of problem files, read your answers, grade them, show the working.

    An empty answer skips a question; Ctrl-D or Ctrl-C stops with a summary.

    \b
    rnnquiz quiz problems/ --count 5 --seed 1
    printf -- '-0.36\\n' | rnnquiz quiz hinton_p3
    """
    from ..problem.files import expand, read_source   # noqa: PLC0415 (quiz only)
    from ..types import load_text   # noqa: PLC0415 (quiz only)
    from .quiz import run_quiz   # noqa: PLC0415 (quiz only)
    problems = []
    for src in expand(list(paths)):
        try:
            name, text = read_source(src)
            problems.extend(load_text(text, name))
        except ProblemError as err:
            print_error(said(err))
    if not problems:
        sys.exit(Exit.BAD_INPUT)
    sys.exit(run_quiz(problems, count, seed))


class TypeChoice(click.Choice):
    """The types `new` can draw, read from the type registry when first asked (the CLI's other
    commands never load the type modules)."""

    def __init__(self) -> None:
        super().__init__(())

    @property
    def choices(self):
        from ..types.registry import drawn   # noqa: PLC0415 (start-up: see the docstring)
        return drawn()

    @choices.setter
    def choices(self, value) -> None:
        pass


class NewCommand(click.Command):
    """`new --help` names the types that draw exercises, read from the registry when shown."""

    def format_help_text(self, ctx, formatter):
        from ..types.registry import drawn   # noqa: PLC0415 (start-up: see TypeChoice)
        self.help = self.help.replace("{types}", ", ".join(drawn()))
        super().format_help_text(ctx, formatter)


@click.command(cls=NewCommand)
@click.argument("ptype", metavar="TYPE", type=TypeChoice())
@click.option("--seed", type=int, required=True, help="The same seed gives the same exercise.")
@click.option("--count", type=click.IntRange(1, MAX_NEW), default=1, show_default=True,
              help=f"How many exercises (1 to {MAX_NEW:,}).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default=None,
              help="Write one file per exercise into this folder (else print them).")
@click.option("--force", is_flag=True, help="Overwrite files that exist.")
@click.option("--handout", is_flag=True,
              help="Also the students' sheet, the questions without answers (handout.md in "
                   "--out; printed instead of the YAML without --out).")
@click.option("--layers", type=click.IntRange(1, 8), default=1, show_default=True,
              help="forward, backprop, vanishing: a stack of this many layers.")
@click.option("--bidirectional", is_flag=True,
              help="forward, backprop, vanishing: both directions in every layer.")
def new(ptype, seed, count, out_dir, force, handout, layers, bidirectional):
    """A fresh exercise of TYPE with its question and answer, as YAML.

    TYPE is one of {types}.

    \b
    rnnquiz new forward --seed 7                  one exercise, printed
    rnnquiz new lstm --seed 1 --count 5 --out hw/  five files in hw/
    rnnquiz new gru --seed 3 --count 4 --out hw/ --handout   and hw/handout.md
    rnnquiz new backprop --seed 2 --layers 2 --bidirectional   BPTT through a deep BRNN
    """
    import os   # noqa: PLC0415 (new only)

    from ..teaching.generate import dump, exercise_doc, stacks   # noqa: PLC0415 (new only)
    from ..types.registry import drawn   # noqa: PLC0415 (new only)
    from ..teaching.generate import handout as sheet   # noqa: PLC0415 (new only)
    if out_dir is not None and not out_dir.strip():
        raise click.BadParameter("expected a folder name, got ''", param_hint="--out")
    if (layers > 1 or bidirectional) and not stacks(ptype):
        deep = [t for t in drawn() if stacks(t)]
        raise click.BadParameter(f"stacks are drawn for {', '.join(deep[:-1])} and {deep[-1]}",
                                 param_hint="--layers/--bidirectional")
    docs = [exercise_doc(ptype, seed, i, layers, bidirectional) for i in range(count)]
    texts = [dump(d) for d in docs]
    if out_dir is None:
        click.echo(sheet(docs) if handout else "---\n".join(texts), nl=False)
        return
    paths = [os.path.join(out_dir, f"{ptype}_{seed}" + (f"_{i + 1}" if count > 1 else "")
                          + ".yaml") for i in range(count)]
    existing = [p for p in paths if os.path.exists(p)]
    if existing and not force:
        print_error(f"{existing[0]}: exists; use --force to overwrite")
        sys.exit(Exit.BAD_INPUT)
    from ..problem.files import write_atomic   # noqa: PLC0415 (new only)
    if handout:
        paths.append(os.path.join(out_dir, "handout.md"))
        texts.append(sheet(docs))
    try:
        os.makedirs(out_dir, exist_ok=True)
        for path, text in zip(paths, texts):
            write_atomic(path, text)
            click.echo(path)
    except OSError as err:
        print_error(f"{err.filename or out_dir}: cannot write: {err.strerror or err}")
        sys.exit(Exit.BAD_INPUT)


@click.command()
@click.option("--length", type=click.IntRange(1, 14), default=8, show_default=True,
              help="Run every binary sequence of this length.")
@click.option("--problem", "path", default=None,
              help="An lstm problem file (default: the MITx homework network).")
@click.option("--json", "as_json", is_flag=True, help="The finding and evidence as JSON.")
def probe(length, path, as_json):
    """What an LSTM's state h_t encodes, found over all binary input sequences.

    \b
    rnnquiz probe                       the MITx homework's LSTM
    rnnquiz probe --problem my_lstm.yaml --length 10 --json
    """
    import copy   # noqa: PLC0415 (probe only)
    import json   # noqa: PLC0415 (probe only)

    from ..types import calculator   # noqa: PLC0415 (probe only)
    from ..teaching.probe import probe as run   # noqa: PLC0415 (probe only)
    doc = copy.deepcopy(calculator("lstm")["seed"])      # the MITx homework's network
    first = None
    if path:
        from ..types import load_path   # noqa: PLC0415 (probe only)
        try:
            first = load_path(path)[0]
        except ProblemError as err:
            print_error(said(err))
            sys.exit(Exit.BAD_INPUT)
        forward = [t for t in TYPES if hasattr(TYPES[t], "CELL")]   # the types that run a cell
        if first.network is None or first.type not in forward:
            print_error(f"{first.file}: type: probe runs a network forward ({', '.join(forward)}), "
                   f"got {first.type} (--problem)")
            sys.exit(Exit.BAD_INPUT)
        doc = dict(first.data)
    doc.pop("answer", None)
    try:
        found = run(doc, length)
    except ProblemError as err:
        if first is not None:       # name the file, and the line of the key where it is written
            from ..problem.files import read_source   # noqa: PLC0415 (probe only)
            from ..types import locate   # noqa: PLC0415 (probe only)
            err = locate(err, read_source(first.file)[1], first.doc_index, first.file)
        print_error(f"{said(err)} (probe feeds every binary sequence of length {length} as the "
                    "inputs)")
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
