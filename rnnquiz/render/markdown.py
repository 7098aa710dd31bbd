"""Markdown answer keys that render as intended in CommonMark (and pandoc): every character
Markdown would read as markup is escaped, so x<t> is not swallowed as an HTML tag, and each
phase of the working (forward pass, values the exercise gives, backward pass) has its heading
and its own table. The equations and their numbers are inline math, `$...$` in ASCII TeX (the
LaTeX key's), which CommonMark with dollarmath (markdown-it's plugin, MyST, Jupyter) and pandoc
render as formulas; the text around them stays plain Markdown."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, TextIO

from .tex import tex_math
from .working import (answer_lines, asked, choice_lines, header_lines, phase_heading,
                      step_equation, step_note, step_value, step_working, title,
                      verdict_line)

if TYPE_CHECKING:
    from ..trace import Result

_SPECIAL = re.compile(r"([\\`*_\[\]<>|$~&])")
_HEAD = "| t | step | with numbers | value | note |\n|---:|---|---|---:|---|\n"


def md(text: str, block: bool = False) -> str:
    """Text for a table cell (or, with `block`, the start of a paragraph): markup escaped."""
    text = _SPECIAL.sub(r"\\\1", str(text)).replace("\n", " ")
    if block:       # at the start of a line, - + = # and "1." would open a list or a heading
        text = re.sub(r"^(\s*)([-+=#])", r"\1\\\2", text)
        text = re.sub(r"^(\s*\d+)([.)])", r"\1\\\2", text)
    return text


def math(text: str, mode: str = "dollars") -> str:
    r"""Inline math from the working's text: `$...$` around ASCII TeX, never empty (`$$` would
    open display math), no space inside the dollars (pandoc's rule), and no `|`, on which a
    table row would split. `parens`: `\\(...\\)` written so that after Markdown it reads
    `\(...\)` (Moodle's and Canvas' MathJax); `none`: the working's text, escaped."""
    if not text:
        return ""
    if mode == "none":
        return md(text)
    body = tex_math(text).replace(r"\|", r"\Vert ").replace("|", r"\vert ")
    body = re.sub(r"\s+", " ", body).strip()
    # a token (<eos>) without a raw <, which Markdown would read as an HTML tag
    body = re.sub(r"\\texttt\{<(/?)([^{}<>]*)>\}", r"\\mathtt{\\lt \1\2\\gt}", body)
    if mode == "parens":       # \ _ * [ ] ` are read by every Markdown: escape them
        body = re.sub(r"([\\_*\[\]`])", r"\\\1", body.replace("<", r"\lt ").replace(">", r"\gt "))
        return rf"\\({body}\\)" if body else ""
    body = body.replace("$", r"\$")
    return f"${body}$" if body else ""


def render_markdown(r: Result, out: TextIO, level: int = 2, math: str = "dollars") -> None:
    p = r.problem
    out.write(f"{'#' * level} {md(title(r))}\n\n")
    if p.options:
        in_list = False
        for style, text in choice_lines(r):
            if text.startswith("  ["):
                ok, _, rest = text.strip()[1:].partition("] ")
                mark = "**✓**" if ok == "x" else "☐"
                out.write(f"- {mark} {md(rest)}\n")
                in_list = True
            else:
                body = md(text, True)
                out.write(("\n" if in_list else "") + (f"*{body}*" if style else body) + "\n\n")
                in_list = False
        out.write(("\n" if in_list else "") + f"**Answer:** {', '.join(map(str, p.correct))}\n\n")
    else:
        for line in header_lines(r):
            out.write(f"- {md(line)}\n")
        out.write("\n")
        _steps(r, out, level + 1, math)
        for n in r.notes:
            out.write(f"> note: {md(n)}\n\n")
        lines = answer_lines(r)
        for question, text, verdict, _ in lines:
            out.write(f"**Answer:** {md(question)} = {md(text)}\n\n")
            if verdict and len(lines) > 1:
                out.write(f"{md(verdict, True)}\n\n")
    if r.expected is not None:
        out.write(f"{md(verdict_line(r), True)}\n\n")
    if r.extra.get("conventions") or any(e.get("conventions") for e in
                                        r.extra.get("parts") or ()):   # --conventions
        from .conventions import markdown_part   # noqa: PLC0415 (--conventions only)
        markdown_part(r, out, md)
    for sub in r.sub:
        render_markdown(sub, out, level + 1, math)


def _steps(r: Result, out: TextIO, level: int, mode: str = "dollars") -> None:
    if not r.steps:
        return
    open_ = False
    for i, s in enumerate(r.steps):
        heading = phase_heading(r, i)
        if heading:
            out.write(("\n" if open_ else "") + f"{'#' * level} {md(heading)}\n\n")
            open_ = False
        if not open_:
            out.write(_HEAD)
            open_ = True
        t = "" if s.t is None else str(s.t)
        value = md(step_value(s))
        if asked(r, s):
            t, value = f"▶ {t}".strip(), f"**{value}**"
        if isinstance(s.value, str):        # a word, or a gap in a long sequence: text
            cells = [md(t), md(step_equation(s)), md(step_working(s)), value, md(step_note(s))]
        else:
            cells = [md(t), math(step_equation(s), mode), math(step_working(s), mode), value,
                     md(step_note(s))]
        out.write("| " + " | ".join(cells) + " |\n")
    out.write("\n")
