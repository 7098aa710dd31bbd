"""`rnnquiz vary`: variants of exercises with new numbers, each keyed (SPEC 2). Registered on
the CLI by commands.py; the drawing lives in teaching/vary.py and loads only when run."""

from __future__ import annotations

import sys

import click

from .completion import complete_paths
from ..errors import ProblemError
from .sources import Exit, print_error, said

MAX_VARIANTS = 1000


@click.command()
@click.argument("paths", nargs=-1, required=True, shell_complete=complete_paths)
@click.option("--count", type=click.IntRange(1, MAX_VARIANTS), default=1, show_default=True,
              help=f"How many variants of each exercise (1 to {MAX_VARIANTS:,}).")
@click.option("--seed", type=int, required=True, help="The same seed gives the same variants.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default=None,
              help="Write one file per variant into this folder (else print them as YAML).")
@click.option("--force", is_flag=True, help="Overwrite files that exist.")
@click.option("--json", "as_json", is_flag=True,
              help="The variants with their answers as JSON Lines (one a variant).")
def vary(paths, count, seed, out_dir, force, as_json):
    """Variants of exercises with new numbers, each solved and keyed.

    A variant keeps the type, notation, shapes, question and rounding; its numbers are drawn
    like the file's (decimals, range, signs).

    A degenerate draw (a tie in a rounding exercise that had none, an overflow, a verdict
    that flips, a target no alignment reaches) is drawn again, at most 50 times a variant.

    \b
    rnnquiz vary hinton_p3 --count 3 --seed 1            three variants, printed as YAML
    rnnquiz vary hinton_p3 --count 3 --seed 1 | rnnquiz solve -
    rnnquiz vary problems/mit_lstm_states_1.yaml --count 20 --seed 7 --out hw/
    """
    import json   # noqa: PLC0415 (vary only)
    import os   # noqa: PLC0415 (vary only)

    from ..problem.files import expand, read_source   # noqa: PLC0415 (vary only)
    from ..teaching.generate import dump   # noqa: PLC0415 (vary only)
    from ..teaching.vary import variants   # noqa: PLC0415 (vary only)
    from ..types import load_text   # noqa: PLC0415 (vary only)
    if out_dir is not None and not out_dir.strip():
        raise click.BadParameter("expected a folder name, got ''", param_hint="--out")
    drawn = []            # (source, variants), everything drawn before anything is written
    try:
        for src in expand(list(paths)):
            name, text = read_source(src)
            for p in load_text(text, name):
                drawn.append((name, variants(p, count, seed)))
    except ProblemError as err:
        print_error(said(err))
        sys.exit(Exit.BAD_INPUT)
    redraws = sum(v.redraws for _, vs in drawn for v in vs)
    if redraws:
        for name, vs in drawn:
            for v in vs:
                if v.redraws:
                    click.echo(f"note: {name}: variant {v.k} drawn {v.redraws + 1} times "
                               f"(redrawn: {'; '.join(sorted(set(v.reasons)))})", err=True)
    records = [v.to_json() for _, vs in drawn for v in vs]
    if out_dir is None:
        if as_json:
            for record in records:
                click.echo(json.dumps(record, ensure_ascii=False, allow_nan=False))
        else:
            click.echo("---\n".join(dump(v.document) for _, vs in drawn for v in vs), nl=False)
        return
    paths_out = _names(drawn, seed, out_dir)
    existing = [p for p in paths_out if os.path.exists(p)]
    if existing and not force:
        print_error(f"{existing[0]}: exists; use --force to overwrite")
        sys.exit(Exit.BAD_INPUT)
    from ..problem.files import write_atomic   # noqa: PLC0415 (vary only)
    try:
        os.makedirs(out_dir, exist_ok=True)
        texts = [dump(v.document) for _, vs in drawn for v in vs]
        for path, text, record in zip(paths_out, texts, records):
            write_atomic(path, text)
            if as_json:
                click.echo(json.dumps(record | {"path": path}, ensure_ascii=False,
                                      allow_nan=False))
            else:
                click.echo(path)
    except OSError as err:
        print_error(f"{err.filename or out_dir}: cannot write: {err.strerror or err}")
        sys.exit(Exit.BAD_INPUT)


def _names(drawn: list, seed: int, out_dir: str) -> list[str]:
    """One file name a variant: the exercise's file name, its document (where the file holds
    several), the seed and the variant's number; made unique where two sources share a name."""
    import os   # noqa: PLC0415 (vary only)
    from collections import Counter   # noqa: PLC0415 (vary only)
    docs = Counter(name for name, _ in drawn)
    names, seen = [], set()
    for name, vs in drawn:
        stem = "stdin" if name in ("-", "<stdin>") else \
            os.path.splitext(os.path.basename(name))[0]
        for v in vs:
            doc = f"_doc{v.problem.doc_index + 1}" if docs[name] > 1 else ""
            base = f"{stem}{doc}_seed{seed}_v{v.k}"
            candidate, n = base, 1
            while candidate in seen:
                n += 1
                candidate = f"{base}_{n}"
            seen.add(candidate)
            names.append(os.path.join(out_dir, candidate + ".yaml"))
    return names
