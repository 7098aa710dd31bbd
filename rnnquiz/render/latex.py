"""LaTeX answer keys: a complete article that pdflatex compiles (`fragment=True` for the
body alone). The working of each phase is an align* that may break across pages, long lines
are cut where a TA would cut them, the notes stand under the lines they explain, and the
answer under the working. The symbols become LaTeX in tex.py."""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

from .tex import tex_math, tex_text
from .working import (answer_lines, asked, header_lines, phase_heading,
                      step_note, step_value, step_working, title, verdict_line)

if TYPE_CHECKING:
    from ..trace import Result

PREAMBLE = r"""\documentclass[11pt]{article}
\usepackage[T1]{fontenc}
\usepackage[utf8]{inputenc}
\usepackage{lmodern}
\usepackage[margin=2cm]{geometry}
\usepackage{amsmath,amssymb}
\setcounter{MaxMatrixCols}{64}
\allowdisplaybreaks
\setlength{\parindent}{0pt}
\setlength{\parskip}{0.5ex}
\setlength{\emergencystretch}{3em}
\begin{document}
"""
END = "\\end{document}\n"
# what a document of one's own needs for the body (`--fragment`): align*, bmatrix, \text and
# \boxed are amsmath's, the arrows and ticks amssymb's
FRAGMENT_HEAD = ("% rnnquiz answer key (a fragment): needs \\usepackage{amsmath,amssymb} "
                 "\\usepackage[T1]{fontenc}\n"
                 "% in the preamble (T1 for | < > in text), and \\setcounter{MaxMatrixCols}{64} "
                 "for matrices wider than 10\n")

def _steps(r: Result, out: TextIO) -> None:
    open_ = False
    for i, s in enumerate(r.steps):
        heading = phase_heading(r, i)
        if heading or not open_:
            if open_:
                out.write("\\end{align*}\n")
            if heading:
                out.write(f"\\paragraph{{{tex_text(heading.capitalize())}}}\n")
            out.write("\\begin{align*}\n")
            open_ = True
        if isinstance(s.value, str):      # a word, or a gap in a long sequence
            out.write(f"  &\\text{{{tex_text(s.symbol)}: {tex_text(s.value)}}}\\\\\n")
            _note(step_note(s), out)
            continue
        value = tex_math(step_value(s))
        if asked(r, s):
            value = rf"\boxed{{{value}}}"
        gap = "[4pt]" if i + 1 < len(r.steps) and r.steps[i + 1].t != s.t else ""
        note = step_note(s)
        out.write(_row(s, value, "" if note else gap))
        _note(note, out, gap)
    if open_:
        out.write("\\end{align*}\n")


def _row(s, value: str, gap: str) -> str:
    """One step as align* rows: symbol = equation = numbers = value on one line when it fits,
    else the equation, then the numbers, each cut where it is too wide."""
    lhs = tex_math(s.symbol)
    if len(s.symbol) > 30:          # a long name (a framework's keys) gets a line of its own
        lhs = f"\\intertext{{${lhs}$}}\n  "
    eq = s.equation if s.equation and s.equation != s.symbol else ""
    working = step_working(s)
    end = f" \\\\{gap}\n"
    if len(eq) + len(working) + len(step_value(s)) <= 60:
        rhs = " = ".join(tex_math(x) for x in (eq, working) if x)
        return f"  {lhs} &" + (f"= {rhs}{_is(value)}" if rhs else _is(value).lstrip()) + end
    lines = []
    for part in (eq, working):
        if part:
            pieces = [tex_math(x) for x in split_sum(part)]
            lines.append("= " + " \\\\\n  &\\quad ".join(pieces))
    if len(step_value(s)) > 30 or not lines:
        lines.append(_is(value).lstrip())
    else:
        lines[-1] += _is(value)
    return f"  {lhs} &" + " \\\\\n  &".join(lines) + end


def split_sum(text: str, width: int = 50) -> list[str]:
    """A long working cut into lines of about `width` characters, before a + or - outside
    brackets, so a row of matrices does not run off the page."""
    lines = _cut(text, width, (" + ", " - "))
    if len(lines) == 1 and len(text) > width:
        # all inside one call, tanh(W_in·[1; u] + W·x) or solve(A, B): cut inside it, a sum
        # before its + and a list of arguments after its commas
        lines = _cut(text, width, (" + ", " - ", ", "), level=1)
    out = []
    for line in lines:
        out += _cut(line, width, ("·", "⊙")) if len(line) > width else [line]
    return out


