"""Trace -> text: one registry of renderers, all reading the same `Result`.

`table` draws the working with rich (imported only here, so the JSON path never
pays for it); `json` writes one JSON Lines object; `markdown` an answer key.
Display rounding lives here; the courses' rounding is part of the math.
"""

from __future__ import annotations

import json
from typing import Callable, TextIO

import numpy as np

from .trace import Result, Step, fmt, substitute

VALUE_PLACES = 6
PHASES = {"forward": "forward pass", "given": "values the exercise gives",
          "recomputed": "recomputed", "backward": "backward pass", "loss": "loss",
          "gradient": "parameter gradients", "factor": "factors, one per step back",
          "product": "running product", "verdict": "verdict"}


def answer_line(r: Result) -> str:
    ans = r.answer
    text = ans if isinstance(ans, str) else _fmt_full(ans)
    if r.answer_rounded is not None:
        text += f"  ≈ {fmt(r.answer_rounded, r.problem.ask.digits)}"
    return text


def verdict_line(r: Result) -> str:
    if r.expected is None:
        return ""
    mark = "agrees" if r.agrees else "DISAGREES"
    exp = r.expected if isinstance(r.expected, str) else fmt(r.expected, 10)
    return f"published answer {exp}: {mark}"


def _fmt_full(v) -> str:
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k}: {_fmt_full(e)}" for k, e in v.items()) + "}"
    if isinstance(v, list):
        return "[" + ", ".join(_fmt_full(e) for e in v) + "]"
    if isinstance(v, float):
        return repr(v) if v != int(v) or abs(v) >= 1e16 else str(int(v))
    return str(v)


def step_note(s: Step) -> str:
    parts = [s.note] if s.note else []
    if s.raw is not None:
        parts.append(f"rounded from {fmt(s.raw, VALUE_PLACES)}")
    if s.tie:
        parts.append("tie: .5 rounded to even")
    if s.exact is not None and (s.raw is None or
                                fmt(s.exact, VALUE_PLACES) != fmt(s.raw, VALUE_PLACES)):
        parts.append(f"exact arithmetic: {fmt(s.exact, VALUE_PLACES)}")
    if s.given is not None:
        parts.append(f"given: {fmt(s.given)}")
    return "; ".join(parts)


def step_equation(s: Step) -> str:
    return f"{s.symbol} = {s.equation}" if s.equation and s.equation != s.symbol else s.symbol


def step_value(s: Step) -> str:
    return s.value if isinstance(s.value, str) else fmt(s.value, VALUE_PLACES)


WIDE = 40          # a value wider than this is written under the working, a row a line


def wide_rows(s: Step, text: str) -> list[str] | None:
    """The rows of a value too wide for the value column (a matrix), else None."""
    if isinstance(s.value, str) or len(text) <= WIDE:
        return None
    try:
        arr = np.asarray(s.value, dtype=float)
    except (TypeError, ValueError):
        return None
    if arr.ndim == 2:
        return [fmt(row, VALUE_PLACES) for row in arr]
    return [text]


def _shape_word(value) -> str:
    shape = np.shape(value)
    return "×".join(map(str, shape)) + (" matrix" if len(shape) == 2 else " numbers")


def header_lines(r: Result) -> list[str]:
    p = r.problem
    lines = []
    if p.source:
        lines.append(f"source: {p.source}")
    lines.append(f"question: {r.question}" + (f" (to {p.ask.digits} decimals)"
                                              if p.ask.digits is not None else ""))
    return lines


# ---------------------------------------------------------------- renderers

def render_json(r: Result, out: TextIO) -> None:
    out.write(json.dumps(r.to_json(), ensure_ascii=False, allow_nan=False) + "\n")


def md(text: str) -> str:
    """Text for CommonMark: `<eos>` and `a<t>` escaped, else they would be read as HTML tags."""
    return text.replace("<", "\\<")


def render_markdown(r: Result, out: TextIO) -> None:
    p = r.problem
    out.write(f"## {md(p.title or p.file or p.type)}\n\n")
    if p.type == "choice":
        for _, text in choice_lines(r):
            out.write(f"- {text.strip()}\n" if text.startswith("  [") else f"\n{text}\n")
        out.write(f"\n**Answer:** {', '.join(map(str, p.correct))}\n\n")
        for sub in r.sub:
            render_markdown(sub, out)
        return
    for line in header_lines(r):
        out.write(f"- {md(line)}\n")
    if r.steps:
        out.write("\n| t | step | with numbers | value | note |\n|---|---|---|---|---|\n")
        for s in r.steps:
            eq = step_equation(s)
            cells = ["" if s.t is None else str(s.t), eq, substitute(s.formula, s.operands),
                     step_value(s), step_note(s)]
            out.write("| " + " | ".join(md(c).replace("|", "\\|") for c in cells) + " |\n")
    for n in r.notes:
        out.write(f"\n> {md(n)}\n")
    out.write(f"\n**Answer:** {md(r.question)} = {md(answer_line(r))}")
    if r.expected is not None:
        out.write(f" ({md(verdict_line(r))})")
    out.write("\n\n")
    for sub in r.sub:
        render_markdown(sub, out)


