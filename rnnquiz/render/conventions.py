"""The table of `solve --conventions` (the answer under each convention), in every format: the
rows come from `result.extra["conventions"]` (teaching/conventions.py's `table`), the file's own
marked. JSON needs nothing here: the rows are a key of the result's object."""

from __future__ import annotations

from html import escape
from typing import TextIO

HEAD = "The answer under each convention"


def rows(r) -> list[tuple[str, str, str, str]]:
    """(mark, convention, id, answer) of each row: '▶' on the file's own."""
    from ..trace.numbers import fixed, fmt   # noqa: PLC0415
    from ..problem.answers import rounded   # noqa: PLC0415
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
    from rich import box   # noqa: PLC0415
    from rich.table import Table   # noqa: PLC0415
    t = Table(title=HEAD, box=box.SIMPLE_HEAD, title_justify="left", show_edge=False)
    for name, kw in (("", {}), ("convention", {"overflow": "fold", "ratio": 3}),
                     ("id", {"overflow": "fold", "ratio": 1}),
                     ("answer", {"justify": "right", "overflow": "fold", "ratio": 1})):
        t.add_column(name, **kw)
    for row in rows(r):
        t.add_row(*row, style="bold" if row[0] else None)
    return t


def markdown_part(r, out: TextIO) -> None:
    from .markdown import md   # noqa: PLC0415
    if not r.extra.get("conventions"):
        return
    out.write(f"**{HEAD}**\n\n|  | convention | id | answer |\n|---|---|---|---:|\n")
    for mark, words, ident, text in rows(r):
        b = "**" if mark else ""
        out.write(f"| {mark} | {b}{md(words)}{b} | `{ident}` | {b}{md(text)}{b} |\n")
    out.write("\n")


def latex_part(r, out: TextIO) -> None:
    from .tex import tex_text   # noqa: PLC0415
    if not r.extra.get("conventions"):
        return
    out.write(f"\\par\\medskip\\textbf{{{HEAD}}}\\par\n"
              "\\begin{tabular}{@{}l p{0.55\\linewidth} p{0.2\\linewidth} r@{}}\n")
    for mark, words, ident, text in rows(r):
        own = "$\\blacktriangleright$" if mark else ""
        out.write(f"{own} & {tex_text(words)} & {tex_text(ident)} & {tex_text(text)} \\\\\n")
    out.write("\\end{tabular}\\par\n\n")


def html_part(r) -> str:
    if not r.extra.get("conventions"):
        return ""
    h = [f"<p><b>{HEAD}</b></p>", "<table class=\"conventions\"><thead><tr><th></th>"
         "<th>convention</th><th>id</th><th>answer</th></tr></thead><tbody>"]
    for mark, words, ident, text in rows(r):
        b, e = ("<b>", "</b>") if mark else ("", "")
        h.append(f"<tr><td>{mark}</td><td>{b}{escape(words)}{e}</td><td><code>{escape(ident)}"
                 f"</code></td><td class=\"n\">{b}{escape(text)}{e}</td></tr>")
    h.append("</tbody></table>")
    return "\n".join(h)


class WithConventions:
    """A renderer that first adds the conventions' table to each result (`--conventions`)."""

    def __init__(self, inner):
        self.inner = inner
        self.name = getattr(inner, "name", "")

    def __call__(self, result, out: TextIO) -> None:
        from ..teaching.conventions import table   # noqa: PLC0415
        if result.problem.ask.parts is None and not result.problem.options:
            result.extra["conventions"] = table(result.problem, result)
            result.__dict__.pop("_json", None)
        self.inner(result, out)

    def finish(self, out: TextIO) -> None:
        finish = getattr(self.inner, "finish", None)
        if finish is not None:
            finish(out)


# ---------------------------------------------------------------- rnnquiz conventions

# the matrix's columns: a `who` entry counts for the first name it starts with
COLUMNS = ("PyTorch", "Keras", "d2l", "deeplearning.ai", "CS231n", "MITx 6.86x", "Hinton's course",
           "Goodfellow", "CMU 11-785")


def matrix(rows: list[dict]) -> list[tuple[str, list[str]]]:
    """(id, one mark per column) of each convention: ✓ where a framework or course uses it."""
    out = []
    for row in rows:
        marks = ["✓" if any(w.startswith(c) for w in row["who"]) else "" for c in COLUMNS]
        out.append((row["id"], marks))
    return out


def reference_markdown(rows: list[dict]) -> str:
    """The reference as Markdown: each topic's conventions, then the matrix."""
    from .markdown import md   # noqa: PLC0415
    lines, topic = [], None
    for row in rows:
        if row["topic"] != topic:
            topic = row["topic"]
            lines += ["", f"## {md(topic[0].upper() + topic[1:])}", "",
                      "| id | convention | used by |", "|---|---|---|"]
        lines.append(f"| `{row['id']}` | {md(row['label'])} | {md(', '.join(row['who']))} |")
    lines += ["", "## Frameworks and courses against conventions", "",
              "| id | " + " | ".join(COLUMNS) + " |", "|---|" + "---|" * len(COLUMNS)]
    lines += [f"| `{ident}` | " + " | ".join(marks) + " |" for ident, marks in matrix(rows)]
    return "\n".join(lines).lstrip("\n") + "\n"


def reference_table(rows: list[dict]):
    """The reference as a rich table (the terminal)."""
    from rich import box   # noqa: PLC0415
    from rich.table import Table   # noqa: PLC0415
    t = Table(box=box.SIMPLE_HEAD, show_edge=False)
    t.add_column("topic", overflow="fold", ratio=1)
    t.add_column("id", no_wrap=True, min_width=max(len(row["id"]) for row in rows))
    for name, ratio in (("convention", 3), ("used by", 2)):
        t.add_column(name, overflow="fold", ratio=ratio)
    topic = None
    for row in rows:
        shown = row["topic"] if row["topic"] != topic else ""
        topic = row["topic"]
        t.add_row(shown, row["id"], row["label"], ", ".join(row["who"]))
    return t
