"""The table of `solve --conventions` (the answer under each convention), in every format: the
rows come from `result.extra["conventions"]` (teaching/conventions.py's `table`), or for a
question in several parts from each entry of `extra["parts"]` (one table a part), the file's own
marked. JSON needs nothing here: the rows are a key of the result's object."""

from __future__ import annotations

import re
from html import escape
from typing import TextIO

HEAD = "The answer under each convention"


def blocks(r) -> list[tuple[str, list[tuple[str, str, str, str]]]]:
    """(heading, rows) of each table: one, or one a part of a question in several parts."""
    if r.extra.get("conventions"):
        return [(HEAD, rows(r.extra["conventions"], r.problem.ask.digits))]
    return [(f"{HEAD}: {e['question']}", rows(e["conventions"], e.get("digits")))
            for e in r.extra.get("parts") or () if e.get("conventions")]


def rows(conventions, digits) -> list[tuple[str, str, str, str]]:
    """(mark, convention, id, answer) of each row: '▶' on the file's own."""
    from ..trace.numbers import fixed, fmt   # noqa: PLC0415 (--conventions only)
    from ..problem.answers import rounded   # noqa: PLC0415 (--conventions only)
    out = []
    for row in conventions:
        v = row["answer"]
        short = rounded(v, digits) if digits is not None else None
        text = fixed(short, digits) if short is not None else fmt(v, 10)
        out.append(("▶" if row.get("own") else "", row["label"], row["id"], text))
    return out


def table_part(r):
    """A rich renderable, or None without conventions."""
    found = blocks(r)
    if not found:
        return None
    from rich import box   # noqa: PLC0415 (--conventions only)
    from rich.console import Group   # noqa: PLC0415 (--conventions only)
    from rich.table import Table   # noqa: PLC0415 (--conventions only)
    tables = []
    for head, lines in found:
        t = Table(title=head, box=box.SIMPLE_HEAD, title_justify="left", show_edge=False)
        for name, kw in (("", {}), ("convention", {"overflow": "fold", "ratio": 3}),
                         ("id", {"overflow": "fold", "ratio": 1}),
                         ("answer", {"justify": "right", "overflow": "fold", "ratio": 1})):
            t.add_column(name, **kw)
        for row in lines:
            t.add_row(*row, style="bold" if row[0] else None)
        tables.append(t)
    if len(tables) == 1:
        return tables[0]
    from rich.text import Text   # noqa: PLC0415 (--conventions only)
    return Group(*[x for t in tables for x in (t, Text(""))][:-1])


def markdown_part(r, out: TextIO, md) -> None:
    """`md`: markdown.py's escaping (passed in: that module imports this one)."""
    for head, lines in blocks(r):
        out.write(f"**{md(head)}**\n\n|  | convention | id | answer |\n|---|---|---|---:|\n")
        for mark, words, ident, text in lines:
            b = "**" if mark else ""
            out.write(f"| {mark} | {b}{md(words)}{b} | `{ident}` | {b}{md(text)}{b} |\n")
        out.write("\n")


# a name from code in a label (reset_after=False, bias_ih, clip_by_norm): text, not a symbol
# with a subscript; a symbol's base is one letter (b_in, h_0, Σ_t)
_CODE = re.compile(r"[A-Za-z][A-Za-z0-9]+(?:_[A-Za-z0-9]+)+_?(?:=[\w'\"]+)?")
# the characters a label writes that text mode lacks
_UNICODE = {"½": r"$\tfrac{1}{2}$", "₂": r"$_2$"}


def tex_code(name: str) -> str:
    """A convention's id (or a name from code) in typewriter type, underscores escaped."""
    from .tex import plain_tex   # noqa: PLC0415 (--conventions only)
    return r"\texttt{" + plain_tex(name).replace(r"\_", r"\_\allowbreak{}") + "}"


def tex_label(words: str) -> str:
    """A convention's label as LaTeX text: names from code in typewriter type, the courses'
    symbols (h_0, a<1>, h^(1)) as math, the rest as text."""
    from .tex import is_symbol, tex_math, tex_text   # noqa: PLC0415 (--conventions only)
    out = []
    for token in re.split(r"(\s+)", words):
        core = token.lstrip("(").rstrip(",.;:")
        if core.endswith(")") and core.count(")") > core.count("("):
            core = core[:-1]
        a = token.find(core) if core else -1
        before, after = (token[:a], token[a + len(core):]) if a >= 0 else ("", "")
        if core and _CODE.fullmatch(core):
            out.append(tex_text(before) + tex_code(core) + tex_text(after))
        elif core and "^(" in core and is_symbol(core):
            out.append(tex_text(before) + f"${tex_math(core)}$" + tex_text(after))
        else:
            out.append("".join(_UNICODE.get(c) or tex_text(c) for c in token).replace("$$", "")
                       if any(c in _UNICODE for c in token) else tex_text(token))
    return "".join(out)


def latex_part(r, out: TextIO) -> None:
    from .tex import tex_text   # noqa: PLC0415 (--conventions only)
    for head, lines in blocks(r):
        # the answer's column breaks after its commas (a matrix is wider than a column);
        # \raggedleft redefines \\, so each row ends with \tabularnewline
        out.write(f"\\par\\medskip\\textbf{{{tex_text(head)}}}\\par\n"
                  "\\begin{tabular}{@{}l p{0.45\\linewidth} p{0.2\\linewidth} "
                  "p{0.25\\linewidth}@{}}\n")
        for mark, words, ident, text in lines:
            own = "$\\blacktriangleright$" if mark else ""
            answer = tex_text(text).replace(", ", ",\\allowbreak{} ")
            out.write(f"{own} & {tex_label(words)} & {tex_code(ident)} & "
                      f"\\raggedleft {answer} \\tabularnewline\n")
        out.write("\\end{tabular}\\par\n\n")


def html_part(r, at=lambda *cls, tag="": f' class="{" ".join(cls)}"' if cls else "") -> str:
    """`at(*classes, tag=...)`: html.py's attributes (a fragment writes the styles inline)."""
    th = at(tag="th")
    h = []
    for head, lines in blocks(r):
        h += [f"<p><b>{escape(head)}</b></p>", f"<table{at('conventions', tag='table')}>"
              f"<thead><tr><th{th}></th><th{th}>convention</th><th{th}>id</th><th{th}>answer"
              "</th></tr></thead><tbody>"]
        for mark, words, ident, text in lines:
            row = "asked" if mark else ""
            td, tdn = at(row, tag="td"), at(row, "n", tag="td")
            h.append(f"<tr><td{td}>{mark}</td><td{td}>{escape(words)}</td><td{td}><code>"
                     f"{escape(ident)}</code></td><td{tdn}>{escape(text)}</td></tr>")
        h.append("</tbody></table>")
    return "\n".join(h)


class WithConventions:
    """A renderer that first adds the conventions' table to each result (`--conventions`):
    `attach(result)` fills it in (teaching/conventions.py's, handed in by the command line, so
    that the renderers read results and never the teaching that computes them)."""

    def __init__(self, inner, attach):
        self.inner = inner
        self.attach = attach
        self.name = getattr(inner, "name", "")

    def __call__(self, result, out: TextIO) -> None:
        self.attach(result)
        result.__dict__.pop("_json", None)
        self.inner(result, out)

    def finish(self, out: TextIO) -> None:
        finish = getattr(self.inner, "finish", None)
        if finish is not None:
            finish(out)

