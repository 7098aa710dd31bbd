"""`rnnquiz conventions` and docs/conventions.md: the conventions that change an answer and
who uses each (teaching/conventions.py's `reference`), as a table, as Markdown, and as the
matrix of frameworks and courses against conventions."""

from __future__ import annotations

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
    from .markdown import md   # noqa: PLC0415 (the conventions command only)
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
    from rich import box   # noqa: PLC0415 (the conventions command only)
    from rich.table import Table   # noqa: PLC0415 (the conventions command only)
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
