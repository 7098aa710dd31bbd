"""The terminal table (rich, imported only here): one section per time step, the phases
as headings, the asked row in bold and marked ▶, notes under the numbers they explain."""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

from ..trace.numbers import fmt
from .working import (PLACES, answer_lines, asked, choice_lines, header_lines, phase_heading,
                      step_equation, step_note, step_value, step_working, title,
                      verdict_line)

if TYPE_CHECKING:
    from ..trace import Result

_consoles: dict[int, object] = {}


def console_for(out: TextIO):
    from rich.console import Console   # noqa: PLC0415 (start-up: rich loads when a table is drawn)
    key = id(out)
    if key not in _consoles:
        _consoles[key] = Console(file=out, highlight=False, soft_wrap=False, force_jupyter=False)
    return _consoles[key]


def build_table(r: Result):
    """The working as a rich renderable."""
    from rich import box   # noqa: PLC0415 (start-up: rich loads when a table is drawn)
    from rich.console import Group   # noqa: PLC0415 (start-up: rich loads when a table is drawn)
    from rich.table import Table   # noqa: PLC0415 (start-up: rich loads when a table is drawn)
    from rich.text import Text   # noqa: PLC0415 (start-up: rich loads when a table is drawn)

    p = r.problem
    parts = [Text(title(r), style="bold")]
    if p.options:
        parts += [Text(text, style=style) for style, text in choice_lines(r)]
        parts.append(Text(f"answer: {', '.join(map(str, p.correct))}", style="bold"))
    else:
        parts += [Text(line, style="dim") for line in header_lines(r)]
        if r.steps:
            parts.append(_steps(r, box, Table, Text))
        parts += [Text(f"note: {n}", style="italic") for n in r.notes]
        lines = answer_lines(r)
        for question, text, verdict, ok in lines:
            parts.append(Text(f"answer: {question} = {text}", style="bold"))
            if verdict and len(lines) > 1:
                parts.append(Text(verdict, style="green" if ok else "bold red"))
    if r.expected is not None:
        parts.append(Text(verdict_line(r), style="green" if r.agrees else "bold red"))
    if r.extra.get("conventions") or any(e.get("conventions") for e in
                                        r.extra.get("parts") or ()):   # --conventions
        from .conventions import table_part   # noqa: PLC0415 (--conventions only)
        parts += [Text(""), table_part(r)]
    for sub in r.sub:
        parts.append(Text(""))
        parts.append(build_table(sub))
    return Group(*parts)


# A value wider than this (a matrix, a minibatch's states) is written under the working, a
# row a line, and the value column names its shape: numbers are never cut.
WIDE = 40


def _wide_rows(s, text: str) -> list[str] | None:
    rows = s.value.tolist() if hasattr(s.value, "tolist") else s.value
    if len(text) <= WIDE or not isinstance(rows, list):
        return None
    if rows and isinstance(rows[0], list):
        return [fmt(row, PLACES) for row in rows]
    return [text]


def _shape_word(value) -> str:
    rows = len(value)
    cols = len(value[0]) if rows and isinstance(value[0], list) else None
    return f"{rows}×{cols} matrix" if cols is not None else f"{rows} numbers"


def _steps(r: Result, box, Table, Text):
    values = [step_value(s) for s in r.steps]
    wide = [_wide_rows(s, v) for s, v in zip(r.steps, values)]
    values = [v if w is None else _shape_word(s.value.tolist() if hasattr(s.value, "tolist")
                                              else s.value)
              for s, v, w in zip(r.steps, values, wide)]
    marks = [asked(r, s) for s in r.steps]
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=False)
    # every cell a Text, never a str: rich reads a str for markup and emoji codes, and its
    # emoji table alone costs a piped table a millisecond of start-up
    table.add_column(Text("t"), justify="right", no_wrap=True)
    table.add_column(Text("step"), overflow="fold", ratio=1)
    table.add_column(Text("with numbers"), overflow="fold", ratio=1)
    table.add_column(Text("value"), justify="right", no_wrap=True,
                     min_width=max(len(v) for v in values))
    last_t, last_phase = object(), None
    for i, (s, v) in enumerate(zip(r.steps, values)):
        first = s.t != last_t or s.phase != last_phase
        if first and table.row_count:
            table.add_section()
        heading = phase_heading(r, i)
        if heading:
            table.add_row(Text(), Text(heading, style="bold"), Text(), Text())
        last_t, last_phase = s.t, s.phase
        working = Text(step_working(s))
        for row in wide[i] or ():
            working.append(("\n" if working.plain else "") + row)
        note = step_note(s)
        if note:
            if working.plain:
                working.append("\n")
            working.append(note, style="dim italic")
        t = "" if s.t is None or not first else str(s.t)
        if marks[i]:
            t = f"▶ {t}".strip()
        # Text, not str: rich would read [a<t-1>; x<t>] as markup and drop it
        table.add_row(Text(t), Text(step_equation(s)), working, Text(v),
                      style="bold" if marks[i] else None)
    return table


def render_table(r: Result, out: TextIO) -> None:
    console = console_for(out)
    console.print(build_table(r))
    console.print()


def table_text(r: Result, width: int = 100) -> str:
    """The table as plain text, as a pipe shows it."""
    from io import StringIO   # noqa: PLC0415 (table_text only)

    from rich.console import Console   # noqa: PLC0415 (start-up: rich loads when a table is drawn)
    out = StringIO()
    Console(file=out, width=width, color_system=None, highlight=False, force_jupyter=False,
            soft_wrap=False).print(build_table(r))
    return out.getvalue()