_consoles: dict[int, object] = {}


def _console(out: TextIO):
    from rich.console import Console   # noqa: PLC0415
    key = id(out)
    if key not in _consoles:
        _consoles[key] = Console(file=out, highlight=False, soft_wrap=False)
    return _consoles[key]


def build_table(r: Result):
    """The working as a rich renderable (used by the terminal and by Jupyter)."""
    from rich import box   # noqa: PLC0415
    from rich.console import Group   # noqa: PLC0415
    from rich.table import Table   # noqa: PLC0415
    from rich.text import Text   # noqa: PLC0415

    p = r.problem
    parts = [Text(p.title or (p.file or p.type), style="bold")]
    if p.type == "choice":
        return Group(*parts, *_choice_parts(r, Text))
    for line in header_lines(r):
        parts.append(Text(line, style="dim"))
    if r.steps:
        values = [step_value(s) for s in r.steps]
        rows = [wide_rows(s, v) for s, v in zip(r.steps, values)]
        values = [v if w is None else _shape_word(s.value)
                  for s, v, w in zip(r.steps, values, rows)]
        table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=False)
        table.add_column("t", justify="right", no_wrap=True)
        table.add_column("step", overflow="fold", ratio=1)
        table.add_column("with numbers", overflow="fold", ratio=1)
        table.add_column("value", justify="right", no_wrap=True,
                         min_width=max(len(v) for v in values))
        last_t, last_phase = object(), None
        for s, v, wide in zip(r.steps, values, rows):
            first = s.t != last_t or s.phase != last_phase
            if first and table.row_count:
                table.add_section()
            if s.phase != last_phase and s.phase and len({x.phase for x in r.steps}) > 1:
                table.add_row("", Text(PHASES.get(s.phase, s.phase), style="bold"), "", "")
            last_t, last_phase = s.t, s.phase
            eq = step_equation(s)
            working = Text(substitute(s.formula, s.operands))
            note = step_note(s)
            for row in wide or ():
                working.append(("\n" if working.plain else "") + row)
            if note:
                if working.plain:
                    working.append("\n")
                working.append(note, style="dim italic")
            t = "" if s.t is None or not first else str(s.t)
            # Text, not str: rich would read [a<t-1>; x<t>] as markup and drop it
            table.add_row(Text(t), Text(eq), working, Text(v))
        parts.append(table)
    for n in r.notes:
        parts.append(Text(f"note: {n}", style="italic"))
    ans = Text(f"answer: {r.question} = {answer_line(r)}", style="bold")
    parts.append(ans)
    if r.expected is not None:
        parts.append(Text(verdict_line(r), style="green" if r.agrees else "bold red"))
    for sub in r.sub:
        parts.append(Text(""))
        parts.append(build_table(sub))
    return Group(*parts)


def choice_lines(r: Result) -> list[tuple[str, str]]:
    """(style, text) lines of a choice question: the options, the correct ones marked."""
    p = r.problem
    lines = [("dim", f"source: {p.source}")] if p.source else []
    lines.append(("", p.question))
    for i, option in enumerate(p.options, start=1):
        ok = i in p.correct
        lines.append(("green" if ok else "", f"  [{'x' if ok else ' '}] {i}. {option}"))
    if p.explanation:
        lines.append(("italic", f"why: {p.explanation}"))
    return lines


def _choice_parts(r: Result, Text) -> list:
    parts = [Text(text, style=style) for style, text in choice_lines(r)]
    parts.append(Text(f"answer: {', '.join(map(str, r.problem.correct))}", style="bold"))
    if r.expected is not None:
        parts.append(Text(verdict_line(r), style="green" if r.agrees else "bold red"))
    for sub in r.sub:
        parts.append(Text(""))
        parts.append(build_table(sub))
    return parts


def render_table(r: Result, out: TextIO) -> None:
    console = _console(out)
    console.print(build_table(r))
    console.print()


def render_html(r: Result) -> str:
    from io import StringIO   # noqa: PLC0415

    from rich.console import Console   # noqa: PLC0415
    console = Console(file=StringIO(), record=True, width=120)
    console.print(build_table(r))
    return console.export_html(inline_styles=True)


def _latex(r: Result, out: TextIO) -> None:
    from .render_more import render_latex   # noqa: PLC0415
    render_latex(r, out)


def _dot(r: Result, out: TextIO) -> None:
    from .render_more import render_dot   # noqa: PLC0415
    render_dot(r, out)


RENDERERS: dict[str, Callable[[Result, TextIO], None]] = {
    "table": render_table,
    "json": render_json,
    "markdown": render_markdown,
    "latex": _latex,
    "dot": _dot,
}

