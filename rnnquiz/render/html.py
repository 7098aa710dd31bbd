"""HTML: one self-contained page (the answer key an instructor posts) and the fragment a
notebook shows. Built from the working directly, no rich: in Jupyter rich would also print."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, TextIO

from .htmlmath import formula, math_html
from .working import (answer_lines, asked, choice_lines, header_lines, phase_heading,
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


# the same styles written into each element, for `--fragment`: a page or a learning
# management system's editor that drops <style> keeps them (and the asked row its mark)
INLINE = {"div": "font-family:system-ui,sans-serif;line-height:1.4;max-width:60em",
          "table": "border-collapse:collapse;margin:.5em 0",
          "th": "padding:.15em .7em;vertical-align:top;text-align:left;"
                "border-bottom:1px solid #888",
          "td": "padding:.15em .7em;vertical-align:top;text-align:left",
          "n": "text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap",
          "new": "border-top:1px solid #ddd", "asked": "font-weight:bold;background:#fff6d5",
          "phase": "padding-top:.6em;font-style:italic;text-align:left",
          "note": "color:#666;font-style:italic;font-size:90%", "dim": "color:#666",
          "ok": "color:#17702a", "bad": "color:#b00020;font-weight:bold"}


def fragment(r: Result) -> str:
    """The working as one <div> (what Jupyter shows under a cell)."""
    return f'<div class="rnnquiz"><style>{STYLE}</style>{_body(r)}</div>'


def _attr(cls: list[str], inline: bool, tag: str = "") -> str:
    """class="..." (and, for a fragment, the same look as style="...")."""
    cls = [c for c in cls if c]
    out = f' class="{" ".join(cls)}"' if cls else ""
    if inline:
        style = ";".join(INLINE[k] for k in [tag, *cls] if k in INLINE)
        out += f' style="{style}"' if style else ""
    return out


def page_head(r: Result) -> str:
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{escape(title(r))}</title>\n<style>{STYLE}</style>\n</head>\n"
            '<body>\n<div class="rnnquiz">\n')


PAGE_TAIL = "</div>\n</body>\n</html>\n"


def render_section(r: Result, out: TextIO, math: str = "html") -> None:
    """One problem of the page (a batch is one page, one section a problem)."""
    out.write(f"<section>\n{_body(r, math=math)}\n</section>\n")


def render_fragment(r: Result, out: TextIO, math: str = "html") -> None:
    """One problem to paste into a page of one's own: its styles written into its elements."""
    out.write(f'<div class="rnnquiz" style="{INLINE["div"]}">\n'
              f"{_body(r, math=math, inline=True)}\n</div>\n")


def _body(r: Result, level: int = 2, math: str = "html", inline: bool = False) -> str:
    def at(*cls, tag=""):
        return _attr(list(cls), inline, tag)

    p = r.problem
    h = [f"<h{level}>{escape(title(r))}</h{level}>"]
    if p.options:
        for style, text in choice_lines(r):
            if text.startswith("  ["):
                ok, _, rest = text.strip()[1:].partition("] ")
                h.append(f'<p{at("ok" if ok == "x" else "")}>'
                         f'{"✓" if ok == "x" else "☐"} {escape(rest)}</p>')
            else:
                h.append(f'<p{at(style)}>{escape(text)}</p>')
        h.append(f"<p><b>Answer:</b> {', '.join(map(str, p.correct))}</p>")
    else:
        h += [f'<p{at("dim")}>{escape(line)}</p>' for line in header_lines(r)]
        if r.steps:
            h.append(_table(r, math, inline))
        h += [f'<p{at("note")}>note: {escape(n)}</p>' for n in r.notes]
        lines = answer_lines(r)
        for question, text, verdict, ok in lines:
            h.append(f"<p><b>Answer:</b> {escape(question)} = {escape(text)}</p>")
            if verdict and len(lines) > 1:
                h.append(f'<p{at("ok" if ok else "bad")}>{escape(verdict)}</p>')
    if r.expected is not None:
        h.append(f'<p{at("ok" if r.agrees else "bad")}>{escape(verdict_line(r))}</p>')
    if r.extra.get("conventions") or any(e.get("conventions") for e in
                                        r.extra.get("parts") or ()):   # --conventions
        from .conventions import html_part   # noqa: PLC0415 (--conventions only)
        h.append(html_part(r, at))
    h += [_body(sub, min(level + 1, 6), math, inline) for sub in r.sub]
    return "\n".join(h)


def _table(r: Result, math: str = "html", inline: bool = False) -> str:
    th = _attr([], inline, "th")
    rows = [f"<table{_attr([], inline, 'table')}>",
            f"<thead><tr><th{th}>t</th><th{th}>step</th><th{th}>with numbers</th>"
            f"<th{th}>value</th></tr></thead>", "<tbody>"]
    last = object()
    for i, s in enumerate(r.steps):
        heading = phase_heading(r, i)
        if heading:
            rows.append(f'<tr class="phase"><th colspan="4"{_attr(["phase"], inline)}>'
                        f"{escape(heading)}</th></tr>")
        key = (s.t, s.phase)
        cls = ["new"] if key != last and i else []
        if asked(r, s):
            cls.append("asked")
        t = "" if s.t is None or key == last else str(s.t)
        t = f"▶ {t}".strip() if asked(r, s) else t      # the mark stays where styles are lost
        last = key
        note = step_note(s)
        words = isinstance(s.value, str)          # a word, or a gap in a long sequence: text
        show = (lambda x: formula(x, math))
        if words:
            show = math_html if math == "html" else escape
        working = show(step_working(s)) + (
            f'{"<br>" if step_working(s) else ""}<span{_attr(["note"], inline)}>'
            f"{escape(note)}</span>" if note else "")
        td, tdn = _td(cls, False, inline), _td(cls, True, inline)
        rows.append(f"<tr{_attr(cls, False)}><td{tdn}>{t}</td><td{td}>{show(step_equation(s))}"
                    f"</td><td{td}>{working}</td><td{tdn}>{escape(step_value(s))}</td></tr>")
    rows.append("</tbody></table>")
    return "\n".join(rows)


def _td(row: list[str], numeric: bool, inline: bool) -> str:
    """A cell's class (n: a number) and, in a fragment, its row's look written into it."""
    out = ' class="n"' if numeric else ""
    if inline:
        out += f' style="{";".join(INLINE[k] for k in ["td", *row] + (["n"] if numeric else []))}"'
    return out


def render_html(r: Result, out: TextIO, math: str = "html") -> None:
    """One problem as a whole page."""
    out.write(page_head(r))
    render_section(r, out, math)
    out.write(PAGE_TAIL)
