"""`rnnquiz check FILE --answer A`: is a student's answer right at the digits asked, and if
not, which convention or slip gives it (SPEC 2). Registered on the CLI by commands.py; the
diagnosis lives in teaching/ and loads only when run."""

from __future__ import annotations

import sys

import click

from .completion import complete_paths
from ..errors import ProblemError
from .sources import Exit, debug_wanted, internal_error, print_error, said


@click.command()
@click.argument("path", shell_complete=complete_paths)
@click.option("--answer", "given", required=True, help="A number, 0,0,1 or 0 0 1, rows split by ';', or a word.")
@click.option("--json", "as_json", is_flag=True, help="The verdict as one JSON object.")
def check(path, given, as_json):
    """Exit 0 if ANSWER is right at the digits asked, 1 if not (with the working).

    An answer that cannot be one (a word for a number, 1,,2) is a usage error: exit 2.

    \b
    rnnquiz check hinton_p3 --answer -0.36
    rnnquiz check mit_lstm_states_1 --answer 0,0,1,-1,1,0 --json
    rnnquiz check hinton_p5 --answer vanishing
    """
    from ..problem.typed_answers import parse_answer   # noqa: PLC0415 (check only)
    from ..teaching import checking   # noqa: PLC0415 (check only)
    from ..types import load_path   # noqa: PLC0415 (check only)
    from ..types import solve as solve_problem   # noqa: PLC0415 (check only)
    try:
        for piece in given.split("|"):        # several parts: each read on its own
            parse_answer(piece)
    except ValueError as err:
        raise click.BadParameter(said(err), param_hint="--answer") from None
    try:
        problems = load_path(path)
        p = problems[0]
        r = solve_problem(p)
    except ProblemError as err:
        print_error(said(err))
        sys.exit(Exit.BAD_INPUT)
    except Exception as err:   # noqa: BLE001
        if debug_wanted():
            raise
        print_error(internal_error(path, err))
        sys.exit(Exit.BAD_INPUT)
    try:
        verdict = checking.check(p, given, r)
    except ProblemError as err:
        raise click.BadParameter(said(err).removeprefix("answer: "), param_hint="--answer") from None
    ok = verdict["agrees"]
    from . import streams   # noqa: PLC0415 (check only)
    streams.pending_code = Exit.OK if ok else Exit.DISAGREES
    if as_json:
        from ..render.jsonl import dumps   # noqa: PLC0415 (check only)
        from ..trace import plain   # noqa: PLC0415 (check only)
        click.echo(dumps(plain(verdict)))
    else:
        from ..render import render_table   # noqa: PLC0415 (check only)
        pieces = given.split("|") if "parts" in verdict else [given]
        for piece, v in zip(pieces, verdict.get("parts", [verdict])):
            _check_line(piece.strip() if "parts" in verdict else piece, v, r.answer if "parts" not in verdict else v["expected"],
                        v["question"] if "parts" in verdict else r.question, p)
        if not ok:
            click.echo()
            from dataclasses import replace   # noqa: PLC0415 (check only)
            render_table(replace(r, expected=None, agrees=None), sys.stdout)
    sys.exit(Exit.OK if ok else Exit.DISAGREES)


def _check_line(given: str, v: dict, answer, question: str, p) -> None:
    """`check`'s verdict on one answer (one part of a question in several)."""
    from ..problem import answers   # noqa: PLC0415 (check only)
    from ..trace.numbers import fixed, fmt   # noqa: PLC0415 (check only)
    digits, diagnosis = v["digits"], v["diagnosis"]
    shown = answers.rounded(answer, digits) if digits is not None else None
    shown = answer if shown is None else shown       # a word, or no digits asked
    shown = fixed(shown, digits) if digits is not None else fmt(shown, 10)
    at = f" at {digits} decimals" if digits is not None else ""
    if v["agrees"]:
        click.echo(f"right: {given} is {question} = {shown}{at}")
        return
    click.echo(f"wrong: {given} is not {question}; the answer is {shown}{at}")
    from ..teaching.conventions import course   # noqa: PLC0415 (check only)
    mine = f" ({course(p)})" if course(p) else ""
    for d in diagnosis:
        if d.get("kind") == "convention":
            click.echo(f"  wrong for this course{mine}; right under {d['label']} "
                       f"({d['id']}: gives {fmt(d['answer'])})")
            continue
        click.echo(f"  maybe {d['slip']}: {d['explanation']} (gives {fmt(d['value'])}"
                   + (f", departs at {d['departs_at']}" if d.get("departs_at") else "")
                   + ")")
    if not diagnosis and not p.options:
        click.echo("  no known convention or slip reproduces this answer")
