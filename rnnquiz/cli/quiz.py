"""`rnnquiz quiz`: ask the questions of problem files, read the answers, grade them (the
question in words is teaching/question.py's)."""

from __future__ import annotations

import random
import sys
import textwrap
from dataclasses import replace

import click

from ..errors import ProblemError
from ..teaching import checking
from ..teaching.question import answers_text, first_wrong, full_question, hint
from .sources import said

WIDTH = 78
TRIES = 5          # unreadable answers before a question counts as skipped

def _say(text: str, **style) -> None:
    click.secho(text, **style)      # click drops the colour when stdout is not a terminal


def _wrap(text: str, indent: str = "") -> str:
    return textwrap.fill(text, WIDTH, initial_indent=indent, subsequent_indent=indent,
                         break_long_words=False, break_on_hyphens=False)


def _read(prompt: str) -> str | None:
    """One answer, or None at the end of the answers (Ctrl-D, Ctrl-C, a closed stdin)."""
    try:
        text = click.prompt(prompt, default="", show_default=False)
    except (click.Abort, EOFError, RuntimeError, OSError):
        click.echo()
        return None
    if not sys.stdin.isatty():
        click.echo(text)            # piped answers: the transcript shows what was answered
    return text


def run_quiz(problems: list, count: int | None, seed: int | None) -> int:
    from ..render import render_table   # noqa: PLC0415 (quiz only)
    from ..types import solve   # noqa: PLC0415 (quiz only)
    if sys.stdin is None or sys.stdin.closed:
        click.echo("error: quiz reads your answers from stdin, which is closed", err=True)
        return 2
    rng = random.Random(seed)
    order = list(problems)
    rng.shuffle(order)
    if count is not None:
        order = order[:count]
    right = asked = 0
    stopped = False
    try:
        for k, p in enumerate(order, start=1):
            try:
                r = solve(p)
            except ProblemError as err:
                click.echo(f"error: {said(err)}", err=True)
                continue
            _say(f"\nQuestion {k}/{len(order)}" + (f": {p.title}" if p.title else ""), bold=True)
            click.echo(_wrap(full_question(p, r)))
            if p.options:
                for i, o in enumerate(p.options, start=1):
                    click.echo(_wrap(f"{i}. {o}", "  ").replace("  ", "  ", 1))
            verdict, text = None, ""
            for _ in range(TRIES):
                text = _read(f"your answer ({hint(p, r)})")
                if text is None:
                    stopped = True
                    break
                if not text.strip():
                    break                        # an empty answer skips the question
                try:
                    verdict = checking.check(p, text, r)
                    break
                except ProblemError as err:
                    msg = said(err).removeprefix("answer: ")
                    click.echo(_wrap(f"could not read that ({msg}); answer with {hint(p, r)}",
                                     "  "))
            if stopped:
                break
            asked += 1
            if verdict is not None and verdict["agrees"]:
                right += 1
                _say("  right", fg="green", bold=True)
                continue
            shown = _shown(p, r)
            _say(f"  {'wrong' if verdict else 'skipped'}: the answer is {shown}",
                 fg="red", bold=True)
            if verdict is not None:
                where = (first_wrong(p, r, verdict["given"], verdict["digits"])
                         if "parts" not in verdict else
                         "wrong: " + ", ".join(f"part {i} ({v['question']})" for i, v in
                                               enumerate(verdict["parts"], 1)
                                               if not v["agrees"]))
                if where:
                    click.echo(f"  {where}")
                for d in verdict["diagnosis"][:3]:
                    click.echo(_wrap(f"right under {d['label']} ({d['id']})"
                                     if d.get("kind") == "convention" else
                                     f"maybe {d['slip']}: {d['explanation']}", "  "))
            # the working, without the published answer's verdict: the student was the one graded
            render_table(replace(r, expected=None, agrees=None), sys.stdout)
    except KeyboardInterrupt:
        stopped = True
    summary = f"{right}/{asked} right"
    if stopped or asked < len(order):
        summary += f" (stopped after {asked} of {len(order)} questions)"
    click.echo()
    _say(summary, bold=True)
    return 0 if right == len(order) else 1


def _shown(p, r) -> str:
    """The answer as the student is told it: rounded where digits are asked; a question in
    several parts as its parts separated by |, as they are answered."""
    parts = r.extra.get("parts") if p.ask.parts is not None else None
    if parts:
        return " | ".join(answers_text(e["answer_rounded"], e["digits"])
                          if e["answer_rounded"] is not None else answers_text(e["answer"], None)
                          for e in parts)
    shown = r.answer_rounded if r.answer_rounded is not None else r.answer
    return answers_text(shown, p.ask.digits if r.answer_rounded is not None else None)
