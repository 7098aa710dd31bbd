"""`rnnquiz quiz`: ask questions, read answers (terminal or piped stdin), grade, show the working."""

from __future__ import annotations

import random
import sys

import click

from . import answers
from .errors import ProblemError


def statement(p) -> list[str]:
    """What the student needs to work the problem: the network, the inputs, the question."""
    lines = []
    if p.type == "choice":
        lines.append(p.question)
        lines += [f"  {i}. {o}" for i, o in enumerate(p.options, start=1)]
        return lines
    data = p.data
    for key in ("network", "inputs", "targets", "given", "round", "loss", "cell", "notation",
                "convention", "states", "binary_units", "input", "hidden", "output"):
        if key in data and data[key] is not None:
            lines.append(f"  {key}: {_short(data[key])}")
    return lines


def _short(v) -> str:
    text = str(v.tolist() if hasattr(v, "tolist") else v)
    return text if len(text) < 300 else text[:297] + "..."


def grade(p, result, text: str) -> tuple[bool, object]:
    value = answers.parse_answer(text)
    if p.type == "choice" and isinstance(value, (list, float)):
        value = sorted(int(v) for v in (value if isinstance(value, list) else [value]))
        return value == result.answer, value
    return answers.agree(result.answer, value, answers.digits_for(p, value, text)), value


def run_quiz(problems: list, count: int | None, seed: int | None) -> int:
    from .render import render_table   # noqa: PLC0415
    from .solvers import solve   # noqa: PLC0415
    rng = random.Random(seed)
    order = list(problems)
    rng.shuffle(order)
    if count is not None:
        order = order[:count]
    right = 0
    for k, p in enumerate(order, start=1):
        try:
            r = solve(p)
        except ProblemError as err:
            click.echo(f"error: {err}", err=True)
            continue
        click.echo(f"\nQuestion {k}/{len(order)}: {p.title or p.file}")
        for line in statement(p):
            click.echo(line)
        hint = ("option numbers, e.g. 2 or 2,4" if p.type == "choice" else
                r.question + (f", to {p.ask.digits} decimals" if p.ask.digits is not None else ""))
        try:
            text = click.prompt(f"your answer ({hint})", default="", show_default=False)
        except (click.Abort, EOFError):
            click.echo("\n(no more answers)")
            break
        try:
            ok, value = grade(p, r, text) if text.strip() else (False, None)
        except ValueError as err:
            ok, value = False, None
            click.echo(f"  could not read that: {err}")
        if ok:
            right += 1
            click.echo("  right")
            continue
        shown = r.answer_rounded if r.answer_rounded is not None else r.answer
        click.echo(f"  wrong: the answer is {answers_text(shown)}")
        if value is not None and p.type != "choice":
            from .slips import diagnose   # noqa: PLC0415
            for d in diagnose(p, value, text)[:3]:
                click.echo(f"  maybe {d['slip']}: {d['explanation']}")
        render_table(r, sys.stdout)
    click.echo(f"\n{right}/{len(order)} correct")
    return 0 if right == len(order) else 1


def answers_text(v) -> str:
    from .render.numbers import fmt   # noqa: PLC0415
    return v if isinstance(v, str) else fmt(v, 10)
