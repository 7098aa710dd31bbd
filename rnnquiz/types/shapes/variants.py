"""`rnnquiz vary` for `shapes`: new widths, vocabularies and units, drawn about the file's."""

from __future__ import annotations

from ...problem.redraw import size

SIZES = ("input", "hidden", "output", "embedding", "model")


def vary(data: dict, rng) -> dict:
    """Every width of the file (input, hidden, output, an embedding's vocabulary and dimension,
    a model's layers' units) drawn from half to twice it, as round as the file wrote it (10000
    in thousands; a width of 1 stays 1); the cell, framework and number of layers are kept."""
    for key in SIZES:
        if key in data:
            data[key] = _sizes(data[key], rng)
    return data


def _sizes(v, rng):
    if isinstance(v, bool) or isinstance(v, str) or v is None:
        return v
    if isinstance(v, int):
        return size(v, rng)
    if isinstance(v, list):
        return [_sizes(e, rng) for e in v]
    if isinstance(v, dict):
        return {k: (e if k in ("layers",) else _sizes(e, rng)) for k, e in v.items()}
    return v
