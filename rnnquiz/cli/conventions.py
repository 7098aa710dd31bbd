"""`rnnquiz conventions`: the frameworks and courses against the conventions that change an
exercise's answer (SPEC 1.16), from the same data as `solve --conventions` and `check`."""

from __future__ import annotations

import click


@click.command("conventions")
@click.option("--format", "fmt", type=click.Choice(["table", "markdown", "json"]),
              default="table", show_default=True, help="How to show the reference.")
@click.option("--json", "as_json", is_flag=True, help="JSON (same as --format json).")
def conventions(fmt, as_json):
    """The conventions that change an answer, and who uses each.

    \b
    rnnquiz conventions                    the reference, as a table
    rnnquiz conventions --format markdown  as docs/conventions.md writes it
    rnnquiz solve FILE --conventions       one exercise's answer under each
    """
    from ..teaching.conventions import reference   # noqa: PLC0415 (conventions only)
    rows = reference()
    if as_json or fmt == "json":
        from ..render.jsonl import dumps   # noqa: PLC0415 (conventions only)
        click.echo(dumps({"schema_version": 1, "conventions": rows}))
    elif fmt == "markdown":
        from ..render.reference import reference_markdown   # noqa: PLC0415 (conventions only)
        click.echo(reference_markdown(rows), nl=False)
    else:
        import sys   # noqa: PLC0415 (conventions only)
        from ..render.reference import reference_table   # noqa: PLC0415 (conventions only)
        from ..render.table import console_for   # noqa: PLC0415 (conventions only)
        console_for(sys.stdout).print(reference_table(rows))
