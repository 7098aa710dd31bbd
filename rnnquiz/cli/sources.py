"""Solving a list of sources (files, folders, stdin) in turn, and the exit codes: the part of
the CLI that needs no click.

`rnnquiz solve` is the command run in shell loops and editor hooks; `cli.main` (the fast path) runs
its common forms straight through `solve_sources`, so they skip click's import (30 ms).
"""

from __future__ import annotations

import io
import os
import sys
from enum import IntEnum

from ..errors import ProblemError


class Exit(IntEnum):
    """Exit statuses are part of the interface (SPEC 4)."""

    OK = 0            # solved; every published answer present agrees
    DISAGREES = 1     # solved, but a published answer disagrees (or `check` got a wrong answer)
    BAD_INPUT = 2     # bad input or usage: nothing solved for that input


def print_error(message: str) -> None:
    from ..errors import printable   # noqa: PLC0415 (errors only)
    try:
        sys.stderr.write(f"error: {printable(message)}\n")
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):
        pass                                 # stderr closed: the exit code still tells


def said(err: Exception) -> str:
    """An error's one line as the command line prints it: a ProblemError advised, once, here
    where it leaves (types/advice.py)."""
    from ..types import advice   # noqa: PLC0415 (start-up: errors only)
    return advice.said(err)


def debug_wanted() -> bool:
    # RNNQUIZ_DEBUG=0 (or false, no, off) means off, as it reads
    value = os.environ.get("RNNQUIZ_DEBUG", "").strip().casefold()
    return value not in ("", "0", "false", "no", "off")


def internal_error(where: str, err: BaseException) -> str:
    if isinstance(err, MemoryError):
        return f"{where}: out of memory (the problem is too large for this machine)"
    if isinstance(err, RecursionError):
        return f"{where}: nested too deeply"
    return (f"{where}: internal error ({type(err).__name__}: {err}); "
            "please report it with the file (RNNQUIZ_DEBUG=1 shows the traceback)")


def solve_sources(sources: list[str], render, *, max_numbers: int | None,
                  keep: list | None = None) -> Exit:
    """Load, solve and render each source in turn; one bad source does not stop the others."""
    from . import streams   # noqa: PLC0415 (--help loads this module)
    from ..problem.files import read_source   # noqa: PLC0415 (--help loads this module)
    from ..types import load_text, locate   # noqa: PLC0415 (--help loads this module)
    from ..types import solve as solve_problem   # noqa: PLC0415 (--help loads this module)
    from ..problem.yamlio import MAX_NUMBERS   # noqa: PLC0415 (--help loads this module)

    worst = Exit.OK
    out = sys.stdout
    progress = _progress(len(sources))
    tally = {"solved": 0, "agree": 0, "disagree": 0, "failed": 0}
    for src in sources:
        if progress:
            progress(src)
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
            print_error(said(err.located(file=src if src != "-" else "<stdin>")))
            worst = Exit.BAD_INPUT
            tally["failed"] += 1
            streams.pending_code = int(worst)
            continue
        except Exception as err:   # noqa: BLE001 - a bug must not stop the batch
            if debug_wanted():
                raise
            print_error(internal_error(src, err))
            worst = Exit.BAD_INPUT
            tally["failed"] += 1
            streams.pending_code = int(worst)
            continue
        if keep is not None:
            keep.extend(results)
        for r in results:
            tally["solved"] += 1
            tally["agree" if r.agrees else "disagree"] += r.agrees is not None
            if getattr(render, "name", "") == "json":
                buf = io.StringIO()
                render(r, buf)
                streams.emit(buf.getvalue(), out)   # whole lines, even on Ctrl-C
            else:
                render(r, out)          # a document's head and tail belong to the real stream
                out.flush()
            if r.agrees is False and worst == Exit.OK:
                worst = Exit.DISAGREES
        streams.pending_code = int(worst)
    if progress:
        progress(None)
    finish = getattr(render, "finish", None)
    if finish is not None:          # the end of a LaTeX document or an HTML page
        finish(out)
        out.flush()
    if len(sources) > 1:
        sys.stderr.write(summary(tally) + "\n")
    return worst


def summary(tally: dict) -> str:
    """One line for a batch: "25 solved, 25 agree" (and what disagreed or failed)."""
    parts = [f"{tally['solved']} solved"]
    if tally["agree"] or tally["disagree"]:
        parts.append(f"{tally['agree']} agree{'s' if tally['agree'] == 1 else ''}")
    if tally["disagree"]:
        parts.append(f"{tally['disagree']} disagree{'s' if tally['disagree'] == 1 else ''}")
    unchecked = tally["solved"] - tally["agree"] - tally["disagree"]
    if unchecked and unchecked == tally["solved"]:
        parts[0] += " (no published answers to compare)"
    elif unchecked:
        parts.append(f"{unchecked} without a published answer")
    if tally["failed"]:
        parts.append(f"{tally['failed']} failed")
    return ", ".join(parts)


def _progress(total: int):
    """A progress bar on stderr for long batches at a terminal (rich, imported only then)."""
    if total < 50 or not sys.stderr.isatty():
        return None
    from rich.console import Console   # noqa: PLC0415 (long runs only)
    from rich.progress import Progress   # noqa: PLC0415 (long runs only)
    bar = Progress(transient=True, console=Console(file=sys.stderr))
    task = bar.add_task("solving", total=total)
    bar.start()

    def step(src):
        if src is None:
            bar.stop()
            return
        bar.update(task, advance=1, description=os.path.basename(src)[:30])
    return step


def renderer_for(fmt: str, as_json: bool, fragment: bool = False, math: str | None = None):
    import click   # noqa: PLC0415 (plain solve: no click)

    from ..render import RENDERERS, renderer   # noqa: PLC0415 (--help loads this module)
    name = "json" if as_json else fmt
    if name not in RENDERERS:
        raise click.UsageError(f"--format {name} is not available in this version; "
                               f"choose one of {', '.join(sorted(RENDERERS))}")
    try:
        return renderer(name, fragment, math)
    except ProblemError as err:
        raise click.UsageError(said(err)) from None
