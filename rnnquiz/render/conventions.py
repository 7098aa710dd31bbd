"""The table of `solve --conventions` (the answer under each convention), in every format: the
rows come from `result.extra["conventions"]` (teaching/conventions.py's `table`), the file's own
marked. JSON needs nothing here: the rows are a key of the result's object."""

from __future__ import annotations

from html import escape
from typing import TextIO

HEAD = "The answer under each convention"


def rows(r) -> list[tuple[str, str, str, str]]:
    """(mark, convention, id, answer) of each row: '▶' on the file's own."""
    from ..trace.numbers import fixed, fmt   # noqa: PLC0415 (--conventions only)
    from ..problem.answers import rounded   # noqa: PLC0415 (--conventions only)
    digits = r.problem.ask.digits
    out = []
    for row in r.extra.get("conventions") or ():
        v = row["answer"]
        short = rounded(v, digits) if digits is not None else None
        text = fixed(short, digits) if short is not None else fmt(v, 10)
        out.append(("▶" if row.get("own") else "", row["label"], row["id"], text))
    return out


def table_part(r):
    """A rich renderable, or None without conventions."""
    if not r.extra.get("conventions"):
        return None
    from rich import box   # noqa: PLC0415 (--conventions only)
    from rich.table import Table   # noqa: PLC0415 (--conventions only)
    t = Table(title=HEAD, box=box.SIMPLE_HEAD, title_justify="left", show_edge=False)
    for name, kw in (("", {}), ("convention", {"overflow": "fold", "ratio": 3}),
                     ("id", {"overflow": "fold", "ratio": 1}),
                     ("answer", {"justify": "right", "overflow": "fold", "ratio": 1})):
        t.add_column(name, **kw)
    for row in rows(r):
        t.add_row(*row, style="bold" if row[0] else None)
    return t


def markdown_part(r, out: TextIO, md) -> None:
    """`md`: markdown.py's escaping (passed in: that module imports this one)."""
    if not r.extra.get("conventions"):
        return
    out.write(f"**{HEAD}**\n\n|  | convention | id | answer |\n|---|---|---|---:|\n")
    for mark, words, ident, text in rows(r):
        b = "**" if mark else ""
        out.write(f"| {mark} | {b}{md(words)}{b} | `{ident}` | {b}{md(text)}{b} |\n")
    out.write("\n")


def latex_part(r, out: TextIO) -> None:
    from .tex import tex_text   # noqa: PLC0415 (--conventions only)
    if not r.extra.get("conventions"):
        return
    out.write(f"\\par\\medskip\\textbf{{{HEAD}}}\\par\n"
              "\\begin{tabular}{@{}l p{0.55\\linewidth} p{0.2\\linewidth} r@{}}\n")
    for mark, words, ident, text in rows(r):
        own = "$\\blacktriangleright$" if mark else ""
        out.write(f"{own} & {tex_text(words)} & {tex_text(ident)} & {tex_text(text)} \\\\\n")
    out.write("\\end{tabular}\\par\n\n")


def html_part(r, at=lambda *cls, tag="": f' class="{" ".join(cls)}"' if cls else "") -> str:
    """`at(*classes, tag=...)`: html.py's attributes (a fragment writes the styles inline)."""
    if not r.extra.get("conventions"):
        return ""
    th = at(tag="th")
    h = [f"<p><b>{HEAD}</b></p>", f"<table{at('conventions', tag='table')}><thead><tr>"
         f"<th{th}></th><th{th}>convention</th><th{th}>id</th><th{th}>answer</th></tr></thead>"
         "<tbody>"]
    for mark, words, ident, text in rows(r):
        row = "asked" if mark else ""
        td, tdn = at(row, tag="td"), at(row, "n", tag="td")
        h.append(f"<tr><td{td}>{mark}</td><td{td}>{escape(words)}</td><td{td}><code>"
                 f"{escape(ident)}</code></td><td{tdn}>{escape(text)}</td></tr>")
    h.append("</tbody></table>")
    return "\n".join(h)


class WithConventions:
    """A renderer that first adds the conventions' table to each result (`--conventions`)."""

    def __init__(self, inner):
        self.inner = inner
        self.name = getattr(inner, "name", "")

    def __call__(self, result, out: TextIO) -> None:
        from ..teaching.conventions import table   # noqa: PLC0415 (--conventions only)
        if result.problem.ask.parts is None and not result.problem.options:
            result.extra["conventions"] = table(result.problem, result)
            result.__dict__.pop("_json", None)
        self.inner(result, out)

    def finish(self, out: TextIO) -> None:
        finish = getattr(self.inner, "finish", None)
        if finish is not None:
            finish(out)

