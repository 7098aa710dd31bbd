"""HTML: one self-contained page (the answer key an instructor posts) and the fragment a
notebook shows. Built from the working directly, no rich: in Jupyter rich would also print."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, TextIO

from .working import (answer_text, asked, choice_lines, header_lines, phase_heading,
                      step_equation, step_note, step_value, step_working, title,
                      verdict_line)

if TYPE_CHECKING:
    from ..trace import Result

STYLE = """
.rnnquiz{font-family:system-ui,sans-serif;line-height:1.4;max-width:60em}
.rnnquiz table{border-collapse:collapse;margin:.5em 0}
.rnnquiz th,.rnnquiz td{padding:.15em .7em;vertical-align:top;text-align:left}
.rnnquiz thead th{border-bottom:1px solid #888}
.rnnquiz td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.rnnquiz tr.new td{border-top:1px solid #ddd}
.rnnquiz tr.phase th{padding-top:.6em;font-style:italic}
.rnnquiz tr.asked td{font-weight:bold;background:#fff6d5}
.rnnquiz .note{color:#666;font-style:italic;font-size:90%}
.rnnquiz .dim{color:#666}
.rnnquiz .ok{color:#17702a}.rnnquiz .bad{color:#b00020;font-weight:bold}
"""


def fragment(r: Result) -> str:
    """The working as one <div> (what Jupyter shows under a cell)."""
    return f'<div class="rnnquiz"><style>{STYLE}</style>{_body(r)}</div>'


def page_head(r: Result) -> str:
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{escape(title(r))}</title>\n<style>{STYLE}</style>\n</head>\n"
            '<body>\n<div class="rnnquiz">\n')


PAGE_TAIL = "</div>\n</body>\n</html>\n"


def render_section(r: Result, out: TextIO) -> None:
    """One problem of the page (a batch is one page, one section a problem)."""
    out.write(f"<section>\n{_body(r)}\n</section>\n")


def _body(r: Result, level: int = 2) -> str:
    p = r.problem
    h = [f"<h{level}>{escape(title(r))}</h{level}>"]
    if p.type == "choice":
        for style, text in choice_lines(r):
            if text.startswith("  ["):
                ok, _, rest = text.strip()[1:].partition("] ")
                h.append(f'<p class="{"ok" if ok == "x" else ""}">'
                         f'{"✓" if ok == "x" else "☐"} {escape(rest)}</p>')
            else:
                h.append(f'<p class="{style}">{escape(text)}</p>')
        h.append(f"<p><b>Answer:</b> {', '.join(map(str, p.correct))}</p>")
    else:
        h += [f'<p class="dim">{escape(line)}</p>' for line in header_lines(r)]
        if r.steps:
            h.append(_table(r))
        h += [f'<p class="note">note: {escape(n)}</p>' for n in r.notes]
        h.append(f"<p><b>Answer:</b> {escape(r.question)} = {escape(answer_text(r))}</p>")
    if r.expected is not None:
        h.append(f'<p class="{"ok" if r.agrees else "bad"}">{escape(verdict_line(r))}</p>')
    h += [_body(sub, min(level + 1, 6)) for sub in r.sub]
    return "\n".join(h)


def _table(r: Result) -> str:
    rows = ["<table>", "<thead><tr><th>t</th><th>step</th><th>with numbers</th>"
            "<th>value</th></tr></thead>", "<tbody>"]
    last = object()
    for i, s in enumerate(r.steps):
        heading = phase_heading(r, i)
        if heading:
            rows.append(f'<tr class="phase"><th colspan="4">{escape(heading)}</th></tr>')
        key = (s.t, s.phase)
        cls = ["new"] if key != last and i else []
        if asked(r, s):
            cls.append("asked")
        t = "" if s.t is None or key == last else str(s.t)
        last = key
        note = step_note(s)
        working = escape(step_working(s)) + (
            f'{"<br>" if step_working(s) else ""}<span class="note">{escape(note)}</span>'
            if note else "")
        attr = f' class="{" ".join(cls)}"' if cls else ""
        rows.append(f"<tr{attr}><td class=\"n\">{t}</td><td>{escape(step_equation(s))}</td>"
                    f"<td>{working}</td><td class=\"n\">{escape(step_value(s))}</td></tr>")
    rows.append("</tbody></table>")
    return "\n".join(rows)


def render_html(r: Result, out: TextIO) -> None:
    """One problem as a whole page."""
    out.write(page_head(r))
    render_section(r, out)
    out.write(PAGE_TAIL)
