"""`rnnquiz export`: problem files as what a learning management system imports (SPEC 2).
Registered on the CLI by cli.py; the writers live in teaching/export/ and load only when run."""

from __future__ import annotations

import sys

import click

from .completion import complete_paths
from ..errors import ProblemError
from .sources import Exit, print_error, said


@click.command()
@click.argument("paths", nargs=-1, required=True, shell_complete=complete_paths)
@click.option("--to", "fmt", required=True,
              type=click.Choice(["moodle", "canvas", "prairielearn"]),
              help="The system: Moodle XML, Canvas QTI zip, PrairieLearn question folders.")
@click.option("--out", "out", required=True, metavar="FILE|DIR",
              help="moodle: an .xml file; canvas: a .zip file; prairielearn: a folder "
                   "(its questions/ folder, or one of its own).")
@click.option("--variants", type=click.IntRange(1, 1000), default=None,
              help="N variants of each exercise, as `vary --count N --seed S` draws them.")
@click.option("--seed", type=int, default=None, help="The seed of the variants.")
def export(paths, fmt, out, variants, seed):
    """Write problem files as quiz questions for Moodle, Canvas or PrairieLearn: each with its
    question in words, its parts, the tolerance and the working as feedback.

    \b
    rnnquiz export problems/ --to moodle --out rnn.xml
    rnnquiz export hinton_p3 --to canvas --out rnn.zip
    rnnquiz export problems/ --to prairielearn --out questions/
    """
    from ..teaching.export import export as run   # noqa: PLC0415 (export only)
    if seed is not None and variants is None:
        raise click.UsageError("--seed goes with --variants")
    try:
        seed = (0 if seed is None else seed) if variants else None
        draw = _variants(variants, seed) if variants else None
        exes, notes = run(list(paths), fmt, out, variants=draw, seed=seed)
    except ProblemError as err:
        print_error(said(err))
        sys.exit(Exit.BAD_INPUT)
    for note in notes:
        click.echo(f"note: {note}", err=True)
    count = sum(len(ex.items) for ex in exes)
    click.echo(f"{len(exes)} exercise{'s' if len(exes) != 1 else ''}"
               f"{f' ({count} variants)' if variants else ''} written to {out}", err=True)
    sys.exit(Exit.OK)


def _variants(count: int, seed: int):
    """The variant drawer: `rnnquiz.vary` where this installation has it."""
    import rnnquiz   # noqa: PLC0415 (--variants only)
    vary = getattr(rnnquiz, "vary", None)
    if vary is None:
        raise ProblemError("--variants needs `rnnquiz vary`, which this version does not "
                           "have yet; export the exercises themselves (without --variants)")

    def draw(problem):
        return list(vary(problem, count=count, seed=seed))
    return draw