def _cut(text: str, width: int, marks: tuple[str, ...], level: int = 0) -> list[str]:
    cuts, depth = [], 0
    for i, c in enumerate(text):
        depth += 1 if c in "([{" else -1 if c in ")]}" else 0
        if depth == level and i and any(text.startswith(m, i) for m in marks):
            cuts.append(i + 1 if text.startswith(",", i) else i)
    lines, start, last = [], 0, 0
    for cut in cuts:
        if cut - start > width and last > start:
            lines.append(text[start:last].strip())
            start = last
        last = cut
    if len(text) - start > width and last > start:
        lines.append(text[start:last].strip())
        start = last
    lines.append(text[start:].strip())
    return lines


def _is(value: str) -> str:
    """' = 0.5', or ' \\approx 0' for a saturated value (not '= \\approx 0')."""
    return f" {value}" if value.startswith("\\approx") else f" = {value}"


def _note(note: str, out: TextIO, gap: str = "") -> None:
    """A note under its line: beside the working when short, else a paragraph that wraps."""
    if note and len(note) <= 70:
        out.write(f"  &\\quad\\text{{\\small\\emph{{{tex_text(note)}}}}}\\\\{gap}\n")
    elif note:
        out.write(f"  \\intertext{{\\small\\hspace*{{2em}}\\emph{{{tex_text(note)}}}}}\n")


def render_body(r: Result, out: TextIO) -> None:
    p = r.problem
    out.write(f"\\section*{{{tex_text(title(r))}}}\n")
    if p.options:
        if p.source:
            out.write(f"\\emph{{source: {tex_text(p.source)}}}\n\n")
        out.write(tex_text(p.question) + "\n\\begin{enumerate}\n")
        for i, o in enumerate(p.options, start=1):
            mark = r"$\checkmark$ " if i in p.correct else ""
            out.write(f"  \\item {mark}{tex_text(o)}\n")
        out.write("\\end{enumerate}\n")
        if p.explanation:
            out.write(f"\\emph{{Why:}} {tex_text(p.explanation)}\n\n")
        out.write(f"\\textbf{{Answer:}} {', '.join(map(str, p.correct))}")
    else:
        for line in header_lines(r):
            out.write(f"{tex_text(line)}\n\n")
        if r.steps:
            _steps(r, out)
        for n in r.notes:
            out.write(f"\\emph{{Note:}} {tex_text(n)}\n\n")
        out.write("{\\raggedright ")      # a long list answer breaks where it can
        lines = answer_lines(r)
        for i, (question, text, verdict, _) in enumerate(lines):
            if i:
                out.write("\\\\*\n")
            if isinstance(r.answer, str):
                out.write(f"\\textbf{{Answer:}} {tex_text(question)}: "
                          f"\\textbf{{{tex_text(r.answer)}}}")
                continue
            exact, _, approx = text.partition("  ≈ ")
            out.write(f"\\textbf{{Answer:}} {tex_text(question)} $=$ {tex_text(exact)}"
                      + (" $\\approx " + tex_math(approx).replace(", ", ",\\allowbreak ")
                         + "$" if approx else ""))
            if verdict and len(lines) > 1:
                out.write("\\\\*\n" + tex_text(verdict))
    if r.expected is not None:       # the verdict stays with the answer, on its page
        out.write("\\\\*\n" + tex_text(verdict_line(r)))
    out.write("\\par}\n\n" if not p.options else "\n\n")
    if r.extra.get("conventions") or any(e.get("conventions") for e in
                                        r.extra.get("parts") or ()):   # --conventions
        from .conventions import latex_part   # noqa: PLC0415 (--conventions only)
        latex_part(r, out)
    for sub in r.sub:
        out.write("\\medskip\n")
        render_body(sub, out)


def render_latex(r: Result, out: TextIO) -> None:
    """One problem as a complete document."""
    out.write(PREAMBLE)
    render_body(r, out)
    out.write(END)

